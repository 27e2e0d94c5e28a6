"""Listing questions: timeline, search, show, sources, conflicts and the curation log."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.dates import date_span
from ..core.errors import NotFound, UsageError, closest_ids
from ..core.kinds import KINDS
from ..core.records import Fact, Retraction, Source
from ..core.tuples import Record
from ..storage.base import Store
from .common import Answer, Hit, answer, date_order


class SourceSummary(Record):
    """A source, and how many facts and citations rest on it."""

    source: Source
    facts: int
    citations: int


class LogEntry(Record):
    """One curation change of one record (a fact, conflict or source): when (UTC), what, the
    reason or old id recorded, and for an edit or a citation the field with its value before
    and after (each as history keeps it: shortened says when only its start was kept)."""

    at: str
    action: str
    record: str  # "fact", "conflict" or "source"
    id: str
    claim: str  # a fact's claim, a conflict's note, a source's title
    detail: str | None = None
    field: str | None = None
    before: Any = None
    after: Any = None
    shortened: tuple[str, ...] = ()  # the sides ("before", "after") of which history kept only the start


def _entries(record: str, record_id: str, claim: str, added, changed, history) -> list[LogEntry]:
    """The log entries of one record's curation times and history."""
    found = [LogEntry(added, "added", record, record_id, claim)] if added else []
    for entry in history:
        detail = entry.get("reason") or (f"was {entry['from']}" if entry.get("from") else None)
        for change in entry.get("changes") or [{}]:
            found.append(
                LogEntry(
                    entry["at"], entry["action"], record, record_id, claim, detail, change.get("field"),
                    change.get("before"), change.get("after"), tuple(change.get("shortened", ())),
                )
            )  # fmt: skip
    if changed and changed not in {added, *(entry["at"] for entry in history)}:
        found.append(LogEntry(changed, "changed", record, record_id, claim))
    return found


def log(store: Store, since: str | None = None) -> Answer:
    """Curation changes recorded in the store, of its facts, conflicts and sources, oldest first,
    on or after since (a partial date)."""
    entries = []
    for fact in store.select(include_retracted=True):
        entries += _entries("fact", fact.id, fact.claim, fact.added, fact.changed, fact.history)
    for conflict in [*store.conflicts, *store.retracted_conflicts]:
        entries += _entries("conflict", conflict.id, conflict.note, conflict.added, conflict.changed, conflict.history)
    for source in store.sources.values():
        entries += _entries("source", source.id, source.title, source.added, source.changed, source.history)
    # ISO times compare as text, and a partial date is a prefix of every time it covers.
    entries = [entry for entry in entries if since is None or entry.at >= since]
    entries.sort(key=lambda entry: (entry.at, entry.id))
    notes = [] if entries else ["No curation change is recorded" + (f" since {since}" if since else "") + "."]
    return Answer(view="log", hits=entries, sources=store.sources, notes=notes, title="Curation log")


def conflicts(store: Store, include_retracted: bool = False) -> Answer:
    """Every recorded disagreement between sources (or within one), in store order; retracted
    ones only when asked for, after the others."""
    found = [*store.conflicts, *(store.retracted_conflicts if include_retracted else ())]
    notes = [] if found else ["No conflict between sources is recorded in this store."]
    return Answer(
        view="conflicts",
        hits=found,
        sources=store.sources,
        notes=notes,
        title="Where the sources disagree or need care",
    )


# --- timeline, search, show, sources ------------------------------------------------------


def timeline(
    store: Store,
    start: int | str | None = None,
    end: int | str | None = None,
    kind: str | None = None,
    undated: bool = False,
    include_retracted: bool = False,
) -> Answer:
    """Every dated fact in date order whose date overlaps start..end inclusive: years, or
    partial dates (2019, 2019-07, 2019-07-14). A fact dated 2019 overlaps 2019-07: its date
    says no more, so it is listed, as --year lists it in 2019. A fact known only to have come
    after a date is listed in every period from that date up to its first report: it may fall in
    any of them. Facts that may fall outside the period are listed after those within it."""
    first = date_span(str(start))[0] if start is not None else None
    last = date_span(str(end))[1] if end is not None else None
    # The store finds the years, and the facts after a date of an earlier year (by its index on
    # bounds: a large store's earlier years are not read); the days of a month or a day given,
    # and what a bound allows, are compared here.
    years = (first and first[0], last and last[0])
    candidates = store.select(kind, include_retracted, years=years)
    if first is not None:
        # Of years before the period's: no date equals one of the period's, so order is kept.
        candidates = [*store.select(kind, include_retracted, years=(None, first[0] - 1), bound="after"), *candidates]
    # The days each date may mean, worked out once: for a fact after a date, from its sources.
    possible = {fact.id: _possible_days(fact, store.sources) for fact in candidates if fact.date}
    dated = [fact for fact in candidates if fact.id in possible and _overlaps(possible[fact.id], first, last)]
    # Facts that may fall outside the period (dated only more coarsely than it, a year for a
    # month; or known only to have come after a date) go after those that fall within it, which
    # is all the order can say of them.
    unsure = {
        fact.id
        for fact in dated
        # By a date, a fact may have come at any time before it (the list keeps it at its date).
        if not _within(possible[fact.id], first, last) or (fact.date_bound == "by" and first is not None)
    }
    dated.sort(key=lambda fact: (fact.id in unsure, date_order(fact.date)))
    hits = [Hit(fact) for fact in dated]
    if undated:
        hits += [Hit(fact) for fact in store.select(kind, include_retracted, undated=True)]
    notes = []
    if unsure:
        count = len(unsure)
        notes.append(
            f"{count} {'fact' if count == 1 else 'facts'} may fall outside the period (dated only more coarsely, or"
            " known only by a bound): listed after those within it, each date marked."
        )
    if not hits:
        notes.append("No fact matches" + _describe(start=start, end=end, kind=kind) + ".")
    return answer(store, "timeline", hits, notes=notes, title="Timeline")


def _possible_days(fact: Fact, sources: Mapping[str, Source]) -> tuple[tuple, tuple | None]:
    """The first and last day a fact's date may mean: its date's own days; for a fact after a
    date, from the first day of that date (after a moment within it, it may fall within it) to
    the last day of its earliest report (open when no report is dated): the event came before
    any source reported it."""
    assert fact.date is not None  # only dated facts are placed
    first, last = date_span(fact.date)
    if fact.date_bound != "after":
        return first, last
    known = []
    for citation in fact.citations:
        source = sources.get(citation.source)
        # A source known only to be published after a date gives no latest day.
        reported = citation.as_of or (source.published or source.published_before if source else None)
        if reported:
            known.append(date_span(reported)[1])
    latest = min(known) if known else None
    if latest is not None and latest < first:
        return first, last  # reported before the date it came after: the sources disagree; its own days
    return first, latest


def _within(span: tuple, first: tuple | None, last: tuple | None) -> bool:
    """Whether every day span may mean (last None: open) lies within first..last (None: open)."""
    return (first is None or span[0] >= first) and (last is None or (span[1] is not None and span[1] <= last))


def _overlaps(span: tuple, first: tuple | None, last: tuple | None) -> bool:
    """Whether the days span (first, last; last None for open) meets first..last (either None for open)."""
    return (first is None or span[1] is None or span[1] >= first) and (last is None or span[0] <= last)


def _describe(**filters):
    words = {"start": "from", "end": "to", "kind": "of kind"}
    return "".join(f" {words[key]} {value}" for key, value in filters.items() if value is not None)


# What facts search shows unless asked for more: the best of the matches, as a search engine
# shows a page; every match would cost seconds and gigabytes at 100,000 facts.
SEARCH_LIMIT = 100


def search(
    store: Store, text: str, kind: str | None = None, include_retracted: bool = False, limit: int | None = None
) -> Answer:
    """Facts matching every word of text (stemmed, case, accents and apostrophes folded;
    "quoted words" as a phrase), most relevant first, then by date. Empty text lists every fact.
    With limit, only the first limit, and a note of how many more match."""
    from ..storage import search as full_text

    query = full_text.parts(text, store.meta.synonyms)
    if not query and text.strip():
        # Punctuation alone would list every fact, as if nothing had been asked.
        raise UsageError(f"search needs a word or number to look for; {text!r} has none")
    total, found = store.search(query, kind, include_retracted, limit)
    hits = [Hit(fact, {"match": match}) for fact, _, match in found]
    notes = []
    if total > len(hits):
        notes.append(f"{total - len(hits)} more not shown (--limit {limit}).")
    if not hits:
        notes.append(f"No fact matches every word of {text!r}" + _describe(kind=kind) + ".")
    return answer(store, "search", hits, notes=notes, title=f"Search: {text}")


def show(store: Store, fact_id: str, include_retracted: bool = False) -> Answer:
    """One fact, whole, or one conflict as facts conflicts shows it (view "conflicts"); NotFound
    with the closest ids when there is no such fact or conflict."""
    fact = store.fact(fact_id)
    if fact is not None:
        _refuse_retracted("fact", fact_id, fact.retracted, include_retracted)
        return answer(store, "show", [Hit(fact)], title=fact.id)
    every = [*store.conflicts, *store.retracted_conflicts]
    conflict = next((conflict for conflict in every if conflict.id == fact_id), None)
    if conflict is None:
        if fact_id in store.sources:
            raise NotFound(f"{fact_id!r} is a source, not a fact or conflict: facts sources lists it")
        ids = [*store.ids(), *(conflict.id for conflict in every)]
        raise NotFound(f"no fact or conflict with id {fact_id!r}", closest_ids(fact_id, ids))
    _refuse_retracted("conflict", fact_id, conflict.retracted, include_retracted)
    return Answer(view="conflicts", hits=[conflict], sources=store.sources, title=conflict.id, meta=store.meta)


def _refuse_retracted(name: str, record_id: str, retracted: Retraction | None, include_retracted: bool) -> None:
    if retracted and not include_retracted:
        raise NotFound(
            f"{name} {record_id!r} was retracted on {retracted.date} ({retracted.reason}); "
            "add --include-retracted to see it"
        )


def sources(store: Store, include_retracted: bool = False) -> Answer:
    """Each source document with how many facts and citations rest on it."""
    counts = store.citation_counts(include_retracted)
    summaries = [SourceSummary(source, *counts[i]) for i, source in store.sources.items()]
    # A source known only by a bound sorts by it.
    summaries.sort(key=lambda s: (s.source.dated() or "", s.source.id))
    notes = [] if summaries else ["The store has no sources yet; add one with facts add-source."]
    return answer(store, "sources", summaries, notes=notes, title="Source documents")


def values_for_completion(store: Store, what: str) -> list[str]:
    """Values on record for shell completion: roles, kinds, areas or fact ids."""
    if what == "kind":
        return list(KINDS)
    if what == "id":
        return store.ids()
    kind, name = {"role": ("role", "role"), "area": ("rating", "area")}[what]
    return sorted({fact.fields[name] for fact in store.select(kind)})
