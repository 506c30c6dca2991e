"""Find vocabulary terms in free text: whole words, longest match first, case-aware per term.

>>> m = TermMatcher([("r", "R", True), ("rnn", "RNNs", False), (None, "snowflake schema", False),
...                  ("snowflake", "Snowflake", True)])
>>> [(x.term_id, x.text) for x in m.find("RNNs in R on Snowflake, not a snowflake schema")]
[('rnn', 'RNNs'), ('r', 'R'), ('snowflake', 'Snowflake')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# A term starts where no word character precedes it and ends where no word character, '+' or '#' follows:
# "R" must not match inside "RNNs", "C" not inside "C++".
_BEFORE = r"(?<!\w)"
_AFTER = r"(?![\w+#])"


@dataclass(frozen=True, slots=True)
class TextMatch:
    """One occurrence of a term; ``term_id`` is ``None`` for a blocking phrase (it only claims its span)."""

    term_id: str | None
    start: int
    end: int
    text: str


def _normalise(text: str) -> str:
    return " ".join(text.split())


#: Whitespace that does not end a line: everything but the breaks ``str.splitlines`` (and so the extractor) knows.
_INLINE_SPACE = r"[^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+"


def _pattern(surface: str) -> str:
    # A run of spaces or tabs in the text matches a space in the surface form; a term never spans lines.
    return _INLINE_SPACE.join(re.escape(part) for part in surface.split())


class TermMatcher:
    """A compiled matcher over ``(term_id, surface form, case_sensitive)`` entries."""

    def __init__(self, entries: Iterable[tuple[str | None, str, bool]]) -> None:
        self._exact: dict[str, str | None] = {}
        self._folded: dict[str, str | None] = {}
        alternatives: list[tuple[int, str]] = []
        for term_id, surface, case_sensitive in entries:
            key = _normalise(surface)
            if not key:
                continue
            if case_sensitive:
                self._exact.setdefault(key, term_id)
                alternatives.append((len(key), _pattern(key)))
            else:
                self._folded.setdefault(key.casefold(), term_id)
                alternatives.append((len(key), f"(?i:{_pattern(key)})"))
        # Python's alternation takes the first alternative that matches at a position: longest first.
        alternatives.sort(key=lambda item: -item[0])
        body = "|".join(pattern for _, pattern in alternatives) or r"(?!x)x"
        self._regex = re.compile(f"{_BEFORE}(?:{body}){_AFTER}")

    def find(self, text: str, offset: int = 0) -> list[TextMatch]:
        """All non-overlapping matches of real terms; offsets are shifted by ``offset``."""
        found: list[TextMatch] = []
        for match in self._regex.finditer(text):
            key = _normalise(match.group())
            term_id = self._exact[key] if key in self._exact else self._folded.get(key.casefold())
            if term_id is not None:
                found.append(TextMatch(term_id, match.start() + offset, match.end() + offset, match.group()))
        return found

    def lookup(self, phrase: str) -> str | None:
        """The term whose surface form is exactly ``phrase`` (case rules applied), else ``None``."""
        key = _normalise(phrase)
        if key in self._exact:
            return self._exact[key]
        return self._folded.get(key.casefold())
