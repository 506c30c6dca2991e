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


@dataclass(frozen=True)
class ResultsSyntax:
    name: str
    format: QueryResultsFormat
    media_type: str
    extension: str
    aliases: tuple[str, ...] = ()


RDF_FORMATS: dict[str, RdfSyntax] = {
    s.name: s
    for s in (
        RdfSyntax("turtle", RdfFormat.TURTLE, "text/turtle", "ttl", aliases=("application/x-turtle",)),
        RdfSyntax("nt", RdfFormat.N_TRIPLES, "application/n-triples", "nt", aliases=("text/plain",)),
        RdfSyntax("xml", RdfFormat.RDF_XML, "application/rdf+xml", "rdf", aliases=("application/xml", "text/xml")),
        RdfSyntax("jsonld", RdfFormat.JSON_LD, "application/ld+json", "jsonld", aliases=("application/json",)),
        RdfSyntax("trig", RdfFormat.TRIG, "application/trig", "trig", dataset=True),
        RdfSyntax("nq", RdfFormat.N_QUADS, "application/n-quads", "nq", dataset=True),
    )
}

RESULTS_FORMATS: dict[str, ResultsSyntax] = {
    s.name: s
    for s in (
        ResultsSyntax("json", QueryResultsFormat.JSON, "application/sparql-results+json", "srj", ("application/json",)),
        ResultsSyntax("xml", QueryResultsFormat.XML, "application/sparql-results+xml", "srx", ("application/xml",)),
        ResultsSyntax("csv", QueryResultsFormat.CSV, "text/csv", "csv"),
        ResultsSyntax("tsv", QueryResultsFormat.TSV, "text/tab-separated-values", "tsv"),
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
