"""Scale benchmark: the service at 3,000 generated roles (about 196,000 triples), against its targets.

Run with ``make bench`` (or ``.venv/bin/python bench/scale_bench.py [roles]``). In a temporary folder it builds
the seed graph, loads ``roles`` generated roles (``graph.generate``, seed 0) into the on-disk store, then times:

* loading the generated roles (one transaction) and restarting ``rolegraph serve`` until its first answer;
* the same questions four ways: in-process on the raw store (pyoxigraph: the **baseline** of each table), in-
  process on rdflib's in-memory ``Dataset`` holding the same N-Quads, over HTTP against ``oxigraph serve`` on the
  same data (the peer), and over HTTP against ``rolegraph serve`` (the service, with its own answers);
* requests per second with 4 concurrent client processes, against ``oxigraph serve`` on the same questions;
* the memory (RSS from ``/proc``) of the service process and of its SPARQL worker processes.

Every HTTP figure, the peer's and the service's, is taken with the same lean keep-alive client
(:class:`bench.common.KeepAlive`), so that the client's own cost does not hide the servers' difference.

Every table prints medians and p95 in milliseconds and each median over the baseline's median of the same run.
The SPARQL texts are the closest single-query equivalent of each API answer (the API adds JSON and ordering).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import rdflib
from pyoxigraph import RdfFormat, Store, serialize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import KeepAlive, Request, Timing, measure, throughput  # noqa: E402
from graph.formats import RDF_FORMATS  # noqa: E402
from graph.generate import generate_roles, load_generated  # noqa: E402
from graph.namespaces import PREFIXES, Iris  # noqa: E402
from graph.settings import Settings  # noqa: E402
from graph.store import GraphStore  # noqa: E402
from tests.server import LiveServer, build_store, free_port  # noqa: E402

BASE = Settings().base_iri
PROLOGUE = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())
RUNS = 200  # at most, for the fast questions
RUNS_SLOW = 20  # at most, for rdflib and /viz
RUNS_EXPORT = 5  # at most, for whole-graph exports
BUDGET_S = 4.0  # about this long per measurement: the whole bench stays within a few minutes
RESTARTS = 3
CLIENTS = 4  # concurrent client processes for the throughput table
THROUGHPUT_S = 3.0  # per question and server

# The targets (3,000 roles, about 196,000 triples, 2 cores), in milliseconds or MB.
TARGETS = {
    "shared": ("/api/shared for 3 roles, HTTP p50", 0.6),
    "similar": ("top-10 similar, HTTP p50", 1.0),
    "compare": ("/api/compare, HTTP p50", 1.0),
    "export": ("full Turtle export, HTTP p50", 100.0),
    "first_answer": ("cold start, first answer", 1000.0),
    "rss": ("service RSS (MB)", 500.0),
}


def role(n: int) -> str:
    return f"gen-{n:05d}"


def iri(n: int) -> str:
    return f"<{BASE}role/{role(n)}>"


# -- the questions as SPARQL (full IRIs, so every engine runs the same text) ---------------------------------
QUESTIONS = {
    "shared": f"""SELECT ?id ?label (COUNT(DISTINCT ?role) AS ?roles) WHERE {{
  VALUES ?role {{ {iri(1)} {iri(2)} {iri(3)} }}
  ?role rg:usesTool ?item . ?item dcterms:identifier ?id ; skos:prefLabel ?label .
}} GROUP BY ?id ?label HAVING (COUNT(DISTINCT ?role) = 3)""",
    "compare": f"""SELECT ?role ?relation ?id ?label WHERE {{
  VALUES ?role {{ {iri(1)} {iri(2)} }}
  VALUES ?relation {{ rg:usesTool rg:requiresSkill rg:hasUseCase rg:activeInIndustry rg:hasResponsibilityArea }}
  ?role ?relation ?item . ?item dcterms:identifier ?id ; skos:prefLabel ?label .
}}""",
    "neighbourhood": f"""SELECT ?relation ?id ?label WHERE {{
  {iri(1)} ?relation ?item . ?item dcterms:identifier ?id ; skos:prefLabel ?label .
}}""",
    "similar": f"""SELECT ?other (COUNT(DISTINCT ?item) AS ?shared) WHERE {{
  VALUES ?relation {{ rg:usesTool rg:requiresSkill }}
  {iri(1)} ?relation ?item . ?other ?relation ?item . ?other a rg:Role .
  FILTER(?other != {iri(1)})
}} GROUP BY ?other ORDER BY DESC(?shared) LIMIT 10""",
}
EXPORT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


# -- helpers ---------------------------------------------------------------------------------------------------
def bounded(name: str, func: Callable[[], object], max_runs: int = RUNS, budget_s: float = BUDGET_S) -> Timing:
    """Up to ``max_runs`` timed runs (at least 3) within about ``budget_s`` seconds, after warm-up runs.

    The first call may fill caches (the service builds its projection on first use) and is not counted; the
    second sizes the run, so that slow engines get a few runs rather than minutes."""
    func()
    start = time.perf_counter()
    func()
    once = time.perf_counter() - start
    warmup = min(20, int(1 / once)) if once < 1 else 0
    runs = max(3, min(max_runs, int(budget_s / max(once, 1e-6))))
    return measure(name, func, runs, warmup)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def table(title: str, timings: list[Timing], baseline: Timing, target: tuple[str, float] | None = None) -> None:
    print(f"\n{title}")
    print(f"  {'measurement':62} {'median ms':>10} {'p95 ms':>10} {'x baseline':>11} {'runs':>5}")
    for t in timings:
        print(f"  {t.name:62} {t.median:10.3f} {t.p95:10.3f} {t.median / baseline.median:11.1f} {len(t.samples_ms):5}")
    if target is not None:
        http = timings[-1]
        verdict = "met" if http.median <= target[1] else "NOT met"
        print(f"  target: {target[0]} <= {target[1]:g} ms: {http.median:.3f} ms, {verdict}")


def wait_for_first_answer(url: str, process: subprocess.Popen[bytes], timeout: float = 180) -> float:
    """Seconds from now until ``url`` first answers 200 (polled every 5 ms)."""
    start = time.perf_counter()
    deadline = start + timeout
    with httpx.Client(timeout=10) as client:
        while time.perf_counter() < deadline:
            if process.poll() is not None:
                raise RuntimeError("the server exited")
            try:
                if client.get(url).status_code == 200:
                    return time.perf_counter() - start
            except httpx.HTTPError:
                pass
            time.sleep(0.005)
    raise RuntimeError(f"no answer from {url} in {timeout} s")


class Peer:
    """``oxigraph serve`` over a copy of the same data, answering over the union of the graphs."""

    def __init__(self, location: Path, nquads: Path) -> None:
        binary = str(Path(sys.executable).parent / "oxigraph")
        subprocess.run(
            [binary, "load", "--location", str(location), "--file", str(nquads)], check=True, capture_output=True
        )
        self.url = f"http://127.0.0.1:{free_port()}"
        self.process = subprocess.Popen(
            [binary, "serve", "--location", str(location), "--bind", self.url[7:], "--union-default-graph"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_first_answer(self.url + "/query?query=ASK%7B%7D", self.process)
        self.client = KeepAlive(self.url)

    def request(self, sparql: str, accept: str = "application/sparql-results+json") -> Request:
        headers = (("Content-Type", "application/sparql-query"), ("Accept", accept))
        return Request(self.url, "POST", "/query", (PROLOGUE + sparql).encode(), headers)

    def ask(self, sparql: str, accept: str = "application/sparql-results+json") -> bytes:
        request = self.request(sparql, accept)
        return self.client.request(request.method, request.target, request.body, dict(request.headers))

    def stop(self) -> None:
        self.client.close()
        self.process.terminate()
        self.process.wait(timeout=30)


# -- the four ways of answering ------------------------------------------------------------------------------
def on_raw_store(path: Path) -> dict[str, Timing]:
    """In-process on the raw pyoxigraph store: the baseline."""
    raw = Store.read_only(str(path))

    def ask(sparql: str) -> Callable[[], object]:
        return lambda: list(raw.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES))

    def export() -> bytes:
        found = raw.query(EXPORT, use_default_graph_as_union=True)
        return serialize(found, format=RdfFormat.TURTLE, prefixes=PREFIXES) or b""

    found = {name: bounded(f"raw pyoxigraph, in-process: {name}", ask(q)) for name, q in QUESTIONS.items()}
    found["export"] = bounded("raw pyoxigraph, in-process: CONSTRUCT + Turtle", export, RUNS_EXPORT)
    return found


def on_rdflib(nquads: Path) -> tuple[dict[str, Timing], float]:
    """In-process on rdflib's in-memory Dataset (the union of the graphs as its default graph)."""
    start = time.perf_counter()
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(nquads, format="nquads")
    load = time.perf_counter() - start
    union = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))

    def ask(sparql: str) -> Callable[[], object]:
        return lambda: list(dataset.query(PROLOGUE + sparql))

    found = {name: bounded(f"rdflib Dataset, in-process: {name}", ask(q), RUNS_SLOW) for name, q in QUESTIONS.items()}
    found["export"] = bounded("rdflib Graph, in-process: Turtle", lambda: union.serialize(format="turtle"), 3)
    return found, load


#: The questions whose throughput is compared (the ones with a latency target).
LOADED = ("shared", "similar", "compare")


def on_peer(location: Path, nquads: Path) -> tuple[dict[str, Timing], dict[str, tuple[float, int]]]:
    """Over HTTP against oxigraph serve on the same data: latency, then throughput with CLIENTS clients."""
    peer = Peer(location, nquads)
    try:

        def ask(sparql: str) -> Callable[[], object]:
            return lambda: peer.ask(sparql)

        found = {name: bounded(f"oxigraph serve, HTTP: {name}", ask(q)) for name, q in QUESTIONS.items()}
        found["export"] = bounded(
            "oxigraph serve, HTTP: CONSTRUCT as Turtle", lambda: peer.ask(EXPORT, "text/turtle"), RUNS_EXPORT
        )
        rates = {name: throughput(peer.request(QUESTIONS[name]), CLIENTS, THROUGHPUT_S) for name in LOADED}
        return found, rates
    finally:
        peer.stop()


def start_service(data_dir: Path, first_url: str) -> tuple[LiveServer, float]:
    """A fresh ``rolegraph serve`` on the stored graph, and the milliseconds until its first answer."""
    server = LiveServer(data_dir)
    command = [str(Path(sys.executable).parent / "rolegraph"), "--data-dir", str(data_dir), "serve"]
    with server.log.open("ab") as log:
        server.process = subprocess.Popen(
            [*command, "--port", str(server.port), "--log-level", "warning"], stdout=log, stderr=subprocess.STDOUT
        )
    assert server.process is not None
    return server, wait_for_first_answer(server.url + first_url, server.process) * 1000


def on_service(
    server: LiveServer,
) -> tuple[dict[str, Timing], list[Timing], dict[str, tuple[float, int]], tuple[float, float, int]]:
    """Over HTTP against rolegraph serve: its own answers, their throughput, then the memory of its processes."""
    client = KeepAlive(server.url)

    def get(path: str, params: dict[str, str | list[str]] | None = None) -> Callable[[], object]:
        target = client.target(path, params)
        return lambda: client.request("GET", target)

    shared: dict[str, str | list[str]] = {"kind": "tool", "role": [role(1), role(2), role(3)]}
    compare: dict[str, str | list[str]] = {"from": role(1), "to": role(2)}
    similar: tuple[str, dict[str, str | list[str]]] = (f"/api/roles/{role(1)}/similar", {"limit": "10"})
    found = {
        "shared": bounded("rolegraph serve, HTTP: /api/shared (3 roles)", get("/api/shared", shared)),
        "compare": bounded("rolegraph serve, HTTP: /api/compare", get("/api/compare", compare)),
        "neighbourhood": bounded(f"rolegraph serve, HTTP: /api/nodes/{role(1)}", get(f"/api/nodes/{role(1)}")),
        "export": bounded(
            "rolegraph serve, HTTP: /api/export?format=turtle", get("/api/export", {"format": "turtle"}), RUNS_EXPORT
        ),
        "similar": bounded("rolegraph serve, HTTP: /api/roles/{id}/similar?limit=10", get(*similar)),
    }
    targets = {"shared": ("/api/shared", shared), "compare": ("/api/compare", compare), "similar": similar}
    rates = {
        name: throughput(Request(server.url, "GET", client.target(*targets[name])), CLIENTS, THROUGHPUT_S)
        for name in LOADED
    }
    three: dict[str, str | list[str]] = {"role": [role(n) for n in (1, 2, 3)]}
    many: dict[str, str | list[str]] = {"role": [role(n) for n in range(1, 301)]}
    viz = [
        bounded("rolegraph serve, HTTP: /viz, 3 roles", get("/viz", three), RUNS_SLOW),
        bounded("rolegraph serve, HTTP: /viz, 300 roles", get("/viz", many), RUNS_SLOW),
    ]
    client.close()
    assert server.process is not None
    pid = server.process.pid
    workers = children(pid)
    return found, viz, rates, (rss_mb(pid), sum(rss_mb(p) for p in workers), len(workers))


# -- the run -----------------------------------------------------------------------------------------------------
def main(roles: int = 3000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        build_store(data_dir)
        generated = generate_roles(roles, seed=0)

        # Load: the generated roles into the on-disk store (each run replaces the previous ones).
        store = GraphStore.open(data_dir / "store")
        loads = []
        for _ in range(RESTARTS):
            start = time.perf_counter()
            load_generated(store, Iris(BASE), generated)
            loads.append((time.perf_counter() - start) * 1000)
        triples = len(store)
        nquads = Path(tmp) / "graph.nq"
        nquads.write_bytes(store.export(RDF_FORMATS["nq"]))
        del store
        print(f"{roles} generated roles + the seed graph: {triples} triples", flush=True)

        base = on_raw_store(data_dir / "store")
        slow, rdflib_load = on_rdflib(nquads)
        over_peer, peer_rates = on_peer(Path(tmp) / "peer", nquads)

        first_url = KeepAlive.target("/api/shared", {"kind": "tool", "role": [role(1), role(2), role(3)]})
        # The first start finds no kept role index (the load above wrote the store in-process, as an
        # ingestion through the API would), derives it and keeps it; the restarts then restore it.
        server, derived_first = start_service(data_dir, first_url)
        answers = []
        for _ in range(RESTARTS):
            server.stop()
            server, first = start_service(data_dir, first_url)
            answers.append(first)
        try:
            over_http, viz, rates, (service_rss, workers_rss, workers) = on_service(server)
        finally:
            server.stop()

    # -- report ----------------------------------------------------------------------------------------------
    print(f"\nLoad and restart ({roles} roles, {triples} triples, on-disk store)")
    print(f"  load {roles} generated roles (drop + add: 2 transactions): median {statistics.median(loads):.1f} ms")
    print(f"  rdflib Dataset.parse of the same N-Quads: {rdflib_load * 1000:.1f} ms")
    first = statistics.median(answers)
    print(f"  first start after the load: process start to the first /api/shared answer {derived_first:.1f} ms")
    print("    (no kept role index: the load wrote the store without reading it back, so the first request derives")
    print("    the index and keeps it; `rolegraph build | ingest | generate | import-onet` keep it as they finish,")
    print("    and a running service keeps it whenever it derives it again after a write)")
    print(f"  restart with the kept index: median {first:.1f} ms, max {max(answers):.1f} ms ({RESTARTS} restarts)")
    target = TARGETS["first_answer"]
    print(f"  target: {target[0]} < {target[1]:g} ms: {first:.1f} ms, {'met' if first < target[1] else 'NOT met'}")
    for name in ("shared", "similar", "compare", "neighbourhood", "export"):
        rows = [base[name], slow[name], over_peer[name], *([over_http[name]] if name in over_http else [])]
        table(name, rows, base[name], TARGETS.get(name) if name in over_http else None)
    table("/viz (HTTP only: no single SPARQL question; baseline: the 3-role view)", viz, viz[0])
    print(f"\nThroughput, {CLIENTS} concurrent client processes, {THROUGHPUT_S:g} s per question and server")
    header = f"{'oxigraph serve (baseline)':>26} {'rolegraph serve':>16} {'x baseline':>11} {'errors':>7}"
    print(f"  {'question':12} {header}")
    for name in LOADED:
        (peer_rps, peer_errors), (rps, errors) = peer_rates[name], rates[name]
        print(f"  {name:12} {peer_rps:20.0f} req/s {rps:10.0f} req/s {rps / peer_rps:11.2f} {peer_errors + errors:7}")
    verdict = "met" if rates["shared"][0] >= peer_rates["shared"][0] else "NOT met"
    print(f"  target: /api/shared at {CLIENTS} clients at least oxigraph serve's throughput: {verdict}")
    print(f"\nMemory after the run: service process {service_rss:.0f} MB RSS; {workers} child processes")
    print(
        f"  (the SPARQL workers, each with a copy of the graph, and multiprocessing's tracker) {workers_rss:.0f} MB;"
        f" total {service_rss + workers_rss:.0f} MB"
    )
    verdict = "met" if service_rss < TARGETS["rss"][1] else "NOT met"
    print(f"  target: {TARGETS['rss'][0]} < {TARGETS['rss'][1]:g}: {service_rss:.0f} MB (service process), {verdict}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
