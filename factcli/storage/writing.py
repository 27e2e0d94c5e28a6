"""Changing a store on disk: the interface both back ends implement, and the JSON file's own writer, a TinyDB storage that never leaves a half-written file."""

from __future__ import annotations

import abc
import contextlib
import os
import stat
from collections.abc import Callable, Iterable

from tinydb.storages import Storage

from ..core.errors import StoreError
from ..core.tuples import Record
from ..core.validation import store_problems
from .files import fsync_directory, parse_json, read_regular_text, umask
from .jsonfile import encode, file_version, parse_store, read_store_bytes, read_valid_tables, write_lock, writable


class Derivation(Record):
    """What a writer derives from a claim to check the next claims against, for a store that keeps
    it (storage.sqlitefile): the significant words of a claim (curation.overlap), and a version
    that changes whenever they would come out differently, so a store derived by older rules is
    derived anew."""

    version: str
    words: Callable[[str], Iterable[str]]


class StoreFile(abc.ABC):
    """A store on disk, for changing it: its tables read under the write lock, one fact found by
    id, the next document id of a table, and the changed tables saved, checked, all or nothing.

    The JSON file (storage.jsonfile) reads and writes every table whole; the SQLite store of
    record (storage.sqlitefile) reads the small tables whole and its facts one by one, as asked,
    and writes what changed in one transaction. curation.curate's transaction is written against
    this, so a command never knows which it changes.
    """

    path: str

    @abc.abstractmethod
    def begin(self, dry_run: bool) -> dict:
        """Take the write lock (not for a dry run, which writes nothing) and return the store's
        tables, from a store that validates: {table name: {document id: record}}. The facts
        table may be read lazily, record by record. Raises StoreError."""

    @abc.abstractmethod
    def end(self) -> None:
        """Let go of the lock; what was not saved is dropped."""

    @abc.abstractmethod
    def find(self, tables: dict, fact_id: str) -> tuple[str, dict] | None:
        """(document id, record) of the fact with this id in tables, or None."""

    @abc.abstractmethod
    def fact_ids(self, tables: dict) -> Iterable[str]:
        """Every fact's id, for suggesting the one meant."""

    @abc.abstractmethod
    def next_doc_id(self, tables: dict, table: str) -> int:
        """The document id a new record of table takes: TinyDB's rule, one more than the largest."""

    @abc.abstractmethod
    def lookups(self, except_doc: str | None = None) -> object | None:
        """Indexed lookups of the facts on record (storage.sqlitefile.Lookups), the fact at
        except_doc left out; None for a store whose tables are all in memory."""

    @abc.abstractmethod
    def save(self, tables: dict, changed_facts: set[str] | None, cache_dir: str | None = None) -> None:
        """Write tables as the store, or refuse with StoreError (problems listed) and change
        nothing: changed_facts names the document ids of the facts changed or added (None: any
        may have changed). cache_dir is where a derived index to keep up to date lives."""


class AtomicJSONStorage(Storage):
    """A TinyDB storage that never leaves a half-written file.

    TinyDB's JSONStorage writes in place (seek, write, truncate), so a crash mid-write
    leaves a truncated file. This one writes a temporary file beside the store, fsyncs
    it and swaps it in with os.replace, which is atomic on POSIX: a reader or a crash
    sees either the old store or the new one. It opens the file per call rather than
    holding a handle, because a held handle would keep pointing at the replaced file.
    """

    def __init__(self, path):
        super().__init__()
        self.path = os.fspath(path)

    def read(self):
        return parse_store(self.path, read_store_bytes(self.path))

    def write(self, data, changed_facts=None):
        """Replace the store with data and return the bytes written; StoreError, and the old
        store untouched, if it cannot be.

        data is checked with validate's rules, and the new bytes are read back with the
        store's own strict reader, before they replace the old: a write that a later read
        would refuse is never made. changed_facts, the document ids of the facts a writer
        changed in a store it read valid, limits the per-fact checks to those (the rules
        across facts always see them all).
        """
        problems = store_problems(data, facts_to_check=changed_facts)
        if problems:
            count = len(problems)
            refused = StoreError(
                f"refusing to write store {self.path}: it would have {count} problem{'s' if count != 1 else ''};"
                " nothing written"
            )
            refused.problems = [str(problem) for problem in problems]
            raise refused
        # Write through a symlink (the package's bundled store links to data/facts.json):
        # replacing the link itself would fork the store of record.
        target = os.path.realpath(self.path)
        try:
            encoded = encode(data)
        except ValueError as error:  # NaN or Infinity; UnicodeEncodeError for a lone surrogate
            raise StoreError(f"refusing to write store {self.path}: {error}; nothing written") from None
        try:
            status = os.stat(target)
        except FileNotFoundError:
            status = None
        except OSError as error:
            raise StoreError(f"cannot write store {self.path}: {error.strerror}; nothing written") from None
        if status is not None and not writable(target, status):
            raise StoreError(
                f"store {self.path} is read-only (mode {stat.S_IMODE(status.st_mode):04o}); nothing written"
            )
        import tempfile  # only writers pay for it

        directory, name = os.path.split(target)
        temporary = None
        try:
            # The writer's pid in the name tells a later writer whether this file was abandoned.
            handle, temporary = tempfile.mkstemp(
                prefix=f".{name}.{os.getpid()}.", suffix=".tmp", dir=directory
            )
            with os.fdopen(handle, "wb") as out:
                out.write(encoded)
                out.flush()
                os.fsync(out.fileno())
            parse_json(read_regular_text(temporary))
            if status is None:
                os.chmod(temporary, 0o666 & ~umask())
            else:
                os.chmod(temporary, stat.S_IMODE(status.st_mode))
                _keep_owner(temporary, status)
            os.replace(temporary, target)
            temporary = None
        except OSError as error:
            raise StoreError(
                f"cannot write store {self.path}: {error.strerror or error}; nothing written"
            ) from None
        except ValueError as error:  # the strict reader refused the bytes just written
            raise StoreError(
                f"refusing to write store {self.path}: the new text would not read back ({error}); nothing written"
            ) from None
        finally:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
        fsync_directory(directory)
        return encoded


def _keep_owner(path, status):
    """Give the new file the old one's owner and group where this process may (root, or a group
    the writer belongs to); otherwise it is the writer's, as with any editor that saves by renaming."""
    if (status.st_uid, status.st_gid) == (os.geteuid(), os.getegid()):
        return
    for uid, gid in ((status.st_uid, status.st_gid), (-1, status.st_gid)):
        try:
            os.chown(path, uid, gid)
            return
        except OSError:
            continue


class JSONStoreFile(StoreFile):
    """The JSON store, for changing it: read and validated whole, then read again under the
    write lock only if another writer replaced it meanwhile; written whole (AtomicJSONStorage)."""

    def __init__(self, path: str) -> None:
        self.path = os.fspath(path)
        self._lock: contextlib.AbstractContextManager = contextlib.nullcontext()

    def begin(self, dry_run: bool) -> dict:
        # Read and validated before locking, so a file that is no store never gets a lock file.
        # A dry run writes nothing, so it never waits behind a writer.
        version = file_version(self.path)
        tables = read_valid_tables(self.path)
        self._lock = contextlib.nullcontext() if dry_run else write_lock(self.path)
        self._lock.__enter__()
        try:
            if not dry_run and (version is None or file_version(self.path) != version):
                tables = read_valid_tables(self.path)
        except BaseException:
            self.end()
            raise
        return tables

    def end(self) -> None:
        lock, self._lock = self._lock, contextlib.nullcontext()
        lock.__exit__(None, None, None)

    def find(self, tables: dict, fact_id: str) -> tuple[str, dict] | None:
        for doc_id, record in tables["facts"].items():
            if record.get("id") == fact_id:
                return doc_id, record
        return None

    def fact_ids(self, tables: dict) -> Iterable[str]:
        return (record.get("id", "") for record in tables["facts"].values())

    def next_doc_id(self, tables: dict, table: str) -> int:
        return max((int(k) for k in tables[table] if k.isdigit()), default=0) + 1

    def lookups(self, except_doc: str | None = None) -> None:
        return None

    def save(self, tables: dict, changed_facts: set[str] | None, cache_dir: str | None = None) -> None:
        storage = AtomicJSONStorage(self.path)
        if cache_dir is None:
            storage.write(tables, changed_facts=changed_facts)
            return
        from . import checked, index

        # Under the lock, so this is the store the index must match to be updated.
        before = index.fingerprint(self.path)
        written = storage.write(tables, changed_facts=changed_facts)
        # Checked before it was written: the next question need not check it again.
        with contextlib.suppress(OSError):
            checked.remember(self.path, cache_dir, os.stat(self.path), written)
        index.update(self.path, cache_dir, before, tables, changed_facts)
