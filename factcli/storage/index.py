"""A derived SQLite index of a large store, so a query reads only the facts it needs.

The JSON store stays the single source of truth. The index lives in the user's cache
directory, keyed on the store's real path, and records the store's size, modification
time, status-change time (ctime, which no tool can set back), inode and mode, and a
digest of its first and last 64 KiB and of 16 blocks spread between: when any of them
differ, or the index cannot be read, it is rebuilt from the store, and only from a store
that validates. An error reading the index at any point, such as a corrupt page, discards
it: that answer comes from the JSON and the next query rebuilds it. An index that cannot
be built or opened is never an error: the caller reads the JSON instead. The index gets
the store's permissions (less the umask) and its folder is the owner's alone.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Iterable, Mapping
from typing import Any

from ..core.errors import StoreError
from ..core.meta import Meta, meta_of
from ..core.records import Conflict, Fact, Source, document_order
from . import search
from .base import Store
from .jsonfile import read_valid_tables, sweep_abandoned
from .litter import running
from .memory import load_whole, split_conflicts

# Bump when the layout changes, so old indexes are rebuilt rather than misread.
LAYOUT_VERSION = "10"

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE store_meta (record TEXT NOT NULL);
CREATE TABLE sources (position INTEGER PRIMARY KEY, record TEXT NOT NULL);   -- at its document id
CREATE TABLE conflicts (position INTEGER PRIMARY KEY, record TEXT NOT NULL); -- at its document id
CREATE TABLE facts (
    position INTEGER PRIMARY KEY,   -- document order in the store
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    year INTEGER,                   -- null for undated facts
    retracted INTEGER NOT NULL,
    date TEXT,                      -- as stored, which sorts as dates do; null for undated facts
    bound TEXT,                     -- date_bound: after or by a date, null for a date itself
    record TEXT NOT NULL
);
CREATE TABLE cites (position INTEGER NOT NULL, source TEXT NOT NULL, citations INTEGER NOT NULL);
CREATE INDEX cites_position ON cites (position);
CREATE INDEX facts_kind ON facts (kind, position);
CREATE INDEX facts_year ON facts (year, position);
CREATE INDEX facts_bound ON facts (bound, year) WHERE bound IS NOT NULL;
"""


def index_path(store_path: str, cache_dir: str) -> str:
    """Where the index of the store at store_path lives in cache_dir: one file per real path."""
    real = os.path.realpath(store_path)
    # fsencode: a path may hold bytes that are not UTF-8, which encode() cannot take.
    return os.path.join(cache_dir, f"{hashlib.sha256(os.fsencode(real)).hexdigest()[:24]}.sqlite3")


SAMPLE_EDGE_BYTES, SAMPLE_BLOCKS, SAMPLE_BLOCK_BYTES = 65536, 16, 4096


def _fingerprint(store_path):
    """What identifies this version of the store; OSError when it is not a readable regular file."""
    # Non-blocking, and refused unless regular: sampling a FIFO would wait for ever.
    descriptor = os.open(store_path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(f"{store_path} is not a regular file")
        # A cheap content check: an edit in place at the same size with the mtime set back
        # still changes ctime, and usually the sampled bytes.
        digest = hashlib.sha256()
        size = status.st_size
        for offset in sorted({0, max(size - SAMPLE_EDGE_BYTES, 0)}):
            digest.update(os.pread(descriptor, SAMPLE_EDGE_BYTES, offset))
        for block in range(1, SAMPLE_BLOCKS + 1):
            digest.update(os.pread(descriptor, SAMPLE_BLOCK_BYTES, size * block // (SAMPLE_BLOCKS + 1)))
    finally:
        os.close(descriptor)
    return {
        "layout": LAYOUT_VERSION,
        # As text SQLite can hold, whatever bytes the path has.
        "store": os.fsencode(os.path.realpath(store_path)).decode("utf-8", "backslashreplace"),
        "size": str(size),
        "mtime_ns": str(status.st_mtime_ns),
        "ctime_ns": str(status.st_ctime_ns),
        "inode": f"{status.st_dev}:{status.st_ino}",
        "mode": f"{stat.S_IMODE(status.st_mode):o}",
        "sample": digest.hexdigest(),
    }


def indexed_store(store_path: str, cache_dir: str) -> IndexedStore | None:
    """An IndexedStore for the store at store_path, its index kept in cache_dir, or None when
    no index can be had.

    Raises StoreError, as loading the JSON would, when the store itself is missing,
    unreadable or invalid.
    """
    try:
        expected = _fingerprint(store_path)
    except OSError:
        return None  # reading the JSON will report what is wrong with the file
    sweep_abandoned(store_path)
    target = index_path(store_path, cache_dir)
    _remove_abandoned_builds(target)
    connection = _open_fresh(target, expected)
    if connection is None:
        connection = _build(store_path, target, expected)
    if connection is None:
        return None
    try:
        return IndexedStore(store_path, target, connection)
    except (sqlite3.Error, ValueError, KeyError, TypeError):
        _discard(target, connection)
        return None


def _discard(target, connection):
    """Close and delete a broken index; the next query builds a new one."""
    connection.close()
    try:
        os.unlink(target)
    except OSError:
        pass  # already gone; an undeletable one still fails its fingerprint when the store changes


def _open_fresh(target, expected):
    if not os.path.isfile(target):
        return None  # absent, or a FIFO or folder that SQLite would wait on or fail: rebuild
    try:
        connection = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        found = dict(connection.execute("SELECT key, value FROM meta"))
    except sqlite3.Error:
        return None  # corrupt or half-written by an older version: rebuild
    if found != expected:
        connection.close()
        return None
    return connection


def _build(store_path, target, fingerprint):
    """Write a new index beside the old one and swap it in; None if the cache is not writable."""
    tables = read_valid_tables(store_path)
    # The builder's pid in the name lets any later query remove it if this process is killed.
    temporary = f"{target}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
        if os.path.lexists(temporary):
            os.unlink(temporary)
        # Created here with the store's permissions, so SQLite does not make it world-readable.
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, int(fingerprint["mode"], 8) & 0o666))
        connection = sqlite3.connect(temporary)
        try:
            # No journal: a failed build is thrown away whole, and a killed one leaves one file, not two.
            connection.execute("PRAGMA journal_mode = OFF")
            with connection:
                _fill(connection, tables, fingerprint)
        finally:
            connection.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target + "-journal")  # an older version's, which SQLite would play back into this one
        os.replace(temporary, target)
        return sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    except (OSError, sqlite3.Error, UnicodeError):
        return None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)  # gone already when the build was swapped in


def _remove_abandoned_builds(target):
    """Delete temporary files of builds whose process is gone (killed mid-build); at a million
    facts each is the size of the index."""
    folder, name = os.path.split(target)
    try:
        entries = os.listdir(folder)
    except OSError:
        return  # no cache yet
    for entry in entries:
        # NAME.PID.tmp, and the journal SQLite kept beside it before builds ran without one.
        pid, _, rest = entry[len(name) + 1 :].partition(".") if entry.startswith(name + ".") else ("", "", "")
        if pid.isdigit() and rest in ("tmp", "tmp-journal") and not running(int(pid)):
            try:
                os.unlink(os.path.join(folder, entry))
            except OSError:
                pass  # another process cleaned it up first


def _fill(connection, tables, fingerprint):
    create(connection)
    put_small_tables(connection, tables)
    put_facts(connection, sorted(tables["facts"].items(), key=document_order))
    connection.executemany("INSERT INTO meta VALUES (?, ?)", fingerprint.items())


def create(connection: sqlite3.Connection) -> None:
    """Make the index's tables, empty, within whatever transaction is open."""
    run_script(connection, SCHEMA)
    connection.execute(search.CREATE)


def run_script(connection: sqlite3.Connection, script: str) -> None:
    """Run each statement of script, as executescript does, but without its COMMIT first: a store
    of record makes tables inside the transaction that fills them."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            connection.execute(pending)
            pending = ""


def put_small_tables(connection: sqlite3.Connection, tables: Mapping[str, Any]) -> None:
    """Index the store's meta, sources and conflicts, which every query reads whole, in place of
    what the index held of them; each record at its document id."""
    for table in ("store_meta", "sources", "conflicts"):
        connection.execute(f"DELETE FROM {table}")
    connection.execute("INSERT INTO store_meta VALUES (?)", (json.dumps(meta_of(tables).to_record()),))
    for table in ("sources", "conflicts"):
        connection.executemany(
            f"INSERT INTO {table} VALUES (?, ?)",
            ((int(doc_id), json.dumps(record, sort_keys=True)) for doc_id, record in (tables.get(table) or {}).items()),
        )


def delete_facts(connection: sqlite3.Connection, positions: Iterable[int]) -> None:
    """Take the facts at these positions (document ids) out of the index."""
    found = json.dumps(list(positions))
    for table, key in (("facts", "position"), ("cites", "position"), (search.TABLE, "rowid")):
        connection.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT value FROM json_each(?))", (found,))


def put_facts(connection: sqlite3.Connection, items: Iterable[tuple[str, dict]]) -> None:
    """Index (document id, record) items of a valid store, each at its document id: TinyDB
    numbers documents in the order they are added, so that is document order, and a fact
    keeps its place when it changes."""
    rows, facts = [], []
    for doc_id, record in items:
        fact = Fact.from_record(record)
        position = int(doc_id)
        facts.append((position, fact))
        rows.append(
            (
                position,
                fact.id,
                fact.kind,
                int(fact.date[:4]) if fact.date else None,
                1 if fact.retracted else 0,
                fact.date,
                fact.date_bound,
                # Keys in the order the store file has them, as a record read from it has.
                json.dumps(record, ensure_ascii=False, sort_keys=True),
            )
        )
    connection.executemany("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    connection.executemany(
        "INSERT INTO cites VALUES (?, ?, ?)",
        (
            (position, source, count)
            for position, fact in facts
            for source, count in collections.Counter(citation.source for citation in fact.citations).items()
        ),
    )
    search.insert(connection, facts)


def fingerprint(store_path: str) -> dict[str, str] | None:
    """What the index of the store at store_path must record to be trusted now; None when the
    store cannot be read (a writer takes it before writing, to update the index after)."""
    try:
        return _fingerprint(store_path)
    except OSError:
        return None


def update(store_path: str, cache_dir: str, before: dict[str, str] | None, tables: dict, changed_facts) -> None:
    """After a write, bring the index of the store up to date with what was written rather than
    leave it to be rebuilt whole: tables are the store now, changed_facts the document ids of
    the facts the write changed or added (None: any may have).

    Only an index that matched the store before the write (before, its fingerprint then) is
    updated; any other is left, and the next query rebuilds it. The index is marked untrusted
    (its fingerprint removed, durably) before it changes and given the store's new fingerprint
    only once every change is in, so an update that is killed or fails leaves an index no query
    trusts. A failure discards it.
    """
    target = index_path(store_path, cache_dir)
    if before is None or not os.path.isfile(target):
        return
    try:
        connection = sqlite3.connect(target)
    except sqlite3.Error:
        return
    try:
        # No journal, as for a build: a failed update is thrown away whole, and leaves no file
        # beside the index (each commit is still synced, in order).
        connection.execute("PRAGMA journal_mode = OFF")
        if dict(connection.execute("SELECT key, value FROM meta")) != before:
            return  # stale already: rebuilt by the next query
        with connection:
            connection.execute("DELETE FROM meta")
        if changed_facts is None:
            raise sqlite3.DatabaseError("every fact may have changed")  # cheaper to rebuild
        changed = sorted(changed_facts, key=int)
        with connection:
            put_small_tables(connection, tables)
            delete_facts(connection, [int(doc_id) for doc_id in changed])
            put_facts(connection, [(doc_id, tables["facts"][doc_id]) for doc_id in changed])
        after = _fingerprint(store_path)
        with connection:
            connection.executemany("INSERT INTO meta VALUES (?, ?)", after.items())
    except (sqlite3.Error, OSError, ValueError, KeyError, TypeError):  # UnicodeError is a ValueError
        _discard(target, connection)
    finally:
        connection.close()


def _or_from_store(method):
    """Answer from the store loaded whole when the index cannot: text SQLite cannot take (a lone
    surrogate in what was asked), or an index that fails to read (a corrupt page), which is
    then discarded. A SQLite store of record that fails to read is an error, never discarded."""

    @functools.wraps(method)
    def answer(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UnicodeEncodeError:
            pass
        except (sqlite3.Error, ValueError, KeyError, TypeError) as error:
            if not self.derived:
                raise StoreError(f"cannot read store {self.path}: {error}") from None
            _discard(self.index, self.connection)
        if self.whole is None:
            self.whole = load_whole(self.path)
        return getattr(self.whole, method.__name__.lstrip("_"))(*args, **kwargs)

    return answer


class IndexedStore(Store):
    """The questions' Store, answered from the index, or from a SQLite store of record (whose
    tables are the index's), derived False: only the facts asked for are read."""

    def __init__(self, path: str, index: str, connection: sqlite3.Connection, derived: bool = True) -> None:
        self.path = os.fspath(path)
        self.index = index
        self.derived = derived
        self.connection = connection
        self.whole = None  # the JSON store, loaded only if the index fails to answer
        (record,) = connection.execute("SELECT record FROM store_meta").fetchone()
        self.meta = Meta.from_record(json.loads(record))
        self._counts: dict[bool, dict[str, tuple[int, int]]] = {}
        self.sources = {}
        for (record,) in connection.execute("SELECT record FROM sources ORDER BY position"):
            source = Source.from_record(json.loads(record))
            self.sources[source.id] = source
        self.conflicts, self.retracted_conflicts = split_conflicts(
            Conflict.from_record(json.loads(record))
            for (record,) in connection.execute("SELECT record FROM conflicts ORDER BY position")
        )

    @property
    def facts(self):
        return self._facts_in_order()

    @_or_from_store
    def _facts_in_order(self):
        return self._facts("SELECT record FROM facts ORDER BY position")

    def _facts(self, sql, parameters=()):
        # One JSON array parsed at once is about twice as quick as a json.loads per row.
        (array,) = self.connection.execute(
            f"SELECT '[' || coalesce(group_concat(record, ','), '') || ']' FROM ({sql})", parameters
        ).fetchone()
        return [Fact.from_record(record) for record in json.loads(array)]

    @staticmethod
    def _filters(kind, include_retracted):
        """SQL conditions and parameters for the filters every question shares."""
        conditions, parameters = [], []
        if kind is not None:
            conditions.append("kind = ?")
            parameters.append(kind)
        if not include_retracted:
            conditions.append("retracted = 0")
        return conditions, parameters

    @_or_from_store
    def select(self, kind=None, include_retracted=False, years=None, undated=False, bound=None):
        conditions, parameters = self._filters(kind, include_retracted)
        if bound is not None:
            conditions.append("bound = ?")
            parameters.append(bound)
        if years is not None:
            conditions.append("year IS NOT NULL")
            for bound, operator in zip(years, (">=", "<=")):
                if bound is not None:
                    conditions.append(f"year {operator} ?")
                    parameters.append(bound)
        if undated:
            conditions.append("year IS NULL")
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        return self._facts(f"SELECT record FROM facts {where} ORDER BY position", parameters)

    @_or_from_store
    def search(self, parts, kind=None, include_retracted=False, limit=None):
        total, found = search.ranked(self.connection, parts, kind, include_retracted, limit)
        rows = self.connection.execute(
            "SELECT position, record FROM facts WHERE position IN (SELECT value FROM json_each(?))",
            (json.dumps([position for position, _, _ in found]),),
        )
        facts = {position: Fact.from_record(json.loads(record)) for position, record in rows}
        return total, [(facts[position], score, match) for position, score, match in found]

    @_or_from_store
    def citation_counts(self, include_retracted=False):
        # Counted once a loaded store (a batch asks again and again), from a table of a few columns.
        if include_retracted not in self._counts:
            found = dict.fromkeys(self.sources, (0, 0))
            where = "" if include_retracted else "WHERE f.retracted = 0"
            for source, facts, citations in self.connection.execute(
                f"SELECT c.source, count(*), sum(c.citations) FROM cites AS c JOIN facts AS f"
                f" ON f.position = c.position {where} GROUP BY c.source"
            ):
                found[source] = (facts, citations)
            self._counts[include_retracted] = found
        return self._counts[include_retracted]

    @_or_from_store
    def fact(self, fact_id):
        found = self._facts("SELECT record FROM facts WHERE id = ?", (fact_id,))
        return found[0] if found else None

    @_or_from_store
    def ids(self):
        return [fact_id for (fact_id,) in self.connection.execute("SELECT id FROM facts ORDER BY position")]

