"""Drawing answers: rich text for a person, JSON, JSON lines or CSV for scripts. Never touches the store."""

import io
import json
import re
import sys

from .model import JUDGMENTS

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
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def literal(text):
    """Text from the store made safe to show: control characters become visible escapes like \\x1b."""
    if text is None:
        return ""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


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


def documents(result):
    """The JSON-ready objects of an answer (a query.Answer)."""
    if result.view == "sources":
        return [source_document(summary) for summary in result.hits]
    if result.view == "conflicts":
        return [conflict_document(conflict, result.sources) for conflict in result.hits]
    return [
        fact_document(hit.fact, result.sources, hit.context, result.conflicts.get(hit.fact.id, ()))
        for hit in result.hits
    ]


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
    return documents_text(documents(result), fmt)


def documents_text(docs, fmt):
    """JSON-ready documents as json, jsonl or csv text."""
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


def published_text(source):
    """A source's date as a reader should quote it: an inferred date says so."""
    if not source.published:
        return "undated"
    return literal(source.published) + (" (inferred)" if source.published_basis == "inferred" else "")


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


def renderables(result):
    """What to draw for an answer (a query.Answer)."""
    if not result.hits:
        # The note on stderr says why; an empty table would only add noise.
        return []
    if result.view == "sources":
        return [_sources_table(result.hits)]
    if result.view == "show":
        return [_show(result.hits[0].fact, result.sources, result.conflicts.get(result.hits[0].fact.id, ()))]
    footnotes = Footnotes(result.sources)
    if result.view == "conflicts":
        return [_conflicts(result.hits, footnotes), footnotes.renderable()]
    if result.view == "rating":
        table = _table(
            result.title,
            ("Made", {}),
            ("Grade", {"no_wrap": True}),
            ("Area", {}),
            ("Status", {}),
            ("Cited", {"no_wrap": True}),
        )
        for hit in result.hits:
            table.add_row(
                cell(_made(hit.context)),
                _grade(hit.fact.fields["judgment"]),
                cell(hit.fact.fields["area"]),
                cell(_rating_status(hit.context)),
                _refs(result, hit.fact, footnotes),
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
                cell(tenure_text(hit.fact, hit.context)),
                _refs(result, hit.fact, footnotes),
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
            table.add_row(
                cell(dated(hit.fact)),
                cell(hit.fact.kind),
                _claim(hit.fact),
                _refs(result, hit.fact, footnotes),
            )
    drawn = [table]
    if result.view == "rating" and result.strip:
        drawn.append(_rating_strip(result.strip))
    if result.conflicts:
        drawn.append(_disagreements(result))
    if footnotes.numbers:
        drawn.append(footnotes.renderable())
    return drawn


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
    grid.add_column()
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
    grid.add_column()
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
        text = Text()
        text.append(f"“{literal(citation.quote)}”\n", style="italic")
        text.append(_source_line(sources[citation.source]), style="dim")
        if citation.as_of:
            text.append(f"\nplaces the claim as of {literal(citation.as_of)}", style="dim")
        text.append(f"\nfile {literal(sources[citation.source].file)}", style="dim")
        grid.add_row(f"citation {number}", text)
    for conflict in conflicts:
        text = Text(f"{CONFLICT_MARK} {literal(conflict.note)}\n")
        text.append(f"see facts conflicts ({literal(conflict.id)})", style="dim")
        grid.add_row("disputed", text)
    return grid


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
        table.add_row(cell(source.id), published_text(source), details, str(summary.facts))
    return table


def draw(result, file=None):
    out = console(file)
    for renderable in renderables(result):
        out.print(renderable)


# --- drafts and quotes (facts draft, facts quote) ----------------------------------------


def draft_documents(result):
    """Each candidate in the shape `facts add` accepts, with the people it names (which add ignores)."""
    return [{**candidate.record, "people": list(candidate.people)} for candidate in result.candidates]


def quote_documents(found):
    return [
        {"source": found.source_id, "file": found.file, **span._asdict()} for span in found.spans
    ]


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
            grid.add_row(name, _grade(value) if name == "judgment" else cell("null" if value is None else value))
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
    text.append(f"\nDates resolved against publication date {literal(result.published)}." if result.published else
                "\nNo publication date (give --published): relative dates are left unresolved.")
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
