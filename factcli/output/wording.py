"""How dates, tenures and judgments read in text: one wording for the terminal, the brief and the site.

Wherever a date is printed, how it is known goes with it: a bound reads "by 2021-03" or
"after 2018-12", and a date the sources do not state carries its basis in brackets. A reporter
quoting any line of output quotes its caveat too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.kinds import marked_basis
from .escape import literal

# What each mark means, for the legends of the brief and the site.
LEGEND = (
    ("by, after", "a bound the sources give: the date is not known more closely"),
    ("(reported)", "when a source reported it; the source does not date the event itself"),
    ("(inferred)", "worked out from the text: a relative date, or a date the text implies; the fact says how"),
    ("(outside the sources)", "known from outside the sources, which are named in the fact's date note"),
    ("(planned)", "a start or end a source said would happen, not that it did"),
)


def marked(date: str, basis: str | None) -> str:
    """A date with the mark of how it is known (core.kinds.BASIS_WORDS); a stated or printed date
    carries none, a bounded one its bound."""
    mark = marked_basis(basis)
    return f"{date} ({mark})" if mark else date


def publication(
    published: str | None, basis: str | None, after: str | None = None, before: str | None = None
) -> str:
    """A publication date as a reader should quote it: one not printed in the text says how it
    is known, and a source known only by bounds reads "after 2024-08-22" (or "before ...", or
    "between ... and ..."). The terminal, the brief and the site all word it so."""
    if published:
        return marked(published, basis)
    if after and before:
        return marked(f"between {after} and {before}", basis)
    if after or before:
        return marked(f"after {after}" if after else f"before {before}", basis)
    return "undated"


def dated(fact: Any) -> str:
    """A fact's date as the sources give it: a bound reads "by 2021-03" or "after 2018-12", and a
    date not stated in the quotes carries its basis: "2024 (outside the sources)"."""
    if not fact.date:
        return "undated"
    text = f"{fact.date_bound} {fact.date}" if fact.date_bound else fact.date
    basis = fact.date_basis if fact.date_basis or not fact.date_bound else "bounded"
    return marked(text, basis)


UNDATED = "Date not known"


def filed_under(fact):
    """The heading a fact goes under: its year, or for a date known only as a bound, the bound
    itself ("after 2018-12"), never a year it may not belong to; undated facts last."""
    if not fact.date:
        return UNDATED
    return dated(fact) if fact.date_bound else fact.date[:4]


# How a role's start or end reads, by how it is known (core.kinds.TENURE_BASES).
_SIDES = {
    ("start", "stated"): "started {} (stated)",
    ("start", "planned"): "due to start {} (planned)",
    ("start", "inferred"): "started {} (inferred)",
    ("end", "stated"): "ended {} (stated)",
    ("end", "planned"): "due to end {} (planned)",
    ("end", "inferred"): "ended {} (inferred)",
}


def tenure_text(fact: Any, context: Mapping[str, Any]) -> str:
    """A tenure as the evidence gives it: the span the citations attest, each start or end with
    how it is known, and a presumption said as one."""
    first, last = context["first_on_record"], context["last_on_record"]
    if first is None:
        parts = ["no date on record"]
    else:
        first_text = marked(first, context.get("first_on_record_basis"))
        last_text = marked(last, context.get("last_on_record_basis"))
        parts = [f"on record {first_text}" if first == last else f"on record {first_text} to {last_text}"]
    for side in ("start", "end"):
        if fact.fields[side]:
            basis = fact.fields.get(f"{side}_basis") or "stated"
            parts.append(_SIDES[side, basis].format(fact.fields[side]))
    text = "; ".join(parts)
    if context["basis"] == "presumed":
        text += f"; presumed in {context['year']}: no end on record and no later holder on record"
    return text


def made(context: Mapping[str, Any]) -> str:
    """When a judgment was made, as far as the sources say."""
    when = literal(context["made"])
    if context["made_basis"] == "inspected":
        return f"inspected {when}; publication not on record"
    if context["made_basis"] == "date":
        return f"{when} (neither inspection nor publication date on record)"
    return when


def _next(context: Mapping[str, Any]) -> str:
    later = context["next_judgment"]
    if not later:
        return "no later judgment on record"
    if context.get("next_judgment_basis") == "inspected":
        return f"next judgment inspected {later}, publication not on record"
    return f"next judgment on record {later}"


def rating_status(context: Mapping[str, Any]) -> str:
    """How a judgment stands in the year asked about (answers.rating's bases), and what came next."""
    year, basis, following = context["year"], context["basis"], _next(context)
    if basis == "made in year":
        return f"made in {year}; {following}"
    if basis == "carried forward":
        return f"carried forward to {year} from {made(context)}; {following}"
    if basis == "until superseded":
        return (
            f"may have been in force in {year}: it stood until the next judgment (inspected"
            f" {context['next_judgment']}) was published, a date not on record"
        )
    if basis == "publication not on record":
        inspected = context["made"]
        if inspected.startswith(str(year)):
            return f"inspected in {year}; publication not on record"
        return f"inspected {inspected}; publication not on record, so it may have been made in {year}"
    return following


def conflict_note(note: str, contradiction: bool) -> str:
    """A conflict's note, saying first when the record is a caution rather than a contradiction."""
    return note if contradiction else f"Not a contradiction. {note}"


def strip_scope(strip: list) -> str:
    """What each stretch of the strip shows: the area judged and when that judgment was made, or
    why the judgment in force is not known."""
    stretches: list[dict[str, Any]] = []
    for cell in strip:
        key = (cell.judgment is None, cell.made, cell.area)
        if stretches and stretches[-1]["key"] == key:
            stretches[-1]["last"] = cell.year
        else:
            stretches.append({"key": key, "first": cell.year, "last": cell.year, "cell": cell})
    described = []
    for stretch in stretches:
        cell = stretch["cell"]
        years = f"{stretch['first']}" if stretch["first"] == stretch["last"] else f"{stretch['first']}–{stretch['last']}"
        if cell.judgment is None:
            described.append(
                f"{years} not known: the judgment inspected {literal(cell.made)} ({literal(cell.area)}) has no"
                " publication date on record"
            )
        else:
            when = made({"made": cell.made, "made_basis": cell.made_basis})
            described.append(f"{years} {literal(cell.area)} ({'judgment made ' if cell.made_basis != 'inspected' else ''}{when})")
    return "; ".join(described)


def counted(count: int, noun: str) -> str:
    """'1 conflict', '14 conflicts': a count with its noun (a regular plural)."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
