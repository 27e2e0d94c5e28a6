"""Files on disk: reading only regular files, JSON by the store's strict rules, and making a replaced file durable."""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import stat

class StrictJSONError(ValueError):
    """JSON that Python would accept but a store must not hold: NaN, Infinity, repeated keys."""


def _reject_constant(name):
    raise StrictJSONError(f"{name} is not a JSON number")


def _unique_keys(pairs):
    # json keeps the last of two equal keys, which would silently drop a fact.
    record = {}
    for key, value in pairs:
        if key in record:
            raise StrictJSONError(f"key {key!r} appears twice in one object")
        record[key] = value
    return record


# Far more digits than any valid number needs, and far fewer than Python's own limit (4,300),
# past which int() raises an error that is not a JSONDecodeError.
MAX_INTEGER_DIGITS = 100


def _integer(text):
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise StrictJSONError(f"an integer of {len(text.lstrip('-'))} digits is too long for a store")
    return int(text)


def _finite(text):
    number = float(text)
    if not math.isfinite(number):
        raise StrictJSONError(f"the number {text[:40]} is out of range for a JSON number")
    return number


def parse_json(text):
    """Strict JSON: no NaN or Infinity, no numbers that overflow, no repeated keys. Raises ValueError."""
    return json.loads(
        text,
        parse_constant=_reject_constant,
        parse_int=_integer,
        parse_float=_finite,
        object_pairs_hook=_unique_keys,
    )


def read_regular_bytes(path, follow_links=True):
    """The bytes of a regular file. A FIFO, device or directory is refused before it is read,
    so nothing waits on a writer that never comes; so is a symbolic link unless follow_links.
    Raises OSError."""
    # O_NONBLOCK makes opening a FIFO return at once; regular files ignore it.
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | (0 if follow_links else os.O_NOFOLLOW))
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", path)
        with os.fdopen(descriptor, "rb") as handle:
            descriptor = None
            return handle.read()
    finally:
        if descriptor is not None:
            os.close(descriptor)


def read_regular_text(path, follow_links=True):
    """The UTF-8 text of a regular file (see read_regular_bytes). Raises OSError or UnicodeDecodeError."""
    return read_regular_bytes(path, follow_links).decode("utf-8")



def umask():
    """The process's file-creation mask (reading it means setting it, so it is set back at once)."""
    current = os.umask(0)
    os.umask(current)
    return current


def fsync_directory(directory):
    """Make a rename in directory durable; some file systems refuse, which is harmless here."""
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
