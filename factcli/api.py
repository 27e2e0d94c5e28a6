"""Python access to a store: the same answers as `facts ... --json`, as lists of plain dicts.

    >>> import factcli
    >>> store = factcli.open()              # FACTS_DB, else the bundled store
    >>> store.rating(year=2019)[0]["judgment"]
    'inadequate'

Each method asks the query layer and shapes the answer with the renderer's documents, the
path the command line's JSON takes, so the two cannot differ. Errors are the core's
exceptions (factcli.model.FactsError and its kinds, such as NotFound).
"""

from . import query, render
from .store import load, store_path


class FactStore:
    """A store loaded once, answering questions as lists of dicts."""

    def __init__(self, path=None):
        self.path = store_path(path)
        self.store = load(self.path)
        self.notes = []

    def _documents(self, answer):
        # What the command line prints on stderr, kept for a caller who wants to know why.
        self.notes = list(answer.notes)
        return render.documents(answer)

    def rating(self, year=None, area=None, include_retracted=False):
        return self._documents(query.rating(self.store, year=year, area=area, include_retracted=include_retracted))

    def who(self, role=None, name=None, year=None, include_retracted=False):
        return self._documents(
            query.who(self.store, role=role, name=name, year=year, include_retracted=include_retracted)
        )

    def timeline(self, start=None, end=None, kind=None, undated=False, include_retracted=False):
        return self._documents(
            query.timeline(
                self.store, start=start, end=end, kind=kind, undated=undated, include_retracted=include_retracted
            )
        )

    def search(self, text="", kind=None, include_retracted=False):
        return self._documents(query.search(self.store, text, kind=kind, include_retracted=include_retracted))

    def show(self, fact_id, include_retracted=False):
        return self._documents(query.show(self.store, fact_id, include_retracted=include_retracted))

    def sources(self, include_retracted=False):
        return self._documents(query.sources(self.store, include_retracted=include_retracted))

    def conflicts(self):
        return self._documents(query.conflicts(self.store))
