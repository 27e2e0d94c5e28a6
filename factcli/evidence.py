"""Checking that each quote occurs in its source's text, after folding typography."""

import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

# Typography a copy-paste or a curator's keyboard changes without changing the words.
_FOLDS = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u0060\u00b4", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    }
)
_WHITESPACE = re.compile(r"\s+")


def fold(text):
    """NFKC, straight quotes and apostrophes, one kind of dash, single spaces."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text).translate(_FOLDS)).strip()


class Miss(NamedTuple):
    """A citation whose quote could not be found in its source's text."""

    fact_id: str
    source_id: str
    quote: str
    reason: str


class SourceTexts:
    """Reads each source file once, folded, from a folder of source texts."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self._folded = {}

    def folded(self, source):
        if source.file not in self._folded:
            try:
                raw = (self.folder / source.file).read_text(encoding="utf-8")
            except FileNotFoundError:
                raw = None
            except (OSError, UnicodeDecodeError) as error:
                raise OSError(f"cannot read {self.folder / source.file}: {error}") from None
            self._folded[source.file] = fold(raw) if raw is not None else None
        return self._folded[source.file]

    def miss(self, fact_id, source, quote):
        """None when quote occurs in source's text, else why not."""
        text = self.folded(source)
        if text is None:
            return Miss(fact_id, source.id, quote, f"source file {source.file} not found in {self.folder}")
        if fold(quote) not in text:
            return Miss(fact_id, source.id, quote, "quote not found in source text")
        return None


def misses(store, folder):
    """Every citation of every fact in store whose quote is not in its source's file under folder."""
    texts = SourceTexts(folder)
    found = []
    for fact in store.facts:
        for citation in fact.citations:
            if miss := texts.miss(fact.id, store.sources[citation.source], citation.quote):
                found.append(miss)
    return found
