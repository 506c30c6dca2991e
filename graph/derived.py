"""Data derived from an on-disk store, kept beside it so that a restart need not derive it again.

The role index takes about a second to read from a store of 3,000 roles; kept as a file, it loads in tens of
milliseconds. A kept file must never outlive the content it was derived from, so it is used only when both
hold:

* nothing was written since it was saved: every write through :class:`graph.store.OxigraphStore` deletes the
  kept files *before* it writes, and a file is saved only if no write landed since its data was read;
* the folder holds the same store: each file records the store's fingerprint, its RocksDB identity (new for
  every store created in the folder) and its number of quads, and is ignored when that differs. This is
  what notices another tool (``oxigraph load``, a script) writing into the folder while rolegraph was not
  running: adding or removing quads changes the count. A write by another tool that keeps the count exactly
  (replacing as many quads as it adds) would go unnoticed: rolegraph expects to be its store's only writer.

The files live in ``<store>.derived/`` and are only ever read by this code (they are pickles: trusted like
the store itself).

>>> import tempfile
>>> kept = DerivedFiles(Path(tempfile.mkdtemp()) / "store")
>>> kept.save("answer", b"identity:3", b"42")
>>> kept.load("answer", b"identity:3")
b'42'
>>> kept.load("answer", b"identity:4") is None  # the store changed behind the kept file's back
True
>>> kept.invalidate(); kept.load("answer", b"identity:3") is None
True
"""

from __future__ import annotations

import os
from pathlib import Path

HEADER_END = b"\n"


class DerivedFiles:
    """Files of derived data beside the store at ``store_path``."""

    def __init__(self, store_path: Path) -> None:
        self.store_path = store_path
        self.folder = store_path.with_name(store_path.name + ".derived")

    def load(self, name: str, fingerprint: bytes) -> bytes | None:
        """The data kept under ``name`` for a store with this ``fingerprint``, or None."""
        try:
            kept = (self.folder / name).read_bytes()
        except OSError:
            return None
        header, _, data = kept.partition(HEADER_END)
        return data if header == fingerprint else None

    def save(self, name: str, fingerprint: bytes, data: bytes) -> None:
        """Keep ``data``, derived from the store's current content, under ``name``, atomically.

        Best effort: a kept file only saves time, so a full disk or a read-only folder is not an error."""
        if HEADER_END in fingerprint:
            raise ValueError("a fingerprint is one line")
        try:
            self.folder.mkdir(exist_ok=True)
            partial = self.folder / f".{name}.partial"
            partial.write_bytes(fingerprint + HEADER_END + data)
            os.replace(partial, self.folder / name)
        except OSError:
            return

    def invalidate(self) -> None:
        """Forget everything kept (before a write), durably: a crash after the write must not revive it."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            (self.folder / name).unlink(missing_ok=True)
        descriptor = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
