"""The numeric model behind :class:`graph.insight.Insight`: sparse role x item matrices, the skill taxonomy
and tool platforms, and (on first use) betweenness and Louvain communities, built once per store version.

Kept apart from :mod:`graph.insight` so that numpy, scipy and networkx load only when the first insight
question is asked, not when the service starts.

>>> from graph.build import build
>>> from graph.questions import RoleGraph
>>> from graph.settings import Settings
>>> from graph.store import GraphStore
>>> store = GraphStore.in_memory()
>>> _ = build(Settings(), store)
>>> model = InsightModel.build(RoleGraph(store, Settings().base_iri))
>>> model.role_ids
['ai-engineer', 'data-engineer', 'deep-learning-engineer']
>>> model.roles_with["python"]
3
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from graph.communities import Betweenness, Partition, betweenness, characteristic_items, communities
from graph.errors import NotFound
from graph.insight import FEATURE_KINDS, RELATION_KINDS
from graph.namespaces import check_slug
from graph.questions import RoleGraph
from graph.similarity import IntArray, SimilarityMatrix


@dataclass(frozen=True)
class ItemInfo:
    """An item of the role-item graph; ``node`` is its id in the view (``skill/deep-learning``)."""

    id: str
    label: str
    kind: str
    node: str
    tool_kind: str | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "label": self.label, "kind": self.kind, "node": self.node}
        if self.tool_kind:
            out["tool_kind"] = self.tool_kind
        return out


@dataclass
class InsightModel:
    """What every insight answer is computed from, for one store version."""

    version: int
    role_ids: list[str]
    role_labels: list[str]
    role_nodes: list[str]
    #: Items linked to at least one role (columns of ``incidence``).
    items: list[ItemInfo]
    incidence: sparse.csr_matrix
    similarity: SimilarityMatrix
    #: Column of ``similarity`` -> column of ``incidence``.
    feature_items: list[int]
    #: Skill id -> broader skill ids; tool id -> the tool it is part of (whole vocabulary).
    broader: dict[str, tuple[str, ...]]
    part_of: dict[str, str]
    labels: dict[str, str]
    essential: dict[str, frozenset[str]]
    role_index: dict[str, int] = field(init=False)
    item_index: dict[str, int] = field(init=False)
    feature_kinds: IntArray = field(init=False, repr=False)
    feature_json: list[dict[str, Any]] = field(init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _betweenness: Betweenness | None = field(default=None, repr=False)
    _partition: Partition | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.role_index = {role: i for i, role in enumerate(self.role_ids)}
        self.item_index = {item.id: j for j, item in enumerate(self.items)}
        # Per column of ``similarity``: its kind's position in FEATURE_KINDS and its JSON, made once per
        # version so that /similar counts shared items with one bincount and copies the JSON it shows.
        features = [self.items[f] for f in self.feature_items]
        self.feature_kinds = np.array([FEATURE_KINDS.index(f.kind) for f in features], dtype=np.int64)
        self.feature_json = [f.as_json() for f in features]

    @classmethod
    def build(cls, graph: RoleGraph) -> InsightModel:
        """From the projection and the role index (both cached per store version by :class:`RoleGraph`)."""
        version = graph.store.version
        projection = graph.projection()
        essential = dict(graph.index().essential)
        if projection.graph.get("version") != version:
            version = -1  # a write landed meanwhile: use this model once, rebuild on the next request

        def node_id(iri: str) -> str:
            parsed = graph.iris.parse(iri)
            return "/".join(parsed) if parsed else iri

        role_iris = sorted(
            (iri for iri, data in projection.nodes(data=True) if data["type"] == "role"),
            key=lambda iri: str(projection.nodes[iri]["id"]),
        )
        role_row = {iri: n for n, iri in enumerate(role_iris)}
        links: list[tuple[int, str]] = []
        broader: dict[str, list[str]] = {}
        part_of: dict[str, str] = {}
        labels: dict[str, str] = {}
        infos: dict[str, ItemInfo] = {}
        for data in projection.nodes.values():
            if data["type"] != "role":
                labels[data["id"]] = data["label"]
        for source, target, relation in projection.edges(data="relation"):
            source_data, target_data = projection.nodes[source], projection.nodes[target]
            if source in role_row and relation in RELATION_KINDS:
                links.append((role_row[source], target))
                if target not in infos:
                    infos[target] = ItemInfo(
                        target_data["id"],
                        target_data["label"],
                        target_data["type"],
                        node_id(target),
                        target_data.get("tool_kind"),
                    )
            elif relation == "broader":
                broader.setdefault(source_data["id"], []).append(target_data["id"])
            elif relation == "partOf":
                part_of[source_data["id"]] = target_data["id"]
        item_iris = sorted(infos, key=lambda iri: (infos[iri].kind, infos[iri].id))
        column = {iri: j for j, iri in enumerate(item_iris)}
        items = [infos[iri] for iri in item_iris]
        rows = [row for row, _ in links]
        cols = [column[target] for _, target in links]
        incidence = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(role_iris), len(items)), dtype=np.float64
        )
        incidence.sum_duplicates()
        incidence.data[:] = 1.0
        role_ids = [str(projection.nodes[iri]["id"]) for iri in role_iris]
        features = [j for j, item in enumerate(items) if item.kind in FEATURE_KINDS]
        similarity = SimilarityMatrix.from_incidence(
            role_ids, [items[j].id for j in features], sparse.csr_matrix(incidence[:, features])
        )
        return cls(
            version=version,
            role_ids=role_ids,
            role_labels=[str(projection.nodes[iri]["label"]) for iri in role_iris],
            role_nodes=[node_id(iri) for iri in role_iris],
            items=items,
            incidence=incidence,
            similarity=similarity,
            feature_items=features,
            broader={skill: tuple(sorted(up)) for skill, up in broader.items()},
            part_of=part_of,
            labels=labels,
            essential=essential,
        )

    # -- lazily computed, once per model ---------------------------------------------------------
    def betweenness(self) -> Betweenness:
        """Betweenness of every node of the role-item graph: roles first (in role order), then items."""
        with self._lock:
            if self._betweenness is None:
                n, m = self.incidence.shape
                adjacency = sparse.bmat([[None, self.incidence], [self.incidence.T, None]], format="csr")
                if adjacency.shape != (n + m, n + m):  # bmat drops empty blocks' shapes when n or m is 0
                    adjacency = sparse.csr_matrix((n + m, n + m))
                self._betweenness = betweenness(adjacency)
            return self._betweenness

    def partition(self) -> Partition:
        with self._lock:
            if self._partition is None:
                self._partition = communities(self.similarity)
            return self._partition

    # -- lookups ---------------------------------------------------------------------------------
    def role(self, role_id: str, field_name: str = "role") -> int:
        check_slug(role_id, "role id", field=field_name)
        if role_id not in self.role_index:
            raise NotFound(f"unknown role: {role_id}")
        return self.role_index[role_id]

    def role_items(self, row: int, kind: str) -> frozenset[str]:
        cols = self.incidence.indices[self.incidence.indptr[row] : self.incidence.indptr[row + 1]]
        return frozenset(self.items[j].id for j in cols if self.items[j].kind == kind)

    @functools.cached_property
    def roles_with(self) -> dict[str, int]:
        """Item id -> how many roles link it."""
        counts = np.asarray(self.incidence.sum(axis=0)).ravel()
        return {item.id: int(count) for item, count in zip(self.items, counts, strict=True)}

    @functools.cached_property
    def tool_kinds(self) -> dict[str, str]:
        return {item.id: item.tool_kind for item in self.items if item.tool_kind}

    @functools.cached_property
    def nodes(self) -> dict[str, str]:
        """Item id -> view node id."""
        return {item.id: item.node for item in self.items}

    # -- per-answer helpers (kept here: they are numpy work) -------------------------------------
    def kind_counts(self, columns: IntArray) -> dict[str, int]:
        """How many of the similarity columns ``columns`` are skills and how many tools."""
        per_kind = np.bincount(self.feature_kinds[columns], minlength=len(FEATURE_KINDS)).tolist()
        return dict(zip(FEATURE_KINDS, per_kind, strict=True))

    @functools.cached_property
    def item_reach(self) -> list[tuple[int, int]]:
        """Per item: how many roles link it, and how many communities those roles belong to (once per model:
        the communities are fixed for it)."""
        labels = self.partition().labels
        by_column = sparse.csc_matrix(self.incidence)
        reach = []
        for j, item in enumerate(self.items):
            members = by_column.indices[by_column.indptr[j] : by_column.indptr[j + 1]]
            reach.append((self.roles_with[item.id], len(set(labels[members].tolist()))))
        return reach

    def community_members(self) -> list[IntArray]:
        """The role rows of each community, community 0 first."""
        labels = self.partition().labels
        return [np.flatnonzero(labels == number) for number in range(int(labels.max()) + 1 if len(labels) else 0)]

    def typical_items(self, members: IntArray, limit: int) -> list[tuple[int, float, float, float]]:
        """The items most characteristic of the roles ``members`` (see :func:`characteristic_items`)."""
        return characteristic_items(self.incidence, members, limit)
