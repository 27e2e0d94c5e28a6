"""Drawing answers: rich text for a person, JSON, JSON lines or CSV for scripts. Never touches the store."""

import io
import json
import re
import sys
from typing import NamedTuple

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
# Lone surrogates (undecodable bytes of an argument) cannot be printed at all.
_UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def literal(text):
    """Text from the store made safe to show: control characters become visible escapes like \\x1b."""
    if text is None:
        return ""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def json_text(value, indent=None):
    """JSON that shows non-ASCII text as itself but every character of _UNSAFE as a \\uXXXX escape:
    the same data when parsed, and nothing a terminal showing it would act on."""
    # Outside strings JSON has only ASCII punctuation and whitespace, so every match is in a string.
    return _UNSAFE.sub(
        lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False, indent=indent)
    )


# --- documents for machine formats ----------------------------------------------------------


def citation_documents(citations, sources):
    """Citations as JSON, each with its source's details and how its publication date is known."""
    documents = []
    for citation in citations:
        source = sources[citation.source]
        documents.append(
            {
                "source": source.id,
                "title": source.title,
                "publisher": source.publisher,
                "published": source.published,
                "published_basis": source.published_basis,
                "file": source.file,
                "quote": citation.quote,
                "as_of": citation.as_of,
                "start": citation.start,
                "end": citation.end,
                "prefix": citation.prefix,
                "suffix": citation.suffix,
            }
        )
    return documents


def fact_document(fact, sources, context=None, conflicts=()):
    """One fact as JSON: common keys, the kind's fields, citations with their sources, the
    conflicts it is part of, and the query's context."""
    document = {
        "id": fact.id,
        "kind": fact.kind,
        "claim": fact.claim,
        "date": fact.date,
        "date_bound": fact.date_bound,
        "date_note": fact.date_note,
        **fact.fields,
        "citations": citation_documents(fact.citations, sources),
        "conflicts": [conflict.id for conflict in conflicts],
        "retracted": (
            {"reason": fact.retracted.reason, "date": fact.retracted.date} if fact.retracted else None
        ),
        "added": fact.added,
        "changed": fact.changed,
        "history": list(fact.history),
    }
    document.update(context or {})
    return document


def source_document(summary):
    return {**summary.source.to_record(), "facts": summary.facts, "citations": summary.citations}


def conflict_document(conflict, sources):
    return {
        "id": conflict.id,
        "facts": list(conflict.facts),
        "note": conflict.note,
        "citations": citation_documents(conflict.citations, sources),
    }


def documents(result, fields=None):
    """The JSON-ready objects of an answer (a query.Answer), each with its command's keys in
    order (see factcli.schema), or only the fields asked for."""
    from .schema import shaped

    if result.view == "sources":
        found = [source_document(summary) for summary in result.hits]
    elif result.view == "log":
        found = [
            {
                "at": entry.at,
                "action": entry.action,
                "id": entry.fact.id,
                "claim": entry.fact.claim,
                "detail": entry.detail,
            }
            for entry in result.hits
        ]
    elif result.view == "conflicts":
        found = [conflict_document(conflict, result.sources) for conflict in result.hits]
    else:
        found = [
            fact_document(hit.fact, result.sources, hit.context, result.conflicts.get(hit.fact.id, ()))
            for hit in result.hits
        ]
    found = shaped(result.view, found)
    if fields:
        found = [{name: document[name] for name in fields} for document in found]
    return found


# A cell starting with one of these is a formula to a spreadsheet program (=HYPERLINK(...) runs
# when clicked). As OWASP advises, such text cells get a leading single quote, which makes them text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value, raw_cells=False):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if not isinstance(value, str):
        return value  # a number, negative or not, is never a formula
    if not raw_cells and value.startswith(FORMULA_STARTS):
        value = "'" + value
    # CSV has no escapes of its own, and a spreadsheet or terminal must not receive raw controls.
    return literal(value)


def _csv_text(docs, columns, raw_cells=False):
    import csv

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
            row.append(_csv_cell(value, raw_cells))
        writer.writerow(row)
    return out.getvalue()


def machine_text(result, fmt, raw_cells=False, fields=None):
    """An answer as json, jsonl or csv text, with every key of its command or only fields;
    raw_cells leaves CSV cells that look like formulas as stored."""
    from .schema import keys

    # The header is the command's keys, so an empty answer still says what its columns are.
    return documents_text(documents(result, fields), fmt, fields or keys(result.view), raw_cells)


def documents_text(docs, fmt, columns=None, raw_cells=False):
    """JSON-ready documents as json, jsonl or csv text; CSV has columns, else every key of docs."""
    if fmt == "json":
        # One object per line: still one JSON array, but json's C encoder only runs without
        # indent, and on large answers the pure-Python indenting encoder was most of the time.
        if not docs:
            return "[]\n"
        return "[\n" + ",\n".join(json_text(d) for d in docs) + "\n]\n"
    if fmt == "jsonl":
        return "".join(json_text(d) + "\n" for d in docs)
    if columns is None:
        columns = list(dict.fromkeys(key for document in docs for key in document))
    return _csv_text(docs, columns, raw_cells)


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


def emit(result, fmt, raw_cells=False, fields=None):
    """Print an answer to stdout in the chosen format, with every key or only fields."""
    if fmt == "text":
        draw(result, fields=fields)
    else:
        write_utf8(machine_text(result, fmt, raw_cells, fields))


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

    def refs(self, citations):
        marks = []
        for citation in citations:
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


def publication(published, basis):
    """A publication date as a reader should quote it: an inferred date says so. The terminal,
    the brief and the site all word it so."""
    if not published:
        return "undated"
    return published + (" (inferred)" if basis == "inferred" else "")


def published_text(source):
    """A source's date as a reader should quote it (see publication)."""
    return literal(publication(source.published, source.published_basis))


def _source_line(source):
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


def _made(context):
    made = literal(context["made"])
    if context["made_basis"] == "inspected":
        return f"{made} (inspected; publication date not on record)"
    if context["made_basis"] == "date":
        return f"{made} (neither inspection nor publication date on record)"
    return made


def _rating_status(context):
    later = context["next_judgment"]
    following = f"next judgment on record {later}" if later else "no later judgment on record"
    if context["basis"] == "made in year":
        return f"made in {context['year']}; {following}"
    if context["basis"] == "carried forward":
        return f"carried forward to {context['year']} from {context['made']}; {following}"
    return following


def dated(fact):
    """A fact's date as the sources give it: a bound reads "by 2021-03" or "after 2018-12"."""
    if not fact.date:
        return "undated"
    return f"{fact.date_bound} {fact.date}" if fact.date_bound else fact.date


def tenure_text(fact, context):
    """A tenure as the evidence gives it: what is stated, and the span the citations attest."""
    start, end = fact.fields["start"], fact.fields["end"]
    first, last = context["first_on_record"], context["last_on_record"]
    if first is None:
        return "no date on record"
    span = f"on record {first}" if first == last else f"on record {first} to {last}"
    if start and end:
        text = f"{start} to {end} (both stated)"
    elif start:
        text = f"since {start} (stated); last on record {last}"
    elif end:
        text = f"{span} (end {end} stated)"
    else:
        text = span
    if context["basis"] == "presumed":
        text += f"; presumed in {context['year']}: no end stated and no later holder on record"
    return text


def _rating_strip(strip):
    from rich.text import Text

    years, grades = Text(), Text()
    for cell in strip:
        years.append(f"{cell.year % 100:02d} ", style="dim")
        letter = GRADE_LETTERS[cell.judgment]
        if cell.made_in_year:
            grades.append(f" {letter}", style=STRIP_STYLES[cell.judgment])
        else:
            # Carried forward: lower case and no fill, so the difference survives without colour.
            grades.append(f" {letter.lower()}", style=GRADE_STYLES[cell.judgment].replace("bold ", "dim "))
        grades.append(" ")
    key = "  ".join(f"{GRADE_LETTERS[j]} {j}" for j in JUDGMENTS)
    return Text.assemble(
        f"Headline Ofsted grade in force at the end of each year, {strip[0].year}–{strip[-1].year}\n",
        years,
        "\n",
        grades,
        "\n",
        (
            f"{key}\nCapital letter: a judgment made that year. Lower case: carried forward from an earlier judgment.\n",
            "dim",
        ),
        ("Scope: " + strip_scope(strip), "dim"),
    )


def strip_scope(strip):
    """What each stretch of the strip shows: the area judged and when that judgment was made."""
    stretches = []
    for cell in strip:
        if stretches and stretches[-1]["made"] == cell.made and stretches[-1]["area"] == cell.area:
            stretches[-1]["last"] = cell.year
        else:
            stretches.append({"first": cell.year, "last": cell.year, "made": cell.made, "area": cell.area})
    return "; ".join(
        (f"{s['first']}" if s["first"] == s["last"] else f"{s['first']}–{s['last']}")
        + f" {literal(s['area'])} (judgment made {literal(s['made'])})"
        for s in stretches
    )


def _conflict_mark(result, fact):
    return " ⚑" if fact.id in result.conflicts else ""


# Below this many columns a table would squeeze its columns, and fold the ids under them, so
# each result is drawn as a block of label: value lines under its id instead.
NARROW = 100


def renderables(result, width=None):
    """What to draw for an answer (a query.Answer), as tables, or as stacked blocks when the
    console is narrower than NARROW columns."""
    if not result.hits:
        # The note on stderr says why; an empty table would only add noise.
        return []
    narrow = width is not None and width < NARROW
    if result.view == "show":
        return [_show(result.hits[0].fact, result.sources, result.conflicts.get(result.hits[0].fact.id, ()))]
    footnotes = Footnotes(result.sources)
    if result.view == "conflicts":
        return [_conflicts(result.hits, footnotes), footnotes.renderable()]
    if result.view == "log":
        records = list(_log_records(result.hits))
    elif result.view == "sources":
        records = list(_sources_records(result.hits))
    else:
        records = list(_fact_records(result, footnotes))
    drawn = [_stacked(result.title, records) if narrow else _wide(result.title, records)]
    if result.view == "rating" and result.strip:
        drawn.append(_rating_strip(result.strip))
    if result.conflicts:
        drawn.append(_disagreements(result))
    if footnotes.numbers:
        drawn.append(footnotes.renderable())
    return drawn


class Record(NamedTuple):
    """One result as text: its id, its (label, value) cells in order, and which cell the id
    is shown under in a table."""

    id: str
    cells: list
    main: str


# Cells whose words must stay on one line: a grade, a date, footnote numbers.
UNBROKEN = {"Grade", "Date", "Kind", "Cited", "Published", "Facts", "At", "Action"}


def _fact_records(result, footnotes):
    for hit in result.hits:
        fact, context = hit.fact, hit.context
        refs = _refs(result, fact, footnotes)
        if result.view == "rating":
            cells = [
                ("Made", cell(_made(context))),
                ("Grade", _grade(fact.fields["judgment"])),
                ("Area", cell(fact.fields["area"])),
                ("Status", cell(_rating_status(context))),
                ("Cited", refs),
            ]
            main = "Area"
        elif result.view == "who":
            cells = [
                ("Person", cell(fact.fields["person"])),
                ("Role", cell(fact.fields["role"])),
                ("Organisation", cell(fact.fields["organisation"])),
                ("Tenure", cell(tenure_text(fact, context))),
                ("Cited", refs),
            ]
            main = "Person"
        else:
            cells = [
                ("Date", cell(dated(fact))),
                ("Kind", cell(fact.kind)),
                ("Claim", _claim(fact)),
                ("Cited", refs),
            ]
            main = "Claim"
        yield Record(fact.id, cells, main)


def _sources_records(summaries):
    from rich.text import Text

    for summary in summaries:
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


def _log_records(entries):
    for entry in entries:
        claim = cell(entry.fact.claim)
        if entry.detail:
            claim.append(f"\n{literal(entry.detail)}", style="italic")
        yield Record(
            entry.fact.id, [("At", cell(entry.at)), ("Action", cell(entry.action)), ("Claim", claim)], "Claim"
        )


def _wide(title, records):
    """A table, one row a result; each result's id on its own dim line under its main cell."""
    from rich.text import Text

    labels = [label for label, _ in records[0].cells]
    table = _table(title, *((label, {"no_wrap": label in UNBROKEN, "overflow": "fold"}) for label in labels))
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


def _stacked(title, records):
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


def _refs(result, fact, footnotes):
    refs = footnotes.refs(fact.citations)
    return f"{refs} {CONFLICT_MARK}" if fact.id in result.conflicts else refs


def _disagreements(result):
    """Under a table: the conflicts touching its facts, so a reader quoting one sees the doubt."""
    from rich.text import Text

    text = Text()
    text.append(
        f"{CONFLICT_MARK} Sources disagree about facts in this answer (facts conflicts for the quotes):\n",
        style="bold",
    )
    seen = {}
    for found in result.conflicts.values():
        for conflict in found:
            seen.setdefault(conflict.id, conflict)
    for conflict in seen.values():
        text.append(f"  {literal(conflict.id)}: ", style="bold")
        text.append(f"{literal(conflict.note)}\n")
    return text


def _conflicts(conflicts, footnotes):
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for number, conflict in enumerate(conflicts):
        if number:
            grid.add_row("", "")
        grid.add_row("conflict", cell(conflict.id))
        grid.add_row("note", cell(conflict.note))
        grid.add_row("facts", cell(", ".join(conflict.facts)))
        grid.add_row("cited", footnotes.refs(conflict.citations))
    return grid


def _show(fact, sources, conflicts):
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("id", cell(fact.id))
    grid.add_row("kind", cell(fact.kind))
    grid.add_row("claim", _claim(fact))
    grid.add_row("date", cell(dated(fact)))
    if fact.date_note:
        grid.add_row("date note", cell(fact.date_note))
    for name, value in fact.fields.items():
        shown = _grade(value) if name == "judgment" else cell("null" if value is None else value)
        grid.add_row(name, shown)
    for number, citation in enumerate(fact.citations, 1):
        source = sources[citation.source]
        text = _in_context(citation)
        text.append(f"\n{_source_line(source)}", style="dim")
        if citation.as_of:
            text.append(f"\nplaces the claim as of {literal(citation.as_of)}", style="dim")
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
        text = Text(f"{CONFLICT_MARK} {literal(conflict.note)}\n")
        text.append(f"see facts conflicts ({literal(conflict.id)})", style="dim")
        grid.add_row("disputed", text)
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
    table = _table(result.title, *((name, {"overflow": "fold"}) for name in fields))
    for hit, document in zip(result.hits, documents(result, fields)):
        row = []
        for name in fields:
            value = document[name]
            if name == "citations" and isinstance(value, list):
                row.append(
                    footnotes.refs(hit.citations if result.view == "conflicts" else hit.fact.citations)
                )
            else:
                row.append(cell(_plain(value)))
        table.add_row(*row)
    return [table, footnotes.renderable()] if footnotes.numbers else [table]


def _plain(value):
    """A value of a JSON document as one line of text for a table cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_plain(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(
            f"{key}: {_plain(item)}" for key, item in value.items() if item not in (None, [], "")
        )
    return str(value)


# --- drafts and quotes (facts draft, facts quote) ----------------------------------------


def draft_documents(result):
    """Each candidate in the shape `facts add` accepts, with the people it names (which add ignores)."""
    return [{**candidate.record, "people": list(candidate.people)} for candidate in result.candidates]


def quote_documents(found):
    return [{"source": found.source_id, "file": found.file, **span._asdict()} for span in found.spans]


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
        heading.append(f"  {literal(record['date'] or 'undated')}")
        heading.append(f"  characters {citation['start']}–{citation['end']}", style="dim")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        grid.add_row("quote", _anchored(citation["quote"], citation["prefix"], citation["suffix"]))
        if record["kind"] == "role":
            grid.add_row("claim", cell(record["claim"]))
        if record["date_note"]:
            grid.add_row("date note", cell(record["date_note"]))
        for name in _kind_fields(record):
            value = record[name]
            grid.add_row(
                name, _grade(value) if name == "judgment" else cell("null" if value is None else value)
            )
        if candidate.people:
            grid.add_row("people", cell(", ".join(candidate.people)))
        drawn.append(Group(heading, grid))
    drawn.append(_draft_summary(result))
    return drawn


def _kind_fields(record):
    from .model import KINDS

    return [name for name in KINDS[record["kind"]] if name not in ("start", "end", "post") or record[name]]


def _draft_summary(result):
    from rich.text import Text

    from .draft import FURNITURE

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
