"""What claim a fact makes, by kind: the fields that identify it, so a reworded duplicate is caught.

Two facts make one claim when they are of one kind and agree on that kind's identifying fields
(IDENTIFYING), each compared as normalise() (or person_key() for people) leaves it:

- rating: judgment, area and month (its date, published or inspected, to the month);
- role: person, organisation and post (the post as worded by the role and by the post field,
  each with the store's aliases applied: "children's minister" is "minister for children");
- figure: value, unit and measure;
- intervention: intervention, action and month;
- inspection: inspection type, status, body and month;
- statement: speaker and quote (the speaker's words, as any of its citations gives them).

A finding, a plan and an event have none: what they claim is only in their words, which one
sentence may hold several claims in, and which a duplicate rewords. The same claim word for
word, a claim sharing most words and an overlapping quote (curation.overlap) cover them.

A field agrees when the two share one of its forms (a role's several wordings, a fact's several
quotes, a rating's several dates), and months agree when one holds the other ("2024" holds
"2024-06"). A fact is near another of its kind when they agree on the kind's ANCHOR fields and
on all but one of the others (a reworded measure or area, another month of the same year): a
hint that it may be the same claim, never a refusal.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..core.dates import PARTIAL_DATE
from ..core.meta import Meta
from ..core.text import matching_words
from ..core.tuples import Record

# English forms of address written before a name, and letters written after it: honours, seats,
# ranks at the bar, degrees. Compared as normalise() leaves words (no dots, lower case).
HONORIFICS = frozenset(
    """mr mrs ms miss mx dr doctor sir dame lord lady baroness baron viscount viscountess earl
    countess duke duchess professor prof cllr councillor coun cr rev revd reverend rt right hon
    honourable the""".split()
)
POST_NOMINALS = frozenset(
    """obe mbe cbe kbe dbe gbe ch cb kcb frs freng fba frsa mp msp ms am mla mep qc kc jp dl
    qpm kpm phd dphil md ma msc ba bsc llb llm esq""".split()
)

# Each kind's identifying fields, in order; "when" is the fact's month (see _months), "quote"
# its citations' quotes, "post" a role's wordings of its post.
IDENTIFYING: dict[str, tuple[str, ...]] = {
    "rating": ("judgment", "area", "when"),
    "role": ("person", "organisation", "post"),
    "figure": ("value", "unit", "measure"),
    "intervention": ("intervention", "action", "when"),
    "inspection": ("inspection_type", "status", "body", "when"),
    "statement": ("speaker", "quote"),
}
# The fields a near fact must agree on too: who held a role, the number and its unit, the grade,
# the measure and what happened to it, what was said. "year" is the year of "when".
ANCHOR: dict[str, tuple[str, ...]] = {
    "rating": ("judgment", "year"),
    "role": ("person",),
    "figure": ("value", "unit"),
    "intervention": ("intervention", "action", "year"),
    "inspection": ("year",),
    "statement": ("quote",),
}
# Fields compared as people's names.
PEOPLE = frozenset({"person", "speaker"})
# A rating's month is any of these that is given: when it was published, inspected or dated.
RATING_DATES = ("date", "published", "inspected")

_PARENTHESES = re.compile(r"\([^()]*\)")
_ARTICLES = frozenset({"the", "a", "an"})


class Identity(Record):
    """The identifying fields of one fact: its kind, and for each of IDENTIFYING[kind], in order,
    the set of its normalised forms (one for most fields; a role's wordings of its post, a
    fact's quotes and a rating's months may be several)."""

    kind: str
    values: tuple[frozenset[str], ...]

    def field(self, name: str) -> frozenset[str]:
        return self.values[IDENTIFYING[self.kind].index(name)]


def normalise(text: str) -> str:
    """Text as identifying fields compare it: case, accents, typography, punctuation and the
    articles aside ("the Chief's Office" is "chiefs office")."""
    return " ".join(word for word in matching_words(text) if word not in _ARTICLES)


def person_key(name: str) -> str:
    """A person's name as names compare: without forms of address before it (Cllr, Mr, Dr, Sir,
    ...) or letters after it (OBE, MP, KC, ...), a note in parentheses ("(minister)"), case,
    accents or punctuation. "" when the name is nothing but a form of address ("Councillor")."""
    words = matching_words(_PARENTHESES.sub(" ", name))
    while words and words[0] in HONORIFICS:
        words.pop(0)
    while len(words) > 1 and words[-1] in POST_NOMINALS:
        words.pop()
    return " ".join(words)


def _number(value: object) -> str | None:
    """A number as one form: 4000000 and 4000000.0 alike (an int of any size kept exact)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, int):
        return repr(value)
    return repr(int(value)) if value.is_integer() else repr(value)


def _months(record: Mapping[str, Any], names: Iterable[str]) -> frozenset[str]:
    """The dates of record's fields names, each to the month (a year stays a year)."""
    found = set()
    for name in names:
        value = record.get(name)
        if isinstance(value, str) and PARTIAL_DATE.match(value):
            found.add(value[:7])
    return frozenset(found)


def _post(record: Mapping[str, Any], meta: Meta) -> frozenset[str]:
    """A role's wordings of its post: its role and its post field, each also as what the
    store's aliases say it means."""
    aliases = _aliases(tuple(meta.aliases.items()))
    found = set()
    for name in ("post", "role"):
        if isinstance(record.get(name), str) and (wording := normalise(record[name])):
            found.add(wording)
            if wording in aliases:
                found.add(aliases[wording])
    return frozenset(found)


@functools.lru_cache(maxsize=16)
def _aliases(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {normalise(alias): normalise(meaning) for alias, meaning in pairs}


def _quotes(record: Mapping[str, Any]) -> frozenset[str]:
    citations = record.get("citations")
    return frozenset(
        quote
        for citation in (citations if isinstance(citations, list) else ())
        if isinstance(citation, dict) and isinstance(citation.get("quote"), str)
        if (quote := normalise(citation["quote"]))
    )


def _value(record: Mapping[str, Any], name: str, meta: Meta) -> frozenset[str] | None:
    """The forms of one identifying field of record, or None when the record lacks it."""
    if name == "when":
        return _months(record, RATING_DATES if record["kind"] == "rating" else ("date",)) or None
    if name == "post":
        return _post(record, meta) or None
    if name == "quote":
        return _quotes(record) or None
    value = record.get(name)
    if name == "value":
        number = _number(value)
        return frozenset({number}) if number is not None else None
    if not isinstance(value, str):
        return None
    form = person_key(value) if name in PEOPLE else normalise(value)
    return frozenset({form}) if form else None


def identity(record: Mapping[str, Any], meta: Meta) -> Identity | None:
    """The identifying fields of a fact record, normalised (see the module's docstring); None
    when its kind has none (a finding, a plan, an event), or it lacks one of them (an undated
    rating, a role whose person is only a form of address)."""
    kind = record.get("kind") if isinstance(record, Mapping) else None
    if not isinstance(kind, str) or kind not in IDENTIFYING:
        return None
    values = []
    for name in IDENTIFYING[kind]:
        value = _value(record, name, meta)
        if value is None:
            return None
        values.append(value)
    return Identity(kind, tuple(values))


def _agree(name: str, one: frozenset[str], other: frozenset[str]) -> bool:
    if name == "when":
        return any(a.startswith(b) or b.startswith(a) for a in one for b in other)
    return not one.isdisjoint(other)


def differing(a: Identity | None, b: Identity | None) -> tuple[str, ...] | None:
    """The identifying fields on which two identities disagree, in the kind's order: () for one
    claim; None when they are of different kinds or either is unknown."""
    if a is None or b is None or a.kind != b.kind:
        return None
    return tuple(
        name for name, one, other in zip(IDENTIFYING[a.kind], a.values, b.values) if not _agree(name, one, other)
    )


def _near(a: Identity, b: Identity) -> bool:
    fields = differing(a, b)
    return (
        fields is not None
        and len(fields) == 1
        and fields[0] not in ANCHOR[a.kind]
        and not (fields[0] == "when" and not _years(a) & _years(b))
    )


def _years(found: Identity) -> frozenset[str]:
    return frozenset([month[:4] for month in found.field("when")])


def same_identity(a: Mapping[str, Any], b: Mapping[str, Any], meta: Meta) -> bool:
    """Whether two fact records make one claim: of one kind, agreeing on every identifying field."""
    return differing(identity(a, meta), identity(b, meta)) == ()


def near(a: Mapping[str, Any], b: Mapping[str, Any], meta: Meta) -> bool:
    """Whether two fact records are probably one claim, worded differently: of one kind, agreeing
    on the kind's ANCHOR fields and on all but one of the other identifying fields (a month
    other than the other's must be of the same year)."""
    one, other = identity(a, meta), identity(b, meta)
    return one is not None and other is not None and _near(one, other)


def _buckets(record: Mapping[str, Any], meta: Meta) -> set[tuple]:
    """The keys a fact record (of a kind with an identity) is filed under, made of its ANCHOR
    fields alone: every fact of one claim with it, or near it, shares one."""
    keys: list[tuple] = [(record["kind"],)]
    for name in ANCHOR[record["kind"]]:
        forms = _value(record, "when" if name == "year" else name, meta) or frozenset()
        if name == "year":
            forms = frozenset([month[:4] for month in forms])
        keys = [(*key, form) for key in keys for form in forms]
    return set(keys)


class Match(Record):
    """A fact on record that a record matches: the same claim (near False) or probably (near True)."""

    fact_id: str
    near: bool
    fields: tuple[str, ...]  # the identifying fields that disagree: () for the same claim


class Identities:
    """Facts filed by identity, so that checking an import of a thousand facts against a store
    of a hundred thousand compares each only with the few facts that share its anchor fields.

    A kind's facts are filed when a fact of that kind is first checked: an import of events
    (which have no identity) or of figures files no rating or role."""

    def __init__(self, meta: Meta) -> None:
        self.meta = meta
        self.records: list[Mapping[str, Any]] = []  # every record added, in order
        self.kinds: set[str] = set()  # the kinds filed so far
        self.filed: dict[tuple, list[tuple[int, Mapping[str, Any]]]] = {}
        # Identities worked out so far, by fact id: only of facts that share a bucket with one checked.
        self.known: dict[str, Identity | None] = {}

    def add(self, record: Mapping[str, Any]) -> None:
        """Hold record, to be filed when a fact of its kind is first checked (at once, if one was)."""
        self.records.append(record)
        if record.get("kind") in self.kinds:
            self._put(len(self.records) - 1, record)

    def _file(self, kind: str) -> None:
        if kind not in self.kinds:
            self.kinds.add(kind)
            for order, record in enumerate(self.records):
                if record.get("kind") == kind:
                    self._put(order, record)

    def _put(self, order: int, record: Mapping[str, Any]) -> None:
        """File one record (a fact in answers: not retracted) under its buckets."""
        if not record.get("retracted") and isinstance(record.get("id"), str):
            for key in _buckets(record, self.meta):
                self.filed.setdefault(key, []).append((order, record))

    def _identity(self, record: Mapping[str, Any]) -> Identity | None:
        if record["id"] not in self.known:
            self.known[record["id"]] = identity(record, self.meta)
        return self.known[record["id"]]

    def matches(self, record: Mapping[str, Any]) -> list[Match]:
        """The facts filed that make record's claim, then those near it; each once, in the order filed."""
        found = identity(record, self.meta)
        if found is None:
            return []
        self._file(found.kind)
        seen: dict[str, tuple[int, Match]] = {}
        for key in _buckets(record, self.meta):
            for order, other in self.filed.get(key, ()):
                fact_id = other["id"]
                if fact_id == record.get("id") or fact_id in seen:
                    continue
                theirs = self._identity(other)
                fields = differing(found, theirs)
                if fields == ():
                    seen[fact_id] = (order, Match(fact_id, False, ()))
                elif fields is not None and theirs is not None and _near(found, theirs):
                    seen[fact_id] = (order, Match(fact_id, True, fields))
        ranked = sorted(seen.values(), key=lambda item: (item[1].near, item[0]))
        return [match for _, match in ranked]


def described(fields: Iterable[str]) -> str:
    """Identifying field names as a phrase: "judgment, area and month"."""
    words = [{"when": "month", "inspection_type": "inspection type"}.get(name, name) for name in fields]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
