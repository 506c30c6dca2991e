"""Writes over the standard protocols, behind the bearer token: SPARQL 1.1 Update at ``/sparql/update`` and
the SPARQL 1.1 Graph Store HTTP Protocol at ``/store`` (``?default`` or ``?graph=IRI``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pyoxigraph import DefaultGraph, NamedNode, Quad, parse, serialize
from starlette.concurrency import run_in_threadpool

from api.auth import WriteAccess
from api.deps import GraphDep, SettingsDep
from api.errors import error_responses
from api.negotiate import best_match
from api.routes.documents import read_capped
from graph.errors import InvalidQuery, InvalidRequest, NotFound
from graph.formats import RDF_FORMATS, rdf_format_for_media_type
from graph.namespaces import PREFIXES
from graph.sparql_text import add_using, has_keyword

router = APIRouter(tags=["writes"])

UPDATE_TYPE = "application/sparql-update"
FORM_TYPE = "application/x-www-form-urlencoded"
TRIPLE_OFFERS = [s.media_type for s in RDF_FORMATS.values() if not s.dataset]
DATASET_OFFERS = [s.media_type for s in RDF_FORMATS.values() if s.dataset]


def _iri(value: str, field: str) -> NamedNode:
    try:
        return NamedNode(value)
    except ValueError as exc:
        raise InvalidRequest(f"{value[:80]!r} is not an absolute IRI", field=field) from exc


@router.post(
    "/sparql/update",
    status_code=204,
    summary="SPARQL 1.1 Update (needs the bearer token)",
    responses=error_responses(400, 401, 403, 413, 422, 503),
)
async def sparql_update(
    request: Request,
    graph: GraphDep,
    settings: SettingsDep,
    _: WriteAccess,
    using: Annotated[list[str] | None, Query(alias="using-graph-uri")] = None,
    using_named: Annotated[list[str] | None, Query(alias="using-named-graph-uri")] = None,
) -> Response:
    """The whole request is one transaction. ``LOAD`` (which fetches from the network) is refused unless
    federation is enabled."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == UPDATE_TYPE:
        text = (await read_capped(request, settings.max_update_bytes)).decode("utf-8", errors="replace")
    elif content_type == FORM_TYPE:
        form = await request.form()
        text = str(form.get("update") or "")
        using = [str(v) for v in form.getlist("using-graph-uri")] or using
        using_named = [str(v) for v in form.getlist("using-named-graph-uri")] or using_named
    else:
        raise InvalidQuery(f"POST an update as {UPDATE_TYPE} or {FORM_TYPE}, not {content_type or 'nothing'}")
    if not text.strip():
        raise InvalidQuery("no update: send it as the request body or the 'update' form field")
    if not settings.allow_service and has_keyword(text, "LOAD"):
        raise InvalidQuery("LOAD (fetching data from the network) is disabled on this endpoint")
    for iri in [*(using or []), *(using_named or [])]:
        _iri(iri, "using-graph-uri")
    try:
        text = add_using(text, using or [], using_named or [])
    except ValueError as exc:
        raise InvalidQuery(str(exc)) from exc
    await run_in_threadpool(graph.store.update, text)
    return Response(status_code=204)


def _target(default: str | None, graph_iri: str | None) -> NamedNode | DefaultGraph:
    if (default is None) == (graph_iri is None):
        raise InvalidRequest("name exactly one graph: ?default or ?graph=IRI", field="graph")
    return DefaultGraph() if graph_iri is None else _iri(graph_iri, "graph")


DefaultParam = Annotated[str | None, Query(description="the default graph (no value)")]
GraphParam = Annotated[str | None, Query(alias="graph", description="a named graph's IRI")]


@router.get(
    "/store",
    summary="Graph Store Protocol: read a graph (or the whole dataset)",
    response_class=Response,
    responses={200: {"content": {m: {} for m in TRIPLE_OFFERS + DATASET_OFFERS}}, **error_responses(404, 422)},
)
def store_get(
    request: Request, graph: GraphDep, default: DefaultParam = None, graph_iri: GraphParam = None
) -> Response:
    accept = request.headers.get("accept")
    if default is None and graph_iri is None:
        media = best_match(accept, DATASET_OFFERS) or DATASET_OFFERS[0]
        syntax = next(s for s in RDF_FORMATS.values() if s.media_type == media)
        return Response(graph.store.export(syntax), media_type=media)
    target = _target(default, graph_iri)
    if isinstance(target, NamedNode) and not graph.store.has_graph(target):
        raise NotFound(f"no graph {target.value}")
    media = best_match(accept, TRIPLE_OFFERS) or TRIPLE_OFFERS[0]
    syntax = next(s for s in RDF_FORMATS.values() if s.media_type == media)
    body = serialize(graph.store.graph_triples(target), format=syntax.format, prefixes=PREFIXES) or b""
    return Response(body, media_type=media)


@router.head("/store", include_in_schema=False)
def store_head(
    request: Request, graph: GraphDep, default: DefaultParam = None, graph_iri: GraphParam = None
) -> Response:
    response = store_get(request, graph, default, graph_iri)
    return Response(
        status_code=response.status_code,
        media_type=response.media_type,
        headers={"Content-Length": str(len(response.body))},
    )


async def _read_rdf(request: Request, limit: int) -> list[Quad]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    syntax = rdf_format_for_media_type(content_type)
    if syntax is None or syntax.dataset:
        raise InvalidRequest(
            f"send a graph as one of {', '.join(TRIPLE_OFFERS)}, not {content_type or 'nothing'}", field="content-type"
        )
    data = await read_capped(request, limit)
    try:
        return list(parse(data, format=syntax.format, base_iri=str(request.url)))
    except SyntaxError as exc:
        raise InvalidRequest(f"the {syntax.name} body does not parse: {exc}", field="body") from exc


async def _write_graph(
    request: Request, graph: GraphDep, settings: SettingsDep, replace: bool, default: str | None, graph_iri: str | None
) -> Response:
    """PUT replaces a graph, POST adds to it; both in one transaction. 201 when the graph is new, else 204."""
    target = _target(default, graph_iri)
    triples = await _read_rdf(request, settings.max_update_bytes)
    existed = isinstance(target, DefaultGraph) or graph.store.has_graph(target)
    write = graph.store.replace_graph if replace else graph.store.merge_into_graph
    await run_in_threadpool(write, target, triples)
    return Response(status_code=204 if existed else 201)


@router.put("/store", summary="Graph Store Protocol: replace a graph (needs the bearer token)")
async def store_put(
    request: Request,
    graph: GraphDep,
    settings: SettingsDep,
    _: WriteAccess,
    default: DefaultParam = None,
    graph_iri: GraphParam = None,
) -> Response:
    return await _write_graph(request, graph, settings, True, default, graph_iri)


@router.post("/store", summary="Graph Store Protocol: add to a graph (needs the bearer token)")
async def store_post(
    request: Request,
    graph: GraphDep,
    settings: SettingsDep,
    _: WriteAccess,
    default: DefaultParam = None,
    graph_iri: GraphParam = None,
) -> Response:
    return await _write_graph(request, graph, settings, False, default, graph_iri)


@router.delete(
    "/store",
    status_code=204,
    response_class=Response,
    summary="Graph Store Protocol: remove a graph (needs the bearer token)",
    responses=error_responses(401, 403, 404, 422),
)
def store_delete(
    graph: GraphDep, _: WriteAccess, default: DefaultParam = None, graph_iri: GraphParam = None
) -> Response:
    target = _target(default, graph_iri)
    if isinstance(target, NamedNode) and not graph.store.has_graph(target):
        raise NotFound(f"no graph {target.value}")
    graph.store.drop_graph(target)
    return Response(status_code=204)
