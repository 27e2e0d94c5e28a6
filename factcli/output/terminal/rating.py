"""The terminal view of rating: each judgment, and the strip of the grade in force each year."""

from __future__ import annotations

from collections.abc import Iterator

from ...core.meta import Meta
from ..escape import literal
from ..wording import made, rating_status, strip_scope
from .base import Footnotes, Record, cell, cited_refs, grade_text, strip_style


def records(result, footnotes: Footnotes) -> Iterator[Record]:
    """Each judgment of a rating answer: when made, the grade, the area, and its status."""
    for hit in result.hits:
        fact, context = hit.fact, hit.context
        cells = [
            ("Made", cell(made(context))),
            ("Grade", grade_text(fact.fields["judgment"], result.meta)),
            ("Area", cell(fact.fields["area"])),
            ("Status", cell(rating_status(context))),
            ("Cited", cited_refs(result, fact, footnotes)),
        ]
        yield Record(fact.id, cells, "Area")


# A year whose judgment in force the sources do not settle (see answers.rating).
UNKNOWN = "?"
STRIP_KEY = (
    "Capital letter: a judgment made (published) that year. Lower case: carried forward, made in "
    "an earlier year or on a date not on record; the sources do not rule out a later judgment "
    "they do not mention."
)
UNKNOWN_KEY = (
    f"{UNKNOWN}: not known which judgment was in force: one was inspected, but its publication date is not on record."
)


def strip_text(strip, meta: Meta):
    """The strip of the headline grade in force at the end of each year, with its key and scope."""
    from rich.text import Text

    years, grades = Text(), Text()
    for year in strip:
        years.append(f"{year.year % 100:02d} ", style="dim")
        if year.judgment is None:
            grades.append(f" {UNKNOWN}", style="bold")
        else:
            letter = meta.letter(year.judgment)
            # Not made that year: lower case (and no fill), so the difference survives without colour.
            shown = letter if year.made_in_year else letter.lower()
            grades.append(f" {literal(shown)}", style=strip_style(meta, year.judgment, year.made_in_year))
        grades.append(" ")
    key = "  ".join(f"{literal(meta.letter(grade))} {literal(grade)}" for grade in meta.scale)
    unknown = any(year.judgment is None for year in strip)
    return Text.assemble(
        f"Latest headline {literal(meta.grade_title())} on record"
        f" at the end of each year, {strip[0].year}–{strip[-1].year}\n",
        years,
        "\n",
        grades,
        "\n",
        (f"{key}\n{STRIP_KEY}\n" + (f"{UNKNOWN_KEY}\n" if unknown else ""), "dim"),
        ("Scope: " + strip_scope(strip), "dim"),
    )
