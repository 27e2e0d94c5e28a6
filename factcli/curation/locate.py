"""Finding where words sit in a source text: the exact span with its anchor, or the closest spans."""

import re

from ..core.errors import FactsError, NotFound, closest_ids
from ..core.text import FoldedText, fold
from ..core.tuples import Record
from .anchor import anchor_at

# Below this a span shares too little with what was asked for to be offered as "the same words".
MIN_SCORE = 0.6
# Spans a little shorter or longer than the words asked for are tried: a dropped or added word.
_STRETCH = 0.25

_WORD = re.compile(r"\S+")
_EDGE_MARKS = ",;:'\"(["


class Span(Record):
    """A span of a text: text[start:end] == quote; score 1.0 when the words match exactly after folding."""

    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    score: float


def read_text(path):
    """The text of a regular file as UTF-8, exactly as stored (no newline translation), so
    offsets count its code points."""
    from ..storage.files import read_regular_text

    try:
        return read_regular_text(path)
    except UnicodeDecodeError as error:
        raise FactsError(f"{path}: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise FactsError(f"cannot read {path}: {error.strerror}") from None


def span(text, start, end, score=1.0):
    """The Span of text[start:end] with its anchor."""
    found = anchor_at(text, start, end)
    return Span(start, end, text[start:end], found.prefix, found.suffix, score)


def closest_spans(text, wanted, limit=3):
    """Spans of text closest to wanted, best first, none overlapping; [] when nothing is close.

    Exact matches (after folding case, quote marks, dashes and spacing) score 1.0. Otherwise
    runs of words about as long as wanted are compared with it word by word; around the best
    few, wanted is aligned word by word with the text to place the span's edges, and each span
    is scored by its characters and its content words, which forgives a typo, a dropped or
    added word and a changed phrase.
    """
    import difflib  # only the commands that search pay for it

    source = FoldedText(text, casefold=True)
    target = FoldedText(wanted, casefold=True).folded.strip()
    if not target:
        return []
    exact = []
    at = source.folded.find(target)
    while at != -1 and len(exact) < limit:
        exact.append(span(text, *source.raw_span(at, at + len(target) - 1)))
        at = source.folded.find(target, at + len(target))
    if exact:
        return exact

    words = [(m.start(), m.end() - 1, _key(m.group())) for m in _WORD.finditer(source.folded)]
    wanted_keys = [_key(w) for w in target.split()]
    count = len(wanted_keys)
    stretch = max(1, round(count * _STRETCH))
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted_keys)
    rough = []
    for size in range(max(1, count - stretch), count + stretch + 1):
        for first in range(0, max(0, len(words) - size) + 1):
            matcher.set_seq1([key for _, _, key in words[first : first + size]])
            if matcher.real_quick_ratio() > 0.3 and matcher.quick_ratio() > 0.3:
                rough.append((matcher.ratio(), first, size))
    rough.sort(reverse=True)

    chars = difflib.SequenceMatcher(autojunk=False)
    chars.set_seq2(target)

    stems = _stems(target)

    def score(first, size):
        window = source.folded[words[first][0] : words[first + size - 1][1] + 1]
        chars.set_seq1(window)
        # Spelling (characters in order) and content (the words that carry meaning) count alike:
        # a typo keeps the first high, a paraphrase keeps the second, unrelated text has neither.
        shared = len(stems & _stems(window)) / len(stems) if stems else chars.ratio()
        return (chars.ratio() + shared) / 2

    found = {}
    for _, first, size in rough[: limit * 10]:
        # Align wanted with the words around the rough window: the span runs from the text's
        # word matched to wanted's first matched word to the one matched to its last.
        low, high = max(0, first - stretch - 1), min(len(words), first + size + stretch + 1)
        aligner = difflib.SequenceMatcher(None, wanted_keys, [key for _, _, key in words[low:high]], autojunk=False)
        blocks = [block for block in aligner.get_matching_blocks() if block.size]
        if not blocks:
            continue
        first, last = low + blocks[0].b, low + blocks[-1].b + blocks[-1].size
        # Words of wanted before the first match or after the last (a typo at an edge) take
        # as many words of the text with them.
        first = max(low, first - blocks[0].a)
        last = min(high, last + len(wanted_keys) - blocks[-1].a - blocks[-1].size)
        if (first, last - first) not in found:
            found[first, last - first] = score(first, last - first)
    found = [(value, first, size) for (first, size), value in found.items()]
    found.sort(reverse=True)
    spans = []
    for value, first, size in found:
        if value < MIN_SCORE or len(spans) == limit:
            break
        start, end = _trim(text, *source.raw_span(words[first][0], words[first + size - 1][1]), wanted)
        if all(end <= other.start or start >= other.end for other in spans):
            spans.append(span(text, start, end, round(value, 3)))
    return spans


def _stems(text):
    """The first four letters of each longer word: enough to match "invested" with "investment"."""
    return {word[:4] for word in re.findall(r"\w{4,}", text)}


def _key(word):
    """A word compared without the punctuation stuck to it."""
    return re.sub(r"[^\w]", "", word) or word


def _trim(text, start, end, wanted):
    """Drop punctuation at the span's edges that wanted does not have there."""
    wanted = fold(wanted)
    while end - start > 1 and fold(text[start]) in _EDGE_MARKS and not wanted.startswith(fold(text[start])):
        start += 1
    while end - start > 1 and fold(text[end - 1]) in _EDGE_MARKS + "." and not wanted.endswith(fold(text[end - 1])):
        # A closing mark stays when the span opened it.
        if fold(text[end - 1]) == '"' and fold(text[start:end]).count('"') % 2 == 0:
            break
        end -= 1
    return start, end


class Found(Record):
    """Where words were looked for (a source id, or None for a bare file) and the closest spans."""

    source_id: str | None
    file: str
    wanted: str
    spans: list


class NothingClose(FactsError):
    """No span of the text is close enough to the words asked for."""


class NoSourcesFolder(FactsError):
    """A source's text was needed and no folder of source texts was given."""

    def __init__(self, source):
        self.source = source
        super().__init__(f"no folder of source texts was given to find the text of {source} in")


def is_source_file(source):
    """Whether find_quote reads source as the path of a text file rather than as a source id."""
    import os

    return os.path.isfile(source)


def find_quote(source, wanted, store_path=None, sources_dir=None, limit=3):
    """The spans closest to wanted in source: a path to a text file, or the id of a source
    of the store at store_path whose file is in sources_dir."""
    import os

    if is_source_file(source):
        source_id, path = None, source
    else:
        from ..storage.memory import load_whole

        store = load_whole(store_path)
        if source not in store.sources:
            raise NotFound(f"{source!r} is neither a file nor a source id", closest_ids(source, store.sources))
        if sources_dir is None:
            raise NoSourcesFolder(source)
        source_id, path = source, os.path.join(sources_dir, store.sources[source].file)
    spans = closest_spans(read_text(path), wanted, limit)
    if not spans:
        raise NothingClose(f"nothing in {path} is close to {wanted!r}")
    return Found(source_id, path, wanted, spans)
