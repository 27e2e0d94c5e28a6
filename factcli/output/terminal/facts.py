"""The terminal views of facts: timeline and search as rows, show as one fact whole."""

from __future__ import annotations

from collections.abc import Iterator

from ..escape import literal
from ..wording import conflict_note, dated
from .base import (
    CONFLICT_MARK,
    UNCHECKED,
    Footnotes,
    Record,
    cell,
    cited_refs,
    claim_text,
    grade_text,
    in_context,
    source_line,
)


def records(result, footnotes: Footnotes) -> Iterator[Record]:
    """Each fact of a timeline or search answer: date, kind, claim."""
    for hit in result.hits:
        fact = hit.fact
        cells = [
            ("Date", cell(dated(fact))),
            ("Kind", cell(fact.kind)),
            ("Claim", claim_text(fact)),
            ("Cited", cited_refs(result, fact, footnotes)),
        ]
        yield Record(fact.id, cells, "Claim")


def show(fact, sources, conflicts, meta):
    """One fact whole: every field, each citation in its context, its curation and its disputes."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("id", cell(fact.id))
    grid.add_row("kind", cell(fact.kind))
    grid.add_row("claim", claim_text(fact))
    grid.add_row("date", cell(dated(fact)))
    if fact.date_note:
        grid.add_row("date note", cell(fact.date_note))
    for name, value in fact.fields.items():
        if value is None:
            continue  # a field the sources leave empty says nothing to a reader (--json keeps it, as null)
        shown = grade_text(value, meta) if name == "judgment" else cell(value)
        grid.add_row(name.replace("_", " "), shown)
    for number, citation in enumerate(fact.citations, 1):
        source = sources[citation.source]
        text = in_context(citation)
        if citation.start is None:
            text.append(f"\n{UNCHECKED}", style="bold")
        text.append(f"\n{source_line(source)}", style="dim")
        if citation.as_of:
            text.append(f"\nsays this held as of {literal(citation.as_of)}", style="dim")
        text.append(f"\nfile {literal(source.file)}", style="dim")
        if source.url:
            text.append(f"\n{literal(source.url)}", style="dim")
        grid.add_row(f"citation {number}", text)
    for name in ("added", "changed"):
        if getattr(fact, name):
            grid.add_row(name, cell(getattr(fact, name)))
    for entry in fact.history:
        detail = entry.get("reason") or (f"was {entry['from']}" if entry.get("from") else "")
        grid.add_row(entry["action"], cell(f"{entry['at']}" + (f": {detail}" if detail else "")))
    for conflict in conflicts:
        text = Text(f"{CONFLICT_MARK} {literal(conflict_note(conflict.note, conflict.contradiction))}\n")
        text.append(f"see facts conflicts ({literal(conflict.id)})", style="dim")
        grid.add_row("contradicted" if conflict.contradiction else "caution", text)
    return grid
