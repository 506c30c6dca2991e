"""The graph store: a pyoxigraph store on disk (or in memory), one named graph per source.

Queries see the union of all named graphs by default. Writes of one source replace its named graph in
one transaction (a SPARQL update: either all of it lands or nothing does).

>>> store = GraphStore.in_memory()
>>> g = NamedNode("https://rolegraph.example/graph/test")
>>> store.replace_graph(g, [Quad(NamedNode("urn:a"), NamedNode("urn:p"), Literal("x"), g)])
>>> len(store), store.is_empty()
(1, False)
>>> [row["o"].value for row in store.select("SELECT ?o WHERE { ?s ?p ?o }")]
['x']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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

from graph.errors import InvalidQuery, StoreError
from graph.formats import RdfSyntax
from graph.namespaces import PREFIXES

Term = NamedNode | Literal
QueryResult = QuerySolutions | QueryBoolean | QueryTriples


class GraphStore:
    """A thin, typed wrapper around :class:`pyoxigraph.Store`."""

    def __init__(self, store: Store, path: Path | None = None) -> None:
        self._store = store
        self.path = path
        #: Bumped by every write, so that derived copies (worker snapshots, projections) know they are stale.
        self.version = 0

    @classmethod
    def open(cls, path: Path) -> GraphStore:
        """Open (creating if needed) the persistent store at ``path``."""
        try:
            path.mkdir(parents=True, exist_ok=True)
            return cls(Store(str(path)), path)
        except OSError as exc:
            raise StoreError(f"cannot open the store at {path}: {exc}") from exc

    @classmethod
    def open_read_only(cls, path: Path) -> GraphStore:
        """Open an existing store for reading while another process holds it."""
        if not path.exists():
            raise StoreError(f"no store at {path}: run 'rolegraph build' first")
        try:
            return cls(Store.read_only(str(path)), path)
        except OSError as exc:
            raise StoreError(f"cannot open the store at {path} read-only: {exc}") from exc

    @classmethod
    def in_memory(cls) -> GraphStore:
        return cls(Store(), None)

    # -- reading ---------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._store)

    def is_empty(self) -> bool:
        return not bool(self.query("ASK { ?s ?p ?o }"))

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
        """Run a SPARQL query; ``substitutions`` bind variables to terms (never pasted into the text)."""
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
            if not isinstance(result, QueryTriples):
                raise InvalidQuery("expected a CONSTRUCT or DESCRIBE query")
            return list(result)
        finally:
            del result

    def export(self, syntax: RdfSyntax) -> bytes:
        """The whole graph: datasets keep their named graphs; triple syntaxes get the union."""
        if syntax.dataset:
            dump = self._store.dump(format=syntax.format)
            assert isinstance(dump, bytes)
            return dump
        triples = self.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        prefixes = PREFIXES if syntax.format in (RdfFormat.TURTLE, RdfFormat.RDF_XML, RdfFormat.JSON_LD) else None
        data = serialize(triples, format=syntax.format, prefixes=prefixes)
        assert isinstance(data, bytes)
        return data

    # -- writing ---------------------------------------------------------------------------------
    def clear(self) -> None:
        self.version += 1
        self._store.clear()

    def add_all(self, quads: Iterable[Quad]) -> None:
        """Add quads in one transaction."""
        self.version += 1
        try:
            self._store.extend(quads)
        except OSError as exc:
            raise StoreError(f"write failed: {exc}") from exc

    def replace_graph(self, graph: NamedNode, quads: Iterable[Quad]) -> None:
        """Replace the content of ``graph`` with ``quads`` in one transaction."""
        self.version += 1
        body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
        try:
            self._store.update(f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}")
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"write of {graph.value} failed: {exc}") from exc

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update in one transaction (all of it or nothing)."""
        self.version += 1
        try:
            self._store.update(sparql, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise InvalidQuery(str(exc)) from exc
        except OSError as exc:
            raise StoreError(f"the update failed: {exc}") from exc

    def drop_graph(self, graph: NamedNode) -> None:
        """Remove a named graph and everything in it, in one transaction."""
        self.version += 1
        try:
            self._store.update(f"DROP SILENT GRAPH {graph}")
        except OSError as exc:
            raise StoreError(f"could not remove {graph.value}: {exc}") from exc

    def load_nquads(self, data: bytes) -> None:
        """Add a whole N-Quads dataset (e.g. an export) in one go."""
        self.version += 1
        self._store.bulk_load(data, format=RdfFormat.N_QUADS)

    def load_turtle(self, data: bytes, graph: NamedNode | DefaultGraph) -> None:
        self.version += 1
        self._store.load(data, format=RdfFormat.TURTLE, to_graph=graph)

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()
