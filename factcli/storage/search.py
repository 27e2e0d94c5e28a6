"""Full-text search with SQLite FTS5: word forms, folded spelling, ranked by relevance.

One implementation serves every store: a small store is searched through a table built in
memory, a large one through the same table kept in its derived index, so an answer is the
same either way. Porter stemming makes invested, investment and invest one word; folding
ignores case, accents and typography; apostrophes are dropped on both sides, so childrens
finds children's. bm25 ranks a word in a claim above one in a quote above one in a field.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence

from ..core.errors import UsageError
from ..core.records import Fact
from ..core.text import fold, fold_for_search
from ..core.tuples import Record

TABLE = "facts_search"
COLUMNS = ("claim", "quotes", "fields")
# Word forms (porter), and case and accents folded; facts export gives its search table the same.
TOKENIZE = "porter unicode61 remove_diacritics 2"
CREATE = f"CREATE VIRTUAL TABLE {TABLE} USING fts5 ({', '.join(COLUMNS)}, tokenize = '{TOKENIZE}')"
# bm25 weights, one per column: a match in the claim counts most, then quotes, then fields.
WEIGHTS = (10.0, 4.0, 1.0)


_TOKEN = re.compile(r"\w+")
_PART = re.compile(r'"([^"]*)"|(\S+)')


def columns(fact: Fact) -> tuple[str, str, str]:
    """The text search looks in: the claim; the quotes; the id, the kind's fields and the date note."""
    fields = " ".join(str(value) for value in fact.fields.values() if value is not None)
    return (
        fold_for_search(fact.claim),
        fold_for_search(" ".join(citation.quote for citation in fact.citations)),
        fold_for_search(f"{fact.id} {fact.kind} {fields} {fact.date_note or ''}"),
    )


# What ranking and the filters read of each fact, beside its text (the derived index's facts
# table has these columns too): a partial date sorts as text as it does as a date, 2019 before
# 2019-01 before 2019-01-05.
FACTS = "CREATE TABLE facts (position INTEGER PRIMARY KEY, kind TEXT NOT NULL, retracted INTEGER NOT NULL, date TEXT)"


def insert(connection: sqlite3.Connection, facts: Iterable[tuple[int, Fact]]) -> None:
    """Index more facts, (position, fact) pairs, in the search table."""
    connection.executemany(
        f"INSERT INTO {TABLE} (rowid, {', '.join(COLUMNS)}) VALUES (?, ?, ?, ?)",
        ((position, *columns(fact)) for position, fact in facts),
    )


def memory_index(facts: Sequence[Fact]) -> sqlite3.Connection:
    """A search table for facts, in memory, with the facts table ranking reads."""
    connection = sqlite3.connect(":memory:")
    connection.execute(FACTS)
    connection.executemany(
        "INSERT INTO facts VALUES (?, ?, ?, ?)",
        ((position, fact.kind, 1 if fact.retracted else 0, fact.date) for position, fact in enumerate(facts)),
    )
    connection.execute(CREATE)
    insert(connection, enumerate(facts))
    return connection


class Part(Record):
    """One word or "quoted phrase" of a search: as the person typed it, and as FTS5 reads it."""

    typed: str
    query: str


# Every word costs a lookup in each column, and an answer must hold every word: past a few
# dozen a search asks nothing more of the store, and a pasted page would only cost time.
MAX_WORDS = 32


def parts(text: str, synonyms: Mapping[str, str] = {}) -> list[Part]:
    """The words and "quoted phrases" of what a person typed, each once; none when it holds
    no word. UsageError past MAX_WORDS words (a phrase counts each of its words).

    Each part is quoted for FTS5, so no character typed is read as query syntax.
    """
    # A word a person asks with that the store words otherwise (the store's synonyms), as tokens.
    meanings = {_words(word): _words(meaning) for word, meaning in synonyms.items() if _words(word) and _words(meaning)}
    found: dict[str, Part] = {}
    words = 0
    for phrase, word in _PART.findall(fold(text)):
        tokens = _TOKEN.findall(fold_for_search(phrase or word))
        if not tokens:
            continue
        quoted = '"' + " ".join(tokens) + '"'
        synonym = meanings.get(" ".join(tokens).lower()) if len(tokens) == 1 and not phrase else None
        query = f'({quoted} OR "{synonym}")' if synonym else quoted
        if query.casefold() in found:
            continue
        words += len(tokens)
        if words > MAX_WORDS:
            raise UsageError(f"a search takes at most {MAX_WORDS} words (a quoted phrase counts each of its words)")
        found[query.casefold()] = Part(" ".join(tokens), query)
    return list(found.values())


def _words(text: str) -> str:
    """text as the words the index holds, lower case, so that no character is read as query syntax."""
    return " ".join(_TOKEN.findall(fold_for_search(fold(text)))).lower()


Match = dict[str, list[str]]


def ranked(
    connection: sqlite3.Connection,
    found: Sequence[Part],
    kind: str | None = None,
    include_retracted: bool = False,
    limit: int | None = None,
) -> tuple[int, list[tuple[int, float | None, Match | None]]]:
    """How many facts match every part (every fact when there are none) with kind and
    retraction filtered, and the first limit of them: (position, score, match), best first.

    Lower scores rank higher; then earlier dates (undated last), then document order. match
    lists, for each column, the parts found in it (None when nothing was searched for). Only
    the facts returned are looked at in full, so an answer of a few costs the same in any store.
    """
    conditions, parameters = [], []
    if kind is not None:
        conditions.append("f.kind = ?")
        parameters.append(kind)
    if not include_retracted:
        conditions.append("f.retracted = 0")
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    order = "f.date IS NULL, f.date, f.position"
    if found:
        query = " AND ".join(part.query for part in found)
        sql = (
            f"SELECT f.position, m.score, count(*) OVER () FROM"
            f" (SELECT rowid, bm25({TABLE}, {', '.join(map(str, WEIGHTS))}) AS score"
            f" FROM {TABLE} WHERE {TABLE} MATCH ?) AS m"
            f" JOIN facts AS f ON f.position = m.rowid {where} ORDER BY m.score, {order} LIMIT ?"
        )
        parameters = [query, *parameters]
    else:
        sql = f"SELECT f.position, NULL, count(*) OVER () FROM facts AS f {where} ORDER BY {order} LIMIT ?"
    rows = connection.execute(sql, (*parameters, -1 if limit is None else limit)).fetchall()
    total = rows[0][2] if rows else 0
    if not found:
        return total, [(position, None, None) for position, _, _ in rows]
    # Which part is in which column, for the facts returned only: one indexed lookup each.
    positions = json.dumps([position for position, _, _ in rows])
    where_found = {
        (column, part.typed): {
            rowid
            for (rowid,) in connection.execute(
                f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ? AND rowid IN (SELECT value FROM json_each(?))",
                (f"{column} : {part.query}", positions),
            )
        }
        for column in COLUMNS
        for part in found
    }
    return total, [
        (position, score, {column: [p.typed for p in found if position in where_found[column, p.typed]] for column in COLUMNS})
        for position, score, _ in rows
    ]
