"""The shape of each query command's machine output: one set of keys in one order, and its JSON Schema.

Every object of an answer carries every key of its command, null where a fact's kind has
no such field, so a script sees one shape per command and a CSV has one header, even
when the answer is empty. The JSON Schema (draft 2020-12) is built from the same lists,
so what `facts schema` publishes and what the commands print cannot drift apart.
"""

from ..answers.rating import BASES as JUDGMENT_BASES
from ..answers.rating import MADE_BASES
from ..core.kinds import ANCHOR_KEYS, DATE_BASES, DATE_BOUNDS, HISTORY_ACTIONS, KINDS, PUBLISHED_BASES

DRAFT = "https://json-schema.org/draft/2020-12/schema"

TEXT = {"type": "string"}
DATE = {"type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"}
COUNT = {"type": "integer", "minimum": 0}
TEXTS = {"type": "array", "items": TEXT}


def nullable(schema):
    """The schema, or null."""
    return {"anyOf": [schema, {"type": "null"}]}


def one_of(values):
    return {"enum": list(values)}


def _object(properties):
    """An object with exactly these keys, all present (null where unknown)."""
    return {
        "type": "object",
        "properties": dict(properties),
        "required": [name for name, _ in properties],
        "additionalProperties": False,
    }


CITATION = _object(
    [
        ("source", TEXT),
        ("title", TEXT),
        ("publisher", nullable(TEXT)),
        ("published", nullable(DATE)),
        ("published_after", nullable(DATE)),
        ("published_before", nullable(DATE)),
        ("published_basis", nullable(one_of(PUBLISHED_BASES))),
        ("file", TEXT),
        ("quote", TEXT),
        ("as_of", nullable(DATE)),
        *((key, nullable(COUNT if key in ("start", "end") else TEXT)) for key in ANCHOR_KEYS),
    ]
)
CITATIONS = {"type": "array", "items": CITATION}

_FIELD_TYPES = {"text": TEXT, "date": DATE, "number": {"type": "number"}}


def _field(spec, everywhere):
    schema = one_of(spec.choices) if spec.choices else _FIELD_TYPES[spec.type]
    # A field some kinds of the answer lack is null on facts of those kinds.
    return nullable(schema) if spec.nullable or not everywhere else schema


def _kind_fields(kinds):
    """The fields of these kinds, in the schema's order, each once."""
    fields = {}
    for kind in kinds:
        for name, spec in KINDS[kind].items():
            fields.setdefault(name, spec)
    return [(name, _field(spec, all(name in KINDS[kind] for kind in kinds))) for name, spec in fields.items()]


def _fact_keys(kinds, context=()):
    return [
        ("id", TEXT),
        ("kind", one_of(kinds)),
        ("claim", TEXT),
        ("date", nullable(DATE)),
        ("date_bound", nullable(one_of(DATE_BOUNDS))),
        ("date_basis", nullable(one_of(DATE_BASES))),
        ("date_note", nullable(TEXT)),
        *_kind_fields(kinds),
        ("citations", CITATIONS),
        ("conflicts", TEXTS),
        *CURATION,
        *context,
    ]


YEAR = nullable({"type": "integer"})
TIMESTAMP = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"}
# One field an edit changed: its value before and after (any JSON; a side absent where the field
# was not there), and the sides of which only the start of a long value's JSON was kept.
CHANGE = {
    "type": "object",
    "properties": {"field": TEXT, "before": {}, "after": {}, "shortened": {"type": "array", "items": one_of(("before", "after"))}},
    "required": ["field"],
    "additionalProperties": False,
}
HISTORY_ENTRY = {
    "type": "object",
    "properties": {
        "action": one_of(HISTORY_ACTIONS),
        "at": TIMESTAMP,
        "reason": TEXT,
        "from": TEXT,
        "changes": {"type": "array", "items": CHANGE},
    },
    "required": ["action", "at"],
    "additionalProperties": False,
}
# What the tool records of a fact's or a conflict's curation.
CURATION = [
    ("retracted", nullable(_object([("reason", TEXT), ("date", DATE)]))),
    ("added", nullable(TIMESTAMP)),
    ("changed", nullable(TIMESTAMP)),
    ("history", {"type": "array", "items": HISTORY_ENTRY}),
]

# What each question adds about a fact, after its own keys.
MATCH = _object([("claim", TEXTS), ("quotes", TEXTS), ("fields", TEXTS)])

KEYS = {
    "rating": _fact_keys(
        ["rating"],
        [
            ("made", DATE),
            ("made_basis", one_of(MADE_BASES)),
            ("next_judgment", nullable(DATE)),
            ("next_judgment_basis", nullable(one_of(MADE_BASES))),
            ("year", YEAR),
            ("basis", nullable(one_of(JUDGMENT_BASES))),
        ],
    ),
    "who": _fact_keys(
        ["role"],
        [
            ("first_on_record", nullable(DATE)),
            ("first_on_record_basis", nullable(one_of(("stated", *PUBLISHED_BASES)))),
            ("last_on_record", nullable(DATE)),
            ("last_on_record_basis", nullable(one_of(("stated", *PUBLISHED_BASES)))),
            ("year", YEAR),
            ("basis", nullable(one_of(("on record", "presumed")))),
        ],
    ),
    "timeline": _fact_keys(list(KINDS)),
    "search": _fact_keys(list(KINDS), [("match", nullable(MATCH))]),
    "show": _fact_keys(list(KINDS)),
    "sources": [
        ("id", TEXT),
        ("title", TEXT),
        ("publisher", nullable(TEXT)),
        ("published", nullable(DATE)),
        ("published_after", nullable(DATE)),
        ("published_before", nullable(DATE)),
        ("published_basis", nullable(one_of(PUBLISHED_BASES))),
        ("published_note", nullable(TEXT)),
        ("file", TEXT),
        ("sha256", nullable(TEXT)),
        ("url", nullable(TEXT)),
        ("facts", COUNT),
        ("citations", COUNT),
        ("horizon", nullable(DATE)),
        ("horizon_basis", nullable(one_of((*PUBLISHED_BASES, "bounded")))),
    ],
    "conflicts": [
        ("id", TEXT),
        ("facts", TEXTS),
        ("contradiction", {"type": "boolean"}),
        ("note", TEXT),
        ("citations", CITATIONS),
        *CURATION,
    ],
    "log": [
        ("at", TIMESTAMP),
        ("action", one_of(("added", "changed", *HISTORY_ACTIONS))),
        ("record", one_of(("fact", "conflict", "source"))),
        ("id", TEXT),
        ("claim", TEXT),
        ("detail", nullable(TEXT)),
        ("field", nullable(TEXT)),
        ("before", {}),
        ("after", {}),
        ("shortened", {"type": "array", "items": one_of(("before", "after"))}),
    ],
}
COMMANDS = tuple(KEYS)

DESCRIPTIONS = {
    "rating": "Inspection judgments; made says when a judgment was made and made_basis from which date "
    "(inspected: only the inspection is on record, not the publication); "
    "with --year, basis says how it stands in that year: made in year, carried forward, until superseded "
    "(in force until the next judgment's publication, whose date is not on record) or publication not on "
    "record (inspected; it may have been made in that year). No year after the store's horizon is answered.",
    "who": "People in roles; first_on_record and last_on_record are the dates the sources place them "
    "in the role; start_basis and end_basis say how a start or end is known (stated, planned, inferred); "
    "with --year, basis is 'on record' or 'presumed' (after the record, no end on record, up to the store's "
    "horizon).",
    "timeline": "Dated facts in date order (with --undated, undated ones last).",
    "search": "Facts matching every word, best first; match lists the words found in each field.",
    "show": "One fact, whole; or, for a conflict's id, one conflict with the keys of facts conflicts.",
    "sources": "Source documents, with how many facts and citations rest on each, and the store's horizon: "
    "the newest date its sources speak for, past which nothing is answered.",
    "conflicts": "Recorded disagreements between sources (contradiction false: a caution that is not a "
    "contradiction): the facts they touch and the words on each side; retracted ones (with "
    "--include-retracted) flag no fact.",
    "log": "Curation changes, oldest first: when (UTC), what was done, to which record (a fact, conflict or "
    "source; claim is a fact's claim, a conflict's note or a source's title), and why; an edit or a citation "
    "is one entry a field, with its value before and after (shortened: only the start of its JSON was kept).",
}


def keys(command):
    """The keys of one object of command's answer, in order."""
    return [name for name, _ in KEYS[command]]


# The keys that say how another key's value is known. A date never leaves without its mark: asked
# for a value (--fields date), an answer gives these with it, so that a spreadsheet of dates does
# not show a bound or an inference as a plain date.
MARKS = {
    "date": ("date_bound", "date_basis"),
    "start": ("start_basis",),
    "end": ("end_basis",),
    "published": ("published_after", "published_before", "published_basis"),
    "made": ("made_basis",),
    "next_judgment": ("next_judgment_basis",),
    "first_on_record": ("first_on_record_basis",),
    "last_on_record": ("last_on_record_basis",),
    "year": ("basis",),
    "horizon": ("horizon_basis",),
}


def with_marks(command, fields):
    """fields, each followed by the keys of command's answer that say how its value is known
    (MARKS), where they were not asked for already; None stays None (every key)."""
    if fields is None:
        return None
    valid = set(keys(command))
    found = []
    for name in fields:
        found.append(name)
        found.extend(mark for mark in MARKS.get(name, ()) if mark in valid and mark not in fields)
    return list(dict.fromkeys(found))


def json_schema(command):
    """The JSON Schema of command's JSON output: an array of objects of one shape (for show, a
    fact's or a conflict's)."""
    items = _object(KEYS[command])
    if command == "show":
        items = {"anyOf": [items, _object(KEYS["conflicts"])]}
    return {
        "$schema": DRAFT,
        "title": f"facts {command} --json",
        "description": DESCRIPTIONS[command],
        "type": "array",
        "items": items,
    }


def shaped(command, documents):
    """Each document with exactly command's keys, in order, null where it has no value."""
    # Merging into a template of nulls keeps the template's order, and is quicker than a lookup a key.
    template = dict.fromkeys(keys(command))
    return [{**template, **document} for document in documents]
