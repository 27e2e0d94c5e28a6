"""Checking a store: validate (the schema) and verify (each quote in its source text)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.errors import StoreError
from ..core.tuples import Record
from ..core.validation import store_problems
from ..storage.backend import is_database, read_tables, read_valid_tables

if TYPE_CHECKING:
    from ..curation.evidence import Verification


class Validation(Record):
    """What validate found: every problem, or with none, what the store holds."""

    path: str
    problems: list
    facts: int = 0
    sources: int = 0
    citations: int = 0
    conflicts: int = 0


def validate(path: str) -> Validation:
    """Every schema problem in the store at path, with counts when there are none; of a SQLite
    store of record, also every way what it derives from its records (what questions filter on
    and writes check against) has drifted from them."""
    tables = read_tables(path)
    problems = store_problems(tables)
    if not problems and is_database(path):
        from ..storage.sqlitefile import derived_problems

        problems = derived_problems(path)
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


def verify(path: str, folder: str) -> Verification:
    """Every source file under folder that is missing or changed, and every quote not at its anchor."""
    from ..curation import evidence

    tables = read_valid_tables(path)
    try:
        return evidence.verify(tables, folder)
    except OSError as error:
        raise StoreError(str(error)) from None

