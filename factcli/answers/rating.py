"""Inspection judgments: every one on record, or those in force during a year, and the year strip."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from ..core.dates import date_sort_key
from ..storage.base import Store
from .common import Answer, Hit, answer, phrase_matches, year_of

class YearGrade(NamedTuple):
    """The headline grade in force at the end of one year, for the at-a-glance strip: which
    judgment it comes from (its area and when it was made) and whether it was made that year
    or carried forward from an earlier one."""

    year: int
    judgment: str
    area: str
    made: str
    made_in_year: bool


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


def rating(
    store: Store,
    today: datetime.date,
    year: int | None = None,
    area: str | None = None,
    include_retracted: bool = False,
) -> Answer:
    """Ofsted judgments: all of them, or those in force during year.

    In force during a year: the latest judgment made on or before its end (carried forward
    when made in an earlier year), plus any made in it. Each hit says which.
    """
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
        return answer(store, "rating", [], notes=notes, title="Ofsted judgments")
    if not judgments:
        areas = sorted({f.fields["area"] for f in ratings})
        notes.append(f"No rating matches area {area!r}. Areas on record: {', '.join(areas)}.")
        return answer(store, "rating", [], notes=notes, title="Ofsted judgments")

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
        first = min((year_of(j.made) for j in every_judgment if j.headline), default=None)
        notes = []
        if strip and strip[0].year > first:
            notes.append(f"The strip shows the last {MAX_STRIP_YEARS} years, from {strip[0].year}.")
        return answer(store, "rating", hits, notes=notes, title="Ofsted judgments", strip=strip)

    started = [i for i, judgment in enumerate(judgments) if year_of(judgment.made) <= year]
    if not started:
        first = judgments[0]
        notes.append(
            f"No judgment is on record in force during {year}; the earliest is "
            f"{first.facts[0].fields['judgment']} ({first.facts[0].fields['area']}), made {first.made}."
        )
        return answer(store, "rating", [], notes=notes, title=f"Ofsted judgments in force during {year}")
    chosen = {started[-1]} | {i for i in started if year_of(judgments[i].made) == year}
    hits = []
    for index in sorted(chosen):
        made_in_year = year_of(judgments[index].made) == year
        hits += hits_of(index, {"year": year, "basis": "made in year" if made_in_year else "carried forward"})
    return answer(store, "rating", hits, notes=future, title=f"Ofsted judgments in force during {year}")


# A strip is one line of a terminal (three columns a year: 25 years fit in 80) and one row of
# the site's chart: a store whose judgments span centuries (dates may run from 1000 to 9999)
# shows only the last years up to its end, and the answer says so.
MAX_STRIP_YEARS = 25


def _strip(judgments, present_year):
    """The headline grade in force at the end of each year, from the first judgment to the
    present (or the latest judgment, if later): at most the last MAX_STRIP_YEARS of those years."""
    headlines = [(judgment.made, judgment.headline) for judgment in judgments if judgment.headline]
    if not headlines:
        return []
    strip = []
    last = max(present_year, year_of(headlines[-1][0]))
    for year in range(max(year_of(headlines[0][0]), last - MAX_STRIP_YEARS + 1), last + 1):
        in_force = [(made, fact) for made, fact in headlines if year_of(made) <= year]
        made, fact = in_force[-1]
        strip.append(YearGrade(year, fact.fields["judgment"], fact.fields["area"], made, year_of(made) == year))
    return strip

