"""A derived SQLite index of a large store, so a query reads only the facts it needs.

The JSON store stays the single source of truth. The index lives in the user's cache
directory, keyed on the store's real path, and records the store's size, modification
time and inode: when any of them differ, or the index cannot be read, it is rebuilt from
the store, and only from a store that validates. An index that cannot be built or opened
is never an error: the caller reads the JSON instead.
"""

import hashlib
import json
import os
import sqlite3

from .model import Fact, Source, searchable
from .store import document_order, read_valid_tables, running

# Bump when the layout changes, so old indexes are rebuilt rather than misread.
LAYOUT_VERSION = "1"

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (position INTEGER PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE facts (
    position INTEGER PRIMARY KEY,   -- document order in the store
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    year INTEGER,                   -- null for undated facts
    retracted INTEGER NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX facts_kind ON facts (kind, position);
CREATE INDEX facts_year ON facts (year, position);
CREATE VIRTUAL TABLE facts_text USING fts5 (text, tokenize = 'trigram');
"""


def cache_directory():
    """FACTS_CACHE_DIR, else $XDG_CACHE_HOME/factcli, else ~/.cache/factcli."""
    explicit = os.environ.get("FACTS_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "factcli")


def index_path(store_path):
    real = os.path.realpath(store_path)
    return os.path.join(cache_directory(), f"{hashlib.sha256(real.encode()).hexdigest()[:24]}.sqlite3")


def _fingerprint(store_path):
    status = os.stat(store_path)
    return {
        "layout": LAYOUT_VERSION,
        "store": os.path.realpath(store_path),
        "size": str(status.st_size),
        "mtime_ns": str(status.st_mtime_ns),
        "inode": f"{status.st_dev}:{status.st_ino}",
    }


def indexed_store(store_path):
    """An IndexedStore for the store at store_path, or None when no index can be had.

    Raises StoreError, as loading the JSON would, when the store itself is missing,
    unreadable or invalid.
    """
    try:
        expected = _fingerprint(store_path)
    except OSError:
        return None  # reading the JSON will report what is wrong with the file
    target = index_path(store_path)
    connection = _open_fresh(target, expected)
    if connection is None:
        connection = _build(store_path, target, expected)
    return IndexedStore(store_path, connection) if connection is not None else None


def _open_fresh(target, expected):
    if not os.path.exists(target):
        return None
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
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        _remove_abandoned_builds(target)
        temporary = f"{target}.{os.getpid()}.tmp"
        if os.path.exists(temporary):
            os.unlink(temporary)
        with sqlite3.connect(temporary) as connection:
            _fill(connection, tables, fingerprint)
        connection.close()
        os.replace(temporary, target)
        return sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    except (OSError, sqlite3.Error):
        return None


def _remove_abandoned_builds(target):
    """Delete temporary files of builds whose process is gone (killed mid-build); at a million
    facts each is the size of the index."""
    folder, name = os.path.split(target)
    for entry in os.listdir(folder):
        pid = entry[len(name) + 1 : -len(".tmp")] if entry.startswith(name + ".") and entry.endswith(".tmp") else ""
        if pid.isdigit() and not running(int(pid)):
            try:
                os.unlink(os.path.join(folder, entry))
            except OSError:
                pass  # another process cleaned it up first


def _fill(connection, tables, fingerprint):
    connection.executescript(SCHEMA)
    connection.executemany(
        "INSERT INTO sources VALUES (?, ?)",
        ((n, json.dumps(record)) for n, record in enumerate(tables["sources"].values())),
    )
    ordered = sorted(tables["facts"].items(), key=document_order)
    rows, texts = [], []
    for position, (_, record) in enumerate(ordered):
        fact = Fact.from_record(record)
        rows.append(
            (
                position,
                fact.id,
                fact.kind,
                int(fact.date[:4]) if fact.date else None,
                1 if fact.retracted else 0,
                json.dumps(record, ensure_ascii=False),
            )
        )
        texts.append((position, " ".join(searchable(fact))))
    connection.executemany("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?)", rows)
    connection.executemany("INSERT INTO facts_text (rowid, text) VALUES (?, ?)", texts)
    connection.executemany("INSERT INTO meta VALUES (?, ?)", fingerprint.items())


def _fts_phrase(word):
    return '"' + word.replace('"', '""') + '"'


class IndexedStore:
    """What store.Store offers queries, answered from the index: only the facts asked for are read."""

    def __init__(self, path, connection):
        self.path = os.fspath(path)
        self.connection = connection
        self.sources = {}
        for (record,) in connection.execute("SELECT record FROM sources ORDER BY position"):
            source = Source.from_record(json.loads(record))
            self.sources[source.id] = source

    @property
    def facts(self):
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

    def select(self, kind=None, include_retracted=False, years=None, undated=False):
        conditions, parameters = self._filters(kind, include_retracted)
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

    def candidates(self, words, kind=None, include_retracted=False):
        # The trigram index finds words of three or more characters anywhere in the text;
        # shorter ones are left to the caller, which checks every word of every candidate.
        long_words = [word for word in words if len(word) >= 3]
        if not long_words:
            return self.select(kind, include_retracted)
        conditions, parameters = self._filters(kind, include_retracted)
        conditions.append("position IN (SELECT rowid FROM facts_text WHERE facts_text MATCH ?)")
        parameters.append(" AND ".join(_fts_phrase(word) for word in long_words))
        return self._facts(
            f"SELECT record FROM facts WHERE {' AND '.join(conditions)} ORDER BY position", parameters
        )

    def fact(self, fact_id):
        found = self._facts("SELECT record FROM facts WHERE id = ?", (fact_id,))
        return found[0] if found else None

    def ids(self):
        return [fact_id for (fact_id,) in self.connection.execute("SELECT id FROM facts ORDER BY position")]
