"""Spotting what the store already holds: the same id, the same claim, the same quoted span, or a
claim a few words from another.

A fact is refused when its claim (normalised) or one of its anchored citations (same source,
overlapping span) is already a fact's; a claim sharing most of its words with another's is a
warning, since corroboration belongs on the existing fact as another citation.
"""

import math
import re

from ..core.text import normalise_claim

# Words too common to tell claims apart: English glue. The words common in one store (its subject,
# its service) come from its meta (common_words).
STOP_WORDS = frozenset(
    """a about after against all also an and any are as at be been before between both but by
    can could did do does for from had has have he her his how i if in into is it its last
    more most new no not of on once only or other our out over said says she so some such than
    that the their them then there these they this those three through to two under up was we
    were what when where which while who will with would year years
    told wrote reported stated added went first today now also
    january february march april may june july august september october november december""".split()
)
# Two claims sharing this much of their significant words are probably one claim.
NEAR = 0.75
# A word in more claims than this names no claim in particular: only the claims that used it
# last are compared, so that checking an import of many similar claims is not all against all.
CANDIDATES_A_WORD = 200
_WORD = re.compile(r"[a-z0-9]+")


def significant_words(claim, common=frozenset()):
    """The words of a claim that say what it is about, in order, each once: not English glue,
    and not the words common in the store (common, folded as common_words() folds them)."""
    words = _WORD.findall(normalise_claim(claim).replace("'", ""))
    return list(
        dict.fromkeys(word for word in words if word not in STOP_WORDS and word not in common and len(word) > 1)
    )


def common_words(words):
    """A store's common_words (its meta) as significant_words compares them."""
    return frozenset(word for text in words for word in _WORD.findall(normalise_claim(text).replace("'", "")))


class Known:
    """The facts of a store indexed for spotting the same fact again: built once for a whole
    import, so checking a thousand new facts against a hundred thousand stays quick."""

    def __init__(self, facts, except_doc=None, common=frozenset()):
        self.ids, self.claims, self.spans, self.words, self.postings = {}, {}, {}, {}, {}
        self.common = common
        for doc_id, record in facts.items():
            if doc_id != except_doc and isinstance(record, dict):
                self.add(record)

    def add(self, record):
        """Count record as held, so later facts of the same import are checked against it too."""
        fact_id = record.get("id")
        self.ids[fact_id] = record
        if record.get("retracted") or not isinstance(record.get("claim"), str):
            return  # a retracted claim may be made again
        self.claims.setdefault(normalise_claim(record["claim"]), fact_id)
        for citation in _citations(record):
            if isinstance(citation.get("start"), int) and isinstance(citation.get("end"), int):
                self.spans.setdefault(citation["source"], []).append(
                    (citation["start"], citation["end"], fact_id)
                )
        words = set(significant_words(record["claim"], self.common))
        self.words[fact_id] = words
        for word in words:
            self.postings.setdefault(word, []).append(fact_id)

    def problems(self, record):
        """Why record cannot be held beside what is held, by the store's rules: its id or claim."""
        found = []
        if isinstance(record.get("id"), str) and record["id"] in self.ids:
            found.append(f"id {record['id']!r} is already used by another fact")
        if isinstance(record.get("claim"), str) and (
            same := self.claims.get(normalise_claim(record["claim"]))
        ):
            found.append(f"the same claim is already fact {same!r}")
        return found

    def overlaps(self, record):
        """Why record is probably a fact already held, though the store could hold both: a
        quoted span of a source that a held fact quotes too."""
        found = []
        for citation in _citations(record):
            if not (isinstance(citation.get("start"), int) and isinstance(citation.get("end"), int)):
                continue
            source = citation.get("source")
            for start, end, fact_id in self.spans.get(source, ()) if isinstance(source, str) else ():
                if start < citation["end"] and citation["start"] < end and fact_id != record.get("id"):
                    found.append(
                        f"its quote of {citation['source']} ({citation['start']}-{citation['end']}) overlaps one"
                        f" of fact {fact_id!r}; if it is the same claim, cite it there: facts cite {fact_id}"
                        " (or add with --allow-duplicate)"
                    )
                    break
        return found

    def near(self, record):
        """(fact id, share of words) of held claims a few words from record's, closest first."""
        if not isinstance(record.get("claim"), str):
            return []
        words = set(significant_words(record["claim"], self.common))
        if not words:
            return []
        # A claim sharing NEAR of the words shares one of the rarest len - ceil(NEAR * len) + 1
        # (prefix filtering), so only claims holding those are compared: of each, the last few.
        rarest = sorted(words, key=lambda word: (len(self.postings.get(word, ())), word))
        prefix = len(words) - math.ceil(NEAR * len(words)) + 1
        candidates = {
            fact_id for word in rarest[:prefix] for fact_id in self.postings.get(word, [])[-CANDIDATES_A_WORD:]
        }
        found = []
        for fact_id in candidates:
            other = self.words[fact_id]
            share = len(words & other) / len(words | other)
            if NEAR <= share < 1 or (
                share == 1 and self.claims.get(normalise_claim(record["claim"])) != fact_id
            ):
                found.append((fact_id, share))
        return sorted(found, key=lambda item: (-item[1], item[0]))


def _citations(record):
    """The well-formed citations of a record that may not be valid yet."""
    citations = record.get("citations")
    return [c for c in citations if isinstance(c, dict)] if isinstance(citations, list) else []
