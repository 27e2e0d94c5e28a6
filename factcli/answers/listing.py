"""Listing questions: timeline, search, show, sources, conflicts and the curation log."""

from __future__ import annotations

from typing import NamedTuple

from ..core.errors import NotFound, UsageError, closest_ids
from ..core.kinds import KINDS
from ..core.records import Fact, Source
from ..storage.base import Store
from .common import Answer, Hit, answer, date_order


class SourceSummary(NamedTuple):
    """A source, and how many facts and citations rest on it."""

    source: Source
    facts: int
    citations: int


class LogEntry(NamedTuple):
    """One curation change of one fact: when (UTC), what, and the reason or old id recorded."""

    at: str
    action: str
    fact: Fact
    detail: str | None = None


def log(store: Store, since: str | None = None) -> Answer:
    """Curation changes recorded in the store, oldest first, on or after since (a partial date)."""
    entries = []
    for fact in store.select(include_retracted=True):
        if fact.added:
            entries.append(LogEntry(fact.added, "added", fact))
        for entry in fact.history:
            detail = entry.get("reason") or (f"was {entry['from']}" if entry.get("from") else None)
            entries.append(LogEntry(entry["at"], entry["action"], fact, detail))
        if fact.changed and fact.changed not in {fact.added, *(entry["at"] for entry in fact.history)}:
            entries.append(LogEntry(fact.changed, "changed", fact))
    # ISO times compare as text, and a partial date is a prefix of every time it covers.
    entries = [entry for entry in entries if since is None or entry.at >= since]
    entries.sort(key=lambda entry: (entry.at, entry.fact.id))
    notes = [] if entries else ["No curation change is recorded" + (f" since {since}" if since else "") + "."]
    return Answer(view="log", hits=entries, sources=store.sources, notes=notes, title="Curation log")


def conflicts(store: Store) -> Answer:
    """Every recorded disagreement between sources (or within one), in store order."""
    notes = [] if store.conflicts else ["No conflict between sources is recorded in this store."]
    return Answer(
        view="conflicts",
        hits=list(store.conflicts),
        sources=store.sources,
        notes=notes,
        title="Where the sources disagree or need care",
    )


# --- timeline, search, show, sources ------------------------------------------------------


def timeline(
    store: Store,
    start: int | None = None,
    end: int | None = None,
    kind: str | None = None,
    undated: bool = False,
    include_retracted: bool = False,
) -> Answer:
    """Every dated fact in date order, within the years start..end inclusive."""
    dated = store.select(kind, include_retracted, years=(start, end))
    dated.sort(key=lambda fact: date_order(fact.date))
    hits = [Hit(fact) for fact in dated]
    if undated:
        hits += [Hit(fact) for fact in store.select(kind, include_retracted, undated=True)]
    notes = []
    if not hits:
        notes.append("No fact matches" + _describe(start=start, end=end, kind=kind) + ".")
    return answer(store, "timeline", hits, notes=notes, title="Timeline")


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
    """One fact, whole; NotFound with the closest ids when there is no such fact."""
    fact = store.fact(fact_id)
    if fact is None:
        raise NotFound(f"no fact with id {fact_id!r}", closest_ids(fact_id, store.ids()))
    if fact.retracted and not include_retracted:
        raise NotFound(
            f"fact {fact_id!r} was retracted on {fact.retracted.date} ({fact.retracted.reason}); "
            "add --include-retracted to see it"
        )
    return answer(store, "show", [Hit(fact)], title=fact.id)


def sources(store: Store, include_retracted: bool = False) -> Answer:
    """Each source document with how many facts and citations rest on it."""
    counts = store.citation_counts(include_retracted)
    summaries = [SourceSummary(source, *counts[i]) for i, source in store.sources.items()]
    summaries.sort(key=lambda s: (s.source.published or "", s.source.id))
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
