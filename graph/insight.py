"""Beyond lookup: similar roles, learning paths, bridging items and communities of roles.

Every answer comes from one in-memory model (:class:`graph.insight_model.InsightModel`) built from the
NetworkX projection (``RoleGraph.projection()``) and the role index, once per store version, like the
projection itself: a sparse role x item matrix (:mod:`graph.similarity`), the skill taxonomy and tool
platforms (:mod:`graph.paths`), and, computed on first use, betweenness and Louvain communities
(:mod:`graph.communities`). No request re-aggregates in SPARQL. This module holds no numpy: the model's
module (and numpy, scipy, networkx) loads with the first insight question, not when the service starts.

The CLI (``rolegraph similar | path | bridges | communities``) and the REST API
(``/api/roles/{id}/similar``, ``/api/similarity``, ``/api/path``, ``/api/bridges``, ``/api/communities``,
``/api/insight/view``) both call :class:`Insight`.

>>> from graph.build import build
>>> from graph.settings import Settings
>>> store = GraphStore.in_memory()
>>> _ = build(Settings(), store)
>>> insight = Insight.of(RoleGraph(store, Settings().base_iri))
>>> [(r["id"], r["score"] > 0) for r in insight.similar("deep-learning-engineer", limit=1)]
[('ai-engineer', True)]
>>> path = insight.path("data-engineer", "deep-learning-engineer")
>>> path["nodes"][0], path["nodes"][-1], "tool/pytorch" in path["nodes"]
('role/data-engineer', 'role/deep-learning-engineer', True)
"""

from __future__ import annotations

import copy
import csv
import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from graph.errors import InvalidRequest, NotFound
from graph.namespaces import check_slug
from graph.paths import PathInputs, plan
from graph.questions import ITEM_KINDS, RoleGraph, check_kind
from graph.store import GraphStore

if TYPE_CHECKING:
    from graph.insight_model import InsightModel

#: The kinds of item similarity is computed over.
FEATURE_KINDS = ("skill", "tool")
#: Most similar roles one request may ask for.
MAX_SIMILAR = 100
#: Largest role x role matrix one request may ask for (1,000 roles: a million cells, ~8 MB of CSV).
MAX_MATRIX_ROLES = 1000
#: Items named per community, and shared items named per similar role.
COMMUNITY_ITEMS = 8
TOP_SHARED = 5
#: Role -> item relation (projection edge name) -> item kind (API name).
RELATION_KINDS = {relation: kind for kind, (_, relation, _) in ITEM_KINDS.items()}

BridgeOrder = Literal["betweenness", "roles"]


@dataclass(frozen=True)
class SimilarityTable:
    """A role x role matrix of cosine scores."""

    role_ids: list[str]
    labels: list[str]
    scores: list[list[float]]

    def as_json(self) -> dict[str, Any]:
        return {"roles": self.role_ids, "labels": self.labels, "scores": self.scores}

    def as_csv(self) -> str:
        """``role`` then one column per role id; one row per role."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["role", *self.role_ids])
        for role_id, row in zip(self.role_ids, self.scores, strict=True):
            writer.writerow([role_id, *(f"{score:.4f}" for score in row)])
        return out.getvalue()


class Insight:
    """Insight answers over one :class:`RoleGraph`, from a model rebuilt when the store changes."""

    _instances_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, graph: RoleGraph) -> None:
        self.graph = graph
        self._model: InsightModel | None = None
        self._lock = threading.Lock()
        self._pinned: InsightModel | None = None

    @classmethod
    def of(cls, graph: RoleGraph) -> Insight:
        """The one :class:`Insight` of ``graph`` (so the app and the CLI share its cached model).

        It is kept on the graph itself, not in a process-wide registry: it lives and dies with its graph
        (and the graph's store is not held open after the caller lets go of it).
        """
        with cls._instances_lock:
            insight: Insight | None = getattr(graph, "_insight", None)
            if insight is None:
                insight = cls(graph)
                graph._insight = insight  # type: ignore[attr-defined]
            return insight

    @property
    def store(self) -> GraphStore:
        return self.graph.store

    def current_model(self) -> InsightModel | None:
        """The model if it is current for the store's version (:meth:`model` would answer at once), else None."""
        if self._pinned is not None:
            return self._pinned
        model = self._model
        return model if model is not None and model.version == self.store.version else None

    def pinned(self, model: InsightModel) -> Insight:
        """These answers from ``model`` whatever writes land meanwhile (see :meth:`RoleGraph.pinned`)."""
        view = copy.copy(self)
        view._pinned = model
        return view

    def model(self) -> InsightModel:
        """The model for the store's current version (built at most once per version, even under load)."""
        if self._pinned is not None:
            return self._pinned
        model = self._model
        if model is not None and model.version == self.store.version:
            return model
        with self._lock:
            if self._model is None or self._model.version != self.store.version:
                # Imported on first use: numpy, scipy and networkx take ~0.3 s to load, which a service
                # that has not been asked an insight question yet should not pay at start-up.
                from graph.insight_model import InsightModel

                self._model = InsightModel.build(self.graph)
            return self._model

    # -- similarity ------------------------------------------------------------------------------
    def similar(self, role_id: str, limit: int = 10) -> list[dict[str, Any]]:
        """The roles most similar to ``role_id``, best first: id, label, score, shared counts and top items."""
        if not 1 <= limit <= MAX_SIMILAR:
            raise InvalidRequest(f"limit must be between 1 and {MAX_SIMILAR}", field="limit")
        model = self.model()
        i = model.role(role_id)
        matrix = model.similarity
        row_i = matrix.row_vector(i)
        results = []
        for j, score in matrix.top(i, limit, row_i):
            if score <= 0:
                break  # nothing in common: not similar at all
            columns, weights = matrix.shared_items(i, j, row_i)
            counts = model.kind_counts(columns)
            top = [
                {**model.feature_json[column], "weight": round(weight / score, 4)}
                for column, weight in zip(columns[:TOP_SHARED].tolist(), weights[:TOP_SHARED].tolist(), strict=True)
            ]
            results.append(
                {
                    "id": model.role_ids[j],
                    "label": model.role_labels[j],
                    "node": model.role_nodes[j],
                    "score": round(score, 4),
                    "shared": counts,
                    "top_shared": top,
                }
            )
        return results

    def similarity(self, role_ids: Sequence[str] | None = None) -> SimilarityTable:
        """The role x role matrix of the given roles (all roles when none is given)."""
        model = self.model()
        wanted = list(dict.fromkeys(role_ids)) if role_ids else list(model.role_ids)
        for role_id in wanted:
            check_slug(role_id, "role id", field="role")
        missing = [r for r in wanted if r not in model.role_index]
        if missing:
            raise NotFound(f"unknown role(s): {', '.join(missing[:20])}")
        if len(wanted) > MAX_MATRIX_ROLES:
            raise InvalidRequest(
                f"{len(wanted)} roles: the matrix is limited to {MAX_MATRIX_ROLES} roles; pick roles with role=",
                field="role",
            )
        rows = [model.role_index[r] for r in wanted]
        scores = model.similarity.matrix(rows)
        return SimilarityTable(
            wanted,
            [model.role_labels[i] for i in rows],
            [[round(float(v), 4) for v in row] for row in scores],
        )

    # -- learning path ---------------------------------------------------------------------------
    def path(self, from_role: str, to_role: str) -> dict[str, Any]:
        """What ``from_role`` lacks to become ``to_role``, ordered to learn (see :mod:`graph.paths`)."""
        model = self.model()
        i, j = model.role(from_role, "from"), model.role(to_role, "to")
        inputs = PathInputs(
            have={kind: model.role_items(i, kind) for kind in FEATURE_KINDS},
            need={kind: model.role_items(j, kind) for kind in FEATURE_KINDS},
            essential=model.essential.get(to_role, frozenset()),
            broader=model.broader,
            part_of=model.part_of,
            roles_with=model.roles_with,
            n_roles=len(model.role_ids),
            labels=model.labels,
            tool_kinds=model.tool_kinds,
        )
        steps = plan(inputs, model.role_labels[i], model.role_labels[j])
        nodes = model.nodes
        shared = {kind: len(inputs.have[kind] & inputs.need[kind]) for kind in FEATURE_KINDS}
        score = float(model.similarity.scores(i)[j]) if i != j else 1.0
        return {
            "from": from_role,
            "to": to_role,
            "from_label": model.role_labels[i],
            "to_label": model.role_labels[j],
            "similarity": round(score, 4),
            "summary": {
                "skills": sum(s.kind == "skill" for s in steps),
                "tools": sum(s.kind == "tool" for s in steps),
                "partial": sum(s.partial for s in steps),
                "shared_skills": shared["skill"],
                "shared_tools": shared["tool"],
            },
            "steps": [{**s.as_json(), "node": nodes[s.id]} for s in steps],
            "nodes": [model.role_nodes[i], *(nodes[s.id] for s in steps), model.role_nodes[j]],
        }

    # -- bridges and communities -----------------------------------------------------------------
    def bridges(self, kind: str | None = None, limit: int = 20, by: BridgeOrder = "betweenness") -> dict[str, Any]:
        """Items ranked by betweenness on the role-item graph (or by how many roles they link)."""
        if kind is not None:
            check_kind(kind)
        if not 1 <= limit <= 500:
            raise InvalidRequest("limit must be between 1 and 500", field="limit")
        if by not in ("betweenness", "roles"):
            raise InvalidRequest("by must be betweenness or roles", field="by")
        model = self.model()
        n_roles = len(model.role_ids)
        central = model.betweenness()
        rows = []
        for j, (item, (roles, spanned)) in enumerate(zip(model.items, model.item_reach, strict=True)):
            if kind is not None and item.kind != kind:
                continue
            rows.append(
                {
                    **item.as_json(),
                    "roles": roles,
                    "share": round(roles / n_roles, 4) if n_roles else 0.0,
                    "betweenness": round(float(central.values[n_roles + j]), 6),
                    "communities": spanned,
                }
            )
        primary, secondary = ("betweenness", "roles") if by == "betweenness" else ("roles", "betweenness")
        rows.sort(key=lambda r: (-r[primary], -r[secondary], r["label"].casefold(), r["id"]))
        return {
            "kind": kind or "all",
            "by": by,
            "roles": n_roles,
            "betweenness": central.method,
            "items": rows[:limit],
        }

    def communities(self, items: int = COMMUNITY_ITEMS) -> dict[str, Any]:
        """Communities of roles (Louvain on the similarity graph), each with its roles and typical items."""
        model = self.model()
        partition = model.partition()
        groups: list[dict[str, Any]] = []
        for number, members in enumerate(model.community_members()):
            typical = model.typical_items(members, items)
            groups.append(
                {
                    "id": number,
                    "size": len(members),
                    "roles": sorted(
                        (
                            {"id": model.role_ids[i], "label": model.role_labels[i], "node": model.role_nodes[i]}
                            for i in members
                        ),
                        key=lambda r: (r["label"].casefold(), r["id"]),
                    ),
                    "items": [
                        {
                            **model.items[j].as_json(),
                            "score": round(score, 4),
                            "share": round(inside, 4),
                            "overall": round(overall, 4),
                        }
                        for j, score, inside, overall in typical
                    ],
                }
            )
        return {
            "method": partition.method,
            "modularity": None if partition.modularity is None else round(partition.modularity, 4),
            "roles": len(model.role_ids),
            "communities": groups,
            "membership": {role: int(c) for role, c in zip(model.role_ids, partition.labels, strict=True)},
        }

    # -- what the interactive view needs -----------------------------------------------------------
    def view(self, from_role: str | None = None, to_role: str | None = None) -> dict[str, Any]:
        """Overlay data for the view: each role's community (by view node id), and optionally a path.

        ``path.nodes`` runs from the starting role through the steps to the target role; ``path.edges`` are
        the target role's links to the steps (edges the view already draws).
        """
        model = self.model()
        partition = model.partition()
        summary = self.communities(items=1)
        out: dict[str, Any] = {
            "roles": {
                node: {"id": role_id, "label": label, "community": int(c)}
                for role_id, label, node, c in zip(
                    model.role_ids, model.role_labels, model.role_nodes, partition.labels, strict=True
                )
            },
            "communities": [
                {
                    "id": g["id"],
                    "size": g["size"],
                    "label": g["items"][0]["label"] if g["items"] else f"community {g['id']}",
                }
                for g in summary["communities"]
            ],
            "method": partition.method,
        }
        if (from_role is None) != (to_role is None):
            raise InvalidRequest("give both from and to for a path, or neither", field="from" if to_role else "to")
        if from_role is not None and to_role is not None:
            path = self.path(from_role, to_role)
            target = path["nodes"][-1]
            out["path"] = {
                "from": from_role,
                "to": to_role,
                "nodes": path["nodes"],
                "edges": [[target, step["node"]] for step in path["steps"]],
            }
        return out
