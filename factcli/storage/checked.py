"""Validation remembered: a JSON store that validated is not checked again until its file, or the rules, change.

Checking every record against the schema is most of what a question about a small store costs
beyond starting Python. Once a store's file has validated (or a write has made it), a record of
that file as it was is kept in the cache folder: its real path, size, modification and
status-change times (ctime, which no tool can set back) and inode, a checksum of its bytes, and
the size and time of each module that holds a rule. A later read that finds the same file, the
same bytes and the same rules trusts it: it parses with the plain JSON reader, which gives what
the strict one gave for those bytes, and checks nothing. Anything that differs, or a record that
cannot be read, means checking again; a stale record is never trusted, only replaced.
"""

from __future__ import annotations

import json
import os
import binascii  # built in: quicker to import than zlib, with the same CRC

PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The modules whose code decides whether a store is valid: the schema and its checks, the
# kinds, meta, dates, the claim folding that finds repeats, and the strict JSON reader.
RULES = ("core/validation.py", "core/kinds.py", "core/meta.py", "core/dates.py", "core/text.py", "storage/files.py")


def _record_path(real: str, cache_dir: str) -> str:
    return os.path.join(cache_dir, f"valid-{binascii.crc32(os.fsencode(real)):08x}.json")


def _identity(real: str, status: os.stat_result, data: bytes) -> dict:
    rules = []
    for name in RULES:
        try:
            found = os.stat(os.path.join(PACKAGE, name))
            rules.append([name, found.st_size, found.st_mtime_ns])
        except OSError:
            rules.append([name, None, None])
    return {
        # As text JSON can hold, whatever bytes the path has.
        "store": os.fsencode(real).decode("utf-8", "backslashreplace"),
        "size": status.st_size,
        "mtime_ns": status.st_mtime_ns,
        "ctime_ns": status.st_ctime_ns,
        "inode": [status.st_dev, status.st_ino],
        "crc32": binascii.crc32(data),
        "rules": rules,
    }


def validated(path: str, cache_dir: str, status: os.stat_result, data: bytes) -> bool:
    """Whether data, the bytes of the store file at path whose status was status when they were
    read, validated under the rules as they are now."""
    from .files import read_regular_bytes

    real = os.path.realpath(path)
    try:
        return json.loads(read_regular_bytes(_record_path(real, cache_dir))) == _identity(real, status, data)
    except (OSError, ValueError):
        return False


def remember(path: str, cache_dir: str, status: os.stat_result, data: bytes) -> None:
    """Record that data, the bytes of the store file at path with status status, validated. A
    cache folder that cannot be written only means checking again next time.

    Written in place, not through a temporary file: a record cut short by a kill is not JSON,
    so it is never trusted, and nothing is left beside it.
    """
    real = os.path.realpath(path)
    text = json.dumps(_identity(real, status, data)).encode("utf-8")
    try:
        os.makedirs(cache_dir, mode=0o700, exist_ok=True)
        descriptor = os.open(_record_path(real, cache_dir), os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(text)
    except OSError:
        pass
