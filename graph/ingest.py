"""Ingest one role document: decode, extract, validate against the shapes, then write its graph atomically.

Nothing is written unless every step succeeds, and the write itself replaces the document's named graph in
one transaction, so the store holds either the old state or the whole new document.

>>> from graph.build import build
>>> from graph.settings import Settings
>>> store = GraphStore.in_memory()
>>> _ = build(Settings(), store)
>>> text = b"Roles and Responsibilities of a Data Analyst\\nSkills Required\\nProgramming: Python and SQL.\\n"
>>> report = ingest_document(store, Settings(), text, "analyst.txt")
>>> report.role, report.added["tool"]
({'id': 'data-analyst', 'label': 'Data Analyst'}, 2)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import Literal, Quad

from graph.build import CATEGORY_MODEL, document_quads
from graph.errors import DocumentTooLarge, InvalidDocument, NotFound, ShapeViolation, UnreadableDocument
from graph.extract import RoleDocument, extract_role_document
from graph.namespaces import PROV, XSD, Iris, check_slug, term
from graph.settings import Settings
from graph.store import GraphStore
from graph.vocabulary import load_vocabulary

#: Media types accepted as role documents.
DOCUMENT_TYPES = ("text/plain", "text/markdown", "text/x-markdown")


@dataclass
class IngestReport:
    """What an ingestion wrote, per kind, and what the extractor skipped."""

    id: str
    role: dict[str, str]
    added: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    replaced: bool = False
    triples: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "role": self.role,
            "added": self.added,
            "skipped": self.skipped,
            "replaced": self.replaced,
            "triples": self.triples,
        }


def decode_document(data: bytes, max_bytes: int) -> str:
    """The document's text, or a reason why it is not a text document we accept."""
    if len(data) > max_bytes:
        raise DocumentTooLarge(f"the document is {len(data)} bytes, more than the limit of {max_bytes} bytes")
    if not data.strip():
        raise UnreadableDocument("the document is empty")
    if b"\x00" in data:
        raise UnreadableDocument("the document contains NUL bytes: it looks binary, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableDocument(f"the document is not UTF-8 text (byte {exc.start} cannot be decoded)") from exc
    return text.replace("\r\n", "\n")


def _counts(doc: RoleDocument) -> dict[str, int]:
    return {
        "responsibility": len(doc.responsibilities),
        "activity": len(doc.activities),
        **{category: len(doc.term_ids(category)) for category in CATEGORY_MODEL},
        "mention": len(doc.mentions),
    }


def prepare_document(settings: Settings, data: bytes, file_name: str) -> tuple[RoleDocument, list[Quad]]:
    """Decode, extract and validate a document; raises before anything is written."""
    text = decode_document(data, settings.max_document_bytes)
    doc = extract_role_document(text, load_vocabulary(settings.vocabulary_dir))
    iris = Iris(settings.base_iri)
    quads = document_quads(doc, iris, file_name)
    if not doc.term_ids("skill"):
        raise InvalidDocument(
            f"the document names no skill the vocabulary knows: a role needs at least one ({doc.role_label})"
        )
    # Imported here: pySHACL and rdflib cost ~0.15 s at start-up, and only ingestion needs them.
    from graph.validate import validate_document

    report = validate_document(quads, settings)
    if not report.conforms:
        raise ShapeViolation(
            f"the document's graph breaks {report.violations} SHACL constraint(s): {report.summary}", report.text
        )
    return doc, quads


def ingest_document(
    store: GraphStore, settings: Settings, data: bytes, file_name: str, now: dt.datetime | None = None
) -> IngestReport:
    """Ingest one document (bytes as received), replacing any earlier document of the same role."""
    doc, quads = prepare_document(settings, data, file_name)
    iris = Iris(settings.base_iri)
    graph = iris.document_graph(doc.doc_id)
    ingested = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
    quads.append(
        Quad(
            iris.node("document", doc.doc_id),
            term(PROV, "generatedAtTime"),
            Literal(ingested, datatype=term(XSD, "dateTime")),
            graph,
        )
    )
    replaced = store.has_graph(graph)
    store.replace_graph(graph, quads)
    return IngestReport(
        id=doc.doc_id,
        role={"id": doc.role_id, "label": doc.role_label},
        added=_counts(doc),
        skipped=doc.skipped,
        replaced=replaced,
        triples=len(quads),
    )


def delete_document(store: GraphStore, settings: Settings, doc_id: str) -> None:
    """Remove a document's graph (and with it its role); :class:`NotFound` if there is none."""
    graph = Iris(settings.base_iri).document_graph(check_slug(doc_id, "document id", field="id"))
    if not store.has_graph(graph):
        raise NotFound(f"no document with id {doc_id!r}")
    store.drop_graph(graph)
