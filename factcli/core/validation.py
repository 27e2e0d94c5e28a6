"""Validation: every way a record, or a whole store, breaks the schema."""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Container, Iterable, Iterator, Mapping

from .dates import date_span, parse_partial_date
from .kinds import (
    ANCHOR_CONTEXT,
    ANCHOR_KEYS,
    CITATION_KEYS,
    CHANGE_KEYS,
    CITING_TABLES,
    COMMON_FACT_KEYS,
    CONFLICT_KEYS,
    DATE_BASES,
    DATE_BOUNDS,
    CURATION_KEYS,
    HISTORY_ACTIONS,
    HISTORY_KEYS,
    KINDS,
    OPTIONAL_CONFLICT_KEYS,
    OPTIONAL_FACT_KEYS,
    OPTIONAL_SOURCE_KEYS,
    PUBLISHED_BASES,
    PUBLISHED_BOUNDS,
    SOURCE_KEYS,
)
from .meta import DEFAULT_TITLE, meta_of, meta_problems
from .records import Problem, document_order
from .text import normalise_claim

# [0-9] and \Z, not \d and $: \d takes any script's digits and $ allows a final newline.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
# The largest integer every JSON reader holds exactly (JavaScript's Number.MAX_SAFE_INTEGER):
# beyond it jq or a browser silently rounds what the store says.
LARGEST_EXACT_INTEGER = 2**53 - 1
# A lone surrogate is half a UTF-16 pair: undecodable bytes in argv, or "\ud800" in JSON.
# It cannot be written as UTF-8, so no stored text may hold one.
_SURROGATE = re.compile("[\ud800-\udfff]")
SHA256 = re.compile(r"[0-9a-f]{64}\Z")
# When a record was added or changed: UTC, to the second.
TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\Z")
# An id names files (facts site writes facts/ID.html, sources/ID.html), so it must fit every
# file system a store or site lands on: 255 bytes a name on ext4, XFS, Btrfs, APFS and NTFS,
# but 143 on eCryptfs (encrypted home folders). An id is a slug, ASCII, one byte a character:
# 120, with ".html" and room for a "-2"-style suffix, stays under 143.
MAX_ID_LENGTH = 120
URL = re.compile(r"https?://\S+\Z")


def _check_text(value, nullable=False):
    if value is None:
        return None if nullable else "is missing"
    if not isinstance(value, str):
        return f"must be text, not {type(value).__name__}"
    if not value.strip():
        return "is empty"
    if _SURROGATE.search(value):
        return "holds a lone surrogate (text that was not valid UTF-8)"
    return None


def _check_date(value, nullable=False):
    if value is None:
        return None if nullable else "is missing"
    try:
        parse_partial_date(value)
    except ValueError as error:
        return str(error)
    return None


def _check_number(value, nullable=False):
    if value is None:
        return None if nullable else "is missing"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"must be a number, not {type(value).__name__}"
    if isinstance(value, float) and not math.isfinite(value):
        return f"must be a finite number, not {value}"
    if isinstance(value, int) and abs(value) > LARGEST_EXACT_INTEGER:
        return f"must be at most {LARGEST_EXACT_INTEGER} in size, which JSON readers hold exactly"
    return None


CHECKERS = {"text": _check_text, "date": _check_date, "number": _check_number}


def _id_problems(value):
    if not isinstance(value, str) or not value:
        return []  # reported as missing or not text
    if not SLUG.match(value):
        return ["id must be a slug of lowercase letters, digits and hyphens"]
    if len(value) > MAX_ID_LENGTH:
        return [f"id is {len(value)} characters long; at most {MAX_ID_LENGTH}, so that it fits in a file name"]
    return []


def _record_id(record, fallback):
    value = record.get("id") if isinstance(record, dict) else None
    return value if isinstance(value, str) and value else fallback


def source_problems(record: object, fallback_id: str = "?") -> list[Problem]:
    """Every way one source record breaks the schema."""
    record_id = _record_id(record, fallback_id)
    if not isinstance(record, dict):
        return [Problem("source", record_id, "must be a JSON object")]
    found = []
    for key in sorted(set(record) - set(SOURCE_KEYS) - set(OPTIONAL_SOURCE_KEYS) - set(CURATION_KEYS), key=str):
        found.append(f"unknown field {key!r}")
    for key, check, nullable in (
        ("id", _check_text, False),
        ("title", _check_text, False),
        ("publisher", _check_text, True),
        ("published", _check_date, True),
        ("published_basis", _check_text, True),
        ("published_note", _check_text, True),
        ("file", _check_text, False),
    ):
        if key not in record:
            found.append(f"{key} is missing")
        elif problem := check(record[key], nullable):
            found.append(f"{key} {problem}")
    basis = record.get("published_basis")
    bounds = _bound_problems(record)
    found.extend(bounds)
    known = record.get("published") is not None or any(record.get(key) is not None for key in PUBLISHED_BOUNDS)
    if not known and basis is not None:
        found.append("published_basis must be null when published is null (and no bound is given)")
    elif known and basis not in PUBLISHED_BASES:
        found.append(f"published_basis must be one of: {', '.join(PUBLISHED_BASES)} (how the date is known)")
    elif basis in ("inferred", "outside") and not record.get("published_note"):
        found.append(
            f"published_note must say how a publication date that is {basis} was worked out"
            + (", naming the outside knowledge" if basis == "outside" else "")
        )
    found.extend(_id_problems(record.get("id")))
    if isinstance(record.get("file"), str) and ("/" in record["file"] or "\\" in record["file"]):
        found.append("file must be a bare file name in the sources folder")
    sha256, url = record.get("sha256"), record.get("url")
    if sha256 is not None and not (isinstance(sha256, str) and SHA256.match(sha256)):
        found.append("sha256 must be 64 lowercase hexadecimal digits, or null")
    if problem := _check_text(url, nullable=True):
        found.append(f"url {problem}")
    elif url is not None and not URL.match(url):
        found.append("url must be an http:// or https:// address, or null")
    found.extend(_curation_problems(record))
    return [Problem("source", record_id, message) for message in found]


def _bound_problems(record):
    """A source whose date is not known may be known to be after one date, before another, or
    both (published_after, published_before): dates, in order, and only without published."""
    found = []
    for key in PUBLISHED_BOUNDS:
        if key in record and (problem := _check_date(record[key], nullable=True)):
            found.append(f"{key} {problem}")
    if found:
        return found
    after, before = (record.get(key) for key in PUBLISHED_BOUNDS)
    if record.get("published") is not None and (after is not None or before is not None):
        found.append("published_after and published_before bound a date that is not known: give published or them, not both")
    if after is not None and before is not None and date_span(after)[0] > date_span(before)[1]:
        found.append(f"published_after {after} is after published_before {before}")
    return found


def fact_problems(
    record: object, source_ids: Collection[str], fallback_id: str = "?", scale: Collection[str] = ()
) -> list[Problem]:
    """Every way one fact record breaks the schema, given the ids of the known sources and the
    store's grade scale (a rating's judgment must be on it; with no scale, any grade is taken)."""
    record_id = _record_id(record, fallback_id)
    if not isinstance(record, dict):
        return [Problem("fact", record_id, "must be a JSON object")]
    found = []
    kind = record.get("kind")
    if not isinstance(kind, str):
        kind = repr(kind)  # a list or object is reported, not hashed
    if kind not in KINDS:
        found.append(f"kind {kind!r} is not one of: {', '.join(KINDS)}")
        kind_fields = {}
    else:
        kind_fields = KINDS[kind]
    allowed = set(COMMON_FACT_KEYS) | set(OPTIONAL_FACT_KEYS) | set(kind_fields)
    for key in sorted(set(record) - allowed, key=str):
        found.append(f"unknown field {key!r}" + (f" for kind {kind}" if kind in KINDS else ""))
    for key, check, nullable in (
        ("id", _check_text, False),
        ("claim", _check_text, False),
        ("date", _check_date, True),
    ):
        if key not in record:
            found.append(f"{key} is missing")
        elif problem := check(record[key], nullable):
            found.append(f"{key} {problem}")
    found.extend(_id_problems(record.get("id")))
    if problem := _check_text(record.get("date_note"), nullable=True):
        found.append(f"date_note {problem}")
    bound = record.get("date_bound")
    if bound is not None and bound not in DATE_BOUNDS:
        found.append(f"date_bound {bound!r} is not one of: {', '.join(DATE_BOUNDS)}")
    elif bound is not None and record.get("date") is None:
        found.append("date_bound needs a date to bound")
    found.extend(_date_basis_problems(record))
    for name, spec in kind_fields.items():
        if name not in record:
            if spec.optional:
                continue
            found.append(f"{name} is missing (use null if unknown)" if spec.nullable else f"{name} is missing")
            continue
        value = record[name]
        if problem := CHECKERS[spec.type](value, spec.nullable):
            found.append(f"{name} {problem}")
        elif spec.choices and value is not None and value not in spec.choices:
            found.append(f"{name} {value!r} is not one of: {', '.join(spec.choices)}")
    if kind == "role":
        found.extend(_tenure_problems(record))
    if kind == "rating" and scale and isinstance(record.get("judgment"), str) and record["judgment"] not in scale:
        found.append(f"judgment {record['judgment']!r} is not on the store's scale: {', '.join(scale)}")
    found.extend(_citation_problems(record.get("citations"), source_ids))
    if "retracted" in record:
        found.extend(_retraction_problems(record["retracted"]))
    found.extend(_curation_problems(record))
    return [Problem("fact", record_id, message) for message in found]


def _date_basis_problems(record):
    """How the date is known must fit what is recorded: a bound for bounded, a note for what was
    worked out or taken from outside the sources, and no basis without a date."""
    basis = record.get("date_basis")
    if basis is None:
        return []
    if basis not in DATE_BASES:
        return [f"date_basis {basis!r} is not one of: {', '.join(DATE_BASES)}"]
    found = []
    if record.get("date") is None:
        found.append("date_basis needs a date (null when the date is unknown)")
    if (basis == "bounded") != (record.get("date_bound") is not None):
        found.append("date_basis is bounded exactly when date_bound says which bound (by or after)")
    if basis in ("inferred", "outside") and not record.get("date_note"):
        found.append(f"date_note must say how a date that is {basis} was worked out" + (
            ", naming the outside knowledge" if basis == "outside" else ""
        ))
    return found


def _tenure_problems(record):
    found = []
    for side in ("start", "end"):
        basis = record.get(f"{side}_basis")
        if basis is not None and record.get(side) is None:
            found.append(f"{side}_basis needs a {side}")
        if basis == "inferred" and not record.get("tenure_note"):
            found.append(f"tenure_note must say how the inferred {side} was worked out")
    return found


def reported_problems(record: dict, sources: Mapping[str, dict]) -> list[str]:
    """A date reported by a source is that source's publication date (or a citation's as_of), or
    a coarser form of it: "2019" for an article of 2019-02."""
    if record.get("date_basis") != "reported" or not isinstance(record.get("date"), str):
        return []
    dates = [
        citation.get("as_of") or (sources.get(str(citation.get("source"))) or {}).get("published")
        for citation in record.get("citations") or ()
        if isinstance(citation, dict)
    ]
    if any(isinstance(date, str) and date.startswith(record["date"]) for date in dates):
        return []
    bounded = any(
        (sources.get(str(citation.get("source"))) or {}).get(key) is not None
        for citation in record.get("citations") or ()
        if isinstance(citation, dict)
        for key in PUBLISHED_BOUNDS
    )
    return [
        f"date {record['date']} is reported, but no citation's source was published then (or gives it as as_of)"
        + ("; a source known only by a bound reports no date: give date_basis bounded, with date_bound" if bounded else "")
    ]


def _check_timestamp(value):
    if not isinstance(value, str) or not TIMESTAMP.match(value):
        return f"{value!r} is not a UTC time like 2026-11-23T20:45:00Z"
    return None


def _curation_problems(record):
    found = []
    for key in ("added", "changed"):
        if key in record and (problem := _check_timestamp(record[key])):
            found.append(f"{key} {problem}")
    history = record.get("history", [])
    if not isinstance(history, list):
        return [*found, "history must be a list of {action, at, ...}"]
    for number, entry in enumerate(history, 1):
        if not isinstance(entry, dict) or entry.get("action") not in HISTORY_ACTIONS:
            found.append(f"history entry {number} must be an object whose action is one of: {', '.join(HISTORY_ACTIONS)}")
            continue
        for key in sorted(set(entry) - set(HISTORY_KEYS), key=str):
            found.append(f"history entry {number} has unknown field {key!r}")
        if problem := _check_timestamp(entry.get("at")):
            found.append(f"history entry {number} at {problem}")
        for key in ("reason", "from"):
            if key in entry and (problem := _check_text(entry[key])):
                found.append(f"history entry {number} {key} {problem}")
        if "changes" in entry:
            found.extend(f"history entry {number} {problem}" for problem in _change_problems(entry["changes"]))
    return found


def _change_problems(changes):
    """An edit's changes: a list of {field, before, after}, each value as it was (see HISTORY_VALUE_LIMIT)."""
    if not isinstance(changes, list) or not changes:
        return ["changes must be a list of at least one {field, before, after}"]
    found = []
    for number, change in enumerate(changes, 1):
        if not isinstance(change, dict) or _check_text(change.get("field")):
            found.append(f"change {number} must be an object naming its field")
            continue
        for key in sorted(set(change) - set(CHANGE_KEYS), key=str):
            found.append(f"change {number} has unknown field {key!r}")
        shortened = change.get("shortened", [])
        if not (isinstance(shortened, list) and all(side in ("before", "after") for side in shortened)):
            found.append(f"change {number} shortened must list the sides kept short: before, after")
    return found


def _citation_problems(citations, source_ids, minimum=1):
    if not isinstance(citations, list) or len(citations) < minimum:
        count = {1: "one", 2: "two"}.get(minimum, str(minimum))
        return [f"citations must be a list of at least {count} {{source, quote}}"]
    found = []
    for number, citation in enumerate(citations, 1):
        if not isinstance(citation, dict):
            found.append(f"citation {number} must be an object with source and quote")
            continue
        for key in sorted(set(citation) - set(CITATION_KEYS), key=str):
            found.append(f"citation {number} has unknown field {key!r}")
        if "as_of" in citation and (problem := _check_date(citation["as_of"])):
            found.append(f"citation {number} as_of {problem}")
        found.extend(f"citation {number} {problem}" for problem in _anchor_problems(citation))
        source = citation.get("source")
        if problem := _check_text(source):
            found.append(f"citation {number} source {problem}")
        elif source not in source_ids:
            found.append(f"citation {number} names unknown source {source!r}")
        if problem := _check_text(citation.get("quote")):
            found.append(f"citation {number} quote {problem}")
    return found


def _anchor_problems(citation):
    given = [key for key in ANCHOR_KEYS if key in citation]
    if not given:
        return []
    if len(given) != len(ANCHOR_KEYS):
        return [f"anchor needs start, end, prefix and suffix together, not only {', '.join(given)}"]
    found = []
    for key in ("start", "end"):
        value = citation[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            found.append(f"{key} must be a whole number of code points, 0 or more")
    for key in ("prefix", "suffix"):
        value = citation[key]
        if not isinstance(value, str):
            found.append(f"{key} must be text, not {type(value).__name__}")
        elif len(value) > ANCHOR_CONTEXT:
            found.append(f"{key} is longer than {ANCHOR_CONTEXT} characters")
    if not found and citation["start"] >= citation["end"]:
        found.append("start must be before end")
    return found


def _retraction_problems(retracted):
    if not isinstance(retracted, dict) or set(retracted) != {"reason", "date"}:
        return ["retracted must be an object with reason and date"]
    found = []
    if problem := _check_text(retracted["reason"]):
        found.append(f"retracted reason {problem}")
    if problem := _check_date(retracted["date"]):
        found.append(f"retracted date {problem}")
    return found


def conflict_problems(
    record: object, fact_ids: Container[str], source_ids: Collection[str], fallback_id: str = "?"
) -> list[Problem]:
    """Every way one conflict record breaks the schema, given the ids of known facts and sources."""
    record_id = _record_id(record, fallback_id)
    if not isinstance(record, dict):
        return [Problem("conflict", record_id, "must be a JSON object")]
    found = [
        f"unknown field {key!r}"
        for key in sorted(set(record) - set(CONFLICT_KEYS) - set(OPTIONAL_CONFLICT_KEYS), key=str)
    ]
    if not isinstance(record.get("contradiction", True), bool):
        found.append("contradiction must be true or false")
    if "retracted" in record:
        found.extend(_retraction_problems(record["retracted"]))
    found.extend(_curation_problems(record))
    for key in ("id", "note"):
        if problem := _check_text(record.get(key)):
            found.append(f"{key} {problem}")
    found.extend(_id_problems(record.get("id")))
    facts = record.get("facts")
    if not isinstance(facts, list) or not facts or not all(isinstance(f, str) for f in facts):
        found.append("facts must be a list of at least one fact id")
    else:
        found.extend(f"names unknown fact {fact_id!r}" for fact_id in facts if fact_id not in fact_ids)
    found.extend(_citation_problems(record.get("citations"), source_ids, minimum=2))
    return [Problem("conflict", record_id, message) for message in found]


# A store written before conflicts were recorded has no such table; it reads as empty.
TABLES = ("sources", "facts", "conflicts", "meta")
REQUIRED_TABLES = ("sources", "facts")


def store_problems(
    tables: object, facts_to_check: Iterable[str] | None = None, fact_ids: Container[str] | None = None
) -> list[Problem]:
    """Every problem in a whole store: each record's own, then ids and claims that repeat.

    facts_to_check, when given, names the document ids of the only facts whose own problems
    need finding: a writer that read a valid store and changed those facts alone passes them,
    and every rule across records (repeats, references) is still checked over the whole store.
    fact_ids, when given, is what conflicts may name in place of the ids of tables' facts: a
    store whose facts are not all in tables (storage.sqlitefile checks the facts it changed,
    and looks the rest up in its indexes).
    """
    if not isinstance(tables, dict):
        return [Problem("store", "-", "must be a JSON object with tables 'sources' and 'facts'")]
    found = []
    for name in sorted(set(tables) - {*TABLES, "_default"}, key=str):
        found.append(Problem("store", "-", f"unknown table {name!r}"))
    sources, facts, conflicts, meta = (tables.get(name) for name in TABLES)
    for name in TABLES:
        # A Mapping: a store of record's facts are read as asked (storage.sqlitefile.StoredFacts).
        if not isinstance(tables.get(name), Mapping) and (name in REQUIRED_TABLES or name in tables):
            found.append(Problem("store", "-", f"table {name!r} is missing or not an object"))
    if found:
        return found
    # Checked just above: the two required tables are objects, the others objects or absent.
    assert isinstance(sources, Mapping) and isinstance(facts, Mapping)
    conflicts, meta = conflicts or {}, meta or {}
    if len(meta) > 1:
        found.append(Problem("store", "-", f"table 'meta' holds {len(meta)} records, not one"))
    for doc_id, record in meta.items():
        found.extend(Problem("meta", f"#{doc_id}", message) for message in meta_problems(record))
    scale = tuple(meta_of(tables).scale) if not found else ()
    for name, table in sorted(tables.items(), key=lambda item: str(item[0])):
        for doc_id in table if isinstance(table, Mapping) else ():
            # TinyDB numbers its documents; any other key is a hand edit it would mangle.
            if not doc_id.isascii() or not doc_id.isdigit():
                found.append(Problem("store", "-", f"table {name!r} has document id {doc_id!r}, not a number"))
    source_ids = {r["id"] for r in sources.values() if isinstance(r, dict) and isinstance(r.get("id"), str)}
    if fact_ids is None:
        fact_ids = {r["id"] for r in facts.values() if isinstance(r, dict) and isinstance(r.get("id"), str)}
    for doc_id, record in sources.items():
        found.extend(source_problems(record, f"#{doc_id}"))
    by_id = {r["id"]: r for r in sources.values() if isinstance(r, dict) and isinstance(r.get("id"), str)}
    for doc_id, record in facts.items() if facts_to_check is None else ((d, facts[d]) for d in facts_to_check):
        problems = fact_problems(record, source_ids, f"#{doc_id}", scale)
        if not problems:
            problems = [Problem("fact", record["id"], message) for message in reported_problems(record, by_id)]
        found.extend(problems)
    for doc_id, record in conflicts.items():
        found.extend(conflict_problems(record, fact_ids, source_ids, f"#{doc_id}"))
    found.extend(_repeats("source", sources.values(), lambda r: r.get("id"), "id"))
    found.extend(_repeats("fact", facts.values(), lambda r: r.get("id"), "id"))
    found.extend(_repeats("conflict", conflicts.values(), lambda r: r.get("id"), "id"))
    found.extend(
        _repeats(
            "fact",
            (r for r in facts.values() if isinstance(r, dict) and not r.get("retracted")),
            lambda r: normalise_claim(r["claim"]) if isinstance(r.get("claim"), str) else None,
            "claim",
        )
    )
    return found


def empty_tables(title: str = DEFAULT_TITLE) -> dict[str, dict]:
    """The tables of a store that holds nothing yet but its title."""
    return {"sources": {}, **{table: {} for table in CITING_TABLES}, "meta": {"1": {"title": title}}}


def citations_of(tables: dict) -> Iterator[tuple[str, str, dict]]:
    """(record kind, record id, citation) for every citation of a valid store, in document order.

    What reads citations goes through here, and anchoring walks the same CITING_TABLES, so a
    table that cites sources needs adding only there.
    """
    for table, kind in CITING_TABLES.items():
        for _, record in sorted((tables.get(table) or {}).items(), key=document_order):
            for citation in record["citations"]:
                yield kind, record["id"], citation


def _repeats(table, records, key_of, what):
    seen = {}
    found = []
    for record in records:
        if not isinstance(record, dict):
            continue
        key = key_of(record)
        if not isinstance(key, str) or not key:
            continue
        record_id = _record_id(record, "?")
        if key in seen:
            found.append(Problem(table, record_id, f"duplicate {what}: same as {seen[key]}"))
        else:
            seen[key] = record_id
    return found
