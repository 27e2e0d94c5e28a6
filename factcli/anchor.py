"""Anchoring a quote in its source's text: where it sits (start, end) and what surrounds it (prefix, suffix).

Offsets count Unicode code points of the text exactly as its file holds it, so anyone with
the same file finds the same span. The quote stays as the curator wrote it: it equals the
span after fold(), which is why finding it means mapping folded positions back to raw ones.
"""

import unicodedata
from typing import NamedTuple

from .model import ANCHOR_CONTEXT, FactsError, fold, fold_characters


class Anchor(NamedTuple):
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


def _segments(raw):
    """(start, end) of the runs of raw that fold independently: a character with its combining marks."""
    if unicodedata.is_normalized("NFKC", raw):
        # The common case: folding then changes characters one for one.
        return ((index, index + 1) for index in range(len(raw)))
    starts = [index for index, char in enumerate(raw) if index == 0 or not unicodedata.combining(char)]
    return zip(starts, starts[1:] + [len(raw)])


class FoldedText:
    """A source's text folded as fold() folds it, remembering the raw span each folded character came from."""

    def __init__(self, raw):
        self.raw = raw
        chars, self.starts, self.ends = [], [], []
        for start, end in _segments(raw):
            for char in fold_characters(raw[start:end]):
                if char.isspace():
                    if chars and chars[-1] == " ":
                        self.ends[-1] = end  # a run of whitespace folds to one space
                        continue
                    char = " "
                chars.append(char)
                self.starts.append(start)
                self.ends.append(end)
        self.folded = "".join(chars)

    def spans(self, quote):
        """Every raw (start, end) whose text equals quote after folding, in order of position."""
        wanted = fold(quote)
        found = {}
        at = self.folded.find(wanted) if wanted else -1
        while at != -1:
            span = (self.starts[at], self.ends[at + len(wanted) - 1])
            # A match that begins or ends inside what one raw character folds to (the "fi" of "ﬁ")
            # is no span of the raw text.
            if fold(self.raw[span[0] : span[1]]) == wanted:
                found[span] = None
            at = self.folded.find(wanted, at + 1)
        return list(found)

    def holds(self, citation):
        """Whether the citation's anchor, if it has one, still marks its quote with the same context."""
        start, end = citation.get("start"), citation.get("end")
        if start is None or end > len(self.raw) or fold(self.raw[start:end]) != fold(citation["quote"]):
            return False
        return anchor_at(self.raw, start, end) == (start, end, citation["prefix"], citation["suffix"])

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
                "quote more of the text, or give the citation the start of the one meant"
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
