"""Answers shaped as documents: the plain JSON-ready objects the API, the machine formats, the brief and the site share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..core.records import Citation, Conflict, Fact, Source
from .schema import shaped

Document = dict[str, Any]


def citation_documents(citations: Iterable[Citation], sources: Mapping[str, Source]) -> list[Document]:
    """Citations as JSON, each with its source's details and how its publication date is known."""
    documents = []
    for citation in citations:
        source = sources[citation.source]
        documents.append(
            {
                "source": source.id,
                "title": source.title,
                "publisher": source.publisher,
                "published": source.published,
                "published_after": source.published_after,
                "published_before": source.published_before,
                "published_basis": source.published_basis,
                "file": source.file,
                "quote": citation.quote,
                "as_of": citation.as_of,
                "start": citation.start,
                "end": citation.end,
                "prefix": citation.prefix,
                "suffix": citation.suffix,
            }
        )
    return documents


def fact_document(
    fact: Fact,
    sources: Mapping[str, Source],
    context: Mapping[str, Any] | None = None,
    conflicts: Iterable[Conflict] = (),
) -> Document:
    """One fact as JSON: common keys, the kind's fields, citations with their sources, the
    conflicts it is part of, and the query's context."""
    document = {
        "id": fact.id,
        "kind": fact.kind,
        "claim": fact.claim,
        "date": fact.date,
        "date_bound": fact.date_bound,
        "date_basis": fact.date_basis,
        "date_note": fact.date_note,
        **fact.fields,
        "citations": citation_documents(fact.citations, sources),
        "conflicts": [conflict.id for conflict in conflicts],
        "retracted": _retraction(fact.retracted),
        "added": fact.added,
        "changed": fact.changed,
        "history": list(fact.history),
    }
    document.update(context or {})
    return document


def source_document(summary: Any, horizon: str | None = None, horizon_basis: str | None = None) -> Document:
    """A source with how many facts and citations rest on it, and the store's horizon (the newest
    date any of its sources speaks for) with how that date is known, the same on every source."""
    return {
        **summary.source.to_record(),
        "facts": summary.facts,
        "citations": summary.citations,
        "horizon": horizon,
        "horizon_basis": horizon_basis,
    }


def conflict_document(conflict: Conflict, sources: Mapping[str, Source]) -> Document:
    return {
        "id": conflict.id,
        "facts": list(conflict.facts),
        "contradiction": conflict.contradiction,
        "note": conflict.note,
        "citations": citation_documents(conflict.citations, sources),
        "retracted": _retraction(conflict.retracted),
        "added": conflict.added,
        "changed": conflict.changed,
        "history": list(conflict.history),
    }


def _retraction(retracted: Any) -> Document | None:
    return {"reason": retracted.reason, "date": retracted.date} if retracted else None


def documents(result: Any, fields: list[str] | None = None) -> list[Document]:
    """The JSON-ready objects of an answer (an answers.common.Answer), each with its command's
    keys in order (see output.schema), or only the fields asked for."""

    if result.view == "sources":
        found = [source_document(summary, result.horizon, result.horizon_basis) for summary in result.hits]
    elif result.view == "log":
        found = [entry._asdict() for entry in result.hits]
    elif result.view == "conflicts":
        found = [conflict_document(conflict, result.sources) for conflict in result.hits]
    else:
        found = [
            fact_document(hit.fact, result.sources, hit.context, result.conflicts.get(hit.fact.id, ()))
            for hit in result.hits
        ]
    found = shaped(result.view, found)
    if fields:
        from .schema import with_marks

        marked_fields = with_marks(result.view, fields) or fields
        found = [{name: document[name] for name in marked_fields} for document in found]
    return found


def draft_documents(result: Any) -> list[Document]:
    """Each candidate in the shape `facts add` accepts, with what add ignores: the people it names,
    the facts on record it restates (matches, best first) and those it gives another value of."""
    return [
        {
            **candidate.record,
            "people": list(candidate.people),
            "matches": [match._asdict() for match in candidate.matches],
            "disagrees": [disagreement._asdict() for disagreement in candidate.disagrees],
        }
        for candidate in result.candidates
    ]


def quote_documents(found: Any) -> list[Document]:
    return [{"source": found.source_id, "file": found.file, **span._asdict()} for span in found.spans]
