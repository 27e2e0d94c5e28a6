"""Loading a store for questions: a SQLite store of record as it is; a JSON store whole when small, through its derived index when large."""

from __future__ import annotations

import os

from ..core.errors import StoreError
from .backend import is_database
from .base import Store
from .memory import load_whole

INDEX_MODES = ("auto", "always", "never")
# Below this size, reading the JSON is quicker than opening an index; above it, the index wins.
INDEX_THRESHOLD_BYTES = 1_000_000


def load(path: str, index: str = "auto", cache_dir: str | None = None) -> Store:
    """The store at path, validated; through the derived index (kept in cache_dir) when it is
    large (index "auto"), "always", or "never". Raises StoreError rather than answer from a
    broken store."""
    if index not in INDEX_MODES:
        raise StoreError(f"the index setting must be one of {', '.join(INDEX_MODES)}, not {index!r}")
    if is_database(path):
        from .sqlitefile import open_store

        return open_store(path)  # its own index: it needs no other
    if cache_dir is not None and uses_index(path, index):
        from .index import indexed_store

        indexed = indexed_store(path, cache_dir)
        if indexed is not None:
            return indexed
    return load_whole(path, cache_dir)


def uses_index(path: str, index: str = "auto") -> bool:
    """Whether questions about the store at path go through the derived index, the index
    setting being index (never for a SQLite store of record, which is its own index)."""
    if is_database(path):
        return False
    return index == "always" or (index == "auto" and _size(path) >= INDEX_THRESHOLD_BYTES)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # reading it will say what is wrong

