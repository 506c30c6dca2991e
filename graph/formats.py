"""RDF and SPARQL-results formats: names, media types and file extensions, in one table.

The export, the CLI and the SPARQL endpoint all read these tables.

>>> RDF_FORMATS["turtle"].media_type
'text/turtle'
>>> rdf_format_for_media_type("application/ld+json").name
'jsonld'
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import QueryResultsFormat, RdfFormat


@dataclass(frozen=True)
class RdfSyntax:
    name: str
    format: RdfFormat
    media_type: str
    extension: str
    #: True when the syntax carries named graphs (TriG, N-Quads): the dataset is written as it is stored.
    dataset: bool = False
    aliases: tuple[str, ...] = ()
    #: Its IRI in the W3C formats namespace (used by the service description).
    w3c: str = ""


@dataclass(frozen=True)
class ResultsSyntax:
    name: str
    format: QueryResultsFormat
    media_type: str
    extension: str
    aliases: tuple[str, ...] = ()
    w3c: str = ""


W3C_FORMATS = "http://www.w3.org/ns/formats/"

RDF_FORMATS: dict[str, RdfSyntax] = {
    s.name: s
    for s in (
        RdfSyntax("turtle", RdfFormat.TURTLE, "text/turtle", "ttl", aliases=("application/x-turtle",), w3c="Turtle"),
        RdfSyntax("nt", RdfFormat.N_TRIPLES, "application/n-triples", "nt", aliases=("text/plain",), w3c="N-Triples"),
        RdfSyntax(
            "xml",
            RdfFormat.RDF_XML,
            "application/rdf+xml",
            "rdf",
            aliases=("application/xml", "text/xml"),
            w3c="RDF_XML",
        ),
        RdfSyntax(
            "jsonld", RdfFormat.JSON_LD, "application/ld+json", "jsonld", aliases=("application/json",), w3c="JSON-LD"
        ),
        RdfSyntax("trig", RdfFormat.TRIG, "application/trig", "trig", dataset=True, w3c="TriG"),
        RdfSyntax("nq", RdfFormat.N_QUADS, "application/n-quads", "nq", dataset=True, w3c="N-Quads"),
    )
}

RESULTS_FORMATS: dict[str, ResultsSyntax] = {
    s.name: s
    for s in (
        ResultsSyntax(
            "json",
            QueryResultsFormat.JSON,
            "application/sparql-results+json",
            "srj",
            ("application/json",),
            "SPARQL_Results_JSON",
        ),
        ResultsSyntax(
            "xml",
            QueryResultsFormat.XML,
            "application/sparql-results+xml",
            "srx",
            ("application/xml",),
            "SPARQL_Results_XML",
        ),
        ResultsSyntax("csv", QueryResultsFormat.CSV, "text/csv", "csv", w3c="SPARQL_Results_CSV"),
        ResultsSyntax("tsv", QueryResultsFormat.TSV, "text/tab-separated-values", "tsv", w3c="SPARQL_Results_TSV"),
    )
}


def rdf_format_for_media_type(media_type: str) -> RdfSyntax | None:
    for syntax in RDF_FORMATS.values():
        if media_type == syntax.media_type or media_type in syntax.aliases:
            return syntax
    return None


def results_format_for_media_type(media_type: str) -> ResultsSyntax | None:
    for syntax in RESULTS_FORMATS.values():
        if media_type == syntax.media_type or media_type in syntax.aliases:
            return syntax
    return None
