"""People and roles: tenures as the evidence gives them, who held a post in a year, and every post."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from ..core.dates import date_sort_key, date_span
from ..core.kinds import marked_basis
from ..core.records import Fact, Source
from ..core.text import fold_for_matching
from ..core.tuples import Record
from ..storage.base import Store
from .common import Answer, Hit, answer, beyond_horizon, date_order, last_year, phrase_matches, year_of

def role_matches(query: str, role: str, aliases: Mapping[str, str]) -> bool:
    """Whether a role as the sources word it matches what a person asked for: the words
    themselves, or what the store's aliases say they mean ("dcs" for "director of children's
    services"). Aliases and their meanings are matched like any other --role text."""
    wanted = fold_for_matching(query)
    alternatives = [query] + [meaning for alias, meaning in aliases.items() if fold_for_matching(alias) == wanted]
    return any(phrase_matches(alternative, role) for alternative in alternatives)


def post_of(fact: Fact) -> tuple[str, str]:
    """Which post a role fact is about: successive holders of one post share the organisation
    and the role wording, unless the curator named the post because its wording changed (a
    renamed ministry)."""
    return (fold_for_matching(fact.fields["organisation"]), fold_for_matching(fact.fields["post"] or fact.fields["role"]))


def attestations(fact: Fact, sources: dict[str, Source]) -> list[tuple[str, str]]:
    """(date, basis) at which each of the fact's citations places it: its as_of, else its source's
    publication date, with how that date is known: the source's published_basis ("printed",
    "inferred", "outside"). An as_of read from a source whose own date is not printed is known no
    better than that date ("in March this year" in an article of an inferred year)."""
    found = []
    for citation in fact.citations:
        source = sources[citation.source]
        date = citation.as_of or source.published
        if date:
            found.append((date, source.published_basis or "printed"))
    return found


# Of one date known several ways, the best known is shown.
_KNOWN = {"printed": 0, "stated": 0, "inferred": 1, "outside": 2}


def basis_of(fact: Fact, side: str) -> str | None:
    """How a role's start or end is known (TENURE_BASES); a start or end recorded before the
    basis was kept was a stated one, as the schema then defined them."""
    if not fact.fields[side]:
        return None
    return fact.fields.get(f"{side}_basis") or "stated"


def on_record(fact: Fact, sources: dict[str, Source]) -> tuple:
    """(first, last, first_basis, last_basis): the dates the evidence places a person in a role,
    from the earliest of a stated start and the attestations to the latest of a stated end and
    the attestations, each with how it is known. Never later than the evidence: no end is worked
    out from who came next, and a planned or inferred start or end is not evidence that the
    person was in post then."""
    seen = attestations(fact, sources)
    starts = [(fact.fields["start"], "stated")] if basis_of(fact, "start") == "stated" else []
    ends = [(fact.fields["end"], "stated")] if basis_of(fact, "end") == "stated" else []
    starts, ends = starts + seen, ends + seen
    if not starts or not ends:
        return None, None, None, None
    first = min(starts, key=lambda item: (date_sort_key(item[0]), _KNOWN[item[1]]))
    last = max(ends, key=lambda item: (date_sort_key(item[0]), -_KNOWN[item[1]]))
    return first[0], last[0], first[1], last[1]


def _last_day(date):
    return date_span(date)[1]


def tenures(store, include_retracted=False, wanted=None):
    """Role facts (those wanted, or all) with their tenure on record, earliest first."""
    hits = []
    for fact in store.select("role", include_retracted):
        if wanted is not None and not wanted(fact):
            continue
        first, last, first_basis, last_basis = on_record(fact, store.sources)
        context = {
            "first_on_record": first,
            "first_on_record_basis": first_basis,
            "last_on_record": last,
            "last_on_record_basis": last_basis,
            "year": None,
            "basis": None,
        }
        hits.append(Hit(fact, context))
    hits.sort(key=lambda hit: (date_order(hit.context["first_on_record"]), hit.fact.fields["person"]))
    return hits


def _in_year(hit, year, holders, last_year):
    """How a tenure covers year: "on record" inside it, "presumed" after it (up to last_year, the
    last the store speaks for) when no end of any kind is on record and no later holder of the
    same post is, nor one whose dates are not on record, else None."""
    first, last = hit.context["first_on_record"], hit.context["last_on_record"]
    if first is None:
        return None
    if year_of(first) <= year <= year_of(last):
        return "on record"
    if year < year_of(first) or last_year is None or year > last_year or hit.fact.fields["end"]:
        return None
    # A holder of the post with no date on record (cited only by sources whose date is not
    # known, or known only as a bound) may have come later: nobody is presumed past them.
    later = any(
        other.fact is not hit.fact
        and (
            other.context["last_on_record"] is None
            or _last_day(other.context["last_on_record"]) > _last_day(last)
        )
        for other in holders[post_of(hit.fact)]
    )
    return None if later else "presumed"


def who(
    store: Store,
    today: datetime.date,
    role: str | None = None,
    name: str | None = None,
    year: int | None = None,
    include_retracted: bool = False,
) -> Answer:
    """People and their roles with their tenure on record, filtered by role wording, name and year.

    With a year, a holder is returned when the year falls within their tenure on record
    ("on record"), or after it, up to the store's horizon (its newest source), when no end is on
    record and no later holder of the same post is, nor one with no date on record ("presumed"). Between two holders the sources
    do not say who held a post, so nobody is returned for such a year and a note names the
    nearest holders either side; after the horizon nobody is returned at all.
    """

    def role_ok(fact):
        return not role or role_matches(role, fact.fields["role"], store.meta.aliases)

    def name_ok(fact):
        return not name or fold_for_matching(name) in fold_for_matching(fact.fields["person"])

    hits = tenures(store, include_retracted, wanted=lambda fact: role_ok(fact) and name_ok(fact))
    notes = []
    if not hits and (role or name):
        on_record_roles = store.select("role", include_retracted)
        if role and not any(role_ok(fact) for fact in on_record_roles):
            roles = sorted({f.fields["role"] for f in on_record_roles}, key=fold_for_matching)
            notes.append(f"No role matches {role!r}. Roles on record: {'; '.join(roles)}.")
        else:
            people = sorted({f.fields["person"] for f in on_record_roles if role_ok(f)})
            notes.append(f"No person matches {name!r}. People on record: {', '.join(people)}.")
    if year is not None:
        limit = last_year(store, today)
        holders: dict[tuple[str, str], list[Hit]] = {}
        for hit in tenures(store, include_retracted):
            holders.setdefault(post_of(hit.fact), []).append(hit)
        matching = hits
        hits = []
        for hit in matching:
            basis = _in_year(hit, year, holders, limit)
            if basis and (limit is None or year <= limit):
                hits.append(Hit(hit.fact, {**hit.context, "year": year, "basis": basis}))
        if matching and limit is not None and year > limit:
            latest = max(
                (hit for hit in matching if hit.context["last_on_record"]),
                key=lambda hit: date_sort_key(hit.context["last_on_record"]),
                default=None,
            )
            last = f"{latest.fact.fields['person']} ({_when(latest, 'last')})" if latest else "nobody dated"
            notes.append(("" if year <= today.year else f"{year} is after today. ") + beyond_horizon(store, year, last))
        elif matching and not hits:
            notes.append(_nobody_on_record(matching, year, role, name))
    title = "People and roles" + (f" in {year}" if year is not None else "")
    return answer(store, "who", hits, notes=notes, title=title)


def _when(hit: Hit, side: str) -> str:
    """A tenure's first or last date on record, with how it is known when it is not printed."""
    date, basis = hit.context[f"{side}_on_record"], hit.context[f"{side}_on_record_basis"]
    return date if basis in ("printed", "stated") else f"{date}, {marked_basis(basis)}"


def _nobody_on_record(hits, year, role, name):
    """Why an answer for year is empty, naming the nearest holders on record either side of it,
    post by post: a minister before is not the predecessor of a director after."""
    dated = [hit for hit in hits if hit.context["first_on_record"]]
    posts: dict[tuple[str, str], list[Hit]] = {}
    for hit in dated:
        posts.setdefault(post_of(hit.fact), []).append(hit)
    # The post's wording goes with each person unless the question named the one post.
    named = len(posts) > 1 or not role

    def person(hit, side):
        what = f"{hit.fact.fields['role']}, " if named else ""
        return f"{hit.fact.fields['person']} ({what}{_when(hit, side)})"

    before, after = [], []
    for holders in posts.values():
        earlier = [hit for hit in holders if year_of(hit.context["last_on_record"]) < year]
        later = [hit for hit in holders if year_of(hit.context["first_on_record"]) > year]
        if earlier:
            before.append(max(earlier, key=lambda hit: date_sort_key(hit.context["last_on_record"])))
        if later:
            after.append(min(later, key=lambda hit: date_sort_key(hit.context["first_on_record"])))
    before.sort(key=lambda hit: date_sort_key(hit.context["last_on_record"]))
    after.sort(key=lambda hit: date_sort_key(hit.context["first_on_record"]))
    if role:
        note = f"No {role} on record for {year}"
    elif name:
        note = f"Nobody matching {name!r} on record in a post in {year}"
    else:
        note = f"Nobody on record in a post in {year}"
    if before:
        note += f"; last before: {', '.join(person(hit, 'last') for hit in before)}"
    if after:
        note += f"; next after: {', '.join(person(hit, 'first') for hit in after)}"
    return note + "."


class Post(Record):
    """One post on record (its name and organisation) and its holders, earliest first."""

    name: str
    organisation: str
    holders: list


def posts(store: Store, today: datetime.date) -> list[Post]:
    """Every post with its holders and their tenures on record, as of the last year the store
    speaks for (its horizon, or today if earlier): a holder presumed still in post then (no end
    on record, no later holder on record) has basis "presumed"."""
    year = last_year(store, today)
    groups: dict[tuple[str, str], list[Hit]] = {}
    for hit in tenures(store):
        groups.setdefault(post_of(hit.fact), []).append(hit)
    found = []
    for holders in groups.values():
        first = holders[0].fact.fields
        marked = [
            Hit(hit.fact, {**hit.context, "year": year, "basis": _in_year(hit, year, groups, year) if year else None})
            for hit in holders
        ]
        found.append(Post(first["post"] or first["role"], first["organisation"], marked))
    return found
