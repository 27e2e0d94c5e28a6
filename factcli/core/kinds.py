"""The kinds of fact and their fields, and the keys every record of the store may hold."""

from __future__ import annotations

from .tuples import Record


class FieldSpec(Record):
    """One kind-specific field: its JSON type, whether it may be null, and any closed set of values.
    An optional field may be left out of a record (it reads as null): a field added to a kind
    after stores of it were written."""

    type: str  # "text", "date" (ISO partial date) or "number"
    nullable: bool = False
    choices: tuple = ()
    help: str = ""
    optional: bool = False


# How a role's start or end is known: the source says it happened ("took over in the summer"),
# says it will ("is to retire in March"), or it was worked out (tenure_note says how). A start
# or end recorded before these existed was a stated one, as the schema then defined them.
TENURE_BASES = ("stated", "planned", "inferred")


# The closed vocabulary of kinds. Every field listed is present on a fact of that kind
# (null where nullable and unknown); no other fields are allowed, so a typo is caught.
KINDS = {
    "rating": {
        "judgment": FieldSpec("text", help="the grade, one of the store's scale (facts meta)"),
        "area": FieldSpec("text", help='"overall" for the headline grade, else the area judged'),
        "service": FieldSpec("text", help="what was inspected"),
        "inspected": FieldSpec("date", nullable=True, help="when the inspection took place"),
        "published": FieldSpec("date", nullable=True, help="when the judgment was published"),
    },
    "inspection": {
        "body": FieldSpec("text", help="who inspects"),
        "inspection_type": FieldSpec("text", help="full inspection, monitoring visit, ..."),
        "status": FieldSpec("text", choices=("held", "planned"), help="held, or planned as of the source"),
    },
    "intervention": {
        "intervention": FieldSpec(
            "text",
            choices=("improvement notice", "statutory direction", "commissioner review", "departmental oversight"),
            help="the measure",
        ),
        "action": FieldSpec(
            "text",
            choices=("imposed", "revised", "lifted", "planned", "continued", "concluded"),
            help="what happened to it",
        ),
        "by": FieldSpec("text", nullable=True, help="who acted"),
    },
    "role": {
        "person": FieldSpec("text", help="full name"),
        "role": FieldSpec("text", help="the role as the source words it"),
        "organisation": FieldSpec("text", help="where the role is held"),
        "start": FieldSpec("date", nullable=True, help="when the role started, as the sources give it"),
        "end": FieldSpec("date", nullable=True, help="when the role ended, as the sources give it"),
        "post": FieldSpec(
            "text", nullable=True, help="shared name when one post is worded differently over time"
        ),
        "start_basis": FieldSpec(
            "text", nullable=True, choices=TENURE_BASES, optional=True, help="how the start is known"
        ),
        "end_basis": FieldSpec("text", nullable=True, choices=TENURE_BASES, optional=True, help="how the end is known"),
        "tenure_note": FieldSpec(
            "text", nullable=True, optional=True, help="how an inferred start or end, or the post, was worked out"
        ),
    },
    "figure": {
        "value": FieldSpec("number", help="the number"),
        "unit": FieldSpec("text", help="GBP, social workers, ..."),
        "measure": FieldSpec("text", help="what is counted"),
    },
    "finding": {"by": FieldSpec("text", nullable=True, help="who found it, where the source says")},
    "statement": {"speaker": FieldSpec("text", help="who said it")},
    "plan": {"owner": FieldSpec("text", help="whose plan, model or strategy")},
    "event": {},
}

COMMON_FACT_KEYS = ("id", "kind", "claim", "date", "date_bound", "date_note", "citations")
# What the tool writes about a record's curation: when it was added and last changed (UTC), and
# its history: retractions, restorations, renamings, edits and citations, oldest first.
CURATION_KEYS = ("added", "changed", "history")
OPTIONAL_FACT_KEYS = ("date_basis", "date_bound", "date_note", "retracted", *CURATION_KEYS)
HISTORY_ACTIONS = ("retracted", "restored", "renamed", "edited", "cited")
# The keys of a history entry: an edit's or a citation's entry lists its changes, each a field
# with its value before and after (absent where the field was not there).
HISTORY_KEYS = ("action", "at", "reason", "from", "changes")
CHANGE_KEYS = ("field", "before", "after", "shortened")
# A value a change keeps is at most this many characters of JSON; a longer one is kept as its
# first HISTORY_VALUE_LIMIT characters of JSON, its side listed in shortened, so that history
# stays small.
HISTORY_VALUE_LIMIT = 200
SOURCE_KEYS = ("id", "title", "publisher", "published", "published_basis", "published_note", "file")
# A source's fingerprint (sha256 of its text file's bytes), where to read the original, and,
# for a source whose date is not known, the bounds that are: published after (or on) one date,
# before (or on) another.
OPTIONAL_SOURCE_KEYS = ("sha256", "url", "published_after", "published_before")
PUBLISHED_BOUNDS = ("published_after", "published_before")
CONFLICT_KEYS = ("id", "facts", "note", "citations")
# A record of the conflicts table that is a caution rather than a disagreement ("not a
# contradiction": an expectation and the event, two months of one process) says so. A
# retracted conflict is kept, and flags no fact.
OPTIONAL_CONFLICT_KEYS = ("contradiction", "retracted", *CURATION_KEYS)

# Where a quote sits in its source's text, after the W3C Web Annotation selectors: start and
# end in code points (text[start:end] is the quoted span) and up to ANCHOR_CONTEXT code points
# either side, so the quote can be found again, and shown in context, in any copy of the text.
ANCHOR_KEYS = ("start", "end", "prefix", "suffix")
ANCHOR_CONTEXT = 32
CITATION_KEYS = ("source", "quote", "as_of", *ANCHOR_KEYS)

# The tables whose records cite sources, and what one of their records is called.
CITING_TABLES = {"facts": "fact", "conflicts": "conflict"}

# A fact's date is when the claim happened or held. Where the sources give only a bound
# ("by March 2021", "after the December 2018 inspection"), date_bound says which side.
DATE_BOUNDS = ("by", "after")
# How a fact's date is known: the quoted words give it (stated); the source's publication date
# stands in for an event the text does not date (reported); only a bound is known (bounded,
# with date_bound); worked out from the text (inferred, date_note says how); or from knowledge
# outside the sources (outside, date_note names it). A store from before date_basis has none.
DATE_BASES = ("stated", "reported", "bounded", "inferred", "outside")
# How a source's publication date is known: printed in the text, worked out from it, or from
# knowledge outside it (published_note then says how, and names the outside knowledge).
PUBLISHED_BASES = ("printed", "inferred", "outside")
# How a date whose basis is not stated or printed reads wherever it is printed: "2024 (outside
# the sources)". One wording for answers' notes, the terminal, the brief and the site.
BASIS_WORDS = {
    "reported": "reported",
    "inferred": "inferred",
    "outside": "outside the sources",
    None: "basis not recorded",
}


def marked_basis(basis):
    """The words that go with a date known this way, or "" when it is stated, printed or bounded."""
    return "" if basis in ("stated", "printed", "bounded") else BASIS_WORDS.get(basis, basis)

# Keys that answers add for the reader (a citation's source details, a query's context).
# Input in the shape of an answer drops them, so a fact can be exported, changed and re-imported.
OUTPUT_ONLY_CITATION_KEYS = (
    "title", "publisher", "published", "published_after", "published_before", "published_basis", "file",
)
OUTPUT_ONLY_FACT_KEYS = (
    "made",
    "made_basis",
    "next_judgment",
    "next_judgment_basis",
    "year",
    "basis",
    "first_on_record",
    "first_on_record_basis",
    "last_on_record",
    "last_on_record_basis",
    "match",
    "conflicts",
    "people",  # the people a drafted candidate names (facts draft)
    "matches",  # the facts on record a drafted candidate restates (facts draft)
    "disagrees",  # the facts on record a drafted candidate gives another value of (facts draft)
)
OUTPUT_ONLY_SOURCE_KEYS = ("facts", "citations", "horizon", "horizon_basis")

