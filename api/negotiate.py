"""HTTP content negotiation: pick the best offered media type for an ``Accept`` header.

>>> best_match("text/csv;q=0.5, application/sparql-results+json", ["application/sparql-results+json", "text/csv"])
'application/sparql-results+json'
>>> best_match("text/*", ["application/json", "text/turtle"])
'text/turtle'
>>> best_match("image/png", ["text/turtle"]) is None
True
>>> check_xml(b"<literal>ok</literal>", "application/sparql-results+xml", "accept")
b'<literal>ok</literal>'
"""

from __future__ import annotations

import re

from graph.errors import InvalidRequest

#: What XML 1.0 cannot carry, not even as a character reference, as it appears in a UTF-8 body.
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")


def parse_accept(header: str) -> list[tuple[str, float, int]]:
    """(media range, quality, position) for each entry; malformed qualities count as 0."""
    ranges = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        quality = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((media, quality, position))
    return ranges


def _specificity(media_range: str, offer: str) -> int | None:
    if media_range == offer:
        return 3
    kind, _, _ = offer.partition("/")
    if media_range == f"{kind}/*":
        return 2
    if media_range == "*/*":
        return 1
    return None


def best_match(header: str | None, offers: list[str]) -> str | None:
    """The offer the client prefers most (ties go to the earlier offer); ``None`` if none is acceptable."""
    if not header:
        return offers[0] if offers else None
    ranges = parse_accept(header)
    best: tuple[float, int, int, int] | None = None
    chosen = None
    for index, offer in enumerate(offers):
        matches = [(s, q, -pos) for media, q, pos in ranges if (s := _specificity(media, offer)) is not None]
        if not matches:
            continue
        specificity, quality, _ = max(matches)
        if quality <= 0:
            continue
        score = (quality, specificity, -index, 0)
        if best is None or score > best:
            best, chosen = score, offer
    return chosen


def prefers_html(header: str | None) -> bool:
    """True when a browser asks: text/html is acceptable and preferred to the machine formats."""
    if not header:
        return False
    ranges = parse_accept(header)
    html = max((q for media, q, _ in ranges if media in ("text/html", "application/xhtml+xml")), default=0.0)
    return html > 0 and all(q <= html for media, q, _ in ranges if media not in ("*/*", "text/*"))


def check_xml(body: bytes, media_type: str, field: str) -> bytes:
    """``body``, unless it is XML holding a character XML 1.0 cannot carry: the serialisers write such
    characters (from a literal) as they are, and the document would not parse. Then the client is told to ask
    for another format (``field`` names the parameter that chose this one)."""
    bad = _NOT_XML.search(body) if media_type.endswith(("/xml", "+xml")) else None
    if bad is None:
        return body
    char = bad.group().decode("utf-8")
    raise InvalidRequest(
        f"the answer holds the character U+{ord(char):04X}, which XML cannot carry: "
        "ask for another format (JSON, Turtle, N-Triples, CSV)",
        field=field,
    )
