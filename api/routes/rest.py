"""The JSON API for the questions people ask: roles, items, shared, compare, search, nodes, export.

Routes answered from the in-memory index (shared, compare, roles, items) are ``async``: they never wait on
I/O, and skipping the thread pool is most of their cost (their dependency rebuilds a stale index in the pool
first). Routes that read the store or build per-version data on first use (export, search, nodes) stay plain
functions, run in the thread pool.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response

from api.deps import GraphDep, IndexedGraphDep
from api.errors import error_responses
from api.negotiate import check_xml
from graph.formats import RDF_FORMATS
from graph.namespaces import SLUG
from graph.questions import RoleGraph

router = APIRouter(prefix="/api", tags=["api"])

#: Routes that name a role or node answer 404 when it is not in the graph.
NOT_FOUND = error_responses(404)
ItemKind = Literal["tool", "skill", "use-case", "industry", "responsibility-area"]
ExportFormat = Literal["turtle", "nt", "xml", "jsonld", "trig", "nq"]
SLUG_PATTERN = SLUG.pattern
RoleId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=200, examples=["ai-engineer"])]
RoleFilter = Annotated[str | None, Query(pattern=SLUG_PATTERN, max_length=200, description="only this role's items")]


@router.get("/health", summary="Liveness: the app answers")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/roles", summary="Every role")
async def list_roles(graph: IndexedGraphDep) -> list[dict[str, Any]]:
    """Every role with its label, source document and tool/skill counts."""
    return graph.roles()


@router.get("/roles/{role_id}", summary="One role and everything it links to", responses=NOT_FOUND)
async def get_role(graph: IndexedGraphDep, role_id: RoleId) -> dict[str, Any]:
    """A role's responsibilities, skills, tools, use cases, industries and responsibility areas."""
    return graph.role(role_id)


def _items(graph: RoleGraph, kind: str, role: str | None, tool_kind: str | None = None) -> list[dict[str, Any]]:
    return [item.as_json() for item in graph.items(kind, role_id=role, tool_kind=tool_kind)]


@router.get("/tools", summary="Tools (technologies)", responses=NOT_FOUND)
async def list_tools(
    graph: IndexedGraphDep,
    role: RoleFilter = None,
    kind: Annotated[str | None, Query(pattern=SLUG_PATTERN, max_length=60, examples=["programming-language"])] = None,
    used: Annotated[bool, Query(description="only tools at least one role uses")] = False,
) -> list[dict[str, Any]]:
    """Every tool in the vocabulary (or one role's), filterable by tool kind."""
    items = _items(graph, "tool", role, kind)
    return [i for i in items if i.get("roles", 1)] if used else items


@router.get("/skills", summary="Skills", responses=NOT_FOUND)
async def list_skills(graph: IndexedGraphDep, role: RoleFilter = None) -> list[dict[str, Any]]:
    return _items(graph, "skill", role)


@router.get("/industries", summary="Industries", responses=NOT_FOUND)
async def list_industries(graph: IndexedGraphDep, role: RoleFilter = None) -> list[dict[str, Any]]:
    return _items(graph, "industry", role)


@router.get("/use-cases", summary="Use cases", responses=NOT_FOUND)
async def list_use_cases(graph: IndexedGraphDep, role: RoleFilter = None) -> list[dict[str, Any]]:
    return _items(graph, "use-case", role)


@router.get(
    "/shared",
    summary="Items shared by every given role",
    responses={
        **NOT_FOUND,
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "roles": ["ai-engineer", "deep-learning-engineer", "data-engineer"],
                        "kind": "tool",
                        "items": [{"id": "python", "label": "Python", "kind": "programming-language"}],
                    }
                }
            }
        },
    },
)
async def shared(
    graph: IndexedGraphDep,
    kind: ItemKind = "tool",
    role: Annotated[list[str] | None, Query(max_length=500, description="role ids (repeat); none: all")] = None,
) -> dict[str, Any]:
    """The items of one kind linked to every given role (all roles when none is given)."""
    return graph.shared(kind, role or None).as_json()


@router.get("/compare", summary="What two roles share, and what one lacks to become the other", responses=NOT_FOUND)
async def compare(
    graph: IndexedGraphDep,
    from_role: Annotated[str, Query(alias="from", pattern=SLUG_PATTERN, max_length=200, examples=["data-engineer"])],
    to_role: Annotated[
        str, Query(alias="to", pattern=SLUG_PATTERN, max_length=200, examples=["deep-learning-engineer"])
    ],
) -> dict[str, Any]:
    """Per kind: ``shared``, ``only_from`` and ``to_learn`` (what ``to`` needs that ``from`` lacks)."""
    return graph.compare(from_role, to_role).as_json()


@router.get("/search", summary="Find roles and items by label or alias")
def search(
    graph: GraphDep,
    q: Annotated[str, Query(min_length=1, max_length=200, examples=["spark"])],
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[dict[str, Any]]:
    return graph.search(q, limit)


@router.get("/nodes/{node_id}", summary="A role or item and its neighbours", responses=NOT_FOUND)
def node(
    graph: GraphDep,
    node_id: Annotated[str, Path(pattern=SLUG_PATTERN, max_length=200, examples=["python"])],
    depth: Annotated[int, Query(ge=0, le=3)] = 1,
) -> dict[str, Any]:
    return graph.node(node_id, depth)


@router.get(
    "/export",
    summary="The whole graph as RDF",
    response_class=Response,
    responses={200: {"content": {s.media_type: {} for s in RDF_FORMATS.values()}}},
)
def export(graph: GraphDep, format: ExportFormat = "turtle") -> Response:
    syntax = RDF_FORMATS[format]
    return Response(
        check_xml(graph.export(syntax), syntax.media_type, "format"),
        media_type=syntax.media_type,
        headers={"Content-Disposition": f'attachment; filename="rolegraph.{syntax.extension}"'},
    )
