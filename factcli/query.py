"""Answers to questions about the store, as plain objects: no click, no rich."""

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
    store_problems,
)
from .model import fold_for_matching as fold
from .store import StoreError, read_tables, read_valid_tables

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
    """The headline grade in force at the end of one year, for the at-a-glance strip: which
    judgment it comes from (its area and when it was made) and whether it was made that year
    or carried forward from an earlier one."""

    year: int
    judgment: str
    area: str
    made: str
    made_in_year: bool


class Answer(NamedTuple):
    """What a query returns: hits in order, the sources they cite, notes for stderr, and the
    conflicts between sources that touch the facts in it (by fact id)."""

    view: str
    hits: list
    sources: dict
    title: str = ""
    notes: tuple = ()
    strip: tuple = ()
    conflicts: dict = {}


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
    conflicts: int = 0


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
    touched = {}
    for conflict in store.conflicts:
        for fact_id in conflict.facts:
            touched.setdefault(fact_id, []).append(conflict)
    in_answer = {hit.fact.id for hit in hits if isinstance(hit, Hit)}
    conflicts = {fact_id: found for fact_id, found in touched.items() if fact_id in in_answer}
    return Answer(view=view, hits=hits, sources=store.sources, conflicts=conflicts, **extra)


# --- rating -------------------------------------------------------------------------------


class Judgment(NamedTuple):
    """One inspection's grades: when the judgment was made, and from which date that is known."""

    made: str
    made_basis: str  # "published", "inspected", or the fact's "date" when the sources give neither
    facts: list

    @property
    def headline(self):
        """The fact the strip shows: the overall grade, or the only grade the sources give."""
        overall = [f for f in self.facts if f.fields["area"] == "overall"]
        return overall[0] if overall else (self.facts[0] if len(self.facts) == 1 else None)


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
        first = facts[0]
        for basis in ("published", "inspected"):
            if first.fields[basis]:
                judgments.append(Judgment(first.fields[basis], basis, facts))
                break
        else:
            if first.date:
                judgments.append(Judgment(first.date, "date", facts))
    judgments.sort(key=lambda judgment: date_sort_key(judgment.made))
    return judgments


def rating(store, year=None, area=None, include_retracted=False, today=None):
    """Ofsted judgments: all of them, or those in force during year.

    In force during a year: the latest judgment made on or before its end (carried forward
    when made in an earlier year), plus any made in it. Each hit says which.
    """
    today = today or present()
    future = (
        [f"{year} is after today; showing the judgment in force now."] if year and year > today.year else []
    )
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

    def hits_of(index, context):
        judgment = judgments[index]
        following = judgments[index + 1].made if index + 1 < len(judgments) else None
        common = {"made": judgment.made, "made_basis": judgment.made_basis, "next_judgment": following}
        return [Hit(fact, {**common, **context}) for fact in judgment.facts]

    if year is None:
        hits = [
            hit for index in range(len(judgments)) for hit in hits_of(index, {"year": None, "basis": None})
        ]
        strip = _strip(every_judgment, today.year)
        return _answer(store, "rating", hits, title="Ofsted judgments", strip=strip)

    started = [i for i, judgment in enumerate(judgments) if _year(judgment.made) <= year]
    if not started:
        first = judgments[0]
        notes.append(
            f"No judgment is on record in force during {year}; the earliest is "
            f"{first.facts[0].fields['judgment']} ({first.facts[0].fields['area']}), made {first.made}."
        )
        return _answer(store, "rating", [], notes=notes, title=f"Ofsted judgments in force during {year}")
    chosen = {started[-1]} | {i for i in started if _year(judgments[i].made) == year}
    hits = []
    for index in sorted(chosen):
        made_in_year = _year(judgments[index].made) == year
        hits += hits_of(index, {"year": year, "basis": "made in year" if made_in_year else "carried forward"})
    return _answer(store, "rating", hits, notes=future, title=f"Ofsted judgments in force during {year}")


def _strip(judgments, present_year):
    """The headline grade in force at the end of each year, from the first judgment to the present."""
    headlines = [(judgment.made, judgment.headline) for judgment in judgments if judgment.headline]
    if not headlines:
        return []
    strip = []
    for year in range(_year(headlines[0][0]), max(present_year, _year(headlines[-1][0])) + 1):
        in_force = [(made, fact) for made, fact in headlines if _year(made) <= year]
        made, fact = in_force[-1]
        strip.append(YearGrade(year, fact.fields["judgment"], fact.fields["area"], made, _year(made) == year))
    return strip


# --- who ----------------------------------------------------------------------------------


def role_matches(query, role):
    wanted = fold(query)
    alternatives = [query] + [expansion for name, expansion in ROLE_SYNONYMS.items() if fold(name) == wanted]
    return any(phrase_matches(alternative, role) for alternative in alternatives)


def _post(fact):
    # Successive holders of one post: same organisation and the same role wording, unless
    # the curator named the post because its wording changed (a renamed ministry).
    return (fold(fact.fields["organisation"]), fold(fact.fields["post"] or fact.fields["role"]))


def attestations(fact, sources):
    """The dates at which the fact's citations place it: each citation's as_of, else its
    source's publication date."""
    dates = (citation.as_of or sources[citation.source].published for citation in fact.citations)
    return [date for date in dates if date]


def on_record(fact, sources):
    """(first, last) dates the evidence places a person in a role: from the earliest of the
    stated start and the attestations to the latest of the stated end and the attestations.
    Never later than the evidence: no end is worked out from who came next."""
    seen = attestations(fact, sources)
    starts = [d for d in [fact.fields["start"], *seen] if d]
    ends = [d for d in [fact.fields["end"], *seen] if d]
    if not starts or not ends:
        return None, None
    return min(starts, key=date_sort_key), max(ends, key=date_sort_key)


def _last_day(date):
    return date_span(date)[1]


def tenures(store, include_retracted=False, wanted=None):
    """Role facts (those wanted, or all) with their tenure on record, earliest first."""
    hits = []
    for fact in store.select("role", include_retracted):
        if wanted is not None and not wanted(fact):
            continue
        first, last = on_record(fact, store.sources)
        hits.append(
            Hit(fact, {"first_on_record": first, "last_on_record": last, "year": None, "basis": None})
        )
    hits.sort(key=lambda hit: (_date_order_of(hit.context["first_on_record"]), hit.fact.fields["person"]))
    return hits


def _in_year(hit, year, holders, present_year):
    """How a tenure covers year: "on record" inside it, "presumed" after it (up to the present)
    when no end is stated and no later holder of the same post is on record, else None."""
    first, last = hit.context["first_on_record"], hit.context["last_on_record"]
    if first is None:
        return None
    if _year(first) <= year <= _year(last):
        return "on record"
    if year < _year(first) or year > present_year or hit.fact.fields["end"]:
        return None
    later = any(
        other.fact is not hit.fact
        and other.context["last_on_record"]
        and _last_day(other.context["last_on_record"]) > _last_day(last)
        for other in holders[_post(hit.fact)]
    )
    return None if later else "presumed"


def who(store, role=None, name=None, year=None, include_retracted=False, today=None):
    """People and their roles with their tenure on record, filtered by role wording, name and year.

    With a year, a holder is returned when the year falls within their tenure on record
    ("on record"), or after it, up to the present, when no end is stated and no later holder
    of the same post is on record ("presumed"). Between two holders the sources do not say who held a post,
    so nobody is returned for such a year and a note names the nearest holders either side.
    """

    def role_ok(fact):
        return not role or role_matches(role, fact.fields["role"])

    def name_ok(fact):
        return not name or fold(name) in fold(fact.fields["person"])

    hits = tenures(store, include_retracted, wanted=lambda fact: role_ok(fact) and name_ok(fact))
    notes = []
    if not hits and (role or name):
        on_record_roles = store.select("role", include_retracted)
        if role and not any(role_ok(fact) for fact in on_record_roles):
            roles = sorted({f.fields["role"] for f in on_record_roles}, key=fold)
            notes.append(f"No role matches {role!r}. Roles on record: {'; '.join(roles)}.")
        else:
            people = sorted({f.fields["person"] for f in on_record_roles if role_ok(f)})
            notes.append(f"No person matches {name!r}. People on record: {', '.join(people)}.")
    if year is not None:
        holders = {}
        for hit in tenures(store, include_retracted):
            holders.setdefault(_post(hit.fact), []).append(hit)
        matching = hits
        hits = []
        for hit in matching:
            basis = _in_year(hit, year, holders, (today or present()).year)
            if basis:
                hits.append(Hit(hit.fact, {**hit.context, "year": year, "basis": basis}))
        if year > (today or present()).year:
            notes.append(f"{year} is after today; the sources cannot place anyone in post then.")
        elif matching and not hits:
            notes.append(_nobody_on_record(matching, year, role or name or "holder"))
    title = "People and roles" + (f" in {year}" if year is not None else "")
    return _answer(store, "who", hits, notes=notes, title=title)


def _nobody_on_record(hits, year, wanted):
    """Why an answer for year is empty, naming the nearest holders on record either side."""
    dated = [hit for hit in hits if hit.context["first_on_record"]]
    before = [hit for hit in dated if _year(hit.context["last_on_record"]) < year]
    after = [hit for hit in dated if _year(hit.context["first_on_record"]) > year]
    note = f"No {wanted} on record for {year}"
    if before:
        last = max(before, key=lambda hit: date_sort_key(hit.context["last_on_record"]))
        note += f"; last before: {last.fact.fields['person']} ({last.context['last_on_record']})"
    if after:
        following = min(after, key=lambda hit: date_sort_key(hit.context["first_on_record"]))
        note += f"; next after: {following.fact.fields['person']} ({following.context['first_on_record']})"
    return note + "."


class Post(NamedTuple):
    """One post on record (its name and organisation) and its holders, earliest first."""

    name: str
    organisation: str
    holders: list


def posts(store, today=None):
    """Every post with its holders and their tenures on record; a holder presumed still in
    post this year (no end stated, no later holder on record) has basis "presumed"."""
    year = (today or present()).year
    groups = {}
    for hit in tenures(store):
        groups.setdefault(_post(hit.fact), []).append(hit)
    found = []
    for holders in groups.values():
        first = holders[0].fact.fields
        marked = [
            Hit(hit.fact, {**hit.context, "year": year, "basis": _in_year(hit, year, groups, year)})
            for hit in holders
        ]
        found.append(Post(first["post"] or first["role"], first["organisation"], marked))
    return found


class LogEntry(NamedTuple):
    """One curation change of one fact: when (UTC), what, and the reason or old id recorded."""

    at: str
    action: str
    fact: object
    detail: str | None = None


def log(store, since=None):
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


def conflicts(store):
    """Every recorded disagreement between sources (or within one), in store order."""
    notes = [] if store.conflicts else ["No conflict between sources is recorded in this store."]
    return Answer(
        view="conflicts",
        hits=list(store.conflicts),
        sources=store.sources,
        notes=notes,
        title="Where the sources disagree",
    )


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
    return _answer(store, "timeline", hits, notes=notes, title="Timeline")


def _describe(**filters):
    words = {"start": "from", "end": "to", "kind": "of kind"}
    return "".join(f" {words[key]} {value}" for key, value in filters.items() if value is not None)


def search(store, text, kind=None, include_retracted=False):
    """Facts matching every word of text (stemmed, case, accents and apostrophes folded;
    "quoted words" as a phrase), most relevant first, then by date. Empty text lists every fact."""
    from . import search as full_text

    query = full_text.parts(text)
    if not query:
        facts = sorted(store.select(kind, include_retracted), key=_date_order)
        hits = [Hit(fact, {"match": None}) for fact in facts]
    else:
        ranked = [
            (score, _date_order(fact), position, Hit(fact, {"match": match}))
            for position, (fact, score, match) in enumerate(store.search(query))
            if (kind is None or fact.kind == kind) and (include_retracted or not fact.retracted)
        ]
        ranked.sort(key=lambda item: item[:3])
        hits = [hit for *_, hit in ranked]
    notes = [] if hits else [f"No fact matches every word of {text!r}" + _describe(kind=kind) + "."]
    return _answer(store, "search", hits, notes=notes, title=f"Search: {text}")


def _date_order(fact):
    return _date_order_of(fact.date)


def _date_order_of(date):
    # Undated things go last.
    return (0, date_sort_key(date)) if date else (1, (0, 0, 0))


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
    conflicts = (tables.get("conflicts") or {}).values()
    return Validation(
        str(path),
        [],
        facts=len(facts),
        sources=len(tables["sources"]),
        citations=sum(len(record["citations"]) for record in (*facts, *conflicts)),
        conflicts=len(conflicts),
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
