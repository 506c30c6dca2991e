"""SHACL validation of the graph against ``ontology/shapes.ttl`` with pyshacl.

>>> from graph.build import build
>>> from graph.settings import Settings
>>> store = GraphStore.in_memory()
>>> _ = build(Settings(), store)
>>> validate_store(store, Settings().ontology_dir).conforms
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import rdflib
from pyshacl import validate

from graph.formats import RDF_FORMATS
from graph.store import GraphStore


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    text: str
    violations: int


def validate_graph(data: rdflib.Graph, ontology_dir: Path) -> ValidationReport:
    """Validate an rdflib graph (which should hold the ontology, vocabulary and documents)."""
    shapes = rdflib.Graph().parse(ontology_dir / "shapes.ttl", format="turtle")
    conforms, results_graph, text = validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    violations = len(set(results_graph.subjects(rdflib.RDF.type, sh.ValidationResult)))
    return ValidationReport(bool(conforms), str(text), violations)


def store_as_rdflib(store: GraphStore) -> rdflib.Graph:
    """The union of the store's graphs as an rdflib graph (N-Triples is the fastest bridge)."""
    return rdflib.Graph().parse(data=store.export(RDF_FORMATS["nt"]), format="nt")


def validate_store(store: GraphStore, ontology_dir: Path) -> ValidationReport:
    return validate_graph(store_as_rdflib(store), ontology_dir)
