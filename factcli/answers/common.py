"""What every question returns: an Answer of hits, the sources they cite, notes, and the conflicts they touch."""

from __future__ import annotations

import datetime
import functools
import re
from typing import Any

from ..core.dates import date_sort_key, date_span
from ..core.meta import Meta
from ..core.records import Conflict, Fact, Source
from ..core.tuples import Record
from ..storage.base import Store


class Hit(Record):
    """One fact in an answer, with what the question adds about it (in force since, tenure...)."""

    fact: Fact
    context: dict[str, Any] = {}


class Answer(Record):
    """What a query returns: hits in order, the sources they cite, notes for stderr, the
    conflicts between sources that touch the facts in it (by fact id), and what the store is
    about (its meta: titles, the grade scale)."""

    view: str
    hits: list
    sources: dict[str, Source]
    title: str = ""
    notes: tuple[str, ...] | list[str] = ()
    strip: tuple | list = ()
    conflicts: dict[str, list[Conflict]] = {}
    meta: Meta = Meta()
    horizon: str | None = None
    horizon_basis: str | None = None  # how the horizon's date is known: its source's published_basis


def phrase_matches(query: str, text: str) -> bool:
    """True when query occurs in text as whole words: 'minister' matches 'Minister for Children'."""
    # core.text (its tables and patterns) is imported by the questions that match phrases only.
    from ..core.text import fold_for_matching

    return _phrase(query).search(fold_for_matching(text)) is not None


@functools.lru_cache(maxsize=256)
def _phrase(query: str) -> re.Pattern:
    from ..core.text import fold_for_matching

    return re.compile(rf"(?<!\w){re.escape(fold_for_matching(query))}(?!\w)")


def answer(store: Store, view: str, hits: list, **extra: Any) -> Answer:
    """An Answer of hits, with the conflicts recorded against any fact among them."""
    touched: dict[str, list[Conflict]] = {}
    for conflict in store.conflicts:
        for fact_id in conflict.facts:
            touched.setdefault(fact_id, []).append(conflict)
    in_answer = {hit.fact.id for hit in hits if isinstance(hit, Hit)}
    conflicts = {fact_id: found for fact_id, found in touched.items() if fact_id in in_answer}
    return Answer(
        view=view,
        hits=hits,
        sources=store.sources,
        conflicts=conflicts,
        meta=store.meta,
        horizon=(newest := horizon(store)),
        horizon_basis=horizon_basis(store, newest),
        **extra,
    )


def horizon(store: Store) -> str | None:
    """The latest date the store's sources can speak for: the newest of their publication dates,
    where a source known only to be published after a date speaks for that date (at least; never
    later: when it was published is not known). No answer presumes anything after it; None when
    no source is dated."""
    dates = [date for source in store.sources.values() if (date := source.published or source.published_after)]
    return max(dates, key=lambda date: date_span(date)[1]) if dates else None


# Of sources of one date, the best known gives the horizon's basis.
_BASIS_ORDER = ("printed", "inferred", "outside")


def horizon_basis(store: Store, newest: str | None = None) -> str | None:
    """How the horizon's date (newest, when it is at hand) is known: the published_basis of the
    source it comes from (of several of that date, the best known); "bounded" when only a bound
    gives it."""
    newest = newest or horizon(store)
    if newest is None:
        return None
    giving = [source for source in store.sources.values() if source.published == newest]
    if not giving:
        return "bounded"
    bases = [source.published_basis or "printed" for source in giving]
    return min(bases, key=lambda basis: _BASIS_ORDER.index(basis) if basis in _BASIS_ORDER else len(_BASIS_ORDER))


def last_year(store: Store, today: datetime.date) -> int | None:
    """The last year an answer may speak for: the horizon's, and never after today's; None when
    no source is dated, so nothing can be presumed."""
    newest = horizon(store)
    return min(year_of(newest), today.year) if newest else None


def beyond_horizon(store: Store, year: int, what: str) -> str:
    """The note for a question about a year after the store's horizon."""
    from ..core.kinds import marked_basis

    newest = horizon(store)
    mark = marked_basis(horizon_basis(store, newest))
    end = f"{newest} ({mark})" if mark else newest
    return f"The store's sources end in {end}; nothing on record for {year}. Last on record: {what}."


def year_of(date: str) -> int:
    return int(date[:4])


def date_order(date: str | None) -> tuple:
    """Sort key for a possibly missing date: undated things go last."""
    return (0, date_sort_key(date)) if date else (1, (0, 0, 0))
