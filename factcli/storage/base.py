"""The one interface every loaded store offers the questions: tinydb's Storage idea, for reading facts.

The JSON store loaded whole (storage.memory) and the derived SQLite index (storage.index)
both implement it, so a question never knows which it is asking; storage.loading is the
one place that picks.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence

from ..core.meta import Meta
from ..core.records import Conflict, Fact, Source

# (first, last) years, either None for open; or None for no year filter.
Years = tuple[int | None, int | None]
# A full-text match: the fact, its score (lower ranks higher), and the words found in each
# column; both None when nothing was searched for.
SearchHit = tuple[Fact, float | None, dict[str, list[str]] | None]


class Store(abc.ABC):
    """A valid store, read for questions: what it is about, its sources by id, its conflicts (those
    retracted apart: they flag no fact), and its facts on request."""

    path: str
    meta: Meta
    sources: dict[str, Source]
    conflicts: list[Conflict]
    retracted_conflicts: list[Conflict]

    @abc.abstractmethod
    def select(
        self,
        kind: str | None = None,
        include_retracted: bool = False,
        years: Years | None = None,
        undated: bool = False,
        bound: str | None = None,
    ) -> list[Fact]:
        """Facts of a kind (or all), in document order; with years=(first, last) only dated facts
        in those years (either may be None), with undated only facts that have no date, with
        bound only facts whose date is that bound (date_bound: after or by)."""

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
