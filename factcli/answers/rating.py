"""Inspection judgments: every one on record, or those in force during a year, and the year strip.

A judgment is made when it is published. Where the sources give only its inspection, its
publication lies somewhere between the inspection and the first source that reports it, so
in the years between, the earlier judgment and the new one may each have been in force: the
answer lists both and says why, and the strip marks those years as not known. Nothing is
carried forward past the store's horizon (the newest source), nor past today.
"""

from __future__ import annotations

import datetime

from ..core.dates import date_sort_key
from ..core.records import Fact, Source
from ..core.tuples import Record
from ..storage.base import Store
from .common import Answer, Hit, answer, beyond_horizon, last_year, phrase_matches, year_of

# How a judgment stands in a year, in JSON (basis) and in words (output.wording).
MADE_IN_YEAR = "made in year"  # published in the year
CARRIED_FORWARD = "carried forward"  # made earlier and still in force at the year's end
UNTIL_SUPERSEDED = "until superseded"  # in force until the next judgment's publication, date not on record
PUBLICATION_NOT_ON_RECORD = "publication not on record"  # inspected; may have been published in the year
BASES = (MADE_IN_YEAR, CARRIED_FORWARD, UNTIL_SUPERSEDED, PUBLICATION_NOT_ON_RECORD)
# From which date a judgment's "made" is known: its publication, its inspection only, or the fact's date.
MADE_BASES = ("published", "inspected", "date")


class YearGrade(Record):
    """The headline grade in force at the end of one year, for the at-a-glance strip: which
    judgment it comes from (its area, and when it was made or inspected) and whether it was made
    that year. judgment is None when the sources do not say which judgment was in force: one was
    inspected, but its publication is not on record by the year's end."""

    year: int
    judgment: str | None
    area: str | None
    made: str | None
    made_basis: str | None
    made_in_year: bool


class Judgment(Record):
    """One inspection's grades: when the judgment was made, from which date that is known, and by
    when it is known to have been made (for one known only by its inspection, the first date a
    source reports it; None when no source is dated)."""

    made: str
    made_basis: str  # "published", "inspected", or the fact's "date" when the sources give neither
    facts: list
    settled: str | None

    @property
    def headline(self) -> Fact | None:
        """The fact the strip shows: the overall grade, or the only grade the sources give."""
        overall = [f for f in self.facts if f.fields["area"] == "overall"]
        return overall[0] if overall else (self.facts[0] if len(self.facts) == 1 else None)

    def settled_by(self, year: int) -> bool:
        """Whether the judgment is on record as made by the end of year."""
        return self.settled is not None and year_of(self.settled) <= year

    def describe(self) -> str:
        fact = self.headline or self.facts[0]
        when = (
            f"inspected {self.made}; publication not on record" if self.made_basis == "inspected" else f"made {self.made}"
        )
        return f"{fact.fields['judgment']} ({fact.fields['area']}), {when}"


def _earliest_report(facts: list[Fact], sources: dict[str, Source]) -> str | None:
    dates: list[str] = []
    for fact in facts:
        for citation in fact.citations:
            date = citation.as_of or sources[citation.source].published
            if date:
                dates.append(date)
    return min(dates, key=date_sort_key) if dates else None


def _judgments(ratings: list[Fact], sources: dict[str, Source]) -> list[Judgment]:
    """Group rating facts into judgments (one inspection's grades), oldest first.

    Ratings from one inspection share inspected and published dates; the judgment is made
    when it is published, or, as far as the sources say, after it was inspected.
    """
    groups: dict[tuple, list[Fact]] = {}
    for fact in ratings:
        inspected, published = fact.fields["inspected"], fact.fields["published"]
        # Without either date, only the fact's own date tells inspections apart.
        key = (inspected, published, None if inspected or published else fact.date)
        groups.setdefault(key, []).append(fact)
    judgments = []
    for facts in groups.values():
        facts.sort(key=lambda f: (f.fields["area"] != "overall", f.fields["area"]))
        first = facts[0]
        if first.fields["published"]:
            judgments.append(Judgment(first.fields["published"], "published", facts, first.fields["published"]))
        elif first.fields["inspected"]:
            reported = _earliest_report(facts, sources)
            if reported is not None and date_sort_key(reported) < date_sort_key(first.fields["inspected"]):
                reported = first.fields["inspected"]
            judgments.append(Judgment(first.fields["inspected"], "inspected", facts, reported))
        elif first.date:
            judgments.append(Judgment(first.date, "date", facts, first.date))
    judgments.sort(key=lambda judgment: date_sort_key(judgment.made))
    return judgments


def rating(
    store: Store,
    today: datetime.date,
    year: int | None = None,
    area: str | None = None,
    include_retracted: bool = False,
) -> Answer:
    """Judgments: all of them, or those in force during year.

    In force during a year: the latest judgment made by its start, carried forward, and any
    made in it; where a later judgment is known only by its inspection, both it and the one
    before it, each saying why. Nothing is answered for a year after the store's horizon.
    """
    title = store.meta.judgments_title()
    ratings = store.select("rating", include_retracted)
    every_judgment = _judgments(ratings, store.sources)
    judgments = every_judgment
    if area:
        judgments = _judgments([f for f in ratings if phrase_matches(area, f.fields["area"])], store.sources)
    if not every_judgment:
        return answer(store, "rating", [], notes=["No judgment is on record in this store."], title=title)
    if not judgments:
        areas = sorted({f.fields["area"] for f in ratings})
        notes = [f"No rating matches area {area!r}. Areas on record: {', '.join(areas)}."]
        return answer(store, "rating", [], notes=notes, title=title)
    limit = last_year(store, today)

    def hits_of(index: int, year: int | None, basis: str | None) -> list[Hit]:
        judgment = judgments[index]
        following = judgments[index + 1] if index + 1 < len(judgments) else None
        common = {
            "made": judgment.made,
            "made_basis": judgment.made_basis,
            "next_judgment": following.made if following else None,
            "next_judgment_basis": following.made_basis if following else None,
            "year": year,
            "basis": basis,
        }
        return [Hit(fact, common) for fact in judgment.facts]

    if year is None:
        hits = [hit for index in range(len(judgments)) for hit in hits_of(index, None, None)]
        # The strip draws the headline judgments, which an answer about one area is not about.
        strip = _strip(every_judgment, limit) if not area else []
        first_year = min((year_of(j.made) for j in every_judgment if j.headline), default=None)
        notes = []
        if strip and first_year is not None and strip[0].year > first_year:
            notes.append(f"The strip shows the last {MAX_STRIP_YEARS} years, from {strip[0].year}.")
        return answer(store, "rating", hits, notes=notes, title=title, strip=strip)

    title = f"{title} in force during {year}"
    if limit is None or year > limit:
        last = judgments[-1].describe()
        note = beyond_horizon(store, year, last) if limit is not None else f"No source is dated; last on record: {last}."
        if year > today.year:
            note = f"{year} is after today. " + note
        return answer(store, "rating", [], notes=[note], title=title)
    chosen = _in_force(judgments, year)
    if not chosen:
        first = judgments[0]
        notes = [f"No judgment is on record in force during {year}; the earliest is {first.describe()}."]
        return answer(store, "rating", [], notes=notes, title=title)
    hits = [hit for index, basis in chosen for hit in hits_of(index, year, basis)]
    return answer(store, "rating", hits, title=title)


def _in_force(judgments: list[Judgment], year: int) -> list[tuple[int, str]]:
    """(index, basis) of each judgment that was, or may have been, in force during year."""
    begun = [i for i, judgment in enumerate(judgments) if year_of(judgment.made) <= year]
    if not begun:
        return []
    made_in_year = [i for i in begun if year_of(judgments[i].made) == year and judgments[i].made_basis != "inspected"]
    # The last judgment on record as made before the year began stands at its start, unless one
    # published in the year is on record: then the year's own judgments answer, as they always have.
    standing = [i for i in begun if judgments[i].settled_by(year - 1)]
    chosen = made_in_year if made_in_year else standing[-1:]
    chosen = list(chosen)
    chosen += [i for i in begun if i not in chosen and year_of(judgments[i].made) == year]
    # A judgment known only by its inspection may have been published in any year up to the first
    # report of it: in those years it, and the one before it, may each have been in force.
    chosen += [i for i in begun if i not in chosen and not judgments[i].settled_by(year - 1)]
    found = []
    for i in sorted(chosen):
        judgment = judgments[i]
        later = [j for j in chosen if j > i]
        if judgment.made_basis == "inspected" and not judgment.settled_by(year - 1):
            basis = PUBLICATION_NOT_ON_RECORD
        elif any(judgments[j].made_basis == "inspected" and not judgments[j].settled_by(year - 1) for j in later) and not any(
            judgments[j].made_basis != "inspected" and year_of(judgments[j].made) == year for j in later
        ):
            basis = UNTIL_SUPERSEDED
        elif year_of(judgment.made) == year and judgment.made_basis != "inspected":
            basis = MADE_IN_YEAR
        else:
            basis = CARRIED_FORWARD
        found.append((i, basis))
    return found


# A strip is one line of a terminal (three columns a year: 25 years fit in 80) and one row of
# the site's chart: a store whose judgments span centuries (dates may run from 1000 to 9999)
# shows only the last years up to its horizon, and the answer says so.
MAX_STRIP_YEARS = 25


def _strip(judgments: list[Judgment], last: int | None) -> list[YearGrade]:
    """The headline grade in force at the end of each year, from the first judgment to the last
    year the store speaks for, at most the last MAX_STRIP_YEARS of them; None where the sources
    do not say which judgment was in force."""
    # Only judgments with a headline fact (an overall grade, or a sole one) are drawn.
    headlines = [judgment for judgment in judgments if judgment.headline]
    if not headlines or last is None:
        return []
    strip = []
    end = max(last, year_of(headlines[0].made))
    for year in range(max(year_of(headlines[0].made), end - MAX_STRIP_YEARS + 1), end + 1):
        settled = [judgment for judgment in headlines if judgment.settled_by(year)]
        pending = [
            judgment
            for judgment in headlines
            if year_of(judgment.made) <= year
            and not judgment.settled_by(year)
            and (not settled or date_sort_key(judgment.made) > date_sort_key(settled[-1].made))
        ]
        if pending or not settled:
            waiting = pending[-1].headline if pending else None
            strip.append(
                YearGrade(
                    year,
                    None,
                    waiting.fields["area"] if waiting else None,
                    pending[-1].made if pending else None,
                    pending[-1].made_basis if pending else None,
                    False,
                )
            )
            continue
        judgment = settled[-1]
        fact = judgment.headline
        assert fact is not None  # headlines holds only judgments with one
        made_in_year = judgment.made_basis != "inspected" and year_of(judgment.made) == year
        strip.append(
            YearGrade(year, fact.fields["judgment"], fact.fields["area"], judgment.made, judgment.made_basis, made_in_year)
        )
    return strip
