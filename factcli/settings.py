"""The environment, read in one place: which store, where source texts and the index cache are, what day it is.

Only the entry points (the command line and factcli.open) call these; the core takes every
setting as an argument, so it behaves the same whoever calls it.
"""

from __future__ import annotations

import datetime
import os

from .core.errors import UsageError
from .storage import location


def store_choice(explicit: str | os.PathLike | None = None) -> tuple[str, str]:
    """(path, origin) of the store to use: --db (explicit) wins, then FACTS_DB, then the
    store bundled with the package. UsageError for an empty name."""
    # An empty name is a mistake (a script's unset variable), never a quiet "the bundled one".
    if explicit is not None:
        if not os.fspath(explicit):
            raise UsageError("--db is empty: give the path of a store")
        return os.fspath(explicit), "--db"
    if "FACTS_DB" in os.environ:
        if not os.environ["FACTS_DB"]:
            raise UsageError("FACTS_DB is set but empty: give the path of a store, or unset it")
        return os.environ["FACTS_DB"], "FACTS_DB"
    return location.BUNDLED_STORE, "bundled"


def index_mode() -> str:
    """FACTS_INDEX: auto (the default: the derived index for large stores), always or never."""
    from .storage.loading import INDEX_MODES

    mode = os.environ.get("FACTS_INDEX") or "auto"
    if mode not in INDEX_MODES:
        raise UsageError(f"FACTS_INDEX must be one of {', '.join(INDEX_MODES)}, not {mode!r}")
    return mode


def cache_directory() -> str:
    """FACTS_CACHE_DIR, else $XDG_CACHE_HOME/factcli, else ~/.cache/factcli."""
    explicit = os.environ.get("FACTS_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "factcli")


def today() -> datetime.date:
    """Today, or FACTS_TODAY (an ISO date) so that examples and tests can be reproduced."""
    pinned = os.environ.get("FACTS_TODAY")
    if pinned:
        try:
            return datetime.date.fromisoformat(pinned)
        except ValueError:
            raise UsageError(f"FACTS_TODAY {pinned!r} is not an ISO date (YYYY-MM-DD)") from None
    return datetime.date.today()
