"""``/sparql``: the SPARQL 1.1 Protocol for queries, a service description, and the query page for browsers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse
from pyoxigraph import NamedNode, Quad, serialize
from starlette.concurrency import run_in_threadpool

from api.errors import error_responses
from api.negotiate import best_match, check_xml, prefers_html
from api.pages import query_page
from graph.errors import InvalidQuery
from graph.formats import RDF_FORMATS, RESULTS_FORMATS, W3C_FORMATS
from graph.namespaces import RDF
from graph.sparql import SparqlService

router = APIRouter(tags=["sparql"])

SD = "http://www.w3.org/ns/sparql-service-description#"
FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
RESULT_OFFERS = [s.media_type for s in RESULTS_FORMATS.values()] + [
    a for s in RESULTS_FORMATS.values() for a in s.aliases
]
GRAPH_OFFERS = [s.media_type for s in RDF_FORMATS.values()]
#: A query answers in a results format (SELECT, ASK) or a graph format (CONSTRUCT, DESCRIBE); or it is refused.
QUERY_RESPONSES = {
    200: {"content": {m: {} for m in RESULT_OFFERS + GRAPH_OFFERS}},
    **error_responses(400, 413, 429),
}


def get_sparql(request: Request) -> SparqlService:
    service: SparqlService = request.app.state.sparql
    return service


SparqlDep = Annotated[SparqlService, Depends(get_sparql)]
GraphUris = Annotated[list[str] | None, Query(alias="default-graph-uri")]
NamedGraphUris = Annotated[list[str] | None, Query(alias="named-graph-uri")]


def _results_format(accept: str | None) -> str:
    media = best_match(accept, RESULT_OFFERS) or RESULT_OFFERS[0]
    return next(s.name for s in RESULTS_FORMATS.values() if media == s.media_type or media in s.aliases)


def _graph_format(accept: str | None) -> str:
    media = best_match(accept, GRAPH_OFFERS) or GRAPH_OFFERS[0]
    return next(s.name for s in RDF_FORMATS.values() if media == s.media_type)


#: Short names some clients send as ``format``/``output`` (SPARQLWrapper does) -> an equivalent Accept.
SHORT_FORMATS = {
    "json": "application/sparql-results+json, application/ld+json",
    "xml": "application/sparql-results+xml, application/rdf+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "n3": "text/turtle",
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
    "trig": "application/trig",
}


def _format_as_accept(value: str | None) -> str | None:
    if not value:
        return None
    return SHORT_FORMATS.get(value.strip().lower(), value)


def _answer(
    service: SparqlService,
    accept: str | None,
    query: str | None,
    default_graphs: list[str] | None,
    named_graphs: list[str] | None,
) -> Response:
    if not query or not query.strip():
        raise InvalidQuery("no query: give it as the 'query' parameter or as an application/sparql-query body")
    results, graph = _results_format(accept), _graph_format(accept)
    answer = service.run(query, results, graph, default_graphs or None, named_graphs or None)
    media = RDF_FORMATS[graph].media_type if answer.form == "graph" else RESULTS_FORMATS[results].media_type
    charset = "" if media.endswith("+xml") or "xml" in media else "; charset=utf-8"
    body = check_xml(answer.body, media, "accept")
    return Response(body, media_type=media + charset, headers={"Vary": "Accept"})


def service_description(request: Request, accept: str | None) -> Response:
    endpoint = NamedNode(str(request.url_for("sparql_get")))
    sd = {
        name: NamedNode(SD + name) for name in ("Service", "SPARQL11Query", "UnionDefaultGraph", "BasicFederatedQuery")
    }
    triples = [
        Quad(endpoint, NamedNode(RDF + "type"), sd["Service"]),
        Quad(endpoint, NamedNode(SD + "endpoint"), endpoint),
        Quad(endpoint, NamedNode(SD + "supportedLanguage"), sd["SPARQL11Query"]),
        Quad(endpoint, NamedNode(SD + "feature"), sd["UnionDefaultGraph"]),
    ]
    for w3c in [s.w3c for s in RESULTS_FORMATS.values()] + [s.w3c for s in RDF_FORMATS.values()]:
        triples.append(Quad(endpoint, NamedNode(SD + "resultFormat"), NamedNode(W3C_FORMATS + w3c)))
    graph = _graph_format(accept)
    body = serialize([q.triple for q in triples], format=RDF_FORMATS[graph].format, prefixes={"sd": SD}) or b""
    return Response(body, media_type=RDF_FORMATS[graph].media_type, headers={"Vary": "Accept"})


@router.get(
    "/sparql",
    name="sparql_get",
    summary="SPARQL 1.1 query (GET)",
    responses={**QUERY_RESPONSES, 200: {"content": {m: {} for m in RESULT_OFFERS + GRAPH_OFFERS + ["text/html"]}}},
)
def sparql_get(
    request: Request,
    service: SparqlDep,
    query: Annotated[str | None, Query(description="the SPARQL query")] = None,
    default_graphs: GraphUris = None,
    named_graphs: NamedGraphUris = None,
    format: Annotated[
        str | None,
        Query(max_length=100, description="a media type or short name (csv, json, ...) that overrides Accept"),
    ] = None,
    output: Annotated[str | None, Query(max_length=100, description="the same as format")] = None,
) -> Response:
    """Without ``query``: the query page for a browser, the service description for anything else."""
    accept = _format_as_accept(format or output) or request.headers.get("accept")
    if query is None:
        if prefers_html(accept):
            return HTMLResponse(query_page(request.app.state.settings.base_iri))
        return service_description(request, accept)
    return _answer(service, accept, query, default_graphs, named_graphs)


@router.post(
    "/sparql",
    summary="SPARQL 1.1 query (POST, form-encoded or application/sparql-query)",
    responses=QUERY_RESPONSES,
    openapi_extra={
        "requestBody": {
            "content": {
                QUERY_TYPE: {"schema": {"type": "string"}},
                FORM_TYPE: {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "query": {"type": "string"},
                            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                        },
                        "required": ["query"],
                    }
                },
            },
            "required": True,
        }
    },
)
async def sparql_post(
    request: Request, service: SparqlDep, default_graphs: GraphUris = None, named_graphs: NamedGraphUris = None
) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == QUERY_TYPE:
        query = (await request.body()).decode("utf-8", errors="replace")
    elif content_type == FORM_TYPE:
        form = await request.form()
        query = str(form.get("query") or "")
        if form.get("update"):
            raise InvalidQuery("this endpoint answers queries only: send SPARQL updates to /sparql/update")
        default_graphs = [str(v) for v in form.getlist("default-graph-uri")] or default_graphs
        named_graphs = [str(v) for v in form.getlist("named-graph-uri")] or named_graphs
    else:
        raise InvalidQuery(f"POST a query as {FORM_TYPE} or {QUERY_TYPE}, not {content_type or 'no content type'}")
    # The query runs in a worker process; wait for it off the event loop.
    accept = request.headers.get("accept")
    return await run_in_threadpool(_answer, service, accept, query, default_graphs, named_graphs)
