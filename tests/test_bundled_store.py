"""The real bundled store: it validates, its quotes are in the sources, and it answers each year as they say."""

import datetime
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcli.cli import cli
from factcli.model import citations_of, fold
from factcli.store import BUNDLED_STORE

SEEDS = Path(__file__).parents[1] / ".." / "shared" / "seeds"
THIS_YEAR = datetime.date.today().year
YEARS = range(2010, THIS_YEAR + 1)

CP_2012 = "rating-2012-07-child-protection-inadequate"
OVERALL_2019 = "rating-2019-01-overall-inadequate"
OVERALL_2022 = "rating-2022-12-overall-requires-improvement"
CARE_2022 = "rating-2022-12-children-in-care-good"

# rating --year: (first year, last year) -> (ids in force, made in that year, next judgment on record).
# The last row runs to the current year.
RATINGS_IN_FORCE = [
    ((2010, 2011), ([], None, None)),
    ((2012, 2012), ([CP_2012], True, "2019-01")),
    ((2013, 2018), ([CP_2012], False, "2019-01")),
    ((2019, 2019), ([OVERALL_2019], True, "2022-12")),
    ((2020, 2021), ([OVERALL_2019], False, "2022-12")),
    ((2022, 2022), ([OVERALL_2022, CARE_2022], True, None)),
    ((2023, THIS_YEAR), ([OVERALL_2022, CARE_2022], False, None)),
]

# who --year: (first year, last year) -> the people whose tenure covers the year.
# The last row runs to the current year.
HOLDERS_IN_FORCE = [
    ((2010, 2014), set()),
    ((2015, 2018), {"Edward Timpson", "Simon Blackburn"}),
    ((2019, 2020), {"Edward Timpson", "Simon Blackburn", "Diane Booth"}),
    (
        (2021, 2021),
        {"Edward Timpson", "Simon Blackburn", "Diane Booth", "Vicky Gent", "Helen Lincoln", "Lynn Williams"},
    ),
    ((2022, 2023), {"Edward Timpson", "Vicky Gent", "Helen Lincoln", "Lynn Williams"}),
    ((2024, THIS_YEAR), {"David Johnston", "Vicky Gent", "Helen Lincoln", "Lynn Williams", "Jim Hobson"}),
]


def expected_for(table, year):
    [value] = [value for (first, last), value in table if first <= year <= last]
    return value


@pytest.fixture(autouse=True)
def bundled(monkeypatch):
    """Every test here reads the store that ships with the package, however FACTS_DB is set."""
    monkeypatch.delenv("FACTS_DB", raising=False)
    monkeypatch.delenv("FACTS_TODAY", raising=False)


def facts(*args):
    result = CliRunner().invoke(cli, ["--db", str(BUNDLED_STORE), *args])
    assert result.exit_code == 0, result.stderr
    return result


def answer(*args):
    return json.loads(facts(*args, "--json").stdout)


def test_tables_cover_every_year_from_2010_to_now():
    for table in (RATINGS_IN_FORCE, HOLDERS_IN_FORCE):
        for year in YEARS:
            expected_for(table, year)


def test_bundled_store_validates_clean():
    result = facts("validate")
    assert result.stdout.startswith("OK: ")
    assert result.stderr == ""


def test_bundled_store_is_found_without_db_or_facts_db():
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.stderr
    assert "OK: " in result.stdout


def test_bundled_store_quotes_are_in_the_source_texts():
    if not SEEDS.is_dir():
        pytest.skip(f"source texts not found at {SEEDS.resolve()}; verify needs the shared seeds folder")
    result = facts("verify", "--sources", str(SEEDS))
    assert result.stdout.startswith("OK: all ")


@pytest.mark.parametrize("year", YEARS)
def test_rating_year_gives_the_judgments_in_force(year):
    ids, made_in_year, next_judgment = expected_for(RATINGS_IN_FORCE, year)
    documents = answer("rating", "--year", str(year))
    assert [document["id"] for document in documents] == ids
    for document in documents:
        assert document["judgment"] and document["area"]
        assert document["made_in_year"] is made_in_year
        assert document["carried_forward"] is (not made_in_year)
        assert document["next_judgment"] == next_judgment


@pytest.mark.parametrize("year", YEARS)
def test_who_year_gives_the_holders_in_post(year):
    documents = answer("who", "--year", str(year))
    assert {document["person"] for document in documents} == expected_for(HOLDERS_IN_FORCE, year)


def test_rating_before_the_first_judgment_names_the_earliest():
    result = facts("rating", "--year", "2005", "--json")
    assert json.loads(result.stdout) == []
    assert "2012-07" in result.stderr


def test_rating_lists_every_judgment_in_date_order():
    assert [document["id"] for document in answer("rating")] == [CP_2012, OVERALL_2019, OVERALL_2022, CARE_2022]


@pytest.mark.parametrize(
    "role, people",
    [
        ("minister", {"Edward Timpson", "David Johnston"}),
        ("dcs", {"Diane Booth", "Vicky Gent"}),
        ("director", {"Diane Booth", "Vicky Gent"}),
        ("leader", {"Simon Blackburn", "Lynn Williams"}),
    ],
)
def test_who_role_finds_the_holders_on_record(role, people):
    assert {document["person"] for document in answer("who", "--role", role)} == people


def test_who_minister_tenures_hand_over_from_timpson_to_johnston():
    tenures = {document["person"]: document for document in answer("who", "--role", "minister")}
    assert tenures["Edward Timpson"]["next_holder"] == "David Johnston"
    assert tenures["David Johnston"]["tenure_end"] is None


def cited(document):
    """At least one citation with a quote, its source's title and its file."""
    return any(c["quote"].strip() and c["title"].strip() and c["file"].strip() for c in document["citations"])


@pytest.mark.parametrize(
    "args",
    [
        ["rating"],
        ["rating", "--year", "2019"],
        ["who"],
        ["who", "--role", "minister"],
        ["timeline", "--undated"],
        ["search"],
        ["search", "ofsted"],
    ],
    ids=" ".join,
)
def test_every_answer_on_the_bundled_store_is_cited(args):
    documents = answer(*args)
    assert documents
    for document in documents:
        assert cited(document), document["id"]


def test_every_fact_shown_on_its_own_is_cited():
    ids = [document["id"] for document in answer("search")]
    assert len(ids) >= 60
    for fact_id in ids:
        [document] = answer("show", fact_id)
        assert cited(document), fact_id


def test_sources_lists_the_five_documents_each_cited():
    documents = answer("sources")
    assert len(documents) == 5
    assert all(document["facts"] > 0 for document in documents)


def test_every_citation_of_the_bundled_store_anchors_to_its_quote_in_the_source_texts(tmp_path):
    if not SEEDS.is_dir():
        pytest.skip(f"source texts not found at {SEEDS.resolve()}; anchoring needs the shared seeds folder")
    copy = tmp_path / "facts.json"
    shutil.copyfile(BUNDLED_STORE, copy)
    facts("--db", str(copy), "anchor", "--sources", str(SEEDS))
    tables = json.loads(copy.read_text(encoding="utf-8"))
    sources = {source["id"]: source for source in tables["sources"].values()}
    texts = {name: (SEEDS / name).read_bytes() for name in {source["file"] for source in sources.values()}}
    citations = list(citations_of(tables))
    assert len(citations) >= 100
    for _, fact_id, citation in citations:
        source = sources[citation["source"]]
        text = texts[source["file"]].decode("utf-8")
        start, end = citation["start"], citation["end"]
        assert fold(text[start:end]) == fold(citation["quote"]), fact_id
        assert citation["prefix"] == text[max(0, start - 32) : start], fact_id
        assert citation["suffix"] == text[end : end + 32], fact_id
    for source in sources.values():
        assert source["sha256"] == hashlib.sha256(texts[source["file"]]).hexdigest()
    assert facts("--db", str(copy), "verify", "--sources", str(SEEDS)).stderr == ""
