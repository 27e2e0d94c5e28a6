"""People and roles: tenures as the evidence gives them, who held a post in a year, and every post."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import NamedTuple

from ..core.dates import date_sort_key, date_span
from ..core.text import fold_for_matching
from ..storage.base import Store
from .common import Answer, Hit, answer, date_order, phrase_matches, year_of

def role_matches(query: str, role: str, aliases: Mapping[str, str]) -> bool:
    """Whether a role as the sources word it matches what a person asked for: the words
    themselves, or what the store's aliases say they mean ("dcs" for "director of children's
    services"). Aliases and their meanings are matched like any other --role text."""
    wanted = fold_for_matching(query)
    alternatives = [query] + [meaning for alias, meaning in aliases.items() if fold_for_matching(alias) == wanted]
    return any(phrase_matches(alternative, role) for alternative in alternatives)


def _post(fact):
    # Successive holders of one post: same organisation and the same role wording, unless
    # the curator named the post because its wording changed (a renamed ministry).
    return (fold_for_matching(fact.fields["organisation"]), fold_for_matching(fact.fields["post"] or fact.fields["role"]))


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
    hits.sort(key=lambda hit: (date_order(hit.context["first_on_record"]), hit.fact.fields["person"]))
    return hits


def _in_year(hit, year, holders, present_year):
    """How a tenure covers year: "on record" inside it, "presumed" after it (up to the present)
    when no end is stated and no later holder of the same post is on record, else None."""
    first, last = hit.context["first_on_record"], hit.context["last_on_record"]
    if first is None:
        return None
    if year_of(first) <= year <= year_of(last):
        return "on record"
    if year < year_of(first) or year > present_year or hit.fact.fields["end"]:
        return None
    later = any(
        other.fact is not hit.fact
        and other.context["last_on_record"]
        and _last_day(other.context["last_on_record"]) > _last_day(last)
        for other in holders[_post(hit.fact)]
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
    ("on record"), or after it, up to the present, when no end is stated and no later holder
    of the same post is on record ("presumed"). Between two holders the sources do not say who held a post,
    so nobody is returned for such a year and a note names the nearest holders either side.
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
        holders = {}
        for hit in tenures(store, include_retracted):
            holders.setdefault(_post(hit.fact), []).append(hit)
        matching = hits
        hits = []
        for hit in matching:
            basis = _in_year(hit, year, holders, today.year)
            if basis:
                hits.append(Hit(hit.fact, {**hit.context, "year": year, "basis": basis}))
        if year > today.year:
            notes.append(f"{year} is after today; the sources cannot place anyone in post then.")
        elif matching and not hits:
            notes.append(_nobody_on_record(matching, year, role or name or "holder"))
    title = "People and roles" + (f" in {year}" if year is not None else "")
    return answer(store, "who", hits, notes=notes, title=title)


def _nobody_on_record(hits, year, wanted):
    """Why an answer for year is empty, naming the nearest holders on record either side."""
    dated = [hit for hit in hits if hit.context["first_on_record"]]
    before = [hit for hit in dated if year_of(hit.context["last_on_record"]) < year]
    after = [hit for hit in dated if year_of(hit.context["first_on_record"]) > year]
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


def posts(store: Store, today: datetime.date) -> list[Post]:
    """Every post with its holders and their tenures on record; a holder presumed still in
    post this year (no end stated, no later holder on record) has basis "presumed"."""
    year = today.year
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
