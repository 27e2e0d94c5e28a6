"""Three-way merge of two stores grown from one base, by record id and field by field (git's merge driver)."""

from __future__ import annotations

import contextlib
import json
import os
from typing import Any

from ..core.errors import StoreError
from ..core.kinds import ANCHOR_KEYS
from ..core.text import normalise_claim
from ..core.records import document_order
from ..core.tuples import Record
from ..core.validation import store_problems
from ..storage.files import read_regular_bytes
from ..storage.backend import is_database
from ..storage.jsonfile import invalid_store_error, read_tables
from ..storage.writing import AtomicJSONStorage
from ..storage.location import write_refusal

# Tables whose records carry their own id, and what one record is called. Any other table (meta,
# TinyDB's _default) has no id of its own: its records are matched by document id.
RECORD_NAMES = {"sources": "source", "facts": "fact", "conflicts": "conflict"}


class _Absent:
    """A key, or a record, that one side does not have."""

    def __repr__(self):
        return "ABSENT"


ABSENT = _Absent()


class Clash(Record):
    """One thing the two sides did differently to one record, where ours was kept.

    field is the key both sides changed, or None when the clash is over the whole record
    (then reason says what happened). base, ours and theirs are the values, ABSENT where a
    side has none.
    """

    table: str
    record_id: str
    field: str | None
    base: object
    ours: object
    theirs: object
    reason: str | None = None


class InvalidSide(StoreError):
    """ours or theirs does not validate, and the merge needed it to; nothing was merged."""

    def __init__(self, side, problems):
        self.side, self.side_problems = side, problems
        super().__init__(f"{side} does not validate (first: {problems[0]})")


class Merged(Record):
    """The merged tables; each clash, ours kept; and theirs' version of each record that clashed
    (by (table, record id), ABSENT where theirs deleted it), for a curator to take instead."""

    tables: dict
    clashes: list[Clash]
    theirs: dict


class Outcome(Record):
    """What facts merge did, or would do with dry_run: the merged tables, where they went (and
    whether they were written), the clashes, and the file holding theirs' side of them."""

    tables: dict
    path: str
    written: bool
    clashes: list[Clash]
    theirs_file: str | None


def _same(a, b):
    # JSON's true and 1 are different values; Python's == says they are equal.
    return type(a) is type(b) and a == b


def _later(base, ours, theirs):
    return max(ours, theirs) if isinstance(ours, str) and isinstance(theirs, str) else None


def _earlier(base, ours, theirs):
    return min(ours, theirs) if isinstance(ours, str) and isinstance(theirs, str) else None


def _merge_history(base, ours, theirs):
    """Both sides' new entries after the shared ones, oldest first; None unless both only appended."""
    base = [] if base is ABSENT else base
    if not all(isinstance(side, list) for side in (base, ours, theirs)):
        return None
    shared = len(base)
    if ours[:shared] != base or theirs[:shared] != base:
        return None
    new = ours[shared:] + [entry for entry in theirs[shared:] if entry not in ours[shared:]]
    return base + sorted(new, key=lambda entry: str(entry.get("at", "")) if isinstance(entry, dict) else "")


def _citation_key(citation):
    return (citation.get("source"), citation.get("quote"))


def _merge_citations(base, ours, theirs):
    """ours' citations with theirs' changes to the same quotes (an anchor, an as_of) and theirs'
    new ones after; None (a clash) when either side removed or repeated a quote, or both changed
    one quote differently: then which quotes a claim rests on is the curator's call."""
    base = [] if base is ABSENT else base
    keyed = []
    for side in (base, ours, theirs):
        if not isinstance(side, list) or not all(isinstance(c, dict) for c in side):
            return None
        try:
            by_key = {_citation_key(c): c for c in side}
        except TypeError:  # a source or quote that is not text: the schema reports it
            return None
        if len(by_key) != len(side):
            return None
        keyed.append(by_key)
    base_keys, ours_keys, theirs_keys = keyed
    if not (base_keys.keys() <= ours_keys.keys() and base_keys.keys() <= theirs_keys.keys()):
        return None
    merged = []
    for key, citation in ours_keys.items():
        if key in theirs_keys:
            # An anchor's four keys locate one span together: they merge as one value.
            parts = [_anchor_as_one(side.get(key, {})) for side in (base_keys, ours_keys, theirs_keys)]
            citation, clashes = merge_record(*parts)
            if clashes:
                return None
            citation = {k: v for k, v in citation.items() if k != "anchor"} | {
                k: v for k, v in zip(ANCHOR_KEYS, citation.get("anchor", ())) if v is not ABSENT
            }
        merged.append(citation)
    merged += [citation for key, citation in theirs_keys.items() if key not in ours_keys]
    return merged


def _anchor_as_one(citation):
    anchor = tuple(citation.get(key, ABSENT) for key in ANCHOR_KEYS)
    rest = {key: value for key, value in citation.items() if key not in ANCHOR_KEYS}
    return rest if all(value is ABSENT for value in anchor) else {**rest, "anchor": anchor}


# How a key that both sides changed differently is merged, where that is safe; any other key clashes.
BOTH_CHANGED = {
    "changed": _later,
    "added": _earlier,
    "history": _merge_history,
    "citations": _merge_citations,
}


def merge_value(key: str, base, ours, theirs):
    """(value, clashed) of one key of a record from its three versions (ABSENT where a side has none):
    a side's change is taken; the same change on both sides is one change; different changes
    clash, and ours is kept."""
    if _same(ours, theirs):
        return ours, False
    if _same(ours, base):
        return theirs, False
    if _same(theirs, base):
        return ours, False
    both = BOTH_CHANGED.get(key)
    merged = both(base, ours, theirs) if both else None
    return (ours, True) if merged is None else (merged, False)


def merge_record(base: dict, ours: dict, theirs: dict) -> tuple[dict, list[tuple]]:
    """(merged record, clashes) of one record, key by key; each clash is (key, base, ours, theirs)."""
    merged, clashes = {}, []
    for key in dict.fromkeys([*ours, *theirs, *base]):
        values = tuple(record.get(key, ABSENT) for record in (base, ours, theirs))
        value, clashed = merge_value(key, *values)
        if clashed:
            clashes.append((key, *values))
        if value is not ABSENT:
            merged[key] = value
    return merged, clashes


def _keyed(name, table):
    """{key: (document id, record)} of a table, in document order: by record id where the table's
    records have one, else by document id. Anything that is not a record is left out."""
    keyed = {}
    for doc_id, record in sorted(table.items(), key=document_order):
        if not isinstance(record, dict):
            continue
        record_id = record.get("id")
        key = record_id if name in RECORD_NAMES and isinstance(record_id, str) else f"#{doc_id}"
        keyed[key] = (doc_id, record)
    return keyed


def _follow_renames(side, base):
    """side re-keyed so that a fact renamed there (facts rename writes its old id in the history)
    is matched with its base record, and the rename merges as a change of one field."""
    followed = {}
    for key, item in side.items():
        if key not in base:
            for entry in reversed(item[1].get("history") or []):
                old = entry.get("from") if isinstance(entry, dict) and entry.get("action") == "renamed" else None
                if isinstance(old, str) and old in base and old not in side and old not in followed:
                    key = old
                    break
        followed[key] = item
    return followed


class _Table:
    """One table being merged: its three sides keyed by record (see _keyed), and the merged records."""

    def __init__(self, name, base, ours, theirs):
        self.name = name
        base, ours, theirs = (_keyed(name, side) for side in (base, ours, theirs))
        if name == "facts":
            ours, theirs = _follow_renames(ours, base), _follow_renames(theirs, base)
        self.base, self.ours, self.theirs = base, ours, theirs
        self.merged = {}  # key: record, for every record of the result

    def record_id(self, key):
        for side in (self.ours, self.theirs, self.base):
            if key in side:
                return side[key][1].get("id", key) if self.name in RECORD_NAMES else key
        return key

    def document(self):
        """The merged table: ours' records under ours' document ids, in ours' order, then theirs'
        new ones under the next free ids, in theirs' order."""
        table = {doc_id: self.merged[key] for key, (doc_id, _) in self.ours.items() if key in self.merged}
        next_id = max((int(doc_id) for doc_id, _ in self.ours.values() if doc_id.isdigit()), default=0) + 1
        for key, record in self.merged.items():
            if key not in self.ours:
                table[str(next_id)] = record
                next_id += 1
        return table


def _merge_table(table, clashes, theirs_versions):
    """Merge each record of table (ours' in ours' order, then theirs' new ones) into table.merged;
    list its clashes, and theirs' version of each record that clashed."""
    ours_keys = list(table.ours)
    new_theirs = [key for key in table.theirs if key not in table.ours]
    for key in ours_keys + new_theirs:
        base = table.base.get(key, (None, ABSENT))[1]
        ours = table.ours.get(key, (None, ABSENT))[1]
        theirs = table.theirs.get(key, (None, ABSENT))[1]
        record_id = table.record_id(key)
        if theirs is ABSENT:
            if base is ABSENT or not _same(ours, base):
                table.merged[key] = ours  # ours' own, or kept and changed
                if base is not ABSENT:
                    reason = "changed in ours, deleted in theirs; ours kept"
                    clashes.append(Clash(table.name, record_id, None, base, ours, ABSENT, reason))
                    theirs_versions[table.name, record_id] = ABSENT
            continue  # deleted in theirs, unchanged in ours
        if ours is ABSENT:
            if base is ABSENT:
                table.merged[key] = theirs
            elif not _same(theirs, base):
                reason = "deleted in ours, changed in theirs; left deleted"
                clashes.append(Clash(table.name, record_id, None, base, ABSENT, theirs, reason))
                theirs_versions[table.name, record_id] = theirs
            continue
        if _same(ours, theirs) or _same(theirs, base):
            table.merged[key] = ours
            continue
        if _same(ours, base):
            table.merged[key] = theirs
            continue
        merged, found = merge_record({} if base is ABSENT else base, ours, theirs)
        if found and base is ABSENT:
            # Added on both sides, differently: two records that share an id, or one written
            # twice. Mixing their fields could pair one side's claim with the other's quotes.
            merged, theirs_version = ours, theirs
        else:
            theirs_version = dict(merged)
            for field, _, _, theirs_value in found:
                if theirs_value is ABSENT:
                    del theirs_version[field]
                else:
                    theirs_version[field] = theirs_value
        table.merged[key] = merged
        for field, base_value, ours_value, theirs_value in found:
            clashes.append(Clash(table.name, record_id, field, base_value, ours_value, theirs_value))
        if found:
            theirs_versions[table.name, record_id] = theirs_version


def _rename_references(tables):
    """Conflicts that name a fact by an id it was renamed from, on either side, name it by its new id."""
    facts = tables.get("facts")
    conflicts = tables.get("conflicts")
    if facts is None or conflicts is None:
        return
    present = {record.get("id") for record in facts.merged.values()}
    renamed = {
        key: record["id"]
        for key, record in facts.merged.items()
        if key in facts.base and record.get("id") != key and key not in present
    }
    if not renamed:
        return
    for key, record in conflicts.merged.items():
        names = record.get("facts")
        if isinstance(names, list) and any(isinstance(name, str) and name in renamed for name in names):
            followed = [renamed.get(name, name) if isinstance(name, str) else name for name in names]
            conflicts.merged[key] = {**record, "facts": followed}


def _contributions(tables):
    """{(table, key): None} of every record where the result differs from ours: theirs' doing."""
    found = {}
    for name, table in tables.items():
        for key in dict.fromkeys([*table.ours, *table.merged]):
            ours = table.ours.get(key, (None, ABSENT))[1]
            if not _same(table.merged.get(key, ABSENT), ours):
                found[name, key] = None
    return found


def _culprits(tables, problems, contributions):
    """{(table, key): problem} of theirs' records to leave out so that the problems go: those
    with a problem; for a problem of one of ours' records, theirs' that share its claim or id;
    for a problem that cannot be traced, theirs' in its table, or all of theirs."""
    by_id, table_of = {}, {}
    for name, table in tables.items():
        table_of[RECORD_NAMES.get(name, name)] = name
        for key, record in table.merged.items():
            by_id.setdefault((RECORD_NAMES.get(name, name), record.get("id", key)), []).append((name, key))
    found = {}
    for problem in problems:
        items = by_id.get((problem.table, problem.record_id), [])
        traced = [item for item in items if item in contributions]
        for item in items:
            if item not in contributions:
                traced += _related(tables, item, contributions)
        if not traced:
            traced = [item for item in contributions if item[0] == table_of.get(problem.table)] or list(contributions)
        found.update(dict.fromkeys(traced, problem.message))
    return found


def _related(tables, item, contributions):
    """theirs' records (in contributions) that share a fact's claim, or any record's id, with item."""
    name, key = item
    record = tables[name].merged[key]
    claim = record.get("claim")
    folded = normalise_claim(claim) if name == "facts" and isinstance(claim, str) else None
    related = []
    for other in contributions:
        other_record = tables[other[0]].merged.get(other[1])
        if other[0] != name or other_record is None or other == item:
            continue
        same_claim = (
            folded is not None
            and not other_record.get("retracted")
            and isinstance(other_record.get("claim"), str)
            and normalise_claim(other_record["claim"]) == folded
        )
        if same_claim or other_record.get("id", other[1]) == record.get("id", key):
            related.append(other)
    return related


def _documents(tables):
    return {name: table.document() for name, table in tables.items()}


def merge_tables(base: dict, ours: dict, theirs: dict) -> Merged:
    """Merge theirs into ours, both grown from base (each a store's tables, as parsed JSON).

    Records are matched by id (a fact renamed on one side by its old id), never by TinyDB's
    document id, so both sides' new records are kept. A record changed on one side takes that
    change; changed on both, it merges key by key (see merge_value). Where both changed one key
    differently, or one side deleted a record the other changed, ours is kept and the clash
    listed. If the result would not validate (two new facts with one claim, a conflict naming a
    fact the other side deleted), theirs' records that cause it are left out, as clashes; the
    result always validates. Raises InvalidSide when it cannot without ours and theirs valid.
    """
    # A table both sides dropped stays dropped; one either side has is kept.
    tables = {
        name: _Table(name, base.get(name) or {}, ours.get(name) or {}, theirs.get(name) or {})
        for name in dict.fromkeys([*ours, *theirs])
    }
    clashes: list[Clash] = []
    theirs_versions: dict[tuple[str, str], Any] = {}
    for table in tables.values():
        _merge_table(table, clashes, theirs_versions)
    _rename_references(tables)
    left_out: dict[tuple[str, str], str] = {}
    checked = False
    while problems := store_problems(_documents(tables)):
        if not checked:
            # Each side is validated only now: a clean merge pays for one validation, not three.
            for side, side_tables in (("ours", ours), ("theirs", theirs)):
                if side_problems := store_problems(side_tables):
                    raise InvalidSide(side, side_problems)
            checked = True
        contributions = _contributions(tables)
        if not contributions:  # the result is ours, which validates: never, but never a loop either
            raise StoreError(f"the merged store does not validate (first: {problems[0]}); nothing merged")
        for (name, key), message in _culprits(tables, problems, contributions).items():
            table = tables[name]
            theirs_versions.setdefault((name, table.record_id(key)), table.merged.get(key, ABSENT))
            left_out.setdefault((name, key), message)
            if key in table.ours:
                table.merged[key] = table.ours[key][1]
            else:
                table.merged.pop(key, None)
    for (name, key), message in left_out.items():
        table = tables[name]
        record_id = table.record_id(key)
        clashes.append(
            Clash(
                name,
                record_id,
                None,
                table.base.get(key, (None, ABSENT))[1],
                table.ours.get(key, (None, ABSENT))[1],
                theirs_versions[name, record_id],
                f"theirs' version left out: the merged store would have: {message}",
            )
        )
    return Merged(_documents(tables), clashes, theirs_versions)


def _read_side(path, side):
    """The tables of one side, as parsed JSON; StoreError naming the side if it is not a store."""
    try:
        tables = read_tables(path)
    except StoreError as error:
        raise StoreError(f"{side}: {error}; nothing merged") from None
    if not isinstance(tables, dict) or not all(isinstance(table, dict) for table in tables.values()):
        raise StoreError(
            f"{side}: {path} is not a store: a JSON object of tables, each an object of records; nothing merged"
        )
    return tables


def theirs_file_path(path: str) -> str:
    """Where theirs' side of the clashes goes: beside the store at path, as NAME.theirs.json
    (NAME.theirs.2.json, ... when taken: an earlier merge's is never overwritten)."""
    directory, name = os.path.split(path)
    stem = name[: -len(".json")] if name.endswith(".json") and name != ".json" else name
    candidate, number = os.path.join(directory, f"{stem}.theirs.json"), 2
    while os.path.lexists(candidate):
        candidate, number = os.path.join(directory, f"{stem}.theirs.{number}.json"), number + 1
    return candidate


def theirs_document(merged: Merged, result_path: str) -> dict:
    """The side file's contents: for each record that clashed, every clash and theirs' version."""
    records: dict[tuple[str, str], dict[str, Any]] = {}
    for clash in merged.clashes:
        entry = records.setdefault(
            (clash.table, clash.record_id),
            {"table": clash.table, "id": clash.record_id, "clashes": [], "theirs": None},
        )
        entry["clashes"].append(
            {
                "field": clash.field,
                **({"reason": clash.reason} if clash.reason else {}),
                **{
                    side: value
                    for side, value in (("base", clash.base), ("ours", clash.ours), ("theirs", clash.theirs))
                    if value is not ABSENT
                },
            }
        )
    for key, entry in records.items():
        version = merged.theirs.get(key, ABSENT)
        entry["theirs"] = None if version is ABSENT else version
    return {
        "merged_into": result_path,
        "about": (
            "facts merge kept ours' value of each clash in the merged store; theirs' values are here."
            " 'theirs' is each record as theirs would have it (null where theirs deleted it)."
        ),
        "records": list(records.values()),
    }


def _write_new_file(path, text):
    """Write text to a new file at path, whole or not at all; never over a file or through a link."""
    import tempfile

    directory = os.path.dirname(path) or "."
    handle, temporary = tempfile.mkstemp(prefix=".facts-merge.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        # A hard link fails if anything, a symbolic link included, is at path already.
        os.link(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


@contextlib.contextmanager
def _no_cycle_collection():
    """Python's cycle collector off for a while: three whole stores are millions of objects, which
    each collection walks again (half the time of a merge of 100,000 facts); a merge makes no cycles."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def merge_files(
    base_path: str, ours_path: str, theirs_path: str, result_path: str | None = None, dry_run: bool = False
) -> Outcome:
    """Merge the store at theirs_path into the one at ours_path, both grown from base_path; the
    result replaces ours (atomically), as git's merge driver contract asks.

    base may be empty (git passes an empty file when the store has no common ancestor). The
    result is a valid store; ours and theirs must be too, where the merge needs them to be. On
    a clash, theirs' side is written to a new file beside result_path (git's %P: where the
    merge goes), or beside ours. With dry_run, nothing is written. Raises StoreError, having
    written nothing, if it cannot merge.
    """
    for side, path in (("base", base_path), ("ours", ours_path), ("theirs", theirs_path)):
        if is_database(path):
            raise StoreError(
                f"{side}: {path} is a SQLite store; facts merge merges JSON stores (facts export --format json"
                " makes one of it); nothing merged"
            )
    with _no_cycle_collection():
        base = {} if not _read_bytes(base_path, "base").strip() else _read_side(base_path, "base")
        before = _read_bytes(ours_path, "ours")
        ours, theirs = _read_side(ours_path, "ours"), _read_side(theirs_path, "theirs")
        if not dry_run and (refusal := write_refusal(ours_path)):
            raise StoreError(f"nothing merged: {refusal}")
        try:
            merged = merge_tables(base, ours, theirs)
        except InvalidSide as error:
            path = ours_path if error.side == "ours" else theirs_path
            problem = invalid_store_error(path, error.side_problems)
            raise StoreError(f"{error.side}: {problem}; nothing merged") from None
        theirs_file = theirs_file_path(result_path or ours_path) if merged.clashes else None
        written = merged.tables != ours and not dry_run
        if dry_run:
            return Outcome(merged.tables, ours_path, False, merged.clashes, theirs_file)
        if theirs_file is not None:
            text = json.dumps(theirs_document(merged, result_path or ours_path), indent=2, ensure_ascii=False)
            try:
                _write_new_file(theirs_file, text + "\n")
            except OSError as error:
                raise StoreError(f"cannot write {theirs_file}: {error.strerror or error}; nothing merged") from None
        try:
            if written:
                if _read_bytes(ours_path, "ours") != before:
                    raise StoreError(f"ours: {ours_path} changed while it was being merged; nothing merged")
                AtomicJSONStorage(ours_path).write(merged.tables)
        except StoreError:
            if theirs_file is not None:
                with contextlib.suppress(OSError):
                    os.unlink(theirs_file)
            raise
        return Outcome(merged.tables, ours_path, written, merged.clashes, theirs_file)


def _read_bytes(path, side):
    """The bytes of one side's file; StoreError naming the side if it cannot be read."""
    try:
        return read_regular_bytes(path)
    except FileNotFoundError:
        raise StoreError(f"{side}: store not found: {path}; nothing merged") from None
    except OSError as error:
        raise StoreError(f"{side}: cannot read {path}: {error.strerror or error}; nothing merged") from None
