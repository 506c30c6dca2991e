"""Namespaces and the minting of stable instance IRIs.

Every instance IRI is ``{base}{type}/{id}``; ids are slugs, so an IRI never needs escaping.

>>> iris = Iris("https://rolegraph.example/")
>>> iris.node("role", "ai-engineer").value
'https://rolegraph.example/role/ai-engineer'
>>> iris.parse(iris.node("tool", "python"))
('tool', 'python')
"""

from __future__ import annotations

import re

from pyoxigraph import NamedNode

from graph.errors import InvalidRequest

RG = "https://rolegraph.example/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SH = "http://www.w3.org/ns/shacl#"
SCHEMA = "https://schema.org/"
ESCO = "http://data.europa.eu/esco/model#"
WD = "http://www.wikidata.org/entity/"

PREFIXES = {
    "rg": RG,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "schema": SCHEMA,
    "esco": ESCO,
    "wd": WD,
}

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: The URL path segment of each kind of node.
NODE_TYPES = (
    "role",
    "tool",
    "skill",
    "use-case",
    "industry",
    "area",
    "responsibility",
    "activity",
    "document",
    "mention",
    "scheme",
    "graph",
    "tool-use",
    "tool-category",
)


def rg(local: str) -> NamedNode:
    """A term of the rolegraph ontology, e.g. ``rg("usesTool")``."""
    return NamedNode(RG + local)


def term(namespace: str, local: str) -> NamedNode:
    return NamedNode(namespace + local)


def slugify(text: str) -> str:
    """A lowercase slug for ids.

    >>> slugify("Deep Learning Engineer")
    'deep-learning-engineer'
    >>> slugify("C++ / C#")
    'c-c'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def check_slug(value: str, what: str = "id", field: str | None = None) -> str:
    """Return ``value`` if it is a slug, else raise :class:`InvalidRequest` (never build IRIs from raw input)."""
    if not SLUG.fullmatch(value) or len(value) > 200:
        raise InvalidRequest(
            f"{what} {value[:80]!r} is not a valid id (lowercase letters, digits and hyphens)", field=field
        )
    return value


class Iris:
    """Mints and parses instance IRIs under one base."""

    def __init__(self, base: str) -> None:
        self.base = base

    def node(self, node_type: str, *parts: str | int) -> NamedNode:
        if node_type not in NODE_TYPES:
            raise ValueError(f"unknown node type {node_type!r}")
        return NamedNode(self.base + "/".join([node_type, *map(str, parts)]))

    def parse(self, iri: NamedNode | str) -> tuple[str, str] | None:
        """``(type, id)`` for an IRI minted here, else ``None``."""
        value = iri.value if isinstance(iri, NamedNode) else iri
        if not value.startswith(self.base):
            return None
        node_type, _, rest = value[len(self.base) :].partition("/")
        if node_type not in NODE_TYPES or not rest:
            return None
        return node_type, rest

    def document_graph(self, doc_id: str) -> NamedNode:
        return self.node("graph", "document", doc_id)

    @property
    def ontology_graph(self) -> NamedNode:
        return self.node("graph", "ontology")

    @property
    def vocabulary_graph(self) -> NamedNode:
        return self.node("graph", "vocabulary")
