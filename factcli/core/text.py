"""Folding text for finding it, never for storing it: one family of folds, and positions back to the original.

Every comparison of text in the package goes through here:

- fold() for quotes: a copy-paste or a keyboard changes typography (curly quotes, dashes,
  spacing, compatibility forms) without changing the words, so a quote is found after fold();
- normalise_claim() for claims that are the same claim: case, accents and spacing aside;
- fold_for_matching() for what a person types to match names, roles and areas;
- fold_for_search() for the full-text index, whose tokenizer folds case and accents itself;
- FoldedText for finding a folded quote in a source and mapping the match back to the
  source's own code points, which are what a citation stores.
"""

from __future__ import annotations

import array
import functools
import re
import unicodedata

# Typography a copy-paste or a curator's keyboard changes without changing the words.
_FOLDS = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u0060\u00b4", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    }
)
_WHITESPACE = re.compile(r"\s+")


def fold_characters(text: str) -> str:
    """fold() without its whitespace rule: NFKC, straight quotes and apostrophes, one kind of dash."""
    # Fold before NFKC too: NFKC turns an acute accent (´) into a space and a combining mark.
    return unicodedata.normalize("NFKC", text.translate(_FOLDS)).translate(_FOLDS)


def fold(text: str) -> str:
    """NFKC, straight quotes and apostrophes, one kind of dash, single spaces."""
    return _WHITESPACE.sub(" ", fold_characters(text)).strip()


# Characters that show as nothing (Unicode's default-ignorable code points): zero-width spaces
# and joiners, the soft hyphen, bidi marks, variation selectors, the byte order mark, tags.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff]"
)
# Letters of other scripts drawn like a Latin letter, in the fonts a reader sees: a claim typed
# with a Cyrillic а or a Greek Ο is the same claim to a reader. NFKC already makes fullwidth,
# mathematical and ligature forms plain; these are what it leaves. Only whole look-alikes are
# here, not Unicode's full confusables list, which also maps Latin to Latin ("rn" to "m") and
# would make "modern" and "modem" one claim.
_LOOK_ALIKES = str.maketrans(
    {
        # Cyrillic
        **dict(zip("аԁеһіјӏорԛѕԝху", "adehijlopqswxy")),
        **dict(zip("АВЕНІЈКМОРЅТХУҮӀԚԜ", "ABEHIJKMOPSTXYYIQW")),
        # Greek
        **dict(zip("αιονρυϲϳ", "aiovpucj")),
        **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧϹ", "ABEZHIKMNOPTYXC")),
        # Armenian
        **dict(zip("օսոհզցՏՕՍԼ", "ounhqgSOUL")),
        # Latin letters without their dot or with a changed form
        **dict(zip("ıȷɑɡɩ", "ijagi")),
    }
)


def normalise_claim(text: str) -> str:
    """Claims that differ only in case, accents, spacing, invisible characters or letters that
    look alike are the same claim."""
    if text.isascii():
        return " ".join(text.casefold().split())
    # Decomposed (NFKD) before the look-alikes, so that one with an accent (ё) loses the accent
    # like any other letter, and fullwidth and mathematical forms are plain.
    folded = unicodedata.normalize("NFKD", _INVISIBLE.sub("", text)).translate(_LOOK_ALIKES).casefold()
    return " ".join("".join(ch for ch in folded if not unicodedata.combining(ch)).split())


# Names, roles and organisations repeat across facts; folding each once keeps large stores quick.
@functools.lru_cache(maxsize=65536)
def fold_for_matching(text: str) -> str:
    """Case-, accent- and typography-insensitive form for matching what a person typed."""
    if text.isascii():
        # What the two folds do to ASCII, at a fraction of the cost: the backtick is the only
        # ASCII character fold() changes, and NFKC none.
        return " ".join(text.replace("`", "'").casefold().split())
    return normalise_claim(fold(text))


# A word, in any script: letters and digits (\w without the underscore).
_WORD = re.compile(r"[^\W_]+")


def matching_words(text: str) -> list[str]:
    """The words of text folded as fold_for_matching() folds it, apostrophes dropped:
    "The Chief’s  Office" -> ["the", "chiefs", "office"]."""
    # ASCII, most of a store, needs only its case folded: quotes are too many to cache.
    folded = text.lower() if text.isascii() else fold_for_matching(text)
    return _WORD.findall(folded.replace("'", "").replace("`", ""))


# Apostrophes, straight and typographic, go: "children's" and "childrens" are then one word.
_APOSTROPHES = dict.fromkeys(map(ord, "'\u2018\u2019\u201b\u2032`\u00b4"), None)


def fold_for_search(text: str) -> str:
    """Text as the full-text index takes it: apostrophes dropped, compatibility forms (ﬁ,
    fullwidth letters) made plain. The index's tokenizer folds case and accents itself."""
    text = text.translate(_APOSTROPHES)
    return text if text.isascii() else unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)


def slugify(text: str, max_words: int = 8, max_length: int = 100) -> str:
    """A readable id from free text: 'Inspectors rated it good' -> 'inspectors-rated-it-good', at
    most max_words words and max_length characters."""
    words = re.findall(r"[a-z0-9]+", normalise_claim(text))
    return shorten_slug("-".join(words[:max_words]), max_length) or "fact"


def shorten_slug(slug: str, limit: int) -> str:
    """slug cut to at most limit characters, at a hyphen where one is in its second half."""
    if len(slug) <= limit:
        return slug
    cut = slug[:limit]
    return (cut[: cut.rindex("-")] if "-" in cut[limit // 2 :] else cut).strip("-")


# Printable ASCII that folding leaves alone (all but the backtick, which becomes an apostrophe),
# words apart by single spaces: most of an English text, copied across rather than folded one by one.
_INERT = re.compile(r"[!-_a-~]+(?: [!-_a-~]+)*")


def _segments(raw: str, start: int, end: int):
    """(start, end) of the pieces of raw[start:end] that fold independently: a character with its combining marks."""
    starts = [index for index in range(start, end) if index == start or not unicodedata.combining(raw[index])]
    return zip(starts, starts[1:] + [end])


class FoldedText:
    """A text folded as fold() folds it (and casefolded, with casefold), remembering the raw
    span each folded character came from, so a match in the folded text maps back to the raw."""

    def __init__(self, raw: str, casefold: bool = False) -> None:
        self.raw = raw
        self.casefold = casefold
        self._chunks: list[str] = []
        self.starts, self.ends = array.array("q"), array.array("q")
        done = 0
        for match in _INERT.finditer(raw):
            first, last = match.span()
            if last < len(raw) and unicodedata.combining(raw[last]):
                last -= 1  # the mark composes with the run's last character, so that one is folded
            self._fold(done, first)
            run = raw[first:last]
            self._chunks.append(run.lower() if casefold else run)
            self.starts.extend(range(first, last))
            self.ends.extend(range(first + 1, last + 1))
            done = max(done, last)
        self._fold(done, len(raw))
        self.folded = "".join(self._chunks)
        del self._chunks

    def _fold(self, start: int, end: int) -> None:
        for piece_start, piece_end in _segments(self.raw, start, end):
            folded = fold_characters(self.raw[piece_start:piece_end])
            for char in folded.casefold() if self.casefold else folded:
                if char.isspace():
                    if self.ends and self._chunks[-1][-1:] == " ":
                        self.ends[-1] = piece_end  # a run of whitespace folds to one space
                        continue
                    char = " "
                self._chunks.append(char)
                self.starts.append(piece_start)
                self.ends.append(piece_end)

    def raw_span(self, first: int, last: int) -> tuple[int, int]:
        """The raw (start, end) of the folded characters first..last, inclusive."""
        return self.starts[first], self.ends[last]

    def spans(self, quote: str) -> list[tuple[int, int]]:
        """Every raw (start, end) whose text equals quote after folding, in order of position."""
        wanted = self.key(quote)
        found: dict[tuple[int, int], None] = {}
        at = self.folded.find(wanted) if wanted else -1
        while at != -1:
            span = self.raw_span(at, at + len(wanted) - 1)
            # A match that begins or ends inside what one raw character folds to (the "fi" of "ﬁ")
            # is no span of the raw text.
            if self.key(self.raw[span[0] : span[1]]) == wanted:
                found[span] = None
            at = self.folded.find(wanted, at + 1)
        return list(found)

    def key(self, text: str) -> str:
        """text folded as this text is: what a match in it must equal."""
        return fold(text).casefold() if self.casefold else fold(text)
