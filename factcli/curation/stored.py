"""curation.overlap's Known over a SQLite store of record: what it asks of the facts on record is an indexed lookup, not a walk of every fact.

Known keeps six indexes of the facts it holds (ids, claims, spans, words, postings, identities) and asks
them the same few questions whatever store it checks against. Here each index is a view that
answers those questions from the store's tables (storage.sqlitefile.Lookups), plus whatever
Known.add holds besides (the earlier facts of one import), so Known's own code, unchanged,
checks a new fact against a million in a few lookups.

A new index in Known needs a view here and a lookup in storage.sqlitefile (and, when it is
derived from a fact, a table kept there): known() refuses to build a Known it cannot back
whole, rather than let a duplicate through.
"""

import hashlib
from collections.abc import Sequence

from ..core.errors import StoreError
from ..core.meta import Meta
from ..storage.writing import Derivation
from .identity import Identities
from .overlap import STOP_WORDS, Known, significant_words

# What a store of record derives from each claim to check the next claims against: the words
# significant_words() finds, before the store's own common words are set aside (they are set
# aside when read, so a change of meta changes nothing stored). Bump the number when
# significant_words() would find other words; a change of STOP_WORDS is seen by itself.
DERIVATION = Derivation(
    "1-" + hashlib.sha256(" ".join(sorted(STOP_WORDS)).encode()).hexdigest()[:16],
    significant_words,
)


class _Ids:
    """Fact id -> record, of every fact on record (retracted ones too) and those added since."""

    def __init__(self, lookups):
        self.lookups, self.added = lookups, {}

    def get(self, fact_id, default=None):
        if fact_id in self.added:
            return self.added[fact_id]
        found = self.lookups.fact(fact_id) if isinstance(fact_id, str) else None
        return default if found is None else found

    def __contains__(self, fact_id):
        return self.get(fact_id) is not None

    def __getitem__(self, fact_id):
        found = self.get(fact_id)
        if found is None:
            raise KeyError(fact_id)
        return found

    def __setitem__(self, fact_id, record):
        self.added[fact_id] = record


class _Claims:
    """Normalised claim -> id of the fact in answers making it; the first holder wins, as in a dict's setdefault."""

    def __init__(self, lookups):
        self.lookups, self.added = lookups, {}

    def get(self, key, default=None):
        held = self.lookups.claim_holder(key)
        return held if held is not None else self.added.get(key, default)

    def setdefault(self, key, fact_id):
        held = self.get(key)
        if held is None:
            self.added[key] = held = fact_id
        return held


class _Spans:
    """Source id -> [(start, end, fact id)] of the anchored quotes of facts in answers."""

    def __init__(self, lookups):
        self.lookups, self.added = lookups, {}

    def get(self, source, default=()):
        return [*self.lookups.spans(source), *self.added.get(source, ())] or default

    def setdefault(self, source, default):
        return self.added.setdefault(source, default)


class _Words:
    """Fact id -> the significant words of its claim, the store's common words set aside."""

    def __init__(self, lookups, common):
        self.lookups, self.common, self.added, self.read = lookups, common, {}, {}

    def __getitem__(self, fact_id):
        if fact_id in self.added:
            return self.added[fact_id]
        if fact_id not in self.read:
            self.read[fact_id] = self.lookups.words(fact_id) - self.common
        return self.read[fact_id]

    def __setitem__(self, fact_id, words):
        self.added[fact_id] = words


class _Posting(Sequence):
    """The ids of the facts in answers whose claim has one word, oldest first: counted by one
    lookup, and its last few (all Known reads of a common word) read by one more."""

    def __init__(self, postings, word):
        self.postings, self.word = postings, word
        self.added = postings.added.get(word, [])

    def __len__(self):
        return self.postings.lookups.word_count(self.word) + len(self.added)

    def _last(self, count):
        held = []
        if count > len(self.added):
            for fact_id, words in self.postings.lookups.latest_with_word(self.word, count - len(self.added)):
                held.append(fact_id)
                # Known compares each candidate's words next: read with it, not asked again.
                self.postings.words.read.setdefault(fact_id, words - self.postings.words.common)
        return [*held, *self.added][-count:] if count else []

    def __getitem__(self, item):
        if isinstance(item, slice) and item.start is not None and item.start < 0 and item.stop is None and item.step is None:
            return self._last(-item.start)
        return self._last(len(self))[item]


class _Postings:
    """Word -> _Posting."""

    def __init__(self, lookups, words):
        self.lookups, self.words, self.added = lookups, words, {}

    def get(self, word, default=()):
        return _Posting(self, word)

    def setdefault(self, word, default):
        return self.added.setdefault(word, default)


class _Identities(Identities):
    """Facts filed by identity (curation.identity): a kind's facts on record are read, by the
    index on kind, when a fact of that kind is first checked, and filed before those added since."""

    def __init__(self, lookups, meta):
        super().__init__(meta)
        self.lookups = lookups

    def _file(self, kind):
        if kind not in self.kinds:
            on_record = self.lookups.facts_of_kind(kind)
            for order, record in enumerate(on_record, start=-len(on_record)):
                self._put(order, record)
        super()._file(kind)


def known(lookups, common=frozenset(), meta=Meta()):
    """A Known (curation.overlap) whose facts on record are those lookups reach."""
    found = Known({}, common=common, meta=meta)
    words = _Words(lookups, common)
    views = {
        "ids": _Ids(lookups),
        "claims": _Claims(lookups),
        "spans": _Spans(lookups),
        "words": words,
        "postings": _Postings(lookups, words),
        "identities": _Identities(lookups, meta),
    }
    unbacked = set(vars(found)) - set(views) - {"common", "meta"}
    if unbacked:
        raise StoreError(
            f"cannot check facts against a SQLite store: Known's {', '.join(sorted(unbacked))} has no view in curation.stored"
        )
    for name, view in views.items():
        setattr(found, name, view)
    return found
