"""Choose the store from the settings: the embedded pyoxigraph store, or a remote SPARQL endpoint.

>>> from graph.settings import Settings
>>> type(open_store(Settings(store_url="http://127.0.0.1:7878/query"))).__name__
'RemoteStore'
"""

from __future__ import annotations

from graph.errors import StoreError
from graph.settings import Settings
from graph.store import GraphStore


def open_store(settings: Settings, *, write: bool = True) -> GraphStore:
    """The configured store. A reader of the embedded store falls back to read-only when another process
    (a running server) holds the write lock."""
    if settings.store_url:
        # Imported here: the HTTP client costs ~0.1 s at start-up, and the embedded store needs none.
        from graph.remote import remote_store_from_settings

        return remote_store_from_settings(settings)
    try:
        return GraphStore.open(settings.store_path)
    except StoreError:
        if write:
            raise
        return GraphStore.open_read_only(settings.store_path)
