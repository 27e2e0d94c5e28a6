"""What a curator gives, read into the store's records: JSON documents shaped as answers print
them, and the typed values of --field, --set and meta."""

from __future__ import annotations

import json
import re
from typing import Any

from ..core.kinds import (
    ANCHOR_KEYS,
    CURATION_KEYS,
    KINDS,
    OUTPUT_ONLY_CITATION_KEYS,
    OUTPUT_ONLY_FACT_KEYS,
    OUTPUT_ONLY_SOURCE_KEYS,
    PUBLISHED_BOUNDS,
)
from ..core.meta import META_KEYS
from ..storage.files import StrictJSONError, parse_json


def parse_json_value(text: str, origin: str) -> Any:
    """Any JSON value from text by the store's strict rules, or ValueError naming origin, line and column."""
    try:
        return parse_json(text)
    except StrictJSONError as error:
        raise ValueError(f"{origin}: {error}") from None
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{origin}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except RecursionError:
        raise ValueError(f"{origin}: JSON nested too deeply") from None


def parse_json_documents(text: str, origin: str) -> list[tuple[str, Any]]:
    """The facts of an import, each with where it came from: a JSON object, a JSON array of
    objects, or JSON lines (one object a line). ValueError naming origin and place."""
    try:
        document = parse_json_value(text, origin)
    except ValueError as whole:
        lines = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
        try:
            first = parse_json_value(lines[0][1], origin) if len(lines) > 1 else None
        except ValueError:
            first = None
        if not isinstance(first, dict):
            raise whole from None  # one document over several lines, broken somewhere
        found = [
            (f"line {number}", parse_json_value(line, f"{origin} line {number}")) for number, line in lines
        ]
    else:
        found = (
            [(f"item {n}", item) for n, item in enumerate(document, 1)]
            if isinstance(document, list)
            else [("", document)]
        )
    for place, item in found:
        if not isinstance(item, dict):
            raise ValueError(
                f"{origin}{' ' + place if place else ''}: expected a JSON object, got {type(item).__name__}"
            )
    if not found:
        raise ValueError(f"{origin}: an empty list holds no fact")
    return found


def parse_json_document(text: str, origin: str) -> dict:
    """A JSON object from text, or ValueError naming origin, line and column."""
    document = parse_json_value(text, origin)
    # `facts show ID --json` prints a one-element array; take it as its one fact.
    if isinstance(document, list) and len(document) == 1:
        document = document[0]
    if not isinstance(document, dict):
        raise ValueError(f"{origin}: expected a JSON object, got {type(document).__name__}")
    return document


def fact_record(document: Any) -> dict:
    """A fact record from a document shaped like `facts show ID --json`, output-only keys dropped."""
    # When a fact was added and changed, and its history, are the tool's to write.
    record = {
        key: value
        for key, value in document.items()
        if key not in OUTPUT_ONLY_FACT_KEYS and key not in CURATION_KEYS
    }
    # Answers spell absent optional keys as null; the store leaves them out.
    for key in ("retracted", "date_bound"):
        if record.get(key, "absent") is None:
            del record[key]
    if isinstance(record.get("citations"), list):
        record["citations"] = [_citation_record(citation) for citation in record["citations"]]
    kind = record.get("kind")
    kind_fields = KINDS.get(kind, {}) if isinstance(kind, str) else {}
    # An answer has every kind's fields, null where a fact's kind has none; those are dropped.
    other_fields = {name for fields in KINDS.values() for name in fields} - set(kind_fields)
    record = {key: value for key, value in record.items() if not (key in other_fields and value is None)}
    # Unknown optional values may be left out of the input; the store spells them as null.
    for name, spec in kind_fields.items():
        if spec.nullable:
            record.setdefault(name, None)
    record.setdefault("date", None)
    record.setdefault("date_note", None)
    return record


def _citation_record(citation):
    # Answers print null for an as_of or an anchor a citation does not have; the store leaves them out.
    if not isinstance(citation, dict):
        return citation
    return {
        key: value
        for key, value in citation.items()
        if key not in OUTPUT_ONLY_CITATION_KEYS and not (key in ("as_of", *ANCHOR_KEYS) and value is None)
    }


def source_record(document: Any) -> dict:
    """A source record from a document shaped like `facts sources --json` prints one,
    output-only keys dropped; bounds not given are left out."""
    record = {key: value for key, value in document.items() if key not in OUTPUT_ONLY_SOURCE_KEYS}
    for key in ("publisher", "published", "published_basis", "published_note", "url"):
        record.setdefault(key, None)
    for key in PUBLISHED_BOUNDS:
        if record.get(key, "absent") is None:
            del record[key]
    return record


def field_value(kind: str | None, name: str, text: str) -> Any:
    """A --field/--set value typed by the schema: numbers for number fields, 'null' for none,
    JSON for citations, plain text for everything else."""
    if name == "citations":
        return parse_json_value(text, "citations")
    if text == "null":
        return None
    spec = KINDS.get(kind, {}).get(name) if kind is not None else None
    if spec is not None and spec.type == "number":
        return parse_number(name, text)
    return text


# A JSON number in ASCII: float() would also take "inf", "nan", "1_000", " 5" and Arabic digits.
NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?\Z")


def parse_number(name: str, text: str) -> Any:
    """The number text spells, exactly: an int when it has no fraction or exponent, else a finite
    float; ValueError for anything else."""
    if not NUMBER.match(text):
        raise ValueError(f"{name} must be a number written in ASCII digits, not {text!r}")
    try:
        return parse_json(text)
    except StrictJSONError as error:
        raise ValueError(f"{name}: {error}") from None


def record_value(table: str, kind: str | None, name: str, text: str) -> Any:
    """A --set value of a field of a fact (of kind), a conflict or a source, typed by its schema:
    'null' for none; for a conflict, its facts as JSON or comma-separated ids and contradiction
    as true or false; JSON for citations; text for the rest."""
    if table == "facts":
        return field_value(kind, name, text)
    if name == "citations":
        return parse_json_value(text, "citations")
    if text == "null":
        return None
    if table == "conflicts" and name == "facts":
        if text.lstrip().startswith("["):
            return parse_json_value(text, "facts")
        return [fact_id.strip() for fact_id in text.split(",") if fact_id.strip()]
    if table == "conflicts" and name == "contradiction":
        if text not in ("true", "false"):
            raise ValueError(f"contradiction must be true or false, not {text!r}")
        return text == "true"
    return text


def conflict_record(document: Any) -> dict:
    """A conflict record from a document shaped like `facts conflicts --json` prints one,
    output-only keys dropped (the tool writes curation times and history)."""
    record = {key: value for key, value in document.items() if key not in CURATION_KEYS}
    if record.get("retracted", "absent") is None:
        del record["retracted"]
    if isinstance(record.get("citations"), list):
        record["citations"] = [_citation_record(citation) for citation in record["citations"]]
    return record


RECORD_FROM_DOCUMENT = {"facts": fact_record, "conflicts": conflict_record, "sources": source_record}


def meta_value(key: str, text: str) -> Any:
    """A --set value for a key of the store's meta, typed by META_KEYS: text; a list given
    comma-separated (best first, for a scale); a map given as comma-separated NAME=MEANING pairs;
    JSON for either; null (or nothing) to clear. ValueError for an unknown key or a malformed pair."""
    if key not in META_KEYS:
        raise ValueError(f"meta has no key {key!r}; keys: {', '.join(META_KEYS)}")
    kind = META_KEYS[key][0]
    stripped = text.strip()
    if stripped in ("", "null"):
        return None
    if kind != "text" and stripped[:1] in "[{":
        return parse_json_value(stripped, f"{key}")
    if kind == "text":
        return text
    items = [item.strip() for item in text.split(",") if item.strip()]
    if kind == "list":
        return items
    pairs = {}
    for item in items:
        name, equals, meaning = item.partition("=")
        if not equals or not name.strip() or not meaning.strip():
            raise ValueError(f"{key}: {item!r} must be NAME=MEANING")
        pairs[name.strip()] = meaning.strip()
    return pairs
