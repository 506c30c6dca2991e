"""An in-memory index of roles and the items they link to, rebuilt from the store when it changes.

The store stays the source of truth; the index is derived from it with the named queries and rebuilt
whenever the store's version moves, so its answers are exact. It turns the common questions (shared items,
compare, a role's items) into set operations that take microseconds instead of a SPARQL aggregation.

>>> from graph.build import build
>>> from graph.settings import Settings
>>> from graph.store import GraphStore
>>> store = GraphStore.in_memory()
>>> _ = build(Settings(), store)
>>> index = RoleIndex.load(store)
>>> sorted(index.shared("tool", ["ai-engineer", "data-engineer"]))[:3]
['amazon-s3', 'aws', 'azure']
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, QuerySolution

from graph.namespaces import rg
from graph.queries import QUERIES
from graph.store import GraphStore

#: Item kind (API name) -> the role's relation to it.
RELATIONS = {
    "tool": "usesTool",
    "skill": "requiresSkill",
    "use-case": "hasUseCase",
    "industry": "activeInIndustry",
    "responsibility-area": "hasResponsibilityArea",
}


#: Item kind (API name) -> its class in the ontology.
CLASSES = {
    "tool": "Tool",
    "skill": "Skill",
    "use-case": "UseCase",
    "industry": "Industry",
    "responsibility-area": "ResponsibilityArea",
}


#: The name the index is kept under in an on-disk store's folder (:mod:`graph.derived`): a digest of the code
#: that derives it (this module and its query), so that an index derived by other code is never restored.
KEPT_AS = "role-index-{}.pickle".format(
    hashlib.sha256(Path(__file__).read_bytes() + QUERIES["role_links"].encode()).hexdigest()[:16]
)


@dataclass(frozen=True, slots=True)
class IndexedItem:
    id: str
    label: str
    kind: str


def _value(row: QuerySolution, name: str) -> str | None:
    term = row[name]
    return term.value if isinstance(term, Literal) else None


@dataclass
class RoleIndex:
    """Role -> item ids per kind, and the items' labels and kinds."""

    version: int
    roles: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # role id -> (label, document id)
    links: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)  # kind -> role -> item ids
    essential: dict[str, frozenset[str]] = field(default_factory=dict)  # role -> essential skill ids
    items: dict[str, dict[str, IndexedItem]] = field(default_factory=dict)  # kind -> item id -> item
    #: Every item of each kind's class, linked to a role or not (the vocabulary), and how many roles link each.
    vocabulary: dict[str, dict[str, IndexedItem]] = field(default_factory=dict)  # kind -> item id -> item
    role_counts: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> item id -> roles

    @classmethod
    def load(cls, store: GraphStore) -> RoleIndex:
        """Read the whole index with ONE query, so it reflects one consistent state of the store.

        The version is read before the query: if a write lands meanwhile, the index is tagged with the older
        version and rebuilt on the next read (stores bump their version after a write commits).
        """
        index = cls(version=store.version)
        kind_of_relation = {rg(relation).value: kind for kind, relation in RELATIONS.items()}
        essential_relation = rg("requiresEssentialSkill").value
        kind_of_class = {rg(name).value: kind for kind, name in CLASSES.items()}
        role_ids: dict[str, str] = {}
        items: dict[str, IndexedItem] = {}
        links: list[tuple[str, str, str]] = []
        for row in store.select(QUERIES["role_links"]):
            # Positional unpacking: several times faster than looking each variable up by name.
            r, role, role_label, document, relation, i, item, label, kind, item_class = row
            if relation is not None and r is not None and i is not None:
                links.append((r.value, relation.value, i.value))
            elif role is not None and r is not None and role_label is not None:
                role_ids[r.value] = role.value
                index.roles[role.value] = (role_label.value, document.value if document is not None else None)
            elif item is not None and i is not None and label is not None and item_class is not None:
                category = kind_of_class[item_class.value]
                items[i.value] = IndexedItem(item.value, label.value, kind.value if kind is not None else category)
                index.vocabulary.setdefault(category, {})[item.value] = items[i.value]
        by_kind: dict[str, dict[str, set[str]]] = {kind: {} for kind in RELATIONS}
        essential: dict[str, set[str]] = {}
        for role_iri, relation_iri, item_iri in links:
            role_id, found = role_ids.get(role_iri), items.get(item_iri)
            if role_id is None or found is None:
                continue  # a link to something that is not a known role or item
            if relation_iri == essential_relation:
                essential.setdefault(role_id, set()).add(found.id)
                continue
            category = kind_of_relation[relation_iri]
            by_kind[category].setdefault(role_id, set()).add(found.id)
            index.items.setdefault(category, {})[found.id] = found
        for category in RELATIONS:
            index.links[category] = {role: frozenset(ids) for role, ids in by_kind[category].items()}
            index.items.setdefault(category, {})
            index.vocabulary.setdefault(category, {})
            counts: dict[str, int] = {}
            for ids in by_kind[category].values():
                for item_id in ids:
                    counts[item_id] = counts.get(item_id, 0) + 1
            index.role_counts[category] = counts
        index.essential = {role: frozenset(ids) for role, ids in essential.items()}
        return index

    @classmethod
    def restore_or_load(cls, store: GraphStore) -> RoleIndex:
        """The index kept beside the store when it is still exact (a restart: tens of milliseconds), else
        :meth:`load` (about a second at 3,000 roles), kept for the next process."""
        version = store.version  # before reading: a write meanwhile makes this index stale, never wrong
        kept = store.load_derived(KEPT_AS)
        if kept is not None:
            try:
                index = pickle.loads(kept)
            except Exception:  # a damaged or foreign file is just not used: derive anew
                index = None
            if isinstance(index, cls):
                index.version = version
                return index
        index = cls.load(store)
        if store.keeps_derived:
            store.save_derived(KEPT_AS, index.version, pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
        return index

    def role_items(self, kind: str, role: str) -> frozenset[str]:
        return self.links[kind].get(role, frozenset())

    def shared(self, kind: str, roles: list[str]) -> frozenset[str]:
        """Item ids linked to every role in ``roles``."""
        sets = sorted((self.role_items(kind, role) for role in roles), key=len)
        if not sets:
            return frozenset()
        result = sets[0]
        for other in sets[1:]:
            result = result & other
        return result

    def item(self, kind: str, item_id: str) -> IndexedItem:
        return self.items[kind][item_id]
