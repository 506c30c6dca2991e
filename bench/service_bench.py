"""Service benchmark: /api/shared and the same question through /sparql, against the same query in-process.

Run with ``make bench`` (or ``.venv/bin/python bench/service_bench.py``). It builds the seed graph into a
temporary folder, starts a real ``rolegraph serve`` on 127.0.0.1, and prints medians, p95 and ratios
against the in-process baseline measured in the same run, then requests per second with 4 clients.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import KeepAlive, Request, Timing, measure, report, throughput  # noqa: E402
from graph.namespaces import rg  # noqa: E402
from graph.queries import QUERIES, with_values  # noqa: E402
from graph.questions import RoleGraph  # noqa: E402
from graph.settings import Settings  # noqa: E402
from graph.store import GraphStore  # noqa: E402
from tests.server import LiveServer, build_store  # noqa: E402

ROLES = ["ai-engineer", "deep-learning-engineer", "data-engineer"]
SPARQL = """PREFIX rg: <https://rolegraph.example/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?id ?label (COUNT(DISTINCT ?role) AS ?roles) WHERE {
  VALUES ?role { <https://rolegraph.example/role/ai-engineer> <https://rolegraph.example/role/deep-learning-engineer>
                 <https://rolegraph.example/role/data-engineer> }
  ?role rg:usesTool ?item . ?item dcterms:identifier ?id ; skos:prefLabel ?label .
} GROUP BY ?id ?label HAVING (COUNT(DISTINCT ?role) = 3)"""
RUNS = 500


def measure_in_process(data_dir: Path) -> list[Timing]:
    """The same question without HTTP, on the same on-disk store (closed again before the server opens it)."""
    store = GraphStore.open_read_only(data_dir / "store")
    graph = RoleGraph(store, Settings().base_iri)
    raw_query = with_values(QUERIES["shared"], "role", [graph.role_iri(r) for r in ROLES])
    relation = {"relation": rg("usesTool")}
    return [
        measure("in-process: raw store query (pyoxigraph, shared.rq)", lambda: store.select(raw_query, relation), RUNS),
        measure("in-process: RoleGraph.shared (domain layer)", lambda: graph.shared("tool", ROLES), RUNS),
    ]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        build_store(data_dir)
        in_process = measure_in_process(data_dir)
        server = LiveServer(data_dir).start()
        try:
            client = KeepAlive(server.url)  # the lean client: see its docstring
            shared = client.target("/api/shared", {"kind": "tool", "role": ROLES})
            sparql = client.target("/sparql", {"query": SPARQL})
            over_http = [
                measure("HTTP: GET /api/health (FastAPI floor)", lambda: client.get("/api/health"), RUNS),
                measure("HTTP: GET /api/shared?kind=tool&role=x3", lambda: client.request("GET", shared), RUNS),
                measure("HTTP: GET /sparql (same question)", lambda: client.request("GET", sparql), RUNS),
            ]
            client.close()
            rps_shared, err_shared = throughput(Request(server.url, "GET", shared))
            rps_sparql, err_sparql = throughput(Request(server.url, "GET", sparql))
        finally:
            server.stop()
    baseline: Timing = in_process[0]
    report("Seed graph (3 roles): tools shared by the three roles", in_process + over_http, baseline)
    print("\nThroughput, 4 concurrent client processes on loopback, 3 s each")
    print(f"  /api/shared: {rps_shared:8.0f} req/s, errors {err_shared}")
    print(f"  /sparql:     {rps_sparql:8.0f} req/s, errors {err_sparql}")


if __name__ == "__main__":
    main()
