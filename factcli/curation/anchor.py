"""Anchoring a quote in its source's text: where it sits (start, end) and what surrounds it (prefix, suffix).

Offsets count Unicode code points of the text exactly as its file holds it, so anyone with
the same file finds the same span. The quote stays as the curator wrote it: it equals the
span after fold(), which is why finding it means mapping folded positions back to raw ones.
"""

from __future__ import annotations


from ..core.errors import FactsError
from ..core.kinds import ANCHOR_CONTEXT
from ..core.text import FoldedText
from ..core.tuples import Record


class Anchor(Record):
    start: int
    end: int
    prefix: str
    suffix: str

    def to_record(self):
        return self._asdict()


class Unanchored(FactsError):
    """A quote that cannot be given one place in its source's text: not there, or there twice."""


def anchor_at(raw, start, end):
    """The anchor of raw[start:end], with the context either side."""
    return Anchor(start, end, raw[max(0, start - ANCHOR_CONTEXT) : start], raw[end : end + ANCHOR_CONTEXT])


class SourceText(FoldedText):
    """A source's text, folded for finding quotes in it and anchoring them."""

    def difference(self, citation):
        """Where a quote differs from the text at its anchor, code point for code point, or None
        when it is the same: folding finds a quote, but what is stored must be the source's own."""
        quote, span = citation["quote"], self.raw[citation["start"] : citation["end"]]
        if quote == span:
            return None
        at = next((i for i, (a, b) in enumerate(zip(quote, span)) if a != b), min(len(quote), len(span)))
        ours = f"U+{ord(quote[at]):04X}" if at < len(quote) else "its end"
        theirs = f"U+{ord(span[at]):04X}" if at < len(span) else "its end"
        return f"character {at + 1} of the quote is {ours} where the source has {theirs}"

    def anchor(self, citation):
        """The anchor of a citation's quote; among several occurrences, the one its start or its
        prefix and suffix select. Raises Unanchored when the quote is not there or stays ambiguous."""
        spans = self.spans(citation["quote"])
        if not spans:
            raise Unanchored("quote not found in source text")
        if len(spans) > 1:
            spans = _select(self.raw, spans, citation)
        if len(spans) > 1:
            starts = ", ".join(str(start) for start, _ in spans)
            raise Unanchored(
                f"quote occurs {len(spans)} times in the source text (start {starts}); "
                "quote more of the text, or (adding it as JSON, facts add --from) give the citation the \"start\" of the one meant"
            )
        return anchor_at(self.raw, *spans[0])


def _select(raw, spans, citation):
    """The occurrences a citation's existing anchor points at: the one at its start, else those
    whose context shares most with its prefix and suffix (all of them when it has neither)."""
    start = citation.get("start")
    at_start = [span for span in spans if span[0] == start]
    if at_start:
        return at_start
    prefix, suffix = citation.get("prefix"), citation.get("suffix")
    if not isinstance(prefix, str) or not isinstance(suffix, str):
        return spans
    scores = {}
    for span in spans:
        found = anchor_at(raw, *span)
        scores[span] = _shared(prefix[::-1], found.prefix[::-1]) + _shared(suffix, found.suffix)
    best = max(scores.values())
    return [span for span in spans if scores[span] == best] if best else spans


def _shared(first, second):
    """How many characters two strings share at their start."""
    count = 0
    for a, b in zip(first, second):
        if a != b:
            break
        count += 1
    return count
