"""Curation documents from command-line flags: what add and add-conflict are given as flags, as the JSON they would be given."""

from ..curation import intake


def document_from_options(
    kind, claim, date, date_note, fact_id, source, quote, fields=(), cites=(), date_basis=None, date_bound=None
):
    """A fact document from command-line flags; ValueError for a flag that is malformed."""
    document = {"kind": kind, "claim": claim, "date": date, "date_note": date_note}
    if date_basis is not None:
        document["date_basis"] = date_basis
    if date_bound is not None:
        document["date_bound"] = date_bound
    if fact_id:
        document["id"] = fact_id
    if (source is None) != (quote is None):
        raise ValueError("--source and --quote go together")
    citations = [{"source": source, "quote": quote}] if source is not None else []
    document["citations"] = citations + parse_cites(cites)
    for assignment in fields:
        name, value = split_assignment(assignment, "--field")
        document[name] = intake.field_value(kind, name, value)
    return document


def parse_cites(cites):
    """Citations from --cite SOURCE_ID:QUOTE flags; ValueError for one without its colon."""
    citations = []
    for cite in cites:
        source_id, colon, cited = cite.partition(":")
        if not colon:
            raise ValueError(f"--cite {cite!r} must be SOURCE_ID:QUOTE")
        citations.append({"source": source_id.strip(), "quote": cited})
    return citations


def split_assignment(text, option):
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise ValueError(f"{option} {text!r} must be KEY=VALUE")
    return name.strip(), value


def conflict_from_options(conflict_id, facts, note, cites, contradiction):
    """A conflict document from command-line flags; ValueError for a flag that is malformed."""
    document = {"facts": list(facts), "note": note, "citations": parse_cites(cites)}
    if conflict_id:
        document["id"] = conflict_id
    if contradiction is not None:
        document["contradiction"] = contradiction
    return document
