"""Changing the store: add, edit and retract facts and add sources, validated, locked and atomic."""

import datetime
import json
from pathlib import Path
from typing import NamedTuple

from . import evidence
from .model import (
    KINDS,
    FactsError,
    NotFound,
    OUTPUT_ONLY_CITATION_KEYS,
    OUTPUT_ONLY_FACT_KEYS,
    OUTPUT_ONLY_SOURCE_KEYS,
    Source,
    closest_ids,
    fact_problems,
    normalise_claim,
    slugify,
    source_problems,
)
from .store import AtomicJSONStorage, StoreError, StrictJSONError, parse_json, read_valid_tables, write_lock


class Refused(FactsError):
    """A change that would make the store invalid; carries every problem. Nothing was written."""

    def __init__(self, problems):
        self.problems = [str(problem) for problem in problems]
        count = len(self.problems)
        super().__init__(f"refused, {count} problem{'s' if count != 1 else ''}; nothing written")


class Change(NamedTuple):
    """What a curation command did, or would do with --dry-run."""

    action: str
    record: dict
    path: Path
    written: bool


def parse_json_document(text, origin):
    """A JSON object from text, or ValueError naming origin, line and column."""
    try:
        document = parse_json(text)
    except StrictJSONError as error:
        raise ValueError(f"{origin}: {error}") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{origin}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    except RecursionError:
        raise ValueError(f"{origin}: JSON nested too deeply") from None
    # `facts show ID --json` prints a one-element array; take it as its one fact.
    if isinstance(document, list) and len(document) == 1:
        document = document[0]
    if not isinstance(document, dict):
        raise ValueError(f"{origin}: expected a JSON object, got {type(document).__name__}")
    return document


def fact_record(document):
    """A fact record from a document shaped like `facts show ID --json`, output-only keys dropped."""
    record = {key: value for key, value in document.items() if key not in OUTPUT_ONLY_FACT_KEYS}
    # Answers spell absent optional keys as null; the store leaves them out.
    for key in ("retracted", "date_bound"):
        if record.get(key, "absent") is None:
            del record[key]
    if isinstance(record.get("citations"), list):
        record["citations"] = [_citation_record(citation) for citation in record["citations"]]
    kind_fields = KINDS.get(record.get("kind"), {}) if isinstance(record.get("kind"), str) else {}
    # Unknown optional values may be left out of the input; the store spells them as null.
    for name, spec in kind_fields.items():
        if spec.nullable:
            record.setdefault(name, None)
    record.setdefault("date", None)
    record.setdefault("date_note", None)
    return record


def _citation_record(citation):
    if not isinstance(citation, dict):
        return citation
    record = {key: value for key, value in citation.items() if key not in OUTPUT_ONLY_CITATION_KEYS}
    if record.get("as_of", "absent") is None:
        del record["as_of"]
    return record


def source_record(document):
    record = {key: value for key, value in document.items() if key not in OUTPUT_ONLY_SOURCE_KEYS}
    for key in ("publisher", "published", "published_basis", "published_note"):
        record.setdefault(key, None)
    return record


def field_value(kind, name, text):
    """A --field/--set value typed by the schema: numbers for number fields, 'null' for none,
    JSON for citations, plain text for everything else."""
    if name == "citations":
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"citations: invalid JSON at column {error.colno}: {error.msg}") from None
    if text == "null":
        return None
    spec = KINDS.get(kind, {}).get(name)
    if spec is not None and spec.type == "number":
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{name} must be a number, not {text!r}") from None
        return int(number) if number.is_integer() and "." not in text else number
    return text


def document_from_options(kind, claim, date, date_note, fact_id, source, quote, fields=(), cites=()):
    """A fact document from command-line flags; ValueError for a flag that is malformed."""
    document = {"kind": kind, "claim": claim, "date": date, "date_note": date_note}
    if fact_id:
        document["id"] = fact_id
    if (source is None) != (quote is None):
        raise ValueError("--source and --quote go together")
    citations = [{"source": source, "quote": quote}] if source is not None else []
    for cite in cites:
        source_id, colon, cited = cite.partition(":")
        if not colon:
            raise ValueError(f"--cite {cite!r} must be SOURCE_ID:QUOTE")
        citations.append({"source": source_id.strip(), "quote": cited})
    document["citations"] = citations
    for assignment in fields:
        name, value = split_assignment(assignment, "--field")
        document[name] = field_value(kind, name, value)
    return document


def split_assignment(text, option):
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise ValueError(f"{option} {text!r} must be KEY=VALUE")
    return name.strip(), value


def _today():
    return datetime.date.today().isoformat()


def _quote_problems(record, sources, sources_dir, before=None):
    """Problems with quotes new or changed since `before`, checked against the source texts."""
    if sources_dir is None or not isinstance(record.get("citations"), list):
        return []
    old = {(c.get("source"), c.get("quote")) for c in (before or {}).get("citations", []) if isinstance(c, dict)}
    texts = evidence.SourceTexts(sources_dir)
    problems = []
    for citation in record["citations"]:
        if not isinstance(citation, dict):
            continue
        key = (citation.get("source"), citation.get("quote"))
        source = sources.get(key[0])
        if key in old or source is None or not isinstance(key[1], str):
            continue
        try:
            miss = texts.miss(record.get("id", "?"), source, key[1])
        except OSError as error:
            raise StoreError(str(error)) from None
        if miss:
            suggestion = _nearest(sources_dir, source, key[1])
            problems.append(f"citation of {source.id}: {miss.reason}: {key[1]!r}{suggestion}")
    return problems


def _nearest(sources_dir, source, quote):
    """'; did you mean: ...' with the closest span of the source's text, when one is close."""
    from . import locate

    try:
        spans = locate.closest_spans(locate.read_text(str(Path(sources_dir) / source.file)), quote, limit=1)
    except FactsError:
        return ""  # the file's own problem is already the reason given
    return f"; did you mean: {spans[0].quote!r}?" if spans else ""


def _duplicate_problems(record, facts, except_doc=None):
    problems = []
    for doc_id, other in facts.items():
        if doc_id == except_doc or not isinstance(other, dict):
            continue
        if other.get("id") == record.get("id"):
            problems.append(f"id {record['id']!r} is already used by another fact")
        if (
            not other.get("retracted")
            and isinstance(record.get("claim"), str)
            and isinstance(other.get("claim"), str)
            and normalise_claim(other["claim"]) == normalise_claim(record["claim"])
        ):
            problems.append(f"the same claim is already fact {other.get('id')!r}")
    return problems


class _Transaction:
    """Read-modify-write of the store under the write lock; refuses to touch an invalid store."""

    def __init__(self, path, dry_run):
        self.path = Path(path)
        self.dry_run = dry_run
        self.storage = AtomicJSONStorage(self.path)

    def __enter__(self):
        self._lock = write_lock(self.path)
        self._lock.__enter__()
        try:
            self.tables = read_valid_tables(self.path)
        except BaseException:
            self._lock.__exit__(None, None, None)
            raise
        self.sources = {
            record["id"]: Source.from_record(record) for record in self.tables["sources"].values()
        }
        return self

    def __exit__(self, *exc):
        return self._lock.__exit__(*exc)

    def find(self, fact_id):
        return _find(self.tables, fact_id)

    def put(self, table, doc_id, record, action):
        if doc_id is None:
            # TinyDB's own rule for a new document id: one more than the largest.
            doc_id = str(max((int(k) for k in self.tables[table] if k.isdigit()), default=0) + 1)
        self.tables[table][doc_id] = record
        if not self.dry_run:
            self.storage.write(self.tables)
        return Change(action, record, self.path, written=not self.dry_run)


def add_fact(path, document, sources_dir=None, dry_run=False):
    """Add one fact; its id is derived from the claim when not given."""
    record = fact_record(document)
    with _Transaction(path, dry_run) as tx:
        if not record.get("id") and isinstance(record.get("claim"), str):
            record["id"] = _free_id(slugify(record["claim"]), tx.tables["facts"])
        problems = [p.message for p in fact_problems(record, set(tx.sources))]
        problems += _duplicate_problems(record, tx.tables["facts"])
        if not problems:
            problems += _quote_problems(record, tx.sources, sources_dir)
        if problems:
            raise Refused(problems)
        return tx.put("facts", None, record, "add")


def _free_id(base, facts):
    used = {record.get("id") for record in facts.values() if isinstance(record, dict)}
    candidate, number = base, 2
    while candidate in used:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def current_fact(path, fact_id):
    """The stored record of one fact, for an editor to start from."""
    return _find(read_valid_tables(path), fact_id)[1]


def _find(tables, fact_id):
    """(document id, record) of the fact with fact_id; NotFound with the closest ids if none."""
    for doc_id, record in tables["facts"].items():
        if record.get("id") == fact_id:
            return doc_id, record
    ids = (record.get("id", "") for record in tables["facts"].values())
    raise NotFound(f"no fact with id {fact_id!r}", closest_ids(fact_id, ids))


def edit_fact(path, fact_id, document=None, assignments=(), expected=None, sources_dir=None, dry_run=False):
    """Replace a fact with document, or change the fields named in assignments ((key, text) pairs).

    expected is the record an editor started from: if the store's copy changed meanwhile,
    the edit is refused rather than overwrite someone else's change.
    """
    with _Transaction(path, dry_run) as tx:
        doc_id, before = tx.find(fact_id)
        if expected is not None and before != expected:
            raise Refused([f"fact {fact_id!r} was changed by someone else while you edited it; edit again"])
        if document is not None:
            record = fact_record(document)
        else:
            record = dict(before)
            for key, text in assignments:
                if key == "retracted":
                    raise Refused(["retracted cannot be set; use facts retract"])
                try:
                    record[key] = field_value(record.get("kind"), key, text)
                except ValueError as error:
                    raise Refused([str(error)]) from None
        # A retraction is recorded by retract alone; an edit neither adds nor removes one.
        record.pop("retracted", None)
        if before.get("retracted"):
            record["retracted"] = before["retracted"]
        problems = [p.message for p in fact_problems(record, set(tx.sources))]
        problems += _duplicate_problems(record, tx.tables["facts"], except_doc=doc_id)
        if not problems:
            problems += _quote_problems(record, tx.sources, sources_dir, before)
        if problems:
            raise Refused(problems)
        if record == before:
            return Change("unchanged", record, tx.path, written=False)
        return tx.put("facts", doc_id, record, "edit")


def retract_fact(path, fact_id, reason, dry_run=False, today=None):
    """Mark a fact retracted with a reason and date; it is kept, never deleted."""
    if not isinstance(reason, str) or not reason.strip():
        raise Refused(["a reason is required"])
    with _Transaction(path, dry_run) as tx:
        doc_id, before = tx.find(fact_id)
        if before.get("retracted"):
            previous = before["retracted"]
            raise Refused([f"fact {fact_id!r} was already retracted on {previous['date']}: {previous['reason']}"])
        record = {**before, "retracted": {"reason": reason.strip(), "date": today or _today()}}
        return tx.put("facts", doc_id, record, "retract")


def add_source(path, document, sources_dir=None, dry_run=False):
    """Add one source document; with sources_dir, its file must be there."""
    record = source_record(document)
    with _Transaction(path, dry_run) as tx:
        problems = [p.message for p in source_problems(record)]
        if any(other.get("id") == record.get("id") for other in tx.tables["sources"].values()):
            problems.append(f"id {record['id']!r} is already used by another source")
        if sources_dir is not None and isinstance(record.get("file"), str) and record["file"]:
            if not (Path(sources_dir) / record["file"]).is_file():
                problems.append(f"file {record['file']!r} is not in {sources_dir}")
        if problems:
            raise Refused(problems)
        return tx.put("sources", None, record, "add-source")
