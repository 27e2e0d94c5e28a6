"""How dates, tenures and judgments read in text: one wording for the terminal, the brief and the site."""

from __future__ import annotations

from .escape import literal


def publication(published, basis):
    """A publication date as a reader should quote it: an inferred date says so. The terminal,
    the brief and the site all word it so."""
    if not published:
        return "undated"
    return published + (" (inferred)" if basis == "inferred" else "")


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


def made(context):
    made = literal(context["made"])
    if context["made_basis"] == "inspected":
        return f"{made} (inspected; publication date not on record)"
    if context["made_basis"] == "date":
        return f"{made} (neither inspection nor publication date on record)"
    return made


def rating_status(context):
    later = context["next_judgment"]
    following = f"next judgment on record {later}" if later else "no later judgment on record"
    if context["basis"] == "made in year":
        return f"made in {context['year']}; {following}"
    if context["basis"] == "carried forward":
        return f"carried forward to {context['year']} from {context['made']}; {following}"
    return following


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
