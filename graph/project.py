"""The NetworkX projection of the RDF graph, derived from the store (never from a second code path).

Nodes are keyed by IRI and carry ``type`` (role, tool, skill, use-case, industry, responsibility-area),
``id``, ``label`` and, for tools, ``tool_kind``; edges carry ``relation`` (the ontology's local name).

>>> from graph.build import build
>>> from graph.settings import Settings
>>> store = GraphStore.in_memory()
>>> _ = build(Settings(), store)
>>> g = to_networkx(store)
>>> g.nodes["https://rolegraph.example/tool/python"]["label"]
'Python'
>>> g.edges["https://rolegraph.example/role/ai-engineer", "https://rolegraph.example/tool/python"]["relation"]
'usesTool'
"""

from __future__ import annotations

import networkx as nx
from pyoxigraph import Literal, NamedNode

from graph.namespaces import RG, SKOS
from graph.queries import QUERIES
from graph.store import GraphStore

NODE_TYPES = {
    "Role": "role",
    "Tool": "tool",
    "Skill": "skill",
    "UseCase": "use-case",
    "Industry": "industry",
    "ResponsibilityArea": "responsibility-area",
}


def _local_name(iri: NamedNode) -> str:
    for namespace in (RG, SKOS):
        if iri.value.startswith(namespace):
            return iri.value[len(namespace) :]
    return iri.value


def to_networkx(store: GraphStore) -> nx.DiGraph:
    """A directed graph of roles and items; edges point from role to item (and narrower to broader)."""
    graph = nx.DiGraph()
    edges = []
    for row in store.select(QUERIES["projection"]):
        node, cls = row["node"], row["class"]
        if not isinstance(node, NamedNode):
            continue
        if isinstance(cls, NamedNode):
            kind = row["kind"]
            graph.add_node(
                node.value,
                type=NODE_TYPES[_local_name(cls)],
                id=row["id"].value if isinstance(row["id"], Literal) else "",
                label=row["label"].value if isinstance(row["label"], Literal) else "",
                **({"tool_kind": kind.value} if isinstance(kind, Literal) else {}),
            )
        elif isinstance(row["relation"], NamedNode) and isinstance(row["target"], NamedNode):
            edges.append((node.value, row["target"].value, _local_name(row["relation"])))
    # Edges only between nodes of the projection (a partOf to an unknown tool would dangle).
    graph.add_edges_from((s, t, {"relation": r}) for s, t, r in edges if s in graph and t in graph)
    return graph
