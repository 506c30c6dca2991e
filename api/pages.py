"""HTML pages served by the app: the SPARQL query page. Assets come from ``api/static`` (no CDN)."""

from __future__ import annotations

import functools
import html
import json
from pathlib import Path
from string import Template

from graph.onet import ATTRIBUTION as ONET_ATTRIBUTION
from graph.queries import EXAMPLES

STATIC_DIR = Path(__file__).parent / "static"


def _json_for_html(value: object) -> str:
    # Inside <script>, "</" would end the element: escape it.
    return json.dumps(value).replace("</", "<\\/")


@functools.cache
def query_page(base_iri: str) -> str:
    """The query page with the example questions and the IRI base embedded (built once per base)."""
    template = Template((STATIC_DIR / "query.html").read_text(encoding="utf-8"))
    examples = [{"name": e.name, "title": e.title, "query": e.text} for e in EXAMPLES]
    return template.substitute(
        examples=_json_for_html(examples),
        base=_json_for_html(base_iri),
        # Shown by the page only while O*NET data is in the store (it asks /api/imports/onet).
        onet_attribution=html.escape(ONET_ATTRIBUTION),
    )
