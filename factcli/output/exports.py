"""The store shaped for other tools: W3C Web Annotations of its quotes, CSL-JSON items of its sources.

Annotations follow the W3C Web Annotation Data Model (https://www.w3.org/TR/annotation-model/):
one annotation per citation, whose target is the quoted span of the source and whose body is
what the store says about it. CSL-JSON items follow the Citation Style Language's input schema
(csl-data.json), which reference managers and citation processors read.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import urllib.parse
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from ..core.dates import parse_partial_date
from ..core.kinds import PUBLISHED_BOUNDS
from ..core.records import Citation, Conflict, Fact, Source
from .escape import json_text
from .wording import publication

Document = dict[str, Any]

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# Ids must be IRIs, and an exported store has no web address of its own, so each id is a
# name-based UUID (RFC 9562, version 5) of what it identifies: the same store exports the
# same ids every time, and a tool that imports twice replaces rather than duplicates.
NAMESPACE = uuid.UUID("4b0e4a53-83a4-4d0b-9d6c-1f3c4e3f6a51")
# What a URI may hold as it is (RFC 3986: unreserved, reserved and "%"); anything else in a
# stored address, such as a space-free but non-ASCII path, is percent-encoded as UTF-8 (RFC 3987 3.1).
_URI_SAFE = "%:/?#[]@!$&'()*+,;=-._~"
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _urn(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, json.dumps(parts, ensure_ascii=False))}"


def source_iri(source: Source) -> str:
    """The IRI an annotation targets for a source: its web address when known; else the
    RFC 6920 name of its text file's bytes (ni:///sha-256;...), which any copy of the file
    matches; else, for a source not yet fingerprinted, a name-based UUID of its id and file."""
    if source.url:
        return urllib.parse.quote(_LONE_PERCENT.sub("%25", source.url), safe=_URI_SAFE)
    if source.sha256:
        digest = base64.urlsafe_b64encode(bytes.fromhex(source.sha256)).decode("ascii").rstrip("=")
        return f"ni:///sha-256;{digest}"
    return _urn("source", source.id, source.file)


def _selectors(citation: Citation) -> list[Document]:
    """A TextQuoteSelector, and for an anchored citation its context and a TextPositionSelector
    (code points of the source's text file, as the anchor counts them)."""
    quote: Document = {"type": "TextQuoteSelector", "exact": citation.quote}
    if citation.start is None:
        return [quote]
    quote.update(prefix=citation.prefix, suffix=citation.suffix)
    return [quote, {"type": "TextPositionSelector", "start": citation.start, "end": citation.end}]


def _annotation(
    name: tuple[str, ...],
    citation: Citation,
    source: Source,
    motivation: str,
    bodies: list[Document],
    record: Fact | None = None,
) -> Document:
    annotation: Document = {
        "@context": CONTEXT,
        "id": _urn(*name, citation.source, citation.quote, str(citation.start)),
        "type": "Annotation",
        "motivation": motivation,
    }
    if record is not None and record.added:
        annotation["created"] = record.added
    if record is not None and record.changed:
        annotation["modified"] = record.changed
    # Hypothesis serves annotations in this shape: a list of one target whose source is a
    # string, with the selectors it anchors by, and tags as bodies whose purpose is tagging.
    annotation["body"] = bodies
    annotation["target"] = [{"type": "SpecificResource", "source": source_iri(source), "selector": _selectors(citation)}]
    return annotation


def _text(value: str, purpose: str) -> Document:
    return {"type": "TextualBody", "purpose": purpose, "value": value, "format": "text/plain"}


def fact_annotations(fact: Fact, sources: Mapping[str, Source]) -> list[Document]:
    """One annotation per citation of a fact: the quoted span described by the fact's claim,
    tagged with the fact's id."""
    bodies = [_text(fact.claim, "describing"), _text(fact.id, "tagging")]
    return [
        _annotation(("fact", fact.id), citation, sources[citation.source], "describing", bodies, fact)
        for citation in fact.citations
    ]


def conflict_annotations(conflict: Conflict, sources: Mapping[str, Source]) -> list[Document]:
    """One annotation per citation of a recorded disagreement: the quoted span questioned by
    the conflict's note, tagged with the conflict's id and the ids of the facts it touches."""
    bodies = [_text(conflict.note, "questioning"), *(_text(tag, "tagging") for tag in (conflict.id, *conflict.facts))]
    return [
        _annotation(("conflict", conflict.id), citation, sources[citation.source], "questioning", bodies)
        for citation in conflict.citations
    ]


def annotation_collection(
    title: str, facts: Sequence[Fact], conflicts: Sequence[Conflict], sources: Mapping[str, Source]
) -> Iterator[str]:
    """An AnnotationCollection (model section 5) holding one embedded AnnotationPage, as JSON
    text in pieces: the annotations of every citation of facts, then of every citation of
    conflicts, one a line. Made a piece at a time, a large store's never has to be held whole."""
    total = sum(len(record.citations) for records in (facts, conflicts) for record in records)
    collection = {
        "@context": CONTEXT,
        "id": _urn("collection", title),
        "type": "AnnotationCollection",
        "label": title,
        "total": total,
        "first": {"id": _urn("page", title, "0"), "type": "AnnotationPage", "startIndex": 0, "items": []},
    }
    # The items are the last key of the last key: the text ends in `[]}}`, and they go in the brackets.
    head = json_text(collection)
    yield head[: -len("[]}}")] + "[\n"
    annotations = itertools.chain(
        (annotation for fact in facts for annotation in fact_annotations(fact, sources)),
        (annotation for conflict in conflicts for annotation in conflict_annotations(conflict, sources)),
    )
    for number, annotation in enumerate(annotations):
        yield (",\n" if number else "") + json_text(annotation)
    yield "\n]}}\n"


def _date_parts(date: str) -> list[int]:
    """[year], [year, month] or [year, month, day]: a partial date's parts, as far as it goes."""
    year, month, day = parse_partial_date(date)
    return [part for part in (year, month, day) if part]


def _date_note(source: Source) -> str:
    explained = f": {source.published_note}" if source.published_note else ""
    if not source.published:
        if source.published_after or source.published_before:
            known = publication(None, source.published_basis, source.published_after, source.published_before)
            return f"No publication date on record; published {known}{explained}"
        return "No publication date on record" + explained
    if source.published_basis == "inferred":
        return f"Publication date {source.published} not printed; inferred{explained}"
    return f"Publication date {source.published} printed in the text{explained}"


def csl_item(source: Source) -> Document:
    """A source as a CSL-JSON item. A date the text does not print is issued "circa" and the
    note says how it was worked out, so no style cites it as printed; the note and custom also
    give the sha256 of the text file the quotes were taken from."""
    item: Document = {"id": source.id, "type": "article-newspaper", "title": source.title}
    if source.publisher:
        item["container-title"] = source.publisher
    if source.published:
        item["issued"] = {"date-parts": [_date_parts(source.published)]}
        if source.published_basis != "printed":
            item["issued"]["circa"] = True
    if source.url:
        item["URL"] = source.url
    fingerprint = (
        f"sha256 of the text file {source.file}: {source.sha256}"
        if source.sha256
        else f"Text file {source.file} (not fingerprinted)"
    )
    item["note"] = f"{_date_note(source)}\n{fingerprint}"
    # custom holds the same as data (the CSL schema's place for key-value pairs of no CSL variable).
    item["custom"] = {
        "published": source.published,
        "published_basis": source.published_basis,
        "published_note": source.published_note,
        "file": source.file,
        "sha256": source.sha256,
    }
    # A source known only by a bound has it here too (CSL has no variable for one).
    item["custom"].update({key: getattr(source, key) for key in PUBLISHED_BOUNDS if getattr(source, key)})
    return item


def csl_items(sources: Iterable[Source]) -> list[Document]:
    """Every source as a CSL-JSON item, in the order given."""
    return [csl_item(source) for source in sources]
