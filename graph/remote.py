"""A store behind any SPARQL 1.1 Query + Update endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso, Neptune).

Only the standard protocols are used: queries by POST (``application/sparql-query``), updates by POST
(``application/sparql-update``), the union of the named graphs by listing them as ``default-graph-uri``.
Results come back as SPARQL JSON / N-Triples and are parsed by pyoxigraph, so callers get the same types
as from the embedded store. Variable substitutions become a ``VALUES`` block at the top of the query's
``WHERE`` clause, with each term written in its N-Triples form.

>>> inject_values("SELECT ?x WHERE { ?x ?p ?o }", {"p": NamedNode("urn:p")})
'SELECT ?x WHERE { VALUES (?p) { (<urn:p>) } ?x ?p ?o }'
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from typing import Any

import httpx
from pyoxigraph import (
    DefaultGraph,
    NamedNode,
    Quad,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
    serialize,
)

from graph.errors import InvalidQuery, StoreError
from graph.formats import RdfSyntax
from graph.namespaces import PREFIXES
from graph.sparql_text import blank_opaque, query_form
from graph.store import GraphStore, QueryResult, Term, TripleList

_WHERE = re.compile(r"\bWHERE\s*\{", re.I)
_PROLOGUE = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())
#: How long the list of named graphs (the union default graph) is trusted without our own writes.
GRAPH_LIST_TTL = 5.0


def inject_values(query: str, substitutions: Mapping[str, Term]) -> str:
    """Bind variables by a ``VALUES`` block opening the first ``WHERE`` group (for endpoints without
    SEP-0007 substitutions). The terms' N-Triples forms are escaped, so no value can change the query."""
    if not substitutions:
        return query
    match = _WHERE.search(blank_opaque(query))
    if match is None:
        raise InvalidQuery("a query with bound values needs a WHERE clause")
    names = " ".join(f"?{name}" for name in substitutions)
    values = " ".join(str(term) for term in substitutions.values())
    block = f" VALUES ({names}) {{ ({values}) }}"
    return query[: match.end()] + block + query[match.end() :]


class RemoteStore(GraphStore):
    """A :class:`GraphStore` over HTTP."""

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        auth: tuple[str, str] | None = None,
        token: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        super().__init__()
        self.query_url = query_url
        self.update_url = update_url or _default_update_url(query_url)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._client = httpx.Client(auth=auth, headers=headers, timeout=timeout)
        self._graphs: tuple[int, float, list[NamedNode]] | None = None

    def close(self) -> None:
        self._client.close()

    # -- HTTP ------------------------------------------------------------------------------------
    def _post(self, url: str, body: str, content_type: str, accept: str, params: list[tuple[str, str]]) -> bytes:
        try:
            response = self._client.post(
                url,
                content=body.encode("utf-8"),
                params=tuple(params),
                headers={"Content-Type": content_type, "Accept": accept},
            )
        except httpx.HTTPError as exc:
            raise StoreError(f"the remote store at {url} is unreachable: {exc}") from exc
        if response.status_code == 400:
            raise InvalidQuery(f"the remote store refused the request: {response.text[:500]}")
        if response.status_code >= 300:
            raise StoreError(f"the remote store at {url} answered {response.status_code}: {response.text[:300]}")
        return response.content

    def _union_graphs(self) -> list[NamedNode]:
        now = time.monotonic()
        if self._graphs is None or self._graphs[0] != self.version or now - self._graphs[1] > GRAPH_LIST_TTL:
            self._graphs = (self.version, now, self._list_graphs())
        return self._graphs[2]

    def _list_graphs(self) -> list[NamedNode]:
        body = self._post(
            self.query_url,
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "application/sparql-query",
            "application/sparql-results+json",
            [],
        )
        solutions = parse_query_results(body, format=QueryResultsFormat.JSON)
        assert isinstance(solutions, QuerySolutions)
        graphs = [row["g"] for row in solutions]
        return sorted((g for g in graphs if isinstance(g, NamedNode)), key=lambda g: g.value)

    # -- GraphStore ------------------------------------------------------------------------------
    def query(
        self,
        sparql: str,
        substitutions: Mapping[str, Term] | None = None,
        *,
        default_graph: list[NamedNode] | None = None,
        named_graphs: list[NamedNode] | None = None,
    ) -> QueryResult:
        text = _PROLOGUE + inject_values(sparql, substitutions or {})
        # Naming default graphs in the protocol also limits the named graphs to those listed: list them all.
        every = self._union_graphs()
        defaults = default_graph if default_graph is not None else every
        params = [("default-graph-uri", g.value) for g in defaults]
        params += [("named-graph-uri", g.value) for g in (named_graphs if named_graphs is not None else every)]
        if not defaults:  # an empty store: no graph to take the union of
            params.append(("default-graph-uri", "urn:rolegraph:empty"))
        graph_result = query_form(sparql) in ("CONSTRUCT", "DESCRIBE")
        accept = "application/n-triples" if graph_result else "application/sparql-results+json"
        body = self._post(self.query_url, text, "application/sparql-query", accept, params)
        try:
            if graph_result:
                return TripleList(q.triple for q in parse(body, format=RdfFormat.N_TRIPLES))
            return parse_query_results(body, format=QueryResultsFormat.JSON)
        except SyntaxError as exc:
            raise StoreError(f"the remote store sent results that do not parse: {exc}") from exc

    def named_graphs(self) -> list[NamedNode]:
        return self._list_graphs()

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        value = rows[0]["n"]
        return int(value.value) if value is not None else 0

    def is_empty(self) -> bool:
        return not bool(self.query("ASK { GRAPH ?g { ?s ?p ?o } }"))

    def export_dataset(self, syntax: RdfSyntax) -> bytes:
        rows = self.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        quads = [Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]
        return serialize(quads, format=syntax.format) or b""

    def graph_triples(self, graph: NamedNode | DefaultGraph) -> list[Triple]:
        if isinstance(graph, NamedNode):
            # str(NamedNode) is the IRI in N-Triples form, validated by its constructor.
            return self.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
        body = self._post(
            self.query_url, "CONSTRUCT WHERE { ?s ?p ?o }", "application/sparql-query", "application/n-triples", []
        )  # no dataset: the endpoint's own default graph
        return [q.triple for q in parse(body, format=RdfFormat.N_TRIPLES)]

    def update(self, sparql: str) -> None:
        try:
            self._post(self.update_url, _PROLOGUE + sparql, "application/sparql-update", "*/*", [])
        finally:
            self.version += 1  # after the write (see OxigraphStore.update)


def _default_update_url(query_url: str) -> str:
    """Oxigraph and Fuseki name their endpoints .../query and .../update."""
    return query_url[: -len("query")] + "update" if query_url.endswith("/query") else query_url


def remote_store_from_settings(settings: Any) -> RemoteStore:
    password = settings.store_password.get_secret_value() if settings.store_password else ""
    auth = (settings.store_user, password) if settings.store_user else None
    token = settings.store_token.get_secret_value() if settings.store_token else None
    return RemoteStore(settings.store_url, settings.store_update_url, auth, token, settings.store_timeout)
