"""Full-text search with SQLite FTS5: word forms, folded spelling, ranked by relevance.

One implementation serves every store: a small store is searched through a table built in
memory, a large one through the same table kept in its derived index, so an answer is the
same either way. Porter stemming makes invested, investment and invest one word; folding
ignores case, accents and typography; apostrophes are dropped on both sides, so childrens
finds children's. bm25 ranks a word in a claim above one in a quote above one in a field.
"""

import re
import sqlite3

from .model import fold, fold_for_matching

TABLE = "facts_search"
COLUMNS = ("claim", "quotes", "fields")
CREATE = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5 ({', '.join(COLUMNS)}, "
    "tokenize = 'porter unicode61 remove_diacritics 2')"
)
# bm25 weights, one per column: a match in the claim counts most, then quotes, then fields.
WEIGHTS = (10.0, 4.0, 1.0)

# Words a person asks with that the store words otherwise: money is counted in GBP.
SYNONYMS = {"money": "gbp", "cash": "gbp", "funding": "gbp", "pounds": "gbp"}

# Highlight marks: control characters, which column text never holds (see _column_text).
_OPEN, _CLOSE = "\x01", "\x02"
_MARKED = re.compile(f"{_OPEN}(.*?){_CLOSE}", re.S)
_CONTROLS = re.compile("[\x00-\x1f\x7f]")
_TOKEN = re.compile(r"\w+")
_PART = re.compile(r'"([^"]*)"|(\S+)')


def _column_text(text):
    return _CONTROLS.sub(" ", fold_for_matching(text).replace("'", ""))


def columns(fact):
    """The text search looks in: the claim; the quotes; the id, the kind's fields and the date note."""
    fields = " ".join(str(value) for value in fact.fields.values() if value is not None)
    return (
        _column_text(fact.claim),
        _column_text(" ".join(citation.quote for citation in fact.citations)),
        _column_text(f"{fact.id} {fact.kind} {fields} {fact.date_note or ''}"),
    )


def fill(connection, facts):
    """Create the search table in connection and index facts, each under its position as rowid."""
    connection.execute(CREATE)
    connection.executemany(
        f"INSERT INTO {TABLE} (rowid, {', '.join(COLUMNS)}) VALUES (?, ?, ?, ?)",
        ((position, *columns(fact)) for position, fact in enumerate(facts)),
    )


def memory_index(facts):
    """A search table for facts, in memory."""
    connection = sqlite3.connect(":memory:")
    fill(connection, facts)
    return connection


def expression(text):
    """The FTS5 query for what a person typed, or None when it holds no word.

    Every word must match; "quoted words" must match as a phrase. Each part is quoted for
    FTS5, so no character typed is read as query syntax.
    """
    parts = []
    for phrase, word in _PART.findall(fold(text)):
        tokens = _TOKEN.findall(_column_text(phrase or word))
        if not tokens:
            continue
        quoted = '"' + " ".join(tokens) + '"'
        synonym = SYNONYMS.get(tokens[0]) if len(tokens) == 1 and not phrase else None
        parts.append(f'({quoted} OR "{synonym}")' if synonym else quoted)
    return " AND ".join(parts) or None


def matches(connection, query):
    """(position, score, match) for every row matching the FTS5 query: lower scores rank higher,
    and match lists the words found in each column."""
    highlights = ", ".join(f"highlight({TABLE}, {n}, char(1), char(2))" for n in range(len(COLUMNS)))
    rows = connection.execute(
        f"SELECT rowid, bm25({TABLE}, {', '.join(map(str, WEIGHTS))}), {highlights} "
        f"FROM {TABLE} WHERE {TABLE} MATCH ?",
        (query,),
    )
    return [
        (position, score, {column: _words(marked) for column, marked in zip(COLUMNS, marked_columns)})
        for position, score, *marked_columns in rows
    ]


def _words(marked):
    """The highlighted words of a column, each once, in the order they first occur."""
    return list(dict.fromkeys(word.lower() for word in _MARKED.findall(marked)))
