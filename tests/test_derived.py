"""The role index kept beside an on-disk store: a restart reads it instead of the store, and it is never used
once the store's content may have changed (a write through us, a write by another tool, a store rebuilt in
its place, a damaged file)."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad, RdfFormat, Store

from graph.index import KEPT_AS, RoleIndex
from graph.namespaces import Iris, rg
from graph.settings import Settings
from graph.store import GraphStore

IRIS = Iris(Settings().base_iri)
SEED_ROLES = ["ai-engineer", "deep-learning-engineer", "data-engineer"]
SHARED_BY_ALL = {"aws", "azure", "google-cloud", "java", "python"}
#: A link the seed graph does not have: the AI Engineer using Rust.
NEW_LINK = Quad(
    IRIS.node("role", "ai-engineer"), rg("usesTool"), IRIS.node("tool", "rust"), NamedNode(IRIS.base + "graph/test")
)


@pytest.fixture
def stored(tmp_path: Path, seed_nquads: bytes) -> Path:
    """An on-disk store holding the seed graph, closed."""
    path = tmp_path / "store"
    store = GraphStore.open(path)
    store.load_nquads(seed_nquads)
    del store  # releases the store and its RocksDB lock, as a process ending would
    gc.collect()
    return path


@pytest.fixture
def store_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the times the index is read from the store (rather than restored)."""
    calls: list[int] = []
    original = RoleIndex.load.__func__  # type: ignore[attr-defined]

    def counted(cls: type[RoleIndex], store: GraphStore) -> RoleIndex:
        calls.append(1)
        return original(cls, store)  # type: ignore[no-any-return]

    monkeypatch.setattr(RoleIndex, "load", classmethod(counted))
    return calls


def restored(path: Path) -> RoleIndex:
    """The index as a new process would get it: open the store, restore or derive the index, close."""
    store = GraphStore.open(path)
    try:
        return RoleIndex.restore_or_load(store)
    finally:
        del store
        gc.collect()


def test_a_restart_restores_the_index_instead_of_reading_the_store(stored: Path, store_reads: list[int]) -> None:
    first = restored(stored)
    assert store_reads == [1]  # derived from the store once, and kept
    again = restored(stored)
    assert store_reads == [1]  # the restart did not read the store
    assert (again.roles, again.links, again.items, again.essential) == (
        first.roles,
        first.links,
        first.items,
        first.essential,
    )
    assert again.shared("tool", SEED_ROLES) == SHARED_BY_ALL


def test_a_write_forgets_the_kept_index_and_the_next_one_is_exact(stored: Path, store_reads: list[int]) -> None:
    store = GraphStore.open(stored)
    before = RoleIndex.restore_or_load(store)
    assert "rust" not in before.role_items("tool", "ai-engineer")
    store.add_all([NEW_LINK])
    assert store.load_derived(KEPT_AS) is None  # forgotten before the write
    after = RoleIndex.restore_or_load(store)
    assert "rust" in after.role_items("tool", "ai-engineer")
    del store
    gc.collect()
    assert "rust" in restored(stored).role_items("tool", "ai-engineer")
    assert store_reads == [1, 1]  # the restart used what was kept after the write


def test_a_write_by_another_tool_is_noticed(stored: Path) -> None:
    restored(stored)
    raw = Store(str(stored))  # bypasses rolegraph: nothing forgets the kept index, its fingerprint must
    raw.add(NEW_LINK)
    del raw
    gc.collect()
    assert "rust" in restored(stored).role_items("tool", "ai-engineer")


def test_a_store_rebuilt_in_its_place_is_noticed(stored: Path, seed_nquads: bytes) -> None:
    restored(stored)
    shutil.rmtree(stored)
    raw = Store(str(stored))
    raw.bulk_load(seed_nquads + str(NEW_LINK).encode() + b" .\n", format=RdfFormat.N_QUADS)
    del raw
    gc.collect()
    assert "rust" in restored(stored).role_items("tool", "ai-engineer")


def test_a_damaged_kept_index_is_derived_anew(stored: Path, store_reads: list[int]) -> None:
    restored(stored)
    kept = stored / "rolegraph-derived" / KEPT_AS
    header, _, _ = kept.read_bytes().partition(b"\n")
    kept.write_bytes(header + b"\nnot a pickle")  # a current fingerprint, a damaged body
    assert restored(stored).shared("tool", SEED_ROLES) == SHARED_BY_ALL
    assert store_reads == [1, 1]


def test_data_read_before_a_write_is_not_kept(stored: Path) -> None:
    for saved_at, expected in (("before the write", None), ("after the write", b"current")):
        store = GraphStore.open(stored)
        read_at = store.version
        store.add_all([NEW_LINK])  # lands after the data was read, before it is saved
        store.save_derived("answer", read_at if saved_at == "before the write" else store.version, b"current")
        del store
        gc.collect()
        store = GraphStore.open(stored)  # the next process
        assert store.load_derived("answer") == expected, saved_at
        del store
        gc.collect()


def test_only_a_store_this_process_writes_keeps_derived_data(stored: Path, seed_nquads: bytes) -> None:
    primary = GraphStore.open(stored)
    try:
        reader = GraphStore.open_read_only(stored)  # the primary may write at any moment
        reader.save_derived("answer", reader.version, b"42")
        assert reader.load_derived("answer") is None
    finally:
        del primary
        gc.collect()
    memory = GraphStore.in_memory()
    memory.load_nquads(seed_nquads)
    memory.save_derived("answer", memory.version, b"42")
    assert memory.load_derived("answer") is None


def test_write_commands_leave_the_index_kept_for_the_next_start(tmp_path: Path, store_reads: list[int]) -> None:
    from api.cli import main

    assert main(["--data-dir", str(tmp_path), "build", "--no-validate"]) == 0
    assert store_reads == [1]  # the build derived the index once, and kept it
    index = restored(tmp_path / "store")
    assert store_reads == [1]  # the next process restores it
    assert index.shared("tool", SEED_ROLES) == SHARED_BY_ALL


def test_a_store_restored_from_a_backup_does_not_get_a_newer_kept_index(stored: Path, tmp_path: Path) -> None:
    """A backup has the same RocksDB identity, and a relabel keeps the quad count: only the kept files
    living in the store's folder (which a backup does not copy) keep the restored store from a newer index."""
    store = GraphStore.open(stored)
    backup = tmp_path / "backup"
    store._store.backup(str(backup))  # pyoxigraph's own backup
    store.update(
        "DELETE { GRAPH ?g { ?r rdfs:label ?old } } INSERT { GRAPH ?g { ?r rdfs:label 'Renamed' } } "
        "WHERE { GRAPH ?g { ?r dcterms:identifier 'ai-engineer' ; rdfs:label ?old } }"
    )
    assert RoleIndex.restore_or_load(store).roles["ai-engineer"][0] == "Renamed"  # derived and kept
    del store
    gc.collect()
    shutil.rmtree(stored)
    shutil.copytree(backup, stored)
    assert restored(stored).roles["ai-engineer"][0] == "AI Engineer"


def test_a_write_that_cannot_forget_the_kept_index_is_refused_whole(
    stored: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the kept index cannot be deleted, the write does not happen (else a stale index would outlive it)."""
    from graph.errors import StoreError

    restored(stored)
    store = GraphStore.open(stored)
    before = len(store)

    def refuse(path: Path, missing_ok: bool = False) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(Path, "unlink", refuse)
    with pytest.raises(StoreError, match="cannot clear the derived data"):
        store.add_all([NEW_LINK])
    monkeypatch.undo()
    assert len(store) == before  # nothing written
    assert "rust" not in RoleIndex.restore_or_load(store).role_items("tool", "ai-engineer")
    del store
    gc.collect()
