"""Answers drawn for a person on a terminal: a view per question, tables when wide, stacked blocks when narrow."""

from __future__ import annotations

import io
import re

from ..documents import documents
from . import facts, listing, people, rating
from ..wording import dated, made, marked
from .base import (
    CONFLICT_MARK,
    NARROW,
    Footnotes,
    Record,
    cell,
    console,
    disagreements,
    plain,
    stacked,
    titled_table,
    wide,
)

# Each question's rows: a function of (answer, footnotes) yielding one Record per result.
RECORDS = {
    "rating": rating.records,
    "who": people.records,
    "timeline": facts.records,
    "search": facts.records,
    "sources": listing.source_records,
    "log": listing.log_records,
}


def renderables(result, width: int | None = None) -> list:
    """What to draw for an answer (an answers.common.Answer), as tables, or as stacked blocks
    when the console is narrower than NARROW columns."""
    if not result.hits:
        # The note on stderr says why; an empty table would only add noise.
        return []
    if result.view == "show":
        fact = result.hits[0].fact
        return [facts.show(fact, result.sources, result.conflicts.get(fact.id, ()), result.meta)]
    footnotes = Footnotes(result.sources)
    if result.view == "conflicts":
        return [listing.conflicts_grid(result.hits, footnotes), footnotes.renderable()]
    records = list(RECORDS[result.view](result, footnotes))
    narrow = width is not None and width < NARROW
    drawn = [stacked(result.title, records) if narrow else wide(result.title, records)]
    if result.view == "rating" and result.strip:
        drawn.append(rating.strip_text(result.strip, result.meta))
    if result.view == "sources":
        drawn.append(listing.horizon_text(result.horizon, result.horizon_basis))
    if result.conflicts:
        drawn.append(disagreements(result))
    if footnotes.numbers:
        drawn.append(footnotes.renderable())
    return drawn


def text_for_terminal(result, fields=None):
    """The text answer as the terminal would show it, colour and width included, for a pager."""
    buffer = io.StringIO()
    draw(result, console(buffer, force_terminal=True, width=console().width), fields)
    return buffer.getvalue()


def draw(result, out=None, fields=None):
    """Print an answer for a person on out, a console (by default one on stdout)."""
    out = out or console()
    for renderable in _fields_table(result, fields, out.width) if fields else renderables(result, out.width):
        out.print(renderable)


def _with_basis(name, value, document, fact):
    """A date as every other view prints it, with how it is known: a field of a table keeps the
    mark ("2015 (inferred)", "after 2018-12") as the answer's own view does."""
    if not isinstance(value, str) or not value:
        return value
    if name == "date" and fact is not None:
        return dated(fact)
    if name == "made" and "made_basis" in document:
        return made(document)
    if f"{name}_basis" in document:
        return marked(value, document[f"{name}_basis"])
    return value


# The narrowest a column of text is drawn; narrower, a table gives way to a block a result.
TEXT_COLUMN = 24
# An id, or a list of them (a conflict mark after it): never split across lines.
_IDS = re.compile(r"[a-z0-9-]+(, [a-z0-9-]+)*( ⚑)?")


def _fields_table(result, fields, width=None):
    """The fields asked for, as a table: one column each, citations as footnotes. A column of
    ids is never split; when they cannot all fit whole, each result is a block of its own."""
    if not result.hits:
        return []
    footnotes = Footnotes(result.sources)
    rows = []
    for hit, document in zip(result.hits, documents(result)):
        row = []
        for name in fields:
            value = document[name]
            if name == "citations" and isinstance(value, list):
                row.append(footnotes.refs(hit.citations if result.view == "conflicts" else hit.fact.citations))
            else:
                row.append(plain(_with_basis(name, value, document, getattr(hit, "fact", None))))
        fact = getattr(hit, "fact", None)
        if fact is not None and result.view != "conflicts" and fact.id in result.conflicts:
            row[0] = f"{row[0]} {CONFLICT_MARK}"  # the mark goes wherever the fact is shown
        rows.append(row)
    whole = {}  # column -> its widest id
    for column, name in enumerate(fields):
        values = [row[column] for row in rows]
        if name != "citations" and all(isinstance(v, str) and _IDS.fullmatch(v) for v in values if v):
            whole[column] = max((len(v) for v in values if v), default=0)
    # Three columns of border and padding a column, and one at the edge; a column of text needs
    # TEXT_COLUMN of what is left, or its words are cut to a few letters a line.
    room = None if width is None else width - sum(whole.values()) - 3 * len(fields) - 1
    widths = {c: max((len(str(row[c])) for row in rows), default=0) for c in range(len(fields)) if c not in whole}
    long_text = [c for c, widest in widths.items() if widest > TEXT_COLUMN]
    # A short column (a date, a grade) may wrap once, at about half its width.
    short = sum(min(widest, TEXT_COLUMN // 2) for c, widest in widths.items() if c not in long_text)
    if room is not None and (room < 0 or (long_text and room - short < TEXT_COLUMN * len(long_text))):
        # Headed by its id (or first field), on a line of its own, which folds only past the width.
        head = fields.index("id") if "id" in fields else 0
        # A list of ids one to a line, so that each breaks only where it is wider than the column.
        shown = [[v.replace(", ", ",\n") if c in whole and isinstance(v, str) else v for c, v in enumerate(row)] for row in rows]
        records = [
            Record(str(row[head]), [(n, cell(v)) for i, (n, v) in enumerate(zip(fields, row)) if i != head], fields[head])
            for row in shown
        ]
        drawn = [stacked(result.title, records)]
    else:
        options = [
            {"no_wrap": True, "min_width": whole[c]} if c in whole else {"overflow": "fold"} for c in range(len(fields))
        ]
        table = titled_table(result.title, *zip(fields, options))
        for row in rows:
            table.add_row(*(value if name == "citations" else cell(value) for name, value in zip(fields, row)))
        drawn = [table]
    return [*drawn, footnotes.renderable()] if footnotes.numbers else drawn
