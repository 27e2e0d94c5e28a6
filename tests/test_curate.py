"""Curation: add (one or many), cite, edit, retract, restore and rename validate first, write atomically, and lose nothing."""

import contextlib
import hashlib
import json
import os
import random
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import META, SOURCE, SOURCE_TEXT, conflict, rating_fact, role_fact, write_store

ROLE_ID = "role-diane-booth-dcs"
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcli.curation import curate
from factcli.cli import cli
from factcli.core.validation import store_problems

REPO = Path(__file__).resolve().parents[1]
QUOTE = "Ms Booth said a 12-week improvement plan was being laid out."
# The warning of a change whose quotes no source text checked.
UNCHECKED = "quotes not checked against the source's text"
FLAGS = [
    "add",
    "--kind",
    "plan",
    "--claim",
    "In February 2019 Diane Booth said a 12-week improvement plan was being laid out.",
    "--date",
    "2019-02",
    "--date-basis",
    "reported",
    "--source",
    "gazette-2019",
    "--quote",
    QUOTE,
    "--field",
    "owner=Blackpool Council",
]


def invoke(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, prog_name="facts")


@pytest.fixture
def editor(tmp_path, monkeypatch):
    """EDITOR set to a script that runs, the nth time it is opened, the nth of the Python bodies
    given (the last one after that), with path the file to edit; the temporary folder the
    command uses is tmp_path/tmp, so what it leaves there can be seen."""
    import tempfile

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))

    def use(*bodies):
        script, runs = tmp_path / "editor.py", tmp_path / "editor-runs"
        script.write_text(
            "import json, os, sys\n"
            "path = sys.argv[1]\n"
            f"runs = {str(runs)!r}\n"
            "n = int(open(runs).read()) if os.path.exists(runs) else 0\n"
            "open(runs, 'w').write(str(n + 1))\n"
            f"bodies = {list(bodies)!r}\n"
            "exec(bodies[min(n, len(bodies) - 1)])\n"
        )
        monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")

    yield use
    left = list(temporary.iterdir()) + [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert left == [], "the editor's temporary files were left behind"


def facts_in(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))["facts"]


def fact_ids(path):
    return {record["id"] for record in facts_in(path).values()}


def assert_valid(path):
    assert store_problems(json.loads(Path(path).read_text(encoding="utf-8"))) == []


def test_add_from_flags_derives_id_from_claim(tiny_store):
    result = invoke(*FLAGS)
    assert result.exit_code == 0, result.output
    added = "plan-2019-02-diane-booth-12-week"
    assert added in fact_ids(tiny_store)
    assert f"add: {added}" in result.stdout
    assert_valid(tiny_store)


def test_add_fills_unknown_nullable_fields_with_null(tiny_store):
    result = invoke(
        "add", "--kind", "role", "--claim", "Ms Booth spoke in February 2019.", "--date", "2019-02",
        "--date-basis", "reported", "--source", "gazette-2019", "--quote", QUOTE,
        "--field", "person=Diane Booth", "--field", "role=speaker", "--field", "organisation=Blackpool Council",
    )
    assert result.exit_code == 0, result.output
    record = next(r for r in facts_in(tiny_store).values() if r["claim"].startswith("Ms Booth spoke"))
    assert (record["start"], record["end"], record["post"]) == (None, None, None)


def test_add_round_trips_what_show_json_prints(tiny_store):
    shown = json.loads(invoke("show", "rating-2019-01-overall-inadequate", "--json").stdout)
    shown[0]["id"] = "rating-copy"
    shown[0]["claim"] = "A copy of the January 2019 rating, for the round trip."
    shown[0]["area"] = "help and protection"  # else the same claim: the same judgment, area and month
    result = invoke("add", input=json.dumps(shown[0]))
    assert result.exit_code == 0, result.output
    copy = next(r for r in facts_in(tiny_store).values() if r["id"] == "rating-copy")
    assert set(copy["citations"][0]) == {"source", "quote"}
    assert "retracted" not in copy


def test_add_reads_from_file(tiny_store, tmp_path):
    document = tmp_path / "fact.json"
    document.write_text(json.dumps({
        "kind": "event", "claim": "Ofsted was due back in February 2019.", "date": "2019-02", "date_basis": "reported",
        "citations": [{"source": "gazette-2019", "quote": "branded inadequate"}],
    }))
    result = invoke("add", "--from", str(document))
    assert result.exit_code == 0, result.output
    assert "event-2019-02-ofsted-due-back" in fact_ids(tiny_store)


def test_add_extra_citations_with_cite(tiny_store):
    result = invoke(*FLAGS, "--cite", "gazette-2019:Diane Booth told a meeting")
    assert result.exit_code == 0, result.output
    record = next(r for r in facts_in(tiny_store).values() if r["kind"] == "plan")
    assert [c["quote"] for c in record["citations"]] == [QUOTE, "Diane Booth told a meeting"]


@pytest.mark.parametrize(
    "change, expected",
    [
        (["--date", "2019-13-45"], "has no month 13"),
        (["--kind", "event", "--field", "owner=x"], "unknown field 'owner'"),
        (["--source", "nowhere"], "unknown source 'nowhere'"),
        (["--quote", ""], "quote is empty"),
        (["--claim", "Ofsted rated Blackpool's children's services inadequate in January 2019."], "same claim"),
        (["--claim", "\u039ffsted rated Blackpool's children's services in\u200badequate in January 2019."], "same claim"),
        (["--id", "role-diane-booth-dcs"], "already used"),
    ],
)
def test_add_refuses_invalid_fact_and_leaves_store_byte_for_byte(tiny_store, change, expected):
    before = tiny_store.read_bytes()
    args = list(FLAGS)
    for flag, value in zip(change[::2], change[1::2]):
        if flag in args and flag != "--field":
            args[args.index(flag) + 1] = value
        else:
            args += [flag, value]
    result = invoke(*args)
    assert result.exit_code == 1
    assert expected in result.stderr
    assert "nothing written" in result.stderr
    assert tiny_store.read_bytes() == before


def test_add_unknown_kind_is_a_usage_error_listing_kinds(tiny_store):
    result = invoke("add", "--kind", "rumour", "--claim", "x")
    assert result.exit_code == 2
    assert "rating" in result.stderr and "statement" in result.stderr


def test_add_unknown_kind_in_json_lists_kinds(tiny_store):
    result = invoke("add", input=json.dumps({"kind": "rumour", "claim": "x", "citations": []}))
    assert result.exit_code == 1
    assert "is not one of: rating, inspection" in result.stderr


def test_add_invalid_json_on_stdin_names_line_and_column(tiny_store):
    before = tiny_store.read_bytes()
    result = invoke("add", input='{"kind": "event",\n  "claim": }')
    assert result.exit_code == 1
    assert "stdin: invalid JSON at line 2, column 12" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert tiny_store.read_bytes() == before


def test_add_wrong_types_are_each_named(tiny_store):
    result = invoke("add", input=json.dumps({"kind": "figure", "claim": 5, "date": 2019, "value": "many",
                                             "unit": "x", "measure": "y", "citations": "none"}))
    assert result.exit_code == 1
    for expected in ("claim must be text", "date", "value must be a number", "citations must be a list"):
        assert expected in result.stderr


def test_add_flags_and_stdin_together_is_a_usage_error(tiny_store):
    result = invoke("add", "--kind", "event", "--from", "-", input="{}")
    assert result.exit_code == 2


@pytest.mark.parametrize("args", [["add", "--nonsense"], ["retract"], ["edit"], ["add", "--cite", "no-colon"]])
def test_curation_usage_errors_exit_2(tiny_store, args):
    result = invoke(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_add_with_sources_refuses_quote_not_in_source(tiny_store, sources_dir):
    before = tiny_store.read_bytes()
    args = list(FLAGS)
    args[args.index("--quote") + 1] = "Ms Booth said a 14-week improvement plan was being laid out."
    result = invoke(*args, "--sources", str(sources_dir))
    assert result.exit_code == 1
    assert "quote not found in source text" in result.stderr
    assert tiny_store.read_bytes() == before


def test_add_with_sources_from_environment_accepts_verbatim_quote(tiny_store, sources_dir, monkeypatch):
    monkeypatch.setenv("FACTS_SOURCES", str(sources_dir))
    assert invoke(*FLAGS).exit_code == 0


def test_dry_run_prints_record_and_writes_nothing(tiny_store):
    before = tiny_store.read_bytes()
    result = invoke(*FLAGS, "--dry-run")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["kind"] == "plan"
    assert "dry run" in result.stderr
    assert tiny_store.read_bytes() == before


def test_add_changes_only_the_lines_of_the_new_fact(tiny_store):
    before = tiny_store.read_text().splitlines()
    assert invoke(*FLAGS).exit_code == 0
    after = tiny_store.read_text().splitlines()
    start = after.index('    "3": {')
    end = after.index("    }", start)
    block = after[start : end + 1]
    assert json.loads("{" + "\n".join(block) + "}")["3"]["kind"] == "plan"
    # Without the new document, the only difference is the comma after the one before it.
    remaining = after[:start] + after[end + 1 :]
    assert remaining[start - 1] == "    },"
    remaining[start - 1] = "    }"
    assert remaining == before


def test_write_keeps_permissions_and_trailing_newline(tiny_store):
    os.chmod(tiny_store, 0o640)
    assert invoke(*FLAGS).exit_code == 0
    assert stat.S_IMODE(tiny_store.stat().st_mode) == 0o640
    assert tiny_store.read_text().endswith("}\n")


def test_write_through_symlink_keeps_the_link(tmp_path, monkeypatch):
    target = write_store(tmp_path / "record.json")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    monkeypatch.setenv("FACTS_DB", str(link))
    assert invoke(*FLAGS).exit_code == 0
    assert link.is_symlink()
    assert len(facts_in(target)) == 3


def test_invalid_store_is_never_written_over(tmp_path, monkeypatch):
    from conftest import rating_fact

    broken = write_store(tmp_path / "broken.json", facts=[rating_fact(date="2019-13")])
    monkeypatch.setenv("FACTS_DB", str(broken))
    before = broken.read_bytes()
    result = invoke(*FLAGS)
    assert result.exit_code == 1
    assert "facts validate" in result.stderr
    assert broken.read_bytes() == before


def test_corrupt_store_is_never_written_over(tmp_path, monkeypatch):
    corrupt = tmp_path / "corrupt.json"
    corrupt.write_text('{"facts": {')
    monkeypatch.setenv("FACTS_DB", str(corrupt))
    result = invoke("retract", "x", "--reason", "r")
    assert result.exit_code == 1
    assert "invalid JSON at line 1" in result.stderr
    assert corrupt.read_text() == '{"facts": {'


def test_retract_keeps_the_fact_and_hides_it_from_answers(tiny_store):
    result = invoke("retract", "role-diane-booth-dcs", "--reason", "Wrong person.")
    assert result.exit_code == 0, result.output
    record = next(r for r in facts_in(tiny_store).values() if r["id"] == "role-diane-booth-dcs")
    assert record["retracted"]["reason"] == "Wrong person."
    assert json.loads(invoke("who", "--json").stdout) == []
    shown = json.loads(invoke("who", "--json", "--include-retracted").stdout)
    assert shown[0]["retracted"]["reason"] == "Wrong person."
    assert invoke("show", "role-diane-booth-dcs").exit_code == 1
    assert "RETRACTED" in invoke("timeline", "--include-retracted").stdout


def test_retract_twice_is_an_error(tiny_store):
    assert invoke("retract", "role-diane-booth-dcs", "--reason", "once").exit_code == 0
    before = tiny_store.read_bytes()
    result = invoke("retract", "role-diane-booth-dcs", "--reason", "twice")
    assert result.exit_code == 1
    assert "already retracted" in result.stderr
    assert tiny_store.read_bytes() == before


def test_retract_unknown_id_suggests_close_ids(tiny_store):
    result = invoke("retract", "role-diane-booth", "--reason", "r")
    assert result.exit_code == 1
    assert "did you mean: role-diane-booth-dcs" in result.stderr


def test_retract_dry_run_writes_nothing(tiny_store):
    before = tiny_store.read_bytes()
    result = invoke("retract", "role-diane-booth-dcs", "--reason", "r", "--dry-run")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["retracted"]["reason"] == "r"
    assert tiny_store.read_bytes() == before


def test_edit_set_changes_typed_fields(tiny_store):
    result = invoke("edit", "role-diane-booth-dcs", "--set", "end=2021-03", "--set", "end_basis=planned", "--set", "post=null")
    assert result.exit_code == 0, result.output
    record = next(r for r in facts_in(tiny_store).values() if r["id"] == "role-diane-booth-dcs")
    assert record["end"] == "2021-03" and record["post"] is None


def test_edit_set_refuses_invalid_value(tiny_store):
    before = tiny_store.read_bytes()
    result = invoke("edit", "role-diane-booth-dcs", "--set", "start=last year")
    assert result.exit_code == 1
    assert "start" in result.stderr
    assert tiny_store.read_bytes() == before


def test_edit_in_editor_writes_valid_result(tiny_store, editor):
    editor(
        "record = json.load(open(path))\n"
        "record['claim'] = \"Diane Booth led Blackpool's children's services in February 2019.\"\n"
        "json.dump(record, open(path, 'w'))"
    )
    result = invoke("edit", "role-diane-booth-dcs")
    assert result.exit_code == 0, result.output
    assert any(r["claim"].startswith("Diane Booth led") for r in facts_in(tiny_store).values())


def test_edit_in_editor_offers_to_reopen_invalid_result(tiny_store, editor):
    editor("open(path, 'w').write('{\"id\": \"role-diane-booth-dcs\", \"kind\": \"role\"')", "pass")
    before = tiny_store.read_bytes()
    result = invoke("edit", "role-diane-booth-dcs", input="y\n")
    assert "invalid JSON" in result.stderr
    assert "Re-open the editor?" in result.stderr
    assert result.exit_code == 0  # the second time the editor closed without saving: no change
    assert tiny_store.read_bytes() == before


def test_edit_refuses_when_fact_changed_meanwhile(tiny_store):
    stale = curate.current_record(tiny_store, "role-diane-booth-dcs")
    assert invoke("edit", "role-diane-booth-dcs", "--set", "end=2021-03", "--set", "end_basis=planned").exit_code == 0
    with pytest.raises(curate.Refused) as refusal:
        curate.edit_record(tiny_store, "role-diane-booth-dcs", dict(stale), expected=stale)
    assert "changed by someone else" in refusal.value.problems[0]


def test_add_source_then_cite_it(tiny_store, sources_dir):
    (sources_dir / "new.txt").write_text("A new report said something new.")
    result = invoke("add-source", "--id", "new-report", "--title", "New report", "--file", "new.txt",
                    "--sources", str(sources_dir))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("add-source: new-report")
    args = list(FLAGS)
    args[args.index("--source") + 1] = "new-report"
    args[args.index("--quote") + 1] = "said something new"
    # The new source is undated, so it cannot be what reports the date: a reported date is refused.
    refused = invoke(*args, "--sources", str(sources_dir))
    assert refused.exit_code == 1 and "date 2019-02 is reported, but no citation's source was published then" in refused.output
    args[args.index("--date-basis") + 1] = "stated"
    assert invoke(*args, "--sources", str(sources_dir)).exit_code == 0


def test_add_source_refuses_duplicate_id_and_missing_file(tiny_store, sources_dir):
    before = tiny_store.read_bytes()
    result = invoke("add-source", "--id", "gazette-2019", "--title", "T", "--file", "absent.txt",
                    "--sources", str(sources_dir))
    assert result.exit_code == 1
    assert "already used" in result.stderr and "absent.txt" in result.stderr
    assert tiny_store.read_bytes() == before


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=10,
)
fact_like = st.fixed_dictionaries(
    {},
    optional={
        "kind": st.sampled_from(["event", "rating", "figure", "rumour"]) | st.text(max_size=5),
        "claim": st.text(max_size=40) | json_values,
        "date": st.sampled_from(["2019", "2019-02", "2019-02-30", "20x9"]) | json_values,
        "citations": st.just([{"source": "gazette-2019", "quote": "branded inadequate"}]) | json_values,
        "id": st.from_regex(r"[a-z]{1,8}", fullmatch=True) | json_values,
        "value": json_values,
    },
) | st.dictionaries(st.text(max_size=10), json_values, max_size=5)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=fact_like)
def test_add_random_json_leaves_store_unchanged_or_valid_with_one_more(tiny_store, document):
    before = tiny_store.read_bytes()
    count = len(facts_in(tiny_store))
    result = invoke("add", input=json.dumps(document))
    assert result.exit_code in (0, 1, 2)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        assert len(facts_in(tiny_store)) == count + 1
        assert_valid(tiny_store)
        tiny_store.write_bytes(before)  # keep the store tiny for the next example
    else:
        assert tiny_store.read_bytes() == before


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=60))
def test_add_random_text_on_stdin_never_tracebacks(tiny_store, text):
    before = tiny_store.read_bytes()
    result = invoke("add", input=text)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code in (0, 1, 2)
    if result.exit_code != 0:
        assert tiny_store.read_bytes() == before


def _adder(store, count, tag):
    """A separate Python process adding count facts through the library, as a curator's tool would."""
    code = (
        "import sys\n"
        "from factcli.curation import curate\n"
        "store, count, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]\n"
        "for n in range(count):\n"
        "    curate.add_fact(store, {'kind': 'event', 'claim': f'Writer {tag} added fact number {n}.',\n"
        "        'date': '2019', 'date_basis': 'reported',\n"
        "        'citations': [{'source': 'gazette-2019', 'quote': 'branded inadequate'}]})\n"
    )
    return subprocess.Popen([sys.executable, "-c", code, str(store), str(count), tag], cwd=REPO)


def test_concurrent_writers_lose_nothing(tiny_store):
    writers = [_adder(tiny_store, 10, f"w{n}") for n in range(16)]
    assert [writer.wait(timeout=120) for writer in writers] == [0] * 16
    assert len(facts_in(tiny_store)) == 2 + 160
    assert_valid(tiny_store)


def test_killed_writers_leave_old_or_new_store_always_valid(tiny_store):
    randomness = random.Random(4)
    counts = set()
    for attempt in range(15):
        writer = _adder(tiny_store, 50, f"k{attempt}")
        time.sleep(randomness.uniform(0.05, 0.6))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        assert_valid(tiny_store)
        counts.add(len(facts_in(tiny_store)))
    # Some writers were killed after writing: the kills landed mid-run, not before start-up.
    assert max(counts) > 2


# --- hardening: no accepted write can break the store ---------------------------------------

FIGURE = [
    "add", "--kind", "figure", "--claim", "Blackpool had 441 children in care in 2015.", "--date", "2015", "--date-basis", "stated",
    "--source", "gazette-2019", "--quote", QUOTE, "--field", "unit=children", "--field", "measure=children in care",
]


def assert_refused_and_unchanged(result, before, path):
    assert result.exit_code in (1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "value", ["inf", "nan", "-inf", "1e400", "Infinity", "-Infinity", "NaN", "١٢٣", "１２３", "1_000", "99999999999999999999999", " 5"]
)
def test_add_refuses_numbers_that_are_not_finite_exact_ascii(tiny_store, value):
    before = tiny_store.read_bytes()
    assert_refused_and_unchanged(invoke(*FIGURE, "--field", f"value={value}"), before, tiny_store)
    assert invoke("validate").exit_code == 0


@pytest.mark.parametrize("value, stored", [("441", 441), ("-3", -3), ("12.5", 12.5), ("9007199254740991", 2**53 - 1)])
def test_add_stores_plain_numbers_exactly(tiny_store, value, stored):
    assert invoke(*FIGURE, "--field", f"value={value}").exit_code == 0
    assert next(r for r in facts_in(tiny_store).values() if r["kind"] == "figure")["value"] == stored


@pytest.mark.parametrize("value", ["nan", "inf", "1e400"])
def test_edit_set_refuses_non_finite_numbers(tiny_store, value):
    assert invoke(*FIGURE, "--field", "value=441").exit_code == 0
    before = tiny_store.read_bytes()
    result = invoke("edit", "figure-2015-441-care", "--set", f"value={value}")
    assert "not a number" in result.stderr or "finite" in result.stderr or "number" in result.stderr
    assert_refused_and_unchanged(result, before, tiny_store)


@pytest.mark.parametrize("number", ["1e400", "-1e400", "1" * 5000, "NaN", "Infinity"])
def test_add_refuses_out_of_range_numbers_on_stdin(tiny_store, number):
    before = tiny_store.read_bytes()
    document = (
        '{"kind": "figure", "claim": "Blackpool had 441 children in care.", "value": %s, "unit": "children",'
        ' "measure": "in care", "citations": [{"source": "gazette-2019", "quote": "x"}]}' % number
    )
    assert_refused_and_unchanged(invoke("add", input=document), before, tiny_store)


def test_edit_in_editor_refuses_an_out_of_range_number(tiny_store, editor):
    before = tiny_store.read_bytes()
    editor("text = open(path).read().replace('\"end\": null', '\"end\": 1e999')\nopen(path, 'w').write(text)", "pass")
    result = invoke("edit", "role-diane-booth-dcs", input="y\n")
    assert "out of range" in result.stderr
    assert tiny_store.read_bytes() == before


# --- text that is not text ----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["add", "--kind", "event", "--claim", "Claim \udcff here.", "--source", "gazette-2019", "--quote", "q"],
        ["add", "--kind", "event", "--claim", "A claim.", "--source", "gazette-2019", "--quote", "\ud800"],
        ["add-source", "--id", "s", "--title", "T\udcff", "--file", "f.txt"],
        ["edit", "role-diane-booth-dcs", "--set", "person=Di\udcc3ne"],
        ["edit", "role-\udcff", "--set", "person=x"],
        ["retract", "role-diane-booth-dcs", "--reason", "bad \udcff"],
        ["retract", "\udcff", "--reason", "x"],
        ["show", "\udcff"],
        ["search", "x\udcc3"],
        ["who", "--role", "\udcc3"],
    ],
)
def test_lone_surrogates_in_options_are_one_usage_line_naming_the_option(tiny_store, args):
    before = tiny_store.read_bytes()
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    [line] = result.stderr.splitlines()
    assert re.fullmatch(r"Error: (--\w+|ID|TEXT): not valid UTF-8 text \(byte .*\)", line), line
    assert tiny_store.read_bytes() == before


def test_lone_surrogate_on_stdin_is_refused(tiny_store):
    before = tiny_store.read_bytes()
    document = json.dumps({
        "kind": "event", "claim": "A claim \ud800.", "citations": [{"source": "gazette-2019", "quote": "q"}]
    })
    result = invoke("add", input=document)
    assert "surrogate" in result.stderr
    assert_refused_and_unchanged(result, before, tiny_store)


def test_deeply_nested_citations_are_one_clean_line(tiny_store):
    before = tiny_store.read_bytes()
    result = invoke("edit", "role-diane-booth-dcs", "--set", "citations=" + "[" * 100000)
    assert "nested too deeply" in result.stderr
    assert_refused_and_unchanged(result, before, tiny_store)


# --- what writes leave behind and how they wait ---------------------------------------------


def test_dry_run_reads_without_waiting_for_the_write_lock(tiny_store):
    from factcli.storage.jsonfile import write_lock

    with write_lock(tiny_store):
        started = time.monotonic()
        result = invoke(*FLAGS, "--dry-run")
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 10


def test_next_write_removes_temporary_files_of_killed_writers(tiny_store):
    leftover = tiny_store.parent / f".{tiny_store.name}.999999999.k1ll3d00.tmp"
    leftover.write_text("half a store")
    assert invoke(*FLAGS).exit_code == 0
    assert [p.name for p in tiny_store.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_failed_write_through_a_dangling_symlink_leaves_no_lock_file(tmp_path, monkeypatch):
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "gone" / "facts.json")
    monkeypatch.setenv("FACTS_DB", str(link))
    (tmp_path / "gone").mkdir()
    result = invoke(*FLAGS)
    assert result.exit_code == 1 and "not found" in result.stderr
    assert list((tmp_path / "gone").iterdir()) == []


def test_os_error_while_writing_is_one_line_naming_the_store(tiny_store, monkeypatch):
    import errno as errors

    def full(descriptor):
        raise OSError(errors.ENOSPC, "No space left on device")

    monkeypatch.setattr("factcli.storage.jsonfile.os.fsync", full)
    before = tiny_store.read_bytes()
    result = invoke(*FLAGS)
    assert result.exit_code == 1
    assert str(tiny_store) in result.stderr and "No space left on device" in result.stderr
    assert tiny_store.read_bytes() == before


def test_dry_run_output_escapes_controls_and_keeps_the_data(tiny_store):
    claim = "In February 2019 \x9b31m Diane \u202e Booth said a plan was laid out \x9d."
    result = invoke(*[claim if arg == FLAGS[4] else arg for arg in FLAGS], "--dry-run")
    assert result.exit_code == 0, result.output
    assert not any(ch in result.stdout for ch in "\x9b\x9d\u202e")
    assert json.loads(result.stdout)["claim"] == claim


# --- the editor -------------------------------------------------------------------------------


def test_editor_that_deletes_its_file_is_one_clean_line(tiny_store, editor):
    editor("os.remove(path)")
    before = tiny_store.read_bytes()
    result = invoke("edit", "role-diane-booth-dcs")
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert tiny_store.read_bytes() == before


@pytest.mark.parametrize(
    "swap",
    [
        "os.remove(path)\nos.symlink('/dev/zero', path)",
        "os.remove(path)\nos.mkfifo(path)",
        "os.remove(path)\nos.mkdir(path)\nopen(os.path.join(path, 'inside'), 'w').write('x')",
    ],
    ids=["/dev/zero", "a FIFO", "a folder"],
)
def test_an_editor_that_swaps_its_file_for_something_else_is_one_line_and_leaves_nothing(tiny_store, editor, swap):
    import threading

    editor(swap)
    before = tiny_store.read_bytes()
    done = []
    worker = threading.Thread(target=lambda: done.append(invoke("edit", "role-diane-booth-dcs")), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert done, "facts edit hung reading what the editor left"
    [result] = done
    assert result.exit_code == 1
    assert "not a regular file" in result.stderr
    assert tiny_store.read_bytes() == before


def test_editor_that_writes_invalid_utf8_offers_to_reopen(tiny_store, editor):
    editor("open(path, 'wb').write(b'\\xff')")
    before = tiny_store.read_bytes()
    result = invoke("edit", "role-diane-booth-dcs", input="n\n")
    assert result.exit_code == 1
    assert "UTF-8" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert tiny_store.read_bytes() == before


def test_edit_after_someone_else_changed_the_fact_rebases_on_their_version(tiny_store, editor, tmp_path):
    seen = tmp_path / "seen"
    seen.mkdir()
    editor(
        # Someone else sets the end date while this editor is open.
        "import shutil, subprocess\n"
        f"shutil.copy(path, {str(seen / 'first.json')!r})\n"
        "subprocess.run([sys.executable, '-m', 'factcli', 'edit', 'role-diane-booth-dcs', '--set', 'end=2021-03', '--set', 'end_basis=planned'],"
        " check=True, capture_output=True)\n"
        "record = json.load(open(path))\n"
        "record['post'] = \"director of children's services\"\n"
        "json.dump(record, open(path, 'w'))",
        # The curator saves what was reopened.
        f"import shutil\nshutil.copy(path, {str(seen / 'second.json')!r})\nos.utime(path)",
    )
    result = invoke("edit", "role-diane-booth-dcs", input="y\n")
    assert result.exit_code == 0, result.output
    assert "changed by someone else" in result.stderr
    reopened = json.loads((seen / "second.json").read_text())
    assert (reopened["end"], reopened["post"]) == ("2021-03", "director of children's services")
    record = facts_in(tiny_store)["2"]
    assert (record["end"], record["post"]) == ("2021-03", "director of children's services")


# --- anchors ------------------------------------------------------------------------------


def citations_in(path):
    return [c for record in facts_in(path).values() for c in record["citations"]]


def test_anchor_anchors_every_citation_and_fingerprints_every_source_in_one_write(tiny_store, sources_dir):
    result = invoke("anchor", "--sources", str(sources_dir))
    assert result.exit_code == 0, result.output
    assert "2 of 2 citations anchored anew, 1 sources fingerprinted" in result.stdout
    text = (sources_dir / "gazette.txt").read_text(encoding="utf-8")
    for citation in citations_in(tiny_store):
        assert text[citation["start"] : citation["end"]] == citation["quote"]
        assert text[: citation["start"]].endswith(citation["prefix"])
        assert text[citation["end"] :].startswith(citation["suffix"])
    [source] = json.loads(tiny_store.read_text(encoding="utf-8"))["sources"].values()
    assert source["sha256"] == hashlib.sha256((sources_dir / "gazette.txt").read_bytes()).hexdigest()
    assert source["url"] is None
    assert_valid(tiny_store)


def test_anchor_again_changes_nothing(tiny_store, sources_dir):
    invoke("anchor", "--sources", str(sources_dir))
    before = tiny_store.read_bytes()
    result = invoke("anchor", "--sources", str(sources_dir))
    assert result.exit_code == 0
    assert "no change" in result.stdout
    assert tiny_store.read_bytes() == before


def test_anchor_refuses_an_ambiguous_quote_and_writes_nothing(tmp_path, monkeypatch, sources_dir):
    path = write_store(tmp_path / "ambiguous.json", [rating_fact(citations=[{"source": "gazette-2019", "quote": "Booth"}])])
    monkeypatch.setenv("FACTS_DB", str(path))
    before = path.read_bytes()
    result = invoke("anchor", "--sources", str(sources_dir))
    assert result.exit_code == 1
    assert "quote occurs 2 times in the source text (start 110, 135)" in result.stderr
    assert path.read_bytes() == before


def test_an_ambiguous_quote_is_anchored_once_the_curator_gives_its_start(tmp_path, monkeypatch, sources_dir):
    path = write_store(tmp_path / "ambiguous.json", [rating_fact(citations=[{"source": "gazette-2019", "quote": "Booth"}])])
    monkeypatch.setenv("FACTS_DB", str(path))
    picked = json.dumps([{"source": "gazette-2019", "quote": "Booth", "start": 135}])
    result = invoke("edit", "rating-2019-01-overall-inadequate", "--set", f"citations={picked}", "--sources", str(sources_dir))
    assert result.exit_code == 0, result.output
    [citation] = citations_in(path)
    assert (citation["start"], citation["end"], citation["suffix"][:5]) == (135, 140, " said")
    assert invoke("anchor", "--sources", str(sources_dir)).exit_code == 0


def test_anchor_refuses_while_a_source_file_is_missing(tiny_store, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    before = tiny_store.read_bytes()
    result = invoke("anchor", "--sources", str(empty))
    assert result.exit_code == 1
    assert result.stderr.count("gazette.txt not found") == 1
    assert tiny_store.read_bytes() == before


def test_anchor_dry_run_writes_nothing(tiny_store, sources_dir):
    before = tiny_store.read_bytes()
    result = invoke("anchor", "--sources", str(sources_dir), "--dry-run")
    assert result.exit_code == 0
    assert "dry run: 2 of 2 citations anchored anew" in result.stderr
    assert tiny_store.read_bytes() == before


def test_anchor_without_a_folder_is_a_one_line_usage_error(tiny_store):
    result = invoke("anchor")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "Error: facts anchor needs the folder of source texts: give --sources DIR or set FACTS_SOURCES"
        " (see facts anchor --help)"
    ]


def test_add_with_sources_anchors_the_quote_and_fingerprints_its_source(tiny_store, sources_dir):
    assert invoke(*FLAGS, "--sources", str(sources_dir)).exit_code == 0
    [citation] = [c for c in citations_in(tiny_store) if c["quote"] == QUOTE]
    assert SOURCE_TEXT[citation["start"] : citation["end"]] == QUOTE
    [source] = json.loads(tiny_store.read_text(encoding="utf-8"))["sources"].values()
    assert len(source["sha256"]) == 64


def test_add_refuses_a_quote_whose_source_changed_since_it_was_fingerprinted(tiny_store, sources_dir):
    invoke("anchor", "--sources", str(sources_dir))
    (sources_dir / "gazette.txt").write_text(SOURCE_TEXT + "More.\n", encoding="utf-8")
    result = invoke(*FLAGS, "--sources", str(sources_dir))
    assert result.exit_code == 1
    assert "no longer matches its sha256 fingerprint" in result.stderr


def test_edit_without_sources_drops_the_anchor_of_a_changed_quote(tiny_store, sources_dir):
    invoke("anchor", "--sources", str(sources_dir))
    record = curate.current_record(tiny_store, "role-diane-booth-dcs")
    record["citations"][0]["quote"] = "director of children's services Diane Booth"
    assert invoke("edit", "role-diane-booth-dcs", "--set", f"citations={json.dumps(record['citations'])}").exit_code == 0
    [citation] = curate.current_record(tiny_store, "role-diane-booth-dcs")["citations"]
    assert set(citation) == {"source", "quote"}


def test_show_json_of_an_anchored_fact_round_trips_through_add(tiny_store, sources_dir):
    invoke("anchor", "--sources", str(sources_dir))
    [shown] = json.loads(invoke("show", "role-diane-booth-dcs", "--json").stdout)
    shown.update(id="role-copy", claim="A copy of the role, for the round trip.")
    # The copy quotes the very span the original does: a duplicate unless asked for.
    assert invoke("add", input=json.dumps(shown)).exit_code == 1
    assert invoke("add", "--allow-duplicate", input=json.dumps(shown)).exit_code == 0
    original, copy = (curate.current_record(tiny_store, i)["citations"] for i in ("role-diane-booth-dcs", "role-copy"))
    assert copy == original


def test_add_source_with_sources_fingerprints_it_and_keeps_its_url(tiny_store, sources_dir):
    (sources_dir / "new.txt").write_bytes(b"A new report.\r\n")
    result = invoke("add-source", "--id", "new-report", "--title", "New report", "--file", "new.txt",
                    "--url", "https://example.org/new", "--sources", str(sources_dir))
    assert result.exit_code == 0, result.output
    record = next(r for r in json.loads(tiny_store.read_text())["sources"].values() if r["id"] == "new-report")
    assert (record["sha256"], record["url"]) == (hashlib.sha256(b"A new report.\r\n").hexdigest(), "https://example.org/new")


# --- a store of record: installed copies are never written; init and where -----------------

WRITES = {
    "add": FLAGS,
    "add-source": ["add-source", "--id", "new-report", "--title", "New report", "--file", "new.txt"],
    "edit": ["edit", "role-diane-booth-dcs", "--set", "start=2019-01"],
    "retract": ["retract", "role-diane-booth-dcs", "--reason", "A test."],
    "anchor": ["anchor", "--sources", "{seeds}"],
}


@pytest.mark.parametrize("command", WRITES)
def test_no_write_command_writes_into_an_installed_package(installed, sources_dir, command):
    before = installed.read_bytes()
    result = invoke(*(arg.format(seeds=sources_dir) for arg in WRITES[command]))
    assert result.exit_code == 1, result.output
    [line] = result.stderr.splitlines()
    assert "inside the installed package" in line and "facts init" in line
    assert installed.read_bytes() == before
    assert sorted(os.listdir(installed.parent)) == ["facts.json"]  # no lock or temporary file either


def test_edit_in_an_editor_is_refused_before_the_editor_opens(installed, editor, tmp_path):
    editor(f"open({str(tmp_path / 'opened')!r}, 'w')")
    result = invoke("edit", "role-diane-booth-dcs")
    assert result.exit_code == 1
    assert "inside the installed package" in result.stderr
    assert not (tmp_path / "opened").exists()


def test_a_dry_run_on_an_installed_package_shows_the_change(installed):
    result = invoke(*FLAGS, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "dry run" in result.stderr


def test_init_copies_the_bundled_store_and_facts_db_then_curates_it(installed, tmp_path, monkeypatch):
    own = tmp_path / "own.json"
    result = invoke("init", str(own))
    assert result.exit_code == 0, result.output
    assert "with 2 facts and 1 sources" in result.stdout
    assert json.loads(own.read_text()) == json.loads(installed.read_text())
    monkeypatch.setenv("FACTS_DB", str(own))
    assert invoke(*FLAGS).exit_code == 0
    assert len(facts_in(own)) == 3


def test_init_empty_makes_a_valid_store_with_no_records(tmp_path):
    own = tmp_path / "empty.json"
    assert invoke("init", str(own), "--empty").exit_code == 0
    assert json.loads(own.read_text()) == {"facts": {}, "sources": {}, "conflicts": {}, "meta": {"1": {"title": "Facts"}}}
    assert_valid(own)


@pytest.mark.parametrize("existing", ["store", "link"])
def test_init_never_writes_over_an_existing_file(tiny_store, tmp_path, existing):
    target = tiny_store
    if existing == "link":
        target = tmp_path / "link.json"
        target.symlink_to(tmp_path / "nowhere.json")
    before = tiny_store.read_bytes()
    result = invoke("init", str(target), "--empty")
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert tiny_store.read_bytes() == before
    assert not (tmp_path / "nowhere.json").exists()


def test_init_into_a_missing_folder_is_one_line(tmp_path):
    result = invoke("init", str(tmp_path / "no" / "such" / "facts.json"))
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1


def test_where_names_the_store_its_origin_and_whether_it_is_writable(tiny_store, installed):
    text = invoke("where")
    assert text.exit_code == 0
    lines = text.stdout.splitlines()
    assert lines[0] == str(installed)
    assert lines[1] == "from: bundled: the copy inside the installed package"
    assert lines[2] == "format: json: one file, written whole by each change"
    assert lines[3].startswith("writable: no: ")
    document = json.loads(invoke("--db", str(tiny_store), "where", "--json").stdout)
    index = os.path.join(os.environ["FACTS_CACHE_DIR"], os.path.basename(document["index"]["path"]))
    assert document == {
        "path": str(tiny_store),
        "origin": "--db",
        "real_path": str(tiny_store),
        "exists": True,
        "writable": True,
        "reason": None,
        "format": "json",
        "horizon": "2019-02",
        "horizon_basis": "printed",
        "index": {"path": index, "built": False, "used": False},
    }


def test_where_shows_the_derived_index_and_whether_it_is_built_and_used(tiny_store, monkeypatch):
    monkeypatch.setenv("FACTS_INDEX", "always")
    before = json.loads(invoke("where", "--json").stdout)["index"]
    assert (before["built"], before["used"]) == (False, True)
    assert invoke("rating").exit_code == 0
    after = json.loads(invoke("where", "--json").stdout)["index"]
    assert (after["path"], after["built"], after["used"]) == (before["path"], True, True)
    assert os.path.isfile(after["path"])
    assert f"index: {after['path']} (built; used for this store)" in invoke("where").stdout.splitlines()

@pytest.mark.parametrize("device", ["/dev/zero", "/"])
def test_add_from_a_device_or_folder_is_one_line_not_an_endless_read(tiny_store, device):
    result = subprocess.run(
        [sys.executable, "-m", "factcli", "add", "--from", device, "--db", str(tiny_store)],
        capture_output=True, text=True, timeout=20, cwd=REPO,
    )
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_folder_that_refuses_the_temporary_file_is_one_line_naming_the_store(tiny_store, monkeypatch):
    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", refused)
    before = tiny_store.read_bytes()
    result = invoke(*FLAGS)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert str(tiny_store) in result.stderr and "Permission denied" in result.stderr
    assert tiny_store.read_bytes() == before


def test_add_with_stdin_from_dev_zero_is_no_input_not_an_endless_read(tiny_store):
    with open("/dev/zero", "rb") as zero:
        result = subprocess.run(
            [sys.executable, "-m", "factcli", "add", "--db", str(tiny_store)],
            stdin=zero, capture_output=True, text=True, timeout=20, cwd=REPO,
        )
    assert result.returncode == 2
    assert "no input" in result.stderr


# --- imports, duplicates, citations, ids and the lifecycle of a fact ---------------------------


def event_document(number, **overrides):
    document = {
        "kind": "event",
        "claim": f"Imported event number {number} happened at the council.",
        "date": "2020",
        "date_basis": "stated",
        "citations": [{"source": "gazette-2019", "quote": "Diane Booth told a meeting"}],
    }
    document.update(overrides)
    return document


def made_id(document):
    """The id add makes for document in the tiny store, whose meta names its common words."""
    from factcli.curation.ids import readable_id
    from factcli.curation.overlap import common_words

    return readable_id(document, set(), common_words(META["common_words"]))


EVENT_ID = made_id(event_document(1))


def test_an_import_of_500_facts_lands_in_one_write(tiny_store, monkeypatch):
    from factcli.storage import writing as store

    writes = []
    real = store.AtomicJSONStorage.write
    monkeypatch.setattr(store.AtomicJSONStorage, "write", lambda self, data, **kw: writes.append(1) or real(self, data, **kw))
    lines = "".join(json.dumps(event_document(n)) + "\n" for n in range(500))
    result = invoke("add", "--allow-duplicate", input=lines)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("add: 500 facts")
    assert len(writes) == 1
    assert len(facts_in(tiny_store)) == 502
    assert_valid(tiny_store)


@pytest.mark.parametrize("shape", ["array", "lines"])
def test_one_bad_fact_among_500_writes_nothing_and_is_named(tiny_store, shape):
    documents = [event_document(n) for n in range(500)]
    documents[314]["date"] = "2020-13"
    text = json.dumps(documents) if shape == "array" else "".join(json.dumps(d) + "\n" for d in documents)
    before = tiny_store.read_bytes()
    result = invoke("add", "--allow-duplicate", input=text)
    assert result.exit_code == 1
    place = "item 315" if shape == "array" else "line 315"
    assert f"{place} 'event-2020-13-imported-event-number-314'" in result.stderr
    assert "2020-13" in result.stderr
    assert tiny_store.read_bytes() == before


def test_facts_of_one_import_are_checked_against_each_other(tiny_store):
    text = json.dumps([event_document(1), event_document(1, date="2021")])
    result = invoke("add", input=text)
    assert result.exit_code == 1
    assert f"item 2 '{made_id(event_document(1, date='2021'))}': the same claim is already fact '{EVENT_ID}'" in result.stderr


def test_add_refuses_a_claim_the_store_holds_and_names_the_fact(tiny_store):
    claim = "Ofsted rated Blackpool's children's services INADEQUATE in January 2019."
    result = invoke("add", input=json.dumps(event_document(1, claim=claim)))
    assert result.exit_code == 1
    assert "the same claim is already fact 'rating-2019-01-overall-inadequate'" in result.stderr


def test_an_overlapping_quote_is_a_warning_naming_the_other_fact_never_a_refusal(tiny_store, sources_dir):
    invoke("anchor", "--sources", str(sources_dir))
    quoted = event_document(1, citations=[{"source": "gazette-2019", "quote": "branded inadequate by Ofsted"}])
    result = invoke("add", "--sources", str(sources_dir), input=json.dumps(quoted))
    assert result.exit_code == 0, result.stderr
    assert "overlaps one of fact 'rating-2019-01-overall-inadequate' (a rating)" in result.stderr
    assert "facts cite rating-2019-01-overall-inadequate" in result.stderr


def test_a_near_match_is_a_warning_that_suggests_citing_the_existing_fact(tiny_store):
    near = "Ofsted rated Blackpool's children's services inadequate again in January 2019."
    result = invoke("add", input=json.dumps(event_document(1, claim=near)))
    assert result.exit_code == 0, result.stderr
    assert "warning:" in result.stderr and "near 'rating-2019-01-overall-inadequate'" in result.stderr
    assert "facts cite rating-2019-01-overall-inadequate" in result.stderr


SIMILAR = "Imported event number {n} about the improvement plan board and its chair."


def test_near_matches_of_one_import_are_one_warning_each_summarised(tiny_store):
    documents = [event_document(n, claim=SIMILAR.format(n=n)) for n in range(300)]
    result = invoke("add", input="".join(json.dumps(d) + "\n" for d in documents))
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:") and UNCHECKED not in line]
    assert len(warnings) == 4, warnings
    assert warnings[0] == (
        "warning: 299 warnings for the 300 facts (near a claim on record or in this import, or quoting a span"
        " another fact quotes); the first 3:"
    )
    assert all("facts cite" in line for line in warnings[1:])


def test_a_near_claim_is_found_among_thousands_of_claims_sharing_its_words(tmp_path, monkeypatch):
    facts = [
        {**event_document(n, claim=SIMILAR.format(n=n)), "id": f"event-{n}", "date_note": None}
        for n in range(3000)
    ]
    store = write_store(tmp_path / "similar.json", facts=facts)
    monkeypatch.setenv("FACTS_DB", str(store))
    again = event_document(0, claim="Imported event number 17 about the improvement plan board and the chair.")
    result = invoke("add", input=json.dumps(again))
    assert result.exit_code == 0, result.stderr
    assert "near 'event-17'" in result.stderr


def test_cite_adds_corroboration_to_an_existing_fact(tiny_store, sources_dir):
    args = ["cite", "rating-2019-01-overall-inadequate", "--source", "gazette-2019", "--quote", "Diane Booth told a meeting"]
    result = invoke(*args, "--sources", str(sources_dir))
    assert result.exit_code == 0, result.stderr
    cited = curate.current_record(tiny_store, "rating-2019-01-overall-inadequate")
    assert [c["quote"] for c in cited["citations"]][-1] == "Diane Booth told a meeting"
    assert isinstance(cited["citations"][-1]["start"], int)
    assert cited["changed"]
    again = invoke(*args)
    assert again.exit_code == 1 and "already cites that quote" in again.stderr


def test_cite_refuses_a_quote_not_in_the_source_and_suggests_the_closest(tiny_store, sources_dir):
    result = invoke("cite", ROLE_ID, "--source", "gazette-2019", "--quote", "Diane Booth told the meeting",
                    "--sources", str(sources_dir))
    assert result.exit_code == 1
    assert "did you mean" in result.stderr


GENERATED_ID = re.compile(r"(?P<kind>[a-z]+)(?:-(?P<date>[0-9]{4}(?:-[0-9]{2}){0,2}))?(?P<words>(?:-[a-z0-9]+){1,4})(?:-[0-9]+)?\Z")


def test_ids_made_for_the_bundled_facts_follow_the_stores_pattern():
    from factcli.curation.ids import readable_id
    from factcli.curation.overlap import STOP_WORDS
    from factcli.storage.location import BUNDLED_STORE

    taken = set()
    for record in json.loads(Path(BUNDLED_STORE).read_text(encoding="utf-8"))["facts"].values():
        made = readable_id(record, taken)
        taken.add(made)
        match = GENERATED_ID.match(made)
        assert match, made
        assert match["kind"] == record["kind"] and match["date"] == record["date"]
        assert not set(match["words"].strip("-").split("-")) & STOP_WORDS, made


def test_a_made_id_gets_a_short_suffix_only_when_taken():
    from factcli.curation.ids import readable_id
    from factcli.curation.overlap import common_words

    common = common_words(META["common_words"])
    record = {"kind": "role", "date": "2019-02", "claim": "In February 2019 Diane Booth was Blackpool's director."}
    assert readable_id(record, set(), common) == "role-2019-02-diane-booth-director"
    assert readable_id(record, {"role-2019-02-diane-booth-director"}, common) == "role-2019-02-diane-booth-director-2"


def test_add_and_edit_record_when_a_fact_was_added_and_changed(tiny_store):
    assert invoke("add", input=json.dumps(event_document(1))).exit_code == 0
    added = curate.current_record(tiny_store, EVENT_ID)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", added["added"]) and added["changed"] == added["added"]
    assert invoke("edit", EVENT_ID, "--set", "date_note=From the minutes.").exit_code == 0
    edited = curate.current_record(tiny_store, EVENT_ID)
    assert edited["added"] == added["added"] and edited["changed"] >= added["changed"]
    shown = json.loads(invoke("show", EVENT_ID, "--json").stdout)[0]
    assert (shown["added"], shown["changed"]) == (edited["added"], edited["changed"])


def test_restore_undoes_a_retraction_and_keeps_both_in_the_history(tiny_store):
    assert invoke("retract", ROLE_ID, "--reason", "Misread the source.").exit_code == 0
    assert invoke("restore", ROLE_ID, "--reason", "The source was right after all.").exit_code == 0
    record = curate.current_record(tiny_store, ROLE_ID)
    assert "retracted" not in record
    assert [(e["action"], e["reason"]) for e in record["history"]] == [
        ("retracted", "Misread the source."),
        ("restored", "The source was right after all."),
    ]
    assert invoke("show", ROLE_ID).exit_code == 0
    again = invoke("restore", ROLE_ID, "--reason", "Twice.")
    assert again.exit_code == 1 and "is not retracted" in again.stderr


def test_rename_updates_conflicts_and_refuses_a_taken_id(tmp_path, monkeypatch):
    path = write_store(tmp_path / "conflicted.json", conflicts=[conflict()])
    monkeypatch.setenv("FACTS_DB", str(path))
    assert invoke("rename", "rating-2019-01-overall-inadequate", "rating-2019-01-inadequate").exit_code == 0
    tables = json.loads(path.read_text(encoding="utf-8"))
    assert [c["facts"] for c in tables["conflicts"].values()] == [["rating-2019-01-inadequate"]]
    renamed = curate.current_record(path, "rating-2019-01-inadequate")
    assert renamed["history"][-1]["from"] == "rating-2019-01-overall-inadequate"
    assert_valid(path)
    taken = invoke("rename", "rating-2019-01-inadequate", ROLE_ID)
    assert taken.exit_code == 1 and "already used" in taken.stderr


def test_edit_cannot_rename_a_fact(tiny_store):
    before = tiny_store.read_bytes()
    result = invoke("edit", ROLE_ID, "--set", "id=role-renamed")
    assert result.exit_code == 1
    assert f"facts rename {ROLE_ID}" in result.stderr
    assert tiny_store.read_bytes() == before


def test_log_lists_curation_changes_in_time_order_since_a_date(tiny_store):
    assert invoke("add", input=json.dumps(event_document(1))).exit_code == 0
    assert invoke("retract", EVENT_ID, "--reason", "Not so.").exit_code == 0
    entries = json.loads(invoke("log", "--json").stdout)
    assert [(e["action"], e["id"]) for e in entries] == [
        ("added", EVENT_ID),
        ("retracted", EVENT_ID),
    ]
    assert entries[1]["detail"] == "Not so."
    assert json.loads(invoke("log", "--since", "2999", "--json").stdout) == []


# --- no command that succeeds leaves a store that commands refuse ---------------------------

RATING_CLAIM = "Ofsted rated Blackpool's children's services inadequate in January 2019."
EVERY_READ = (["validate"], ["rating", "--json"], ["search", "booth"], ["show", ROLE_ID], ["sources"])


def assert_usable(path):
    """The store validates, and every question and a write still run on it."""
    assert_valid(path)
    for args in EVERY_READ:
        result = invoke(*args)
        assert result.exit_code == 0, (args, result.output)
    assert invoke("retract", ROLE_ID, "--reason", "Still writable.", "--dry-run").exit_code == 0


def test_allow_duplicate_never_adds_a_claim_already_on_record(tiny_store):
    before = tiny_store.read_bytes()
    result = invoke("add", "--allow-duplicate", input=json.dumps(event_document(1, claim=RATING_CLAIM)))
    assert result.exit_code == 1
    assert "the same claim is already fact 'rating-2019-01-overall-inadequate'" in result.stderr
    assert tiny_store.read_bytes() == before
    assert_usable(tiny_store)


def test_restoring_a_fact_whose_claim_was_made_again_is_refused_naming_the_other(tiny_store):
    assert invoke("retract", "rating-2019-01-overall-inadequate", "--reason", "Worded badly.").exit_code == 0
    document = event_document(1, claim=RATING_CLAIM)
    again = invoke("add", input=json.dumps(document))
    assert again.exit_code == 0, again.stderr
    before = tiny_store.read_bytes()
    result = invoke("restore", "rating-2019-01-overall-inadequate", "--reason", "It was right.")
    assert result.exit_code == 1
    assert f"the same claim is already fact {made_id(document)!r}" in result.stderr
    assert tiny_store.read_bytes() == before
    assert_usable(tiny_store)


def test_the_writer_refuses_to_write_a_store_that_would_not_validate(tiny_store):
    from factcli.core.errors import StoreError
    from factcli.storage.writing import AtomicJSONStorage

    tables = json.loads(tiny_store.read_text(encoding="utf-8"))
    tables["facts"]["3"] = {**tables["facts"]["1"], "id": "a-copy"}
    before = tiny_store.read_bytes()
    with pytest.raises(StoreError) as refused:
        AtomicJSONStorage(tiny_store).write(tables)
    assert any("duplicate claim" in problem for problem in refused.value.problems)
    assert tiny_store.read_bytes() == before



@pytest.mark.parametrize("stop", ["SIGTERM", "SIGKILL"])
def test_an_edit_stopped_while_the_editor_is_open_leaves_nothing_after_the_next_command(tiny_store, tmp_path, stop):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    slow = tmp_path / "slow-editor.sh"
    slow.write_text("#!/bin/sh\nsleep 60\n")
    slow.chmod(0o755)
    env = {**os.environ, "TMPDIR": str(temporary), "EDITOR": str(slow)}
    process = subprocess.Popen([sys.executable, "-m", "factcli", "edit", ROLE_ID], env=env, cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def left():
        return list(temporary.iterdir()) + [p for p in tiny_store.parent.iterdir() if p.name.startswith(".")]

    def opened():
        return [p for p in tiny_store.parent.iterdir() if p.name.startswith(".") and p.is_dir()]

    deadline = time.monotonic() + 20
    while not opened() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert opened(), "the editor never opened"
    process.send_signal(getattr(signal, stop))
    process.wait(timeout=20)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # the editor, still sleeping
    if stop == "SIGTERM":
        assert left() == []
    subprocess.run([sys.executable, "-m", "factcli", "rating", "--json"], env=env, cwd=REPO, capture_output=True, check=True)
    assert left() == []


@pytest.mark.parametrize("with_sources", [False, True])
def test_a_change_that_quotes_sources_warns_when_no_text_checked_its_quotes(tiny_store, sources_dir, with_sources):
    extra = ["--sources", str(sources_dir)] if with_sources else []
    changes = [
        ["add", "--kind", "event", "--claim", "A 12-week improvement plan was laid out.", "--date", "2019-02",
         "--date-basis", "reported", "--source", "gazette-2019", "--quote", QUOTE],
        ["cite", "role-diane-booth-dcs", "--source", "gazette-2019", "--quote", "Diane Booth told a meeting"],
        ["add-conflict", "--fact", "role-diane-booth-dcs", "--note", "Two lines.", "--caution",
         "--cite", "gazette-2019:Diane Booth told a meeting", "--cite", "gazette-2019:Ms Booth said"],
        ["edit", "role-diane-booth-dcs", "--set",
         'citations=[{"source": "gazette-2019", "quote": "Blackpool\'s director of children\'s services Diane Booth"}]'],
    ]  # fmt: skip
    for args in changes:
        result = invoke(*args, *extra)
        assert result.exit_code == 0, result.output
        assert (UNCHECKED in result.stderr) is not with_sources
    # A change that quotes nothing says nothing of it.
    quiet = invoke("edit", "role-diane-booth-dcs", "--set", "date_note=From the article.")
    assert quiet.exit_code == 0 and UNCHECKED not in quiet.stderr


@pytest.mark.parametrize(
    "sets, warned",
    [
        (["date=2019-02"], True),
        (["date=2019-02", "date_note=The article's month."], False),
        (["date_note=The article's month."], False),
    ],
)
def test_an_edit_of_a_date_warns_when_its_date_note_stays_as_it_was(tmp_path, sets, warned):
    path = write_store(tmp_path / "facts.json", [rating_fact(date_note="From 'In January'.")])
    result = CliRunner().invoke(cli, ["--db", str(path), "edit", "rating-2019-01-overall-inadequate",
                                      *(word for one in sets for word in ("--set", one))])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert ("but its date_note did not" in result.stderr) is warned


@pytest.mark.parametrize(
    "args, refused",
    [
        (["edit", ROLE_ID, "--set", "end=2023"], True),
        (["edit", ROLE_ID, "--set", "end=2023", "--set", "end_basis=planned"], False),
        (["add", "--kind", "role", "--claim", "Ms Booth was to retire in 2021.", "--date", "2019-02", "--date-basis",
          "reported", "--source", "gazette-2019", "--quote", "Ms Booth said", "--field", "person=Ms Booth",
          "--field", "role=director", "--field", "organisation=Another Council", "--field", "end=2021"], True),
    ],
)  # fmt: skip
def test_a_new_or_changed_start_or_end_must_say_how_it_is_known(tiny_store, args, refused):
    result = invoke(*args)
    assert (result.exit_code == 1) is refused, result.output
    assert ("end_basis is missing: say how the end is known (stated, planned, inferred)" in result.stderr) is refused


def test_a_quote_anchoring_corrects_is_kept_in_the_records_history(tiny_store, sources_dir):
    # Typed with a straight apostrophe where the source has a curly one: anchoring finds the words
    # and stores the source's own text, and the fact's history says so.
    (sources_dir / "gazette.txt").write_text(SOURCE_TEXT.replace("Blackpool's", "Blackpool\u2019s"), encoding="utf-8")
    typed = "Blackpool's director of children's services Diane Booth"
    write_store(tiny_store, [role_fact(citations=[{"source": "gazette-2019", "quote": typed}])])
    result = invoke("anchor", "--sources", str(sources_dir))
    assert result.exit_code == 0, result.output
    [record] = facts_in(tiny_store).values()
    assert record["citations"][0]["quote"] == typed.replace("Blackpool's", "Blackpool\u2019s")
    assert record["history"][-1]["action"] == "edited"
    assert record["history"][-1]["changes"] == [
        {"field": "citations[0].quote", "before": typed, "after": typed.replace("Blackpool's", "Blackpool\u2019s")}
    ]


@pytest.mark.parametrize(
    "sets, missing",
    [
        (["end_basis=null"], "end_basis"),  # the end stays; without its basis it would read as stated
        (["date_basis=null"], "date_basis"),
        (["end_basis=inferred", "tenure_note=From her final assessment."], None),
    ],
)
def test_an_edit_may_not_take_away_how_a_value_is_known(tmp_path, sets, missing):
    path = write_store(tmp_path / "facts.json", [role_fact(end="2021-03", end_basis="planned")])
    result = CliRunner().invoke(cli, ["--db", str(path), "edit", ROLE_ID, *(w for one in sets for w in ("--set", one))])
    if missing is None:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1
        assert f"{missing} is missing: say how the" in result.stderr


def test_a_new_fact_may_not_take_a_conflicts_id(tiny_store):
    write_store(tiny_store, conflicts=[conflict()])
    before = tiny_store.read_bytes()
    result = invoke("add", "--kind", "event", "--claim", "A meeting was held in 2019.", "--date", "2019", "--date-basis",
                    "reported", "--source", "gazette-2019", "--quote", "told a meeting", "--id", "january-or-february")  # fmt: skip
    assert result.exit_code == 1
    assert "id 'january-or-february' is already used by another conflict" in result.stderr
    assert tiny_store.read_bytes() == before


def test_a_source_given_another_file_without_a_source_folder_says_its_fingerprint_is_dropped(tiny_store):
    write_store(tiny_store, sources=[{**SOURCE, "sha256": "0" * 64, "url": None}])
    result = invoke("edit", "gazette-2019", "--set", "file=another.txt")
    assert result.exit_code == 0, result.output
    assert "its fingerprint is dropped until facts anchor fingerprints the new file" in result.stderr
    [source] = json.loads(tiny_store.read_text(encoding="utf-8"))["sources"].values()
    assert "sha256" not in source and source["file"] == "another.txt"


@pytest.mark.parametrize(
    "sets, warned",
    [
        (["judgment=good"], True),  # the claim says inadequate
        (["judgment=good", "claim=Ofsted rated Blackpool's children's services good in January 2019."], False),
        (["area=overall"], False),  # unchanged
    ],
)
def test_an_edit_that_makes_a_field_say_what_the_claim_does_not_warns(tmp_path, sets, warned):
    path = write_store(tmp_path / "facts.json", [rating_fact()])
    result = CliRunner().invoke(cli, ["--db", str(path), "edit", "rating-2019-01-overall-inadequate",
                                      *(w for one in sets for w in ("--set", one))])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert ("which the claim does not say" in result.stderr) is warned
