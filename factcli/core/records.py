"""The records a store holds, as plain objects: sources, citations, facts, conflicts; and a problem with one."""

from __future__ import annotations

from .kinds import ANCHOR_KEYS, KINDS, OPTIONAL_SOURCE_KEYS, SOURCE_KEYS
from .tuples import Record


class Retraction(Record):
    reason: str
    date: str


def _retraction(record):
    retracted = record.get("retracted")
    return Retraction(retracted["reason"], retracted["date"]) if retracted else None


class Problem(Record):
    """One thing wrong with one record of the store."""

    table: str
    record_id: str
    message: str

    def __str__(self):
        return f"{self.table} {self.record_id}: {self.message}"


class Source(Record):
    id: str
    title: str
    publisher: str | None
    published: str | None
    published_basis: str | None
    published_note: str | None
    file: str
    sha256: str | None = None
    url: str | None = None
    published_after: str | None = None
    published_before: str | None = None
    added: str | None = None
    changed: str | None = None
    history: tuple = ()

    @classmethod
    def from_record(cls, record):
        # By position, the quickest way to make one: each field is the record's key of its name.
        return cls(*(record.get(key) for key in cls._fields[:-1]), tuple(record.get("history") or ()))

    def to_record(self):
        """The source's own keys, as answers show them (its curation times and history aside)."""
        return {key: getattr(self, key) for key in SOURCE_KEYS + OPTIONAL_SOURCE_KEYS}

    def dated(self):
        """The date the source is known by: its publication date, else the bound it is known
        after, else the one it is known before; None when nothing is known."""
        return self.published or self.published_after or self.published_before


class Citation(Record):
    """A quote from a source: as_of is when it places its claim, if not the source's publication
    date; once anchored, start/end/prefix/suffix say where it sits in the source's text."""

    source: str
    quote: str
    as_of: str | None = None
    start: int | None = None
    end: int | None = None
    prefix: str | None = None
    suffix: str | None = None

    @classmethod
    def from_record(cls, record):
        return cls(
            record["source"], record["quote"], record.get("as_of"), *(record.get(key) for key in ANCHOR_KEYS)
        )

    def to_record(self):
        record = {"source": self.source, "quote": self.quote}
        if self.as_of:
            record["as_of"] = self.as_of
        if self.start is not None:
            record.update({key: getattr(self, key) for key in ANCHOR_KEYS})
        return record


class Conflict(Record):
    """Where sources disagree, with each other or with themselves: the facts touched and the words.
    contradiction is False for a caution that is not a disagreement (the note says why it matters)."""

    id: str
    facts: tuple
    note: str
    citations: tuple
    contradiction: bool = True
    retracted: Retraction | None = None
    added: str | None = None
    changed: str | None = None
    history: tuple = ()

    @classmethod
    def from_record(cls, record):
        # By position, in the order of the fields: test_core checks each lands in its own.
        return cls(
            record["id"],
            tuple(record["facts"]),
            record["note"],
            tuple(Citation.from_record(c) for c in record["citations"]),
            record.get("contradiction", True),
            _retraction(record),
            record.get("added"),
            record.get("changed"),
            tuple(record.get("history") or ()),
        )


class Fact(Record):
    """One claim: the common keys, the kind's fields by name, and its citations."""

    id: str
    kind: str
    claim: str
    date: str | None
    citations: tuple
    fields: dict
    date_note: str | None = None
    retracted: Retraction | None = None
    date_bound: str | None = None
    date_basis: str | None = None
    added: str | None = None
    changed: str | None = None
    history: tuple = ()

    @classmethod
    def from_record(cls, record):
        # By position, as Conflict's.
        return cls(
            record["id"],
            record["kind"],
            record["claim"],
            record.get("date"),
            tuple(Citation.from_record(c) for c in record["citations"]),
            {name: record.get(name) for name in KINDS[record["kind"]]},
            record.get("date_note"),
            _retraction(record),
            record.get("date_bound"),
            record.get("date_basis"),
            record.get("added"),
            record.get("changed"),
            tuple(record.get("history") or ()),
        )

    def to_record(self):
        record = {
            "id": self.id,
            "kind": self.kind,
            "claim": self.claim,
            "date": self.date,
            "date_note": self.date_note,
            "citations": [c.to_record() for c in self.citations],
            **self.fields,
        }
        if self.date_bound:
            record["date_bound"] = self.date_bound
        if self.date_basis:
            record["date_basis"] = self.date_basis
        if self.retracted:
            record["retracted"] = {"reason": self.retracted.reason, "date": self.retracted.date}
        for key in ("added", "changed"):
            if getattr(self, key):
                record[key] = getattr(self, key)
        if self.history:
            record["history"] = list(self.history)
        return record


def document_order(item: tuple[str, object]) -> tuple[int, int, str]:
    """Sort key for a table's (document id, record) items: the order they were added."""
    # TinyDB's document ids are strings of integers; sorted keys on disk put "10" before "2".
    doc_id = item[0]
    return (0, int(doc_id), "") if doc_id.isdigit() else (1, 0, doc_id)
