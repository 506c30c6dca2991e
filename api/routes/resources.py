"""Linked data: every instance IRI under the base answers with its description when asked over HTTP.

``GET /role/ai-engineer`` describes ``{base}role/ai-engineer``: Turtle by default, JSON-LD, N-Triples or
RDF/XML by ``Accept``, and an HTML page for a browser. When ``ROLEGRAPH_BASE_IRI`` points at this service,
the graph's IRIs resolve.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from api.deps import GraphDep
from api.errors import error_responses
from api.negotiate import best_match, prefers_html
from graph.formats import RDF_FORMATS
from graph.namespaces import NODE_TYPES, PREFIXES

router = APIRouter(tags=["linked data"])

#: The instance types whose IRIs resolve here (the first path segment).
RESOLVABLE = tuple(t for t in NODE_TYPES if t != "graph")  # named graphs are served by /store
OFFERS = [s.media_type for s in RDF_FORMATS.values() if not s.dataset]


def _short(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _page(graph: GraphDep, iri: str, rows: list[dict[str, str | None]]) -> str:
    base = graph.iris.base

    def link(value: str) -> str:
        href = "/" + value[len(base) :] if value.startswith(base) else value
        return f'<a href="{html.escape(href)}">{html.escape(_short(value))}</a>'

    title = next(
        (
            r["value"]
            for r in rows
            if r["direction"] == "out" and r["property"] and r["property"].endswith(("#label", "#prefLabel"))
        ),
        iri,
    )
    body = []
    for direction, heading in (("out", "Properties"), ("in", "Referenced by")):
        items = [r for r in rows if r["direction"] == direction]
        if not items:
            continue
        body.append(f"<h2>{heading}</h2><table><tr><th>property</th><th>value</th></tr>")
        for r in items:
            value = r["value"] or ""
            shown = link(value) if r["is_iri"] else html.escape(value)
            if r["is_iri"] and r["label"]:
                shown += f" <span class=label>{html.escape(r['label'])}</span>"
            body.append(f"<tr><td>{link(r['property'] or '')}</td><td>{shown}</td></tr>")
        body.append("</table>")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>'
        f"{html.escape(title or iri)} · rolegraph</title>"
        '<link rel="stylesheet" href="/static/rolegraph.css"></head><body>'
        '<header><h1><a href="/">rolegraph</a> · resource</h1>'
        '<nav><a href="/sparql">SPARQL</a> <a href="/viz">Explore</a></nav></header>'
        f'<main class="resource"><h1>{html.escape(title or iri)}</h1><p><code>{html.escape(iri)}</code></p>'
        + "".join(body)
        + "</main></body></html>"
    )


def describe(request: Request, graph: GraphDep, path: str) -> Response:
    iri = graph.resource_iri(path)
    accept = request.headers.get("accept")
    if prefers_html(accept):
        return HTMLResponse(_page(graph, iri.value, graph.describe_rows(iri)))
    media = best_match(accept, OFFERS) or OFFERS[0]
    syntax = next(s for s in RDF_FORMATS.values() if s.media_type == media)
    return Response(graph.describe(iri, syntax), media_type=syntax.media_type, headers={"Vary": "Accept"})


def _route_for(node_type: str) -> Callable[[Request, GraphDep, str], Response]:
    def route(request: Request, graph: GraphDep, rest: str) -> Response:
        return describe(request, graph, f"{node_type}/{rest}")

    return route


for _node_type in RESOLVABLE:
    router.add_api_route(
        f"/{_node_type}/{{rest:path}}",
        _route_for(_node_type),
        methods=["GET"],
        summary=f"Describe a {_node_type} (linked data)",
        response_class=Response,
        name=f"describe_{_node_type}",
        responses={
            200: {"content": {media: {} for media in [*OFFERS, "text/html"]}},
            **error_responses(404, 422),
        },
    )
