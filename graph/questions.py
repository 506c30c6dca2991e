"""The questions people ask of the graph, answered from the store with the named queries.

The CLI and the REST API both call :class:`RoleGraph`; neither writes SPARQL of its own.

>>> from graph.build import build
>>> from graph.settings import Settings
>>> store = GraphStore.in_memory()
>>> _ = build(Settings(), store)
>>> [item.id for item in RoleGraph(store, Settings().base_iri).shared("tool").items]
['aws', 'google-cloud', 'java', 'azure', 'python']
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal, NamedNode, QuerySolution, serialize

from graph.errors import InvalidRequest, NotFound
from graph.formats import RdfSyntax
from graph.index import RoleIndex
from graph.namespaces import PREFIXES, Iris, check_slug
from graph.project import NODE_TYPES, to_networkx
from graph.queries import QUERIES
from graph.store import GraphStore

if TYPE_CHECKING:
    import networkx as nx

#: Longest search text accepted: longer text cannot match a label and only costs time.
MAX_SEARCH_LENGTH = 200

#: The kinds of item a role links to: API name -> (class, role relation, IRI path segment).
ITEM_KINDS: dict[str, tuple[str, str, str]] = {
    "tool": ("Tool", "usesTool", "tool"),
    "skill": ("Skill", "requiresSkill", "skill"),
    "use-case": ("UseCase", "hasUseCase", "use-case"),
    "industry": ("Industry", "activeInIndustry", "industry"),
    "responsibility-area": ("ResponsibilityArea", "hasResponsibilityArea", "area"),
}
#: The JSON key under which a role lists its items of each kind.
PLURALS = {
    "tool": "tools",
    "skill": "skills",
    "use-case": "use_cases",
    "industry": "industries",
    "responsibility-area": "responsibility_areas",
}


def check_kind(kind: str) -> str:
    if kind not in ITEM_KINDS:
        raise InvalidRequest(f"kind {kind[:40]!r} is not one of {', '.join(ITEM_KINDS)}", field="kind")
    return kind


def _text(row: QuerySolution, name: str) -> str | None:
    value = row[name]
    return value.value if isinstance(value, Literal | NamedNode) else None


def _int(row: QuerySolution, name: str) -> int:
    value = _text(row, name)
    return int(value) if value is not None else 0


@dataclass(frozen=True)
class Item:
    """A tool, skill, use case, industry or responsibility area.

    ``kind`` is the tool kind for tools (e.g. ``programming-language``) and the item kind otherwise.
    """

    id: str
    label: str
    kind: str
    roles: int | None = None
    essential: bool | None = None

    def as_json(self) -> dict[str, Any]:
        # Written out: dataclasses.asdict deep-copies every field and was most of /api/compare's time.
        found: dict[str, Any] = {"id": self.id, "label": self.label, "kind": self.kind}
        if self.roles is not None:
            found["roles"] = self.roles
        if self.essential is not None:
            found["essential"] = self.essential
        return found


@dataclass(frozen=True)
class SharedItems:
    """The items of one kind linked to every one of ``roles``."""

    roles: list[str]
    kind: str
    items: list[Item]

    def as_json(self) -> dict[str, Any]:
        return {"roles": self.roles, "kind": self.kind, "items": [i.as_json() for i in self.items]}


@dataclass(frozen=True)
class Comparison:
    """What two roles share, what only ``from_role`` has, and what ``to_role`` needs that ``from_role`` lacks."""

    from_role: str
    to_role: str
    shared: dict[str, list[Item]] = field(default_factory=dict)
    only_from: dict[str, list[Item]] = field(default_factory=dict)
    to_learn: dict[str, list[Item]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        def section(part: dict[str, list[Item]]) -> dict[str, list[dict[str, Any]]]:
            return {kind: [i.as_json() for i in items] for kind, items in part.items()}

        return {
            "from": self.from_role,
            "to": self.to_role,
            "shared": section(self.shared),
            "only_from": section(self.only_from),
            "to_learn": section(self.to_learn),
        }


@dataclass(frozen=True, slots=True)
class SearchText:
    """One label or alias of a role or item, as search looks through it (``lowered`` as SPARQL's ``LCASE``)."""

    lowered: str
    text: str
    node_type: str
    id: str
    label: str
    kind: str


@dataclass(frozen=True)
class Source:
    """Where a document says what a role links to."""

    section: str
    sentence: str
    text: str


class RoleGraph:
    """Answers questions over a :class:`GraphStore`."""

    def __init__(self, store: GraphStore, base_iri: str) -> None:
        self.store = store
        self.iris = Iris(base_iri)
        self._projection: nx.DiGraph | None = None
        self._index: RoleIndex | None = None
        # Answers derived from one index (the role list, each kind's vocabulary) -> (that index, answer), kept
        # until the index is replaced. A dict, mutated in place, so that pinned views share it.
        self._from_index: dict[str, tuple[RoleIndex, Any]] = {}
        self._pinned: RoleIndex | None = None
        self._exports: dict[str, tuple[int, bytes]] = {}
        self._searchable: tuple[int, list[SearchText]] | None = None  # (store version, texts)
        self._index_lock = threading.Lock()
        self._search_lock = threading.Lock()

    def current_index(self) -> RoleIndex | None:
        """The index if it is current for the store's version (:meth:`index` would answer at once), else None."""
        if self._pinned is not None:
            return self._pinned
        index = self._index
        return index if index is not None and index.version == self.store.version else None

    def pinned(self, index: RoleIndex) -> RoleGraph:
        """This graph answering every index question from ``index``, whatever writes land meanwhile.

        A request makes the index current off the event loop, then answers from it on the loop: a write that
        lands in between is concurrent with the request, so the state before it is a right answer, whereas
        rebuilding the index on the loop would stall every other request.

        >>> from graph.store import GraphStore
        >>> graph = RoleGraph(GraphStore.in_memory(), "https://rolegraph.example/")
        >>> empty = graph.index()
        >>> graph.store.update("INSERT DATA { <urn:x:r> a rg:Role ; dcterms:identifier 'r' ; rdfs:label 'R' }")
        >>> [r["id"] for r in graph.pinned(empty).roles()], [r["id"] for r in graph.roles()]
        ([], ['r'])
        """
        view = copy.copy(self)
        view._pinned = index
        return view

    def index(self) -> RoleIndex:
        """The in-memory role/item index, rebuilt when the store has changed (so answers stay exact).

        Built at most once per store version, even when many requests arrive right after a write."""
        if self._pinned is not None:
            return self._pinned
        index = self._index
        if index is not None and index.version == self.store.version:
            return index
        with self._index_lock:
            index = self._index
            if index is None or index.version != self.store.version:
                index = self._index = RoleIndex.restore_or_load(self.store)
            return index

    def projection(self) -> nx.DiGraph:
        """The NetworkX projection, built on first use and rebuilt only when the store has changed."""
        if self._projection is None or self._projection.graph.get("version") != self.store.version:
            self._projection = to_networkx(self.store)
            self._projection.graph["version"] = self.store.version
        return self._projection

    # -- roles -----------------------------------------------------------------------------------
    def role_iri(self, role_id: str) -> NamedNode:
        return self.iris.node("role", check_slug(role_id, "role id", field="role"))

    def roles(self) -> list[dict[str, Any]]:
        """Every role with its label, source document and counts, from the index (one consistent state)."""
        index = self.index()
        cached = self._from_index.get("roles")
        if cached is None or cached[0] is not index:
            roles = [
                {
                    "id": role_id,
                    "label": label,
                    "document": document,
                    "tools": len(index.role_items("tool", role_id)),
                    "skills": len(index.role_items("skill", role_id)),
                }
                for role_id, (label, document) in index.roles.items()
            ]
            cached = self._from_index["roles"] = (index, sorted(roles, key=lambda r: (r["label"].casefold(), r["id"])))
        answer: list[dict[str, Any]] = cached[1]
        return answer

    def role_ids(self) -> list[str]:
        return [str(role["id"]) for role in self.roles()]

    def require_roles(self, role_ids: list[str]) -> list[NamedNode]:
        iris = [self.role_iri(role_id) for role_id in role_ids]
        known = self.index().roles  # a dict: membership is O(1), no copy per request
        missing = [role_id for role_id in role_ids if role_id not in known]
        if missing:
            raise NotFound(f"unknown role(s): {', '.join(missing)}")
        return iris

    def role(self, role_id: str) -> dict[str, Any]:
        iri = self.require_roles([role_id])[0]
        rows = self.store.select(QUERIES["role"], {"role": iri})
        head = rows[0]
        result: dict[str, Any] = {
            "id": role_id,
            "iri": iri.value,
            "label": _text(head, "label"),
            "description": _text(head, "description"),
            "document": _text(head, "document"),
        }
        result["responsibilities"] = [
            {
                "position": _int(row, "position"),
                "title": _text(row, "title"),
                "role": _text(row, "statement"),
                "areas": (_text(row, "areas") or "").split(),
            }
            for row in self.store.select(QUERIES["responsibilities"], {"role": iri})
        ]
        for kind, key in PLURALS.items():
            result[key] = [i.as_json() for i in self.role_items(role_id, kind)]
        return result

    def role_items(self, role_id: str, kind: str) -> list[Item]:
        check_kind(kind)
        self.require_roles([role_id])
        return self._items(kind, self.index().role_items(kind, role_id), role_id)

    def _items(self, kind: str, ids: Iterable[str], role_id: str | None = None) -> list[Item]:
        """Items in the order people read them: by label, then id."""
        index = self.index()
        essential = index.essential.get(role_id or "", frozenset())
        found = [index.item(kind, item_id) for item_id in ids]
        return [
            Item(
                id=i.id,
                label=i.label,
                kind=i.kind,
                essential=(i.id in essential) if kind == "skill" and role_id is not None else None,
            )
            for i in sorted(found, key=lambda i: (i.label.casefold(), i.id))
        ]

    def documents(self) -> list[dict[str, Any]]:
        """Every source document with its provenance and role."""
        return [
            {
                "id": _text(row, "id"),
                "title": _text(row, "title"),
                "file_name": _text(row, "file"),
                "content_hash": _text(row, "hash"),
                "ingested_at": _text(row, "ingested"),
                "truncated": _text(row, "truncated") == "true",
                "role": {"id": _text(row, "roleId"), "label": _text(row, "roleLabel")},
            }
            for row in self.store.select(QUERIES["documents"])
        ]

    # -- items -----------------------------------------------------------------------------------
    def items(self, kind: str, role_id: str | None = None, tool_kind: str | None = None) -> list[Item]:
        """Every item of a kind (with how many roles use it), or the items of one role."""
        check_kind(kind)
        found = self.role_items(role_id, kind) if role_id is not None else self._vocabulary(kind)
        if tool_kind is not None:
            found = [item for item in found if item.kind == tool_kind]
        return found

    def _vocabulary(self, kind: str) -> list[Item]:
        """Every item of a kind with how many roles link it, by label (as SPARQL's ``LCASE``) then id; from
        the index, sorted once per index."""
        index = self.index()
        cached = self._from_index.get(f"vocabulary/{kind}")
        if cached is None or cached[0] is not index:
            counts = index.role_counts[kind]
            items = [Item(i.id, i.label, i.kind, counts.get(i.id, 0)) for i in index.vocabulary[kind].values()]
            cached = self._from_index[f"vocabulary/{kind}"] = (
                index,
                sorted(items, key=lambda i: (i.label.lower(), i.id)),
            )
        answer: list[Item] = cached[1]
        return answer

    def shared(self, kind: str, role_ids: list[str] | None = None) -> SharedItems:
        """The items of ``kind`` linked to every given role (every role when none is given)."""
        check_kind(kind)
        role_ids = list(dict.fromkeys(role_ids or []))
        if role_ids:
            self.require_roles(role_ids)
        roles = role_ids or self.role_ids()
        return SharedItems(roles=roles, kind=kind, items=self._items(kind, self.index().shared(kind, roles)))

    def compare(self, from_role: str, to_role: str) -> Comparison:
        """Per kind: shared, only in ``from_role``, and what ``to_role`` needs that ``from_role`` lacks."""
        self.require_roles([from_role, to_role])
        index = self.index()
        result = Comparison(from_role, to_role)
        for kind in ITEM_KINDS:
            have, need = index.role_items(kind, from_role), index.role_items(kind, to_role)
            result.shared[kind] = self._items(kind, need & have, to_role)
            result.only_from[kind] = self._items(kind, have - need, from_role)
            result.to_learn[kind] = self._items(kind, need - have, to_role)
        return result

    def sources(self, role_id: str, kind: str, item_id: str) -> list[Source]:
        """The sentences of the role's document that link it to an item (its provenance)."""
        check_kind(kind)
        role = self.require_roles([role_id])[0]
        item = self.iris.node(ITEM_KINDS[kind][2], check_slug(item_id, "item id"))
        rows = self.store.select(QUERIES["provenance"], {"role": role, "item": item})
        return [Source(_text(r, "section") or "", _text(r, "sentence") or "", _text(r, "text") or "") for r in rows]

    # -- search and nodes ------------------------------------------------------------------------
    def search(self, text: str, limit: int = 20) -> list[dict[str, Any]]:
        """Roles and items whose label or alias contains ``text``; exact, then prefix, then substring."""
        text = " ".join(text.split())
        if not text or len(text) > MAX_SEARCH_LENGTH:
            return []
        contained, needle = text.lower(), text.casefold()
        best: dict[str, tuple[int, int, str, dict[str, Any]]] = {}
        for found in self._search_texts():
            if contained not in found.lowered:  # as SPARQL's CONTAINS(LCASE(?text), LCASE(?q)) would
                continue
            matched = found.text.casefold()
            rank = 0 if matched == needle else 1 if matched.startswith(needle) else 2
            hit = {
                "id": found.id,
                "label": found.label,
                "type": found.node_type,
                "kind": found.kind,
                "matched": found.text,
            }
            key = (rank, len(matched), found.label.casefold(), hit)
            node_key = f"{found.node_type}/{found.id}"
            if node_key not in best or key[:3] < best[node_key][:3]:
                best[node_key] = key
        hits = sorted(best.values(), key=lambda h: h[:3])
        return [h[3] for h in hits[:limit]]

    def _search_texts(self) -> list[SearchText]:
        """Every label and alias of every role and item, read from the store once per version."""
        version = self.store.version  # before reading: a write meanwhile makes these stale, never wrong
        cached = self._searchable
        if cached is not None and cached[0] == version:
            return cached[1]
        with self._search_lock:  # read once, however many searches arrive right after a write
            cached = self._searchable
            if cached is not None and cached[0] == version:
                return cached[1]
            texts = self._read_search_texts()
            self._searchable = (version, texts)
            return texts

    def _read_search_texts(self) -> list[SearchText]:
        texts = []
        for row in self.store.select(QUERIES["search_texts"]):
            cls, text = row["class"], _text(row, "matched") or ""
            node_type = NODE_TYPES[cls.value.rsplit("#", 1)[-1]] if isinstance(cls, NamedNode) else "item"
            texts.append(
                SearchText(
                    text.lower(),
                    text,
                    node_type,
                    _text(row, "id") or "",
                    _text(row, "label") or "",
                    _text(row, "kind") or node_type,
                )
            )
        return texts

    def node(self, node_id: str, depth: int = 1) -> dict[str, Any]:
        """A role or item and its neighbours up to ``depth`` hops in the projection."""
        check_slug(node_id, "node id", field="id")
        if not 0 <= depth <= 3:
            raise InvalidRequest("depth must be between 0 and 3", field="depth")
        rows = self.store.select(QUERIES["node"], {"id": Literal(node_id)})
        if not rows:
            raise NotFound(f"no role or item with id {node_id!r}")
        iri = rows[0]["node"]
        assert isinstance(iri, NamedNode)
        graph = self.projection()
        undirected = graph.to_undirected(as_view=True)
        from networkx import single_source_shortest_path_length  # loaded with the projection, not at start-up

        reached = single_source_shortest_path_length(undirected, iri.value, cutoff=depth)
        data = graph.nodes[iri.value]
        nodes = [
            {
                "id": graph.nodes[n]["id"],
                "label": graph.nodes[n]["label"],
                "type": graph.nodes[n]["type"],
                "kind": graph.nodes[n].get("tool_kind", graph.nodes[n]["type"]),
                "distance": d,
            }
            for n, d in sorted(reached.items(), key=lambda nd: (nd[1], graph.nodes[nd[0]]["label"].casefold()))
            if n != iri.value
        ]
        edges = [
            {"source": graph.nodes[u]["id"], "target": graph.nodes[v]["id"], "relation": rel}
            for u, v, rel in graph.subgraph(reached).edges(data="relation")
        ]
        return {
            "id": node_id,
            "iri": iri.value,
            "label": data["label"],
            "type": data["type"],
            "kind": data.get("tool_kind", data["type"]),
            "depth": depth,
            "neighbours": nodes,
            "edges": sorted(edges, key=lambda e: (e["source"], e["relation"], e["target"])),
        }

    def export(self, syntax: RdfSyntax) -> bytes:
        """The whole graph in ``syntax``, serialised once per store version (exports are large and frequent)."""
        version = self.store.version
        cached = self._exports.get(syntax.name)
        if cached is not None and cached[0] == version:
            return cached[1]
        data = self.store.export(syntax)
        self._exports = {name: entry for name, entry in self._exports.items() if entry[0] == version}
        self._exports[syntax.name] = (version, data)
        return data

    # -- linked data -----------------------------------------------------------------------------
    def resource_iri(self, path: str) -> NamedNode:
        """The IRI for a path below the base (``role/ai-engineer``); every segment must be an id or a number."""
        node_type, _, rest = path.partition("/")
        segments = rest.split("/") if rest else []
        if self.iris.parse(self.iris.base + path) is None or not segments:
            raise NotFound(f"no resource at {path[:120]!r}")
        for segment in segments:
            check_slug(segment, "path segment", field="path")
        return self.iris.node(node_type, *segments)

    def describe(self, iri: NamedNode, syntax: RdfSyntax) -> bytes:
        """Every triple about ``iri`` (as subject or object), serialised; :class:`NotFound` when there is none."""
        found = self.store.construct(QUERIES["describe"], {"resource": iri})
        if not found:
            raise NotFound(f"nothing is known about {iri.value}")
        return serialize(found, format=syntax.format, prefixes=PREFIXES) or b""

    def describe_rows(self, iri: NamedNode) -> list[dict[str, str | None]]:
        """The same description as rows (direction, property, value, label) for an HTML page."""
        rows = self.store.select(QUERIES["describe_rows"], {"resource": iri})
        if not rows:
            raise NotFound(f"nothing is known about {iri.value}")
        return [
            {
                "direction": _text(r, "direction"),
                "property": _text(r, "property"),
                "value": _text(r, "value"),
                "is_iri": "1" if isinstance(r["value"], NamedNode) else None,
                "label": _text(r, "label"),
            }
            for r in rows
        ]
