"""Reading SPARQL text without parsing it: the query form, and keywords outside strings, IRIs and comments.

>>> query_form('PREFIX ex: <http://e/> # a comment\\nCONSTRUCT WHERE { ?s ?p "SELECT" }')
'CONSTRUCT'
>>> has_keyword('SELECT * WHERE { ?s ?p "SERVICE" } # SERVICE', "SERVICE")
False
"""

from __future__ import annotations

import re

# Strings, IRIs and comments are blanked out before looking for keywords, so that a literal "SERVICE"
# or a comment cannot trigger (or hide) a decision.
_OPAQUE = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*'
)
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[\w.-]*:\s*|BASE\s*)\s*)*", re.I)
_FIRST_WORD = re.compile(r"[A-Za-z]+")
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})


def blank_opaque(text: str) -> str:
    """``text`` with strings, IRIs and comments replaced by spaces (offsets are kept)."""
    return _OPAQUE.sub(lambda m: " " * len(m.group()), text)


def query_form(text: str) -> str:
    """The first keyword after the prologue, upper-cased (SELECT, ASK, CONSTRUCT, DESCRIBE, INSERT, ...)."""
    visible = blank_opaque(text)
    start = _PROLOGUE.match(visible)
    word = _FIRST_WORD.search(visible, start.end() if start else 0)
    return word.group().upper() if word else ""


def has_keyword(text: str, keyword: str) -> bool:
    """Whether ``keyword`` appears as a keyword (not in a string, IRI, comment, variable or prefixed name)."""
    pattern = re.compile(rf"(?<![\w:?$]){re.escape(keyword)}(?![\w:-])", re.I)
    return bool(pattern.search(blank_opaque(text)))


_TOKEN = re.compile(r"[{}]|\b(?:WHERE|USING|WITH|DELETE|INSERT|DATA)\b", re.I)


def add_using(update: str, using: list[str], using_named: list[str]) -> str:
    """Apply the protocol's ``using-graph-uri`` / ``using-named-graph-uri`` to an update: a ``USING`` clause
    before every top-level ``WHERE``. The IRIs must already be validated (they are written as ``<iri>``).

    >>> add_using("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ["urn:g"], [])
    'DELETE { ?s ?p ?o } USING <urn:g> WHERE { ?s ?p ?o }'
    """
    if not using and not using_named:
        return update
    visible = blank_opaque(update)
    clause = "".join(f"USING <{iri}> " for iri in using) + "".join(f"USING NAMED <{iri}> " for iri in using_named)
    inserts: list[int] = []
    depth = 0
    previous = ""
    for token in _TOKEN.finditer(visible):
        word = token.group().upper()
        if word == "{":
            depth += 1
        elif word == "}":
            depth -= 1
        elif depth == 0 and word in ("USING", "WITH"):
            raise ValueError("the update names its own dataset (USING/WITH): do not also send using-graph-uri")
        elif depth == 0 and word == "WHERE":
            if previous == "DELETE":
                raise ValueError("using-graph-uri cannot apply to DELETE WHERE: write DELETE { ... } WHERE { ... }")
            inserts.append(token.start())
        previous = word
    for position in reversed(inserts):
        update = update[:position] + clause + update[position:]
    return update
