"""Insight routes: similar roles, the similarity matrix, learning paths, bridging items, communities.

The insight model is rebuilt on the first request after a write, which takes a noticeable time at thousands
of roles and must not hold up the event loop: ``InsightDep`` rebuilds it in the thread pool. The questions
answered from the model in well under a millisecond (similar, path) are then ``async``, which skips the
thread-pool hop that would be most of their cost; the heavier ones (the matrix, bridges, communities, the
view overlay) stay plain ``def`` and run in the pool.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response

from api.deps import InsightDep
from api.errors import error_responses
from graph.insight import COMMUNITY_ITEMS, MAX_SIMILAR
from graph.namespaces import SLUG

router = APIRouter(prefix="/api", tags=["insight"])

SLUG_PATTERN = SLUG.pattern
ItemKind = Literal["tool", "skill", "use-case", "industry", "responsibility-area"]
RoleId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=200, examples=["deep-learning-engineer"])]
FromRole = Annotated[
    str, Query(alias="from", pattern=SLUG_PATTERN, max_length=200, examples=["data-engineer"], description="start")
]
ToRole = Annotated[
    str,
    Query(alias="to", pattern=SLUG_PATTERN, max_length=200, examples=["deep-learning-engineer"], description="goal"),
]


@router.get(
    "/roles/{role_id}/similar",
    summary="The roles most similar to one role (IDF-weighted cosine over skills and tools)",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": [
                        {
                            "id": "ai-engineer",
                            "label": "AI Engineer",
                            "node": "role/ai-engineer",
                            "score": 0.2323,
                            "shared": {"skill": 40, "tool": 8},
                            "top_shared": [{"id": "keras", "label": "Keras", "kind": "tool", "weight": 0.05}],
                        }
                    ]
                }
            }
        },
        **error_responses(404, 422),
    },
)
async def similar(
    insight: InsightDep, role_id: RoleId, limit: Annotated[int, Query(ge=1, le=MAX_SIMILAR)] = 10
) -> list[dict[str, Any]]:
    """Most similar first. ``score`` is the cosine of the two roles' IDF-weighted skill and tool vectors
    (1: the same items; 0: nothing in common); ``shared`` counts the items they share per kind and
    ``top_shared`` names those that weigh most in the score (``weight``: their share of it)."""
    return insight.similar(role_id, limit)


@router.get(
    "/similarity",
    summary="The role x role similarity matrix, as JSON or CSV",
    response_model=None,
    responses={200: {"content": {"application/json": {}, "text/csv": {}}}, **error_responses(404, 422)},
)
def similarity(
    insight: InsightDep,
    format: Literal["json", "csv"] = "json",
    role: Annotated[list[str] | None, Query(max_length=1000, description="role ids (repeat); none: every role")] = None,
) -> dict[str, Any] | Response:
    """``scores[i][j]`` is the similarity of ``roles[i]`` and ``roles[j]``; at most 1,000 roles at once."""
    table = insight.similarity(role or None)
    if format == "csv":
        return Response(
            table.as_csv(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'inline; filename="similarity.csv"'},
        )
    return table.as_json()


@router.get(
    "/path", summary="What one role lacks to become another, ordered to learn", responses=error_responses(404, 422)
)
async def path(insight: InsightDep, from_role: FromRole, to_role: ToRole) -> dict[str, Any]:
    """The skills, then the tools, that ``to`` needs and ``from`` lacks. Broader skills and platforms come
    before what builds on them; partly covered steps (``partial``: ``from`` has a narrower or broader skill,
    or the same platform) come later within their group. Each step has a ``why`` and ``reason`` codes;
    ``nodes`` is the path as view node ids, from the ``from`` role through the steps to the ``to`` role."""
    return insight.path(from_role, to_role)


@router.get("/bridges", summary="Items that connect roles: betweenness on the role-item graph")
def bridges(
    insight: InsightDep,
    kind: ItemKind | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
    by: Literal["betweenness", "roles"] = "betweenness",
) -> dict[str, Any]:
    """Items ranked by betweenness centrality (or by how many roles link them); ``communities`` is how many
    communities of roles an item links."""
    return insight.bridges(kind, limit, by)


@router.get("/communities", summary="Communities of roles (Louvain) and their most characteristic items")
def communities(insight: InsightDep, items: Annotated[int, Query(ge=1, le=50)] = COMMUNITY_ITEMS) -> dict[str, Any]:
    """Louvain with a fixed seed on the roles' similarity graph (fewer than six roles: one community);
    ``membership`` maps every role id to its community."""
    return insight.communities(items)


@router.get(
    "/insight/view",
    summary="Overlay data for the interactive view: communities and a path",
    responses=error_responses(404, 422),
)
def view(
    insight: InsightDep,
    from_role: Annotated[str | None, Query(alias="from", pattern=SLUG_PATTERN, max_length=200)] = None,
    to_role: Annotated[str | None, Query(alias="to", pattern=SLUG_PATTERN, max_length=200)] = None,
) -> dict[str, Any]:
    """``roles`` maps each role's view node id (``role/ai-engineer``) to its community; with ``from`` and
    ``to``, ``path`` lists the node ids to highlight and the edges between them."""
    return insight.view(from_role, to_role)
