"""Disagreements by command: add-conflict, and cite, edit, retract, restore, rename, show and log on conflict ids."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import conflict, rating_fact, role_fact, write_store

from factcli.cli import cli
from factcli.core.validation import store_problems

RATING_ID = "rating-2019-01-overall-inadequate"
ROLE_ID = "role-diane-booth-dcs"
NOTE = "The article dates the judgment January; its committee meeting came later."
SIDES = ["--cite", "gazette-2019:In January the department was branded inadequate", "--cite",
         "gazette-2019:Diane Booth told a meeting"]  # fmt: skip


def invoke(*args, input=None):
    return CliRunner().invoke(cli, [str(arg) for arg in args], input=input)


def tables(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def conflicts_of(path):
    return {record["id"]: record for record in (tables(path).get("conflicts") or {}).values()}


def add(*extra):
    return invoke("add-conflict", "--fact", RATING_ID, "--fact", ROLE_ID, "--note", NOTE, *SIDES, *extra)


def test_add_conflict_round_trip_validate_verify_show_retract_restore_rename(tiny_store, sources_dir):
    added = add("--caution", "--sources", sources_dir)
    assert added.exit_code == 0, added.stderr
    [conflict_id] = conflicts_of(tiny_store)
    assert conflict_id == "conflict-article-dates-judgment-committee"  # made from the note, as a fact's id from its claim
    record = conflicts_of(tiny_store)[conflict_id]
    assert record["contradiction"] is False and record["facts"] == [RATING_ID, ROLE_ID]
    assert all(isinstance(citation["start"], int) for citation in record["citations"])  # anchored
    assert invoke("validate").exit_code == 0
    verified = invoke("verify", "--sources", sources_dir)
    assert verified.exit_code == 0, verified.stdout
    assert "all 4 quotes found" in verified.stdout
    shown = json.loads(invoke("show", conflict_id, "--json").stdout)
    assert shown == json.loads(invoke("conflicts", "--json").stdout)
    assert shown[0]["note"] == NOTE and shown[0]["retracted"] is None
    # Flagged on its facts until retracted.
    assert json.loads(invoke("show", RATING_ID, "--json").stdout)[0]["conflicts"] == [conflict_id]
    assert invoke("retract", conflict_id, "--reason", "Settled by a later article.").exit_code == 0
    assert json.loads(invoke("show", RATING_ID, "--json").stdout)[0]["conflicts"] == []
    assert json.loads(invoke("conflicts", "--json").stdout) == []
    hidden = invoke("show", conflict_id)
    assert hidden.exit_code == 1 and "was retracted on" in hidden.stderr and "--include-retracted" in hidden.stderr
    kept = json.loads(invoke("conflicts", "--include-retracted", "--json").stdout)
    assert kept[0]["retracted"]["reason"] == "Settled by a later article."
    assert invoke("restore", conflict_id, "--reason", "It was not settled.").exit_code == 0
    assert json.loads(invoke("show", RATING_ID, "--json").stdout)[0]["conflicts"] == [conflict_id]
    assert invoke("rename", conflict_id, "judgment-or-meeting").exit_code == 0
    assert list(conflicts_of(tiny_store)) == ["judgment-or-meeting"]
    actions = [entry["action"] for entry in json.loads(invoke("log", "--json").stdout) if entry["id"] == "judgment-or-meeting"]
    assert actions == ["added", "retracted", "restored", "renamed"]
    assert store_problems(tables(tiny_store)) == []


def test_add_conflict_needs_contradiction_or_caution_saying_which(tiny_store):
    before = tiny_store.read_bytes()
    result = add()
    assert result.exit_code == 2
    assert "give --contradiction or --caution" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert tiny_store.read_bytes() == before
    assert add("--contradiction").exit_code == 0
    assert list(conflicts_of(tiny_store).values())[0]["contradiction"] is True


@pytest.mark.parametrize(
    "args, problem",
    [
        (["--fact", "no-such-fact", "--note", NOTE, *SIDES, "--caution"], "names unknown fact 'no-such-fact'"),
        (["--fact", RATING_ID, "--note", NOTE, SIDES[0], SIDES[1], "--caution"], "citations must be a list of at least two"),
        (["--fact", RATING_ID, "--note", NOTE, *SIDES, "--cite", "nowhere:words", "--caution"], "names unknown source 'nowhere'"),
        (["--note", NOTE, *SIDES, "--caution"], "facts must be a list of at least one fact id"),
        (["--fact", RATING_ID, "--note", NOTE, *SIDES, "--caution", "--id", RATING_ID], f"id {RATING_ID!r} is already used by another fact"),
    ],
)  # fmt: skip
def test_add_conflict_is_validated_with_the_whole_store_and_writes_nothing_when_refused(tiny_store, args, problem):
    before = tiny_store.read_bytes()
    result = invoke("add-conflict", *args)
    assert result.exit_code == 1
    assert problem in result.stderr
    assert tiny_store.read_bytes() == before


def test_add_conflict_checks_and_anchors_quotes_like_a_facts(tiny_store, sources_dir):
    result = invoke("add-conflict", "--fact", RATING_ID, "--note", NOTE, "--caution", "--sources", sources_dir,
                    "--cite", "gazette-2019:In January the department was branded inadequate",
                    "--cite", "gazette-2019:Diane Booth told the meeting")  # fmt: skip
    assert result.exit_code == 1
    assert "not found" in result.stderr and "did you mean: 'Diane Booth told a meeting'" in result.stderr


def test_add_conflict_dry_run_prints_it_and_writes_nothing(tiny_store):
    before = tiny_store.read_bytes()
    result = add("--caution", "--dry-run")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["note"] == NOTE
    assert "dry run: add-conflict not written" in result.stderr
    assert tiny_store.read_bytes() == before


def test_add_conflict_from_json_as_conflicts_prints_one(tiny_store, tmp_path):
    write_store(tiny_store, conflicts=[conflict()])
    shown = json.loads(invoke("conflicts", "--json").stdout)[0]
    shown.update(id="copy", note="A copy of the conflict, for the round trip.")
    document = tmp_path / "conflict.json"
    document.write_text(json.dumps(shown), encoding="utf-8")
    result = invoke("add-conflict", "--from", document)
    assert result.exit_code == 0, result.stderr
    copy = conflicts_of(tiny_store)["copy"]
    assert copy["citations"] == conflict()["citations"] and copy["contradiction"] is True
    both = invoke("add-conflict", "--from", document, "--caution")
    assert both.exit_code == 2 and "either as flags or as JSON" in both.stderr


def test_cite_and_edit_work_on_a_conflict_and_history_keeps_before_and_after(tiny_store, sources_dir):
    write_store(tiny_store, conflicts=[conflict()])
    cited = invoke("cite", "january-or-february", "--source", "gazette-2019", "--quote",
                   "Ms Booth said a 12-week improvement plan", "--sources", sources_dir)  # fmt: skip
    assert cited.exit_code == 0, cited.stderr
    edited = invoke("edit", "january-or-february", "--set", "contradiction=false", "--set", f"facts={RATING_ID},{ROLE_ID}")
    assert edited.exit_code == 0, edited.stderr
    record = conflicts_of(tiny_store)["january-or-february"]
    assert record["contradiction"] is False and record["facts"] == [RATING_ID, ROLE_ID]
    [cite_entry, edit_entry] = record["history"]
    assert cite_entry["changes"] == [
        {"field": "citations", "after": {"source": "gazette-2019", "quote": "Ms Booth said a 12-week improvement plan"}}
    ]
    assert edit_entry["changes"] == [
        {"field": "facts", "before": [RATING_ID], "after": [RATING_ID, ROLE_ID]},
        {"field": "contradiction", "after": False},
    ]
    bad = invoke("edit", "january-or-february", "--set", "contradiction=maybe")
    assert bad.exit_code == 1 and "contradiction must be true or false" in bad.stderr
    unknown = invoke("edit", "january-or-february", "--set", "facts=nope")
    assert unknown.exit_code == 1 and "names unknown fact 'nope'" in unknown.stderr
    assert invoke("validate").exit_code == 0


def test_edit_a_source_in_place_and_its_date_is_checked_against_the_facts_reporting_it(tiny_store):
    reported = rating_fact(date_basis="reported", date="2019-02", published="2019-02")
    write_store(tiny_store, facts=[reported, role_fact()])
    noted = invoke("edit", "gazette-2019", "--set", "published_note=Printed under the headline.")
    assert noted.exit_code == 0, noted.stderr
    source = next(iter(tables(tiny_store)["sources"].values()))
    assert source["published_note"] == "Printed under the headline."
    assert source["history"][0]["changes"] == [
        {"field": "published_note", "before": None, "after": "Printed under the headline."}
    ]
    moved = invoke("edit", "gazette-2019", "--set", "published=2020")
    assert moved.exit_code == 1
    assert "date 2019-02 is reported, but no citation's source was published then" in moved.stderr
    renamed = invoke("edit", "gazette-2019", "--set", "id=gazette")
    assert renamed.exit_code == 1 and "an edit keeps the id" in renamed.stderr


def test_edit_a_source_in_the_editor(tiny_store, monkeypatch, tmp_path):
    script = tmp_path / "editor.py"
    script.write_text(
        "import json, sys\n"
        "record = json.load(open(sys.argv[1]))\n"
        "record['url'] = 'https://example.org/plan'\n"
        "json.dump(record, open(sys.argv[1], 'w'))\n"
    )
    import sys

    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    result = invoke("edit", "gazette-2019")
    assert result.exit_code == 0, result.stderr
    assert next(iter(tables(tiny_store)["sources"].values()))["url"] == "https://example.org/plan"


def test_a_long_value_is_kept_in_history_as_its_start(tiny_store):
    long_note = "A note. " * 60
    assert invoke("edit", RATING_ID, "--set", f"date_note={long_note}").exit_code == 0
    [entry] = next(r for r in tables(tiny_store)["facts"].values() if r["id"] == RATING_ID)["history"]
    [change] = entry["changes"]
    assert change["before"] is None and change["shortened"] == ["after"]
    assert change["after"] == json.dumps(long_note)[:200]
    logged = [e for e in json.loads(invoke("log", "--json").stdout) if e["action"] == "edited"]
    assert [(e["field"], e["before"], e["shortened"]) for e in logged] == [("date_note", None, ["after"])]
    text = invoke("log").stdout
    assert "date_note: null -> " in text and "…" in text


def test_log_lists_each_field_an_edit_changed_with_before_and_after(tiny_store):
    assert invoke("edit", ROLE_ID, "--set", "start=2018", "--set", "start_basis=stated").exit_code == 0
    logged = [e for e in json.loads(invoke("log", "--json").stdout) if e["action"] == "edited"]
    assert [(e["record"], e["id"], e["field"], e["before"], e["after"]) for e in logged] == [
        ("fact", ROLE_ID, "start", None, "2018"),
        ("fact", ROLE_ID, "start_basis", None, "stated"),
    ]
    assert "start: null -> \"2018\"" in invoke("log").stdout


def test_an_id_is_looked_for_among_facts_then_conflicts(tiny_store):
    write_store(tiny_store, conflicts=[conflict()])
    missing = invoke("retract", "nope", "--reason", "x")
    assert missing.exit_code == 1 and "no fact or conflict with id 'nope'" in missing.stderr
    assert invoke("edit", "nope", "--set", "note=x").stderr.startswith("Error: no fact, conflict or source with id 'nope'")
    taken = invoke("rename", "january-or-february", ROLE_ID)
    assert taken.exit_code == 1 and f"id {ROLE_ID!r} is already used by another fact" in taken.stderr
