"""facts: a command-line tool over a curated store of facts, each citing a verbatim quote from its source."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .core.errors import FactsError, NotFound, StoreError, UsageError

if TYPE_CHECKING:
    from .api import FactStore

__version__ = "0.2.0"
__all__ = ["FactsError", "NotFound", "StoreError", "UsageError", "open", "__version__"]


def open(path: str | os.PathLike | None = None) -> FactStore:  # noqa: A001 - factcli.open(), the documented entry point
    """The store at path, else FACTS_DB, else the bundled one, for questions from Python:
    store.rating(year=2019), store.who(role="minister"), ... (see factcli.api)."""
    from .api import FactStore

    return FactStore(path)
