"""The package's errors: each is one line a person can act on; the command line shows it and exits 1."""

from __future__ import annotations

from collections.abc import Iterable


class FactsError(Exception):
    """An error a person can act on: the command line shows it as one line and exits 1.

    problems, when there are several, are listed above that line; suggestions follow it.
    """

    problems: tuple[str, ...] | list[str] = ()
    suggestions: tuple[str, ...] | list[str] = ()


class NotFound(FactsError):
    """An id that names nothing in the store; carries the closest ids to suggest."""

    def __init__(self, message: str, suggestions: Iterable[str] = ()) -> None:
        self.suggestions = list(suggestions)
        super().__init__(message)


class StoreError(FactsError):
    """The store cannot be used: missing, unreadable, not JSON, invalid or locked. One line for the user."""


class UsageError(FactsError):
    """A value given to the core that it cannot take (a year that is not a year, an unknown
    setting); the command line reports it as a usage error, exit 2."""


def closest_ids(wanted: str, ids: Iterable[str], limit: int = 3) -> list[str]:
    """Ids a user probably meant: near spellings first, then ids containing what was typed."""
    import difflib  # only needed on the error path

    ids = list(ids)
    close = difflib.get_close_matches(wanted, ids, n=limit, cutoff=0.5)
    close += [i for i in ids if wanted and wanted in i and i not in close]
    return close[:limit]
