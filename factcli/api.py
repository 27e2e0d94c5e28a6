"""Python access to a store: the same answers as `facts ... --json`, as lists of plain dicts.

    >>> import factcli
    >>> store = factcli.open()              # FACTS_DB, else the bundled store
    >>> store.rating(year=2019)[0]["judgment"]
    'inadequate'

Each method asks the answers layer and shapes the answer as the command line's JSON does
(output.documents), so the two cannot differ. Arguments are named as the command's flags
(`from_` for --from, which is a Python keyword). Errors are the package's own, one line each:
factcli.FactsError and its kinds (NotFound, StoreError, UsageError for an argument the
method cannot take).
"""

from __future__ import annotations

import datetime
import os
from typing import Any

from . import settings
from .answers import listing, people, rating
from .answers.common import Answer
from .core.dates import date_span, parse_partial_date
from .core.errors import UsageError
from .core.kinds import KINDS
from .output.documents import documents
from .storage.base import Store
from .storage.loading import load

Document = dict[str, Any]


def _year(name: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise UsageError(f"{name} must be a year as an int, such as 2019, not {value!r}")
    return value


def _period(name: str, value: object) -> str | None:
    """A year (an int) or an ISO 8601 date, partial allowed ("2019-07"), as the period's text."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    try:
        parse_partial_date(value)
    except ValueError as error:
        raise UsageError(f"{name} must be a year (2019) or a date (2019-07, 2019-07-14): {error}") from None
    return value  # type: ignore[return-value]  # parse_partial_date took only text


def _text(name: str, value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise UsageError(f"{name} must be text, not {type(value).__name__}")
    return value


def _kind(value: object) -> str | None:
    if value is not None and value not in KINDS:
        raise UsageError(f"kind must be one of {', '.join(KINDS)}, not {value!r}")
    return value


class FactStore:
    """A store loaded once, answering questions as lists of dicts, each the shape `facts
    COMMAND --json` prints (facts schema COMMAND describes it)."""

    def __init__(self, path: str | os.PathLike | None = None, today: datetime.date | None = None) -> None:
        self.path, _ = settings.store_choice(path)
        self.store: Store = load(self.path, settings.index_mode(), settings.cache_directory())
        self.today = today or settings.today()
        #: What the last answer noted (the command line prints these on stderr): why it is empty, and so on.
        self.notes: list[str] = []

    def _documents(self, answer: Answer) -> list[Document]:
        self.notes = list(answer.notes)
        return documents(answer)

    def rating(self, year: int | None = None, area: str | None = None, include_retracted: bool = False) -> list[Document]:
        """Judgments on record, or with year those in force during it (facts rating)."""
        return self._documents(
            rating.rating(
                self.store, self.today, year=_year("year", year), area=_text("area", area), include_retracted=include_retracted
            )
        )

    def who(
        self, role: str | None = None, name: str | None = None, year: int | None = None, include_retracted: bool = False
    ) -> list[Document]:
        """People and their roles with their tenures on record (facts who)."""
        return self._documents(
            people.who(
                self.store,
                self.today,
                role=_text("role", role),
                name=_text("name", name),
                year=_year("year", year),
                include_retracted=include_retracted,
            )
        )

    def timeline(
        self,
        from_: int | str | None = None,
        to: int | str | None = None,
        kind: str | None = None,
        undated: bool = False,
        include_retracted: bool = False,
    ) -> list[Document]:
        """Dated facts in date order, from_ and to inclusive, each a year (2019) or a partial
        date ("2019-07", "2019-07-14"), as facts timeline --from and --to take them."""
        start, end = _period("from_", from_), _period("to", to)
        if start is not None and end is not None and date_span(start)[0] > date_span(end)[1]:
            raise UsageError(f"from_ {start} is after to {end}")
        return self._documents(
            listing.timeline(
                self.store, start=start, end=end, kind=_kind(kind), undated=undated, include_retracted=include_retracted
            )
        )

    def search(
        self,
        text: str = "",
        kind: str | None = None,
        include_retracted: bool = False,
        limit: int | None = listing.SEARCH_LIMIT,
    ) -> list[Document]:
        """Facts matching every word of text, most relevant first: the first limit of them, as
        facts search shows (None for every match; notes says how many more there are)."""
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
            raise UsageError(f"limit must be a whole number from 1, or None, not {limit!r}")
        return self._documents(
            listing.search(
                self.store, _text("text", text) or "", kind=_kind(kind), include_retracted=include_retracted, limit=limit
            )
        )

    def show(self, id: str, include_retracted: bool = False) -> list[Document]:  # noqa: A002 - as the command's ID
        """One fact, whole, as a list of one (facts show); NotFound when there is none."""
        if not isinstance(id, str):
            raise UsageError(f"id must be text, not {type(id).__name__}")
        return self._documents(listing.show(self.store, id, include_retracted=include_retracted))

    def sources(self, include_retracted: bool = False) -> list[Document]:
        """The source documents, with how many facts and citations rest on each (facts sources)."""
        return self._documents(listing.sources(self.store, include_retracted=include_retracted))

    def conflicts(self, include_retracted: bool = False) -> list[Document]:
        """Where the sources disagree or need care (facts conflicts); retracted ones after the
        others, only when asked for."""
        return self._documents(listing.conflicts(self.store, include_retracted=include_retracted))
