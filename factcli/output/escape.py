"""Store text made safe to show: control and bidi characters as visible escapes, in text and in JSON."""

from __future__ import annotations

import functools
import json
import re

# Characters that would act on a terminal instead of being shown: C0 and C1 controls
# (ESC starts colour, cursor and OSC hyperlink sequences), bidi overrides and isolates that
# reorder what follows, and line/paragraph separators. Rich passes all of these through,
# even inside Text, so they are replaced with visible escapes before rich sees them.
# Lone surrogates (undecodable bytes of an argument) cannot be printed at all.
UNSAFE = "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"


@functools.cache
def _unsafe():
    # Compiled the first time a text may need it: compiling takes longer than printing most answers.
    return re.compile(UNSAFE)


def _safe(text):
    """Whether text has no character of UNSAFE, known without the pattern for most text: each of
    them is one that str.isprintable() refuses (a test checks it), as it refuses a line break,
    which is safe."""
    return text.isprintable() or text.replace("\n", "").isprintable()


def literal(text):
    """Text from the store made safe to show: control characters become visible escapes like \\x1b."""
    if text is None:
        return ""
    text = str(text)
    if _safe(text):
        return text
    return _unsafe().sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def json_text(value, indent=None):
    """JSON that shows non-ASCII text as itself but every character of UNSAFE as a \\uXXXX escape:
    the same data when parsed, and nothing a terminal showing it would act on."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    if _safe(text):
        return text
    # Outside strings JSON has only ASCII punctuation and whitespace, so every match is in a string.
    return _unsafe().sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# A message echoes what it was given (an id, a path, a search): a 100 KB argument must not make
# a 100 KB error. A quoted value, or a run with no space, longer than this is cut.
MAX_ECHO = 200
# A quote mark inside a word (children's) opens no quoted value. Compiled by re the first time a
# message is long enough to need it (most never are).
_ECHOED = (
    f"(?<!\\w)'[^'\n]{{{MAX_ECHO},}}'(?!\\w)|(?<!\\w)\"[^\"\n]{{{MAX_ECHO},}}\"(?!\\w)|[^\\s'\"]{{{MAX_ECHO},}}"
)


def shortened(message):
    """message with each value it echoes that is longer than MAX_ECHO characters cut to its
    start and end, and its length given: 'aaaa…aaaa' (100,002 characters)."""

    def cut(match):
        value = match.group()
        quote = value[0] if value[0] in "'\"" and value[-1] == value[0] else ""
        inner = value[1:-1] if quote else value.rstrip(":;,.")
        after = "" if quote else value[len(inner) :]
        return f"{quote}{inner[:80]}…{inner[-20:]}{quote} ({len(inner):,} characters){after}"

    return re.sub(_ECHOED, cut, message) if len(message) > MAX_ECHO else message
