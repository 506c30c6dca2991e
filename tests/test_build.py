"""RDF build: stable IRIs, deterministic output, named graphs, export round-trips, the NetworkX projection."""

from __future__ import annotations

import networkx as nx
import pytest
import rdflib
from pyoxigraph import CanonicalizationAlgorithm, Dataset, NamedNode, RdfFormat, parse
from rdflib.compare import to_isomorphic

from graph.build import build
from graph.formats import RDF_FORMATS
from graph.project import to_networkx
from graph.settings import Settings
from graph.store import GraphStore

pytestmark = pytest.mark.store

BASE = "https://rolegraph.example/"


def sorted_ntriples(store: GraphStore) -> list[str]:
    """Sorted N-Quads with blank nodes named canonically (a remote store names them its own way)."""
    dataset = Dataset(parse(store.export(RDF_FORMATS["nq"]), format=RdfFormat.N_QUADS))
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(str(quad) for quad in dataset)


def test_rebuild_gives_identical_sorted_ntriples(seed_store: GraphStore, seed_settings: Settings) -> None:
    again = GraphStore.in_memory()
    build(seed_settings, again)
    assert sorted_ntriples(again) == sorted_ntriples(seed_store)


def test_no_blank_nodes_and_iris_under_the_base(seed_store: GraphStore) -> None:
    # Only the ontology's OWL axioms (lists, restrictions) use blank nodes; the data never does.
    rows = seed_store.select("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isBlank(?s) || isBlank(?o)) } GROUP BY ?g")
    assert [r["g"].value for r in rows] in ([], [BASE + "graph/ontology"])
    roles = {r["r"].value for r in seed_store.select("SELECT ?r WHERE { ?r a rg:Role }")}
    assert roles == {BASE + "role/" + r for r in ("ai-engineer", "deep-learning-engineer", "data-engineer")}


def test_base_iri_is_configurable() -> None:
    store = GraphStore.in_memory()
    build(Settings(base_iri="http://127.0.0.1:8000/kg/"), store)
    roles = {r["r"].value for r in store.select("SELECT ?r WHERE { ?r a rg:Role }")}
    assert "http://127.0.0.1:8000/kg/role/ai-engineer" in roles


def test_one_named_graph_per_source(seed_store: GraphStore) -> None:
    assert [g.value for g in seed_store.named_graphs()] == [
        BASE + "graph/document/ai-engineer",
        BASE + "graph/document/data-engineer",
        BASE + "graph/document/deep-learning-engineer",
        BASE + "graph/ontology",
        BASE + "graph/vocabulary",
    ]
    # A role's facts live in its document's graph, the vocabulary in its own.
    rows = seed_store.select(
        "SELECT ?g WHERE { GRAPH ?g { <https://rolegraph.example/role/data-engineer> rg:usesTool ?t } }"
    )
    assert {r["g"].value for r in rows} == {BASE + "graph/document/data-engineer"}


def test_document_provenance(seed_store: GraphStore) -> None:
    rows = seed_store.select(
        """SELECT ?file ?hash ?truncated WHERE {
             ?d rg:describes <https://rolegraph.example/role/deep-learning-engineer> ;
                rg:fileName ?file ; rg:contentHash ?hash ; rg:truncated ?truncated }"""
    )
    assert len(rows) == 1
    assert rows[0]["file"].value == "deep-learning-engineer.txt"
    assert len(rows[0]["hash"].value) == 64
    assert rows[0]["truncated"].value == "true"


def test_every_role_item_link_is_backed_by_a_mention(seed_store: GraphStore) -> None:
    unbacked = seed_store.select(
        """SELECT ?role ?item WHERE {
             VALUES ?p { rg:usesTool rg:requiresSkill rg:hasUseCase rg:activeInIndustry }
             ?role ?p ?item .
             FILTER NOT EXISTS { ?doc rg:describes ?role . ?m rg:inDocument ?doc ; rg:mentionOf ?item }
           }"""
    )
    assert unbacked == []


def test_turtle_export_is_isomorphic_to_the_store(seed_store: GraphStore) -> None:
    exported = rdflib.Graph().parse(data=seed_store.export(RDF_FORMATS["turtle"]), format="turtle")
    from_store = rdflib.Graph().parse(data=seed_store.export(RDF_FORMATS["nt"]), format="nt")
    quads = rdflib.Dataset().parse(data=seed_store.export(RDF_FORMATS["nq"]), format="nquads")
    union = rdflib.Graph()
    for s, p, o, _ in quads.quads():
        union.add((s, p, o))
    assert len(exported) == len(union) > 10_000
    assert to_isomorphic(exported) == to_isomorphic(union) == to_isomorphic(from_store)


def test_networkx_projection_is_derived_from_the_rdf(seed_store: GraphStore) -> None:
    graph = to_networkx(seed_store)
    role = BASE + "role/ai-engineer"
    assert graph.nodes[role] == {"type": "role", "id": "ai-engineer", "label": "AI Engineer"}
    assert graph.nodes[BASE + "tool/python"]["tool_kind"] == "programming-language"
    tools = {graph.nodes[n]["id"] for n in graph.successors(role) if graph.edges[role, n]["relation"] == "usesTool"}
    sparql = seed_store.select(
        "SELECT ?role ?id WHERE { ?role rg:usesTool/dcterms:identifier ?id }", {"role": NamedNode(role)}
    )
    assert tools == {r["id"].value for r in sparql}
    assert graph.edges[BASE + "tool/amazon-s3", BASE + "tool/aws"]["relation"] == "partOf"
    assert graph.edges[BASE + "skill/deep-learning", BASE + "skill/machine-learning"]["relation"] == "broader"
    # Roles reach each other through what they share.
    assert nx.has_path(graph.to_undirected(), role, BASE + "role/data-engineer")
