"""Changing the store: add, cite, edit, retract, restore and rename facts, add sources, anchor;
validated, locked and atomic."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Union

from ..core.errors import FactsError, NotFound, StoreError, closest_ids
from ..core.kinds import (
    ANCHOR_KEYS,
    CITING_TABLES,
    CURATION_KEYS,
    DATE_BASES,
    PUBLISHED_BOUNDS,
    TENURE_BASES,
)
from ..core.meta import Meta, meta_of, meta_problems
from ..core.records import Source, document_order
from ..core.tuples import Record
from ..core.validation import (
    conflict_problems,
    empty_tables,
    fact_problems,
    reported_problems,
    source_problems,
    store_problems,
)
from ..storage.backend import is_database, named_database, read_valid_tables, store_file
from ..storage.jsonfile import write_lock
from ..storage.writing import AtomicJSONStorage
from ..storage.location import BUNDLED_STORE, write_refusal
from . import evidence, history, stored
from .anchor import Unanchored
from .ids import readable_id
from .intake import RECORD_FROM_DOCUMENT, conflict_record, fact_record, meta_value, record_value, source_record
from .overlap import Known, common_words


# A path as the functions here take it: text or a path object.
PathLike = Union[str, "os.PathLike[str]"]


class Refused(FactsError):
    """A change that would make the store invalid; carries every problem. Nothing was written."""

    def __init__(self, problems):
        self.problems = [str(problem) for problem in problems]
        count = len(self.problems)
        super().__init__(f"refused, {count} problem{'s' if count != 1 else ''}; nothing written")


class Changed(Refused):
    """An edit made from a copy of a record that someone else has changed since; carries their version."""

    def __init__(self, name, record_id, expected, current):
        self.current = current
        keys = sorted(key for key in set(expected) | set(current) if expected.get(key) != current.get(key))
        super().__init__(
            [
                f"{name} {record_id!r} was changed by someone else while you edited it (their change: {', '.join(keys)})"
            ]
        )


def rebase(edited: dict, started_from: dict, current: dict) -> dict:
    """The edit of started_from (a fact record) redone on current: current, with each key the
    editor changed set as the editor left it. A key both changed keeps the editor's value."""
    rebased = dict(current)
    for key in set(started_from) | set(edited):
        if key not in edited:
            rebased.pop(key, None)
        elif key not in started_from or edited[key] != started_from[key]:
            rebased[key] = edited[key]
    return rebased


class Change(Record):
    """What a curation command did, or would do with --dry-run: the record changed (a list of
    them for an import of several), and warnings the curator should read."""

    action: str
    record: object
    path: Path
    written: bool
    warnings: tuple = ()


class Created(Record):
    """A store made by facts init."""

    path: Path
    facts: int
    sources: int


class Anchoring(Record):
    """What facts anchor did, or would do with --dry-run."""

    path: Path
    citations: int
    anchored: int  # citations given an anchor, or a new one
    fingerprinted: int  # sources given a fingerprint, or a new one
    written: bool


def _today():
    return datetime.date.today().isoformat()


def _anchor_citations(tx, record, sources_dir, before=None):
    """Anchor the record's citations in their sources' texts; problems with those the curator
    added or changed (in quote, source or anchor), which must be found there.

    Without source texts, a citation whose quote or source changed loses its anchor: it
    marked the old quote.
    """
    if not isinstance(record.get("citations"), list):
        return []
    old = {
        (c.get("source"), c.get("quote")): c
        for c in (before or {}).get("citations", [])
        if isinstance(c, dict)
    }
    texts = evidence.SourceTexts(sources_dir) if sources_dir is not None else None
    problems = []
    record["citations"] = [dict(c) if isinstance(c, dict) else c for c in record["citations"]]
    for citation in record["citations"]:
        if not isinstance(citation, dict):
            continue
        key = (citation.get("source"), citation.get("quote"))
        source = tx.source_records.get(key[0])
        if source is None or not isinstance(key[1], str):
            continue  # the schema names what is wrong
        if texts is None:
            if before is not None and key not in old:
                for name in ANCHOR_KEYS:
                    citation.pop(name, None)
            continue
        try:
            tx.anchor(citation, source, texts)
        except Unanchored as error:
            if key not in old or any(citation.get(k) != old[key].get(k) for k in ANCHOR_KEYS):
                suggestion = _nearest(sources_dir, source, key[1]) if "not found" in str(error) else ""
                problems.append(f"citation of {source['id']}: {error}: {key[1]!r}{suggestion}")
    return problems


def _nearest(sources_dir, source, quote):
    """'; did you mean: ...' with the closest span of the source's text, when one is close."""
    from . import locate

    try:
        spans = locate.closest_spans(
            locate.read_text(str(Path(sources_dir) / source["file"])), quote, limit=1
        )
    except FactsError:
        return ""  # the file's own problem is already the reason given
    return f"; did you mean: {spans[0].quote!r}?" if spans else ""


class _Transaction:
    """Read-modify-write of the store under the write lock; refuses to touch an invalid store.

    The store's back end (storage.backend.store_file: the JSON file, or a SQLite store of
    record whose facts are read as asked) does the reading, finding and saving. cache_dir,
    where a JSON store's derived index is kept (storage.index), has the index updated with
    what the write changed; without it the next query through the index rebuilds it.
    """

    def __init__(self, path, dry_run, cache_dir=None):
        self.path = Path(path)
        self.dry_run = dry_run
        self.cache_dir = cache_dir
        self.file = store_file(str(self.path), stored.DERIVATION)
        self.next_ids = {}
        # The document ids of the facts this change wrote, so the write checks their own rules
        # (the store's were checked when it was read); None when any fact may have changed.
        self.changed_facts = set()

    def __enter__(self):
        _refuse_unwritable(self.path, self.dry_run)
        self.tables = self.file.begin(self.dry_run)
        self.sources = {
            record["id"]: Source.from_record(record) for record in self.tables["sources"].values()
        }
        self.source_records = {record["id"]: record for record in self.tables["sources"].values()}
        self.meta = meta_of(self.tables)
        self.common = common_words(self.meta.common_words)
        return self

    def __exit__(self, *exc):
        self.file.end()

    def known(self, except_doc=None):
        """The store's facts (all but except_doc's) held for the duplicate rule (curation.overlap)."""
        lookups = self.file.lookups(except_doc)
        if lookups is not None:
            return stored.known(lookups, self.common, self.meta)
        # In document order, as a store of record's lookups are, so both keep the same last few of a word.
        facts = dict(sorted(self.tables["facts"].items(), key=document_order))
        return Known(facts, except_doc=except_doc, common=self.common, meta=self.meta)

    def find(self, table, record_id):
        """(document id, record) of the record of table with record_id, or None: a fact by its
        back end's index, the small tables by reading them."""
        if table == "facts":
            return self.file.find(self.tables, record_id)
        for doc_id, record in (self.tables.get(table) or {}).items():
            if record.get("id") == record_id:
                return doc_id, record
        return None

    def ids(self, table):
        """Every id of table's records, for suggesting the one meant."""
        if table == "facts":
            return self.file.fact_ids(self.tables)
        return [record.get("id", "") for record in (self.tables.get(table) or {}).values()]

    def insert(self, table, record):
        """Add record to table under a new document id (TinyDB's rule: one more than the largest)."""
        # Found once a transaction, so an import of many facts does not scan the table for each.
        if table not in self.next_ids:
            self.next_ids[table] = self.file.next_doc_id(self.tables, table)
        self.tables[table][str(self.next_ids[table])] = record
        self._changed(table, str(self.next_ids[table]))
        self.next_ids[table] += 1

    def _changed(self, table, doc_id):
        if table == "facts" and self.changed_facts is not None:
            self.changed_facts.add(doc_id)

    def put(self, table, doc_id, record, action):
        """Write record as doc_id of table (a new record when doc_id is None), and the store."""
        if doc_id is None:
            self.insert(table, record)
        else:
            self.tables[table][doc_id] = record
            self._changed(table, doc_id)
        self.save()
        return Change(action, record, self.path, written=not self.dry_run)

    def save(self):
        if not self.dry_run:
            self.file.save(self.tables, self.changed_facts, self.cache_dir)

    def anchor(self, citation, source, texts):
        """Anchor one citation in its source's text, fingerprinting a source that has no fingerprint;
        True when the citation's anchor or quote is new. The quote becomes the source's own text at
        the anchor: folding found it, but what is stored is verbatim (a typed straight quote where
        the source has a curly one is corrected). Raises Unanchored when it cannot be anchored."""
        try:
            found = texts.get(source)
        except OSError as error:
            raise StoreError(str(error)) from None
        if found is None:
            raise Unanchored(f"source file {source['file']} not found in {texts.folder}")
        if source.get("sha256") not in (None, found.sha256):
            raise Unanchored(
                f"text of {source['file']} no longer matches its sha256 fingerprint; check it, then run facts anchor"
            )
        anchor = found.text.anchor(citation).to_record()
        anchor["quote"] = found.text.raw[anchor["start"] : anchor["end"]]
        source["sha256"] = found.sha256
        source.setdefault("url", None)
        if all(citation.get(key) == anchor[key] for key in (*ANCHOR_KEYS, "quote")):
            return False
        citation.update(anchor)
        return True


# Warnings an import shows one by one; past this many, a line says how many there are.
SHOWN_WARNINGS = 3


def add_facts(
    path: PathLike,
    documents: list[tuple[str, Any]],
    sources_dir: PathLike | None = None,
    dry_run: bool = False,
    allow_duplicate: bool = False,
    cache_dir: str | None = None,
    named_store: str | None = None,
) -> Change:
    """Add facts, all in one write or none: each (place, document) is validated, anchored and
    checked against the store and the others; the problems of all are reported together, each
    named by its place. Ids are made readable when not given (see factcli.ids). named_store is
    the store as the command named it (--db), for the commands a refusal suggests."""
    at = history.now()
    with _Transaction(path, dry_run, cache_dir) as tx:
        known = tx.known()
        # The ids of the small tables, once an import (_taken asks the tables for one id at a time).
        others = {record_id: RECORD_NAMES[table] for table in ("sources", "conflicts") for record_id in tx.ids(table)}
        records, problems, warnings = [], [], []
        for place, document in documents:
            record = fact_record(document)
            if not record.get("id") and isinstance(record.get("claim"), str):
                record["id"] = readable_id(record, known.ids, tx.common)
            named = " ".join(filter(None, [place, repr(record.get("id"))])) or "fact"
            found = [p.message for p in fact_problems(record, set(tx.sources), scale=tx.meta.scale)]
            found += _new_fact_problems(record, tx.source_records)
            found += _anchor_citations(tx, record, sources_dir)
            duplicates, hints = known.check(
                record, allow_duplicate=allow_duplicate, sources_dir=sources_dir, named_store=named_store
            )
            found += duplicates
            # The duplicate rule knows the facts' ids; a conflict's or a source's would be hidden.
            if isinstance(record.get("id"), str) and record["id"] in others:
                found.append(f"id {record['id']!r} is already used by another {others[record['id']]}")
            if found:
                problems += [f"{named}: {problem}" if len(documents) > 1 else problem for problem in found]
                continue
            warnings += [f"{named}: {hint}" for hint in hints]
            record.update(added=at, changed=at)
            known.add(record)
            records.append(record)
        if problems:
            raise Refused(problems)
        for record in records:
            tx.insert("facts", record)
        tx.save()
        if len(warnings) > SHOWN_WARNINGS:
            # One line a fact would bury the answer of a large import: how many, and the first few.
            warnings = [
                f"{len(warnings)} warnings for the {len(records)} facts (near a claim on record or in this"
                f" import, or quoting a span another fact quotes); the first {SHOWN_WARNINGS}:",
                *warnings[:SHOWN_WARNINGS],
            ]
        return Change(
            "add", records if len(records) > 1 else records[0], tx.path, not tx.dry_run, tuple(warnings)
        )


def _new_fact_problems(record, sources):
    """What a new fact must say that a fact recorded before it was asked need not: how its date is
    known; and a reported date must be a citing source's."""
    return _basis_problems(record) + reported_problems(record, sources)


def _basis_problems(record, before=None):
    """A date, or a role's start or end, new or changed, must say how it is known, and an edit
    may not take the basis away while the value stays: without one a start or end would read
    as stated (as those recorded before bases were kept are read). before is the record as it
    was before an edit (None for a new fact)."""
    return [
        f"{value}_basis is missing: say how the {value} is known ({', '.join(bases)})"
        for value, bases in (("date", DATE_BASES), ("start", TENURE_BASES), ("end", TENURE_BASES))
        if record.get(value) is not None
        and record.get(f"{value}_basis") is None
        and (before is None or record.get(value) != before.get(value) or before.get(f"{value}_basis") is not None)
    ]


def add_fact(
    path: PathLike,
    document: Any,
    sources_dir: PathLike | None = None,
    dry_run: bool = False,
    allow_duplicate: bool = False,
    cache_dir: str | None = None,
) -> Change:
    """Add one fact (see add_facts)."""
    return add_facts(path, [("", document)], sources_dir, dry_run, allow_duplicate, cache_dir)


RECORD_NAMES = {"facts": "fact", "conflicts": "conflict", "sources": "source"}
# Where an id is looked for by the commands that take a fact's or a conflict's (cite, retract,
# restore, rename), and by edit, which also takes a source's; an id in two tables (a store from
# before ids were kept apart) is the first table's: rename that record to reach the other.
CITING = ("facts", "conflicts")
EDITABLE = ("facts", "conflicts", "sources")


class Located(Record):
    """A record found by its id: its table, document id and record."""

    table: str
    doc_id: str
    record: dict

    @property
    def name(self):
        return RECORD_NAMES[self.table]


def _locate(tx, record_id, names=CITING):
    """The record with record_id in the first of tx's tables names that has it; NotFound with
    the closest ids of those tables when none has."""
    for table in names:
        if (found := tx.find(table, record_id)) is not None:
            return Located(table, *found)
    ids = [record_id for table in names for record_id in tx.ids(table)]
    names_said = [RECORD_NAMES[table] for table in names]
    what = names_said[0] if len(names_said) == 1 else f"{', '.join(names_said[:-1])} or {names_said[-1]}"
    raise NotFound(f"no {what} with id {record_id!r}", closest_ids(record_id, ids))


def _taken(tx, record_id, but=None):
    """The problem with giving a new record record_id, when a fact, conflict or source of tx's
    store has it already (but, a Located, excepted)."""
    for table in EDITABLE:
        found = tx.find(table, record_id)
        if found is not None and (but is None or (table, found[0]) != (but.table, but.doc_id)):
            return f"id {record_id!r} is already used by another {RECORD_NAMES[table]}"
    return None


def cite_record(
    path: PathLike,
    record_id: str,
    citation: dict,
    sources_dir: PathLike | None = None,
    dry_run: bool = False,
    allow_duplicate: bool = False,
    cache_dir: str | None = None,
    named_store: str | None = None,
) -> Change:
    """Add a citation to a fact (corroboration) or a conflict (another side, or another source
    saying it), anchored when the source texts are given. A fact's is checked by the duplicate
    rule for what it changes (curation.overlap)."""
    with _Transaction(path, dry_run, cache_dir) as tx:
        found = _locate(tx, record_id)
        before = found.record
        if any(
            c.get("source") == citation.get("source") and c.get("quote") == citation.get("quote")
            for c in before["citations"]
        ):
            raise Refused([f"{found.name} {record_id!r} already cites that quote of {citation.get('source')}"])
        record = {**before, "citations": [*before["citations"], citation]}
        problems = _problems(tx, found.table, record)
        problems += _anchor_citations(tx, record, sources_dir, before)
        duplicates, warnings = [], []
        if found.table == "facts":
            duplicates, warnings = tx.known(found.doc_id).check(record, before, allow_duplicate, sources_dir, named_store)
        if problems or duplicates:
            raise Refused(problems + duplicates)
        kept = {key: value for key, value in record["citations"][-1].items() if key in ("source", "quote", "as_of")}
        cited = history.changed(record, history.now(), action="cited", changes=[history.change("citations", after=kept)])
        return tx.put(found.table, found.doc_id, cited, "cite")._replace(warnings=tuple(warnings))


def _problems(tx, table, record):
    """How record, a fact, conflict or source of tx's store, breaks its own schema."""
    if table == "facts":
        found = fact_problems(record, set(tx.sources), scale=tx.meta.scale)
    elif table == "conflicts":
        facts = {fact.get("id") for fact in tx.tables["facts"].values()}
        found = conflict_problems(record, facts, set(tx.sources))
    else:
        found = source_problems(record)
    return [problem.message for problem in found]


def _refuse_unwritable(path, dry_run):
    refusal = None if dry_run else write_refusal(path)
    if refusal:
        raise StoreError(f"nothing written: {refusal}")


def current_record(path: PathLike, record_id: str, dry_run: bool = False) -> dict:
    """The stored record of a fact, conflict or source, for an editor to start from; refused
    before any editing when the change could not be written."""
    _refuse_unwritable(path, dry_run)
    with _Transaction(path, dry_run=True) as tx:
        return _locate(tx, record_id, EDITABLE).record


def edit_record(
    path: PathLike,
    record_id: str,
    document: Any = None,
    assignments: Iterable[tuple[str, str]] = (),
    expected: dict | None = None,
    sources_dir: PathLike | None = None,
    dry_run: bool = False,
    allow_duplicate: bool = False,
    cache_dir: str | None = None,
    named_store: str | None = None,
) -> Change:
    """Replace a fact, conflict or source with document, or change the fields named in
    assignments ((key, text) pairs), validated as add validates it; history keeps each field's
    value before and after (see changes).

    expected is the record an editor started from: if the store's copy changed meanwhile,
    the edit is refused rather than overwrite someone else's change.
    """
    with _Transaction(path, dry_run, cache_dir) as tx:
        found = _locate(tx, record_id, EDITABLE)
        before = found.record
        if expected is not None and before != expected:
            raise Changed(found.name, record_id, expected, before)
        if document is not None:
            record = RECORD_FROM_DOCUMENT[found.table](document)
        else:
            record = dict(before)
            for key, text in assignments:
                if key == "retracted":
                    raise Refused(["retracted cannot be set; use facts retract"])
                try:
                    record[key] = record_value(found.table, record.get("kind"), key, text)
                except ValueError as error:
                    raise Refused([str(error)]) from None
            # A bound cleared ("null") is left out, as add-source leaves out one not given.
            record = {key: value for key, value in record.items() if key not in PUBLISHED_BOUNDS or value is not None}
        if record.get("id") != record_id:
            raise Refused([f"an edit keeps the id; rename a {found.name} with: facts rename {record_id} NEW-ID"])
        # A retraction is recorded by retract alone, and curation times and history by the tool;
        # an edit neither adds nor removes them.
        for key in ("retracted", *CURATION_KEYS):
            record.pop(key, None)
            if key in before:
                record[key] = before[key]
        problems, warnings = [], []
        if found.table == "sources":
            problems += _refingerprint(record, before, sources_dir)
            if before.get("sha256") and "sha256" not in record:
                warnings.append("its file changed, so its fingerprint is dropped until facts anchor fingerprints the new file")
        else:
            problems += _anchor_citations(tx, record, sources_dir, before)
        problems += _problems(tx, found.table, record)
        if found.table == "facts":
            duplicates, warnings = tx.known(found.doc_id).check(record, before, allow_duplicate, sources_dir, named_store)
            problems += duplicates + _basis_problems(record, before)
            warnings += _stale_date_words(before, record) + _unsaid_fields(before, record)
        if not problems and found.table == "sources":
            problems += _store_with(tx, found, record)
        if problems:
            raise Refused(problems)
        if record == before:
            return Change("unchanged", record, tx.path, written=False)
        edited = history.changed(record, history.now(), action="edited", changes=history.changes(before, record))
        return tx.put(found.table, found.doc_id, edited, "edit")._replace(warnings=tuple(warnings))


# Fields a claim names in its own words: one changed to what the claim does not say is likely
# a slip (a grade set to "good" on a claim of "inadequate"), or leaves the claim out of date.
SAID_FIELDS = ("judgment", "person", "speaker")


def _unsaid_fields(before, record):
    """A warning for each of SAID_FIELDS that an edit changed to a value its claim does not say."""
    from ..core.text import fold_for_matching

    claim = record.get("claim")
    if not isinstance(claim, str):
        return []
    return [
        f"{name} changed to {record[name]!r}, which the claim does not say: check the claim and its quotes say it"
        for name in SAID_FIELDS
        if isinstance(record.get(name), str)
        and record.get(name) != before.get(name)
        and fold_for_matching(record[name]) not in fold_for_matching(claim)
    ]


def _stale_date_words(before, record):
    """A warning when a fact's date changed but its date note did not: a note written for the
    old date would now mislead a reader."""
    if record.get("date") == before.get("date") or not record.get("date_note"):
        return []
    if record.get("date_note") != before.get("date_note"):
        return []
    return [
        f"the date changed from {before.get('date')} to {record.get('date')} but its date_note did not:"
        " check that the note, and the date_basis, say how the new date is known"
    ]


def _refingerprint(record, before, sources_dir):
    """A source whose file is changed gets the new file's fingerprint, from the sources folder;
    without one its old fingerprint goes (facts anchor gives it anew)."""
    if record.get("file") == before.get("file") or not isinstance(record.get("file"), str):
        return []
    record.pop("sha256", None)
    if sources_dir is None:
        return []
    try:
        found = evidence.SourceTexts(sources_dir).get(record)
    except OSError as error:
        return [str(error)]
    if found is None:
        return [f"file {record['file']!r} is not in {sources_dir}"]
    record["sha256"] = found.sha256
    return []


def _store_with(tx, found, record):
    """Problems of the whole store with record in place of found: a source's date is what its
    facts' reported dates must match, so the facts citing it are checked again."""
    citing = {
        doc_id
        for doc_id, fact in tx.tables["facts"].items()
        if any(citation.get("source") == record["id"] for citation in fact["citations"])
    }
    changed = {**tx.tables, found.table: {**tx.tables[found.table], found.doc_id: record}}
    problems = [str(problem) for problem in store_problems(changed, facts_to_check=citing)]
    if tx.changed_facts is not None:
        tx.changed_facts |= citing  # so the write checks them too
    return problems


def retract_record(
    path: PathLike,
    record_id: str,
    reason: str,
    dry_run: bool = False,
    today: str | None = None,
    cache_dir: str | None = None,
) -> Change:
    """Mark a fact or a conflict retracted with a reason and date; it is kept, never deleted. A
    retracted fact is left out of answers; a retracted conflict no longer flags its facts."""
    if not isinstance(reason, str) or not reason.strip():
        raise Refused(["a reason is required"])
    with _Transaction(path, dry_run, cache_dir) as tx:
        found = _locate(tx, record_id)
        before = found.record
        if before.get("retracted"):
            previous = before["retracted"]
            raise Refused(
                [f"{found.name} {record_id!r} was already retracted on {previous['date']}: {previous['reason']}"]
            )
        record = {**before, "retracted": {"reason": reason.strip(), "date": today or _today()}}
        retracted = history.changed(record, history.now(), action="retracted", reason=reason.strip())
        return tx.put(found.table, found.doc_id, retracted, "retract")


def restore_record(
    path: PathLike,
    record_id: str,
    reason: str,
    dry_run: bool = False,
    allow_duplicate: bool = False,
    cache_dir: str | None = None,
) -> Change:
    """Undo a retraction: the fact is in answers again (the conflict flags its facts again), and
    its history keeps both the retraction and the restoration."""
    if not isinstance(reason, str) or not reason.strip():
        raise Refused(["a reason is required"])
    with _Transaction(path, dry_run, cache_dir) as tx:
        found = _locate(tx, record_id)
        before = found.record
        retracted = before.get("retracted")
        if not retracted:
            raise Refused([f"{found.name} {record_id!r} is not retracted"])
        record = {key: value for key, value in before.items() if key != "retracted"}
        warnings = []
        if found.table == "facts":
            # Retracted, its claim may have been made again by another fact; two facts in
            # answers may not make one claim.
            duplicates, warnings = tx.known(found.doc_id).check(record, allow_duplicate=allow_duplicate)
            if duplicates:
                advice = f"retract that fact, or edit the claim of one of them, before restoring {record_id!r}"
                raise Refused([*duplicates, advice])
        if not any(entry["action"] == "retracted" for entry in record.get("history", [])):
            # Retracted before history was kept: its retraction, dated as recorded, goes first.
            record["history"] = [
                {
                    "action": "retracted",
                    "at": f"{retracted['date']}T00:00:00Z",
                    "reason": retracted["reason"],
                },
                *record.get("history", []),
            ]
        restored = history.changed(record, history.now(), action="restored", reason=reason.strip())
        return tx.put(found.table, found.doc_id, restored, "restore")._replace(warnings=tuple(warnings))


def rename_record(path: PathLike, old_id: str, new_id: str, dry_run: bool = False, cache_dir: str | None = None) -> Change:
    """Give a fact or a conflict a new id; every conflict naming a renamed fact names it anew."""
    with _Transaction(path, dry_run, cache_dir) as tx:
        found = _locate(tx, old_id)
        if taken := _taken(tx, new_id, but=found):
            raise Refused([taken])
        record = history.changed({**found.record, "id": new_id}, history.now(), action="renamed", **{"from": old_id})
        problems = _problems(tx, found.table, record)
        if problems:
            raise Refused(problems)
        if found.table == "facts":
            for conflict in (tx.tables.get("conflicts") or {}).values():
                if old_id in conflict["facts"]:
                    conflict["facts"] = [new_id if fact == old_id else fact for fact in conflict["facts"]]
        return tx.put(found.table, found.doc_id, record, "rename")


def add_source(
    path: PathLike, document: Any, sources_dir: PathLike | None = None, dry_run: bool = False, cache_dir: str | None = None
) -> Change:
    """Add one source document; with sources_dir, its file must be there."""
    record = source_record(document)
    with _Transaction(path, dry_run, cache_dir) as tx:
        problems = [p.message for p in source_problems(record)]
        if isinstance(record.get("id"), str) and (taken := _taken(tx, record["id"])):
            problems.append(taken)
        if sources_dir is not None and isinstance(record.get("file"), str) and record["file"]:
            try:
                found = evidence.SourceTexts(sources_dir).get(record)
            except OSError as error:
                raise Refused([str(error)]) from None
            if found is None:
                problems.append(f"file {record['file']!r} is not in {sources_dir}")
            elif record.get("sha256") not in (None, found.sha256):
                problems.append(f"sha256 does not match the bytes of {record['file']} in {sources_dir}")
            elif not problems:
                record["sha256"] = found.sha256
        if problems:
            raise Refused(problems)
        at = history.now()
        return tx.put("sources", None, {**record, "added": at, "changed": at}, "add-source")


def add_conflict(
    path: PathLike, document: Any, sources_dir: PathLike | None = None, dry_run: bool = False, cache_dir: str | None = None
) -> Change:
    """Record where sources disagree (or a caution): the facts it touches, a note, and two or
    more citations, checked and anchored as a fact's are; validated with the whole store, in
    one write. An id not given is made from the note, as a fact's is from its claim."""
    record = conflict_record(document)
    with _Transaction(path, dry_run, cache_dir) as tx:
        if not record.get("id") and isinstance(record.get("note"), str):
            taken = {record_id for table in EDITABLE for record_id in tx.ids(table)}
            record["id"] = readable_id({"kind": "conflict", "claim": record["note"]}, taken, tx.common)
        problems = []
        if "contradiction" not in record:
            problems.append(
                "contradiction is missing: say whether the sources contradict each other (true) or"
                " it is a caution, not a contradiction (false)"
            )
        if isinstance(record.get("id"), str) and (taken := _taken(tx, record["id"])):
            problems.append(taken)
        problems += _problems(tx, "conflicts", record)
        problems += _anchor_citations(tx, record, sources_dir)
        if problems:
            raise Refused(problems)
        tx.tables.setdefault("conflicts", {})
        at = history.now()
        return tx.put("conflicts", None, {**record, "added": at, "changed": at}, "add-conflict")


def anchor_store(path: PathLike, sources_dir: PathLike, dry_run: bool = False, cache_dir: str | None = None) -> Anchoring:
    """Anchor every citation of the store in its source's text and fingerprint every source, in
    one write; refused, writing nothing, while any source file is missing or any quote cannot be
    anchored. A quote found more than once keeps the occurrence its existing anchor selects."""
    with _Transaction(path, dry_run, cache_dir) as tx:
        tx.changed_facts = None  # citations are anchored in place, in any fact
        texts = evidence.SourceTexts(sources_dir)
        problems = []
        fingerprinted, sources_changed = 0, False
        for _, source in sorted(tx.tables["sources"].items(), key=document_order):
            try:
                found = texts.get(source)
            except OSError as error:
                raise StoreError(str(error)) from None
            if found is None:
                problems.append(f"source {source['id']}: file {source['file']} not found in {sources_dir}")
            elif source.get("sha256") != found.sha256 or "url" not in source:
                fingerprinted += source.get("sha256") != found.sha256
                sources_changed = True
                source["sha256"] = found.sha256
                source.setdefault("url", None)
        citations = anchored = 0
        corrected: dict[tuple[str, str], list[dict]] = {}  # (table, document id) -> the quotes anchoring made the source's own text
        for table in CITING_TABLES:
            for doc_id, record in sorted((tx.tables.get(table) or {}).items(), key=document_order):
                for number, citation in enumerate(record["citations"]):
                    citations += 1
                    source = tx.source_records[citation["source"]]
                    if texts.get(source) is None:
                        continue  # reported once, with its source
                    typed = citation["quote"]
                    try:
                        anchored += tx.anchor(citation, source, texts)
                    except Unanchored as error:
                        problems.append(f"{record['id']} [{source['id']}]: {error}: {typed!r}")
                        continue
                    if citation["quote"] != typed:
                        corrected.setdefault((table, doc_id), []).append(
                            history.change(f"citations[{number}].quote", before=typed, after=citation["quote"])
                        )
        if problems:
            raise Refused(problems)
        # A quote anchoring changed (a straight quote mark for the source's curly one) is an edit
        # the record's history keeps, as any other.
        at = history.now()
        for (table, doc_id), quotes in corrected.items():
            tx.tables[table][doc_id] = history.changed(tx.tables[table][doc_id], at, action="edited", changes=quotes)
        changed = bool(anchored or sources_changed)
        if changed:
            tx.save()
        return Anchoring(tx.path, citations, anchored, fingerprinted, written=changed and not dry_run)


def init_store(
    path: PathLike, empty: bool = False, title: str | None = None, source: PathLike | None = None, fmt: str | None = None
) -> Created:
    """Create a store at path: a copy of the bundled one, or of the store at source (either back
    end), or with empty a store with no records; title, when given, is its title (its meta).
    fmt is json or sqlite (a SQLite store of record, for a large store); by default, sqlite when
    path ends .db, .sqlite or .sqlite3. Never overwrites: refused when anything is at path already."""
    path = Path(path)
    tables = empty_tables() if empty else read_valid_tables(BUNDLED_STORE if source is None else os.fspath(source))
    if title is not None:
        record = {**meta_of(tables).to_record(), "title": title}
        if problems := meta_problems(record):
            raise Refused(problems)
        tables["meta"] = {"1": record}
    if fmt == "json" and named_database(str(path)):
        raise StoreError(f"cannot create {path} as JSON: a store named .db, .sqlite or .sqlite3 is read as SQLite")
    if not path.parent.is_dir():
        raise StoreError(f"cannot create {path}: there is no folder {path.parent}")
    with write_lock(path, creating=True):
        if os.path.lexists(path):
            raise StoreError(f"{path} already exists; facts init never writes over a store")
        if fmt == "sqlite" or (fmt is None and is_database(str(path))):
            from ..storage import sqlitefile

            sqlitefile.create(str(path), tables, stored.DERIVATION)
        else:
            AtomicJSONStorage(path).write(tables)
    return Created(path, len(tables["facts"]), len(tables["sources"]))


def set_meta(path: PathLike, assignments: Iterable[tuple[str, str]], dry_run: bool = False) -> Change:
    """Change keys of the store's meta ((key, text) pairs, typed by meta_value). The whole store
    must still be valid: a new scale is refused while a rating on record has a grade not on it."""
    with _Transaction(path, dry_run) as tx:
        record = meta_of(tx.tables).to_record()
        try:
            for key, text in assignments:
                record[key] = meta_value(key, text)
        except ValueError as error:
            raise Refused([str(error)]) from None
        if record.get("title") is None:
            raise Refused(["the store's title cannot be cleared"])
        record = {key: value for key, value in record.items() if value is not None}
        problems = meta_problems(record)
        if not problems:
            changed = {**tx.tables, "meta": {"1": record}}
            problems = [str(problem) for problem in store_problems(changed)]
        if problems:
            raise Refused(problems)
        before = meta_of(tx.tables).to_record()
        if Meta.from_record(record).to_record() == before:
            return Change("unchanged", record, tx.path, written=False)
        tx.tables["meta"] = {"1": record}
        tx.save()
        return Change("meta", record, tx.path, written=not tx.dry_run)
