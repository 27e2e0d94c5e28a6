"""The terminal view of who: each person, the role as the sources word it, and the tenure on record."""

from __future__ import annotations

from collections.abc import Iterator

from ..wording import tenure_text
from .base import Footnotes, Record, cell, cited_refs


def records(result, footnotes: Footnotes) -> Iterator[Record]:
    """Each role of a who answer."""
    for hit in result.hits:
        fact = hit.fact
        cells = [
            ("Person", cell(fact.fields["person"])),
            ("Role", cell(fact.fields["role"])),
            ("Organisation", cell(fact.fields["organisation"])),
            ("Tenure", cell(tenure_text(fact, hit.context))),
            ("Cited", cited_refs(result, fact, footnotes)),
        ]
        yield Record(fact.id, cells, "Person")
