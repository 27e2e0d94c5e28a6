"""The store as a SQLite database for Datasette and SQL: one table per record type, full-text search, canned queries.

The database is a copy for reading: facts, sources, citations (of facts and of conflicts,
told apart by which of fact and conflict they name), conflicts and the facts each conflict
touches, with one row per record of the store. A few columns are worked out by facts from
the records, the way its own answers work them out, and the metadata says so of each.
"""

from __future__ import annotations

import json
import os
import sqlite3

from .. import __version__
from ..answers.people import on_record
from ..core.kinds import KINDS
from ..core.records import Fact
from ..storage.base import Store
from ..storage.search import TOKENIZE
from .export import ExportError, store_title, write_files

# Searched as `facts search` searches: the same tokenizer.
FTS = "facts_fts"
CREATE_FTS = f"CREATE VIRTUAL TABLE {FTS} USING fts5 (claim, quotes, tokenize = '{TOKENIZE}')"


def _kind_fields() -> dict[str, str]:
    """Every kind's fields, each once in the schema's order, with its SQL type."""
    fields = {}
    for specs in KINDS.values():
        for name, spec in specs.items():
            fields.setdefault(name, "NUMERIC" if spec.type == "number" else "TEXT")
    return fields


FIELDS = _kind_fields()


def _field_help() -> dict[str, list[tuple[str, str]]]:
    """(kind, help) of each kind-specific field, for every kind that has it."""
    helps = {}
    for kind, specs in KINDS.items():
        for name, spec in specs.items():
            helps.setdefault(name, []).append((kind, spec.help))
    return helps
# Worked out by facts, as its answers do: when a rating's judgment was made, and the span the
# citations place a person in a role.
DERIVED = ("made", "made_basis", "first_on_record", "last_on_record")
FACT_COLUMNS = (
    "id", "kind", "claim", "date", "date_bound", "date_note", *FIELDS, *DERIVED,
    "retracted_reason", "retracted_date", "added", "changed", "history",
)
CITATION_COLUMNS = ("fact", "conflict", "position", "source", "quote", "as_of", "start", "end", "prefix", "suffix")
SOURCE_COLUMNS = ("id", "title", "publisher", "published", "published_basis", "published_note", "file", "sha256", "url")


def _quoted(name: str) -> str:
    # "end", "by" and "start" are SQL words: every column name is quoted.
    return '"' + name.replace('"', '""') + '"'


def _columns(names: tuple[str, ...]) -> str:
    return ", ".join(map(_quoted, names))


SCHEMA = f"""
CREATE TABLE sources (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, publisher TEXT, published TEXT, published_basis TEXT,
    published_note TEXT, file TEXT NOT NULL, sha256 TEXT, url TEXT
);
CREATE TABLE facts (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, claim TEXT NOT NULL, date TEXT, date_bound TEXT, date_note TEXT,
    {", ".join(f"{_quoted(name)} {kind}" for name, kind in FIELDS.items())},
    made TEXT, made_basis TEXT, first_on_record TEXT, last_on_record TEXT,
    retracted_reason TEXT, retracted_date TEXT, added TEXT, changed TEXT, history TEXT
);
CREATE TABLE conflicts (id TEXT PRIMARY KEY, note TEXT NOT NULL);
CREATE TABLE conflict_facts (
    conflict TEXT NOT NULL REFERENCES conflicts(id), fact TEXT NOT NULL REFERENCES facts(id),
    PRIMARY KEY (conflict, fact)
);
CREATE TABLE citations (
    id INTEGER PRIMARY KEY, fact TEXT REFERENCES facts(id), conflict TEXT REFERENCES conflicts(id),
    position INTEGER NOT NULL, source TEXT NOT NULL REFERENCES sources(id), quote TEXT NOT NULL,
    as_of TEXT, start INTEGER, "end" INTEGER, prefix TEXT, suffix TEXT,
    CHECK ((fact IS NULL) <> (conflict IS NULL))
);
CREATE INDEX citations_fact ON citations (fact);
CREATE INDEX citations_conflict ON citations (conflict);
CREATE INDEX citations_source ON citations (source);
CREATE INDEX facts_kind ON facts (kind);
{CREATE_FTS};
"""


def _made(fact: Fact) -> tuple[str | None, str | None]:
    """When a rating's judgment was made, and from which date that is known (as `facts rating` says)."""
    if fact.kind != "rating":
        return None, None
    for basis in ("published", "inspected"):
        if fact.fields[basis]:
            return fact.fields[basis], basis
    return (fact.date, "date") if fact.date else (None, None)


def _fact_row(fact: Fact, store: Store) -> tuple:
    first, last = on_record(fact, store.sources) if fact.kind == "role" else (None, None)
    retracted = fact.retracted
    return (
        fact.id, fact.kind, fact.claim, fact.date, fact.date_bound, fact.date_note,
        *(fact.fields.get(name) for name in FIELDS),
        *_made(fact), first, last,
        retracted.reason if retracted else None, retracted.date if retracted else None,
        fact.added, fact.changed, json.dumps(list(fact.history), ensure_ascii=False) if fact.history else None,
    )


def _citation_rows(record_id: str, citations: tuple, as_conflict: bool) -> list[tuple]:
    owner = (None, record_id) if as_conflict else (record_id, None)
    return [
        (*owner, position, c.source, c.quote, c.as_of, c.start, c.end, c.prefix, c.suffix)
        for position, c in enumerate(citations, 1)
    ]


def fill(connection: sqlite3.Connection, store: Store) -> None:
    """Create the tables in an empty database and copy every record of the store into them."""
    connection.executescript(SCHEMA)
    facts = store.select(include_retracted=True)

    def insert(table: str, names: tuple[str, ...], rows) -> None:
        marks = ", ".join("?" * len(names))
        connection.executemany(f"INSERT INTO {table} ({_columns(names)}) VALUES ({marks})", rows)

    records = (source.to_record() for source in store.sources.values())
    insert("sources", SOURCE_COLUMNS, (tuple(record[name] for name in SOURCE_COLUMNS) for record in records))
    # Each fact's rowid is its place in the store, and its search row has the same rowid.
    insert("facts", ("rowid", *FACT_COLUMNS), ((n, *_fact_row(f, store)) for n, f in enumerate(facts, 1)))
    insert(
        FTS,
        ("rowid", "claim", "quotes"),
        ((n, f.claim, "\n".join(c.quote for c in f.citations)) for n, f in enumerate(facts, 1)),
    )
    insert("conflicts", ("id", "note"), ((c.id, c.note) for c in store.conflicts))
    insert("conflict_facts", ("conflict", "fact"), ((c.id, f) for c in store.conflicts for f in dict.fromkeys(c.facts)))
    rows = [row for fact in facts for row in _citation_rows(fact.id, fact.citations, False)]
    rows += [row for conflict in store.conflicts for row in _citation_rows(conflict.id, conflict.citations, True)]
    insert("citations", CITATION_COLUMNS, rows)


def counts(connection: sqlite3.Connection) -> dict[str, int]:
    """Rows in each table of the export."""
    return {
        table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("facts", "sources", "citations", "conflicts", "conflict_facts", FTS)
    }


RATING_IN_FORCE = """
select id, judgment, area, service, made, made_basis,
  case when cast(substr(made, 1, 4) as integer) = cast(:year as integer)
    then 'made in year' else 'carried forward' end as basis, claim
from facts
where kind = 'rating' and retracted_date is null and made is not null
  and (cast(substr(made, 1, 4) as integer) = cast(:year as integer) or made = (
    select max(made) from facts
    where kind = 'rating' and retracted_date is null and made is not null
      and cast(substr(made, 1, 4) as integer) <= cast(:year as integer)))
order by made, area != 'overall', area
""".strip()

POST_HOLDERS = """
select person, role, post, organisation, first_on_record, last_on_record, id, claim
from facts
where kind = 'role' and retracted_date is null
  and (role like '%' || :post || '%' or post like '%' || :post || '%')
  and cast(substr(first_on_record, 1, 4) as integer) <= cast(:year as integer)
  and cast(substr(last_on_record, 1, 4) as integer) >= cast(:year as integer)
order by first_on_record, person
""".strip()

WORKED_OUT = "Worked out by facts, not stated by a source: "
FACT_DESCRIPTIONS = {
    "id": "The fact's id (facts show ID).",
    "kind": "The kind of fact: " + ", ".join(KINDS) + ".",
    "claim": "One self-contained sentence: what the sources say.",
    "date": "When the claim happened or held (ISO 8601, partial allowed).",
    "date_bound": "by or after: the sources give the date only as a bound.",
    "date_note": "How the date was worked out, when it is not printed plainly.",
    **{name: "; ".join(f"{kind}: {text}" for kind, text in helps) for name, helps in _field_help().items()},
    "made": WORKED_OUT + "when a rating's judgment was made (published, else inspected, else the fact's date).",
    "made_basis": WORKED_OUT + "which date made is: published, inspected or date.",
    "first_on_record": WORKED_OUT
    + "the earliest date the role's stated start or its citations place the person in it (on record).",
    "last_on_record": WORKED_OUT
    + "the latest date the role's stated end or its citations place the person in it (on record).",
    "retracted_reason": "Why the fact was withdrawn; empty for a fact that stands.",
    "retracted_date": "When the fact was withdrawn.",
    "added": "When the fact was added to the store (UTC).",
    "changed": "When the fact was last changed (UTC).",
    "history": "Retractions, restorations and renamings, oldest first (JSON).",
}
CITATION_DESCRIPTIONS = {
    "id": "The citation's row number.",
    "fact": "The fact this quote supports (empty for a conflict's citation).",
    "conflict": "The conflict this quote is part of (empty for a fact's citation).",
    "position": "Its place among its fact's or conflict's citations, from 1.",
    "source": "The source document quoted.",
    "quote": "The quote, verbatim from the source.",
    "as_of": "When the quote places its claim, if not the source's publication date.",
    "start": "Where the quote starts in the source's text file, in code points.",
    "end": "Where the quote ends in the source's text file, in code points.",
    "prefix": "The text just before the quote in the source.",
    "suffix": "The text just after the quote in the source.",
}
SOURCE_DESCRIPTIONS = {
    "id": "The source's id.",
    "title": "Headline or title as printed.",
    "publisher": "Publisher as the text shows it.",
    "published": "Publication date (ISO 8601, partial allowed).",
    "published_basis": "printed if the text carries the date, inferred if it was worked out.",
    "published_note": "How the publication date is known.",
    "file": "The name of the source's text file.",
    "sha256": "The sha256 of the text file's bytes.",
    "url": "Where the original can be read.",
}


def metadata(store: Store, database: str) -> dict:
    """Datasette metadata for the database named database: titles, column descriptions, the
    search over claims and quotes, and canned queries."""
    title = store_title(store)
    about = getattr(getattr(store, "meta", None), "description", None)
    return {
        "title": title,
        "description": (f"{about} " if about else "")
        + f"Every fact with the quotes that support it, exported by facts {__version__}.",
        "databases": {
            database: {
                "tables": {
                    "facts": {
                        "description": "One row per fact, retracted ones too; search looks in claims and quotes.",
                        "columns": {name: FACT_DESCRIPTIONS[name] for name in FACT_COLUMNS},
                        "fts_table": FTS,
                        "fts_pk": "rowid",
                    },
                    "sources": {"description": "One row per source document.", "columns": SOURCE_DESCRIPTIONS},
                    "citations": {
                        "description": "One row per quote: each names either the fact it supports or the conflict it is part of.",
                        "columns": CITATION_DESCRIPTIONS,
                    },
                    "conflicts": {
                        "description": "Where the sources disagree: the note, with quotes in citations and facts in conflict_facts.",
                        "columns": {"id": "The conflict's id.", "note": "What disagrees, and what to quote."},
                    },
                    "conflict_facts": {"description": "The facts each conflict touches."},
                    FTS: {"description": "Full-text search over each fact's claim and quotes (rowid is the fact's rowid).", "hidden": True},
                },
                "queries": {
                    "rating_in_force": {
                        "title": "Rating in force in a year",
                        "description": "The judgment in force during the year: the latest made on or before its end "
                        "(carried forward from an earlier year), and any made in it, as `facts rating --year` answers.",
                        "sql": RATING_IN_FORCE,
                    },
                    "post_holders": {
                        "title": "Who held a post in a year",
                        "description": "People whose role or post contains the words given, on record in the year: the year "
                        "falls within the span from the earliest to the latest date the role's stated start and end and "
                        "its citations give. These are spans on record, not tenures: nobody is presumed to stay in post "
                        "after the last citation, which `facts who --year` does when no end is stated.",
                        "sql": POST_HOLDERS,
                    },
                },
            }
        },
    }


def metadata_path(database_path: str) -> str:
    """Where the metadata goes by default: beside the database, facts.db -> facts.metadata.json."""
    return os.path.splitext(database_path)[0] + ".metadata.json"


def write(store: Store, path: str, metadata_file: str | None = None, force: bool = False) -> dict[str, int]:
    """Write the database to path and its Datasette metadata beside it (or to metadata_file);
    return the rows in each table. Neither is written if either is refused."""
    metadata_file = metadata_file or metadata_path(path)
    # Datasette names a database after its file.
    database = os.path.splitext(os.path.basename(path))[0]
    found = {}

    def build(temporary):
        connection = sqlite3.connect(temporary)
        try:
            # Written once and renamed into place whole: no journal, and fsynced by write_files.
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            with connection:
                fill(connection, store)
            found.update(counts(connection))
        except sqlite3.Error as error:  # a full disk, a file size limit
            raise ExportError(f"cannot write {path}: {error}; nothing written") from None
        finally:
            connection.close()

    def describe(temporary):
        with open(temporary, "w", encoding="utf-8") as out:
            out.write(json.dumps(metadata(store, database), indent=2, ensure_ascii=False) + "\n")

    write_files({path: build, metadata_file: describe}, force)
    return found
