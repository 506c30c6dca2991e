"""The one place where domain errors become HTTP responses, and where the OpenAPI schema declares them."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from graph.errors import (
    Busy,
    DocumentTooLarge,
    InvalidDocument,
    InvalidQuery,
    InvalidRequest,
    NotFound,
    QueryTimeout,
    QueryTooLong,
    RolegraphError,
    ShapeViolation,
    StoreError,
    TooManyRows,
    UnreadableDocument,
)

#: Most specific first: the first class an error is an instance of decides its status.
STATUS: tuple[tuple[type[RolegraphError], int], ...] = (
    (NotFound, 404),
    (InvalidRequest, 422),
    (InvalidQuery, 400),
    (TooManyRows, 422),
    # A limit the query hit is the client's to change (a 4xx), not a fault of the service.
    (QueryTimeout, 422),
    (QueryTooLong, 413),
    (Busy, 429),
    (DocumentTooLarge, 413),
    (UnreadableDocument, 400),
    (InvalidDocument, 422),
    (ShapeViolation, 422),
    (StoreError, 503),
    (RolegraphError, 400),
)


class ErrorBody(BaseModel):
    """The body of every error response: ``detail`` says what is wrong."""

    detail: str | list[dict[str, Any]] = Field(
        description="what is wrong: a sentence, or (for a malformed parameter) FastAPI's list of the invalid ones"
    )
    error: str | None = Field(default=None, description="the kind of error, e.g. NotFound or InvalidRequest")
    field: str | None = Field(default=None, description="the parameter at fault, when known")
    report: str | None = Field(default=None, description="the SHACL report, for a shape violation")


#: What each error status means here, for the OpenAPI schema.
ERROR_DESCRIPTIONS = {
    400: "Bad request: the query or document cannot be read",
    401: "No valid bearer token (writes need one)",
    403: "Writes are disabled on this server",
    404: "No such role, item, document or graph",
    413: "Over a size limit (query length, document or upload size)",
    422: "A parameter or document is invalid, or a query hit the time or row limit",
    429: "Every query slot is busy: retry after the Retry-After delay",
    503: "The store cannot be reached",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route that can answer with these error statuses: an :class:`ErrorBody` in JSON
    (also on a route whose own responses are HTML or RDF: API clients get JSON errors there too)."""
    ref = f"#/components/schemas/{ErrorBody.__name__}"
    return {
        status: {
            "model": ErrorBody,
            "description": ERROR_DESCRIPTIONS[status],
            "content": {"application/json": {"schema": {"$ref": ref}}},
        }
        for status in statuses
    }


def error_response(exc: RolegraphError) -> JSONResponse:
    status = next(code for cls, code in STATUS if isinstance(exc, cls))
    body: dict[str, object] = {"detail": str(exc), "error": type(exc).__name__}
    if isinstance(exc, InvalidRequest) and exc.field:
        body["field"] = exc.field
    if isinstance(exc, ShapeViolation) and exc.report:
        body["report"] = exc.report
    headers = {"Retry-After": "1"} if isinstance(exc, Busy) else None
    return JSONResponse(body, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Map domain errors to responses, and declare the errors any route can answer with: 422 (FastAPI's list
    of invalid parameters, or a domain error's sentence: both are an :class:`ErrorBody`) and 503. Call it
    before the routers are included: routes added later inherit these declarations."""

    async def handle(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RolegraphError)
        return error_response(exc)

    app.add_exception_handler(RolegraphError, handle)
    app.router.responses = {**error_responses(422, 503), **app.router.responses}
