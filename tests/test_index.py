"""The derived index: answers identical to the JSON store's, and never trusted when stale or broken."""

import importlib.util
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import conflict, rating_fact, write_store

from factcli.storage import index
from factcli.cli import cli
from factcli.storage.location import BUNDLED_STORE

REPO = Path(__file__).resolve().parents[1]


def synthetic_store(path, size):
    """A store from the benchmark's own generator, so the index meets realistic variety."""
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench.generate_store(path, size)


def answer(monkeypatch, mode, *args):
    monkeypatch.setenv("FACTS_INDEX", mode)
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, result.stdout, result.stderr


def queries(show_id):
    return [
        ["rating", "--json"],
        ["rating", "--year", "2019", "--json"],
        ["rating", "--year", "2005", "--area", "overall", "--json"],
        ["who", "--json"],
        ["who", "--role", "director", "--year", "2021", "--json"],
        ["who", "--role", "minister", "--format", "csv"],
        ["timeline", "--json"],
        ["timeline", "--from", "2010", "--to", "2012", "--json"],
        ["timeline", "--from", "2019-01", "--to", "2019-02-15", "--json"],
        ["timeline", "--from", "2020", "--to", "2021", "--json"],  # facts after a date of 2018 among them
        ["timeline", "--undated", "--kind", "finding", "--format", "jsonl"],
        ["search", "", "--json"],
        ["search", "neglect", "--json"],
        ["search", "children in", "--json"],
        ["search", "of", "--kind", "statement", "--json"],
        ["search", "NÉGLECT", "--json"],
        ["search", "invested", "--json"],
        ["search", "neglected children", "--json"],
        ["search", "childrens minister", "--json"],
        ["search", '"social workers"', "--json"],
        ["search", "money", "--format", "csv"],
        ["search", "improvements", "--limit", "3", "--fields", "id,match", "--json"],
        ["search", "of", "--limit", "7", "--kind", "role", "--include-retracted", "--json"],
        ["search", "", "--limit", "1000", "--json"],
        ["show", show_id, "--json"],
        ["show", "no-such-fact"],
        ["sources", "--json"],
        ["conflicts", "--include-retracted", "--json"],
        ["log", "--json"],
        ["timeline", "--include-retracted", "--json"],
    ]


@pytest.fixture(params=["bundled", "synthetic"])
def large_and_small(request, tmp_path, monkeypatch):
    if request.param == "bundled":
        monkeypatch.setenv("FACTS_DB", str(BUNDLED_STORE))
        return "rating-2019-01-overall-inadequate"
    store = synthetic_store(tmp_path / "synthetic.json", 400)
    monkeypatch.setenv("FACTS_DB", str(store.path))
    return store.show_id


def index_file(store):
    """Where the index of store is, in the cache folder every test is given (FACTS_CACHE_DIR)."""
    return index.index_path(str(store), os.environ["FACTS_CACHE_DIR"])


def test_every_query_gives_identical_output_with_and_without_index(large_and_small, monkeypatch):
    for args in queries(large_and_small):
        assert answer(monkeypatch, "always", *args) == answer(monkeypatch, "never", *args), args


def test_index_is_built_in_the_cache_directory(tiny_store, monkeypatch, tmp_path):
    answer(monkeypatch, "always", "rating", "--json")
    assert os.path.exists(index_file(tiny_store))
    assert str(tmp_path / "cache") in index_file(tiny_store)


def test_stale_index_is_rebuilt_when_the_store_changes(tiny_store, monkeypatch):
    before = json.loads(answer(monkeypatch, "always", "rating", "--json")[1])
    assert len(before) == 1
    assert CliRunner().invoke(cli, ["retract", "rating-2019-01-overall-inadequate", "--reason", "r"]).exit_code == 0
    assert json.loads(answer(monkeypatch, "always", "rating", "--json")[1]) == []


def test_corrupt_index_is_rebuilt_not_trusted(tiny_store, monkeypatch):
    expected = answer(monkeypatch, "always", "who", "--json")
    with open(index_file(tiny_store), "wb") as broken:
        broken.write(b"this is not a database")
    assert answer(monkeypatch, "always", "who", "--json") == expected


def test_unwritable_cache_falls_back_to_the_json_store(tiny_store, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("FACTS_CACHE_DIR", str(blocker))
    code, stdout, _ = answer(monkeypatch, "always", "rating", "--json")
    assert code == 0 and json.loads(stdout)[0]["id"] == "rating-2019-01-overall-inadequate"


def test_invalid_store_is_refused_the_same_with_index(tmp_path, monkeypatch):
    from conftest import write_store

    broken = write_store(tmp_path / "broken.json", facts=[rating_fact(date="2019-13")])
    monkeypatch.setenv("FACTS_DB", str(broken))
    assert answer(monkeypatch, "always", "rating") == answer(monkeypatch, "never", "rating")
    assert "2019-13" in answer(monkeypatch, "always", "rating")[2]


def test_unknown_index_mode_is_one_line_error(monkeypatch):
    monkeypatch.setenv("FACTS_INDEX", "sometimes")
    result = CliRunner().invoke(cli, ["rating"])
    assert result.exit_code == 2
    assert "FACTS_INDEX must be one of auto, always, never" in result.stderr


def test_build_removes_temporary_files_of_killed_builds(tiny_store, monkeypatch):
    target = index_file(tiny_store)
    os.makedirs(os.path.dirname(target))
    abandoned = f"{target}.999999999.tmp"  # no process has this id
    with open(abandoned, "w") as leftover:
        leftover.write("half an index")
    answer(monkeypatch, "always", "rating", "--json")
    assert not os.path.exists(abandoned)
    assert os.path.exists(target)


# --- hardening: a broken index is discarded, never trusted ----------------------------------


def test_index_with_scrambled_pages_is_discarded_and_the_store_answers(tiny_store, monkeypatch):
    expected = answer(monkeypatch, "never", "who", "--json")
    answer(monkeypatch, "always", "who", "--json")
    target = index_file(tiny_store)
    with open(target, "r+b") as built:
        page = 4096
        built.seek(0, os.SEEK_END)
        size = built.tell()
        # Keep the header and the meta table's page: the fingerprint still matches.
        for offset in range(2 * page, size, page):
            built.seek(offset)
            built.write(os.urandom(page))
    assert answer(monkeypatch, "always", "who", "--json") == expected
    assert answer(monkeypatch, "always", "search", "booth", "--json")[0] == 0
    assert answer(monkeypatch, "always", "who", "--json") == expected


def test_in_place_edit_of_the_same_size_with_restored_mtime_is_noticed(tiny_store, monkeypatch):
    assert json.loads(answer(monkeypatch, "always", "who", "--json")[1])[0]["person"] == "Diane Booth"
    status = os.stat(tiny_store)
    tiny_store.write_text(tiny_store.read_text().replace("Diane Booth", "Diana Bootz"))
    os.utime(tiny_store, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert os.stat(tiny_store).st_size == status.st_size
    assert json.loads(answer(monkeypatch, "always", "who", "--json")[1])[0]["person"] == "Diana Bootz"


def test_index_is_no_more_readable_than_the_store(tiny_store, monkeypatch, tmp_path):
    os.chmod(tiny_store, 0o600)
    monkeypatch.setenv("FACTS_CACHE_DIR", str(tmp_path / "fresh-cache"))
    answer(monkeypatch, "always", "rating", "--json")
    assert os.stat(index_file(tiny_store)).st_mode & 0o077 == 0
    assert os.stat(tmp_path / "fresh-cache").st_mode & 0o077 == 0


@pytest.mark.parametrize(
    "ask",
    [lambda store: store.search("x\udcc3"), lambda store: store.who(role="\udcff"), lambda store: store.show("\udcff")],
    ids=["search", "who", "show"],
)
def test_query_text_that_is_not_utf8_is_answered_through_the_index(tiny_store, monkeypatch, ask):
    # The command line refuses such text before asking; the Python API passes it to the index.
    import factcli

    answer(monkeypatch, "always", "rating", "--json")
    store = factcli.open()
    try:
        assert ask(store) == []
    except factcli.NotFound:
        pass


def test_build_removes_journals_of_killed_builds(tiny_store, monkeypatch):
    target = index_file(tiny_store)
    os.makedirs(os.path.dirname(target))
    abandoned = f"{target}.999999999.tmp-journal"
    with open(abandoned, "w") as leftover:
        leftover.write("half a journal")
    answer(monkeypatch, "always", "rating", "--json")
    assert not os.path.exists(abandoned)


def test_any_query_through_the_index_removes_builds_of_killed_processes(tiny_store, monkeypatch):
    answer(monkeypatch, "always", "rating", "--json")
    abandoned = f"{index_file(tiny_store)}.999999999.tmp"
    with open(abandoned, "w") as leftover:
        leftover.write("half an index")
    answer(monkeypatch, "always", "rating", "--json")  # the index is fresh: no build
    assert not os.path.exists(abandoned)


def test_a_build_that_fails_leaves_no_temporary_index(tiny_store, monkeypatch):
    import sqlite3

    def failing(connection, facts):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(index.search, "insert", failing)
    assert answer(monkeypatch, "always", "rating", "--json")[0] == 0
    folder = os.path.dirname(index_file(tiny_store))
    assert [name for name in os.listdir(folder) if ".tmp" in name] == []


# --- a write updates the index with what it changed ----------------------------------------------


def every_answer(monkeypatch, mode, show_id):
    return [answer(monkeypatch, mode, *args) for args in queries(show_id)]


WRITES = [
    ["retract", "role-diane-booth-dcs", "--reason", "Misread."],
    ["edit", "rating-2019-01-overall-inadequate", "--set", "date_note=From the report."],
    ["rename", "role-diane-booth-dcs", "role-booth-director"],
    ["add", "--kind", "event", "--claim", "A new event happened in 2020.", "--date", "2020", "--date-basis", "inferred",
     "--date-note", "Made up for the test.",
     "--source", "gazette-2019", "--quote", "Diane Booth told a meeting"],
    ["add-source", "--id", "another", "--title", "Another", "--file", "another.txt"],
    ["cite", "rating-2019-01-overall-inadequate", "--source", "gazette-2019", "--quote", "Ms Booth said"],
    ["add-conflict", "--fact", "rating-2019-01-overall-inadequate", "--note", "Two words for one month.", "--caution",
     "--cite", "gazette-2019:In January", "--cite", "gazette-2019:Diane Booth told a meeting"],
    ["edit", "gazette-2019", "--set", "published_note=Printed under the headline."],
]


@pytest.mark.parametrize("write", WRITES, ids=lambda args: args[0])
def test_a_write_updates_the_index_in_place_and_answers_stay_the_same(tiny_store, monkeypatch, write):
    answer(monkeypatch, "always", "rating", "--json")
    built = os.stat(index_file(tiny_store)).st_ino
    result = CliRunner().invoke(cli, write)
    assert result.exit_code == 0, result.output
    show_id = "role-booth-director" if write[0] == "rename" else "rating-2019-01-overall-inadequate"
    assert every_answer(monkeypatch, "always", show_id) == every_answer(monkeypatch, "never", show_id)
    assert os.stat(index_file(tiny_store)).st_ino == built  # updated, not rebuilt


def test_a_retracted_conflict_flags_nothing_through_the_index_either(tiny_store, monkeypatch):
    write_store(tiny_store, conflicts=[conflict()])
    answer(monkeypatch, "always", "rating", "--json")
    assert CliRunner().invoke(cli, ["retract", "january-or-february", "--reason", "Settled."]).exit_code == 0
    show_id = "rating-2019-01-overall-inadequate"
    assert every_answer(monkeypatch, "always", show_id) == every_answer(monkeypatch, "never", show_id)
    [shown] = json.loads(answer(monkeypatch, "always", "show", show_id, "--json")[1])
    assert shown["conflicts"] == []


def test_many_writes_in_a_row_keep_the_index_the_stores(tmp_path, monkeypatch):
    store = synthetic_store(tmp_path / "synthetic.json", 300)
    monkeypatch.setenv("FACTS_DB", str(store.path))
    answer(monkeypatch, "always", "rating", "--json")
    built = os.stat(index_file(store.path)).st_ino
    lines = "".join(
        json.dumps({"kind": "event", "claim": f"Written fact number {n}.", "date": "2021",
                    "date_basis": "inferred", "date_note": "Made up for the test.",
                    "citations": [{"source": store.source_id, "quote": "written"}]}) + "\n"
        for n in range(20)
    )
    assert CliRunner().invoke(cli, ["add"], input=lines).exit_code == 0
    assert CliRunner().invoke(cli, ["retract", store.show_id, "--reason", "A test."]).exit_code == 0
    assert every_answer(monkeypatch, "always", store.show_id) == every_answer(monkeypatch, "never", store.show_id)
    assert os.stat(index_file(store.path)).st_ino == built


def test_an_index_stale_before_a_write_is_not_updated_but_rebuilt(tiny_store, monkeypatch):
    answer(monkeypatch, "always", "rating", "--json")
    tables = json.loads(tiny_store.read_text())
    tables["facts"]["1"]["date_note"] = "Changed by hand."
    tiny_store.write_text(json.dumps(tables, indent=2, sort_keys=True))
    assert CliRunner().invoke(cli, ["retract", "role-diane-booth-dcs", "--reason", "x"]).exit_code == 0
    show_id = "rating-2019-01-overall-inadequate"
    assert every_answer(monkeypatch, "always", show_id) == every_answer(monkeypatch, "never", show_id)


def test_an_update_that_fails_midway_leaves_no_index_a_query_trusts(tiny_store, monkeypatch):
    import sqlite3

    answer(monkeypatch, "always", "rating", "--json")

    def failing(connection, facts):
        raise sqlite3.OperationalError("disk I/O error")

    real = index.search.insert
    monkeypatch.setattr(index.search, "insert", failing)
    assert CliRunner().invoke(cli, ["retract", "role-diane-booth-dcs", "--reason", "x"]).exit_code == 0
    monkeypatch.setattr(index.search, "insert", real)
    show_id = "rating-2019-01-overall-inadequate"
    assert every_answer(monkeypatch, "always", show_id) == every_answer(monkeypatch, "never", show_id)


@pytest.mark.parametrize("include_retracted", [False, True])
def test_sources_are_counted_by_the_index_without_reading_every_fact(tmp_path, monkeypatch, include_retracted):
    from factcli.storage.loading import load
    from factcli.storage.memory import load_whole

    store = synthetic_store(tmp_path / "synthetic.json", 300)
    indexed = load(str(store.path), "always", str(tmp_path / "cache"))
    assert type(indexed).__name__ == "IndexedStore"
    whole = load_whole(str(store.path))
    expected = {source_id: [0, 0] for source_id in whole.sources}
    for fact in whole.select(include_retracted=include_retracted):
        for source_id in {citation.source for citation in fact.citations}:
            expected[source_id][0] += 1
        for citation in fact.citations:
            expected[citation.source][1] += 1
    expected = {source_id: tuple(counts) for source_id, counts in expected.items()}
    assert indexed.citation_counts(include_retracted) == expected
    assert whole.citation_counts(include_retracted) == expected


def test_a_store_whose_path_is_not_utf8_is_answered_through_the_index(tmp_path, monkeypatch):
    import subprocess
    import sys

    path = os.fsencode(tmp_path) + b"/x\xc3.json"
    with open(path, "wb") as out:
        out.write((tmp_path.parent / tmp_path.name / "facts.json").read_bytes())
    env = {**os.environ, "FACTS_INDEX": "always"}
    result = subprocess.run([sys.executable, "-m", "factcli", "--db", path, "rating", "--json"], capture_output=True, env=env)
    assert result.returncode == 0, result.stderr
