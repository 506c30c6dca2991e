"""SHACL validation against ``ontology/shapes.ttl`` with pySHACL: the whole graph, or one new document.

>>> from graph.build import build
>>> from graph.settings import Settings
>>> store = GraphStore.in_memory()
>>> _ = build(Settings(), store)
>>> validate_store(store, Settings().ontology_dir).conforms
True
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import rdflib
from pyoxigraph import Quad
from pyshacl import validate

from graph.build import ontology_quads, ontology_tool_kinds, vocabulary_quads
from graph.formats import RDF_FORMATS
from graph.namespaces import Iris
from graph.settings import Settings
from graph.store import GraphStore
from graph.vocabulary import load_vocabulary

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    text: str
    violations: int
    #: The distinct messages of the violations, for a one-line error.
    messages: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        return "; ".join(self.messages[:5]) + (" ..." if len(self.messages) > 5 else "")


@functools.cache
def _shapes(ontology_dir: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_dir / "shapes.ttl", format="turtle")


def validate_graph(
    data: rdflib.Graph, ontology_dir: Path, focus: list[str | rdflib.URIRef] | None = None
) -> ValidationReport:
    """Validate an rdflib graph holding the ontology, vocabulary and documents (optionally only ``focus``)."""
    conforms, results, text = validate(
        data, shacl_graph=_shapes(ontology_dir), inference="none", allow_warnings=True, focus_nodes=focus
    )
    found = set(results.subjects(rdflib.RDF.type, SH.ValidationResult))
    messages = sorted({str(m) for r in found for m in results.objects(r, SH.resultMessage)})
    return ValidationReport(bool(conforms), str(text), len(found), tuple(messages))


def store_as_rdflib(store: GraphStore) -> rdflib.Graph:
    """The union of the store's graphs as an rdflib graph (N-Triples is the fastest bridge)."""
    return rdflib.Graph().parse(data=store.export(RDF_FORMATS["nt"]), format="nt")


def validate_store(store: GraphStore, ontology_dir: Path) -> ValidationReport:
    return validate_graph(store_as_rdflib(store), ontology_dir)


@functools.cache
def _context(base_iri: str, ontology_dir: Path, vocabulary_dir: Path) -> rdflib.Graph:
    """The ontology and the vocabulary as rdflib triples: what a document's references must resolve to."""
    store = GraphStore.in_memory()
    iris = Iris(base_iri)
    store.add_all(ontology_quads(ontology_dir / "rolegraph.ttl", iris.ontology_graph))
    store.add_all(vocabulary_quads(load_vocabulary(vocabulary_dir), iris, ontology_tool_kinds(store)))
    return store_as_rdflib(store)


def _to_rdflib(quads: Iterable[Quad]) -> rdflib.Graph:
    lines = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
    return rdflib.Graph().parse(data=lines, format="nt")


def _closure(document: rdflib.Graph, context: rdflib.Graph) -> rdflib.Graph:
    """The context triples about what ``document`` refers to, and about what those refer to, and so on
    (a tool, its kind, the platform it is part of; a skill and its broader skills): every node that becomes
    a shape's target must come with all its triples."""
    picked = rdflib.Graph()
    frontier = {o for o in document.objects() if isinstance(o, rdflib.URIRef)}
    seen: set[rdflib.URIRef] = set()
    while frontier - seen:
        next_frontier: set[rdflib.URIRef] = set()
        for node in frontier - seen:
            seen.add(node)
            for triple in context.triples((node, None, None)):
                picked.add(triple)
                if isinstance(triple[2], rdflib.URIRef):
                    next_frontier.add(triple[2])
        frontier = next_frontier
    return picked


def validate_document(quads: list[Quad], settings: Settings) -> ValidationReport:
    """Validate one document's quads together with the vocabulary and ontology nodes they refer to.

    Only those nodes go into the data graph (not the whole vocabulary), so the cost grows with the
    document, not with the vocabulary, and no focus-node filtering is needed.
    """
    document = _to_rdflib(quads)
    context = _context(settings.base_iri, settings.ontology_dir, settings.vocabulary_dir)
    data = _closure(document, context)
    data += document
    return validate_graph(data, settings.ontology_dir)
