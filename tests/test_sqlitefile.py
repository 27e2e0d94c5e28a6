"""The SQLite store of record: every command answers and writes as the JSON store does, round trips byte for byte, refuses without a trace, and survives concurrent writers and kills."""

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SOURCE, conflict, rating_fact, role_fact, write_store
from hypothesis import given, settings
from hypothesis import strategies as st

from factcli.cli import cli
from factcli.core.errors import StoreError
from factcli.curation import overlap, stored
from factcli.storage import jsonfile, sqlitefile
from factcli.storage.location import BUNDLED_STORE

REPO = Path(__file__).resolve().parents[1]
QUOTE = "Ms Booth said a 12-week improvement plan was being laid out."


def invoke(*args, input=None):
    return CliRunner().invoke(cli, [str(arg) for arg in args], input=input)


def as_database(json_path, name="facts.db"):
    """A SQLite store of record made from the JSON store at json_path, beside it."""
    path = json_path.parent / name
    result = invoke("init", path, "--from", json_path)
    assert result.exit_code == 0, result.output
    return path


def exported(path):
    result = invoke("--db", path, "export", "--format", "json")
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def without_times(tables):
    """A store's tables with the times of curation left out: two writes a second apart differ only there."""
    for record in tables["facts"].values():
        record.pop("added", None)
        record.pop("changed", None)
        for entry in record.get("history", []):
            entry.pop("at", None)
    return tables


def litter(folder):
    return sorted(name for name in os.listdir(folder) if name.endswith(("-journal", ".tmp", ".lock", "-wal", "-shm")))


@pytest.fixture
def both(tiny_store):
    """The tiny store as JSON and as a SQLite store of record made from it."""
    return {"json": tiny_store, "sqlite": as_database(tiny_store)}


# --- one store, two back ends -------------------------------------------------------------------


def test_a_store_made_from_the_bundled_one_exports_it_back_byte_for_byte(tmp_path):
    database = tmp_path / "bundled.db"
    assert invoke("init", database, "--from", BUNDLED_STORE).exit_code == 0
    assert exported(database) == Path(BUNDLED_STORE).read_bytes()
    again = tmp_path / "again.json"
    again.write_bytes(exported(database))
    assert exported(as_database(again, "again.db")) == Path(BUNDLED_STORE).read_bytes()


@pytest.mark.parametrize(
    "tables",
    [
        {"facts": {}, "sources": {}},  # no meta, no conflicts table: none appears on the way back
        {"_default": {}, "conflicts": {}, "facts": {}, "meta": {"1": {"title": "Empty"}}, "sources": {}},
        None,  # the tiny store with conflicts and a fact at document id 10
    ],
)
def test_round_trip_keeps_which_tables_there_are_and_every_document_id(tmp_path, tables):
    path = tmp_path / "store.json"
    if tables is None:
        write_store(path, [rating_fact(), role_fact()], conflicts=[conflict()])
        tables = json.loads(path.read_text())
        tables["facts"]["10"] = tables["facts"].pop("2")
    path.write_bytes(jsonfile.encode(tables))
    assert exported(as_database(path)) == path.read_bytes()


def test_export_json_of_a_json_store_is_its_own_file(tiny_store):
    assert exported(tiny_store) == tiny_store.read_bytes()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=8), st.dictionaries(st.integers(1, 10**6).map(str), json_values, max_size=4), max_size=4))
def test_the_json_a_record_at_a_time_is_the_json_of_the_whole(tables):
    pieces = jsonfile.encoded_pieces((name, sorted(table.items())) for name, table in sorted(tables.items()))
    assert "".join(pieces).encode("utf-8") == jsonfile.encode(tables)


QUERIES = [
    ["rating", "--json"],
    ["rating", "--year", "2019", "--json"],
    ["rating", "--year", "2016", "--area", "leadership", "--json"],
    ["who", "--json"],
    ["who", "--role", "director", "--year", "2021", "--json"],
    ["timeline", "--format", "jsonl"],
    ["timeline", "--from", "2019", "--to", "2020", "--undated", "--include-retracted", "--json"],
    ["search", "inadequate", "--json"],
    ["search", "improvement plan", "--kind", "plan", "--limit", "2", "--json"],
    ["show", "rating-2019-01-overall-inadequate", "--json"],
    ["show", "rating-2019-01-overall-inadequat"],
    ["sources", "--json"],
    ["conflicts", "--json"],
    ["log", "--json"],
    ["ask", "who was director of children's services in 2020", "--json"],
    ["meta", "--json"],
    ["validate"],
    ["export", "--format", "jsonl"],
    ["export", "--format", "csl"],
    ["brief", "--from", "2018", "--to", "2021"],
]


@pytest.fixture(scope="module")
def bundled_both(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bundled")
    path = folder / "facts.json"
    path.write_bytes(Path(BUNDLED_STORE).read_bytes())
    database = folder / "facts.db"
    subprocess.run([sys.executable, "-m", "factcli", "init", database, "--from", path], check=True, capture_output=True, cwd=REPO)
    return {"json": path, "sqlite": database}


@pytest.mark.parametrize("args", QUERIES, ids=lambda args: " ".join(args))
def test_every_question_has_the_same_answer_from_either_back_end(bundled_both, args, monkeypatch):
    monkeypatch.setenv("FACTS_TODAY", "2026-11-23")
    answers = {}
    for name, path in bundled_both.items():
        result = invoke("--db", path, *args)
        output = result.stdout.replace(path.name, "STORE")
        answers[name] = (result.exit_code, as_data(output), result.stderr)
    assert answers["sqlite"] == answers["json"]


def as_data(output):
    """JSON or JSON lines as data, anything else as text."""
    try:
        return json.loads(output)
    except ValueError:
        try:
            return [json.loads(line) for line in output.splitlines()]
        except ValueError:
            return output


def test_a_large_json_store_answers_through_its_index_as_a_store_of_record_does(bundled_both, monkeypatch):
    monkeypatch.setenv("FACTS_INDEX", "always")
    assert invoke("--db", bundled_both["json"], "sources", "--json").stdout == invoke("--db", bundled_both["sqlite"], "sources", "--json").stdout


def test_sources_are_in_document_order_whatever_order_the_file_has(tmp_path, monkeypatch):
    sources = [{**SOURCE, "id": f"source-{n}"} for n in range(1, 12)]
    path = write_store(tmp_path / "many.json", [rating_fact(citations=[{"source": "source-2", "quote": "q"}])], sources)
    expected = [f"source-{n}" for n in range(1, 12)]  # the file, sorted by key, has 1, 10, 11, 2, ...

    def listed(store):  # CSL-JSON lists the store's sources in its own order
        return [item["id"] for item in json.loads(invoke("--db", store, "export", "--format", "csl").stdout)]

    for mode in ("never", "always"):
        monkeypatch.setenv("FACTS_INDEX", mode)
        assert listed(path) == expected
    assert listed(as_database(path)) == expected


def write_session(sources_dir, tmp_path):
    """Every writing command, in an order where each changes the store, and some refused."""
    many = tmp_path / "many.jsonl"
    many.write_text(
        "".join(
            json.dumps({"kind": "event", "claim": claim, "date": "2019", "date_basis": "reported",
                        "citations": [{"source": "gazette-2019", "quote": quote}]}) + "\n"
            for claim, quote in [
                ("Diane Booth told a meeting about the department in 2019.", "Diane Booth told a meeting"),
                ("A meeting heard from the director in 2019.", "told a meeting"),
            ]
        )
    )  # fmt: skip
    (sources_dir / "second.txt").write_text("They set out a 12-week plan for the department.\n", encoding="utf-8")
    plan = "plan-2019-02-diane-booth-12-week"
    return [
        ["add", "--kind", "plan", "--claim", "In February 2019 Diane Booth said a 12-week improvement plan was being laid out.",
         "--date", "2019-02", "--date-basis", "reported", "--source", "gazette-2019", "--quote", QUOTE,
         "--field", "owner=Blackpool Council", "--sources", sources_dir],
        ["add", "--kind", "event", "--claim", "Ms Booth said a 12-week improvement plan was being laid out.", "--date", "2019-02",
         "--date-basis", "reported", "--source", "gazette-2019", "--quote", "12-week improvement plan", "--sources", sources_dir],
        ["add", "--kind", "plan", "--claim", "in february 2019 DIANE booth said a 12-week improvement plan was being laid out.",
         "--date", "2019-02", "--date-basis", "reported", "--source", "gazette-2019", "--quote", "plan"],
        ["add", "--from", many],
        ["add", "--from", many],
        ["add-source", "--id", "second-2020", "--title", "Second", "--publisher", "Paper", "--published", "2020",
         "--published-basis", "printed", "--file", "second.txt"],
        ["add-source", "--id", "second-2020", "--title", "Again", "--file", "again.txt"],
        ["cite", plan, "--source", "second-2020", "--quote", "a 12-week plan"],
        ["cite", plan, "--source", "second-2020", "--quote", "a 12-week plan"],
        ["cite", plan, "--source", "nowhere", "--quote", "a 12-week plan"],
        ["edit", plan, "--set", "date_note=From the article's date."],
        ["edit", plan, "--set", "owner=null", "--set", "date=2019-13"],
        ["edit", "no-such-fact", "--set", "date_note=x"],
        ["retract", plan, "--reason", "Checking."],
        ["retract", plan, "--reason", "Again."],
        ["add", "--kind", "plan", "--claim", "In February 2019 Diane Booth said a 12-week improvement plan was being laid out.",
         "--date", "2019-02", "--date-basis", "reported", "--source", "gazette-2019", "--quote", QUOTE, "--id", "plan-again",
         "--field", "owner=Blackpool Council"],
        ["restore", plan, "--reason", "It stands."],
        ["retract", "plan-again", "--reason", "A duplicate."],
        ["restore", plan, "--reason", "It stands."],
        ["rename", "rating-2019-01-overall-inadequate", "role-diane-booth-dcs"],
        ["rename", "rating-2019-01-overall-inadequate", "rating-2019-01-inadequate"],
        ["meta", "--set", "scale=good,bad"],
        ["meta", "--set", "subject=Blackpool"],
        ["anchor", "--sources", sources_dir, "--dry-run"],
        ["anchor", "--sources", sources_dir],
        ["edit", plan, "--set", "claim=Ofsted rated Blackpool's children's services inadequate in January 2019."],
        ["add-source", "--id", "third", "--title", "Third", "--file", "third.txt", "--dry-run"],
        ["add", "--kind", "event", "--claim", "Dry.", "--date", "2019", "--date-basis", "reported", "--source", "gazette-2019",
         "--quote", "Dry", "--dry-run"],
        # The same judgment in other words: refused, then added with --allow-duplicate, warned.
        ["add", "--kind", "rating", "--claim", "Ofsted's January 2019 verdict on the department: inadequate overall.",
         "--date", "2019-01", "--date-basis", "stated", "--source", "gazette-2019", "--quote", "branded inadequate by Ofsted",
         "--field", "judgment=inadequate", "--field", "area=overall", "--field", "published=2019-01",
         "--field", "service=children's services"],
        ["add", "--kind", "rating", "--claim", "Ofsted's January 2019 verdict on the department: inadequate overall.",
         "--date", "2019-01", "--date-basis", "stated", "--source", "gazette-2019", "--quote", "branded inadequate by Ofsted",
         "--field", "judgment=inadequate", "--field", "area=overall", "--field", "published=2019-01",
         "--field", "service=children's services", "--allow-duplicate"],
        # Conflicts and sources are curated as facts are.
        ["add-conflict", "--fact", plan, "--note", "Two lines of one article.", "--cite", "gazette-2019:a 12-week improvement plan",
         "--cite", "second-2020:a 12-week plan", "--caution", "--id", "two-lines"],
        ["add-conflict", "--fact", "no-such-fact", "--note", "x", "--cite", "gazette-2019:plan", "--cite", "gazette-2019:Ms Booth",
         "--caution"],
        ["edit", "two-lines", "--set", "note=Two lines of two articles."],
        ["rename", "two-lines", "two-articles"],
        ["retract", "two-articles", "--reason", "Not a disagreement."],
        ["restore", "two-articles", "--reason", "It is a caution."],
        ["edit", "second-2020", "--set", "title=Second, retitled"],
        ["edit", "second-2020", "--set", "published=2018"],
    ]  # fmt: skip


def test_every_write_does_the_same_to_either_back_end(tmp_path, sources_dir, monkeypatch):
    stores = {}
    for name in ("json", "sqlite"):
        folder = tmp_path / name
        folder.mkdir()
        path = write_store(folder / "facts.json", conflicts=[conflict()])
        stores[name] = path if name == "json" else as_database(path)
    said = {name: [] for name in stores}
    for args in write_session(sources_dir, tmp_path):
        for name, path in stores.items():
            before = path.read_bytes()
            result = invoke("--db", path, *args)
            said[name].append((args[0], result.exit_code, result.output.replace(str(path), "STORE")))
            if result.exit_code != 0 or "--dry-run" in args:
                assert path.read_bytes() == before, (name, args)  # refused or dry: not a byte changed
            assert litter(path.parent) == []
    assert said["sqlite"] == said["json"]
    assert [code for _, code, _ in said["json"][-10:]] == [1, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert "the same rating as fact 'rating-2019-01-inadequate'" in said["json"][-10][2]
    assert [code for _, code, _ in said["json"]].count(0) >= 14  # most of the session did change the store
    written = {name: without_times(json.loads(exported(path))) for name, path in stores.items()}
    assert written["sqlite"] == written["json"]
    assert invoke("--db", stores["sqlite"], "validate").exit_code == 0


def test_an_edit_in_the_editor_reads_and_writes_a_store_of_record(both, monkeypatch, tmp_path):
    script = tmp_path / "editor.py"
    script.write_text("import json, sys\nrecord = json.load(open(sys.argv[1]))\nrecord['date_note'] = 'Edited.'\n"
                      "json.dump(record, open(sys.argv[1], 'w'))\n")  # fmt: skip
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    result = invoke("--db", both["sqlite"], "edit", "rating-2019-01-overall-inadequate")
    assert result.exit_code == 0, result.output
    shown = json.loads(invoke("--db", both["sqlite"], "show", "rating-2019-01-overall-inadequate", "--json").stdout)
    assert shown[0]["date_note"] == "Edited."


def test_a_batch_sees_a_write_to_a_store_of_record_made_between_its_requests(both):
    database = both["sqlite"]
    add = ["add", "--kind", "event", "--claim", "Diane Booth told a meeting about the department.", "--date", "2019",
           "--date-basis", "reported", "--source", "gazette-2019", "--quote", "Diane Booth told a meeting", "--id", "meeting"]  # fmt: skip
    requests = [["show", "meeting"], add, ["show", "meeting"]]
    result = invoke("--db", database, "batch", "--allow-writes", input="".join(json.dumps(r) + "\n" for r in requests))
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [answer["exit"] for answer in answers] == [1, 0, 0]


# --- the store of record's own guarantees --------------------------------------------------------


def test_a_new_store_named_db_is_sqlite_and_one_named_json_can_be_too(tmp_path):
    assert invoke("init", tmp_path / "a.db").exit_code == 0
    assert (tmp_path / "a.db").read_bytes().startswith(b"SQLite format 3\x00")
    assert invoke("init", tmp_path / "b.store", "--format", "sqlite").exit_code == 0
    assert json.loads(invoke("--db", tmp_path / "b.store", "where", "--json").stdout)["format"] == "sqlite"
    assert invoke("--db", tmp_path / "b.store", "rating", "--year", "2019").exit_code == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["init", "STORE.db", "--format", "json"], "a store named .db, .sqlite or .sqlite3 is read as SQLite"),
        (["init", "new.db", "--empty", "--from", "STORE.json"], "--empty and --from are two different starts"),
        (["init", "new.db", "--from", "missing.json"], "store not found: missing.json"),
        (["init", "STORE.db", "--from", "STORE.json"], "already exists"),
        (["merge", "STORE.db", "STORE.db", "STORE.db"], "is a SQLite store; facts merge merges JSON stores"),
    ],
)
def test_what_a_store_of_record_cannot_be_asked_is_one_line(both, args, message, monkeypatch):
    monkeypatch.chdir(both["json"].parent)
    result = invoke(*[arg.replace("STORE", "facts") for arg in args])
    assert result.exit_code in (1, 2)
    assert message in result.output
    assert "Traceback" not in result.output and not os.path.exists("new.db")


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda path: path.write_bytes(b"not a database at all"), "not a store of facts"),
        (lambda path: path.write_bytes(path.read_bytes()[:3000]), "not a store of facts"),
        (lambda path: _sql(path, "PRAGMA application_id = 7"), "is a SQLite database, but not a store of facts"),
        (lambda path: _sql(path, "PRAGMA user_version = 99"), "holds its records in layout 99"),
        (lambda path: path.unlink(), "store not found"),
    ],
)
def test_a_broken_store_of_record_is_one_line_for_every_command(both, make, message):
    database = both["sqlite"]
    make(database)
    for args in (["rating"], ["validate"], ["add", "--kind", "event", "--claim", "x", "--source", "a", "--quote", "b"],
                 ["export", "--format", "json"]):  # fmt: skip
        result = invoke("--db", database, *args)
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output and "Traceback" not in result.output


def _sql(path, statement):
    with sqlite3.connect(path) as connection:
        connection.execute(statement)


def test_a_store_derived_by_an_older_version_is_derived_anew_by_the_next_command(both):
    database = both["sqlite"]
    _sql(database, "UPDATE meta SET value = 'old' WHERE key = 'layout'")
    _sql(database, "DELETE FROM facts_search")  # what an older layout would not have held
    found = json.loads(invoke("--db", database, "search", "inadequate", "--json").stdout)
    assert [fact["id"] for fact in found] == ["rating-2019-01-overall-inadequate"]
    with sqlite3.connect(database) as connection:
        assert dict(connection.execute("SELECT key, value FROM meta"))["layout"] == sqlitefile.DERIVED_LAYOUT
    assert exported(database) == both["json"].read_bytes()


def test_words_derived_by_other_rules_are_derived_anew_by_the_next_write(both):
    database = both["sqlite"]
    _sql(database, "DELETE FROM words")
    _sql(database, "UPDATE meta SET value = 'older rules' WHERE key = 'words'")
    result = invoke("--db", database, "add", "--kind", "event", "--claim", "Diane Booth was director in February 2019.",
                    "--date", "2019-02", "--date-basis", "reported", "--source", "gazette-2019", "--quote", "Diane Booth")  # fmt: skip
    assert result.exit_code == 0
    assert "near 'role-diane-booth-dcs'" in result.stderr  # found through the words derived anew
    with sqlite3.connect(database) as connection:
        assert dict(connection.execute("SELECT key, value FROM meta"))["words"] == stored.DERIVATION.version


def test_a_store_of_record_refuses_a_duplicate_its_indexes_hold_even_past_the_curation_checks(both):
    """The save's own check, by index, of what overlap.Known would refuse first."""
    store_file = sqlitefile.SQLiteStoreFile(str(both["sqlite"]), stored.DERIVATION)
    tables = store_file.begin(dry_run=False)
    try:
        record = dict(tables["facts"]["2"], claim=tables["facts"]["1"]["claim"].upper())
        tables["facts"]["3"] = {**record, "id": "rating-2019-01-overall-inadequate"}
        with pytest.raises(StoreError) as refused:
            store_file.save(tables, {"3"})
    finally:
        store_file.end()
    assert refused.value.problems == [
        "fact rating-2019-01-overall-inadequate: duplicate id: same as rating-2019-01-overall-inadequate",
        "fact rating-2019-01-overall-inadequate: duplicate claim: same as rating-2019-01-overall-inadequate",
    ]
    assert exported(both["sqlite"]) == both["json"].read_bytes()


def test_a_changed_source_rechecks_the_facts_that_cite_it(both):
    """A reported date is its source's: a source whose date moves breaks the facts that report it."""
    store_file = sqlitefile.SQLiteStoreFile(str(both["sqlite"]), stored.DERIVATION)
    tables = store_file.begin(dry_run=False)
    try:
        tables["facts"]["3"] = rating_fact(id="rating-2019-02-reported", claim="Reported in February 2019.",
                                           date="2019-02", date_basis="reported")  # fmt: skip
        store_file.save(tables, {"3"})
    finally:
        store_file.end()
    tables = store_file.begin(dry_run=False)
    try:
        tables["sources"]["1"]["published"] = "2020"
        with pytest.raises(StoreError) as refused:
            store_file.save(tables, set())
    finally:
        store_file.end()
    assert refused.value.problems == [
        "fact rating-2019-02-reported: date 2019-02 is reported, but no citation's source was published then (or gives it as as_of)"
    ]


def test_known_over_a_store_of_record_backs_every_index_known_keeps(both, monkeypatch):
    """A new index in overlap.Known needs a view in curation.stored: until it has one, a write
    to a store of record is refused, never checked against half the store."""
    store_file = sqlitefile.SQLiteStoreFile(str(both["sqlite"]), stored.DERIVATION)
    store_file.begin(dry_run=True)
    try:
        known = stored.known(store_file.lookups(), frozenset())
        assert "rating-2019-01-overall-inadequate" in known.ids
        problems, _ = known.check({"id": "x", "claim": "OFSTED rated Blackpool's children's services inadequate in January 2019."})
        assert problems == ["the same claim is already fact 'rating-2019-01-overall-inadequate'"]
        original = overlap.Known.__init__

        def grown(self, *args, **kwargs):
            original(self, *args, **kwargs)
            self.sectors = {}

        monkeypatch.setattr(overlap.Known, "__init__", grown)
        with pytest.raises(StoreError, match="Known's sectors has no view"):
            stored.known(store_file.lookups(), frozenset())
    finally:
        store_file.end()


def test_a_dry_run_or_a_read_of_a_store_of_record_changes_nothing(both):
    database = both["sqlite"]
    before = (database.read_bytes(), os.stat(database).st_mtime_ns)
    for args in (["rating", "--year", "2019"], ["validate"], ["export", "--format", "json"], ["where"],
                 ["retract", "rating-2019-01-overall-inadequate", "--reason", "x", "--dry-run"]):  # fmt: skip
        assert invoke("--db", database, *args).exit_code == 0
    assert (database.read_bytes(), os.stat(database).st_mtime_ns) == before
    assert litter(database.parent) == []


def run_facts(*args, env=None):
    return subprocess.run([sys.executable, "-m", "factcli", *map(str, args)], capture_output=True, text=True, cwd=REPO, env=env)


def test_concurrent_writers_of_a_store_of_record_take_turns_and_lose_nothing(both):
    database = both["sqlite"]
    script = (
        "import subprocess, sys\n"
        "for n in range(5):\n"
        "    claim = f'Writer {sys.argv[2]} wrote event number {n} of the test in 2019.'\n"
        "    done = subprocess.run([sys.executable, '-m', 'factcli', '--db', sys.argv[1], 'add', '--kind', 'event',"
        " '--claim', claim, '--id', f'event-{sys.argv[2]}-{n}', '--date', '2019', '--date-basis', 'reported',"
        " '--source', 'gazette-2019', '--quote', 'Diane Booth'], capture_output=True, text=True)\n"
        "    assert done.returncode == 0, done.stderr\n"
    )
    writers = [subprocess.Popen([sys.executable, "-c", script, str(database), str(w)], cwd=REPO) for w in range(6)]
    assert [writer.wait(timeout=300) for writer in writers] == [0] * 6
    ids = {fact["id"] for fact in json.loads(run_facts("--db", database, "timeline", "--json").stdout)}
    assert {f"event-{w}-{n}" for w in range(6) for n in range(5)} <= ids
    assert run_facts("--db", database, "validate").returncode == 0
    assert litter(database.parent) == []


def test_a_writer_that_finds_another_writers_journal_waits_its_turn(both):
    """Another writer's journal is its own: a command that finds one leaves it, and still waits
    for the write lock as long as any writer does."""
    database = both["sqlite"]
    journal = Path(f"{database}-journal")
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    journal.write_bytes(bytes(512))  # as a writer's journal is before its header is written
    writer = subprocess.Popen([sys.executable, "-m", "factcli", "--db", str(database), "retract",
                               "rating-2019-01-overall-inadequate", "--reason", "Waited."], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    time.sleep(1.5)
    assert writer.poll() is None and journal.exists()  # waiting, and the journal left alone
    journal.unlink()
    holder.execute("ROLLBACK")
    holder.close()
    assert writer.wait(timeout=60) == 0, writer.stderr.read()


def test_a_writer_killed_at_any_moment_leaves_the_store_before_or_after_its_write(both, tmp_path):
    """Killed at a random moment, or the moment its journal appears (mid-commit): the next
    command plays the journal back, and the store holds all of the import or none of it."""
    database = both["sqlite"]
    journal = Path(f"{database}-journal")
    many = tmp_path / "many.jsonl"
    many.write_text("".join(
        json.dumps({"kind": "event", "claim": f"Imported event number {n} of the kill test happened.", "date": "2019",
                    "date_basis": "reported", "citations": [{"source": "gazette-2019", "quote": "Diane Booth"}]}) + "\n"
        for n in range(300)))  # fmt: skip
    rng = random.Random(20261123)
    added, mid_commit = [], 0
    for run in range(8):
        before = len(json.loads(exported(database))["facts"])
        writer = subprocess.Popen([sys.executable, "-m", "factcli", "--db", str(database), "add", "--from", str(many)], cwd=REPO,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + (30 if run % 2 else rng.uniform(0.2, 1.5))
        while time.monotonic() < deadline and writer.poll() is None and not (run % 2 and journal.exists()):
            time.sleep(0.0005)
        mid_commit += journal.exists()
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        # The next command of any kind plays back what the killed writer left.
        assert run_facts("--db", database, "validate").returncode == 0
        assert not journal.exists()
        added.append(len(json.loads(exported(database))["facts"]) - before)
        assert added[-1] in (0, 300)
        if added[-1]:
            database.unlink()
            database = as_database(both["json"], f"again-{run}.db")
            journal = Path(f"{database}-journal")
        assert litter(database.parent) == []
    assert mid_commit >= 2  # the journal was there when killed: a commit was cut short and undone


def test_a_read_only_store_of_record_answers_and_refuses_writes(both):
    database = both["sqlite"]
    os.chmod(database, 0o444)
    try:
        assert invoke("--db", database, "rating", "--year", "2019").exit_code == 0
        result = invoke("--db", database, "retract", "rating-2019-01-overall-inadequate", "--reason", "x")
        assert result.exit_code == 1 and "nothing written" in result.output
    finally:
        os.chmod(database, 0o644)


def test_a_killed_build_of_a_new_store_of_record_is_swept_by_the_next_command(both):
    database = both["sqlite"]
    leftover = database.parent / f".{database.name}.999999999.abcdefgh.tmp"
    leftover.write_bytes(b"half a database")
    assert invoke("--db", database, "rating").exit_code == 0
    assert not leftover.exists()


def test_the_store_of_record_holds_each_fact_once_in_each_check(both):
    with sqlite3.connect(both["sqlite"]) as connection:
        claims = connection.execute("SELECT count(*) FROM claims").fetchone()[0]
        facts = connection.execute("SELECT count(*) FROM facts WHERE retracted = 0").fetchone()[0]
        words = {word for (word,) in connection.execute("SELECT word FROM words")}
    assert claims == facts == 2
    assert words == set(overlap.significant_words(rating_fact()["claim"])) | set(overlap.significant_words(role_fact()["claim"]))


def test_a_refused_import_leaves_a_store_of_record_byte_for_byte(both, tmp_path):
    database = both["sqlite"]
    digest = hashlib.sha256(database.read_bytes()).hexdigest()
    many = tmp_path / "bad.jsonl"
    many.write_text(json.dumps({"kind": "event", "claim": "Fine.", "date": "2019", "date_basis": "reported",
                                "citations": [{"source": "gazette-2019", "quote": "q"}]}) + "\n"
                    + json.dumps({"kind": "event", "claim": "Bad.", "citations": [{"source": "nowhere", "quote": "q"}]}) + "\n")  # fmt: skip
    assert invoke("--db", database, "add", "--from", many).exit_code == 1
    assert hashlib.sha256(database.read_bytes()).hexdigest() == digest
    assert litter(database.parent) == []


@pytest.mark.parametrize(
    "statement, problem",
    [
        ("UPDATE facts SET kind = 'event' WHERE position = 1", "its columns (id, kind, year, retracted, date, bound) differ from its record"),
        ("UPDATE facts SET bound = 'after' WHERE position = 1", "its columns (id, kind, year, retracted, date, bound) differ from its record"),
        ("UPDATE claims SET key = 'something else' WHERE position = 2", "its claim key differs from its claim"),
        ("INSERT INTO spans VALUES ('gazette-2019', 0, 5, 2)", "an anchored span at document id 2 is no fact's"),
        ("UPDATE store_meta SET record = '{}'", "the meta questions read differs from the meta record"),
    ],
)
def test_validate_finds_what_a_store_of_record_derives_drifted_from_its_records(both, statement, problem):
    """Another tool's change to a derived column is found by facts validate, and a store made
    from it derives everything anew."""
    database = both["sqlite"]
    assert invoke("--db", database, "validate").exit_code == 0
    _sql(database, statement)
    result = invoke("--db", database, "validate")
    assert result.exit_code == 1 and problem in result.output
    assert invoke("init", database.parent / "anew.db", "--from", database).exit_code == 0
    assert invoke("--db", database.parent / "anew.db", "validate").exit_code == 0
