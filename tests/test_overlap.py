"""One rule of what is a duplicate, applied alike by add, add --from, edit, cite and restore."""

import json
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import POLICE_SOURCE, police_store, rating_fact, role_fact, write_store

from factcli.cli import cli
from factcli.core.validation import store_problems
from factcli.storage.location import BUNDLED_STORE

RATING_ID = "rating-2019-01-overall-inadequate"


def invoke(*args, input=None):
    return CliRunner().invoke(cli, [str(arg) for arg in args], input=input)


def tables(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def ids(path):
    return [record["id"] for record in tables(path)["facts"].values()]


@pytest.fixture
def bundled_copy(tmp_path, monkeypatch):
    """A copy of the bundled store, chosen as the store every command sees."""
    path = tmp_path / "bundled.json"
    shutil.copyfile(BUNDLED_STORE, path)
    monkeypatch.setenv("FACTS_DB", str(path))
    return path


def figure(**overrides):
    return {
        "kind": "figure",
        "claim": "Blackpool put an extra £4m into children's services.",
        "date": "2021-03",
        "date_basis": "stated",
        "value": 4000000,
        "unit": "GBP",
        "measure": "additional investment in children's services",
        "citations": [{"source": "gazette-2019", "quote": "an extra £4m, the council's own money"}],
        **overrides,
    }


def intervention(**overrides):
    return {
        "kind": "intervention",
        "claim": "The statutory direction on the council was lifted in 2024.",
        "date": "2024",
        "date_basis": "stated",
        "intervention": "statutory direction",
        "action": "lifted",
        "by": None,
        "citations": [{"source": "gazette-2019", "quote": "the direction was lifted"}],
        **overrides,
    }


def without_bookkeeping(record):
    return {key: value for key, value in record.items() if key not in ("id", "added", "changed", "history")}


# The five reworded duplicates, each against the fact on record it restates:
# (fact on record, the duplicate as a curator typed it).
def reworded(source):
    quoted = [{"source": source, "quote": "In a new article, the words that say it again."}]
    return [
        (
            RATING_ID,
            {
                **without_bookkeeping(rating_fact()), "claim": "A second report: the service was judged Inadequate in January 2019.",
                "date_basis": "stated", "service": "Children's Services", "citations": quoted,
            },
        ),
        (
            "role-johnston",
            {
                **without_bookkeeping(role_fact()), "claim": "David Johnston OBE MP was the children's minister.",
                "person": "David Johnston OBE MP", "role": "Minister for Children, Families and Wellbeing",
                "organisation": "UK Government", "post": None, "citations": quoted,
            },
        ),
        (
            "role-blackburn",
            {
                **without_bookkeeping(role_fact()), "claim": "Cllr Simon Blackburn led the council.", "person": "Cllr Simon Blackburn",
                "role": "Council Leader", "organisation": "Blackpool Council", "post": None, "citations": quoted,
            },
        ),
        ("figure-4m", figure(claim="The council found £4m more for the service.", citations=quoted)),
        ("intervention-lifted", intervention(claim="Ministers lifted the direction in June 2024.", date="2024-06", citations=quoted)),
    ]  # fmt: skip


def tiny_with_originals(path):
    """The tiny store with the fact on record of each of the five."""
    originals = [
        rating_fact(),
        role_fact(id="role-johnston", person="David Johnston", role="minister for children, families and wellbeing",
                  organisation="UK Government", post="children's minister",
                  claim="David Johnston was minister for children, families and wellbeing in 2024."),
        role_fact(id="role-blackburn", person="Simon Blackburn", role="Leader of Blackpool Council",
                  organisation="Blackpool Council", claim="Simon Blackburn was Leader of Blackpool Council in 2015."),
        {**figure(), "id": "figure-4m", "date_note": None},
        {**intervention(), "id": "intervention-lifted", "date_note": None},
    ]  # fmt: skip
    return write_store(path, facts=originals)


@pytest.mark.parametrize("number", range(5), ids=["rating", "minister", "leader", "figure", "intervention"])
def test_each_reworded_duplicate_is_refused_naming_the_fact_and_printing_its_cite_line(tiny_store, number):
    tiny_with_originals(tiny_store)
    before = tiny_store.read_bytes()
    on_record, duplicate = reworded("gazette-2019")[number]
    result = invoke("add", input=json.dumps(duplicate))
    assert result.exit_code == 1
    assert tiny_store.read_bytes() == before
    line = shlex.join(["facts", "cite", on_record, "--source", "gazette-2019", "--quote", duplicate["citations"][0]["quote"]])
    assert f"the same {duplicate['kind']} as fact {on_record!r}" in result.stderr
    assert line in result.stderr
    # The line printed is the command to run, as it is.
    cited = invoke(*shlex.split(line)[1:])
    assert cited.exit_code == 0, cited.stderr
    record = next(r for r in tables(tiny_store)["facts"].values() if r["id"] == on_record)
    assert record["citations"][-1]["quote"] == duplicate["citations"][0]["quote"]


def test_the_cite_line_of_a_change_to_a_store_named_by_db_names_it_too(tiny_store, tmp_path, monkeypatch):
    """Pasted, the suggested line changes the store the refused change was made to, not
    FACTS_DB's or the bundled one."""
    tiny_with_originals(tiny_store)
    named = tmp_path / "named.json"
    named.write_bytes(tiny_store.read_bytes())
    monkeypatch.delenv("FACTS_DB")
    _, duplicate = reworded("gazette-2019")[0]
    result = invoke("--db", str(named), "add", input=json.dumps(duplicate))
    assert result.exit_code == 1
    line = shlex.join(["facts", "--db", str(named), "cite", RATING_ID, "--source", "gazette-2019", "--quote",
                       duplicate["citations"][0]["quote"]])  # fmt: skip
    assert line in result.stderr
    assert invoke(*shlex.split(line)[1:]).exit_code == 0
    assert json.loads(named.read_text())["facts"]["1"]["citations"][-1]["quote"] == duplicate["citations"][0]["quote"]


def test_the_cite_line_of_a_change_checked_against_source_texts_checks_there_too(tiny_store, sources_dir):
    """Pasted, the suggested line checks its quote where the refused change checked it: a
    mistyped quote is refused there rather than stored unchecked."""
    tiny_with_originals(tiny_store)
    _, duplicate = reworded("gazette-2019")[0]
    result = invoke("add", "--sources", str(sources_dir), input=json.dumps(duplicate))
    assert result.exit_code == 1
    line = shlex.join(["facts", "cite", RATING_ID, "--source", "gazette-2019", "--quote",
                       duplicate["citations"][0]["quote"], "--sources", str(sources_dir)])  # fmt: skip
    assert line in result.stderr


@pytest.mark.parametrize("number", range(5), ids=["rating", "minister", "leader", "figure", "intervention"])
def test_allow_duplicate_adds_a_reworded_duplicate_with_a_warning(tiny_store, number):
    tiny_with_originals(tiny_store)
    on_record, duplicate = reworded("gazette-2019")[number]
    result = invoke("add", "--allow-duplicate", input=json.dumps(duplicate))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("warning: '")
    assert f"the same {duplicate['kind']} as fact {on_record!r}" in result.stderr
    assert "added anyway (--allow-duplicate)" in result.stderr
    assert store_problems(tables(tiny_store)) == []


BUNDLED_ON_RECORD = [
    RATING_ID,
    "role-david-johnston-minister-children-families-wellbeing",
    "role-simon-blackburn-leader-of-blackpool-council",
    "figure-4m-investment-childrens-services",
    "intervention-2024-statutory-direction-lifted",
]


def test_the_five_reworded_duplicates_are_refused_on_a_copy_of_the_bundled_store(bundled_copy):
    before = bundled_copy.read_bytes()
    for on_record, (_, duplicate) in zip(BUNDLED_ON_RECORD, reworded("gazette-2021-inspection-due")):
        result = invoke("add", input=json.dumps(duplicate))
        assert result.exit_code == 1, duplicate["claim"]
        assert f"as fact {on_record!r}" in result.stderr
        assert f"facts cite {on_record} --source gazette-2021-inspection-due --quote " in result.stderr
    assert bundled_copy.read_bytes() == before


def test_a_reworded_measure_is_near_a_warning_with_the_cite_line(tiny_store):
    tiny_with_originals(tiny_store)
    result = invoke("add", input=json.dumps(figure(claim="£4m went on social workers.", measure="money for social workers")))
    assert result.exit_code == 0, result.stderr
    assert "warning: " in result.stderr
    assert "near 'figure-4m' (a figure whose measure differs)" in result.stderr
    assert "facts cite figure-4m --source gazette-2019 --quote" in result.stderr


def test_the_same_claim_word_for_word_is_refused_even_when_allowed(tiny_store):
    result = invoke("add", "--allow-duplicate", input=json.dumps(figure(claim=rating_fact()["claim"].upper())))
    assert result.exit_code == 1
    assert f"the same claim is already fact {RATING_ID!r}" in result.stderr


def test_every_fact_of_the_bundled_store_edits_its_date_note(bundled_copy):
    facts = list(tables(bundled_copy)["facts"].values())
    assert len(facts) == 98
    refused = []
    for record in facts:
        result = invoke("edit", record["id"], "--set", "date_note=Checked against the source again.", "--dry-run")
        if result.exit_code != 0:
            refused.append((record["id"], result.stderr))
    assert refused == []


def test_an_edit_is_checked_only_for_what_it_changes(tiny_store):
    # Two facts already making one claim (added with --allow-duplicate): editing either is no duplicate now.
    twins = [rating_fact(), rating_fact(id="rating-twin", claim="The twin of the January 2019 judgment.")]
    write_store(tiny_store, facts=twins)
    assert invoke("edit", "rating-twin", "--set", "date_note=Checked.").exit_code == 0
    # An edit that makes a fact another's claim is refused, naming it.
    write_store(tiny_store, facts=[rating_fact(), rating_fact(id="rating-good", judgment="good", claim="Judged good.")])
    result = invoke("edit", "rating-good", "--set", "judgment=inadequate")
    assert result.exit_code == 1
    assert f"the same rating as fact {RATING_ID!r}" in result.stderr
    assert invoke("edit", "rating-good", "--set", "judgment=inadequate", "--allow-duplicate").exit_code == 0
    # A claim changed to another fact's, word for word, is refused.
    result = invoke("edit", "rating-good", "--set", f"claim={rating_fact()['claim']}", "--allow-duplicate")
    assert result.exit_code == 1 and "the same claim is already fact" in result.stderr


def test_a_quote_cite_accepts_never_stops_a_later_edit(tiny_store, sources_dir):
    invoke("anchor", "--sources", sources_dir)
    cited = invoke("cite", "role-diane-booth-dcs", "--source", "gazette-2019", "--quote", "branded inadequate by Ofsted",
                   "--sources", sources_dir)  # fmt: skip
    assert cited.exit_code == 0, cited.stderr
    assert f"overlaps one of fact {RATING_ID!r} (a rating)" in cited.stderr
    edited = invoke("edit", "role-diane-booth-dcs", "--set", "start=2019", "--set", "start_basis=stated",
                    "--sources", sources_dir)  # fmt: skip
    assert edited.exit_code == 0, edited.stderr
    assert "warning" not in edited.stderr


def statement(fact_id, speaker, quote, claim):
    return {
        "id": fact_id, "kind": "statement", "claim": claim, "date": "2019-02", "date_basis": "reported",
        "date_note": None, "speaker": speaker, "citations": [{"source": "gazette-2019", "quote": quote}],
    }  # fmt: skip


def test_cite_refuses_a_quote_that_makes_the_fact_another_facts_claim(tiny_store):
    said = "a 12-week improvement plan was being laid out"
    write_store(tiny_store, facts=[
        statement("statement-booth-plan", "Diane Booth", said, "Diane Booth said a plan was being laid out."),
        statement("statement-booth-meeting", "Ms Diane Booth", "Diane Booth told a meeting", "Diane Booth spoke to a meeting."),
    ])  # fmt: skip
    result = invoke("cite", "statement-booth-meeting", "--source", "gazette-2019", "--quote", said.upper())
    assert result.exit_code == 1
    assert "the same statement as fact 'statement-booth-plan'" in result.stderr
    allowed = invoke("cite", "statement-booth-meeting", "--source", "gazette-2019", "--quote", said.upper(), "--allow-duplicate")
    assert allowed.exit_code == 0, allowed.stderr


def test_restore_refuses_a_fact_another_now_restates_in_other_words(tiny_store):
    retracted = rating_fact(id="rating-old", claim="The old wording of the judgment.",
                            retracted={"reason": "Reworded as another fact.", "date": "2024-01-01"})  # fmt: skip
    write_store(tiny_store, facts=[rating_fact(), retracted])
    result = invoke("restore", "rating-old", "--reason", "Back.")
    assert result.exit_code == 1
    assert f"the same rating as fact {RATING_ID!r}" in result.stderr
    assert "retract that fact, or edit the claim of one of them, before restoring 'rating-old'" in result.stderr
    allowed = invoke("restore", "rating-old", "--reason", "Back: another inspection.", "--allow-duplicate")
    assert allowed.exit_code == 0, allowed.stderr
    assert "added anyway (--allow-duplicate)" in allowed.stderr


def test_the_rule_uses_the_stores_own_aliases_for_another_subject(tmp_path, monkeypatch):
    store = police_store(tmp_path / "police.json")
    monkeypatch.setenv("FACTS_DB", str(store))
    chief = {
        "kind": "role", "claim": "Ada Quill was the force's chief.", "date": "2023", "date_basis": "reported",
        "person": "Ada Quill", "role": "Chief", "organisation": "Northshire Police", "start": None, "end": None,
        "post": None, "citations": [{"source": POLICE_SOURCE["id"], "quote": "Chief Constable Ada Quill"}],
    }  # fmt: skip
    result = invoke("add", input=json.dumps(chief))
    assert result.exit_code == 1
    assert "the same role as fact 'role-2023-ada-quill-chief-constable'" in result.stderr


def test_an_import_refuses_a_duplicate_of_a_fact_earlier_in_the_same_import(tiny_store):
    first, second = figure(claim="One wording of the £4m."), figure(claim="Another wording of the £4m.")
    result = invoke("add", input=json.dumps([first, second]))
    assert result.exit_code == 1
    assert "item 2" in result.stderr and "the same figure as fact 'figure-2021-03" in result.stderr
    assert ids(tiny_store) == [RATING_ID, "role-diane-booth-dcs"]
