"""A briefing to paste or send: the facts in date order, one footnoted sentence each, as Markdown or HTML."""

import re

from ..answers import listing
from ..core.tuples import Record
from ..output.documents import citation_documents
from ..output.escape import literal
from ..output.wording import LEGEND, conflict_note, dated, filed_under
from .templating import published



class Sentence(Record):
    """One fact in the account: when, what, its footnote and the footnotes of conflicts touching it."""

    fact_id: str
    when: str
    text: str
    note: int
    conflict_notes: tuple


class Note(Record):
    """A footnote: the citations of a fact (fact_id set) or of a conflict (conflict_id and text set)."""

    number: int
    citations: list
    fact_id: str | None = None
    conflict_id: str | None = None
    text: str | None = None


class Brief(Record):
    title: str
    built: str
    facts: int
    sources: int
    sections: list  # (heading, [Sentence]) in date order
    notes: list
    empty: str | None = None


def _sentence(claim):
    claim = " ".join(claim.split())
    return claim if claim.endswith((".", "!", "?", "…")) else claim + "."


def _span(start, end):
    if start is None and end is None:
        return "all years on record"
    if start == end:
        return str(start)
    if start is None:
        return f"to {end}"
    if end is None:
        return f"from {start}"
    return f"{start}–{end}"


def compose(store, today, start=None, end=None, topic=None):
    """The briefing's content: facts from timeline (undated ones only when no years are given),
    kept to those search finds for topic, with a footnote per fact and per conflict touching one."""
    answer = listing.timeline(store, start=start, end=end, undated=start is None and end is None)
    hits = answer.hits
    if topic:
        found = {hit.fact.id for hit in listing.search(store, topic).hits}
        hits = [hit for hit in hits if hit.fact.id in found]
    title = f"{store.meta.title}, {_span(start, end)}"
    if topic:
        title += f": {topic}"
    notes, conflict_numbers, sections = [], {}, {}
    for hit in hits:
        fact = hit.fact
        note = Note(len(notes) + 1, citation_documents(fact.citations, store.sources), fact_id=fact.id)
        notes.append(note)
        marks = []
        for conflict in answer.conflicts.get(fact.id, ()):
            if conflict.id not in conflict_numbers:
                conflict_numbers[conflict.id] = len(notes) + 1
                notes.append(
                    Note(
                        len(notes) + 1,
                        citation_documents(conflict.citations, store.sources),
                        conflict_id=conflict.id,
                        text=("Sources disagree: " if conflict.contradiction else "")
                        + conflict_note(conflict.note, conflict.contradiction),
                    )
                )
            marks.append(conflict_numbers[conflict.id])
        # Each heading once, where its first fact falls in date order: a year's facts stay together,
        # and a bound's ("after 2019-02") follow the first fact of their date.
        sections.setdefault(filed_under(fact), []).append(
            Sentence(fact.id, dated(fact), _sentence(fact.claim), note.number, tuple(marks))
        )
    empty = None
    if not hits:
        empty = "No fact on record matches" + (f" {topic!r}" if topic else "") + f" ({_span(start, end)})."
    return Brief(
        title=title,
        built=today.isoformat(),
        facts=len(store.select()),
        sources=len(store.sources),
        sections=list(sections.items()),
        notes=notes,
        empty=empty,
    )


# --- Markdown -------------------------------------------------------------------------------

# Characters that start emphasis, code, links, footnotes, strikethrough or table cells anywhere
# in a line; a backslash makes each plain text in CommonMark and in older Markdowns alike.
_INLINE = re.compile(r"([\\`*_\[\]~|])")
# An ampersand that would start a character reference and an angle bracket that would start
# raw HTML or an autolink are backslash-escaped too; any other & or < is left as it is, so the
# Markdown reads as the source's text ("B&B", not "B&amp;B") and no HTML can be formed.
_LIVE = re.compile(r"&(?=#?[0-9A-Za-z]+;)|<(?=[A-Za-z/!?])")
# What would start a heading, quote, list or rule if store text ever began a line.
# Only punctuation can be backslash-escaped, so a list number keeps its digits and loses its dot.
_LINE_START = re.compile(r"^(?:[0-9]*[.)]|[#+\-=>])")


_BREAKS = re.compile(r"[ \t\n]+")


def markdown_text(value):
    """Store text as Markdown that shows exactly that text: controls visible, one line, nothing live.
    Only line breaks and runs of ASCII spaces become one space (Markdown would fold them anyway); a
    no-break space or any other character of a quote stays as the source has it."""
    text = _BREAKS.sub(" ", literal(value)).strip(" ")
    text = _INLINE.sub(r"\\\1", text)
    text = _LIVE.sub(lambda m: "\\" + m.group(), text)
    return _LINE_START.sub(lambda m: m.group()[:-1] + "\\" + m.group()[-1], text)


def _cited(citation):
    source = ", ".join(
        markdown_text(part)
        for part in (citation["title"], citation["publisher"] or "publisher not shown", published(citation))
    )
    unchecked = " (not yet checked against the source's text)" if citation.get("start") is None else ""
    return f"“{markdown_text(citation['quote'])}” — {source}{unchecked}"


def markdown(brief):
    """The briefing as Markdown with standard footnotes ([^1])."""
    lines = [f"# {markdown_text(brief.title)}", "", markdown_text(_about(brief)), ""]
    if brief.empty:
        lines += [markdown_text(brief.empty), ""]
    for heading, sentences in brief.sections:
        lines += [f"## {markdown_text(heading)}", ""]
        for sentence in sentences:
            flags = "".join(f" ⚑[^{number}]" for number in sentence.conflict_notes)
            when = f"**{markdown_text(sentence.when)}**: " if sentence.when != "undated" else ""
            lines.append(f"- {when}{markdown_text(sentence.text)}[^{sentence.note}]{flags}")
        lines.append("")
    for note in brief.notes:
        cited = " ".join(_cited(citation) + "." for citation in note.citations)
        if note.fact_id:
            lines.append(f"[^{note.number}]: {cited} Fact {markdown_text(note.fact_id)}.")
        else:
            lines.append(
                f"[^{note.number}]: ⚑ {markdown_text(note.text)} {cited} Conflict {markdown_text(note.conflict_id)}."
            )
    return "\n".join(lines).rstrip("\n") + "\n"


def _about(brief):
    marks = "; ".join(f"“{mark}”: {meaning}" for mark, meaning in LEGEND)
    return (
        f"From the facts store ({brief.facts} facts quoting {brief.sources} source documents), "
        f"as of {brief.built}. Each sentence is a claim from the store; its footnote quotes the "
        f"source. How each date is known goes with it, here and in the footnotes' publication dates: "
        f"{marks}; a date with no mark is stated in the quotes or printed. ⚑ marks a claim the sources "
        "disagree about, or one to quote with care."
    )


def html(brief):
    """The briefing as one self-contained HTML page."""
    from .templating import render

    return render("brief.html", brief=brief, about=_about(brief))
