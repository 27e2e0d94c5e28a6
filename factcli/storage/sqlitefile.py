"""The store of record in a SQLite file, for large stores: a write costs what it changes, not the whole store.

A store whose file is SQLite (a new one: whose name ends .db, .sqlite or .sqlite3) keeps its
records here rather than in JSON. Its tables are the derived index's (storage.index: facts at
their document ids with the columns questions filter on, cites, full-text search, sources and
conflicts at their document ids, the store's meta), so questions read it as they read an index;
beside them it keeps what a JSON store needs to come back byte for byte (the meta record as
written, which tables there are) and what a write checks new records against by indexed lookup
rather than by reading every fact: each fact's claim key (normalised, unique among the facts in
answers), its significant words, and its anchored spans.

A write is one SQLite transaction in rollback-journal mode. BEGIN IMMEDIATE makes writers take
turns (each waits for the one before, as for the JSON store's lock); everything a change breaks
is found before any of it is written, so a refused write leaves the file's bytes as they were;
and a writer killed mid-commit leaves a journal that the next command to open the store plays
back, as SQLite does, leaving the store as it was before that write.

A new check of new facts against every fact on record (curation.overlap.Known growing an
index: the same person in one post, say) needs four things here and one there: a table in
SCHEMA and CHECK_TABLES, its rows in _put_checks (and in derived_problems), a method of
Lookups, a bump of DERIVED_LAYOUT so existing stores derive it, and a view in
curation.stored, which refuses to check against a store whose Known it cannot back whole.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
import stat
from collections.abc import Container, Iterable, Iterator, Mapping
from typing import Any

from ..core.errors import StoreError
from ..core.meta import meta_of
from ..core.text import normalise_claim
from ..core.records import Problem, document_order
from ..core.validation import store_problems
from . import index
from .base import Store
from .files import fsync_directory, umask
from .jsonfile import LOCK_TIMEOUT_SECONDS, encoded_pieces, sweep_abandoned, writable
from .writing import Derivation, StoreFile

# PRAGMA application_id of a store of record ("FACT"), and PRAGMA user_version: the layout of
# the records themselves (the tables below that hold them), which no version reads differently.
APPLICATION_ID = 0x46414354
RECORDS_LAYOUT = 1
# The layout of everything derived from the records (the index's tables, the claim keys and
# spans made by core.text.normalise_claim): bump when either changes, and the first command to
# open an older store derives it all anew.
DERIVED_LAYOUT = f"{index.LAYOUT_VERSION}.1"

# The tables a store of record adds to the index's: the records the index does not hold as
# written, and what writes check against.
SCHEMA = """
CREATE TABLE store_tables (name TEXT PRIMARY KEY);  -- the store's tables, held or empty
CREATE TABLE other_records (                        -- meta, and any other table, as written
    tbl TEXT NOT NULL, position INTEGER NOT NULL, record TEXT NOT NULL, PRIMARY KEY (tbl, position)
);
-- Of the facts in answers (not retracted) only, as curation.overlap.Known holds them.
CREATE TABLE claims (position INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
CREATE TABLE words (word TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (word, position)) WITHOUT ROWID;
CREATE INDEX words_position ON words (position);
CREATE TABLE spans (source TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, position INTEGER NOT NULL);
CREATE INDEX spans_source ON spans (source, position);
CREATE INDEX spans_position ON spans (position);
"""
# Tables the index keeps (storage.index.SCHEMA) whose records are the store's own.
INDEXED_TABLES = ("facts", "sources", "conflicts")
CHECK_TABLES = ("claims", "words", "spans")
# Facts written to a new store at a time: a million at once would hold them all twice over.
CHUNK = 10_000


def _uri(real: str, mode: str) -> str:
    from urllib.parse import quote

    # Quoted as bytes: a path may hold ? or #, or bytes that are not UTF-8.
    return f"file:{quote(os.fsencode(real))}?mode={mode}"


def _connect(path: str, write: bool) -> sqlite3.Connection:
    """A connection to the store of record at path (never creating one), checked to be one of
    this layout; StoreError when it cannot be had. A connection that may write is opened
    whenever the file and its folder can be written, so that it plays back a journal left by a
    killed writer."""
    real = os.path.realpath(path)
    sweep_abandoned(path)
    try:
        status = os.stat(real)
    except FileNotFoundError:
        raise StoreError(f"store not found: {path}") from None
    except OSError as error:
        raise StoreError(f"cannot read store {path}: {error.strerror}") from None
    if not stat.S_ISREG(status.st_mode):
        raise StoreError(f"cannot read store {path}: not a regular file")
    may_write = os.access(real, os.W_OK) and os.access(os.path.dirname(real), os.W_OK)
    try:
        connection = sqlite3.connect(
            _uri(real, "rw" if write or may_write else "ro"),
            uri=True,
            timeout=LOCK_TIMEOUT_SECONDS,
            isolation_level=None,  # transactions are begun and ended here, explicitly
        )
    except sqlite3.Error as error:
        raise StoreError(f"cannot open store {path}: {error}") from None
    try:
        ((application,),) = connection.execute("PRAGMA application_id")
        ((layout,),) = connection.execute("PRAGMA user_version")
    except sqlite3.Error as error:
        connection.close()
        raise StoreError(f"{path}: not a store of facts: {error}") from None
    if application != APPLICATION_ID:
        connection.close()
        raise StoreError(f"{path} is a SQLite database, but not a store of facts")
    if layout != RECORDS_LAYOUT:
        connection.close()
        raise StoreError(
            f"{path} holds its records in layout {layout}, which this version of facts cannot read"
            f" (it reads layout {RECORDS_LAYOUT}): use the version that wrote it"
        )
    if (write or may_write) and os.path.lexists(f"{real}-journal"):
        _remove_stale_journal(connection, f"{real}-journal")
    if not write:
        connection.execute("PRAGMA query_only = ON")
    return connection


def _remove_stale_journal(connection: sqlite3.Connection, journal: str) -> None:
    """Remove the journal of a writer killed before it began to commit, which SQLite leaves until
    the next write: its header is not yet written, so it is not hot (SQLite plays a hot one back as
    this connection first reads, before this). Only with the write lock, so no writer is using it."""
    connection.execute("PRAGMA busy_timeout = 0")
    try:
        connection.execute("BEGIN IMMEDIATE")  # a hot journal is played back on the way
    except sqlite3.Error:
        pass  # a writer is at work: the journal is its own
    else:
        with contextlib.suppress(OSError):
            os.unlink(journal)
        connection.execute("ROLLBACK")
    finally:
        connection.execute(f"PRAGMA busy_timeout = {LOCK_TIMEOUT_SECONDS * 1000}")


@contextlib.contextmanager
def _failures_as_store_errors(path: str, doing: str = "read"):
    try:
        yield
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise StoreError(f"store {path} is locked by another writer; try again") from None
        raise StoreError(f"cannot {doing} store {path}: {error}") from None
    except (sqlite3.Error, ValueError, KeyError, TypeError) as error:
        raise StoreError(f"cannot {doing} store {path}: {error}") from None


def _reading(method):
    """A method of an object with a path that reads the store: a store that fails to read (a
    table missing, a page corrupt) is a StoreError, never a traceback."""

    @functools.wraps(method)
    def read(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as error:
            raise StoreError(f"cannot read store {self.path}: {error}") from None

    return read


def _storable(text: object) -> bool:
    """Whether text could be in a store: no store holds a lone surrogate (validation refuses
    one), and SQLite cannot be asked for one, so a lookup of it finds nothing."""
    if not isinstance(text, str):
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _derived_layout(connection: sqlite3.Connection) -> str | None:
    found = connection.execute("SELECT value FROM meta WHERE key = 'layout'").fetchone()
    return found[0] if found else None


# --- reading -----------------------------------------------------------------------------------


def read_tables(path: str) -> dict:
    """The store's tables whole, as the JSON store holds them: {name: {document id: record}}."""
    connection = _connect(path, write=False)
    try:
        with _failures_as_store_errors(path):
            connection.execute("BEGIN")  # one state of the store, whatever a writer does meanwhile
            return {name: dict(records) for name, records in _table_items(connection, document_order=True)}
    finally:
        connection.close()


def _table_items(connection: sqlite3.Connection, document_order: bool) -> Iterator[tuple[str, Iterator[tuple[str, Any]]]]:
    """(table name, (document id, record) items) of every table, names in sorted order; records
    in document order, or in the order JSON's sorted keys put them (document ids as text)."""
    order = "position" if document_order else "CAST(position AS TEXT)"
    names = [name for (name,) in connection.execute("SELECT name FROM store_tables ORDER BY name")]

    def records(name):  # run only when read: a write reads its facts one at a time instead
        if name in INDEXED_TABLES:
            rows = connection.execute(f"SELECT position, record FROM {name} ORDER BY {order}")
        else:
            rows = connection.execute(f"SELECT position, record FROM other_records WHERE tbl = ? ORDER BY {order}", (name,))
        for position, record in rows:
            yield str(position), json.loads(record)

    for name in names:
        yield name, records(name)


def exported_pieces(path: str) -> Iterator[str]:
    """The store as the JSON store's text (storage.jsonfile.encode), a record at a time: a store
    made from a JSON store comes back as the same bytes."""
    connection = _connect(path, write=False)
    try:
        with _failures_as_store_errors(path):
            connection.execute("BEGIN")
            yield from encoded_pieces(_table_items(connection, document_order=False))
    finally:
        connection.close()


def open_store(path: str) -> Store:
    """The store of record at path, for questions: only the facts asked for are read."""
    connection = _connect(path, write=False)
    with _failures_as_store_errors(path):
        try:
            stale = _derived_layout(connection) != DERIVED_LAYOUT
        except BaseException:
            connection.close()
            raise
        if stale:
            connection.close()
            # Derived by an older version: derived anew, under the write lock.
            with contextlib.closing(_connect(path, write=True)) as writer:
                writer.execute("BEGIN IMMEDIATE")
                if _derived_layout(writer) != DERIVED_LAYOUT:
                    _derive_anew(writer, None)
                writer.execute("COMMIT")
            connection = _connect(path, write=False)
        try:
            return index.IndexedStore(path, path, connection, derived=False)
        except BaseException:
            connection.close()
            raise


def derived_problems(path: str) -> list[Problem]:
    """Every way what the store of record at path derives from its records (the columns and
    tables questions filter on and writes check against) differs from what its records make,
    and every page SQLite finds damaged: what a tool other than facts could have left. None
    of these lose a record; facts init NEW --from STORE derives a store anew."""
    connection = _connect(path, write=False)
    found = []
    try:
        with _failures_as_store_errors(path):
            connection.execute("BEGIN")
            found += [Problem("store", "-", f"SQLite: {row}") for (row,) in connection.execute("PRAGMA quick_check") if row != "ok"]
            claims = dict(connection.execute("SELECT position, key FROM claims"))
            spans = {(position, source, start, end) for source, start, end, position in connection.execute("SELECT * FROM spans")}
            for position, fact_id, kind, year, retracted, date, bound, text in connection.execute(
                "SELECT position, id, kind, year, retracted, date, bound, record FROM facts"
            ):
                record = json.loads(text)
                columns = (record["id"], record["kind"], int(record["date"][:4]) if record.get("date") else None,
                           1 if record.get("retracted") else 0, record.get("date"), record.get("date_bound"))  # fmt: skip
                if (fact_id, kind, year, retracted, date, bound) != columns:
                    found.append(Problem(
                        "fact", record["id"], "its columns (id, kind, year, retracted, date, bound) differ from its record"
                    ))
                live = not record.get("retracted")
                if claims.pop(position, None) != (normalise_claim(record["claim"]) if live else None):
                    found.append(Problem("fact", record["id"], "its claim key differs from its claim"))
                for citation in record["citations"] if live else ():
                    if isinstance(citation.get("start"), int) and isinstance(citation.get("end"), int):
                        spans.discard((position, citation["source"], citation["start"], citation["end"]))
            found += [Problem("store", "-", f"a claim key at document id {position} has no fact") for position in claims]
            found += [Problem("store", "-", f"an anchored span at document id {s[0]} is no fact's") for s in sorted(spans)]
            ((meta,),) = connection.execute("SELECT record FROM store_meta")
            written = {str(p): json.loads(r) for p, r in connection.execute("SELECT position, record FROM other_records WHERE tbl = 'meta'")}
            if json.loads(meta) != meta_of({"meta": written}).to_record():
                found.append(Problem("store", "-", "the meta questions read differs from the meta record"))
    finally:
        connection.close()
    return found


# --- making one ----------------------------------------------------------------------------------


def create(path: str, tables: dict, derivation: Derivation) -> None:
    """Write a new store of record at path holding tables, a valid store; StoreError, with
    nothing written, when anything is at path already or it cannot be written.

    It is built beside path under a temporary name (.NAME.PID.RANDOM.tmp, removed by the next
    command to read the store if this one is killed), without a journal, and then linked into
    place, which never replaces what appeared there meanwhile.
    """
    import tempfile

    for name, table in tables.items():
        for doc_id in table:
            if str(int(doc_id)) != doc_id:  # valid, so digits; a number is kept, not how it was written
                raise StoreError(
                    f"cannot create {path}: table {name!r} has document id {doc_id!r}, which a SQLite store"
                    f" would keep as {int(doc_id)}; write it so in the JSON first; nothing written"
                )
    real = os.path.realpath(path)
    directory, name = os.path.split(real)
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.{os.getpid()}.", suffix=".tmp", dir=directory)
        os.close(handle)
        connection = sqlite3.connect(temporary, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode = OFF")  # thrown away whole if it fails
            connection.execute("BEGIN")
            _fill(connection, tables, derivation)
            connection.execute("COMMIT")
        finally:
            connection.close()
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.chmod(temporary, 0o666 & ~umask())
        os.link(temporary, real)
    except FileExistsError:
        raise StoreError(f"{path} already exists; facts init never writes over a store") from None
    except (OSError, sqlite3.Error) as error:
        raise StoreError(f"cannot create {path}: {getattr(error, 'strerror', None) or error}; nothing written") from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    fsync_directory(directory)


def _fill(connection: sqlite3.Connection, tables: dict, derivation: Derivation | None) -> None:
    """Make every table in an empty database and put tables' records in them."""
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute(f"PRAGMA user_version = {RECORDS_LAYOUT}")
    index.create(connection)
    index.run_script(connection, SCHEMA)
    _put_small_tables(connection, tables)
    items = sorted(tables["facts"].items(), key=document_order)
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        index.put_facts(connection, chunk)
        _put_checks(connection, chunk, derivation)
    connection.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        (("layout", DERIVED_LAYOUT), ("words", derivation.version if derivation else "")),
    )


def _derive_anew(connection: sqlite3.Connection, derivation: Derivation | None) -> None:
    """Derive every table anew from the records, in the open write transaction: a store derived
    by an older version. Without derivation the words are left for the next writer to derive."""
    tables = {name: dict(records) for name, records in _table_items(connection, document_order=True)}
    for (name,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        f" AND name NOT LIKE '{index.search.TABLE}_%'"
    ).fetchall():
        connection.execute(f"DROP TABLE {name}")
    _fill(connection, tables, derivation)


def _put_small_tables(connection: sqlite3.Connection, tables: Mapping[str, Any]) -> None:
    """The tables other than facts, in place of what the store held of them, and which tables there are."""
    index.put_small_tables(connection, tables)
    connection.execute("DELETE FROM other_records")
    connection.executemany(
        "INSERT INTO other_records VALUES (?, ?, ?)",
        (
            (name, int(doc_id), json.dumps(record, ensure_ascii=False, sort_keys=True))
            for name, table in tables.items()
            if name not in INDEXED_TABLES
            for doc_id, record in table.items()
        ),
    )
    connection.execute("DELETE FROM store_tables")
    connection.executemany("INSERT INTO store_tables VALUES (?)", ((name,) for name in tables))


def _put_checks(connection: sqlite3.Connection, items: Iterable[tuple[str, dict]], derivation: Derivation | None) -> None:
    """What a write checks new facts against, for the facts of items that are in answers: as
    curation.overlap.Known holds them (a retracted claim may be made again)."""
    claims: list[tuple[int, str]] = []
    words: list[tuple[str, int]] = []
    spans: list[tuple[str, int, int, int]] = []
    for doc_id, record in items:
        if record.get("retracted"):
            continue
        position = int(doc_id)
        claims.append((position, normalise_claim(record["claim"])))
        if derivation is not None:
            words.extend((word, position) for word in set(derivation.words(record["claim"])))
        for citation in record["citations"]:
            if isinstance(citation.get("start"), int) and isinstance(citation.get("end"), int):
                spans.append((citation["source"], citation["start"], citation["end"], position))
    connection.executemany("INSERT INTO claims VALUES (?, ?)", claims)
    connection.executemany("INSERT INTO words VALUES (?, ?)", words)
    connection.executemany("INSERT INTO spans VALUES (?, ?, ?, ?)", spans)


def _derive_words(connection: sqlite3.Connection, derivation: Derivation) -> None:
    """Every fact's words anew, in the open write transaction: derived by other rules, or none."""
    connection.execute("DELETE FROM words")
    rows = connection.execute("SELECT position, record FROM facts WHERE retracted = 0")
    while batch := rows.fetchmany(CHUNK):
        connection.executemany(
            "INSERT INTO words VALUES (?, ?)",
            (
                (word, position)
                for position, record in batch
                for word in set(derivation.words(json.loads(record)["claim"]))
            ),
        )
    connection.execute("INSERT OR REPLACE INTO meta VALUES ('words', ?)", (derivation.version,))


# --- changing one -------------------------------------------------------------------------------


class StoredFacts(Mapping[str, dict]):
    """The facts table of a store of record within a write: each record read when asked for (and
    kept, so a change made to it in place is seen), and records set held until they are saved."""

    def __init__(self, connection: sqlite3.Connection, path: str) -> None:
        self.connection, self.path = connection, path
        self.loaded: dict[str, dict] = {}
        self.texts: dict[str, str] = {}  # what was read, as stored, to tell which loaded records changed
        self.written: dict[str, dict] = {}

    def _load(self, doc_id: str, text: str) -> dict:
        if doc_id not in self.loaded:
            self.loaded[doc_id], self.texts[doc_id] = json.loads(text), text
        return self.loaded[doc_id]

    @_reading
    def __getitem__(self, doc_id: str) -> dict:
        if doc_id in self.written:
            return self.written[doc_id]
        if doc_id in self.loaded:
            return self.loaded[doc_id]
        found = None
        if doc_id.isascii() and doc_id.isdigit() and str(int(doc_id)) == doc_id:
            found = self.connection.execute("SELECT record FROM facts WHERE position = ?", (int(doc_id),)).fetchone()
        if found is None:
            raise KeyError(doc_id)
        return self._load(doc_id, found[0])

    def __setitem__(self, doc_id: str, record: dict) -> None:
        self.written[doc_id] = record

    @_reading
    def _stored(self) -> list[str]:
        return [str(position) for (position,) in self.connection.execute("SELECT position FROM facts ORDER BY position")]

    def __iter__(self) -> Iterator[str]:
        stored = self._stored()
        held = set(stored)
        return iter([*stored, *(doc_id for doc_id in self.written if doc_id not in held)])

    def __len__(self) -> int:
        return len({*self._stored(), *self.written})

    @_reading
    def items(self):  # a list, read in one query rather than one query a record
        found, held = [], set()
        for position, text in self.connection.execute("SELECT position, record FROM facts ORDER BY position"):
            doc_id = str(position)
            held.add(doc_id)
            found.append((doc_id, self.written[doc_id] if doc_id in self.written else self._load(doc_id, text)))
        return found + [(doc_id, record) for doc_id, record in self.written.items() if doc_id not in held]

    def values(self):
        return [record for _, record in self.items()]

    @_reading
    def find(self, fact_id: str) -> tuple[str, dict] | None:
        for doc_id, record in self.written.items():
            if record.get("id") == fact_id:
                return doc_id, record
        if not _storable(fact_id):
            return None
        for position, text in self.connection.execute("SELECT position, record FROM facts WHERE id = ?", (fact_id,)):
            doc_id = str(position)
            if doc_id not in self.written:
                return doc_id, self._load(doc_id, text)
        return None

    def changed(self) -> dict[str, dict]:
        """The records set, and those read and then changed in place: what a save writes."""
        found = dict(self.written)
        for doc_id, record in self.loaded.items():
            if doc_id not in found and json.dumps(record, ensure_ascii=False, sort_keys=True) != self.texts[doc_id]:
                found[doc_id] = record
        return found


class Lookups:
    """The facts on record, asked one question at a time through the store's indexes (for
    curation.stored, which checks new facts against them as curation.overlap.Known does): the
    fact at skip (an edited fact's document id) left out."""

    def __init__(self, connection: sqlite3.Connection, path: str, skip: str | None = None) -> None:
        self.connection, self.path = connection, path
        self.skip = int(skip) if skip is not None else -1
        # Counted once a write: a word in half the claims takes a while to count, and every
        # fact of an import asks again.
        self.counts: dict[str, int] = {}

    @_reading
    def fact(self, fact_id: str) -> dict | None:
        """The record of the fact with this id."""
        if not _storable(fact_id):
            return None
        found = self.connection.execute(
            "SELECT record FROM facts WHERE id = ? AND position != ?", (fact_id, self.skip)
        ).fetchone()
        return json.loads(found[0]) if found else None

    @_reading
    def claim_holder(self, key: str) -> str | None:
        """The id of the fact in answers whose claim has this key (core.text.normalise_claim)."""
        if not _storable(key):
            return None
        found = self.connection.execute(
            "SELECT f.id FROM claims AS c JOIN facts AS f ON f.position = c.position WHERE c.key = ? AND c.position != ?",
            (key, self.skip),
        ).fetchone()
        return found[0] if found else None

    @_reading
    def spans(self, source: str) -> list[tuple[int, int, str]]:
        """(start, end, fact id) of every anchored quote of source by a fact in answers, oldest first."""
        if not _storable(source):
            return []
        return self.connection.execute(
            "SELECT s.start, s.end, f.id FROM spans AS s JOIN facts AS f ON f.position = s.position"
            " WHERE s.source = ? AND s.position != ? ORDER BY s.position",
            (source, self.skip),
        ).fetchall()

    @_reading
    def word_count(self, word: str) -> int:
        """How many facts in answers have this significant word in their claim."""
        if not _storable(word):
            return 0
        if word not in self.counts:
            ((self.counts[word],),) = self.connection.execute(
                "SELECT count(*) FROM words WHERE word = ? AND position != ?", (word, self.skip)
            )
        return self.counts[word]

    @_reading
    def latest_with_word(self, word: str, limit: int) -> list[tuple[str, set[str]]]:
        """(fact id, its words) of the last limit facts in answers with this word, oldest first."""
        if not _storable(word):
            return []
        rows = self.connection.execute(
            "SELECT f.position, f.id, w.word FROM facts AS f JOIN words AS w ON w.position = f.position"
            " WHERE f.position IN (SELECT position FROM words WHERE word = ? AND position != ?"
            " ORDER BY position DESC LIMIT ?) ORDER BY f.position",
            (word, self.skip, limit),
        )
        found: dict[int, tuple[str, set[str]]] = {}
        for position, fact_id, other in rows:
            found.setdefault(position, (fact_id, set()))[1].add(other)
        return list(found.values())

    @_reading
    def facts_of_kind(self, kind: str) -> list[dict]:
        """The records of the facts in answers of one kind, oldest first: what a fact of that kind
        is checked against for making the same claim (curation.identity)."""
        if not _storable(kind):
            return []
        rows = self.connection.execute(
            "SELECT record FROM facts WHERE kind = ? AND retracted = 0 AND position != ? ORDER BY position",
            (kind, self.skip),
        )
        return [json.loads(text) for (text,) in rows]

    @_reading
    def words(self, fact_id: str) -> set[str]:
        """The significant words of the claim of the fact in answers with this id."""
        if not _storable(fact_id):
            return set()
        return {
            word
            for (word,) in self.connection.execute(
                "SELECT w.word FROM words AS w JOIN facts AS f ON f.position = w.position WHERE f.id = ? AND f.position != ?",
                (fact_id, self.skip),
            )
        }


class _HeldIds(Container[str]):
    """The ids of the facts a store will hold once changed is written: what conflicts may name."""

    def __init__(self, connection: sqlite3.Connection, changed: Mapping[str, dict]) -> None:
        self.connection, self.changed = connection, changed
        self.new = {record.get("id") for record in changed.values()}

    def __contains__(self, fact_id: object) -> bool:
        if fact_id in self.new:
            return True
        if not _storable(fact_id):
            return False
        found = self.connection.execute("SELECT position FROM facts WHERE id = ?", (fact_id,)).fetchone()
        return found is not None and str(found[0]) not in self.changed


class SQLiteStoreFile(StoreFile):
    """A store of record, for changing it: one transaction from begin to save or end. The small
    tables (sources, conflicts, meta) are read whole; facts one at a time as asked (StoredFacts);
    a save checks what changed, and what it touches, against the store through its indexes."""

    def __init__(self, path: str, derivation: Derivation) -> None:
        self.path = os.fspath(path)
        self.derivation = derivation
        self.connection: sqlite3.Connection | None = None
        self.stored: dict[str, dict[str, str]] = {}  # each small table's records, as read, as text

    def begin(self, dry_run: bool) -> dict:
        real = os.path.realpath(self.path)
        if not dry_run and os.path.isfile(real) and not writable(real, status := os.stat(real)):
            raise StoreError(f"store {self.path} is read-only (mode {stat.S_IMODE(status.st_mode):04o}); nothing written")
        connection = _connect(self.path, write=not dry_run)
        self.connection = connection
        try:
            with _failures_as_store_errors(self.path):
                if not dry_run:
                    # A journal beside the store while a write commits, removed when it has:
                    # never WAL, whose files outlive a write and whose checkpoints change the file.
                    connection.execute("PRAGMA journal_mode = DELETE")
                    connection.execute("PRAGMA synchronous = FULL")
                # IMMEDIATE: the write lock now, so writers take turns; a dry run only reads,
                # and what it derives anew (an older store) is rolled back with it.
                connection.execute("BEGIN" if dry_run else "BEGIN IMMEDIATE")
                if _derived_layout(connection) != DERIVED_LAYOUT:
                    _derive_anew(connection, self.derivation)
                found = connection.execute("SELECT value FROM meta WHERE key = 'words'").fetchone()
                if (found[0] if found else None) != self.derivation.version:
                    _derive_words(connection, self.derivation)
                tables: dict[str, Any] = {}
                for name, records in _table_items(connection, document_order=True):
                    if name == "facts":
                        tables[name] = StoredFacts(connection, self.path)
                        continue
                    tables[name] = dict(records)
                    self.stored[name] = {
                        doc_id: json.dumps(record, ensure_ascii=False, sort_keys=True)
                        for doc_id, record in tables[name].items()
                    }
                return tables
        except BaseException:
            self.end()
            raise

    def end(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            with contextlib.suppress(sqlite3.Error):
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
            connection.close()

    def find(self, tables: dict, fact_id: str) -> tuple[str, dict] | None:
        return tables["facts"].find(fact_id)

    @_reading
    def fact_ids(self, tables: dict) -> Iterable[str]:
        assert self.connection is not None
        return [fact_id for (fact_id,) in self.connection.execute("SELECT id FROM facts ORDER BY position")]

    @_reading
    def next_doc_id(self, tables: dict, table: str) -> int:
        assert self.connection is not None
        if table != "facts":
            return max((int(k) for k in tables[table] if k.isdigit()), default=0) + 1
        ((largest,),) = self.connection.execute("SELECT coalesce(max(position), 0) FROM facts")
        return max([largest, *(int(k) for k in tables["facts"].written if k.isdigit())]) + 1

    def lookups(self, except_doc: str | None = None) -> Lookups:
        assert self.connection is not None
        return Lookups(self.connection, self.path, except_doc)

    def save(self, tables: dict, changed_facts: set[str] | None, cache_dir: str | None = None) -> None:
        """Check the change, then write it and commit: see StoreFile.save. Every rule the JSON
        store checks over the whole store holds here: each changed fact's own, ids and claims
        against every other fact (by index), every conflict's references, and every fact that a
        changed source or meta record could break; a change of meta, or changed_facts None,
        checks the whole store."""
        connection = self.connection
        assert connection is not None
        facts: StoredFacts = tables["facts"]
        small = {name: table for name, table in tables.items() if name != "facts"}
        changed = facts.changed()
        with _failures_as_store_errors(self.path, "write"):
            changed_small = {
                name
                for name in {*small, *self.stored}
                if {d: json.dumps(r, ensure_ascii=False, sort_keys=True) for d, r in small.get(name, {}).items()}
                != self.stored.get(name)
            }
            if changed_facts is None or "meta" in changed_small:
                problems = store_problems({**small, "facts": dict(facts.items())})
            else:
                check = {**changed, **self._citing(facts, self._changed_sources(small), changed)}
                problems = store_problems({**small, "facts": check}, fact_ids=_HeldIds(connection, changed))
                problems = problems or self._clashes(changed)
            if problems:
                raise _refusal(self.path, problems)
            positions = [int(doc_id) for doc_id in changed]
            _delete_checks(connection, positions)
            index.delete_facts(connection, positions)
            items = sorted(changed.items(), key=document_order)
            index.put_facts(connection, items)
            _put_checks(connection, items, self.derivation)
            if changed_small or set(tables) != {name for (name,) in connection.execute("SELECT name FROM store_tables")}:
                _put_small_tables(connection, {name: tables[name] for name in sorted(tables)})
            connection.execute("COMMIT")

    def _changed_sources(self, small: dict) -> set[str]:
        """The ids of sources changed or gone since the store was read."""
        before = {json.loads(text)["id"]: text for text in self.stored.get("sources", {}).values()}
        now = {
            record.get("id"): json.dumps(record, ensure_ascii=False, sort_keys=True)
            for record in small.get("sources", {}).values()
        }
        return {source_id for source_id, text in before.items() if now.get(source_id) != text}

    def _citing(self, facts: StoredFacts, sources: set[str], changed: dict) -> dict[str, dict]:
        """The facts on record, other than changed, that cite any of sources: a changed source
        can break them (a reported date is its source's), so they are checked again."""
        if not sources:
            return {}
        assert self.connection is not None
        rows = self.connection.execute(
            "SELECT DISTINCT position FROM cites WHERE source IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(sources)),),
        )
        return {str(p): facts[str(p)] for (p,) in rows if str(p) not in changed}

    def _clashes(self, changed: dict[str, dict]) -> list[Problem]:
        """Ids and claims of changed facts that another fact of the store holds (the JSON store's
        repeats, by index): the changed facts among themselves are store_problems' to find."""
        assert self.connection is not None
        found = []
        for doc_id, record in sorted(changed.items(), key=document_order):
            fact_id, claim = record.get("id"), record.get("claim")
            if isinstance(fact_id, str):
                held = self.connection.execute("SELECT position FROM facts WHERE id = ?", (fact_id,)).fetchone()
                if held is not None and str(held[0]) not in changed:
                    found.append(Problem("fact", fact_id, f"duplicate id: same as {fact_id}"))
            if isinstance(claim, str) and not record.get("retracted"):
                other = self.connection.execute(
                    "SELECT c.position, f.id FROM claims AS c JOIN facts AS f ON f.position = c.position WHERE c.key = ?",
                    (normalise_claim(claim),),
                ).fetchone()
                if other is not None and str(other[0]) not in changed:
                    found.append(Problem("fact", str(fact_id), f"duplicate claim: same as {other[1]}"))
        return found


def _delete_checks(connection: sqlite3.Connection, positions: list[int]) -> None:
    found = json.dumps(positions)
    for table in CHECK_TABLES:
        connection.execute(f"DELETE FROM {table} WHERE position IN (SELECT value FROM json_each(?))", (found,))


def _refusal(path: str, problems: list[Problem]) -> StoreError:
    count = len(problems)
    refused = StoreError(
        f"refusing to write store {path}: it would have {count} problem{'s' if count != 1 else ''}; nothing written"
    )
    refused.problems = [str(problem) for problem in problems]
    return refused
