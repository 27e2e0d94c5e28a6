"""The one interface every loaded store offers the questions: tinydb's Storage idea, for reading facts.

The JSON store loaded whole (storage.memory) and the derived SQLite index (storage.index)
both implement it, so a question never knows which it is asking; storage.loading is the
one place that picks.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from ..core.meta import Meta
from ..core.records import Conflict, Fact, Source

# (first, last) years, either None for open; or None for no year filter.
Years = tuple[int | None, int | None]
# A full-text match: the fact, its score (lower ranks higher), and the words found in each
# column; both None when nothing was searched for.
SearchHit = tuple[Fact, float | None, dict[str, list[str]] | None]


class Store(abc.ABC):
    """A valid store, read for questions: what it is about, its sources by id, its conflicts, and its
    facts on request."""

    path: str
    meta: Meta
    sources: dict[str, Source]
    conflicts: list[Conflict]

    @abc.abstractmethod
    def select(
        self,
        kind: str | None = None,
        include_retracted: bool = False,
        years: Years | None = None,
        undated: bool = False,
    ) -> list[Fact]:
        """Facts of a kind (or all), in document order; with years=(first, last) only dated facts
        in those years (either may be None), with undated only facts that have no date."""

    @abc.abstractmethod
    def search(
        self, parts: Sequence, kind: str | None = None, include_retracted: bool = False, limit: int | None = None
    ) -> tuple[int, list[SearchHit]]:
        """How many facts match every part of a search (storage.search.parts; every fact when
        there is none), and the first limit of them, best first (storage.search.ranked)."""

    @abc.abstractmethod
    def citation_counts(self, include_retracted: bool = False) -> dict[str, tuple[int, int]]:
        """For every source, (facts citing it, citations of it), retracted facts left out unless asked."""

    @abc.abstractmethod
    def fact(self, fact_id: str) -> Fact | None:
        """The fact with this id, retracted or not; None when there is none."""

    @abc.abstractmethod
    def ids(self) -> list[str]:
        """Every fact's id, in document order."""


class Derivation(NamedTuple):
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
