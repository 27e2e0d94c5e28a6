"""The terminal views of facts draft and facts quote: candidates and spans as a curator reviews them."""

from __future__ import annotations

from ...core.kinds import KINDS
from ...curation.draft import FURNITURE, cite_line, conflict_line
from ..documents import draft_documents, quote_documents
from ..escape import literal
from ..formats import documents_text, write_utf8
from .base import cell, console, grade_text


def emit_documents(docs, fmt, draw_text):
    """Print documents to stdout as fmt; draw_text(console) draws the text format."""
    if fmt == "text":
        draw_text(console())
    else:
        write_utf8(documents_text(docs, fmt))


def _anchored(quote, prefix, suffix):
    """A quote in its place: the text just before it, the quote highlighted, the text just after."""
    from rich.text import Text

    text = Text()
    text.append("…" + literal(" ".join(prefix.split()) + (" " if prefix[-1:].isspace() else "")), style="dim")
    text.append(literal(quote), style="bold")
    text.append(literal((" " if suffix[:1].isspace() else "") + " ".join(suffix.split())) + "…", style="dim")
    return text


def draft_renderables(result):
    """Each candidate as a person reviews it: kind, date and how it was worked out, fields, the quote in place."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    drawn = []
    for number, candidate in enumerate(result.candidates, 1):
        record = candidate.record
        citation = record["citations"][0]
        heading = Text(f"{number}. {record['kind']}", style="bold")
        bound = f"{record['date_bound']} " if record.get("date_bound") else ""
        heading.append(f"  {literal(bound + (record['date'] or 'undated'))}")
        heading.append(f"  characters {citation['start']}–{citation['end']}", style="dim")
        if not candidate.matches and not candidate.disagrees:
            heading.append("  new", style="bold green")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        grid.add_row("quote", _anchored(citation["quote"], citation["prefix"], citation["suffix"]))
        for also in record["citations"][1:]:
            # The same claim said again further on: a second citation, not a second fact.
            grid.add_row("said again", _anchored(also["quote"], also["prefix"], also["suffix"]))
        if record["kind"] == "role":
            grid.add_row("claim", cell(record["claim"]))
        if record["date_note"]:
            grid.add_row("date note", cell(record["date_note"]))
        for name in _kind_fields(record):
            value = record[name]
            grid.add_row(
                name, grade_text(value, result.meta) if name == "judgment" else cell("null" if value is None else value)
            )
        if candidate.people:
            grid.add_row("people", cell(", ".join(candidate.people)))
        if candidate.matches:
            grid.add_row("matches", cell(", ".join(f"{match.id} ({match.by})" for match in candidate.matches)))
            grid.add_row("cite", cell(cite_line(candidate, candidate.matches[0].id)))
        for disagreement in candidate.disagrees:
            grid.add_row(
                "disagrees",
                cell(
                    f"{disagreement.id} records {disagreement.field} {disagreement.on_record},"
                    f" this says {disagreement.drafted}"
                ),
            )
            grid.add_row("conflict", cell(conflict_line(candidate, disagreement)))
        drawn.append(Group(heading, grid))
    drawn.append(_draft_summary(result))
    return drawn


def _kind_fields(record):
    return [name for name in KINDS[record["kind"]] if name not in ("start", "end", "post") or record[name]]


def _draft_summary(result):
    from rich.text import Text

    count = len(result.candidates)
    text = Text(f"{count} candidate{'s' if count != 1 else ''} from {literal(result.file)}", style="bold")
    if result.registered:
        text.append(f"; citations name its source, {literal(result.source_id)}")
    else:
        text.append(
            f"; the file is not a source of the store, so citations name {result.source_id}:"
            " replace it with the source's id (facts add-source adds one)"
        )
    text.append(
        f"\nDates resolved against publication date {literal(result.published)}."
        if result.published
        else "\nNo publication date (give --published): relative dates are left unresolved."
    )
    restating = sum(bool(candidate.matches) for candidate in result.candidates)
    disagreeing = sum(bool(candidate.disagrees) for candidate in result.candidates)
    text.append(
        f"\n{count - restating - disagreeing} new; {restating} restate facts on record (cite adds the quote to one)"
        + (f"; {disagreeing} disagree with facts on record (add-conflict records it)" if disagreeing else "")
        + "."
    )
    if result.left_out:
        left = "; ".join(f"{count} {FURNITURE[reason]}" for reason, count in sorted(result.left_out.items()))
        text.append(f"\nLeft out as page furniture: {left}.", style="dim")
    text.append("\nNothing was written. Review, edit the claims, then: facts add --from FILE.", style="dim")
    return text


def emit_draft(result, fmt):
    def draw_text(out):
        for renderable in draft_renderables(result):
            out.print(renderable)
            out.print()

    emit_documents(draft_documents(result), fmt, draw_text)


def quote_renderables(found):
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    where = literal(found.source_id) if found.source_id else literal(found.file)
    drawn = []
    for number, span in enumerate(found.spans, 1):
        exact = (
            "exact (after folding quote marks, dashes, case and spacing)"
            if span.score == 1.0
            else f"score {span.score:.2f}"
        )
        heading = Text(f"{number}. {where}  ", style="bold")
        heading.append(exact, style="dim")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        grid.add_row("quote", Text(f"“{literal(span.quote)}”", style="italic"))
        grid.add_row("start, end", f"{span.start}, {span.end}")
        grid.add_row("prefix", cell(repr(span.prefix)))
        grid.add_row("suffix", cell(repr(span.suffix)))
        drawn.append(Group(heading, grid))
    return drawn


def emit_quote(found, fmt):
    def draw_text(out):
        for renderable in quote_renderables(found):
            out.print(renderable)

    emit_documents(quote_documents(found), fmt, draw_text)
