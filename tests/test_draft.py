"""Drafting candidate facts: furniture left out, dates resolved, anchors exact, output that add accepts."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import META, write_store

from factcli.cli import cli
from factcli.core.kinds import ANCHOR_CONTEXT as ANCHOR_CHARS
from factcli.core.meta import Meta
from factcli.curation import draft
from factcli.storage.location import BUNDLED_STORE
from factcli.storage.memory import load_whole

TINY_META = Meta.from_record(META)
ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles are in ../shared/seeds, absent here")

ARTICLE = """Council praised for progress

Image caption, The town hall
Hide Ad
  • Published
Home | Example Gazette
Follow us on Facebook and send story ideas to news@example.com

Two years ago, Ofsted rated the service as "inadequate".

Councillor Jane Smith, cabinet member for children's services, said: "We are proud of the progress we have made.

"Our staff have worked tirelessly for it."

Example Council has recruited 40 social workers since its new model was launched in March last year.
"""
FURNITURE_IN_ARTICLE = ["Council praised", "Image caption", "Hide Ad", "Published", "Home |", "Facebook"]

# Lines of each seed that are page furniture, and a claim each must still yield.
SEED_FURNITURE = {
    "000": (["Image caption", "Image source", "Published", "'Hard work'", "Listen to the best", "story ideas"],
            "The DfE directive has now been lifted"),
    "001": (["Current track", "Current show", "Dave Thomas", "12:00 am", "Artist", "Written by on"],
            "Two years ago, an Ofsted inspection rated the service"),
    "002": (["Have your say", "Plan taking shape"], "Ms Booth said a 12-week improvement plan"),
    "003": (["Hide Ad", "Simon BlackburnSimon Blackburn", "child protection services back on track\n"],
            "Today, we have 441 children in care in Blackpool."),
    "004": (["Home | Blackpool Gazette", "Town hall bosses are expecting", "inspection due next year"],
            "Ofsted carried out a monitoring visit in September 2021"),
}  # fmt: skip


def seed(prefix):
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def drafted(prefix):
    """Candidates of a seed, cited and dated by the bundled store's source for it."""
    return draft.draft_for(load_whole(BUNDLED_STORE), str(seed(prefix)))


def quotes(result):
    """Every quote the candidates cite: a claim said twice is one candidate citing both."""
    return [citation["quote"] for candidate in result.candidates for citation in candidate.record["citations"]]


def containing(result, words):
    found = [c for c in result.candidates if any(words in x["quote"] for x in c.record["citations"])]
    assert found, f"no candidate quotes {words!r}"
    return found[0]


def run(*args, **kwargs):
    return CliRunner().invoke(cli, [str(arg) for arg in args], **kwargs)


# --- candidates from a made-up article (no seeds needed) ------------------------------------


def test_draft_keeps_claims_and_leaves_out_furniture():
    result = draft.draft_text(ARTICLE, "2021-03-12", meta=TINY_META)
    assert [c.record["kind"] for c in result.candidates] == ["rating", "statement", "role", "statement", "figure"]
    for words in FURNITURE_IN_ARTICLE:
        assert not any(words in quote for quote in quotes(result)), words
    assert set(result.left_out) >= {"advert", "image", "navigation", "share", "stamp", "not a sentence"}


def test_draft_fills_the_fields_it_can():
    result = draft.draft_text(ARTICLE, "2021-03-12", meta=TINY_META)
    rating, statement, role, continued, figure = (c.record for c in result.candidates)
    assert rating["judgment"] == "inadequate"
    assert statement["speaker"] == "Jane Smith"
    assert (role["person"], role["role"]) == ("Jane Smith", "cabinet member for children's services")
    assert role["citations"][0]["quote"] == "Councillor Jane Smith, cabinet member for children's services"
    # A paragraph that opens a quotation again continues the last speaker's words.
    assert (continued["speaker"], continued["citations"][0]["quote"]) == (
        "Jane Smith",
        "Our staff have worked tirelessly for it.",
    )
    assert (figure["value"], figure["unit"]) == (40, "social workers")


def test_draft_of_an_unknown_file_cites_the_placeholder_and_needs_a_date_for_relative_dates():
    result = draft.draft_text(ARTICLE, meta=TINY_META)
    assert {c.record["citations"][0]["source"] for c in result.candidates} == {draft.PLACEHOLDER_SOURCE}
    rating = result.candidates[0].record
    assert rating["date"] is None
    assert "--published" in rating["date_note"]


@pytest.mark.parametrize(
    "sentence, published, date, note",
    [
        ("Two years ago, Ofsted rated it inadequate.", "2021-03-12", "2019", "about 2019"),
        ("It was launched in March last year.", "2021-03-12", "2020-03", "March last year"),
        ("An inspection is due next year.", "2021", "2022", "next year"),
        ("It is back on track three years after it was branded unacceptable.", "2015", "2015", "about 2012"),
        ("It was three years after the 2012 inspection.", "2015", "2015", "counted from 2012"),
        ("A commissioner is due to be appointed this month.", "2019-02", "2019-02", "this month"),
        ("Ofsted inspected in December 2018.", None, "2018-12", None),
        ("A reinspection is likely in autumn 2022.", "2021", "2022", "season"),
        ("She took over in the summer.", "2021", "2021", "season"),
        ("Written by on 12/03/2021 for the site.", None, "2021-03-12", "day/month/year"),
        ("In January the department was branded inadequate.", "2019-02", "2019-01", "nearest"),
        ("She is to retire in March.", "2021-11", "2022-03", "nearest"),
        ("Ofsted is due back on Friday February 22.", "2019-02", "2019-02-22", "year of publication"),
        ("It happened in November 2012.", "2015", "2012-11", None),
        ("It came in March this year.", "2021", "2021-03", "March this year"),
    ],
)
def test_dates_resolve_against_the_publication_date(sentence, published, date, note):
    mention = next(m for m in draft.dates_in(sentence, published) if m.date)
    assert mention.date == date
    assert (mention.note is None) if note is None else (note in mention.note)


def test_a_stretch_up_to_publication_is_dated_at_publication_and_says_when_it_began():
    [mention] = draft.dates_in("Over the past 18 months it improved.", "2021-03-12")
    assert (mention.date, mention.period) == ("2021-03-12", True)
    assert "2019-09" in mention.note


# --- the seeds --------------------------------------------------------------------------------


@needs_seeds
@pytest.mark.parametrize("prefix", sorted(SEED_FURNITURE))
def test_draft_on_each_seed_leaves_out_its_furniture(prefix):
    furniture, claim = SEED_FURNITURE[prefix]
    result = drafted(prefix)
    for words in furniture:
        assert not any(words in quote for quote in quotes(result)), words
    containing(result, claim)


@needs_seeds
@pytest.mark.parametrize("prefix", sorted(SEED_FURNITURE))
def test_every_candidate_quotes_its_span_of_the_file_exactly(prefix):
    text = seed(prefix).read_bytes().decode("utf-8")
    for candidate in drafted(prefix).candidates:
        citation = candidate.record["citations"][0]
        assert text[citation["start"] : citation["end"]] == citation["quote"]
        assert citation["prefix"] == text[max(0, citation["start"] - ANCHOR_CHARS) : citation["start"]]
        assert citation["suffix"] == text[citation["end"] : citation["end"] + ANCHOR_CHARS]
        assert citation["quote"] == citation["quote"].strip()


@needs_seeds
@pytest.mark.parametrize(
    "prefix, words, date",
    [
        ("001", "Two years ago", "2019"),
        ("001", "launched in March last year", "2020-03"),
        ("001", "who is to retire in March", "2021-03"),
        ("002", "In January the department", "2019-01"),
        ("002", "due to be appointed this month", "2019-02"),
        ("003", "An Ofsted report in July 2012", "2012-07"),
        ("004", "in March this year", "2021-03"),
        ("004", "in the summer", "2021"),
    ],
)
def test_relative_dates_in_the_seeds_resolve_against_their_publication(prefix, words, date):
    # The claim the phrase dates is offered: the sentence's, or a clause's of its own.
    found = [c.record["date"] for c in drafted(prefix).candidates if words in c.record["citations"][0]["quote"]]
    assert date in found


@needs_seeds
def test_next_year_in_a_2021_headline_is_2022():
    headline = seed("004").read_text(encoding="utf-8").splitlines()[0]
    assert [(m.text, m.date) for m in draft.dates_in(headline, "2021")] == [("next year", "2022")]


@needs_seeds
def test_seed_candidates_name_kinds_and_people():
    assert containing(drafted("001"), "Two years ago").record["judgment"] == "inadequate"
    role = next(c.record for c in drafted("002").candidates if c.record["kind"] == "role")
    assert (role["person"], role["role"]) == ("Diane Booth", "director of children's services")
    assert containing(drafted("003"), "441 children").record["value"] == 441
    assert containing(drafted("003"), "The findings in the report").record["speaker"] == "Simon Blackburn"
    assert containing(drafted("000"), "David Johnston, minister").people == ("David Johnston",)


# --- the command --------------------------------------------------------------------------------


@needs_seeds
@pytest.mark.parametrize("prefix", sorted(SEED_FURNITURE))
def test_draft_output_round_trips_through_add_on_an_empty_store(prefix, tmp_path):
    bundled = load_whole(BUNDLED_STORE)
    source = draft.registered(bundled, str(seed(prefix)))
    store = write_store(tmp_path / "empty.json", facts=[], sources=[source.to_record()])
    result = run("draft", seed(prefix), "--format", "jsonl", "--db", store)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines
    assert {json.loads(line)["citations"][0]["source"] for line in lines} == {source.id}
    candidates = tmp_path / "candidates.jsonl"
    candidates.write_text(result.stdout, encoding="utf-8")
    # A role candidate quotes a name and title inside a sentence another candidate quotes whole,
    # which add takes for a duplicate until the curator keeps one or says both are wanted.
    added = run("add", "--from", candidates, "--db", store, "--sources", SEEDS)
    assert added.exit_code == 0, added.stderr
    assert added.stdout.startswith(f"add: {len(lines)} facts" if len(lines) > 1 else "add: ")
    validated = run("validate", "--db", store)
    assert validated.exit_code == 0, validated.stdout
    assert f"OK: {len(lines)} facts" in validated.stdout


def test_draft_command_prints_json_candidates_and_writes_nothing(tmp_path, tiny_store):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    before = tiny_store.read_text(encoding="utf-8")
    result = run("draft", article, "--published", "2021-03-12", "--json")
    assert result.exit_code == 0, result.stderr
    candidates = json.loads(result.stdout)
    assert [c["date"] for c in candidates][:1] == ["2019"]
    assert candidates[1]["people"] == ["Jane Smith"]
    assert {c["citations"][0]["source"] for c in candidates} == {"SOURCE-ID"}
    assert tiny_store.read_text(encoding="utf-8") == before


def test_draft_command_shows_candidates_for_a_person(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = run("draft", article, "--published", "2021-03-12")
    assert result.exit_code == 0, result.stderr
    shown = " ".join(result.stdout.split())
    for words in ("1. rating 2019", "'Two years ago' in an article published 2021-03-12", "speaker Jane Smith",
                  "5 candidates", "SOURCE-ID", "Left out as page furniture", "Nothing was written"):  # fmt: skip
        assert words in shown, words
    assert "\x1b" not in result.stdout


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["--published", "March 2021"], 2, "not an ISO 8601 date"),
        (["--format", "jsonl", "--json"], 2, "--json conflicts"),
    ],
)
def test_draft_command_refuses_bad_options(tmp_path, args, code, message):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = run("draft", article, *args)
    assert result.exit_code == code
    assert message in result.stderr


def test_draft_command_reports_a_file_that_is_not_text_in_one_line(tmp_path):
    article = tmp_path / "article.txt"
    article.write_bytes(b"Caf\xe9 society.\n")
    result = run("draft", article)
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "not UTF-8" in result.stderr


@needs_seeds
def test_draft_metrics_script_prints_recall_and_furniture_per_seed():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "bench/draft_metrics.py"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    rows = [line.split("|") for line in result.stdout.splitlines() if line.startswith("| 00")]
    assert len(rows) == 5
    for row in rows:
        recall, furniture = row[5].strip(), row[6].strip()
        assert int(recall.rstrip("%")) >= 90, row
        assert furniture == "0", row


def test_a_date_of_a_clause_does_not_date_a_claim_in_the_present_perfect():
    text = "The Government has lifted an improvement notice that was placed on the council in November 2012.\n"
    candidate, clause = draft.draft_text(text, "2015", meta=TINY_META).candidates
    assert candidate.record["date"] == "2015"
    assert "'November 2012' dates a clause" in candidate.record["date_note"]
    # The clause is a claim of its own, quoted on its own and dated by its own words.
    assert clause.record["citations"][0]["quote"] == "an improvement notice that was placed on the council in November 2012"
    assert (clause.record["date"], clause.record["date_basis"]) == ("2012-11", "stated")
    [plain] = draft.draft_text("An improvement notice was placed on the council in November 2012.\n", "2015", meta=TINY_META).candidates
    assert plain.record["date"] == "2012-11"


@needs_seeds
def test_in_november_2012_resolves_to_that_month_while_the_lifting_is_dated_2015():
    lifted = containing(drafted("003"), "placed on the council in November 2012").record
    quote = lifted["citations"][0]["quote"]
    assert [(m.text, m.date) for m in draft.dates_in(quote, "2015")] == [("November 2012", "2012-11")]
    assert (lifted["kind"], lifted["action"], lifted["date"]) == ("intervention", "lifted", "2015")
