"""The terminal views of sources, the curation log and conflicts."""

from __future__ import annotations

from collections.abc import Iterator

from ..escape import literal
from ..wording import conflict_note
from .base import Footnotes, Record, cell, published_text


def source_records(result, footnotes: Footnotes) -> Iterator[Record]:
    """Each source: its publication date, title, publisher and file, and how many facts cite it."""
    from rich.text import Text

    for summary in result.hits:
        source = summary.source
        details = Text(literal(source.title))
        details.append(f"\n{literal(source.publisher or 'publisher not shown')}", style="dim")
        details.append(f"\n{literal(source.file)}", style="dim")
        cells = [
            ("Published", cell(published_text(source))),
            ("Title, publisher and file", details),
            ("Facts", cell(str(summary.facts))),
        ]
        yield Record(source.id, cells, "Title, publisher and file")


def horizon_text(horizon, basis=None):
    """Under the sources: the newest date they speak for, with how that date is known, past which
    nothing is answered."""
    from rich.text import Text

    from ..wording import marked

    if horizon is None:
        return Text("No source is dated, so no answer presumes anything from one year to the next.", style="dim")
    return Text(
        f"Horizon: {literal(marked(horizon, basis))}, the newest date these sources speak for. No answer reaches past"
        " it: nobody is presumed in post, and no judgment carried forward, after it.",
        style="dim",
    )


def log_records(result, footnotes: Footnotes) -> Iterator[Record]:
    """Each curation change: when, what, to which record, and for an edit the field changed,
    its value before and after."""
    for entry in result.hits:
        change = cell(entry.claim if entry.record == "fact" else f"{entry.record}: {entry.claim}")
        if entry.field is not None:
            change.append(f"\n{literal(change_text(entry))}", style="bold")
        if entry.detail:
            change.append(f"\n{literal(entry.detail)}", style="italic")
        yield Record(entry.id, [("At", cell(entry.at)), ("Action", cell(entry.action)), ("Change", change)], "Change")


def change_text(entry) -> str:
    """One field's change as JSON: 'date_note: "before" -> "after"'; a value history kept only the
    start of (its JSON, cut) ends in "…"; null where the field was not there."""
    from ..escape import json_text

    def shown(side):
        value = getattr(entry, side)
        return f"{value}…" if side in entry.shortened else json_text(value)

    return f"{entry.field}: {shown('before')} -> {shown('after')}"


def conflicts_grid(conflicts, footnotes: Footnotes):
    """Each conflict: its id, what disagrees, the facts it touches and the quotes."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for number, conflict in enumerate(conflicts):
        if number:
            grid.add_row("", "")
        grid.add_row("conflict", cell(conflict.id))
        if conflict.retracted:
            grid.add_row("retracted", cell(f"{conflict.retracted.date}: {conflict.retracted.reason}"))
        grid.add_row("note", cell(conflict_note(conflict.note, conflict.contradiction)))
        grid.add_row("facts", cell(", ".join(conflict.facts)))
        grid.add_row("cited", footnotes.refs(conflict.citations))
    return grid


def meta_grid(record):
    """The store's meta, one key a row; lists and maps on one wrapped line each."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for key, value in record.items():
        if isinstance(value, list):
            value = ", ".join(value)
        elif isinstance(value, dict):
            value = "; ".join(f"{name} = {meaning}" for name, meaning in value.items())
        grid.add_row(key, cell(value if value not in (None, "") else "-"))
    return grid
