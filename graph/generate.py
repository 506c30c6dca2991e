"""Synthetic role graphs of any size, with realistic skew and optional planted clusters, deterministic by seed.

Each generated role draws its tools, skills, use cases and industries from the curated vocabulary with
Zipf-distributed weights (the weight of the item at rank r is 1/r): the few items at the top of each
vocabulary file (Python, SQL, Java, ... for tools) end up in most roles, the long tail in few. The rank is the
item's position in its ``data/vocabulary`` file, whose curators list the common items first.

With ``clusters=k`` every role belongs to one of k planted clusters. Each cluster has a core of items drawn
from below the head of the distribution (so that cores are distinctive, and disjoint while the vocabulary is
large enough); a role takes each item of its cluster's core with probability :data:`CORE_PROBABILITY`, then
fills up with the same Zipf background as everyone else. Roles of one cluster therefore share many more items
with each other than with other roles, which similarity measures and community detection should recover.

A generated role is written like a role extracted from a document (``rg:usesTool``, ``rg:requiresSkill`` with
``rg:requiresEssentialSkill`` / ``rg:requiresOptionalSkill``, ``rg:hasUseCase``, ``rg:activeInIndustry``,
``rdfs:label``, ``dcterms:identifier``), in its own named graph ``{base}graph/generated/{id}``, and says
``dcterms:source "generated"``. It has no source document and no mentions (none exist to point at), which the
shapes allow: a role needs a label, an identifier and a skill, not a document.

>>> roles = generate_roles(3, seed=7)
>>> [(r.id, r.cluster) for r in roles]
[('gen-00001', -1), ('gen-00002', -1), ('gen-00003', -1)]
>>> roles == generate_roles(3, seed=7), roles == generate_roles(3, seed=8)
(True, False)
>>> quads = generated_quads(roles, Iris("https://rolegraph.example/"))
>>> sorted({q.graph_name.value for q in quads})[0]
'https://rolegraph.example/graph/generated/gen-00001'
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass

from pyoxigraph import NamedNode, Quad

from graph.build import IDENTIFIER, LABEL, _Quads, node_iri
from graph.errors import InvalidRequest
from graph.namespaces import DCTERMS, RDF, Iris, rg, term
from graph.store import GraphStore
from graph.vocabulary import Vocabulary, load_vocabulary

#: ``dcterms:source`` of every generated role.
SOURCE = "generated"
#: Id prefix of generated roles.
ID_PREFIX = "gen-"
#: Zipf exponent: the weight of the item at rank r (from 1) is 1 / r ** ZIPF_EXPONENT.
ZIPF_EXPONENT = 1.0
#: How many items of each category a role takes: inclusive (low, high), drawn uniformly per role.
SIZES: dict[str, tuple[int, int]] = {"tool": (17, 37), "skill": (7, 15), "use-case": (2, 6), "industry": (1, 4)}
#: How many items of each category a planted cluster's core holds.
CORE_SIZES: dict[str, int] = {"tool": 8, "skill": 4, "use-case": 2, "industry": 1}
#: The chance that a role takes each item of its cluster's core.
CORE_PROBABILITY = 0.85
#: Cores are drawn from below this rank, so that they are not the items everyone has anyway.
CORE_MIN_RANK = 10
#: Share of a role's skills that are essential (the rest are optional).
ESSENTIAL_SHARE = 0.6
#: Largest generated graph accepted (the ids have five digits).
MAX_ROLES = 99_999

_SENIORITY = ("Junior", "", "Senior", "Lead", "Staff", "Principal")
_DOMAINS = (
    "Data",
    "Machine Learning",
    "Platform",
    "Cloud",
    "Analytics",
    "Backend",
    "Security",
    "MLOps",
    "Research",
    "Infrastructure",
    "Computer Vision",
    "NLP",
    "Quality",
    "Integration",
)
_TITLES = ("Engineer", "Analyst", "Scientist", "Developer", "Architect", "Consultant", "Specialist")


@dataclass(frozen=True)
class GeneratedRole:
    """One synthetic role: ``cluster`` is its planted cluster (-1 without clusters); lists hold vocabulary ids."""

    id: str
    label: str
    cluster: int
    tools: list[str]
    skills: list[str]
    use_cases: list[str]
    industries: list[str]

    def items(self, category: str) -> list[str]:
        return {"tool": self.tools, "skill": self.skills, "use-case": self.use_cases, "industry": self.industries}[
            category
        ]


class _Zipf:
    """Weighted draws without replacement over a ranked list, by repeated weighted draws (the head is small)."""

    def __init__(self, ids: Sequence[str]) -> None:
        self.ids = list(ids)
        weights = [1 / (rank**ZIPF_EXPONENT) for rank in range(1, len(self.ids) + 1)]
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random, count: int, chosen: list[str]) -> list[str]:
        """Append up to ``count`` new ids to ``chosen`` (kept in draw order) and return it."""
        taken = set(chosen)
        target = min(len(self.ids), len(chosen) + count)
        total = self.cumulative[-1]
        while len(chosen) < target:
            index = bisect.bisect_right(self.cumulative, rng.random() * total)
            item = self.ids[min(index, len(self.ids) - 1)]
            if item not in taken:
                taken.add(item)
                chosen.append(item)
        return chosen


def _cores(rng: random.Random, ids: Sequence[str], clusters: int, size: int) -> list[list[str]]:
    """``clusters`` cores of ``size`` ids from below the head; disjoint while the pool allows, else cycled."""
    pool = list(ids[CORE_MIN_RANK:]) or list(ids)
    rng.shuffle(pool)
    size = min(size, len(pool))
    cycled = itertools.islice(itertools.cycle(pool), clusters * size)
    flat = list(cycled)
    return [flat[c * size : (c + 1) * size] for c in range(clusters)]


def generate_roles(
    n_roles: int, *, seed: int = 0, clusters: int = 0, vocabulary: Vocabulary | None = None
) -> list[GeneratedRole]:
    """``n_roles`` synthetic roles (ids ``gen-00001`` ...), the same for the same arguments.

    >>> roles = generate_roles(300, seed=1, clusters=3)
    >>> len(roles), sorted({r.cluster for r in roles})
    (300, [0, 1, 2])
    """
    if not 0 <= n_roles <= MAX_ROLES:
        raise InvalidRequest(f"the number of roles must be between 0 and {MAX_ROLES}", field="roles")
    if clusters < 0 or (n_roles and clusters > n_roles):
        raise InvalidRequest("clusters must be between 0 and the number of roles", field="clusters")
    vocab = vocabulary or load_vocabulary()
    rng = random.Random(seed)
    # The vocabulary files list each category's common items first: their order is the Zipf rank.
    ranked = {category: list(vocab.terms[category]) for category in SIZES}
    zipf = {category: _Zipf(ids) for category, ids in ranked.items()}
    cores = {category: _cores(rng, ranked[category], clusters, CORE_SIZES[category]) for category in SIZES}
    assignment = [i % clusters for i in range(n_roles)] if clusters else [-1] * n_roles
    rng.shuffle(assignment)

    roles = []
    for number, cluster in enumerate(assignment, start=1):
        items: dict[str, list[str]] = {}
        for category, (low, high) in SIZES.items():
            count = rng.randint(low, high)
            chosen: list[str] = []
            if cluster >= 0:
                chosen = [i for i in cores[category][cluster] if rng.random() < CORE_PROBABILITY][:count]
            items[category] = zipf[category].draw(rng, count - len(chosen), chosen)
        title = " ".join(part for part in (rng.choice(_SENIORITY), rng.choice(_DOMAINS), rng.choice(_TITLES)) if part)
        roles.append(
            GeneratedRole(
                id=f"{ID_PREFIX}{number:05d}",
                label=f"{title} #{number}",
                cluster=cluster,
                tools=items["tool"],
                skills=items["skill"],
                use_cases=items["use-case"],
                industries=items["industry"],
            )
        )
    return roles


def generated_graph(iris: Iris, role_id: str) -> NamedNode:
    return iris.node("graph", "generated", role_id)


def generated_quads(roles: Sequence[GeneratedRole], iris: Iris) -> list[Quad]:
    """Each role in its own named graph, with the predicates a role document's graph uses."""
    quads: list[Quad] = []
    a = term(RDF, "type")
    for role in roles:
        out = _Quads(generated_graph(iris, role.id))
        node = iris.node("role", role.id)
        out.add(node, a, rg("Role"))
        out.add(node, LABEL, role.label)
        out.add(node, IDENTIFIER, role.id)
        out.add(node, term(DCTERMS, "source"), SOURCE)
        for tool in sorted(role.tools):
            out.add(node, rg("usesTool"), node_iri(iris, "tool", tool))
        essential = set(role.skills[: max(1, round(len(role.skills) * ESSENTIAL_SHARE))])
        for skill in sorted(role.skills):
            target = node_iri(iris, "skill", skill)
            out.add(node, rg("requiresSkill"), target)
            out.add(node, rg("requiresEssentialSkill" if skill in essential else "requiresOptionalSkill"), target)
        for use_case in sorted(role.use_cases):
            out.add(node, rg("hasUseCase"), node_iri(iris, "use-case", use_case))
        for industry in sorted(role.industries):
            out.add(node, rg("activeInIndustry"), node_iri(iris, "industry", industry))
        quads += out.quads
    return quads


def generated_graphs(store: GraphStore, iris: Iris) -> list[NamedNode]:
    """The named graphs of the generated roles in ``store``."""
    prefix = iris.node("graph", "generated").value + "/"
    return [g for g in store.named_graphs() if g.value.startswith(prefix)]


def load_generated(store: GraphStore, iris: Iris, roles: Sequence[GeneratedRole]) -> int:
    """Replace every generated role in ``store`` with ``roles``; returns the number of triples written.

    Two transactions: one removes the earlier generated graphs, one adds the new ones.
    """
    old = generated_graphs(store, iris)
    if old:
        # str(NamedNode) is the IRI's N-Triples form, checked by its constructor.
        store.update(" ;\n".join(f"DROP SILENT GRAPH {graph}" for graph in old))
    quads = generated_quads(roles, iris)
    store.add_all(quads)
    store.flush()
    return len(quads)
