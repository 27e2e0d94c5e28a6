"""Store text made safe to show: control and bidi characters as visible escapes, in text and in JSON."""

from __future__ import annotations

import json
import re

# Characters that would act on a terminal instead of being shown: C0 and C1 controls
# (ESC starts colour, cursor and OSC hyperlink sequences), bidi overrides and isolates that
# reorder what follows, and line/paragraph separators. Rich passes all of these through,
# even inside Text, so they are replaced with visible escapes before rich sees them.
# Lone surrogates (undecodable bytes of an argument) cannot be printed at all.
_UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def literal(text):
    """Text from the store made safe to show: control characters become visible escapes like \\x1b."""
    if text is None:
        return ""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def json_text(value, indent=None):
    """JSON that shows non-ASCII text as itself but every character of _UNSAFE as a \\uXXXX escape:
    the same data when parsed, and nothing a terminal showing it would act on."""
    # Outside strings JSON has only ASCII punctuation and whitespace, so every match is in a string.
    return _UNSAFE.sub(
        lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False, indent=indent)
    )
