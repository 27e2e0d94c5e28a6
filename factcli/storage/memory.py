"""A valid store loaded whole into memory: what small stores, and every write, read."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..core.meta import Meta, meta_of
from ..core.records import Conflict, Fact, Source, document_order
from .base import SearchHit, Store, Years
from .backend import read_valid_tables

if TYPE_CHECKING:
    import sqlite3  # imported by search when a question searches: one that does not never pays for it


def _in_years(fact: Fact, years: Years) -> bool:
    start, end = years
    year = int(fact.date[:4]) if fact.date else None
    return year is not None and (start is None or year >= start) and (end is None or year <= end)


class MemoryStore(Store):
    """A loaded, valid store held in memory: sources by id and facts in document order."""

    def __init__(
        self,
        path: str | os.PathLike,
        sources: dict[str, Source],
        facts: list[Fact],
        conflicts: Iterable[Conflict] = (),
        meta: Meta = Meta(),
    ) -> None:
        self.path = os.fspath(path)
        self.meta = meta
        self.sources = sources
        self.facts = facts
        self.conflicts, self.retracted_conflicts = split_conflicts(conflicts)
        self._search: sqlite3.Connection | None = None

    def select(
        self,
        kind: str | None = None,
        include_retracted: bool = False,
        years: Years | None = None,
        undated: bool = False,
        bound: str | None = None,
    ) -> list[Fact]:
        return [
            fact
            for fact in self.facts
            if (kind is None or fact.kind == kind)
            and (include_retracted or not fact.retracted)
            and (years is None or _in_years(fact, years))
            and (not undated or not fact.date)
            and (bound is None or fact.date_bound == bound)
        ]

    def search(self, parts: Sequence, kind=None, include_retracted=False, limit=None) -> tuple[int, list[SearchHit]]:
        # Through a search table built in memory the first time it is needed.
        from . import search

        if self._search is None:
            self._search = search.memory_index(self.facts)
        total, found = search.ranked(self._search, parts, kind, include_retracted, limit)
        return total, [(self.facts[position], score, match) for position, score, match in found]

    def citation_counts(self, include_retracted: bool = False) -> dict[str, tuple[int, int]]:
        facts, citations = dict.fromkeys(self.sources, 0), dict.fromkeys(self.sources, 0)
        for fact in self.select(include_retracted=include_retracted):
            for source_id in {citation.source for citation in fact.citations}:
                facts[source_id] += 1
            for citation in fact.citations:
                citations[citation.source] += 1
        return {source_id: (facts[source_id], citations[source_id]) for source_id in self.sources}

    def fact(self, fact_id: str) -> Fact | None:
        return next((fact for fact in self.facts if fact.id == fact_id), None)

    def ids(self) -> list[str]:
        return [fact.id for fact in self.facts]


def load_whole(path: str, cache_dir: str | None = None) -> MemoryStore:
    """Read the whole store (either back end) into memory and validate it; with cache_dir, a JSON
    store's file that validated before, unchanged, is not checked again (storage.checked)."""
    tables = read_valid_tables(path, cache_dir)
    # In document order, as the index and the SQLite store of record keep them, whatever order the file has.
    sources = {
        record["id"]: Source.from_record(record) for _, record in sorted(tables["sources"].items(), key=document_order)
    }
    facts = [Fact.from_record(record) for _, record in sorted(tables["facts"].items(), key=document_order)]
    return MemoryStore(path, sources, facts, conflicts_of_tables(tables), meta_of(tables))


def split_conflicts(conflicts: Iterable[Conflict]) -> tuple[list[Conflict], list[Conflict]]:
    """(conflicts in answers, retracted conflicts), each in document order."""
    found: tuple[list[Conflict], list[Conflict]] = ([], [])
    for conflict in conflicts:
        found[conflict.retracted is not None].append(conflict)
    return found


def conflicts_of_tables(tables: dict) -> list[Conflict]:
    """The conflicts of a valid store's tables, in document order; none for a store without the table."""
    records = sorted((tables.get("conflicts") or {}).items(), key=document_order)
    return [Conflict.from_record(record) for _, record in records]

