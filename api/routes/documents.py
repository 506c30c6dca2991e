"""``/api/documents``: list, ingest (text, Markdown or a multipart file) and remove role documents."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.types import Message

from api.auth import WriteAccess
from api.deps import GraphDep, SettingsDep
from api.errors import error_responses
from graph.errors import DocumentTooLarge, NotFound, UnreadableDocument
from graph.ingest import DOCUMENT_TYPES, delete_document, ingest_document
from graph.namespaces import SLUG

router = APIRouter(prefix="/api/documents", tags=["documents"])

#: Room for the multipart envelope around a file of the maximum size.
MULTIPART_OVERHEAD = 64 * 1024


async def read_capped(request: Request, limit: int) -> bytes:
    """The request body, refused as soon as it passes ``limit`` bytes (never read whole into memory)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise DocumentTooLarge(f"the request body is {declared} bytes, more than the limit of {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise DocumentTooLarge(f"the request body is more than the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _replay(request: Request, body: bytes) -> Request:
    """A request whose body is ``body``, already read (so the form parser can read it again)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(request.scope, receive)


@router.get("", summary="Every source document, with its provenance and role")
def list_documents(graph: GraphDep) -> list[dict[str, Any]]:
    return graph.documents()


@router.get("/{doc_id}", summary="One source document", responses=error_responses(404))
def get_document(graph: GraphDep, doc_id: Annotated[str, Path(pattern=SLUG.pattern, max_length=200)]) -> dict[str, Any]:
    for document in graph.documents():
        if document["id"] == doc_id:
            return document
    raise NotFound(f"no document with id {doc_id!r}")


@router.post(
    "",
    status_code=201,
    summary="Ingest a role document (needs the bearer token)",
    responses=error_responses(400, 401, 403, 413),
    openapi_extra={
        "requestBody": {
            "content": {
                "text/plain": {"schema": {"type": "string"}},
                "text/markdown": {"schema": {"type": "string"}},
                "multipart/form-data": {
                    "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
                },
            },
            "required": True,
        }
    },
)
async def post_document(
    request: Request,
    settings: SettingsDep,
    graph: GraphDep,
    _: WriteAccess,
    name: Annotated[str | None, Query(max_length=200, description="file name to record for a raw body")] = None,
) -> JSONResponse:
    """Extract, validate (SHACL) and store a document in one transaction; the same role's document is replaced.

    The response names the document and its role, counts what was added per kind, and lists what was
    skipped. Empty, binary or non-UTF-8 input is 400, over the size limit 413, role-less or invalid 422:
    nothing is written then.
    """
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    limit = settings.max_document_bytes
    if content_type == "multipart/form-data":
        body = await read_capped(request, limit + MULTIPART_OVERHEAD)
        # The context manager closes the spooled upload files when done.
        async with _replay(request, body).form(max_files=1, max_fields=10) as form:
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise UnreadableDocument("the multipart body has no 'file' part")
            data = await upload.read()
            file_name = upload.filename or name or "document.txt"
    elif content_type in DOCUMENT_TYPES:
        data = await read_capped(request, limit)
        file_name = name or ("document.md" if "markdown" in content_type else "document.txt")
    else:
        raise UnreadableDocument(
            f"send the document as {', '.join(DOCUMENT_TYPES)} or multipart/form-data, not {content_type or 'nothing'}"
        )
    report = await run_in_threadpool(ingest_document, graph.store, settings, data, file_name)
    return JSONResponse(report.as_json(), status_code=201)


@router.delete(
    "/{doc_id}",
    summary="Remove a document and its role (needs the bearer token)",
    responses=error_responses(401, 403, 404),
)
def remove_document(
    settings: SettingsDep,
    graph: GraphDep,
    _: WriteAccess,
    doc_id: Annotated[str, Path(pattern=SLUG.pattern, max_length=200)],
) -> dict[str, Any]:
    delete_document(graph.store, settings, doc_id)
    return {"id": doc_id, "deleted": True}
