"""User SPARQL queries with a time limit, a row cap and no SERVICE calls, answered by worker processes.

The server's own questions (``graph/questions.py``) run in-process on the store. Queries typed by users can
run for minutes; pyoxigraph cannot interrupt a query from Python, so they run in a small pool of worker
processes (``graph/sparql_worker.py``), each holding an in-memory copy of the graph. A query past the time
limit ends its worker (the core is freed at once) and a fresh worker takes its place. The copy is refreshed
when the store's version changes.

>>> from graph.settings import Settings
>>> store = GraphStore.in_memory()
>>> with SparqlService(store, Settings(sparql_workers=1)) as service:
...     service.run("ASK { }", "json", "turtle").body
b'{"head":{},"boolean":true}'
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from types import TracebackType

from pyoxigraph import NamedNode

from graph import sparql_worker
from graph.errors import Busy, InvalidQuery, InvalidRequest, QueryTimeout, QueryTooLong, StoreError, TooManyRows
from graph.formats import RDF_FORMATS
from graph.namespaces import PREFIXES
from graph.settings import Settings
from graph.sparql_text import UPDATE_KEYWORDS, has_keyword, query_form
from graph.store import GraphStore


def check_query(text: str, allow_service: bool) -> None:
    """Refuse what this endpoint does not run, with a reason: updates, and SERVICE unless allowed."""
    if query_form(text) in UPDATE_KEYWORDS:
        raise InvalidQuery("this endpoint answers queries only: send SPARQL updates to /sparql/update")
    if not allow_service and has_keyword(text, "SERVICE"):
        raise InvalidQuery("SERVICE (federated queries to other endpoints) is disabled on this endpoint")


@dataclass(frozen=True)
class QueryAnswer:
    """A serialised answer: ``form`` is select, ask or graph."""

    form: str
    body: bytes


class _Worker:
    def __init__(self, context: multiprocessing.context.SpawnContext) -> None:
        parent, child = context.Pipe()
        self.conn: Connection = parent
        self.process: BaseProcess = context.Process(
            target=sparql_worker.serve, args=(child, PREFIXES), daemon=True, name="rolegraph-sparql"
        )
        self.process.start()
        child.close()
        self.version = -1

    def stop(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class SparqlService:
    """A pool of SPARQL worker processes over one store."""

    def __init__(self, store: GraphStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._snapshot: tuple[int, bytes] | None = None
        for _ in range(settings.sparql_workers):
            self._add_worker()

    def _add_worker(self) -> None:
        worker = _Worker(self._context)
        with self._lock:
            self._workers.append(worker)
        self._idle.put(worker)

    def _retire(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            self._workers.remove(worker)

    def _current_snapshot(self) -> tuple[int, bytes]:
        with self._lock:
            version = self.store.version
            if self._snapshot is None or self._snapshot[0] != version:
                self._snapshot = (version, self.store.export(RDF_FORMATS["nq"]))
            return self._snapshot

    def _refresh(self, worker: _Worker) -> None:
        version, data = self._current_snapshot()
        if worker.version == version:
            return
        worker.conn.send(("load", version, data))
        if not worker.conn.poll(self.settings.worker_load_timeout):
            raise StoreError("a SPARQL worker could not load the graph in time")
        reply = worker.conn.recv()
        worker.version = reply[1]

    def run(
        self,
        text: str,
        results_format: str,
        graph_format: str,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> QueryAnswer:
        """Answer one query within the time limit and row cap, serialised in the given formats."""
        check_query(text, self.settings.allow_service)
        for iri in [*(default_graphs or []), *(named_graphs or [])]:
            try:
                NamedNode(iri)
            except ValueError as exc:
                raise InvalidRequest(f"{iri[:80]!r} is not an IRI", field="default-graph-uri") from exc
        if len(text) > self.settings.max_query_length:
            raise QueryTooLong(
                f"the query is {len(text)} characters, more than the limit of {self.settings.max_query_length}"
            )
        try:
            worker = self._idle.get(timeout=self.settings.queue_timeout)
        except queue.Empty:
            raise Busy(f"all {self.settings.sparql_workers} query slots are busy: try again shortly") from None
        healthy = False
        try:
            self._refresh(worker)
            worker.conn.send(
                ("query", text, results_format, graph_format, self.settings.max_rows, default_graphs, named_graphs)
            )
            if not worker.conn.poll(self.settings.query_timeout):
                raise QueryTimeout(
                    f"the query ran longer than the limit of {self.settings.query_timeout:g} s and was stopped"
                )
            reply = worker.conn.recv()
            healthy = True
        except (OSError, EOFError) as exc:
            raise StoreError(f"a SPARQL worker failed: {exc}") from exc
        finally:
            if healthy:
                self._idle.put(worker)
            else:
                # End the worker (and the query it may still be running), and start a fresh one.
                self._retire(worker)
                self._add_worker()
        if reply[0] == "ok":
            return QueryAnswer(reply[1], reply[2])
        _, code, message = reply
        if code == "rows":
            raise TooManyRows(message)
        raise InvalidQuery(message)

    def close(self) -> None:
        with self._lock:
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop()

    def __enter__(self) -> SparqlService:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
