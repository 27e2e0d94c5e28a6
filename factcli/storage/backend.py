"""Which back end holds a store, a JSON file or a SQLite store of record, and reading its tables whole from either."""

from __future__ import annotations

import os
import stat

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .writing import Derivation, StoreFile

# A store named so is a SQLite store of record; so is a store of any other name whose file is SQLite.
DATABASE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
SQLITE_HEADER = b"SQLite format 3\x00"


def is_database(path: str | os.PathLike) -> bool:
    """Whether the store at path is (or will be) a SQLite store of record: one named so, or a
    file of another name whose first bytes are SQLite's (made with facts init --format sqlite)."""
    if named_database(path):
        return True
    try:
        # Non-blocking and checked regular before reading: a FIFO would wait for a writer.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        return stat.S_ISREG(os.fstat(descriptor).st_mode) and os.pread(descriptor, len(SQLITE_HEADER), 0) == SQLITE_HEADER
    except OSError:
        return False  # the JSON reader says what is wrong with it
    finally:
        os.close(descriptor)


def named_database(path: str | os.PathLike) -> bool:
    """Whether path's name says a SQLite store: it ends .db, .sqlite or .sqlite3."""
    return os.fspath(path).lower().endswith(DATABASE_SUFFIXES)


def read_tables(path: str) -> dict:
    """The raw tables of the store at path, whole; StoreError if it cannot be read."""
    if is_database(path):
        from . import sqlitefile

        return sqlitefile.read_tables(path)
    from . import jsonfile

    return jsonfile.read_tables(path)


def read_valid_tables(path: str, cache_dir: str | None = None) -> dict:
    """The raw tables of a store that validates, whole; StoreError, naming the first problem, if
    not. With cache_dir, a JSON store's file that validated before, unchanged, under the same
    rules, is not checked again (storage.checked)."""
    if cache_dir is None or is_database(path):
        return _checked(path, read_tables(path))
    import json

    from . import checked, jsonfile

    jsonfile.sweep_abandoned(path)
    before = _status(path)
    data = jsonfile.read_store_bytes(path)
    if before is not None and checked.validated(path, cache_dir, before, data):
        return json.loads(data)  # what the strict reader made of these bytes, sooner
    tables = _checked(path, jsonfile.parse_store(path, data))
    if before is not None and _status(path) == before:
        checked.remember(path, cache_dir, before, data)
    return tables


def _checked(path: str, tables: object) -> dict:
    from ..core.validation import store_problems
    from .jsonfile import invalid_store_error

    problems = store_problems(tables)
    if problems:
        raise invalid_store_error(path, problems)
    assert isinstance(tables, dict)  # a store without problems is an object of tables
    return tables


def _status(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def store_file(path: str, derivation: Derivation) -> StoreFile:
    """The store at path, for changing it; derivation is what a SQLite store of record keeps of
    each claim to check others against."""
    if is_database(path):
        from .sqlitefile import SQLiteStoreFile

        return SQLiteStoreFile(path, derivation)
    from .writing import JSONStoreFile

    return JSONStoreFile(path)
