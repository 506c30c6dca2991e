"""Data derived from an on-disk store, kept inside its folder so that a restart need not derive it again.

The role index takes about a second to read from a store of 3,000 roles; kept as a file, it loads in tens of
milliseconds. A kept file must never outlive the content it was derived from, so it is used only when all
of these hold:

* nothing was written since it was saved: every write through :class:`graph.store.OxigraphStore` deletes the
  kept files (durably) *before* it writes, and a file is saved only if no write landed since its data was
  read, after the store has flushed that data to disk;
* it lives in the store's own folder (``<store>/rolegraph-derived/``, which RocksDB leaves alone): deleting
  or replacing the folder, or restoring a backup made with ``Store.backup`` (which copies RocksDB's files
  only), takes the kept files with it;
* the store's fingerprint is the one recorded in the file: its RocksDB identity and its number of quads, so
  that another tool (``oxigraph load``, a script) adding or removing quads while rolegraph was stopped is
  noticed. A write by another tool that keeps the count exactly (replacing as many quads as it adds) would
  go unnoticed: rolegraph expects to be its store's only writer;
* the code that derived it is the code reading it: the caller names the file after a digest of that code.

The files are only ever read by this code (they are pickles: trusted like the store itself).

>>> import tempfile
>>> kept = DerivedFiles(Path(tempfile.mkdtemp()))  # a store folder
>>> kept.save("answer", b"identity:3", b"42")
>>> kept.load("answer", lambda: b"identity:3")
b'42'
>>> kept.load("answer", lambda: b"identity:4") is None  # the store changed behind the kept file's back
True
>>> kept.invalidate(); kept.load("answer", lambda: b"identity:3") is None
True
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from graph.errors import StoreError

HEADER_END = b"\n"
FOLDER = "rolegraph-derived"


class DerivedFiles:
    """Files of derived data in the folder of the store at ``store_path``."""

    def __init__(self, store_path: Path) -> None:
        self.folder = store_path / FOLDER

    def load(self, name: str, fingerprint: Callable[[], bytes]) -> bytes | None:
        """The data kept under ``name`` if the store's ``fingerprint()`` (asked only when there is a file)
        is the one it was kept for, else None."""
        try:
            kept = (self.folder / name).read_bytes()
        except OSError:
            return None
        header, _, data = kept.partition(HEADER_END)
        return data if header == fingerprint() else None

    def save(self, name: str, fingerprint: bytes, data: bytes) -> None:
        """Keep ``data``, derived from the store's current (flushed) content, under ``name``: atomically and
        durably, so that after a crash the file is either whole or absent.

        Best effort: a kept file only saves time, so a full disk or a read-only folder is not an error."""
        if HEADER_END in fingerprint:
            raise ValueError("a fingerprint is one line")
        partial = self.folder / f".{name}.partial"
        try:
            self.folder.mkdir(exist_ok=True)
            with partial.open("wb") as out:
                out.write(fingerprint + HEADER_END + data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, self.folder / name)
            self._sync_folder()
        except OSError:
            partial.unlink(missing_ok=True)

    def invalidate(self) -> None:
        """Forget everything kept, durably (a crash after the write that follows must not revive it).

        Raises :class:`StoreError` when that fails: the write must not go ahead with a stale file behind."""
        try:
            names = os.listdir(self.folder)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StoreError(f"cannot clear the derived data in {self.folder}: {exc}") from exc
        if not names:
            return
        try:
            for name in names:
                (self.folder / name).unlink(missing_ok=True)
            self._sync_folder()
        except OSError as exc:
            raise StoreError(f"cannot clear the derived data in {self.folder}: {exc}") from exc

    def _sync_folder(self) -> None:
        descriptor = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
