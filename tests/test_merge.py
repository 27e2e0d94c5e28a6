"""facts merge: two stores grown from one base merge by record id, field by field; as git's merge driver."""

import copy
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner
from conftest import conflict, rating_fact, role_fact, write_store

from factcli.cli import cli
from factcli.core.validation import store_problems
from factcli.curation.merge import ABSENT, merge_record, merge_tables, merge_value

RATING = "rating-2019-01-overall-inadequate"
ROLE = "role-diane-booth-dcs"
AT = "2026-01-0{}T10:00:00Z"


def tables_of(*facts, sources=None, conflicts=None, path=None):
    """A store's tables as the tool writes them (through write_store), read back as data."""
    return json.loads(write_store(path, list(facts), sources, conflicts).read_text(encoding="utf-8"))


@pytest.fixture
def store(tmp_path):
    """tables_of, writing into tmp_path."""
    counter = iter(range(1000))
    return lambda *facts, **kw: tables_of(*facts, path=tmp_path / f"s{next(counter)}.json", **kw)


def facts_by_id(tables):
    return {record["id"]: record for record in tables["facts"].values()}


def plan_fact(**overrides):
    fact = {
        "id": "plan-2019-02-improvement",
        "kind": "plan",
        "claim": "In February 2019 Diane Booth said a 12-week improvement plan was being laid out.",
        "date": "2019-02",
        "date_note": None,
        "owner": "Blackpool Council",
        "citations": [{"source": "gazette-2019", "quote": "Ms Booth said a 12-week improvement plan was being laid out."}],
    }
    return fact | overrides


# merge_value and merge_record: one key, one record


@pytest.mark.parametrize(
    ("base", "ours", "theirs", "merged"),
    [
        ("a", "a", "b", "b"),  # theirs changed it
        ("a", "b", "a", "b"),  # ours changed it
        ("a", "b", "b", "b"),  # both made the same change
        (ABSENT, "b", ABSENT, "b"),  # ours added it
        ("a", ABSENT, "a", ABSENT),  # ours removed it
        (1, 1, True, True),  # true is not 1 in JSON
    ],
)
def test_a_change_on_one_side_or_the_same_on_both_is_taken(base, ours, theirs, merged):
    assert merge_value("date_note", base, ours, theirs) == (merged, False)


def test_different_changes_to_one_key_clash_and_keep_ours():
    assert merge_value("date_note", "a", "b", "c") == ("b", True)
    assert merge_value("date_note", "a", ABSENT, "c") == (ABSENT, True)


def test_edits_to_different_fields_of_one_record_are_both_kept():
    base = rating_fact()
    ours = rating_fact(date_note="Printed as January.")
    theirs = rating_fact(inspected="2018-12")
    merged, clashes = merge_record(base, ours, theirs)
    assert merged == rating_fact(date_note="Printed as January.", inspected="2018-12")
    assert clashes == []


def test_the_same_field_changed_differently_is_a_clash_naming_the_three_values():
    merged, clashes = merge_record(rating_fact(), rating_fact(judgment="good"), rating_fact(judgment="outstanding"))
    assert merged["judgment"] == "good"
    assert clashes == [("judgment", "inadequate", "good", "outstanding")]


def test_both_sides_marking_a_change_keep_the_later_time_and_the_earlier_added():
    base = rating_fact(added=AT.format(1), changed=AT.format(1))
    ours = rating_fact(added=AT.format(1), changed=AT.format(3), date_note="Ours.")
    theirs = rating_fact(added=AT.format(1), changed=AT.format(2), inspected="2018-12")
    merged, clashes = merge_record(base, ours, theirs)
    assert (merged["changed"], clashes) == (AT.format(3), [])
    assert merge_value("added", ABSENT, AT.format(2), AT.format(1)) == (AT.format(1), False)


def test_history_keeps_both_sides_new_entries_oldest_first():
    shared = [{"action": "retracted", "at": AT.format(1), "reason": "r"}]
    ours = shared + [{"action": "restored", "at": AT.format(3), "reason": "s"}]
    theirs = shared + [{"action": "renamed", "at": AT.format(2), "from": "old"}]
    merged, clashed = merge_value("history", shared, ours, theirs)
    assert not clashed
    assert [entry["action"] for entry in merged] == ["retracted", "renamed", "restored"]


def test_history_rewritten_on_one_side_clashes():
    shared = [{"action": "retracted", "at": AT.format(1), "reason": "r"}]
    ours = [{"action": "retracted", "at": AT.format(1), "reason": "other"}]
    theirs = shared + [{"action": "restored", "at": AT.format(2), "reason": "s"}]
    assert merge_value("history", shared, ours, theirs) == (ours, True)


CITE_A = {"source": "gazette-2019", "quote": "In January the department was branded inadequate by Ofsted"}
CITE_B = {"source": "gazette-2019", "quote": "Diane Booth told a meeting"}
CITE_C = {"source": "gazette-2019", "quote": "a 12-week improvement plan"}
ANCHOR = {"start": 0, "end": 10, "prefix": "", "suffix": " the"}


def test_citations_added_on_both_sides_are_all_kept_ours_first():
    merged, clashed = merge_value("citations", [CITE_A], [CITE_A, CITE_B], [CITE_A, CITE_C])
    assert (merged, clashed) == ([CITE_A, CITE_B, CITE_C], False)


def test_a_citation_anchored_on_one_side_and_another_added_on_the_other_are_both_kept():
    merged, clashed = merge_value("citations", [CITE_A], [CITE_A | ANCHOR], [CITE_A, CITE_B])
    assert (merged, clashed) == ([CITE_A | ANCHOR, CITE_B], False)


@pytest.mark.parametrize(
    ("base", "ours", "theirs"),
    [
        ([CITE_A], [CITE_B], [CITE_A, CITE_C]),  # ours replaced a quote
        ([CITE_A], [CITE_A | ANCHOR], [CITE_A | ANCHOR | {"start": 1}]),  # both anchored it, differently
        ([CITE_A | ANCHOR], [CITE_A | ANCHOR | {"start": 2}], [CITE_A | ANCHOR | {"prefix": "x"}]),  # one span, halves
        ([CITE_A], [CITE_A, CITE_A], [CITE_A, CITE_B]),  # a quote twice
    ],
)
def test_citations_that_cannot_be_told_apart_safely_clash(base, ours, theirs):
    assert merge_value("citations", base, ours, theirs) == (ours, True)


# merge_tables: whole stores


def test_both_sides_new_facts_under_the_same_document_id_are_both_kept_in_order(store):
    base = store(rating_fact(), role_fact())
    ours = store(rating_fact(), role_fact(), plan_fact())
    theirs = store(rating_fact(), role_fact(), plan_fact(id="plan-other", claim="Another plan was laid out."))
    assert set(ours["facts"]) == set(theirs["facts"]) == {"1", "2", "3"}  # the clash git would see
    merged = merge_tables(base, ours, theirs)
    assert merged.clashes == []
    assert [merged.tables["facts"][doc]["id"] for doc in ("1", "2", "3", "4")] == [
        RATING,
        ROLE,
        "plan-2019-02-improvement",
        "plan-other",
    ]
    assert store_problems(merged.tables) == []


def test_a_record_deleted_on_one_side_and_unchanged_on_the_other_is_deleted(store):
    base = store(rating_fact(), role_fact())
    merged = merge_tables(base, store(rating_fact(), role_fact(date_note="Ours.")), store(role_fact()))
    assert list(facts_by_id(merged.tables)) == [ROLE]
    assert facts_by_id(merged.tables)[ROLE]["date_note"] == "Ours."
    assert merged.clashes == []


@pytest.mark.parametrize("deleted_in", ["ours", "theirs"])
def test_deleted_against_changed_is_a_clash_keeping_ours_with_theirs_recoverable(store, deleted_in):
    base = store(rating_fact(), role_fact())
    changed = store(rating_fact(judgment="good"), role_fact())
    deleted = store(role_fact())
    ours, theirs = (deleted, changed) if deleted_in == "ours" else (changed, deleted)
    merged = merge_tables(base, ours, theirs)
    [clash] = merged.clashes
    assert (clash.record_id, clash.field) == (RATING, None)
    assert (RATING in facts_by_id(merged.tables)) == (deleted_in == "theirs")
    expected = rating_fact(judgment="good") if deleted_in == "ours" else ABSENT
    assert merged.theirs[("facts", RATING)] == expected
    assert store_problems(merged.tables) == []


def test_facts_added_on_both_sides_with_one_id_keep_ours_whole_and_theirs_recoverable(store):
    base = store(rating_fact())
    ours = store(rating_fact(), plan_fact())
    theirs_plan = plan_fact(claim="In 2019 the council set out a plan.", owner="the council")
    theirs = store(rating_fact(), theirs_plan)
    merged = merge_tables(base, ours, theirs)
    assert facts_by_id(merged.tables)["plan-2019-02-improvement"] == plan_fact()
    assert sorted(clash.field for clash in merged.clashes) == ["claim", "owner"]
    assert merged.theirs[("facts", "plan-2019-02-improvement")] == theirs_plan


def test_the_same_fact_added_on_both_sides_is_kept_once(store):
    base = store(rating_fact())
    ours = store(rating_fact(), plan_fact(added=AT.format(2), changed=AT.format(2)))
    theirs = store(rating_fact(), plan_fact(added=AT.format(1), changed=AT.format(1)))
    merged = merge_tables(base, ours, theirs)
    assert merged.clashes == []
    assert list(facts_by_id(merged.tables)) == [RATING, "plan-2019-02-improvement"]
    assert facts_by_id(merged.tables)["plan-2019-02-improvement"]["added"] == AT.format(1)


def test_two_new_facts_with_one_claim_are_a_clash_not_a_broken_store(store):
    base = store(rating_fact())
    ours = store(rating_fact(), plan_fact())
    theirs = store(rating_fact(), plan_fact(id="plan-theirs", claim=plan_fact()["claim"].upper()))
    merged = merge_tables(base, ours, theirs)
    assert store_problems(merged.tables) == []
    assert list(facts_by_id(merged.tables)) == [RATING, "plan-2019-02-improvement"]
    [clash] = merged.clashes
    assert clash.record_id == "plan-theirs" and "duplicate claim" in clash.reason
    assert merged.theirs[("facts", "plan-theirs")]["id"] == "plan-theirs"


def test_a_claim_edited_in_theirs_to_match_a_new_fact_of_ours_is_left_out(store):
    """The duplicate is reported on ours' new fact (later in order); the edit of theirs is what goes."""
    base = store(rating_fact(), role_fact())
    ours = store(rating_fact(), role_fact(), plan_fact())
    theirs = store(rating_fact(), role_fact(claim=plan_fact()["claim"], date_note="Theirs."))
    merged = merge_tables(base, ours, theirs)
    assert store_problems(merged.tables) == []
    assert facts_by_id(merged.tables)[ROLE] == role_fact()
    assert merged.theirs[("facts", ROLE)]["date_note"] == "Theirs."


def test_a_fact_renamed_on_one_side_and_edited_on_the_other_is_one_fact_with_both(store):
    renamed = rating_fact(id="rating-2019-renamed", history=[{"action": "renamed", "at": AT.format(1), "from": RATING}])
    base = store(rating_fact(), conflicts=[conflict()])
    ours = store(renamed, conflicts=[conflict(facts=["rating-2019-renamed"])])
    theirs_conflict = conflict(id="another", note="Theirs names the old id.")
    theirs = store(rating_fact(date_note="Theirs."), conflicts=[conflict(), theirs_conflict])
    merged = merge_tables(base, ours, theirs)
    assert merged.clashes == []
    assert facts_by_id(merged.tables) == {"rating-2019-renamed": renamed | {"date_note": "Theirs."}}
    assert [c["facts"] for c in merged.tables["conflicts"].values()] == [["rating-2019-renamed"]] * 2
    assert store_problems(merged.tables) == []


def test_a_table_without_record_ids_merges_its_records_field_by_field(store):
    """TinyDB's _default (like the store's meta record) is matched by document id."""
    base, ours, theirs = store(rating_fact()), store(rating_fact()), store(rating_fact())
    base["_default"] = {"1": {"title": "T", "subject": "S"}}
    ours["_default"] = {"1": {"title": "Ours", "subject": "S"}}
    theirs["_default"] = {"1": {"title": "T", "subject": "Theirs"}}
    merged = merge_tables(base, ours, theirs)
    assert merged.tables["_default"] == {"1": {"title": "Ours", "subject": "Theirs"}}
    theirs["_default"]["1"]["title"] = "Theirs"
    [clash] = merge_tables(base, ours, theirs).clashes
    assert (clash.table, clash.record_id, clash.field) == ("_default", "#1", "title")


def test_with_no_common_ancestor_both_sides_records_are_kept(store):
    merged = merge_tables({}, store(rating_fact()), store(role_fact()))
    assert list(facts_by_id(merged.tables)) == [RATING, ROLE]
    assert merged.clashes == []


def test_merging_never_changes_its_inputs(store):
    base, ours, theirs = store(rating_fact()), store(rating_fact(judgment="good")), store(rating_fact(judgment="outstanding"))
    copies = copy.deepcopy((base, ours, theirs))
    merge_tables(base, ours, theirs)
    assert (base, ours, theirs) == copies


# facts merge BASE OURS THEIRS [PATH]: files, messages and exit codes


def write(path, tables):
    path.write_text(json.dumps(tables, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def three_files(tmp_path, ours_judgment="good", theirs_judgment="outstanding"):
    base = write_store(tmp_path / "base.json", [rating_fact(), role_fact()])
    ours = write_store(tmp_path / "ours.json", [rating_fact(judgment=ours_judgment), role_fact()])
    theirs = write_store(tmp_path / "theirs.json", [rating_fact(judgment=theirs_judgment), role_fact(date_note="T.")])
    return base, ours, theirs


def test_a_clean_merge_replaces_ours_and_exits_0(tmp_path):
    base, ours, theirs = three_files(tmp_path, theirs_judgment="inadequate")
    result = CliRunner().invoke(cli, ["merge", str(base), str(ours), str(theirs)])
    assert (result.exit_code, result.stderr) == (0, "")
    merged = json.loads(ours.read_text(encoding="utf-8"))
    assert store_problems(merged) == []
    assert facts_by_id(merged)[RATING]["judgment"] == "good"
    assert facts_by_id(merged)[ROLE]["date_note"] == "T."
    assert not list(tmp_path.glob("*.theirs*.json"))


def test_a_clash_prints_one_line_each_and_writes_theirs_beside_the_path_given(tmp_path):
    base, ours, theirs = three_files(tmp_path)
    (tmp_path / "data").mkdir()
    result = CliRunner().invoke(cli, ["merge", str(base), str(ours), str(theirs), str(tmp_path / "data" / "facts.json")])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f'fact {RATING}, judgment: ours "good", theirs "outstanding"'
    assert lines[1].startswith("Error: 1 clash: ours kept in ") and lines[1].endswith("facts.theirs.json")
    assert len(lines) == 2
    merged = json.loads(ours.read_text(encoding="utf-8"))
    assert store_problems(merged) == [] and facts_by_id(merged)[ROLE]["date_note"] == "T."
    side = json.loads((tmp_path / "data" / "facts.theirs.json").read_text(encoding="utf-8"))
    [record] = side["records"]
    assert record["clashes"] == [{"field": "judgment", "base": "inadequate", "ours": "good", "theirs": "outstanding"}]
    assert record["theirs"] == rating_fact(judgment="outstanding")


def test_a_dry_run_prints_the_merge_and_the_clashes_and_writes_nothing(tmp_path):
    base, ours, theirs = three_files(tmp_path)
    before = ours.read_bytes()
    result = CliRunner().invoke(cli, ["merge", "--dry-run", str(base), str(ours), str(theirs)])
    assert result.exit_code == 1
    assert facts_by_id(json.loads(result.stdout))[ROLE]["date_note"] == "T."
    assert result.stderr.splitlines()[-1].endswith("theirs' side would go in " + str(tmp_path / "ours.theirs.json"))
    assert ours.read_bytes() == before and not list(tmp_path.glob("*.theirs*.json"))


def test_a_batch_refuses_a_merge_unless_it_allows_writes(tmp_path):
    base, ours, theirs = three_files(tmp_path, theirs_judgment="inadequate")
    before = ours.read_bytes()
    request = json.dumps(["merge", str(base), str(ours), str(theirs)]) + "\n"
    reply = json.loads(CliRunner().invoke(cli, ["batch"], input=request).stdout)
    assert reply["exit"] == 2 and "changes a store" in reply["error"]
    assert ours.read_bytes() == before


def test_an_earlier_side_file_is_never_overwritten(tmp_path):
    base, ours, theirs = three_files(tmp_path)
    (tmp_path / "ours.theirs.json").write_text("earlier\n")
    (tmp_path / "ours.theirs.2.json").symlink_to(tmp_path / "elsewhere")
    result = CliRunner().invoke(cli, ["merge", str(base), str(ours), str(theirs)])
    assert result.exit_code == 1
    assert (tmp_path / "ours.theirs.json").read_text() == "earlier\n"
    assert not (tmp_path / "elsewhere").exists()
    assert json.loads((tmp_path / "ours.theirs.3.json").read_text())["records"][0]["id"] == RATING


def test_long_values_are_shortened_and_control_characters_shown_on_the_clash_line(tmp_path):
    base, ours, theirs = three_files(tmp_path, "good", "good")
    write_store(ours, [rating_fact(date_note="x" * 200), role_fact()])
    write_store(theirs, [rating_fact(date_note="\x1b[31mred"), role_fact()])
    result = CliRunner().invoke(cli, ["merge", str(base), str(ours), str(theirs)])
    line = result.stderr.splitlines()[0]
    assert line.startswith(f'fact {RATING}, date_note: ours "xxx') and "…, theirs " in line
    assert line.endswith(r'theirs "\u001b[31mred"') and "\x1b" not in result.stderr


@pytest.mark.parametrize(
    ("which", "content", "message"),
    [
        ("ours", "not json", "ours: "),
        ("theirs", "[]", "theirs: "),
        ("theirs", '{"facts": [], "sources": {}}', "theirs: "),
        ("ours", json.dumps({"facts": {"1": {"id": "x"}}, "sources": {}}), "ours: store "),
        ("theirs", json.dumps({"facts": {"1": {"id": "x"}}, "sources": {}}), "theirs: store "),
        ("base", "{\"facts\": 3}", "base: "),
        ("base", None, "base: store not found"),
    ],
)
def test_an_input_that_is_not_a_store_is_one_line_exit_1_and_nothing_written(tmp_path, which, content, message):
    files = dict(zip(("base", "ours", "theirs"), three_files(tmp_path)))
    if content is None:
        files[which].unlink()
    else:
        files[which].write_text(content)
    before = files["ours"].read_bytes() if files["ours"].exists() else None
    result = CliRunner().invoke(cli, ["merge", *map(str, files.values())])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: {message}") and line.endswith("nothing merged"), line
    assert "Traceback" not in result.output
    assert (files["ours"].read_bytes() if files["ours"].exists() else None) == before
    assert not list(tmp_path.glob("*.theirs*.json"))


def test_an_empty_base_is_no_common_ancestor(tmp_path):
    _, ours, theirs = three_files(tmp_path, "good", "good")
    (tmp_path / "empty").write_text("")
    result = CliRunner().invoke(cli, ["merge", str(tmp_path / "empty"), str(ours), str(theirs)])
    assert result.exit_code == 1  # added on both sides, differently: the role's date note
    assert "role-diane-booth-dcs, date_note" in result.stderr


def test_a_merge_killed_at_any_moment_leaves_ours_as_it_was_or_merged(tmp_path):
    many = [rating_fact(id=f"rating-{n}", claim=f"Claim number {n}.") for n in range(3000)]
    base = write_store(tmp_path / "base.json", many)
    theirs = write_store(tmp_path / "theirs.json", many + [role_fact()])
    # From before start-up is over to after the write (a merge of this store takes about 0.4 s).
    for delay in (0.05 * step for step in range(1, 17)):
        ours = write_store(tmp_path / "ours.json", many + [plan_fact()])
        before = ours.read_bytes()
        merge = subprocess.Popen([sys.executable, "-m", "factcli", "merge", base, ours, theirs], stderr=subprocess.DEVNULL)
        time.sleep(delay)
        merge.send_signal(signal.SIGKILL)
        merge.wait()
        after = json.loads(ours.read_text(encoding="utf-8"))
        assert store_problems(after) == []
        assert len(after["facts"]) == (3001 if ours.read_bytes() == before else 3002)


def test_too_few_arguments_is_a_usage_error():
    assert CliRunner().invoke(cli, ["merge", "a", "b"]).exit_code == 2


# With git: the merge driver in a real repository


def git(repo, *args, check=True):
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Curator",
        "GIT_AUTHOR_EMAIL": "curator@example.org",
        "GIT_COMMITTER_NAME": "Curator",
        "GIT_COMMITTER_EMAIL": "curator@example.org",
    }
    result = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def facts(repo, *args):
    """This checkout's facts, on the repository's store, as a curator runs it."""
    env = {**os.environ, "FACTS_DB": "data/facts.json"}
    result = subprocess.run([sys.executable, "-m", "factcli", *args], cwd=repo, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def repo(tmp_path):
    """A git repository holding the tiny store at data/facts.json, merged by this checkout's facts."""
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    write_store(repo / "data" / "facts.json")
    git(repo, "init", "-q", "-b", "main")
    # sys.executable, not facts on PATH: the test runs this checkout whatever is installed.
    git(repo, "config", "merge.facts.driver", f"{sys.executable} -m factcli merge %O %A %B %P")
    git(repo, "config", "merge.facts.recursive", "binary")
    (repo / ".gitattributes").write_text("data/facts.json merge=facts\n")
    (repo / ".gitignore").write_text("*.lock\n")  # the write lock facts keeps beside the store
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "A store")
    return repo


def add_plan(repo, fact_id, claim):
    facts(repo, "add", "--kind", "plan", "--id", fact_id, "--claim", claim, "--date", "2019-02", "--date-basis", "reported",
          "--source", "gazette-2019", "--quote", "a 12-week improvement plan was being laid out",
          "--field", "owner=Blackpool Council", "--allow-duplicate")


def branch(repo, name, *edits, add=None):
    git(repo, "switch", "-q", "-c", name, "main")
    if add:
        add_plan(repo, *add)
    for field, value in edits:
        facts(repo, "edit", RATING, "--set", f"{field}={value}")
    git(repo, "commit", "-q", "-am", name)


def stored(repo):
    return json.loads((repo / "data" / "facts.json").read_text(encoding="utf-8"))


def test_git_merges_two_curators_new_facts_and_edits_to_one_fact_cleanly(repo):
    branch(repo, "alice", ("date_note", "Printed as January."), add=("plan-alice", "Alice's plan was laid out in 2019."))
    branch(repo, "bob", ("inspected", "2018-12"), add=("plan-bob", "Bob's plan was laid out in 2019."))
    # Both new facts took TinyDB's next document id: a line-by-line merge would conflict there.
    assert git(repo, "show", "alice:data/facts.json").stdout.count('"3": {') == 1
    assert git(repo, "show", "bob:data/facts.json").stdout.count('"3": {') == 1
    git(repo, "switch", "-q", "alice")
    merged = git(repo, "merge", "-q", "--no-edit", "bob", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert git(repo, "status", "--porcelain").stdout == ""
    tables = stored(repo)
    assert store_problems(tables) == []
    by_id = facts_by_id(tables)
    assert list(by_id) == [RATING, ROLE, "plan-alice", "plan-bob"]
    assert (by_id[RATING]["date_note"], by_id[RATING]["inspected"]) == ("Printed as January.", "2018-12")
    assert facts(repo, "validate").stdout.startswith("OK: 4 facts")


def test_git_reports_a_true_clash_and_leaves_a_valid_store_that_keeps_both_values(repo):
    branch(repo, "alice", ("date_note", "Alice's note."), ("inspected", "2018-12"))
    branch(repo, "bob", ("date_note", "Bob's note."))
    git(repo, "switch", "-q", "alice")
    merged = git(repo, "merge", "--no-edit", "bob", check=False)
    assert merged.returncode != 0
    assert "CONFLICT (content): Merge conflict in data/facts.json" in merged.stdout
    assert f'fact {RATING}, date_note: ours "Alice\'s note.", theirs "Bob\'s note."' in merged.stderr
    assert git(repo, "status", "--porcelain").stdout.splitlines() == ["UU data/facts.json", "?? data/facts.theirs.json"]
    tables = stored(repo)
    assert store_problems(tables) == []
    assert facts_by_id(tables)[RATING]["date_note"] == "Alice's note."
    assert facts_by_id(tables)[RATING]["inspected"] == "2018-12"
    side = json.loads((repo / "data" / "facts.theirs.json").read_text(encoding="utf-8"))
    assert side["records"][0]["theirs"]["date_note"] == "Bob's note."
    # Resolving as docs/curating-with-git.md says: take theirs' value, mark resolved, commit.
    facts(repo, "edit", RATING, "--set", "date_note=Bob's note.")
    (repo / "data" / "facts.theirs.json").unlink()
    git(repo, "add", "data/facts.json")
    git(repo, "commit", "-q", "--no-edit")
    assert facts_by_id(stored(repo))[RATING]["date_note"] == "Bob's note."
    assert facts(repo, "validate").stdout.startswith("OK: 2 facts")


def test_a_clash_settled_differently_on_criss_crossed_branches_is_reported_again(repo):
    """git merges the two common ancestors first; as binary, that merge is the older base, so
    the two settlements of one clash meet as a clash, not as a change on one side."""
    branch(repo, "alice", ("date_note", "Alice's note."))
    branch(repo, "bob", ("date_note", "Bob's note."))
    alice, bob = (git(repo, "rev-parse", name).stdout.strip() for name in ("alice", "bob"))
    for name, other in (("alice", bob), ("bob", alice)):  # each takes the other's work, keeping its own note
        git(repo, "switch", "-q", name)
        git(repo, "merge", "-q", "--no-edit", other, check=False)
        (repo / "data" / "facts.theirs.json").unlink()
        git(repo, "add", "data/facts.json")
        git(repo, "commit", "-q", "--no-edit")
    git(repo, "switch", "-q", "alice")
    facts(repo, "edit", RATING, "--set", "inspected=2018-12")
    git(repo, "commit", "-q", "-am", "alice again")
    merged = git(repo, "merge", "--no-edit", "bob", check=False)
    assert merged.returncode != 0
    assert f'fact {RATING}, date_note: ours "Alice\'s note.", theirs "Bob\'s note."' in merged.stderr
    assert sorted(path.name for path in (repo / "data").glob("*.theirs*.json")) == ["facts.theirs.json"]
    side = json.loads((repo / "data" / "facts.theirs.json").read_text(encoding="utf-8"))
    assert side["records"][0]["clashes"][0]["base"] is None  # the store's first note, before either
    assert facts_by_id(stored(repo))[RATING]["inspected"] == "2018-12"
