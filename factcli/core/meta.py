"""What a store is about, as data: its title, subject, inspectorate, grade scale and the words people use.

A store holds one meta record (table "meta"). Nothing in the package names a topic; every
title, grade, letter, post alias and topic word that answers, drafts, briefs and sites use
comes from here, so a store about another council, a police force or a care provider works
without a change of code. A store written before meta existed reads as Meta() below: titled
"Facts", with no scale (ratings are then not checked against one) and no aliases.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .tuples import Record

# Each key of the meta record: (type, what it is for). "text" may be null except the title;
# lists and maps hold text only.
META_KEYS: dict[str, tuple[str, str]] = {
    "title": ("text", "what the store is about, as a title: the brief's and the site's heading"),
    "description": ("text", "a sentence or two on what the store covers and from what"),
    "subject": ("text", "the organisation or place the facts are about"),
    "inspectorate": ("text", "who makes the judgments that rating facts record"),
    "scale": ("list", "the inspectorate's grades, best first"),
    "letters": ("map", "a grade's one-character code in the year strip, where not its first letter"),
    "aliases": ("map", "words people use for a post -> the role wording they mean (who --role)"),
    "synonyms": ("map", "words people search with -> the word the store uses (search)"),
    "common_words": ("list", "words too common in this store to tell claims apart (duplicates, ids)"),
    "services": ("list", "what the subject provides, as the sources name it; the first is the default"),
    "organisations": ("map", "bodies that act in the story -> a short form the sources use (draft's 'by')"),
    "agencies": ("list", "picture agencies and wire services: a short line naming one is a credit (draft)"),
}
DEFAULT_TITLE = "Facts"


class Meta(Record):
    """A store's meta record, with every key present."""

    title: str = DEFAULT_TITLE
    description: str | None = None
    subject: str | None = None
    inspectorate: str | None = None
    scale: tuple[str, ...] = ()
    letters: dict[str, str] = {}
    aliases: dict[str, str] = {}
    synonyms: dict[str, str] = {}
    common_words: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    organisations: dict[str, str] = {}
    agencies: tuple[str, ...] = ()

    @classmethod
    def from_record(cls, record: dict[str, Any] | None) -> "Meta":
        if not record:
            return cls()
        values = {key: record[key] for key in META_KEYS if record.get(key) is not None}
        for key, (kind, _) in META_KEYS.items():
            if kind == "list" and key in values:
                values[key] = tuple(values[key])
        return cls(**values)

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {}
        for key, (kind, _) in META_KEYS.items():
            value = getattr(self, key)
            record[key] = list(value) if kind == "list" else dict(value) if kind == "map" else value
        return record

    def letter(self, grade: str) -> str:
        """The grade's code in the year strip: its letter from letters, else its first letter, upper case."""
        return self.letters.get(grade) or grade[:1].upper()

    def rank(self, grade: str) -> float:
        """Where grade sits on the scale, 0 for the best and 1 for the worst (0.5 when off the scale),
        for colouring: the same colour means the same place on any scale."""
        if grade not in self.scale:
            return 0.5
        return self.scale.index(grade) / (len(self.scale) - 1) if len(self.scale) > 1 else 0.0

    def judgments_title(self) -> str:
        """What the judgments are called: "<inspectorate> judgments", or "Judgments" when none is named."""
        return f"{self.inspectorate} judgments" if self.inspectorate else "Judgments"

    def grade_title(self) -> str:
        """What a grade is called in running text: "<inspectorate> grade", or "grade"."""
        return f"{self.inspectorate} grade" if self.inspectorate else "grade"


def meta_of(tables: Mapping[str, Any]) -> Meta:
    """The Meta of a valid store's tables; Meta() for a store written before meta existed."""
    records = tables.get("meta") or {}
    return Meta.from_record(next(iter(records.values()), None))


def meta_problems(record: object) -> list[str]:
    """Every way a meta record breaks its schema (see META_KEYS)."""
    if not isinstance(record, dict):
        return ["must be a JSON object"]
    found = [f"unknown field {key!r}" for key in sorted(set(record) - set(META_KEYS), key=str)]
    for key, (kind, _) in META_KEYS.items():
        value = record.get(key)
        if value is None:
            if key == "title":
                found.append("title is missing")
            continue
        if kind == "text" and not (isinstance(value, str) and value.strip()):
            found.append(f"{key} must be text")
        elif kind == "list" and not (isinstance(value, list) and all(_word(item) for item in value)):
            found.append(f"{key} must be a list of text")
        elif kind == "map" and not (
            isinstance(value, dict) and all(_word(k) and _word(v) for k, v in value.items())
        ):
            found.append(f"{key} must be an object of text to text")
    if found:
        return found
    scale = record.get("scale") or []
    folded = [grade.casefold() for grade in scale]
    if len(set(folded)) != len(folded):
        found.append("scale names a grade twice")
    letters = record.get("letters") or {}
    for grade, letter in letters.items():
        if grade not in scale:
            found.append(f"letters names {grade!r}, which is not on the scale")
        if len(letter) != 1 or not letter.isprintable() or letter.isspace():
            found.append(f"letters: the code of {grade!r} must be one visible character")
    codes = [Meta(scale=tuple(scale), letters=letters).letter(grade).upper() for grade in scale]
    for grade, code in zip(scale, codes):
        if code.upper() == code.lower():
            found.append(
                f"the strip letter of {grade!r} is {code!r}, which has no lower case to mark a year the"
                " grade was carried forward into: give it a letter in letters"
            )
    if len(set(codes)) != len(codes):
        found.append(
            "two grades of the scale share a strip letter ("
            + ", ".join(f"{g} {c}" for g, c in zip(scale, codes))
            + "): give one of them its own in letters"
        )
    return found


def _word(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())
