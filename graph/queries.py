"""Named SPARQL queries: ``graph/queries/*.rq``, read once, run with bound values.

Values reach a query only as RDF terms: single values through pyoxigraph ``substitutions``, lists of IRIs
through :func:`with_values`, which fills a ``VALUES ?var { UNDEF }`` block with validated IRIs (and
:func:`with_in_filter`, which fills a ``FILTER(?var IN (?var))``).

>>> "shared" in QUERIES
True
>>> with_values("SELECT * { VALUES ?role { UNDEF } ?role ?p ?o }", "role", [NamedNode("urn:x:a")])
'SELECT * { VALUES ?role { <urn:x:a> } ?role ?p ?o }'
>>> with_in_filter("SELECT * { ?s ?p ?o FILTER(?p IN (?p)) }", "p", [NamedNode("urn:x:p"), NamedNode("urn:x:q")])
'SELECT * { ?s ?p ?o FILTER(?p IN (<urn:x:p>, <urn:x:q>)) }'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from pyoxigraph import NamedNode


def _load() -> dict[str, str]:
    folder = resources.files("graph") / "queries"
    return {
        entry.name.removesuffix(".rq"): entry.read_text(encoding="utf-8")
        for entry in folder.iterdir()
        if entry.name.endswith(".rq")
    }


QUERIES: dict[str, str] = _load()


@dataclass(frozen=True)
class ExampleQuery:
    """A ready-to-run question for the query page; its title is the file's first comment line."""

    name: str
    title: str
    text: str


def _load_examples() -> list[ExampleQuery]:
    folder = resources.files("graph") / "queries" / "examples"
    examples = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            text = entry.read_text(encoding="utf-8")
            title = text.splitlines()[0].lstrip("# ").strip()
            examples.append(ExampleQuery(entry.name.removesuffix(".rq"), title, text))
    return examples


#: The example questions, tools shared by all roles first.
EXAMPLES: list[ExampleQuery] = _load_examples()


def with_values(query: str, variable: str, iris: Sequence[NamedNode]) -> str:
    """Replace the query's ``VALUES ?variable { UNDEF }`` block with the given IRIs (none: leave it)."""
    marker = f"VALUES ?{variable} {{ UNDEF }}"
    if marker not in query:
        raise ValueError(f"the query has no {marker!r} block")
    if not iris:
        return query
    # str(NamedNode) is its N-Triples form <...>; the constructor has already rejected invalid IRIs.
    return query.replace(marker, f"VALUES ?{variable} {{ {' '.join(str(iri) for iri in iris)} }}")


def with_in_filter(query: str, variable: str, iris: Sequence[NamedNode]) -> str:
    """Replace the query's ``FILTER(?variable IN (?variable))`` (always true) with the given IRIs.

    A filter rather than a second VALUES block: Oxigraph joins two VALUES blocks with each other before it
    looks at the graph, which is slow when both are long."""
    marker = f"FILTER(?{variable} IN (?{variable}))"
    if marker not in query:
        raise ValueError(f"the query has no {marker!r}")
    if not iris:
        raise ValueError(f"no IRIs for ?{variable}: unfilled, the filter would let every value through")
    return query.replace(marker, f"FILTER(?{variable} IN ({', '.join(str(iri) for iri in iris)}))")
