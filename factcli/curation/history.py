"""How a change to a record is kept: when it was made, and each field it changed, before and after."""

from __future__ import annotations

import datetime
import json

from ..core.kinds import CURATION_KEYS, HISTORY_VALUE_LIMIT


def now() -> str:
    """The time of a change, UTC, to the second: 2026-11-23T20:45:00Z."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def changed(record, at, **entry):
    """record marked changed at this time, with a history entry when entry is given."""
    record = {**record, "changed": at}
    if entry:
        record["history"] = [*record.get("history", []), {**entry, "at": at}]
    return record


def _kept(value):
    """(value, shortened): value as history keeps it, its JSON at most HISTORY_VALUE_LIMIT characters."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if len(text) <= HISTORY_VALUE_LIMIT:
        return value, False
    return text[:HISTORY_VALUE_LIMIT], True


def changes(before: dict, after: dict) -> list[dict]:
    """The fields that differ between two versions of a record, each with its value before and
    after (a side left out where the field was not there), as history keeps them; the tool's
    own keys (curation times, history, a retraction) aside."""
    skipped = (*CURATION_KEYS, "retracted")
    return _differences({k: v for k, v in before.items() if k not in skipped}, {k: v for k, v in after.items() if k not in skipped})


def _differences(before, after, name=str, depth=0):
    """The changes between two dicts, key by key, each key's field as name gives it; within a
    list or dict of one field (a fact's citations), element by element, so that a quote
    corrected in one citation is recorded as that quote ("citations[2].quote"), not as the
    whole list cut to its first characters."""
    found = []
    for key in [*after, *(key for key in before if key not in after)]:
        field = name(key)
        sides = {side: version[key] for side, version in (("before", before), ("after", after)) if key in version}
        if len(sides) == 2 and json.dumps(sides["before"], sort_keys=True) == json.dumps(sides["after"], sort_keys=True):
            continue
        one, other = sides.get("before"), sides.get("after")
        if depth < 2 and len(sides) == 2 and _too_long(sides):
            if isinstance(one, dict) and isinstance(other, dict):
                found += _differences(one, other, lambda inner, outer=field: f"{outer}.{inner}", depth + 1)
                continue
            if isinstance(one, list) and isinstance(other, list):
                found += _differences(
                    dict(enumerate(one)), dict(enumerate(other)), lambda inner, outer=field: f"{outer}[{inner}]", depth + 1
                )
                continue
        found.append(change(field, **sides))
    return found


def _too_long(sides):
    return any(len(json.dumps(value, ensure_ascii=False, sort_keys=True)) > HISTORY_VALUE_LIMIT for value in sides.values())


def change(field, **sides):
    """One change as history keeps it: the field, and its value before and after, each bounded."""
    change = {"field": field}
    for side, value in sides.items():
        change[side], shortened = _kept(value)
        if shortened:
            change.setdefault("shortened", []).append(side)
    return change
