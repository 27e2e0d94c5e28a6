"""What every terminal view is drawn with: a console, literal cells, footnotes, and tables or stacked blocks."""

from __future__ import annotations

import io
import re
import sys

from ...core.kinds import ANCHOR_CONTEXT
from ...core.meta import Meta
from ...core.tuples import Record
from ..escape import literal
from ..wording import conflict_note, publication

# Colours from the best grade of a store's scale to the worst: a grade is coloured by where it
# sits on its scale (Meta.rank), so any scale of two to five grades reads the same way round.
GRADE_COLOURS = ("blue", "green", "yellow", "dark_orange", "red")
# The strip fills a year's cell with the colour, with letters dark enough to read on it.
_ON_FILL = ("white", "black", "black", "black", "white")


def _shade(meta: Meta, grade: str) -> int | None:
    return round(meta.rank(grade) * (len(GRADE_COLOURS) - 1)) if grade in meta.scale else None


def grade_style(meta: Meta, grade: str) -> str:
    """How a grade is drawn in text: bold, in its colour; plain when it is not on the scale."""
    shade = _shade(meta, grade)
    return "" if shade is None else f"bold {GRADE_COLOURS[shade]}"


def strip_style(meta: Meta, grade: str, made_in_year: bool) -> str:
    """A year's cell in the strip: filled with the grade's colour in a year a judgment was made;
    dim and unfilled in a year it was carried forward into, so the difference survives without colour."""
    shade = _shade(meta, grade)
    if shade is None:
        return "bold" if made_in_year else "dim"
    if made_in_year:
        return f"bold {_ON_FILL[shade]} on {GRADE_COLOURS[shade]}"
    return f"dim {GRADE_COLOURS[shade]}"


def console(file=None, **overrides):
    """A console for this invocation, writing lines without the spaces that would end them (rich
    pads every cell to its column's width; copied or saved, an answer would keep them). Rich is
    imported here, so machine formats never pay for it."""
    from rich.console import Console

    return Console(file=Unpadded(file or sys.stdout), highlight=False, emoji=False, markup=False, **overrides)


# Spaces that end a line, and the colour codes after them.
_TRAILING_SPACES = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$")


class Unpadded(io.TextIOBase):
    """A text file that writes each whole line without its trailing spaces."""

    def __init__(self, file):
        self.file = file
        self.pending = ""

    def write(self, text):
        lines = (self.pending + text).split("\n")
        self.pending = lines.pop()
        if lines:
            self.file.write("".join(_TRAILING_SPACES.sub(r"\1", line) + "\n" for line in lines))
        return len(text)

    def flush(self):
        # A line not yet ended may go on: it is written as it is.
        if self.pending:
            self.file.write(self.pending)
            self.pending = ""
        self.file.flush()

    def isatty(self):
        return self.file.isatty()

    def fileno(self):
        return self.file.fileno()

    @property
    def encoding(self):
        return getattr(self.file, "encoding", "utf-8")


class Footnotes:
    """Numbers each distinct (source, quote) once per answer, so a quote shared by facts prints once."""

    def __init__(self, sources):
        self.sources = sources
        self.numbers = {}
        self.unchecked = set()  # quotes no citation has anchored in its source's text

    def refs(self, citations):
        marks = []
        for citation in citations:
            key = (citation.source, citation.quote)
            number = self.numbers.setdefault(key, len(self.numbers) + 1)
            if citation.start is None:
                self.unchecked.add(key)
            else:
                self.unchecked.discard(key)
            marks.append(f"[{number}]")
        return " ".join(marks)

    def renderable(self):
        from rich.text import Text

        lines = Text()
        for key, number in self.numbers.items():
            source_id, quote = key
            lines.append(f"[{number}] ", style="bold")
            lines.append(f"“{literal(quote)}”", style="italic")
            lines.append(f" — {source_line(self.sources[source_id])}", style="dim")
            if key in self.unchecked:
                lines.append(f" {UNCHECKED}", style="bold")
            lines.append("\n")
        return lines


# Said of a quote not anchored in its source's text: nobody has checked it is the source's words.
UNCHECKED = "(not yet checked against the source's text: facts verify)"


def published_text(source):
    """A source's date as a reader should quote it (see publication)."""
    return literal(publication(source.published, source.published_basis, source.published_after, source.published_before))


def source_line(source):
    parts = [
        literal(source.title),
        literal(source.publisher) if source.publisher else "publisher not shown",
        published_text(source),
    ]
    return f"{', '.join(parts)} ({literal(source.id)})"


def cell(value):
    """Store text as a rich Text: shown literally on any console, markup and all."""
    from rich.text import Text

    return Text(literal(value))


def grade_text(judgment, meta: Meta):
    from rich.text import Text

    return Text(literal(judgment), style=grade_style(meta, judgment))


def claim_text(fact):
    from rich.text import Text

    text = Text()
    if fact.retracted:
        text.append(
            f"RETRACTED {literal(fact.retracted.date)}: {literal(fact.retracted.reason)} — ", style="bold red"
        )
    text.append(literal(fact.claim))
    return text


def titled_table(title, *columns):
    from rich.table import Table

    table = Table(title=cell(title), title_justify="left", show_lines=False)
    for name, options in columns:
        table.add_column(name, **options)
    return table


# Below this many columns a table would squeeze its columns, and fold the ids under them, so
# each result is drawn as a block of label: value lines under its id instead.
NARROW = 100


class Record(Record):
    """One result as text: its id, its (label, value) cells in order, and which cell the id
    is shown under in a table."""

    id: str
    cells: list
    main: str


# Cells whose words must stay on one line: a grade, a date, footnote numbers.
UNBROKEN = {"Grade", "Date", "Kind", "Cited", "Published", "Facts", "At", "Action"}


def wide(title, records):
    """A table, one row a result; each result's id on its own dim line under its main cell."""
    from rich.text import Text

    labels = [label for label, _ in records[0].cells]
    table = titled_table(title, *((label, {"no_wrap": label in UNBROKEN, "overflow": "fold"}) for label in labels))
    for record in records:
        row = []
        for label, value in record.cells:
            if label == record.main:
                value = Text.assemble(
                    value if isinstance(value, Text) else Text(value), "\n", (literal(record.id), "dim")
                )
            row.append(value)
        table.add_row(*row)
    return table


def stacked(title, records):
    """One block a result, label: value, for a console too narrow for a table."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    blocks = [cell(title)]
    for record in records:
        # The id on a line of its own, as wide as the console, so it folds only where it must.
        blocks += ["", Text(literal(record.id), style="dim", overflow="fold")]
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        for label, value in record.cells:
            grid.add_row(label, value)
        blocks.append(grid)
    return Group(*blocks)


# Marks a fact that a recorded conflict between sources touches, in tables and in show.
CONFLICT_MARK = "⚑"


def cited_refs(result, fact, footnotes):
    refs = footnotes.refs(fact.citations)
    return f"{refs} {CONFLICT_MARK}" if fact.id in result.conflicts else refs


def disagreements(result):
    """Under a table: the conflicts touching its facts, so a reader quoting one sees the doubt;
    each note under its id, indented, so a wrapped line stays with its conflict."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    seen = {}
    for found in result.conflicts.values():
        for conflict in found:
            seen.setdefault(conflict.id, conflict)
    drawn = [
        Text(
            f"{CONFLICT_MARK} The sources disagree, or need care, about facts in this answer"
            " (facts conflicts quotes them):",
            style="bold",
        )
    ]
    for conflict in seen.values():
        drawn.append(Padding(Text(literal(conflict.id), style="bold"), (0, 0, 0, 2)))
        drawn.append(Padding(Text(literal(conflict_note(conflict.note, conflict.contradiction))), (0, 0, 0, 4)))
    return Group(*drawn)


_SPACES = re.compile(r"\s+")


def in_context(citation):
    """The quote between the text around it in its source when it is anchored: …prefix **quote** suffix….
    The asterisks mark the quote where there is no bold to see (a file, a pipe, NO_COLOR)."""
    from rich.text import Text

    text = Text()
    if citation.start is None:
        text.append(f"“{literal(citation.quote)}”", style="italic")
        return text
    # The context is shown on one line; "…" where the source's text goes on beyond it.
    before = "…" if citation.start > len(citation.prefix) else ""
    after = "…" if len(citation.suffix) == ANCHOR_CONTEXT else ""
    text.append(before + literal(_SPACES.sub(" ", citation.prefix)), style="dim")
    text.append(f"**{literal(citation.quote)}**", style="bold")
    text.append(literal(_SPACES.sub(" ", citation.suffix)) + after, style="dim")
    return text


def plain(value):
    """A value of a JSON document as one line of text for a table cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(plain(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(
            f"{key}: {plain(item)}" for key, item in value.items() if item not in (None, [], "")
        )
    return str(value)
