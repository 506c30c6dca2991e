"""The one place where domain errors become HTTP responses."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

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
    async def handle(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RolegraphError)
        return error_response(exc)

    app.add_exception_handler(RolegraphError, handle)
