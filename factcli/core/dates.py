"""Partial ISO 8601 dates (2019, 2019-02, 2019-02-14): parsing, ordering and the days they span."""

from __future__ import annotations

import datetime
import functools
import re

# [0-9] and \Z, not \d and $: \d takes any script's digits and $ allows a final newline.
PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")
# Years a stored date may name: four digits, and none before 1000 (a year 0 would stretch
# every span and strip back to it).
FIRST_YEAR, LAST_YEAR = 1000, 9999

DateParts = tuple[int, int, int]

_NOT_A_DATE = "{!r} is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)"


def parse_partial_date(value: object) -> DateParts:
    """Return (year, month, day) with 0 for the parts not given, or raise ValueError."""
    if not isinstance(value, str):
        raise ValueError(_NOT_A_DATE.format(value))
    return _parse_date_text(value)


# The same few thousand dates recur across a large store's facts and sources.
@functools.lru_cache(maxsize=65536)
def _parse_date_text(value: str) -> DateParts:
    match = PARTIAL_DATE.match(value)
    if not match:
        raise ValueError(_NOT_A_DATE.format(value))
    year, month, day = (int(part) if part else 0 for part in match.groups())
    if year < FIRST_YEAR:
        raise ValueError(f"{value!r} is before the year {FIRST_YEAR}")
    if match.group(2) and not 1 <= month <= 12:
        raise ValueError(f"{value!r} has no month {month}")
    if match.group(3):
        try:
            datetime.date(year, month, day)
        except ValueError:
            raise ValueError(f"{value!r} is not a real date") from None
    return year, month, day


def date_sort_key(value: str) -> DateParts:
    """Partial dates sort before fuller ones of the same period: 2019 < 2019-01 < 2019-01-05."""
    return parse_partial_date(value)


def date_span(value: str) -> tuple[DateParts, DateParts]:
    """The first and last day a partial date could mean, as (year, month, day) tuples."""
    year, month, day = parse_partial_date(value)
    if day:
        return (year, month, day), (year, month, day)
    if month:
        # The day before the first of the next month; December needs no next month (9999-12 has none).
        last = 31 if month == 12 else (datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)).day
        return (year, month, 1), (year, month, last)
    return (year, 1, 1), (year, 12, 31)


def year_of(value: str) -> int:
    """The year of a partial date."""
    return int(value[:4])
