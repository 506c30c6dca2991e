"""The body of a SPARQL worker process: it holds an in-memory copy of the graph and answers queries.

Queries from users run here, not in the server process, so that a runaway query can be stopped by ending
the process: the core it burns is freed at once, and the server keeps its own store untouched. The module
imports only pyoxigraph, so a worker starts fast.

Messages (tuples through a ``multiprocessing`` pipe):
    ("load", version, nquads)                       -> ("loaded", version, quad count)
    ("query", text, format name, kind, max_rows,
              default graphs | None, named graphs | None) -> ("ok", form, body) | ("error", code, message)
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

RESULTS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPHS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "xml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
}


class RowLimitExceeded(Exception):
    pass


def answer(
    store: ox.Store,
    text: str,
    results_format: str,
    graph_format: str,
    max_rows: int,
    default_graphs: list[str] | None,
    named_graphs: list[str] | None,
    prefixes: dict[str, str],
) -> tuple[str, bytes]:
    """Run one query; returns (form, body) with form one of select, ask, graph."""
    options: dict[str, Any] = {"prefixes": prefixes}
    if default_graphs is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    else:
        options["use_default_graph_as_union"] = True
    if named_graphs is not None:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    result = store.query(text, **options)
    if isinstance(result, ox.QueryBoolean):
        return "ask", _bytes(result.serialize(format=RESULTS[results_format]))
    if isinstance(result, ox.QuerySolutions):
        # TSV puts one solution on one line: counting lines enforces the row cap without parsing.
        tsv = _bytes(result.serialize(format=ox.QueryResultsFormat.TSV))
        rows = tsv.count(b"\n") - 1
        if rows > max_rows:
            raise RowLimitExceeded(f"the query returns {rows} rows, more than the limit of {max_rows}")
        if results_format == "tsv":
            return "select", tsv
        reparsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
        assert isinstance(reparsed, ox.QuerySolutions)
        return "select", _bytes(reparsed.serialize(format=RESULTS[results_format]))
    nt = _bytes(result.serialize(format=ox.RdfFormat.N_TRIPLES))
    triples = nt.count(b"\n")
    if triples > max_rows:
        raise RowLimitExceeded(f"the query returns {triples} triples, more than the limit of {max_rows}")
    if graph_format == "nt":
        return "graph", nt
    parsed = ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)
    return "graph", _bytes(ox.serialize(parsed, format=GRAPHS[graph_format], prefixes=prefixes))


def _bytes(data: bytes | None) -> bytes:
    return data or b""


def serve(conn: Connection, prefixes: dict[str, str]) -> None:
    """The worker's loop: one message in, one answer out, until the pipe closes."""
    store = ox.Store()
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message[0] == "load":
            _, version, nquads = message
            store = ox.Store()
            store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
            conn.send(("loaded", version, len(store)))
        elif message[0] == "query":
            _, text, results_format, graph_format, max_rows, default_graphs, named_graphs = message
            try:
                form, body = answer(
                    store, text, results_format, graph_format, max_rows, default_graphs, named_graphs, prefixes
                )
                conn.send(("ok", form, body))
            except SyntaxError as exc:
                conn.send(("error", "syntax", str(exc)))
            except RowLimitExceeded as exc:
                conn.send(("error", "rows", str(exc)))
            except (OSError, ValueError, RuntimeError) as exc:
                conn.send(("error", "evaluation", str(exc)))
