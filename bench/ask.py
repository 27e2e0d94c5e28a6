"""How well facts ask reads mistyped words, and how fast it routes: prints numbers, asserts nothing.

Typos: every word of the bundled store's vocabulary of four letters or more, each with typos of
one edit (a letter dropped, doubled, swapped with the next, or replaced by a neighbour on the
keyboard), corrected by ask's matcher (rapidfuzz's optimal string alignment distance) and by
difflib's get_close_matches at three cutoffs. False corrections: ordinary English words the
store does not use (from Python's help topics and the source articles), which no matcher
should turn into a vocabulary word. Speed: routing each question of the test table, and the import.

    python bench/ask.py              # the source articles are read from ../shared/seeds when there
"""

import difflib
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from factcli.answers import ask  # noqa: E402
from factcli.storage.loading import load  # noqa: E402

KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


def neighbours(letter):
    for row in KEYBOARD:
        if letter in row:
            i = row.index(letter)
            return row[max(i - 1, 0) : i] + row[i + 1 : i + 2]
    return ""


def typos(word, rng, count=4):
    """count typos of word, one edit each, of the four kinds people make."""
    made = set()
    for _ in range(count * 10):
        i = rng.randrange(len(word))
        how = rng.choice(("drop", "double", "swap", "key"))
        if how == "drop":
            typo = word[:i] + word[i + 1 :]
        elif how == "double":
            typo = word[:i] + word[i] + word[i:]
        elif how == "swap" and i + 1 < len(word):
            typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif how == "key" and neighbours(word[i]):
            typo = word[:i] + rng.choice(neighbours(word[i])) + word[i + 1 :]
        else:
            continue
        if typo != word:
            made.add(typo)
        if len(made) == count:
            break
    return sorted(made)


def difflib_closest(cutoff):
    def closest(word, choices):
        found = difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
        return found[0] if found else None

    return closest


def main():
    store = load(str(REPO / "factcli" / "data" / "facts.json"), "never", None)
    vocabulary = ask.Vocabulary(store)
    known = vocabulary.known
    rng = random.Random(20261123)
    words = [word for word in known if len(word) >= 4 and word.isalpha()]
    cases = [(typo, word) for word in words for typo in typos(word, rng) if typo not in known]
    matchers = {"rapidfuzz OSA (ask)": ask.closest}
    matchers.update({f"difflib cutoff {c}": difflib_closest(c) for c in (0.75, 0.8, 0.85)})
    # Ordinary English the store does not use: the source articles' other words, and the prose
    # of Python's own help topics (a large English text every Python has).
    from pydoc_data.topics import topics

    text = " ".join(topics.values())
    if SEEDS.is_dir():
        text += " ".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
    candidates = sorted({w for w in ask.tokens(text) if len(w) >= 4 and w.isalpha() and w not in known})
    ordinary = [w for w in candidates if not vocabulary.on_record(w)]
    print(f"vocabulary: {len(known)} words; typos: {len(cases)} of {len(words)} words; ordinary words: {len(ordinary)}")
    print(f"{'matcher':24} {'typo fixed':>11} {'wrong word':>11} {'missed':>8} {'ordinary word changed':>22}")
    for name, closest in matchers.items():
        fixed = wrong = 0
        for typo, word in cases:
            found = closest(typo, known)
            fixed += found == word
            wrong += found not in (None, word)
        changed = sum(closest(word, known) is not None for word in ordinary)
        missed = len(cases) - fixed - wrong
        print(
            f"{name:24} {fixed / len(cases):>10.1%} {wrong / len(cases):>10.1%} {missed / len(cases):>7.1%}"
            f" {changed:>10} of {len(ordinary)}"
        )
    # Speed against the vocabulary, and against the words of a large store's claims (the
    # fallback for a mistyped search word), where difflib compares every word in Python.
    large = sorted(ordinary + known)
    for name, closest in matchers.items():
        started = time.perf_counter()
        for typo, _ in cases:
            closest(typo, known)
        small = (time.perf_counter() - started) / len(cases)
        started = time.perf_counter()
        for typo, _ in cases[:50]:
            closest(typo, large)
        print(
            f"{name:24} {small * 1e6:8.0f} µs a word against {len(known)} words,"
            f" {(time.perf_counter() - started) / 50 * 1e3:6.1f} ms against {len(large)}"
        )

    from test_ask import BUNDLED_TABLE

    timings = []
    for question, _ in BUNDLED_TABLE:
        started = time.perf_counter()
        try:
            ask.route(store, question)
        except ask.NotUnderstood:
            pass
        timings.append(time.perf_counter() - started)
    print(
        f"routing {len(timings)} questions of the table: median {statistics.median(timings) * 1000:.1f} ms,"
        f" slowest {max(timings) * 1000:.1f} ms"
    )
    for module in ("rapidfuzz.distance.OSA, rapidfuzz.process", "difflib"):
        result = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"], capture_output=True, text=True)
        total = sum(int(m) for m in re.findall(r"^import time:\s+\d+ \|\s+(\d+) \| \S", result.stderr, re.M))
        print(f"import {module}: {total / 1000:.1f} ms (cumulative, top-level modules)")


if __name__ == "__main__":
    main()
