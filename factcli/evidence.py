"""Checking that each quote occurs in its source's text, after folding typography."""

from pathlib import Path
from typing import NamedTuple

from .model import fold
from .store import read_regular_text

class Miss(NamedTuple):
    """A citation whose quote could not be found in its source's text."""

    fact_id: str  # or the id of the conflict that cites it
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
                raw = read_regular_text(self.folder / source.file)
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
    """Every citation in store (of facts and conflicts) whose quote is not in its source's file under folder."""
    texts = SourceTexts(folder)
    found = []
    for owner_id, citation in store.citations():
        if miss := texts.miss(owner_id, store.sources[citation.source], citation.quote):
            found.append(miss)
    return found
