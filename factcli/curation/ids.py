"""Readable fact ids in the store's own pattern: kind, date, then up to four words that say what."""

from ..core.text import shorten_slug
from ..core.validation import MAX_ID_LENGTH
from .overlap import significant_words

# An id names a fact, not its whole claim: four words tell facts of one kind and date apart.
MAX_WORDS = 4


def readable_id(record, taken, common=frozenset()):
    """kind-date-key-words (role-2019-02-jane-doe-director), with -2, -3... only when taken
    already holds it."""
    kind = record.get("kind") if isinstance(record.get("kind"), str) else "fact"
    date = record.get("date") if isinstance(record.get("date"), str) else None
    claim = record.get("claim") if isinstance(record.get("claim"), str) else ""
    # A year or month is in the id already, from the date.
    words = [word for word in significant_words(claim, common) if not (date and word in date.split("-"))]
    # Room is left for the suffix that tells it from an id taken already.
    base = shorten_slug("-".join([kind, *([date] if date else []), *words[:MAX_WORDS]]), MAX_ID_LENGTH - 8)
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate
