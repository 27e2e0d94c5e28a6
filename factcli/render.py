"""Drawing answers: rich text for a person, JSON, JSON lines or CSV for scripts. Never touches the store."""

import io
import json
import re
import sys

from .model import ANCHOR_CONTEXT, JUDGMENTS

GRADE_STYLES = {
    "inadequate": "bold red",
    "requires improvement": "bold dark_orange",
    "good": "bold green",
    "outstanding": "bold blue",
}
GRADE_LETTERS = {"inadequate": "I", "requires improvement": "R", "good": "G", "outstanding": "O"}
STRIP_STYLES = {
    "inadequate": "bold white on red",
    "requires improvement": "bold black on dark_orange",
    "good": "bold black on green",
    "outstanding": "bold white on blue",
}

# Characters that would act on a terminal instead of being shown: C0 and C1 controls
# (ESC starts colour, cursor and OSC hyperlink sequences), bidi overrides and isolates that
# reorder what follows, and line/paragraph separators. Rich passes all of these through,
# even inside Text, so they are replaced with visible escapes before rich sees them.
_UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def literal(text):
    """Text from the store made safe to show: control characters become visible escapes like \\x1b."""
    if text is None:
        return ""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


# --- documents for machine formats ----------------------------------------------------------


def citation_documents(fact, sources):
    documents = []
    for citation in fact.citations:
        source = sources[citation.source]
        documents.append(
            {
                "source": source.id,
                "title": source.title,
                "publisher": source.publisher,
                "published": source.published,
                "file": source.file,
                "quote": citation.quote,
                "start": citation.start,
                "end": citation.end,
                "prefix": citation.prefix,
                "suffix": citation.suffix,
            }
        )
    return documents


def fact_document(fact, sources, context=None):
    """One fact as JSON: common keys, the kind's fields, citations with their sources, query context."""
    document = {
        "id": fact.id,
        "kind": fact.kind,
        "claim": fact.claim,
        "date": fact.date,
        "date_note": fact.date_note,
        **fact.fields,
        "citations": citation_documents(fact, sources),
        "retracted": (
            {"reason": fact.retracted.reason, "date": fact.retracted.date} if fact.retracted else None
        ),
    }
    document.update(context or {})
    return document


def source_document(summary):
    return {**summary.source.to_record(), "facts": summary.facts, "citations": summary.citations}


def documents(result):
    """The JSON-ready objects of an answer (a query.Answer)."""
    if result.view == "sources":
        return [source_document(summary) for summary in result.hits]
    return [fact_document(hit.fact, result.sources, hit.context) for hit in result.hits]


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    # CSV has no escapes of its own, and a spreadsheet or terminal must not receive raw controls.
    return literal(value) if isinstance(value, str) else value


def _csv_text(docs):
    import csv

    columns = []
    for document in docs:
        columns += [key for key in document if key not in columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for document in docs:
        row = []
        for column in columns:
            value = document.get(column)
            if column == "citations" and isinstance(value, list):
                # One column: "source-id: quote" per citation, separated by " | ".
                value = " | ".join(f"{c['source']}: {c['quote']}" for c in value)
            row.append(_csv_cell(value))
        writer.writerow(row)
    return out.getvalue()


def machine_text(result, fmt):
    docs = documents(result)
    if fmt == "json":
        # One object per line: still one JSON array, but json's C encoder only runs without
        # indent, and on large answers the pure-Python indenting encoder was most of the time.
        if not docs:
            return "[]\n"
        return "[\n" + ",\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n]\n"
    if fmt == "jsonl":
        return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)
    return _csv_text(docs)


def write_utf8(text, stream=None):
    """Machine output is UTF-8 whatever the locale says."""
    stream = stream or sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        stream.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        stream.write(text)


def emit(result, fmt):
    """Print an answer to stdout in the chosen format."""
    if fmt == "text":
        draw(result)
    else:
        write_utf8(machine_text(result, fmt))


# --- text for a person ----------------------------------------------------------------------


def console(file=None, **overrides):
    """A console for this invocation. Rich is imported here, so machine formats never pay for it."""
    from rich.console import Console

    return Console(file=file or sys.stdout, highlight=False, emoji=False, markup=False, **overrides)


class Footnotes:
    """Numbers each distinct (source, quote) once per answer, so a quote shared by facts prints once."""

    def __init__(self, sources):
        self.sources = sources
        self.numbers = {}

    def refs(self, fact):
        marks = []
        for citation in fact.citations:
            key = (citation.source, citation.quote)
            number = self.numbers.setdefault(key, len(self.numbers) + 1)
            marks.append(f"[{number}]")
        return " ".join(marks)

    def renderable(self):
        from rich.text import Text

        lines = Text()
        for (source_id, quote), number in self.numbers.items():
            lines.append(f"[{number}] ", style="bold")
            lines.append(f"“{literal(quote)}”", style="italic")
            lines.append(f" — {_source_line(self.sources[source_id])}\n", style="dim")
        return lines


def _source_line(source):
    parts = [
        literal(source.title),
        literal(source.publisher) if source.publisher else "publisher not shown",
        literal(source.published) if source.published else "undated",
    ]
    return f"{', '.join(parts)} ({literal(source.id)})"


def cell(value):
    """Store text as a rich Text: shown literally on any console, markup and all."""
    from rich.text import Text

    return Text(literal(value))


def _grade(judgment):
    from rich.text import Text

    return Text(literal(judgment), style=GRADE_STYLES.get(judgment, ""))


def _claim(fact):
    from rich.text import Text

    text = Text()
    if fact.retracted:
        text.append(
            f"RETRACTED {literal(fact.retracted.date)}: {literal(fact.retracted.reason)} — ", style="bold red"
        )
    text.append(literal(fact.claim))
    return text


def _table(title, *columns):
    from rich.table import Table

    table = Table(title=cell(title), title_justify="left", show_lines=False)
    for name, options in columns:
        table.add_column(name, **options)
    return table


def _rating_status(context):
    if "made_in_year" not in context:
        until = context["in_force_until"]
        return f"until {until}" if until else "current: no later judgment on record"
    if context["made_in_year"]:
        return "made this year"
    later = context["next_judgment"]
    return "carried forward; " + (f"next judgment {later}" if later else "no later judgment on record")


def _tenure(context):
    start, end, basis = context["tenure_start"], context["tenure_end"], context["tenure_end_basis"]
    if basis == "stated":
        return f"{start} to {end}"
    if basis == "next holder":
        return f"{start} to {end} (until next holder on record, {literal(context['next_holder'])})"
    return f"{start} onward (last on record {context['last_on_record']})"


def _rating_strip(strip):
    from rich.text import Text

    years, grades = Text(), Text()
    for cell in strip:
        years.append(f"{cell.year % 100:02d} ", style="dim")
        if cell.judgment:
            grades.append(f" {GRADE_LETTERS[cell.judgment]}", style=STRIP_STYLES[cell.judgment])
        else:
            grades.append(" ·")
        grades.append(" ")
    key = "  ".join(f"{GRADE_LETTERS[j]} {j}" for j in JUDGMENTS)
    return Text.assemble(
        f"Overall grade in force at the end of each year, {strip[0].year}–{strip[-1].year}\n",
        years,
        "\n",
        grades,
        "\n",
        (key, "dim"),
    )


def renderables(result):
    """What to draw for an answer (a query.Answer)."""
    if not result.hits:
        # The note on stderr says why; an empty table would only add noise.
        return []
    if result.view == "sources":
        return [_sources_table(result.hits)]
    footnotes = Footnotes(result.sources)
    if result.view == "show":
        return [_show(result.hits[0].fact, result.sources)]
    if result.view == "rating":
        table = _table(
            result.title,
            ("Made", {"no_wrap": True}),
            ("Grade", {"no_wrap": True}),
            ("Area", {}),
            ("Status", {}),
            ("Cited", {"no_wrap": True}),
        )
        for hit in result.hits:
            table.add_row(
                cell(hit.context["in_force_since"]),
                _grade(hit.fact.fields["judgment"]),
                cell(hit.fact.fields["area"]),
                cell(_rating_status(hit.context)),
                footnotes.refs(hit.fact),
            )
    elif result.view == "who":
        table = _table(
            result.title,
            ("Person", {"no_wrap": True}),
            ("Role", {}),
            ("Organisation", {}),
            ("Tenure", {}),
            ("Cited", {"no_wrap": True}),
        )
        for hit in result.hits:
            table.add_row(
                cell(hit.fact.fields["person"]),
                cell(hit.fact.fields["role"]),
                cell(hit.fact.fields["organisation"]),
                cell(_tenure(hit.context)),
                footnotes.refs(hit.fact),
            )
    else:
        table = _table(
            result.title,
            ("Date", {"no_wrap": True}),
            ("Kind", {"no_wrap": True}),
            ("Claim", {}),
            ("Cited", {"no_wrap": True}),
        )
        for hit in result.hits:
            table.add_row(cell(hit.fact.date or "undated"), cell(hit.fact.kind), _claim(hit.fact), footnotes.refs(hit.fact))
    drawn = [table]
    if result.view == "rating" and result.strip:
        drawn.append(_rating_strip(result.strip))
    if footnotes.numbers:
        drawn.append(footnotes.renderable())
    return drawn


def _show(fact, sources):
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    grid.add_row("id", cell(fact.id))
    grid.add_row("kind", cell(fact.kind))
    grid.add_row("claim", _claim(fact))
    grid.add_row("date", cell(fact.date or "undated"))
    if fact.date_note:
        grid.add_row("date note", cell(fact.date_note))
    for name, value in fact.fields.items():
        shown = _grade(value) if name == "judgment" else cell("null" if value is None else value)
        grid.add_row(name, shown)
    for number, citation in enumerate(fact.citations, 1):
        source = sources[citation.source]
        text = _in_context(citation)
        text.append(f"\n{_source_line(source)}", style="dim")
        text.append(f"\nfile {literal(source.file)}", style="dim")
        if source.url:
            text.append(f"\n{literal(source.url)}", style="dim")
        grid.add_row(f"citation {number}", text)
    return grid


_SPACES = re.compile(r"\s+")


def _in_context(citation):
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


def _sources_table(summaries):
    from rich.text import Text

    table = _table(
        "Source documents",
        ("Id", {"no_wrap": True}),
        ("Published", {"no_wrap": True}),
        ("Title, publisher and file", {"ratio": 1}),
        ("Facts", {"justify": "right"}),
    )
    for summary in summaries:
        source = summary.source
        details = Text(literal(source.title))
        details.append(f"\n{literal(source.publisher or 'publisher not shown')}", style="dim")
        details.append(f"\n{literal(source.file)}", style="dim")
        table.add_row(cell(source.id), cell(source.published or "undated"), details, str(summary.facts))
    return table


def draw(result, file=None):
    out = console(file)
    for renderable in renderables(result):
        out.print(renderable)
