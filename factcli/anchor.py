"""Anchoring a quote in its source's text: where it sits (start, end) and what surrounds it (prefix, suffix).

Offsets count Unicode code points of the text exactly as its file holds it, so anyone with
the same file finds the same span. The quote stays as the curator wrote it: it equals the
span after fold(), which is why finding it means mapping folded positions back to raw ones.
"""

import array
import re
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


# Printable ASCII that folding leaves alone (all but the backtick, which becomes an apostrophe),
# words apart by single spaces: most of an English text, copied across rather than folded one by one.
_INERT = re.compile(r"[!-_a-~]+(?: [!-_a-~]+)*")


def _segments(raw, start, end):
    """(start, end) of the pieces of raw[start:end] that fold independently: a character with its combining marks."""
    starts = [index for index in range(start, end) if index == start or not unicodedata.combining(raw[index])]
    return zip(starts, starts[1:] + [end])


class FoldedText:
    """A source's text folded as fold() folds it, remembering the raw span each folded character came from."""

    def __init__(self, raw):
        self.raw = raw
        self._chunks = []
        self.starts, self.ends = array.array("q"), array.array("q")
        done = 0
        for match in _INERT.finditer(raw):
            first, last = match.span()
            if last < len(raw) and unicodedata.combining(raw[last]):
                last -= 1  # the mark composes with the run's last character, so that one is folded
            self._fold(done, first)
            self._chunks.append(raw[first:last])
            self.starts.extend(range(first, last))
            self.ends.extend(range(first + 1, last + 1))
            done = max(done, last)
        self._fold(done, len(raw))
        self.folded = "".join(self._chunks)
        del self._chunks

    def _fold(self, start, end):
        for piece_start, piece_end in _segments(self.raw, start, end):
            for char in fold_characters(self.raw[piece_start:piece_end]):
                if char.isspace():
                    if self.ends and self._chunks[-1][-1:] == " ":
                        self.ends[-1] = piece_end  # a run of whitespace folds to one space
                        continue
                    char = " "
                self._chunks.append(char)
                self.starts.append(piece_start)
                self.ends.append(piece_end)

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
