"""The store as a SQLite database for Datasette and SQL: one table per record type, full-text search, canned queries.

The database is a copy for reading: facts, sources, citations (of facts and of conflicts,
told apart by which of fact and conflict they name), conflicts and the facts each conflict
touches, with one row per record of the store. A few columns are worked out by facts from
the records, the way its own answers work them out, and the metadata says so of each.
"""

from __future__ import annotations

import datetime
import json
import os
import sqlite3

from .. import __version__
from ..answers import people, rating
from ..answers.common import last_year
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
DERIVED = ("made", "made_basis", "first_on_record", "first_on_record_basis", "last_on_record", "last_on_record_basis")
FACT_COLUMNS = (
    "id", "kind", "claim", "date", "date_bound", "date_basis", "date_note", *FIELDS, *DERIVED,
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
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, claim TEXT NOT NULL, date TEXT, date_bound TEXT, date_basis TEXT,
    date_note TEXT, {", ".join(f"{_quoted(name)} {kind}" for name, kind in FIELDS.items())},
    made TEXT, made_basis TEXT, first_on_record TEXT, first_on_record_basis TEXT, last_on_record TEXT,
    last_on_record_basis TEXT,
    retracted_reason TEXT, retracted_date TEXT, added TEXT, changed TEXT, history TEXT
);
CREATE TABLE conflicts (id TEXT PRIMARY KEY, contradiction INTEGER NOT NULL, note TEXT NOT NULL);
CREATE TABLE judgments_by_year (
    year INTEGER NOT NULL, fact TEXT NOT NULL REFERENCES facts(id), basis TEXT NOT NULL, PRIMARY KEY (year, fact)
);
CREATE TABLE holders_by_year (
    year INTEGER NOT NULL, fact TEXT NOT NULL REFERENCES facts(id), basis TEXT NOT NULL, PRIMARY KEY (year, fact)
);
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
    first, last, first_basis, last_basis = on_record(fact, store.sources) if fact.kind == "role" else (None,) * 4
    retracted = fact.retracted
    return (
        fact.id, fact.kind, fact.claim, fact.date, fact.date_bound, fact.date_basis, fact.date_note,
        *(fact.fields.get(name) for name in FIELDS),
        *_made(fact), first, first_basis, last, last_basis,
        retracted.reason if retracted else None, retracted.date if retracted else None,
        fact.added, fact.changed, json.dumps(list(fact.history), ensure_ascii=False) if fact.history else None,
    )


def _citation_rows(record_id: str, citations: tuple, as_conflict: bool) -> list[tuple]:
    owner = (None, record_id) if as_conflict else (record_id, None)
    return [
        (*owner, position, c.source, c.quote, c.as_of, c.start, c.end, c.prefix, c.suffix)
        for position, c in enumerate(citations, 1)
    ]


def _by_year(answer_for, first: int | None, last: int | None) -> list[tuple]:
    """(year, fact id, basis) of each fact answer_for(year) gives, each year from first to last."""
    if first is None or last is None:
        return []
    return [(year, hit.fact.id, hit.context["basis"]) for year in range(first, last + 1) for hit in answer_for(year).hits]


def _first_year(dates) -> int | None:
    years = [int(date[:4]) for date in dates if date]
    return min(years) if years else None


def fill(connection: sqlite3.Connection, store: Store, today: datetime.date) -> None:
    """Create the tables in an empty database and copy every record of the store into them, with
    the judgments in force and the holders of each post each year, as facts rating and facts who
    answer them, up to the last year the store speaks for (its horizon)."""
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
    insert("conflicts", ("id", "contradiction", "note"), ((c.id, c.contradiction, c.note) for c in store.conflicts))
    last = last_year(store, today)
    ratings = store.select("rating")
    first = _first_year(f.fields["published"] or f.fields["inspected"] or f.date for f in ratings)
    insert(
        "judgments_by_year",
        ("year", "fact", "basis"),
        _by_year(lambda year: rating.rating(store, today, year=year), first, last),
    )
    roles = [hit.context["first_on_record"] for hit in people.tenures(store)]
    insert(
        "holders_by_year",
        ("year", "fact", "basis"),
        _by_year(lambda year: people.who(store, today, year=year), _first_year(roles), last),
    )
    insert("conflict_facts", ("conflict", "fact"), ((c.id, f) for c in store.conflicts for f in dict.fromkeys(c.facts)))
    rows = [row for fact in facts for row in _citation_rows(fact.id, fact.citations, False)]
    rows += [row for conflict in store.conflicts for row in _citation_rows(conflict.id, conflict.citations, True)]
    insert("citations", CITATION_COLUMNS, rows)


def counts(connection: sqlite3.Connection) -> dict[str, int]:
    """Rows in each table of the export."""
    return {
        table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("facts", "sources", "citations", "conflicts", "conflict_facts", FTS, "judgments_by_year", "holders_by_year")
    }


RATING_IN_FORCE = """
select facts.id, judgment, area, service, made, made_basis, judgments_by_year.basis, claim
from judgments_by_year join facts on facts.id = judgments_by_year.fact
where judgments_by_year.year = cast(:year as integer)
order by judgments_by_year.rowid
""".strip()

POST_HOLDERS = """
select person, role, post, organisation, first_on_record, last_on_record, holders_by_year.basis, facts.id, claim
from holders_by_year join facts on facts.id = holders_by_year.fact
where holders_by_year.year = cast(:year as integer)
  and (role like '%' || :post || '%' or post like '%' || :post || '%')
order by holders_by_year.rowid
""".strip()

WORKED_OUT = "Worked out by facts, not stated by a source: "
FACT_DESCRIPTIONS = {
    "id": "The fact's id (facts show ID).",
    "kind": "The kind of fact: " + ", ".join(KINDS) + ".",
    "claim": "One self-contained sentence: what the sources say.",
    "date": "When the claim happened or held (ISO 8601, partial allowed).",
    "date_bound": "by or after: the sources give the date only as a bound.",
    "date_basis": "How the date is known: stated in the quotes, reported (the source's date stands in), bounded, "
    "inferred (worked out from the text) or outside (from knowledge outside the sources).",
    "date_note": "How the date was worked out, when it is not printed plainly.",
    **{name: "; ".join(f"{kind}: {text}" for kind, text in helps) for name, helps in _field_help().items()},
    "made": WORKED_OUT + "when a rating's judgment was made (published, else inspected, else the fact's date).",
    "made_basis": WORKED_OUT + "which date made is: published, inspected or date.",
    "first_on_record": WORKED_OUT
    + "the earliest date the role's stated start or its citations place the person in it (on record).",
    "first_on_record_basis": WORKED_OUT + "how first_on_record is known: stated, or its source's published_basis.",
    "last_on_record": WORKED_OUT
    + "the latest date the role's stated end or its citations place the person in it (on record).",
    "last_on_record_basis": WORKED_OUT + "how last_on_record is known: stated, or its source's published_basis.",
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
    "published_basis": "printed if the text carries the date, inferred if it was worked out from it, outside if it "
    "comes from knowledge outside it.",
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
                        "columns": {
                            "id": "The conflict's id.",
                            "contradiction": "1 for a disagreement; 0 for a caution that is not a contradiction.",
                            "note": "What disagrees, and what to quote.",
                        },
                    },
                    "judgments_by_year": {
                        "description": WORKED_OUT + "each judgment in force, or that may have been, each year up "
                        "to the store's horizon, as `facts rating --year` answers, with its basis.",
                    },
                    "holders_by_year": {
                        "description": WORKED_OUT + "each holder of a role each year up to the store's horizon, "
                        "as `facts who --year` answers: basis 'on record', or 'presumed' after the record.",
                    },
                    "conflict_facts": {"description": "The facts each conflict touches."},
                    FTS: {"description": "Full-text search over each fact's claim and quotes (rowid is the fact's rowid).", "hidden": True},
                },
                "queries": {
                    "rating_in_force": {
                        "title": "Rating in force in a year",
                        "description": "The judgments in force during the year, as `facts rating --year` answers: basis "
                        "is made in year, carried forward, until superseded (the next judgment's publication date is "
                        "not on record) or publication not on record. Nothing after the store's newest source.",
                        "sql": RATING_IN_FORCE,
                    },
                    "post_holders": {
                        "title": "Who held a post in a year",
                        "description": "People whose role or post contains the words given, in the year, as `facts who "
                        "--year` answers: basis 'on record' within the span the sources attest, 'presumed' after it (up to "
                        "the store's newest source) when no end is on record and nobody later held the post.",
                        "sql": POST_HOLDERS,
                    },
                },
            }
        },
    }


def metadata_path(database_path: str) -> str:
    """Where the metadata goes by default: beside the database, facts.db -> facts.metadata.json."""
    return os.path.splitext(database_path)[0] + ".metadata.json"


def write(
    store: Store, path: str, today: datetime.date, metadata_file: str | None = None, force: bool = False
) -> dict[str, int]:
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
                fill(connection, store, today)
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
