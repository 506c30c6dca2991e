"""The graph store: one interface, two implementations chosen by settings.

* :class:`OxigraphStore` (the default): pyoxigraph on disk under ``ROLEGRAPH_DATA_DIR`` (or in memory);
* :class:`graph.remote.RemoteStore`: any SPARQL 1.1 Query + Update endpoint (``ROLEGRAPH_STORE_URL``).

Each source has its own named graph; queries see the union of all named graphs by default. Writes of one
source replace its named graph in one transaction (a SPARQL update: either all of it lands or nothing does).

>>> store = GraphStore.in_memory()
>>> g = NamedNode("https://rolegraph.example/graph/test")
>>> store.replace_graph(g, [Quad(NamedNode("urn:a"), NamedNode("urn:p"), Literal("x"), g)])
>>> len(store), store.is_empty()
(1, False)
>>> [row["o"].value for row in store.select("SELECT ?o WHERE { ?s ?p ?o }")]
['x']
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pyoxigraph import (
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolution,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    Variable,
    serialize,
)

from graph.derived import DerivedFiles
from graph.errors import InvalidQuery, StoreError
from graph.formats import RdfSyntax
from graph.namespaces import PREFIXES

Term = NamedNode | Literal


class TripleList(list[Triple]):
    """CONSTRUCT/DESCRIBE results already read into memory (what a remote store returns)."""


QueryResult = QuerySolutions | QueryBoolean | QueryTriples | TripleList


def insert_data(quads: Iterable[Quad]) -> str:
    """``INSERT DATA`` for quads, grouped by graph; terms are written in their N-Triples form (escaped)."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    blocks = [f"GRAPH {graph} {{\n" + "\n".join(lines) + "\n}" for graph, lines in by_graph.items()]
    return "INSERT DATA {\n" + "\n".join(blocks) + "\n}"


class GraphStore(ABC):
    """What the rest of the code needs from a store."""

    #: Where an embedded store lives on disk (None for in-memory and remote stores).
    path: Path | None = None

    def __init__(self) -> None:
        #: Bumped by every write, so that derived copies (worker snapshots, projections) know they are stale.
        self.version = 0

    # -- the embedded store's constructors (kept here: most callers only ever need these) --------
    @classmethod
    def open(cls, path: Path) -> OxigraphStore:
        """Open (creating if needed) the persistent store at ``path``."""
        try:
            path.mkdir(parents=True, exist_ok=True)
            return OxigraphStore(Store(str(path)), path)
        except OSError as exc:
            raise StoreError(f"cannot open the store at {path}: {exc}") from exc

    @classmethod
    def open_read_only(cls, path: Path) -> OxigraphStore:
        """Open an existing store for reading while another process holds it."""
        if not path.exists():
            raise StoreError(f"no store at {path}: run 'rolegraph build' first")
        try:
            # No kept derived data: the process holding the store may write at any moment.
            return OxigraphStore(Store.read_only(str(path)), path, keep_derived=False)
        except OSError as exc:
            raise StoreError(f"cannot open the store at {path} read-only: {exc}") from exc

    @classmethod
    def in_memory(cls) -> OxigraphStore:
        return OxigraphStore(Store(), None)

    # -- reading ---------------------------------------------------------------------------------
    @abstractmethod
    def query(
        self,
        sparql: str,
        substitutions: Mapping[str, Term] | None = None,
        *,
        default_graph: list[NamedNode] | None = None,
        named_graphs: list[NamedNode] | None = None,
    ) -> QueryResult:
        """Run a SPARQL query over the union of the graphs (or ``default_graph``); ``substitutions`` bind
        variables to terms, never pasted into the text by the caller."""

    @abstractmethod
    def named_graphs(self) -> list[NamedNode]: ...

    @abstractmethod
    def __len__(self) -> int: ...

    @abstractmethod
    def export_dataset(self, syntax: RdfSyntax) -> bytes:
        """Every quad, in a syntax that keeps named graphs (TriG, N-Quads)."""

    @abstractmethod
    def graph_triples(self, graph: NamedNode | DefaultGraph) -> list[Triple]:
        """The triples of one graph (a named graph, or the store's own default graph)."""

    def is_empty(self) -> bool:
        return not bool(self.query("ASK { ?s ?p ?o }"))

    # pyoxigraph's result iterators must be dropped on the thread that made them: the helpers below
    # consume them at once and never let one outlive the call (not even in an exception's traceback).
    def select(self, sparql: str, substitutions: Mapping[str, Term] | None = None) -> list[QuerySolution]:
        result = self.query(sparql, substitutions)
        try:
            if not isinstance(result, QuerySolutions):
                raise InvalidQuery("expected a SELECT query")
            return list(result)
        finally:
            del result

    def construct(self, sparql: str, substitutions: Mapping[str, Term] | None = None) -> list[Triple]:
        result = self.query(sparql, substitutions)
        try:
            if not isinstance(result, QueryTriples | TripleList):
                raise InvalidQuery("expected a CONSTRUCT or DESCRIBE query")
            return list(result)
        finally:
            del result

    def export(self, syntax: RdfSyntax) -> bytes:
        """The whole graph: datasets keep their named graphs; triple syntaxes get the union."""
        if syntax.dataset:
            return self.export_dataset(syntax)
        triples = self.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        prefixes = PREFIXES if syntax.format in (RdfFormat.TURTLE, RdfFormat.RDF_XML, RdfFormat.JSON_LD) else None
        return serialize(triples, format=syntax.format, prefixes=prefixes) or b""

    # -- writing ---------------------------------------------------------------------------------
    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update in one transaction (all of it or nothing)."""

    def replace_graph(self, graph: NamedNode | DefaultGraph, quads: Iterable[Quad | Triple]) -> None:
        """Replace the content of ``graph`` with ``quads`` (their own graph names are ignored) in one transaction."""
        body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
        if isinstance(graph, DefaultGraph):
            self.update(f"DROP SILENT DEFAULT ;\nINSERT DATA {{\n{body}\n}}")
        else:
            self.update(f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}")

    def merge_into_graph(self, graph: NamedNode | DefaultGraph, triples: Iterable[Quad | Triple]) -> None:
        """Add triples to ``graph`` in one transaction."""
        body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
        target = f"GRAPH {graph} {{\n{body}\n}}" if isinstance(graph, NamedNode) else body
        self.update(f"INSERT DATA {{\n{target}\n}}")

    def drop_graph(self, graph: NamedNode | DefaultGraph) -> None:
        """Remove a named graph (or empty the default graph), in one transaction."""
        self.update("DROP SILENT DEFAULT" if isinstance(graph, DefaultGraph) else f"DROP SILENT GRAPH {graph}")

    def has_graph(self, graph: NamedNode) -> bool:
        return graph in set(self.named_graphs())

    def add_all(self, quads: Iterable[Quad]) -> None:
        """Add quads in one transaction."""
        self.update(insert_data(quads))

    def clear(self) -> None:
        self.update("DROP SILENT ALL")

    def load_nquads(self, data: bytes) -> None:
        """Add a whole N-Quads dataset (e.g. an export) in one transaction."""
        from pyoxigraph import parse  # local: only loading needs the parser

        self.add_all(parse(data, format=RdfFormat.N_QUADS))

    def flush(self) -> None:  # noqa: B027 - most stores have nothing to flush
        """Make writes durable now (where the store buffers them)."""

    # -- derived data kept across restarts -------------------------------------------------------
    #: Whether :meth:`save_derived` keeps anything (so callers can skip preparing data for nothing).
    keeps_derived = False

    def load_derived(self, name: str) -> bytes | None:
        """Data saved by :meth:`save_derived` that is still exact for the store's content, if any."""
        return None

    def save_derived(self, name: str, version: int, data: bytes) -> None:  # noqa: B027 - most keep nothing
        """Keep ``data``, derived from the content at ``version``, for the next process (unless a write has
        landed since). Only on-disk embedded stores keep anything: others may change behind our back."""


class OxigraphStore(GraphStore):
    """The embedded store: :class:`pyoxigraph.Store` on disk or in memory."""

    def __init__(self, store: Store, path: Path | None = None, *, keep_derived: bool = True) -> None:
        super().__init__()
        self._store = store
        self.path = path
        self.derived = DerivedFiles(path) if path is not None and keep_derived else None
        self.keeps_derived = self.derived is not None
        # Held by each write from before it forgets the kept derived data until its version bump, and by
        # save_derived: data read before a write is never kept as if it were current.
        self._write_lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._store)

    def named_graphs(self) -> list[NamedNode]:
        return sorted((g for g in self._store.named_graphs() if isinstance(g, NamedNode)), key=lambda g: g.value)

    def query(
        self,
        sparql: str,
        substitutions: Mapping[str, Term] | None = None,
        *,
        default_graph: list[NamedNode] | None = None,
        named_graphs: list[NamedNode] | None = None,
    ) -> QueryResult:
        subs = {Variable(k): v for k, v in (substitutions or {}).items()}
        options: dict[str, Any] = {"substitutions": subs or None, "prefixes": PREFIXES}
        if default_graph is not None:
            options["default_graph"] = default_graph
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs is not None:
            options["named_graphs"] = named_graphs
        try:
            return self._store.query(sparql, **options)
        except SyntaxError as exc:
            raise InvalidQuery(str(exc)) from exc
        except OSError as exc:
            raise StoreError(f"the store could not answer: {exc}") from exc

    def export_dataset(self, syntax: RdfSyntax) -> bytes:
        return self._store.dump(format=syntax.format) or b""

    def graph_triples(self, graph: NamedNode | DefaultGraph) -> list[Triple]:
        return [q.triple for q in self._store.quads_for_pattern(None, None, None, graph)]

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Around every write: forget the kept derived data first, bump the version AFTER the write commits
        (also when it fails: harmless), so that a reader who saw the old version never tags data read before
        the commit with the new one."""
        with self._write_lock:
            try:
                if self.derived is not None:
                    self.derived.invalidate()
                yield
            finally:
                self.version += 1

    def update(self, sparql: str) -> None:
        with self._writing():
            try:
                self._store.update(sparql, prefixes=PREFIXES)
            except SyntaxError as exc:
                raise InvalidQuery(str(exc)) from exc
            except RuntimeError as exc:  # an operation failed while running: the transaction was rolled back
                raise InvalidQuery(f"the update failed and nothing was written: {exc}") from exc
            except OSError as exc:
                raise StoreError(f"the write failed: {exc}") from exc

    def add_all(self, quads: Iterable[Quad]) -> None:
        # extend() is one transaction too, and much faster than parsing an INSERT DATA.
        with self._writing():
            try:
                self._store.extend(quads)
            except OSError as exc:
                raise StoreError(f"the write failed: {exc}") from exc

    def clear(self) -> None:
        with self._writing():
            self._store.clear()

    def load_nquads(self, data: bytes) -> None:
        with self._writing():
            self._store.bulk_load(data, format=RdfFormat.N_QUADS)

    def _fingerprint(self) -> bytes:
        """The store's RocksDB identity (new for each store made in the folder) and its number of quads
        (a scan: ~20 ms at 200,000 quads). See :mod:`graph.derived` for what it catches."""
        assert self.path is not None
        try:
            identity = (self.path / "IDENTITY").read_text().strip()
        except OSError:
            identity = "unknown"
        return f"{identity}:{len(self._store)}".encode()

    def load_derived(self, name: str) -> bytes | None:
        return self.derived.load(name, self._fingerprint) if self.derived is not None else None

    def save_derived(self, name: str, version: int, data: bytes) -> None:
        if self.derived is None:
            return
        # Not waiting for a write in progress: it will bump the version, so the data is stale anyway.
        if not self._write_lock.acquire(blocking=False):
            return
        try:
            if version == self.version:  # no write since the data was read (none can start meanwhile)
                self._store.flush()  # the content it was derived from is on disk before the file is
                self.derived.save(name, self._fingerprint(), data)
        finally:
            self._write_lock.release()

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()
