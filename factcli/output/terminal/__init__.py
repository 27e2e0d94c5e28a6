"""Answers drawn for a person on a terminal: a view per question, tables when wide, stacked blocks when narrow."""

from __future__ import annotations

import io

from ..documents import documents
from . import facts, listing, people, rating
from .base import NARROW, Footnotes, cell, console, disagreements, plain, stacked, titled_table, wide

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
        drawn.append(listing.horizon_text(result.horizon))
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
    for renderable in _fields_table(result, fields) if fields else renderables(result, out.width):
        out.print(renderable)


def _fields_table(result, fields):
    """The fields asked for, as a table: one column each, citations as footnotes."""
    if not result.hits:
        return []
    footnotes = Footnotes(result.sources)
    table = titled_table(result.title, *((name, {"overflow": "fold"}) for name in fields))
    for hit, document in zip(result.hits, documents(result, fields)):
        row = []
        for name in fields:
            value = document[name]
            if name == "citations" and isinstance(value, list):
                row.append(
                    footnotes.refs(hit.citations if result.view == "conflicts" else hit.fact.citations)
                )
            else:
                row.append(cell(plain(value)))
        table.add_row(*row)
    return [table, footnotes.renderable()] if footnotes.numbers else [table]
