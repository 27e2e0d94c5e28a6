"""The facts command line through click's CliRunner: output formats, notes, errors and exit codes of every command."""

import ast
import csv
import io
import json

import pytest
from click.testing import CliRunner
from conftest import SOURCE, conflict, rating_fact, role_fact, write_store

from factcli import __version__
from factcli.cli import COMMANDS as COMMAND_TABLE
from factcli.cli import cli

RATING_ID = "rating-2019-01-overall-inadequate"
ROLE_ID = "role-diane-booth-dcs"
RATING_QUOTE = "In January the department was branded inadequate by Ofsted"
ROLE_QUOTE = "Blackpool's director of children's services Diane Booth"
TITLE = SOURCE["title"]

# Each query command as run against the tiny store, with the ids its answer holds.
QUERIES = {
    "rating": (["rating"], [RATING_ID]),
    "rating-year": (["rating", "--year", "2019"], [RATING_ID]),
    "who": (["who"], [ROLE_ID]),
    "who-role": (["who", "--role", "dcs", "--year", "2019"], [ROLE_ID]),
    "timeline": (["timeline"], [RATING_ID, ROLE_ID]),
    "search": (["search", "booth"], [ROLE_ID]),
    "search-all": (["search"], [RATING_ID, ROLE_ID]),
    "show": (["show", RATING_ID], [RATING_ID]),
    "sources": (["sources"], [SOURCE["id"]]),
}
COMMANDS = ["rating", "who", "timeline", "search", "show", "sources", "validate", "verify"]
ANCHOR_KEYS = {"start", "end", "prefix", "suffix"}


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")


def run(*args):
    """Invoke facts with args; stdout and stderr stay apart."""
    return CliRunner().invoke(cli, [str(arg) for arg in args], prog_name="facts")


def words(text):
    return " ".join(text.split())


def assert_one_line_error(result, exit_code=1):
    assert result.exit_code == exit_code, (result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout


# --- human output -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, shown",
    [
        (["rating"], [RATING_QUOTE, TITLE, "inadequate", "2019-01"]),
        (["rating", "--year", "2019"], [RATING_QUOTE, TITLE, "made in 2019"]),
        (["who"], [ROLE_QUOTE, TITLE, "Diane Booth", "director of children's services", "on record 2019-02"]),
        (["timeline"], [RATING_QUOTE, ROLE_QUOTE, TITLE, "Blackpool Gazette"]),
        (["search", "inadequate"], [RATING_QUOTE, TITLE]),
        (["show", ROLE_ID], [ROLE_QUOTE, TITLE, "Blackpool Gazette", "2019-02", "gazette.txt", "Diane Booth"]),
        (["sources"], [TITLE, "Blackpool Gazette", "2019-02", "gazette.txt", "gazette-2019"]),
    ],
    ids=lambda value: " ".join(value) if value and value[0] in COMMANDS else None,
)
def test_human_output_shows_the_answer_with_its_citation(args, shown):
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    for text in shown:
        assert text in words(result.stdout)
    assert "\x1b" not in result.stdout
    assert result.stderr == ""


def test_rating_human_output_draws_the_year_strip(tiny_store):
    result = run("rating")
    assert "Latest headline Ofsted grade on record at the end of each year, 2019–" in result.stdout
    assert "Lower case: carried forward, made in an earlier year or on a date not on record;" in words(result.stdout)


# --- machine output ---------------------------------------------------------------------------


@pytest.mark.parametrize("query", QUERIES)
def test_json_output_is_an_array_of_cited_answers(query):
    args, expected_ids = QUERIES[query]
    result = run(*args, "--json")
    assert result.exit_code == 0, result.stderr
    documents = json.loads(result.stdout)
    assert [document["id"] for document in documents] == expected_ids
    if query != "sources":
        for document in documents:
            assert {"id", "kind", "claim", "date", "citations"} <= set(document)
            for citation in document["citations"]:
                assert set(citation) >= {"source", "title", "publisher", "published", "file", "quote", *ANCHOR_KEYS}
                assert citation["quote"] and citation["title"] and citation["file"]


@pytest.mark.parametrize("query", QUERIES)
def test_format_json_is_the_same_as_json_flag(query):
    args, _ = QUERIES[query]
    assert json.loads(run(*args, "--format", "json").stdout) == json.loads(run(*args, "--json").stdout)
    assert json.loads(run(*args, "--json", "--format", "json").stdout) == json.loads(run(*args, "--json").stdout)


@pytest.mark.parametrize("query", QUERIES)
def test_jsonl_output_is_one_object_per_line(query):
    args, _ = QUERIES[query]
    result = run(*args, "--format", "jsonl")
    assert result.exit_code == 0
    assert [json.loads(line) for line in result.stdout.splitlines()] == json.loads(run(*args, "--json").stdout)


@pytest.mark.parametrize("query", QUERIES)
def test_csv_output_has_a_row_per_answer_with_citations_in_one_column(query):
    args, expected_ids = QUERIES[query]
    result = run(*args, "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["id"] for row in rows] == expected_ids
    if query != "sources":
        for row in rows:
            assert row["citations"].startswith("gazette-2019: ")
            assert row["citations"].removeprefix("gazette-2019: ") in (RATING_QUOTE, ROLE_QUOTE)


@pytest.fixture
def later_source(tmp_path, monkeypatch):
    """The tiny store with a second source, of 2021: its horizon is then 2021."""
    later = {**SOURCE, "id": "gazette-2021", "published": "2021", "file": "later.txt"}
    monkeypatch.setenv("FACTS_DB", str(write_store(tmp_path / "later.json", sources=[SOURCE, later])))


def test_rating_json_says_whether_made_in_year_or_carried_forward(later_source):
    [made] = json.loads(run("rating", "--year", "2019", "--json").stdout)
    [carried] = json.loads(run("rating", "--year", "2021", "--json").stdout)
    assert (made["basis"], made["made"], made["year"]) == ("made in year", "2019-01", 2019)
    assert (carried["basis"], carried["made"], carried["next_judgment"]) == ("carried forward", "2019-01", None)


def test_who_json_carries_the_tenure_on_record_and_what_is_stated(later_source):
    [document] = json.loads(run("who", "--json").stdout)
    assert document["person"] == "Diane Booth"
    assert (document["first_on_record"], document["last_on_record"]) == ("2019-02", "2019-02")
    assert (document["start"], document["end"], document["basis"]) == (None, None, None)
    [presumed] = json.loads(run("who", "--year", "2020", "--json").stdout)
    assert (presumed["basis"], presumed["year"]) == ("presumed", 2020)


def test_sources_json_counts_the_facts_citing_each_source():
    [document] = json.loads(run("sources", "--json").stdout)
    assert (document["title"], document["file"], document["facts"]) == (TITLE, "gazette.txt", 2)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
@pytest.mark.parametrize("query", QUERIES)
def test_machine_formats_have_no_ansi_even_with_force_color(monkeypatch, query, fmt):
    monkeypatch.setenv("FORCE_COLOR", "1")
    args, _ = QUERIES[query]
    result = run(*args, "--format", fmt)
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout


def test_json_output_is_utf8(tmp_path, monkeypatch):
    claim = "Zoë’s café said “儿童” — خدمات 👶."
    monkeypatch.setenv("FACTS_DB", str(write_store(tmp_path / "utf8.json", [rating_fact(claim=claim)])))
    result = run("timeline", "--json")
    assert claim.encode("utf-8") in result.stdout_bytes
    assert json.loads(result.stdout)[0]["claim"] == claim


# --- empty answers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, note",
    [
        (["rating", "--year", "2005"], "2019-01"),
        (["rating", "--area", "adoption"], "overall"),
        (["who", "--role", "astronaut"], "director of children's services"),
        (["who", "--name", "Smith"], "Diane Booth"),
        (["who", "--year", "2010"], "2019"),
        (["timeline", "--from", "2030"], "2030"),
        (["timeline", "--kind", "figure"], "figure"),
        (["search", "astronaut"], "astronaut"),
    ],
    ids=" ".join,
)
@pytest.mark.parametrize("fmt", [["--json"], ["--format", "json"], []], ids=["json-flag", "format-json", "text"])
def test_empty_answer_exits_0_with_a_note_on_stderr(args, note, fmt):
    result = run(*args, *fmt)
    assert result.exit_code == 0
    assert note in result.stderr
    if fmt:
        assert json.loads(result.stdout) == []


def test_sources_of_an_empty_store_is_an_empty_array_with_a_note(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTS_DB", str(write_store(tmp_path / "empty.json", [], [])))
    result = run("sources", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert result.stderr.strip()


# --- usage errors -----------------------------------------------------------------------------


@pytest.mark.parametrize("query", QUERIES)
def test_json_with_format_csv_is_a_usage_error(query):
    args, _ = QUERIES[query]
    result = run(*args, "--json", "--format", "csv")
    assert result.exit_code == 2
    assert "--json" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["rating", "who"])
@pytest.mark.parametrize("year", ["abc", "99999", "-1", "2019.5", ""])
def test_bad_year_is_a_usage_error_naming_year(command, year):
    result = run(command, "--year", year)
    assert result.exit_code == 2
    assert "--year" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("option", ["--from", "--to"])
def test_bad_timeline_year_is_a_usage_error_naming_the_option(option):
    result = run("timeline", option, "abc")
    assert result.exit_code == 2
    assert option in result.stderr


def test_timeline_from_after_to_is_a_usage_error():
    result = run("timeline", "--from", "2022", "--to", "2019")
    assert result.exit_code == 2
    assert "--from" in result.stderr


@pytest.mark.parametrize(
    "args",
    [["rating", "--format", "xml"], ["timeline", "--kind", "gossip"], ["show"], ["verify"], ["frobnicate"]],
    ids=" ".join,
)
def test_other_bad_usage_exits_2(args):
    assert run(*args).exit_code == 2


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wanted, suggestion",
    [("rating-2019-01-overall-inadequat", RATING_ID), ("diane-booth", ROLE_ID)],
)
def test_show_unknown_id_exits_1_suggesting_close_ids(wanted, suggestion):
    result = run("show", wanted)
    assert_one_line_error(result)
    assert wanted in result.stderr
    assert suggestion in result.stderr
    assert result.stdout == ""


def test_show_retracted_fact_exits_1_unless_included(tmp_path, monkeypatch):
    retracted = {"reason": "misread the source", "date": "2026-01-01"}
    path = write_store(tmp_path / "r.json", [rating_fact(retracted=retracted), role_fact()])
    monkeypatch.setenv("FACTS_DB", str(path))
    assert_one_line_error(run("show", RATING_ID))
    assert "retracted" in run("show", RATING_ID).stderr
    assert [d["id"] for d in json.loads(run("show", RATING_ID, "--include-retracted", "--json").stdout)] == [RATING_ID]
    assert [d["id"] for d in json.loads(run("timeline", "--json").stdout)] == [ROLE_ID]
    included = json.loads(run("timeline", "--include-retracted", "--json").stdout)
    assert [(d["id"], d["retracted"]) for d in included] == [(RATING_ID, retracted), (ROLE_ID, None)]


def _args(command, tmp_path):
    extra = {"search": ["booth"], "show": [RATING_ID], "verify": ["--sources", tmp_path]}
    return [command, *extra.get(command, [])]


BROKEN_STORES = ("missing", "invalid-json", "not-utf8", "array", "directory", "schema")


def broken_store(broken, path):
    """Make the store at path broken in one way; return its path."""
    if broken == "invalid-json":
        path.write_text('{"facts": {,\n}', encoding="utf-8")
    elif broken == "not-utf8":
        path.write_bytes(b'{"facts": {}, "sources": {}, "x": "caf\xe9"}')
    elif broken == "array":
        path.write_text("[]", encoding="utf-8")
    elif broken == "directory":
        path.mkdir()
    elif broken == "schema":
        write_store(path, [rating_fact(date="2019-13-45")])
    return path


@pytest.mark.parametrize("broken", BROKEN_STORES)
@pytest.mark.parametrize("command", COMMANDS)
def test_missing_or_corrupt_store_is_one_line_on_stderr_exit_1(tmp_path, monkeypatch, command, broken):
    path = broken_store(broken, tmp_path / "broken-store.json")
    monkeypatch.setenv("FACTS_DB", str(path))
    result = run(*_args(command, tmp_path))
    assert_one_line_error(result)
    if command != "validate" or broken not in ("array", "schema"):
        assert "broken-store.json" in result.stderr


@pytest.mark.parametrize("command", ["validate", "timeline"])
def test_store_with_a_fact_that_is_not_an_object_is_an_error_not_a_crash(tmp_path, monkeypatch, command):
    monkeypatch.setenv("FACTS_DB", str(write_store(tmp_path / "odd.json", ["not a fact"])))
    result = run(command)
    assert_one_line_error(result)


def test_invalid_json_error_names_line_and_column(tmp_path, monkeypatch):
    path = broken_store("invalid-json", tmp_path / "broken-store.json")
    monkeypatch.setenv("FACTS_DB", str(path))
    result = run("timeline")
    assert "line 1, column 12" in result.stderr


# --- validate ---------------------------------------------------------------------------------


def test_validate_a_sound_store_exits_0_with_counts():
    result = run("validate")
    assert result.exit_code == 0
    assert "OK: 2 facts, 1 source, 0 conflicts, 2 citations" in result.stdout


DEFECTS = {
    "duplicate id": ([rating_fact(), role_fact(id=RATING_ID)], RATING_ID, "duplicate id"),
    "unknown source": (
        [rating_fact(citations=[{"source": "nope", "quote": RATING_QUOTE}])],
        RATING_ID,
        "unknown source 'nope'",
    ),
    "bad date": ([rating_fact(date="2019-13-45")], RATING_ID, "2019-13-45"),
    "impossible date": ([role_fact(date="2019-02-30")], ROLE_ID, "2019-02-30"),
    "unknown kind": ([rating_fact(kind="ratng")], RATING_ID, "kind 'ratng'"),
    "empty quote": ([role_fact(citations=[{"source": "gazette-2019", "quote": ""}])], ROLE_ID, "quote is empty"),
    "missing quote": ([role_fact(citations=[{"source": "gazette-2019"}])], ROLE_ID, "quote is missing"),
}


@pytest.mark.parametrize("defect", DEFECTS)
def test_validate_names_the_single_defect_and_exits_1(tmp_path, monkeypatch, defect):
    facts, record_id, expected = DEFECTS[defect]
    monkeypatch.setenv("FACTS_DB", str(write_store(tmp_path / "defect.json", facts)))
    result = run("validate")
    assert_one_line_error(result)
    named = [line for line in result.stdout.splitlines() if record_id in line and expected in line]
    assert len(named) == 1, result.stdout
    assert "problem" in result.stderr


@pytest.mark.parametrize(
    "changes, expected",
    [({"facts": ["no-such-fact"]}, "unknown fact 'no-such-fact'"), ({"citations": []}, "at least two")],
)
def test_validate_rejects_a_conflict_citing_what_does_not_exist(tmp_path, monkeypatch, changes, expected):
    path = write_store(tmp_path / "conflicted.json", conflicts=[conflict(**changes)])
    monkeypatch.setenv("FACTS_DB", str(path))
    result = run("validate")
    assert_one_line_error(result)
    assert "conflict january-or-february: " in result.stdout and expected in result.stdout


def test_conflicts_lists_each_disagreement_with_its_quotes(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTS_DB", str(write_store(tmp_path / "conflicted.json", conflicts=[conflict()])))
    [document] = json.loads(run("conflicts", "--json").stdout)
    assert document["id"] == "january-or-february"
    text = run("conflicts").stdout
    assert "One line says January, another implies February." in text
    assert "“Diane Booth told a meeting”" in text and TITLE in text


def test_conflicts_on_a_store_without_any_says_so(tmp_path):
    result = run("conflicts", "--json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])
    assert "No conflict" in result.stderr


@pytest.mark.parametrize(
    "defect, make, expected",
    [
        (
            "invalid JSON",
            lambda path: path.write_text('{"facts": {}\n"sources": {}}', encoding="utf-8"),
            "line 2, column 1",
        ),
        ("missing file", lambda path: None, "not found"),
    ],
    ids=["invalid JSON", "missing file"],
)
def test_validate_names_an_unreadable_store_and_exits_1(tmp_path, monkeypatch, defect, make, expected):
    path = tmp_path / "defect.json"
    make(path)
    monkeypatch.setenv("FACTS_DB", str(path))
    result = run("validate")
    assert_one_line_error(result)
    assert expected in result.stderr
    assert "defect.json" in result.stderr
    assert result.stdout == ""


def test_validate_lists_every_problem(tmp_path, monkeypatch):
    facts = [rating_fact(date="2019-13-45"), role_fact(citations=[{"source": "nope", "quote": "x"}])]
    monkeypatch.setenv("FACTS_DB", str(write_store(tmp_path / "two.json", facts)))
    result = run("validate")
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 2
    assert "2 problems" in result.stderr


# --- verify -----------------------------------------------------------------------------------


def test_verify_passes_the_untouched_store(sources_dir):
    result = run("verify", "--sources", sources_dir)
    assert result.exit_code == 0
    assert "OK: all 2 quotes found" in result.stdout


def test_verify_exits_1_on_a_quote_altered_by_one_word(tmp_path, monkeypatch, sources_dir):
    altered = "In January the department was branded failing by Ofsted"
    facts = [rating_fact(citations=[{"source": "gazette-2019", "quote": altered}]), role_fact()]
    monkeypatch.setenv("FACTS_DB", str(write_store(tmp_path / "altered.json", facts)))
    result = run("verify", "--sources", sources_dir)
    assert_one_line_error(result)
    [line] = result.stdout.splitlines()
    assert RATING_ID in line
    assert altered in line
    assert "1 of 2 quotes" in result.stderr


def test_verify_reports_a_missing_source_file_once_not_per_quote(tmp_path):
    empty = tmp_path / "empty-seeds"
    empty.mkdir()
    result = run("verify", "--sources", empty)
    assert_one_line_error(result)
    assert result.stdout.splitlines() == [f"source gazette-2019: file gazette.txt not found in {empty}"]
    assert "1 source file not found" in result.stderr


def test_verify_without_a_folder_is_a_one_line_usage_error():
    result = run("verify")
    assert_one_line_error(result, exit_code=2)
    assert "--sources DIR or set FACTS_SOURCES" in result.stderr


def test_verify_reads_the_folder_from_facts_sources(monkeypatch, sources_dir):
    monkeypatch.setenv("FACTS_SOURCES", str(sources_dir))
    result = run("verify")
    assert result.exit_code == 0, result.stderr
    assert f"under {sources_dir}" in result.stdout


def test_verify_says_what_is_not_yet_anchored(sources_dir):
    result = run("verify", "--sources", sources_dir)
    assert "2 quotes not anchored and 1 source not fingerprinted: run facts anchor" in result.stderr
    run("anchor", "--sources", sources_dir)
    anchored = run("verify", "--sources", sources_dir)
    assert anchored.stderr == ""
    assert "2 quotes found at their anchors in 1 source" in anchored.stdout


def test_verify_reports_a_changed_source_before_the_quotes_it_moved(sources_dir):
    run("anchor", "--sources", sources_dir)
    text = (sources_dir / "gazette.txt").read_text(encoding="utf-8")
    (sources_dir / "gazette.txt").write_text("New first line.\n" + text, encoding="utf-8")
    result = run("verify", "--sources", sources_dir)
    assert_one_line_error(result)
    first, *quotes = result.stdout.splitlines()
    assert first == "source gazette-2019: text of gazette.txt no longer matches its sha256 fingerprint"
    assert [line.split(":")[1].strip() for line in quotes] == [
        "quote moved (anchored at 0-58, now at 16-74)",
        "quote moved (anchored at 60-115, now at 76-131)",
    ]
    assert "1 source text changed since fingerprinted, 2 quotes moved from their anchors" in result.stderr
    assert "facts anchor" in result.stderr


# --- help, version, --db ----------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["-h", "--help"])
@pytest.mark.parametrize("command", [None, *cli.list_commands(None)])
def test_every_command_has_help_with_an_example(command, flag):
    result = run(*([command] if command else []), flag)
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    assert "Example" in result.stdout


def test_every_listed_command_exists():
    assert set(COMMANDS) <= set(cli.list_commands(None))


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert __version__ in result.stdout


@pytest.fixture
def other_store(tmp_path):
    other = role_fact(id="role-other", claim="Someone else held a role.", person="Someone Else")
    return write_store(tmp_path / "other.json", [other])


@pytest.mark.parametrize(
    "args",
    [
        ["--db", "{other}", "timeline", "--json"],
        ["timeline", "--db", "{other}", "--json"],
        ["--db", "{default}", "timeline", "--db", "{other}", "--json"],
    ],
    ids=["on group", "on command", "command wins"],
)
def test_db_selects_the_store_over_facts_db(tiny_store, other_store, args):
    result = run(*(arg.format(other=other_store, default=tiny_store) for arg in args))
    assert [document["id"] for document in json.loads(result.stdout)] == ["role-other"]


def test_facts_db_selects_the_store_without_db():
    assert [document["id"] for document in json.loads(run("timeline", "--json").stdout)] == [RATING_ID, ROLE_ID]


@pytest.mark.parametrize("command", COMMANDS)
def test_db_naming_a_missing_store_is_one_line_exit_1(tmp_path, command):
    result = run("--db", tmp_path / "nowhere.json", *_args(command, tmp_path))
    assert_one_line_error(result)
    assert "nowhere.json" in result.stderr


@pytest.mark.parametrize(
    "words, expected",
    [
        ("facts who --role dir", "director\\\\ of\\\\ children\\\\'s\\\\ services"),
        ("facts show role-di", "role-diane-booth-dcs"),
        ("facts timeline --kind ra", "rating"),
        ("facts rating --area ov", "overall"),
    ],
)
def test_shell_completion_offers_values_from_the_store(words, expected):
    import os
    import subprocess
    import sys

    env = {**os.environ, "_FACTS_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    completed = subprocess.run([sys.executable, "-m", "factcli"], env=env, capture_output=True, text=True)
    assert f"plain,{expected}" in completed.stdout.splitlines()


def shell_with_facts(tmp_path, shell):
    """(path of shell, environment whose PATH finds a `facts` running this checkout); skips when
    the shell is not installed."""
    import os
    import shutil
    import sys

    found = shutil.which(shell)
    if found is None:
        pytest.skip(f"{shell} is not installed (.ci/run installs it)")
    shim = tmp_path / "facts"
    shim.write_text(f"#!/bin/sh\nexec {sys.executable} -m factcli \"$@\"\n")
    shim.chmod(0o755)
    return found, {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"}


def test_bash_completion_of_a_multi_word_role_gives_one_argument(tmp_path):
    """End to end in bash: the completion script, the word it puts on the command line, and
    what bash then passes to facts."""
    import subprocess

    bash, env = shell_with_facts(tmp_path, "bash")
    script = """
    eval "$(_FACTS_COMPLETE=bash_source facts)"
    COMP_WORDS=(facts who --role dir); COMP_CWORD=3
    _facts_completion facts
    eval "set -- ${COMPREPLY[0]}"
    printf '%s\n' "$#" "$1"
    """
    completed = subprocess.run([bash, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert completed.stdout.splitlines() == ["1", "director of children's services"], completed.stderr


# --- hardening: strict parsing, literal errors ------------------------------------------------


@pytest.mark.parametrize("year", ["٢٠١٩", "２０１９", "2_019", " 2019", "+2019"])
@pytest.mark.parametrize("args", [["rating", "--year"], ["who", "--year"], ["timeline", "--from"]])
def test_years_are_ascii_digits_only(args, year):
    result = run(*args, year)
    assert result.exit_code == 2, result.output


def test_who_year_with_a_tenure_ending_in_9999_answers(tmp_path, monkeypatch):
    path = write_store(tmp_path / "far.json", [rating_fact(), role_fact(start="2019", end="9999-12")])
    monkeypatch.setenv("FACTS_DB", str(path))
    assert run("validate").exit_code == 0
    result = run("who", "--year", "2019", "--json")
    assert result.exit_code == 0, result.output
    assert [d["id"] for d in json.loads(result.stdout)] == [ROLE_ID]


@pytest.mark.parametrize("command", [["rating"], ["who"], ["who", "--role", "dcs"]])
def test_a_year_after_the_newest_source_is_answered_with_nothing_and_a_note(command):
    result = run(*command, "--year", "2020", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert result.stderr.startswith("The store's sources end in 2019-02; nothing on record for 2020. Last on record: ")


def test_paths_in_errors_are_shown_literally(tmp_path):
    result = run("rating", "--db", str(tmp_path / "evil\x1b]8;;http://x\x1b\\\x9b2J.json"))
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x9b" not in result.stderr
    assert "evil\\x1b" in result.stderr


def test_bad_option_values_are_echoed_literally():
    result = run("timeline", "--kind", "gossip\x1b[2J\u202e")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr


def test_raw_cells_is_only_for_csv():
    assert run("rating", "--raw-cells", "--json").exit_code == 2
    assert run("rating", "--raw-cells", "--format", "csv").exit_code == 0


def test_store_holding_a_lone_surrogate_fails_validation_cleanly(tmp_path, monkeypatch):
    path = tmp_path / "surrogate.json"
    write_store(path)
    path.write_text(path.read_text().replace("Diane Booth", "Diane \\ud800 Booth", 1))
    monkeypatch.setenv("FACTS_DB", str(path))
    for command in (["validate"], ["show", ROLE_ID], ["who"]):
        result = run(*command)
        assert result.exit_code == 1 and "surrogate" in result.stdout + result.stderr
        assert isinstance(result.exception, SystemExit), repr(result.exception)


def test_a_fifo_in_the_sources_folder_is_refused_not_waited_on(tmp_path, monkeypatch):
    import os
    import subprocess
    import sys

    folder = tmp_path / "seeds"
    folder.mkdir()
    os.mkfifo(folder / "gazette.txt")
    result = subprocess.run(
        [sys.executable, "-m", "factcli", "verify", "--sources", str(folder)], capture_output=True, text=True, timeout=20
    )
    assert result.returncode == 1
    assert "not a regular file" in result.stderr


# --- --limit and --fields -------------------------------------------------------------------

# Every query command with an answer of at least two results on the tiny store (conflicts added).
LISTS = {
    "rating": ["rating", "--include-retracted"],
    "who": ["who"],
    "timeline": ["timeline"],
    "search": ["search"],
    "sources": ["sources"],
    "conflicts": ["conflicts"],
}


@pytest.fixture
def two_of_everything(tmp_path, monkeypatch):
    later = {**SOURCE, "id": "gazette-2021", "file": "later.txt"}
    facts = [
        rating_fact(),
        rating_fact(id="rating-2022", claim="Rated good in 2022.", date="2022-12", published="2022-12", judgment="good"),
        role_fact(),
        role_fact(id="role-gent", claim="Vicky Gent was director.", person="Vicky Gent", date="2021"),
    ]
    conflicts = [conflict(), conflict(id="second-one")]
    monkeypatch.setenv("FACTS_DB", str(write_store(tmp_path / "two.json", facts, [SOURCE, later], conflicts)))


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "text"])
@pytest.mark.parametrize("command", LISTS)
def test_limit_gives_the_first_n_and_counts_the_rest_on_stderr(two_of_everything, command, fmt):
    whole = json.loads(run(*LISTS[command], "--json").stdout)
    assert len(whole) >= 2
    result = run(*LISTS[command], "--format", fmt, "--limit", "1", "--fields", "id")
    assert result.exit_code == 0, result.output
    assert f"{len(whole) - 1} more not shown (--limit 1)." in result.stderr
    if fmt == "json":
        assert json.loads(result.stdout) == [{"id": whole[0]["id"]}]
    elif fmt == "jsonl":
        assert [json.loads(line) for line in result.stdout.splitlines()] == [{"id": whole[0]["id"]}]
    elif fmt == "csv":
        assert list(csv.reader(io.StringIO(result.stdout))) == [["id"], [whole[0]["id"]]]
    else:
        assert whole[0]["id"] in result.stdout
        assert all(document["id"] not in result.stdout for document in whole[1:])


def test_limit_in_text_draws_only_the_first_results(two_of_everything):
    result = run("timeline", "--limit", "1")
    assert "Ofsted rated Blackpool" in result.stdout
    assert "Vicky Gent" not in result.stdout and "Rated good in 2022." not in result.stdout


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "text"])
@pytest.mark.parametrize("command", [*LISTS, "show"])
def test_fields_keeps_only_the_keys_asked_for_in_that_order(two_of_everything, command, fmt):
    args = ["show", RATING_ID] if command == "show" else LISTS[command]
    result = run(*args, "--format", fmt, "--fields", "citations,id")
    assert result.exit_code == 0, result.output
    whole = json.loads(run(*args, "--json").stdout)
    expected = [{"citations": document["citations"], "id": document["id"]} for document in whole]
    if fmt == "json":
        assert json.loads(result.stdout) == expected
    elif fmt == "jsonl":
        assert [json.loads(line) for line in result.stdout.splitlines()] == expected
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(result.stdout)))
        assert rows[0] == ["citations", "id"]
        assert [row[1] for row in rows[1:]] == [document["id"] for document in whole]
    else:
        header = next(line for line in result.stdout.splitlines() if "citations" in line)
        assert header.index("citations") < header.index("id")
        assert all(document["id"] in result.stdout for document in whole)
        if command != "sources":  # a source's citations are a count; facts' and conflicts' are quotes
            assert "“" in result.stdout


@pytest.mark.parametrize("command", [*LISTS, "show"])
def test_unknown_fields_are_a_usage_error_listing_the_valid_ones(two_of_everything, command):
    from factcli.output.schema import keys

    args = ["show", RATING_ID] if command == "show" else LISTS[command]
    result = run(*args, "--json", "--fields", "id,colour")
    assert result.exit_code == 2
    assert "'colour'" in result.stderr
    assert ", ".join(keys(command)) in words(result.stderr)
    assert result.stdout == ""


@pytest.mark.parametrize("value", ["0", "-1", "x", "1.5"])
def test_limit_must_be_a_positive_whole_number(value):
    result = run("timeline", "--limit", value)
    assert result.exit_code == 2
    assert "--limit" in result.stderr


def test_where_json_with_an_undecodable_path_is_json_not_a_traceback(tmp_path):
    import os
    import subprocess
    import sys

    path = os.fsencode(tmp_path) + b"/x\xc3.json"
    result = subprocess.run([sys.executable, "-m", "factcli", "where", "--json", "--db", path], capture_output=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["path"].endswith("x\udcc3.json")


def test_the_table_of_commands_names_every_command_of_every_module():
    """Commands are imported when used; the table that finds them must match what the modules define."""
    import importlib

    import click

    from factcli.cli import COMMANDS

    defined = {}
    for module in {module for module, _, _ in COMMANDS.values()}:
        for command in vars(importlib.import_module(f"factcli.cli.{module}")).values():
            if isinstance(command, click.Command):
                defined[command.name] = module
    assert defined == {name: module for name, (module, _, _) in COMMANDS.items()}


def test_help_lists_each_command_with_the_first_paragraph_of_its_own_help():
    """--help lists the commands from the table, without importing them: each line the table
    gives must be the command's own, and in its own section."""
    import inspect

    from factcli.cli import COMMANDS

    for name, (_, section, summary) in COMMANDS.items():
        command = cli.get_command(None, name)
        assert (command.section, " ".join(inspect.cleandoc(command.help).split("\n\n")[0].split())) == (section, summary)


def modules_after(*argv):
    """The modules a run of facts with argv imported, in a fresh interpreter."""
    import subprocess
    import sys

    code = f"import sys; from factcli.cli import main; sys.argv = ['facts', *{list(argv)!r}]\n"
    code += "try:\n    main()\nexcept SystemExit:\n    pass\n"
    code += "print(sorted(sys.modules), file=sys.stderr)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return ast.literal_eval(result.stderr.strip().splitlines()[-1])


def test_a_question_imports_only_the_commands_it_uses():
    imported = modules_after("sources", "--json")
    assert "factcli.cli.curation" not in imported and "factcli.cli.ask" in imported
    assert [name for name in modules_after("--help") if name.startswith("factcli.cli.")] == [
        "factcli.cli.options",
        "factcli.cli.pager",
    ]  # no command's module


def test_a_question_or_the_version_never_looks_for_translations():
    """click words its own options through gettext, which imports locale to look for
    translations: a millisecond of every question. facts words them itself."""
    for argv in (["rating", "--year", "2019", "--json"], ["who", "--role", "minister"], ["--version"]):
        imported = modules_after(*argv)
        assert "factcli.answers.common" in imported or argv == ["--version"]
        assert "locale" not in imported, argv


def test_the_command_line_ends_with_the_collector_frozen_and_its_output_whole():
    """main() freezes the cycle collector once the command is done, so the interpreter's shutdown
    skips passes over objects about to be freed; the answer and the exit code are as without it."""
    import subprocess
    import sys

    code = "import gc, sys; from factcli.cli import main; sys.argv = ['facts', 'rating', '--json']\n"
    code += "try:\n    main()\nexcept SystemExit as end:\n    print(gc.get_freeze_count() > 0, end.code, file=sys.stderr)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr.split() == ["True", "0"]
    assert json.loads(result.stdout) == json.loads(run("rating", "--json").output)


@pytest.mark.parametrize("name", ["folder", "it's", "d\udcff", "link-to-folder", "unreadable.json", "store.json", "absent.json"])
def test_db_is_refused_as_click_path_refuses_it(tmp_path, monkeypatch, name):
    """--db's own type (worded without gettext) refuses a folder or an unreadable file as
    click.Path(dir_okay=False) does, in the same words, and takes any other path as given."""
    import os

    import click

    from factcli.cli.options import StorePath

    for folder in ("folder", "it's", "d\udcff"):
        (tmp_path / folder).mkdir()
    (tmp_path / "link-to-folder").symlink_to(tmp_path / "folder")
    (tmp_path / "store.json").write_text("{}")
    (tmp_path / "unreadable.json").write_text("{}")
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: "unreadable" not in str(path) and real_access(path, mode))
    path = str(tmp_path / name)

    def outcome(kind):
        try:
            return ("value", kind.convert(path, None, None))
        except click.BadParameter as error:
            return ("refused", error.message)

    assert outcome(StorePath()) == outcome(click.Path(dir_okay=False))


def test_fish_completion_offers_a_multi_word_role_as_one_value(tmp_path):
    """End to end in fish: the candidate fish inserts, escaping it itself, is the whole role."""
    import subprocess

    fish, env = shell_with_facts(tmp_path, "fish")
    script = '_FACTS_COMPLETE=fish_source facts | source; complete -C "facts who --role dir"'
    completed = subprocess.run([fish, "--no-config", "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert completed.stdout.splitlines() == ["director of children's services"], completed.stderr


def test_zsh_completion_receives_a_multi_word_role_as_one_value(tmp_path):
    """zsh's compadd quotes what it inserts; what it must get is the whole role as one value."""
    import subprocess

    zsh, env = shell_with_facts(tmp_path, "zsh")
    # The completion function, with compadd replaced by one that prints the values it is given.
    script = """
    autoload -U compinit; compinit -u
    eval "$(_FACTS_COMPLETE=zsh_source facts)"
    compadd() { local value; for value in "${@[-1]}" ${(P)@[-1]}; do print -r -- "$value"; done }
    _describe() { print -r -- "$@" }
    words=(facts who --role dir); CURRENT=4
    _facts_completion
    """
    completed = subprocess.run([zsh, "-f", "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert "director of children's services" in completed.stdout.splitlines(), completed.stdout + completed.stderr


def test_a_path_that_is_not_utf8_is_still_a_path(tmp_path):
    result = run("--db", str(tmp_path / "x\udcc3.json"), "where", "--json")
    assert result.exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["show", "a" * 100_000],
        ["rating", "--year", "9" * 100_000],
        ["search", "x" * 100_000],
        ["who", "--role", "minister " + "z" * 100_000],
        ["retract", "b" * 100_000, "--reason", "r"],
        ["--db", "/nonexistent/" + "d" * 100_000, "sources"],
        ["rating", "--area", "'" + "q" * 100_000 + "'"],
    ],
    ids=["show ID", "--year", "search TEXT", "who --role", "retract ID", "--db", "--area quoted"],
)
def test_messages_shorten_a_very_long_argument(args):
    result = run(*args)
    assert result.exit_code in (0, 1, 2)
    assert len(result.stderr) < 2000, result.stderr[:300]
    if result.stderr:
        assert "100,0" in result.stderr  # how long what was cut is


def test_batch_errors_and_notes_shorten_a_very_long_argument():
    request = json.dumps(["show", "a" * 100_000]) + "\n" + json.dumps(["search", "y" * 100_000]) + "\n"
    result = CliRunner().invoke(cli, ["batch"], input=request)
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert len(first["error"]) < 1000 and len(" ".join(second["notes"])) < 1000


@pytest.mark.parametrize("args", [["rating", "--year", "1066"], ["who", "--year", "9999"], ["timeline", "--from", "1000", "--to", "1900"]])
def test_years_take_the_range_a_store_may_hold(args):
    assert run(*args).exit_code == 0


def test_a_year_of_thousands_of_digits_is_one_usage_line():
    result = run("rating", "--year", "9" * 5000)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith("Error: --year: ")
    assert "Traceback" not in result.stderr


# --- rough edges a new user hits --------------------------------------------------------------


@pytest.mark.parametrize(
    "args, missing",
    [
        (["show"], "ID"),
        (["cite"], "ID"),
        (["quote"], "SOURCE"),
        (["rename"], "OLD"),
        (["rename", "a"], "NEW"),
        (["draft"], "FILE"),
        (["site"], "DIR"),
        (["init"], "PATH"),
        (["ask"], "QUESTION..."),
    ],
)
def test_a_missing_argument_is_named_in_one_line(args, missing):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"Error: Missing argument '{missing}'. (see facts {args[0]} --help)"]


@pytest.mark.parametrize("typed, meant", [("ratings", "rating"), ("whoo", "who"), ("sourcse", "sources"), ("timelines", "timeline")])
def test_a_mistyped_command_gets_did_you_mean(typed, meant):
    result = run(typed)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith(f"Error: No such command '{typed}'. Did you mean '{meant}'")


def test_an_unknown_command_nothing_like_any_says_so_without_a_guess():
    result = run("zzzzqqq")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["Error: No such command 'zzzzqqq'. (see facts --help)"]


@pytest.mark.parametrize(
    "args, option",
    [
        (["rating", "--year", "2019", "--year", "2020"], "--year"),
        (["rating", "--year=2019", "--year", "2019"], "--year"),
        (["who", "--role", "dcs", "--role", "minister"], "--role"),
        (["search", "--kind", "rating", "x", "--kind", "role"], "--kind"),
        (["timeline", "--from", "2019", "--from", "2020"], "--from"),
    ],
)
def test_an_option_given_twice_is_a_usage_error(tiny_store, args, option):
    result = run(*args)
    assert_one_line_error(result, exit_code=2)
    assert result.stderr.strip() == f"Error: {option} given twice: give it once"


def test_an_option_value_that_looks_like_the_option_is_not_a_repeat(tiny_store):
    # The value of --area is "--area", not a second --area.
    result = run("rating", "--area", "--area", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_flags_given_twice_are_harmless(tiny_store):
    assert run("rating", "--json", "--json").exit_code == 0


def test_timeline_year_is_from_and_to_that_year(tiny_store):
    by_year = run("timeline", "--year", "2019", "--json")
    by_span = run("timeline", "--from", "2019", "--to", "2019", "--json")
    assert by_year.exit_code == 0 and json.loads(by_year.stdout) == json.loads(by_span.stdout)
    assert [fact["id"] for fact in json.loads(by_year.stdout)] == [RATING_ID, ROLE_ID]
    assert json.loads(run("timeline", "--year", "2018", "--json").stdout) == []


@pytest.mark.parametrize("other", [["--from", "2018"], ["--to", "2020"]])
def test_timeline_year_with_from_or_to_is_a_usage_error(tiny_store, other):
    result = run("timeline", "--year", "2019", *other)
    assert result.exit_code == 2
    assert "--year" in result.stderr and "--from" in result.stderr


@pytest.mark.parametrize("text", ["'", "—…", '""', "!?"])
def test_a_search_of_punctuation_only_is_a_usage_error(tiny_store, text):
    result = run("search", text)
    assert_one_line_error(result, exit_code=2)
    assert "needs a word or number" in result.stderr


def test_a_long_search_of_punctuation_is_shortened_in_the_error(tiny_store):
    result = run("search", "!" * 100_000)
    assert_one_line_error(result, exit_code=2)
    assert len(result.stderr) < 400


def test_help_command_is_the_commands_own_help():
    assert run("help", "rating").stdout == run("rating", "--help").stdout
    assert run("help").stdout == run("--help").stdout
    mistyped = run("help", "ratings")
    assert mistyped.exit_code == 2 and "Did you mean 'rating'?" in mistyped.stderr


def test_no_pager_is_taken_before_the_command_as_git_takes_it(tiny_store):
    before = run("--no-pager", "rating", "--year", "2019")
    after = run("rating", "--year", "2019", "--no-pager")
    assert before.exit_code == 0 and before.stdout == after.stdout and RATING_ID in before.stdout


def test_every_exit_code_is_documented_in_help():
    shown = words(run("--help").stdout)
    for code in ("0 an answer", "1 an error", "2 a usage error", "130 interrupted"):
        assert code in shown


@pytest.mark.parametrize("query", sorted(QUERIES))
@pytest.mark.parametrize("columns", ["80", "200"])
def test_text_output_has_no_trailing_spaces(monkeypatch, query, columns):
    monkeypatch.setenv("COLUMNS", columns)
    result = run(*QUERIES[query][0])
    assert result.exit_code == 0
    assert result.stdout.strip()
    assert [line for line in result.stdout.splitlines() if line != line.rstrip()] == []


@pytest.mark.parametrize("columns", ["40", "60", "80", "120"])
@pytest.mark.parametrize(
    "args",
    [
        ["timeline", "--fields", "id,claim"],
        ["timeline", "--fields", "id,date,kind"],
        ["who", "--fields", "person,id,role"],
        ["conflicts", "--fields", "id,facts,note"],
        ["sources", "--fields", "id,title,facts"],
    ],
)
def test_ids_are_never_split_in_a_fields_table(monkeypatch, columns, args):
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.delenv("FACTS_DB")  # the bundled store, whose ids are long
    result = run(*args, "--json")
    documents = json.loads(result.stdout)
    ids = {doc["id"] for doc in documents}
    if args[0] == "conflicts":
        ids |= {fact for doc in documents for fact in doc["facts"]}
    text = run(*args).stdout
    # Room for a label before it when each result is a block of its own.
    room = int(columns) - max(len(name) for name in args[2].split(",")) - 1
    fitting = [i for i in ids if len(i) <= room]
    assert fitting
    lines = text.splitlines()
    # Each id that fits the width is on one line, whole; table borders aside.
    for found in fitting:
        assert any(found in line for line in lines), (found, text)


@pytest.mark.parametrize("signal_name, code", [("SIGINT", 130), ("SIGTERM", 143)])
def test_ctrl_c_and_sigterm_exit_as_a_shell_reports_them(tiny_store, signal_name, code):
    import signal
    import subprocess
    import sys

    # A batch waits on stdin: a command caught mid-run, as a person pressing Ctrl-C would catch it.
    process = subprocess.Popen(
        [sys.executable, "-m", "factcli", "batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        process.stdin.write(b'["sources", "--json"]\n')
        process.stdin.flush()
        assert process.stdout.readline()  # it is running, inside the command
        process.send_signal(getattr(signal, signal_name))
        _, errors = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == code
    assert b"Traceback" not in errors and b"Aborted" not in errors


@pytest.mark.parametrize("command", [None, *COMMAND_TABLE])
def test_help_fits_an_80_column_terminal(monkeypatch, command):
    monkeypatch.setenv("COLUMNS", "80")
    result = CliRunner().invoke(cli, [*([command] if command else []), "--help"], terminal_width=80)
    assert result.exit_code == 0
    assert [line for line in result.stdout.splitlines() if len(line) > 80] == []


def test_timeline_from_and_to_take_a_year_a_month_or_a_day():
    result = CliRunner().invoke(cli, ["timeline", "--from", "2019-01", "--to", "2019-01-31", "--json"])
    assert result.exit_code == 0, result.stderr
    assert {fact["date"] for fact in json.loads(result.stdout)} == {"2019-01"}
    backwards = CliRunner().invoke(cli, ["timeline", "--from", "2019-07", "--to", "2019-06-30"])
    assert backwards.exit_code == 2 and "--from 2019-07 is after --to 2019-06-30" in backwards.stderr
    for wrong in ("2019-13", "2019-02-30", "19", "2019/07"):
        refused = CliRunner().invoke(cli, ["timeline", "--from", wrong])
        assert refused.exit_code == 2, wrong
        assert refused.stderr.strip().splitlines()[-1].startswith("Error: --from: "), refused.stderr


@pytest.mark.parametrize(
    "args, env, message",
    [
        (["--db", "", "rating"], {}, "Error: --db is empty: give the path of a store (see facts rating --help)\n"),
        (["rating", "--db", ""], {}, "Error: --db is empty: give the path of a store (see facts rating --help)\n"),
        (["where"], {"FACTS_DB": ""}, "Error: FACTS_DB is set but empty: give the path of a store, or unset it (see facts where --help)\n"),
    ],
)
def test_an_empty_store_name_is_a_usage_error_never_the_bundled_store(args, env, message, monkeypatch):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = run(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


def test_where_says_when_the_store_cannot_be_read(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("not json")
    result = CliRunner().invoke(cli, ["--db", str(broken), "where"])
    assert result.exit_code == 0
    assert "horizon: not known: the store cannot be read (" in result.stdout


@pytest.mark.parametrize("columns", ["80", "100"])
def test_no_word_of_a_claim_is_cut_in_a_fields_table(monkeypatch, columns):
    """Where the ids leave a claim too little room, each result is a block of its own rather
    than a column a few letters wide that splits its words ("Blackpoo" / "l")."""
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.delenv("FACTS_DB")
    claims = [doc["claim"] for doc in json.loads(run("timeline", "--year", "2019", "--json").stdout)]
    text = " ".join(line.strip("│┃ ") for line in run("timeline", "--year", "2019", "--fields", "id,date,claim").stdout.splitlines())
    shown = set(text.split())
    for claim in claims:
        for word in claim.split():
            assert word in shown, (word, columns)
