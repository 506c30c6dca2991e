"""One exception tree for the domain; ``api/`` maps it to HTTP in one place, the CLI to one-line errors."""

from __future__ import annotations


class RolegraphError(Exception):
    """Base of every error the domain raises on purpose."""


class NotFound(RolegraphError):
    """An id or resource that is not in the graph."""


class InvalidRequest(RolegraphError):
    """A parameter that is malformed (bad id, unknown kind, ...); ``field`` names it when known."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InvalidQuery(RolegraphError):
    """A SPARQL query that does not parse or is not allowed here."""


class QueryTimeout(RolegraphError):
    """A query that ran past the configured time limit."""


class Busy(RolegraphError):
    """Every query slot is taken: the client should retry shortly."""


class QueryTooLong(RolegraphError):
    """A query text over the configured length limit."""


class TooManyRows(RolegraphError):
    """A query whose result exceeds the configured row cap."""


class InvalidDocument(RolegraphError):
    """A role document that cannot be turned into a role (empty, not text, no role)."""


class UnreadableDocument(InvalidDocument):
    """A document that is not text we can read: empty, binary, or not UTF-8."""


class DocumentTooLarge(InvalidDocument):
    """A document over the configured size limit."""


class ShapeViolation(RolegraphError):
    """The graph does not conform to the SHACL shapes; ``report`` holds pyshacl's text."""

    def __init__(self, message: str, report: str = "") -> None:
        super().__init__(message)
        self.report = report


class StoreError(RolegraphError):
    """The store cannot be opened, read or written."""


class VocabularyError(RolegraphError):
    """A curated vocabulary file that breaks its own rules (duplicate id, dangling reference, ...)."""
