"""Where the store in use is, and whether a write may go there: never into an installed package."""

from __future__ import annotations

import os

from ..core.tuples import Record

# pathlib is not used here: importing it costs more than a whole query on a small store.
PACKAGE_DIRECTORY = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
# In a checkout (and an editable install) the bundled store is a link to data/facts.json, the
# store of record; a plain install copies it into the package, where the next install replaces it.
BUNDLED_STORE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "facts.json")


class Location(Record):
    """The store in use: its path, where that choice came from, and whether a write may go there."""

    path: str
    origin: str  # "--db", "FACTS_DB", "bundled" (inside an installed package) or "checkout"
    real_path: str
    exists: bool
    writable: bool
    reason: str | None  # why it may not be written, when it may not


def locate(path: str, origin: str) -> Location:
    """Where the store at path (chosen by origin: "--db", "FACTS_DB" or "bundled") is, and
    whether curation may write it."""
    real = os.path.realpath(path)
    if origin == "bundled" and not _inside_package(real):
        origin = "checkout"
    exists = os.path.isfile(real)
    reason = write_refusal(path) or (
        None if exists else "there is no store there yet: create one with facts init"
    )
    return Location(path, origin, real, exists, reason is None, reason)


def _inside_package(real_path: str) -> bool:
    return os.path.commonpath([real_path, PACKAGE_DIRECTORY]) == PACKAGE_DIRECTORY


def write_refusal(path: str) -> str | None:
    """Why a write must not go to the store at path, or None when it may."""
    real = os.path.realpath(path)
    if _inside_package(real):
        return (
            f"{path} is the store inside the installed package, which the next install replaces; "
            "start your own with facts init PATH and use it with --db PATH or FACTS_DB=PATH "
            "(or, in a checkout, pip install -e . to curate data/facts.json)"
        )
    if os.path.exists(real) and not (os.access(real, os.W_OK) and os.access(os.path.dirname(real), os.W_OK)):
        return f"{path} is not writable by you (it, or its folder, is read-only)"
    return None

