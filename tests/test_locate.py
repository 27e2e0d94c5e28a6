"""Finding the exact words of a source: closest_spans, facts quote, and the suggestion add makes."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SOURCE, SOURCE_TEXT, rating_fact

from factcli.cli import cli
from factcli.core.kinds import ANCHOR_CONTEXT as ANCHOR_CHARS
from factcli.curation.locate import closest_spans

ARTICLE = (
    "Headline\n\n"
    "Cllr Jane Smith said: \u201cWe are extremely proud of the progress our staff have made.\u201d\n\n"
    "The council\u2019s \u2018front door\u2019 was judged to be much improved by inspectors.\n"
    "Over \u00a34m was spent on recruiting more than 100 social workers.\n"
)
PROUD = "We are extremely proud of the progress our staff have made."


def run(*args):
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def assert_is_span(text, span):
    assert text[span.start : span.end] == span.quote
    assert span.prefix == text[max(0, span.start - ANCHOR_CHARS) : span.start]
    assert span.suffix == text[span.end : span.end + ANCHOR_CHARS]


@pytest.mark.parametrize(
    "wanted, expected",
    [
        ('said: "We are extremely proud of the progress our staff have made."', f"said: \u201c{PROUD}\u201d"),
        ("The council's 'front door' was judged", "The council\u2019s \u2018front door\u2019 was judged"),
        ("OVER  £4M WAS SPENT", "Over \u00a34m was spent"),
    ],
    ids=["curly for straight double quotes", "curly for straight single quotes", "case and spacing"],
)
def test_finds_the_exact_span_whatever_the_quote_marks(wanted, expected):
    spans = closest_spans(ARTICLE, wanted)
    assert [(span.quote, span.score) for span in spans] == [(expected, 1.0)]
    assert_is_span(ARTICLE, spans[0])


@pytest.mark.parametrize(
    "wanted, expected",
    [
        ("We are extremly proud of the progress our staff have made.", PROUD),
        ("We are proud of the progress our staff have made.", PROUD),
        ("was judged to be much improved by the inspectors", "was judged to be much improved by inspectors"),
        ("spent on recruiting over 100 social workers", "spent on recruiting more than 100 social workers"),
    ],
    ids=["a typo", "a dropped word", "an added word", "a changed phrase"],
)
def test_finds_the_closest_span_of_words_not_quite_in_the_text(wanted, expected):
    best = closest_spans(ARTICLE, wanted)[0]
    assert best.quote == expected
    assert 0.6 <= best.score < 1.0
    assert_is_span(ARTICLE, best)


@pytest.mark.parametrize("wanted", ["The weather in Paris was lovely all week", "zzz", "   "])
def test_gives_up_on_words_not_in_the_text(wanted):
    assert closest_spans(ARTICLE, wanted) == []


def test_spans_are_best_first_and_do_not_overlap():
    text = "The plan was approved. The plan was rejected. The plan was approved."
    spans = closest_spans(text, "the plan was approved", limit=3)
    assert [s.quote for s in spans] == ["The plan was approved", "The plan was approved"]
    assert spans[0].start < spans[1].start
    fuzzy = closest_spans(text, "the plans were approved", limit=3)
    assert fuzzy[0].quote in ("The plan was approved", "The plan was approved.")
    for one, other in zip(fuzzy, fuzzy[1:]):
        assert one.score >= other.score
        assert one.end <= other.start or other.end <= one.start


def test_offsets_count_code_points_of_the_text_as_it_is():
    text = "Caf\u00e9 \U0001f600 r\u00e9sum\u00e9\r\nThe inspectors returned in March."
    span = closest_spans(text, "the inspectors returned")[0]
    assert span.start == text.index("The inspectors")
    assert_is_span(text, span)


# --- facts quote --------------------------------------------------------------------------------


def test_quote_command_prints_the_span_and_its_anchor_as_json(sources_dir):
    result = run("quote", SOURCE["id"], "Ms Booth said a 12 week improvement plan", "--sources", sources_dir, "--json")
    assert result.exit_code == 0, result.stderr
    [found] = json.loads(result.stdout)
    assert found["source"] == SOURCE["id"]
    assert found["quote"] == "Ms Booth said a 12-week improvement plan"
    assert SOURCE_TEXT[found["start"] : found["end"]] == found["quote"]
    assert found["prefix"] == SOURCE_TEXT[: found["start"]][-ANCHOR_CHARS:]
    assert found["suffix"] == SOURCE_TEXT[found["end"] :][:ANCHOR_CHARS]
    assert 0.6 <= found["score"] < 1


def test_quote_command_takes_a_file_path_and_shows_the_span_for_a_person(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = run("quote", article, "we are extremely proud of the progress")
    assert result.exit_code == 0, result.stderr
    assert "We are extremely proud of the progress" in result.stdout
    assert "exact" in result.stdout
    assert str(ARTICLE.index("We are")) in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["gazette-2019", "The weather in Paris was lovely", "--sources", "{dir}"], "nothing in"),
        (["gazette", "Booth", "--sources", "{dir}"], "did you mean: gazette-2019"),
        (["gazette-2019", "Booth"], "give --sources"),
    ],
    ids=["nothing close", "unknown source", "no sources folder"],
)
def test_quote_command_gives_up_in_one_line(sources_dir, args, message):
    result = run("quote", *[arg.format(dir=sources_dir) for arg in args])
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert message in result.stderr
    assert result.stdout == ""


def test_add_suggests_the_closest_span_when_a_quote_is_not_in_the_source(sources_dir, tiny_store):
    before = Path(tiny_store).read_text(encoding="utf-8")
    fact = rating_fact(
        id="new-rating",
        claim="A different claim about the rating.",
        citations=[{"source": "gazette-2019", "quote": "In January the departmnt was branded inadequate"}],
    )
    result = CliRunner().invoke(cli, ["add", "--sources", str(sources_dir), "--from", "-"], input=json.dumps(fact))
    assert result.exit_code == 1
    assert "did you mean: 'In January the department was branded inadequate'?" in result.stderr
    assert Path(tiny_store).read_text(encoding="utf-8") == before


def test_quote_of_a_source_id_without_a_sources_folder_names_the_option(tiny_store, monkeypatch):
    monkeypatch.delenv("FACTS_SOURCES", raising=False)
    result = CliRunner().invoke(cli, ["--db", str(tiny_store), "quote", "gazette-2019", "Diane Booth"])
    assert result.exit_code == 1
    assert result.stderr == "Error: give --sources DIR (or set FACTS_SOURCES) to find the text of gazette-2019\n"
