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
