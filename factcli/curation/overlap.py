"""Spotting what the store already holds: one rule of what is a duplicate, for add, edit, cite and restore.

A duplicate is the same claim, not the same words. A fact is refused when its id is taken, when
its claim (normalised) is already a fact's, or when it makes the claim of a fact on record in
other words: of one kind, agreeing on that kind's identifying fields (curation.identity), unless
the curator says it is another claim (--allow-duplicate). A fact near one on record (all but one
identifying field agree, or most of the claim's words are shared) and a quoted span overlapping
another fact's are hints, never refusals: a rating and the inspection it followed may be quoted
from one sentence. A change is checked only for what it changes.
"""

import math
import re
import shlex

from ..core.meta import Meta
from ..core.text import normalise_claim
from .identity import IDENTIFYING, Identities, described, identity

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
# The facts near a new one that its warning names, closest first.
SHOWN_NEAR = 3
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

    def __init__(self, facts, except_doc=None, common=frozenset(), meta=Meta()):
        self.ids, self.claims, self.spans, self.words, self.postings = {}, {}, {}, {}, {}
        self.common = common
        self.meta = meta
        self.identities = Identities(meta)
        for doc_id, record in facts.items():
            if doc_id != except_doc and isinstance(record, dict):
                self.add(record)

    def add(self, record):
        """Count record as held, so later facts of the same import are checked against it too."""
        fact_id = record.get("id")
        self.ids[fact_id] = record
        if record.get("retracted") or not isinstance(record.get("claim"), str):
            return  # a retracted claim may be made again
        self.identities.add(record)
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

    def overlaps(self, record, citations=None):
        """The facts held that quote a span of a source that one of record's citations (or of
        citations, the ones to look at) overlaps: (citation, fact id) pairs, one a citation."""
        found = []
        for citation in _citations(record) if citations is None else citations:
            if not (isinstance(citation.get("start"), int) and isinstance(citation.get("end"), int)):
                continue
            source = citation.get("source")
            for start, end, fact_id in self.spans.get(source, ()) if isinstance(source, str) else ():
                if start < citation["end"] and citation["start"] < end and fact_id != record.get("id"):
                    found.append((citation, fact_id))
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


    def check(self, record, before=None, allow_duplicate=False, sources_dir=None, named_store=None):
        """(problems, warnings) of record beside the facts held, by the one rule of what is a
        duplicate (see the module's docstring). With before, the record as it was before an edit
        or a citation, only what changed is checked: a claim, identifying fields or quotes that
        were already there are never a problem now. sources_dir, the folder the change's quotes
        were checked in, goes into the cite lines suggested, so that they are checked there too;
        named_store, the store as the command named it (--db), so that they change that store."""
        problems = []
        if before is None and isinstance(record.get("id"), str) and record["id"] in self.ids:
            problems.append(f"id {record['id']!r} is already used by another fact")
        claim_changed = before is None or _claim(before) != _claim(record)
        if claim_changed and (same := self.claims.get(_claim(record))) and same != record.get("id"):
            problems.append(f"the same claim is already fact {same!r}")
        warnings = []
        matches = []
        if before is None or identity(before, self.meta) != identity(record, self.meta):
            matches = self.identities.matches(record)
        for match in (m for m in matches if not m.near):
            kind, other = record["kind"], self.ids[match.fact_id]
            agree = f"its {described(IDENTIFYING[kind])} agree"
            if allow_duplicate:
                warnings.append(f"the same {kind} as fact {match.fact_id!r} ({agree}); added anyway (--allow-duplicate)")
                continue
            lines = cite_lines(match.fact_id, record, other, sources_dir, named_store)
            # The command to paste goes last, where it is copied whole.
            problems.append(
                f"the same {kind} as fact {match.fact_id!r} ({agree}; if it is another claim, --allow-duplicate adds"
                " it); "
                + (f"to add this quote to it instead: {' ; '.join(lines)}" if lines else "it already cites these quotes")
            )
        same = {match.fact_id for match in matches if not match.near}
        close = {m.fact_id: f"a {record['kind']} whose {described(m.fields)} differs" for m in matches if m.near}
        for fact_id, share in self.near(record) if claim_changed else ():
            if len(close) >= SHOWN_NEAR:
                break
            if fact_id not in same:
                close.setdefault(fact_id, f"{share:.0%} of its words")
        if close := list(close.items())[:SHOWN_NEAR]:
            shown = ", ".join(f"{fact_id!r} ({why})" for fact_id, why in close)
            line = (cite_lines(close[0][0], record, {}, sources_dir, named_store) or [f"facts cite {close[0][0]} --source SOURCE --quote QUOTE"])[0]
            warnings.append(f"near {shown}; if it is the same claim, add a citation to it instead: {line}")
        old = _citations(before) if before is not None else []
        new = [c for c in _citations(record) if c not in old]
        for citation, fact_id in self.overlaps(record, new):
            kind = self.ids[fact_id].get("kind")
            warnings.append(
                f"its quote of {citation['source']} ({citation['start']}-{citation['end']}) overlaps one of"
                f" fact {fact_id!r} (a {kind}); if it is the same claim, cite it there: facts cite {fact_id}"
            )
        return problems, warnings


def cite_lines(fact_id, record, other, sources_dir=None, named_store=None):
    """The commands that add record's quotes to the fact fact_id (whose record is other), one a
    quote it does not cite yet, shell-quoted to paste as they are; with sources_dir, checked
    there; with named_store, of that store (--db)."""
    cited = {(c.get("source"), normalise_claim(c.get("quote") or "")) for c in _citations(other)}
    lines = []
    for citation in _citations(record):
        source, quote = citation.get("source"), citation.get("quote")
        if not (isinstance(source, str) and isinstance(quote, str)) or (source, normalise_claim(quote)) in cited:
            continue
        words = ["facts", *(["--db", str(named_store)] if named_store is not None else []), "cite", fact_id]
        words += ["--source", source, "--quote", quote]
        if isinstance(citation.get("as_of"), str):
            words += ["--as-of", citation["as_of"]]
        if sources_dir is not None:
            words += ["--sources", str(sources_dir)]
        lines.append(shlex.join(words))
    return lines


def _claim(record):
    return normalise_claim(record["claim"]) if isinstance(record.get("claim"), str) else None


def _citations(record):
    """The well-formed citations of a record that may not be valid yet."""
    citations = record.get("citations")
    return [c for c in citations if isinstance(c, dict)] if isinstance(citations, list) else []
