"""Answers to questions about the store, as plain objects: no click, no rich."""

import bisect
import datetime
import functools
import os
import re
from typing import NamedTuple

from .model import (
    KINDS,
    NotFound,
    closest_ids,
    date_sort_key,
    date_span,
    searchable,
    store_problems,
)
from .model import fold_for_matching as fold
from .store import StoreError, load, read_tables, read_valid_tables

# Words people use for a role that the sources word differently. Keys and values are
# matched like any other --role text, so "dcs" finds "director of children's services".
ROLE_SYNONYMS = {
    "dcs": "director of children's services",
    "council leader": "leader of blackpool council",
    "children's minister": "minister for children",
    "lead member": "cabinet member",
    "portfolio holder": "cabinet member",
}


class Hit(NamedTuple):
    """One fact in an answer, with what the question adds about it (in force since, tenure...)."""

    fact: object
    context: dict | None = None


class YearGrade(NamedTuple):
    """The overall grade in force at the end of one year, for the at-a-glance strip."""

    year: int
    judgment: str | None


class Answer(NamedTuple):
    """What a query returns: hits in order, the sources they cite, and notes for stderr."""

    view: str
    hits: list
    sources: dict
    title: str = ""
    notes: tuple = ()
    strip: tuple = ()


class SourceSummary(NamedTuple):
    source: object
    facts: int
    citations: int


class Validation(NamedTuple):
    path: str
    problems: list
    facts: int = 0
    sources: int = 0
    citations: int = 0


def phrase_matches(query, text):
    """True when query occurs in text as whole words: 'minister' matches 'Minister for Children'."""
    return _phrase(query).search(fold(text)) is not None


@functools.lru_cache(maxsize=256)
def _phrase(query):
    return re.compile(rf"(?<!\w){re.escape(fold(query))}(?!\w)")


def _year(date):
    return int(date[:4])


def present():
    """Today, or FACTS_TODAY (an ISO date) so that examples and tests can be reproduced."""
    pinned = os.environ.get("FACTS_TODAY")
    if pinned:
        try:
            return datetime.date.fromisoformat(pinned)
        except ValueError:
            raise StoreError(f"FACTS_TODAY {pinned!r} is not an ISO date (YYYY-MM-DD)") from None
    return datetime.date.today()


def _answer(store, view, hits, **extra):
    return Answer(view=view, hits=hits, sources=store.sources, **extra)


# --- rating -------------------------------------------------------------------------------


def _judgments(ratings):
    """Group rating facts into judgments (one inspection's grades), oldest first.

    Ratings from one inspection share inspected and published dates; the judgment is made
    when it is published, or when inspected if the sources give no publication date.
    """
    groups = {}
    for fact in ratings:
        inspected, published = fact.fields["inspected"], fact.fields["published"]
        # Without either date, only the fact's own date tells inspections apart.
        key = (inspected, published, None if inspected or published else fact.date)
        groups.setdefault(key, []).append(fact)
    judgments = []
    for facts in groups.values():
        facts.sort(key=lambda f: (f.fields["area"] != "overall", f.fields["area"]))
        made = facts[0].fields["published"] or facts[0].fields["inspected"] or facts[0].date
        if made:
            judgments.append((made, facts))
    judgments.sort(key=lambda judgment: date_sort_key(judgment[0]))
    return judgments


def _overall(facts):
    return next((f.fields["judgment"] for f in facts if f.fields["area"] == "overall"), None)


def rating(store, year=None, area=None, include_retracted=False, today=None):
    """Ofsted judgments: all of them, or those in force during year.

    In force during a year: the latest judgment made on or before its end, plus any made in it.
    """
    today = today or present()
    ratings = store.select("rating", include_retracted)
    every_judgment = _judgments(ratings)
    judgments = every_judgment
    if area:
        judgments = _judgments([f for f in ratings if phrase_matches(area, f.fields["area"])])
    notes = []
    if not every_judgment:
        notes.append("No Ofsted judgment is on record in this store.")
        return _answer(store, "rating", [], notes=notes, title="Ofsted judgments")
    if not judgments:
        areas = sorted({f.fields["area"] for f in ratings})
        notes.append(f"No rating matches area {area!r}. Areas on record: {', '.join(areas)}.")
        return _answer(store, "rating", [], notes=notes, title="Ofsted judgments")

    made_dates = [made for made, _ in judgments]
    hits = []
    if year is None:
        for index, (made, facts) in enumerate(judgments):
            following = made_dates[index + 1] if index + 1 < len(judgments) else None
            for fact in facts:
                hits.append(Hit(fact, {"in_force_since": made, "in_force_until": following}))
        strip = _strip(every_judgment, today.year)
        return _answer(store, "rating", hits, title="Ofsted judgments", strip=strip)

    started = [i for i, (made, _) in enumerate(judgments) if _year(made) <= year]
    if not started:
        first_made, first_facts = judgments[0]
        notes.append(
            f"No judgment is on record in force during {year}; the earliest is "
            f"{first_facts[0].fields['judgment']} ({first_facts[0].fields['area']}), made {first_made}."
        )
        return _answer(store, "rating", [], notes=notes, title=f"Ofsted judgments in force during {year}")
    chosen = {started[-1]} | {i for i in started if _year(judgments[i][0]) == year}
    for index in sorted(chosen):
        made, facts = judgments[index]
        later = made_dates[index + 1] if index + 1 < len(judgments) else None
        made_in_year = _year(made) == year
        for fact in facts:
            hits.append(
                Hit(
                    fact,
                    {
                        "in_force_since": made,
                        "made_in_year": made_in_year,
                        "carried_forward": not made_in_year,
                        "next_judgment": later,
                    },
                )
            )
    return _answer(store, "rating", hits, title=f"Ofsted judgments in force during {year}")


def _strip(judgments, present_year):
    """The overall grade in force at the end of each year, from the first judgment to the present."""
    overall = [(made, _overall(facts)) for made, facts in judgments if _overall(facts)]
    if not overall:
        return []
    strip = []
    for year in range(_year(overall[0][0]), max(present_year, _year(overall[-1][0])) + 1):
        in_force = [grade for made, grade in overall if _year(made) <= year]
        strip.append(YearGrade(year, in_force[-1] if in_force else None))
    return strip


# --- who ----------------------------------------------------------------------------------


def role_matches(query, role):
    wanted = fold(query)
    alternatives = [query] + [
        expansion for name, expansion in ROLE_SYNONYMS.items() if fold(name) == wanted
    ]
    return any(phrase_matches(alternative, role) for alternative in alternatives)


def _post(fact):
    # Successive holders of one post: same organisation and the same role wording, unless
    # the curator named the post because its wording changed (a renamed ministry).
    return (fold(fact.fields["organisation"]), fold(fact.fields["post"] or fact.fields["role"]))


def _last_on_record(fact, sources):
    dates = [d for d in [fact.date, fact.fields["start"]] if d]
    dates += [sources[c.source].published for c in fact.citations if sources[c.source].published]
    return max(dates, key=date_sort_key) if dates else None


def _start(fact):
    return fact.fields["start"] or fact.date


def tenures(store, include_retracted=False, wanted=None):
    """Role facts (those wanted, or all) with their tenures: from the stated start, or the
    earliest date on record, to the stated end, or else until the next recorded holder of
    the same post."""
    roles = [f for f in store.select("role", include_retracted) if _start(f)]
    posts = {}
    for fact in roles:
        posts.setdefault(_post(fact), []).append(fact)
    starts = {}
    for holders in posts.values():
        holders.sort(key=lambda f: date_sort_key(_start(f)))
        starts[id(holders)] = [date_sort_key(_start(f)) for f in holders]
    hits = []
    for fact in roles:
        if wanted is not None and not wanted(fact):
            continue
        holders = posts[_post(fact)]
        # The next holder is the first of the same post who starts strictly later.
        following = bisect.bisect_right(starts[id(holders)], date_sort_key(_start(fact)))
        context = {
            "tenure_start": _start(fact),
            "tenure_end": None,
            "tenure_end_basis": "open",
            "next_holder": None,
            "last_on_record": _last_on_record(fact, store.sources),
        }
        if fact.fields["end"]:
            context.update(tenure_end=fact.fields["end"], tenure_end_basis="stated")
        elif following < len(holders):
            successor = holders[following]
            context.update(
                tenure_end=_start(successor),
                tenure_end_basis="next holder",
                next_holder=successor.fields["person"],
            )
        hits.append(Hit(fact, context))
    hits.sort(key=lambda hit: (date_sort_key(hit.context["tenure_start"]), hit.fact.fields["person"]))
    return hits


def covers(context, year, present_year):
    """Whether a tenure overlaps the year; an open tenure is taken to run to the present."""
    start = date_span(context["tenure_start"])[0]
    if start > (year, 12, 31):
        return False
    end = context["tenure_end"]
    if end is None:
        return year <= present_year
    if context["tenure_end_basis"] == "next holder":
        # The successor's start is the first moment this holder is no longer in post.
        return date_span(end)[0] > (year, 1, 1)
    return date_span(end)[1] >= (year, 1, 1)


def who(store, role=None, name=None, year=None, include_retracted=False, today=None):
    """People and their roles, filtered by role wording, name and the year their tenure covers."""
    present_year = (today or present()).year

    def role_ok(fact):
        return not role or role_matches(role, fact.fields["role"])

    def name_ok(fact):
        return not name or fold(name) in fold(fact.fields["person"])

    hits = tenures(store, include_retracted, wanted=lambda fact: role_ok(fact) and name_ok(fact))
    notes = []
    if not hits and (role or name):
        on_record = store.select("role", include_retracted)
        if role and not any(role_ok(fact) for fact in on_record):
            roles = sorted({f.fields["role"] for f in on_record}, key=fold)
            notes.append(f"No role matches {role!r}. Roles on record: {'; '.join(roles)}.")
        else:
            people = sorted({f.fields["person"] for f in on_record if role_ok(f)})
            notes.append(f"No person matches {name!r}. People on record: {', '.join(people)}.")
    if year is not None:
        before = hits
        hits = [hit for hit in hits if covers(hit.context, year, present_year)]
        if before and not hits:
            spans = sorted({_year(hit.context["tenure_start"]) for hit in before})
            notes.append(
                f"No matching tenure covers {year}; matching tenures start in {', '.join(map(str, spans))}."
            )
    title = "People and roles" + (f" in {year}" if year is not None else "")
    return _answer(store, "who", hits, notes=notes, title=title)


# --- timeline, search, show, sources ------------------------------------------------------


def timeline(store, start=None, end=None, kind=None, undated=False, include_retracted=False):
    """Every dated fact in date order, within the years start..end inclusive."""
    dated = store.select(kind, include_retracted, years=(start, end))
    dated.sort(key=lambda fact: date_sort_key(fact.date))
    hits = [Hit(fact) for fact in dated]
    if undated:
        hits += [Hit(fact) for fact in store.select(kind, include_retracted, undated=True)]
    notes = []
    if not hits:
        notes.append("No fact matches" + _describe(start=start, end=end, kind=kind) + ".")
    return _answer(store, "list", hits, notes=notes, title="Timeline")


def _describe(**filters):
    words = {"start": "from", "end": "to", "kind": "of kind"}
    return "".join(f" {words[key]} {value}" for key, value in filters.items() if value is not None)


def search(store, text, kind=None, include_retracted=False):
    """Facts whose claim, fields or quotes contain every word; claim matches rank first, then date."""
    words = fold(text).split()
    ranked = []
    for fact in store.candidates(words, kind, include_retracted):
        claim, fields, quotes = searchable(fact)
        if all(word in claim for word in words):
            tier, matched = 0, "claim"
        elif all(word in claim or word in fields for word in words):
            tier, matched = 1, "fields"
        elif all(word in claim or word in fields or word in quotes for word in words):
            tier, matched = 2, "quotes"
        else:
            continue
        ranked.append((tier, _date_order(fact), Hit(fact, {"matched_in": matched})))
    ranked.sort(key=lambda item: item[:2])
    notes = [] if ranked else [f"No fact contains every word of {text!r}" + _describe(kind=kind) + "."]
    return _answer(store, "list", [hit for *_, hit in ranked], notes=notes, title=f"Search: {text}")


def _date_order(fact):
    # Undated facts go last.
    return (0, date_sort_key(fact.date)) if fact.date else (1, (0, 0, 0))


def show(store, fact_id, include_retracted=False):
    """One fact, whole; NotFound with the closest ids when there is no such fact."""
    fact = store.fact(fact_id)
    if fact is None:
        raise NotFound(f"no fact with id {fact_id!r}", closest_ids(fact_id, store.ids()))
    if fact.retracted and not include_retracted:
        raise NotFound(
            f"fact {fact_id!r} was retracted on {fact.retracted.date} ({fact.retracted.reason}); "
            "add --include-retracted to see it"
        )
    return _answer(store, "show", [Hit(fact)], title=fact.id)


def sources(store, include_retracted=False):
    """Each source document with how many facts and citations rest on it."""
    facts = dict.fromkeys(store.sources, 0)
    citations = dict.fromkeys(store.sources, 0)
    for fact in store.select(include_retracted=include_retracted):
        for source_id in {c.source for c in fact.citations}:
            facts[source_id] += 1
        for citation in fact.citations:
            citations[citation.source] += 1
    summaries = [SourceSummary(source, facts[i], citations[i]) for i, source in store.sources.items()]
    summaries.sort(key=lambda s: (s.source.published or "", s.source.id))
    notes = [] if summaries else ["The store has no sources yet; add one with facts add-source."]
    return _answer(store, "sources", summaries, notes=notes, title="Source documents")


def validate(path):
    """Every schema problem in the store at path, with counts when there are none."""
    tables = read_tables(path)
    problems = store_problems(tables)
    if problems:
        return Validation(str(path), problems)
    facts = tables["facts"].values()
    return Validation(
        str(path),
        [],
        facts=len(facts),
        sources=len(tables["sources"]),
        citations=sum(len(f["citations"]) for f in facts),
    )


def verify(path, folder):
    """Every source file under folder that is missing or changed, and every quote not at its anchor."""
    from . import evidence

    tables = read_valid_tables(path)
    try:
        return evidence.verify(tables, folder)
    except OSError as error:
        raise StoreError(str(error)) from None


def values_for_completion(store, what):
    """Values on record for shell completion: roles, kinds, areas or fact ids."""
    if what == "kind":
        return list(KINDS)
    if what == "id":
        return store.ids()
    kind, name = {"role": ("role", "role"), "area": ("rating", "area")}[what]
    return sorted({fact.fields[name] for fact in store.select(kind)})
