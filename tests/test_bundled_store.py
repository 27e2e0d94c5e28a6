"""The real bundled store: it validates, its quotes are in the sources, and it answers each year as they say."""

import datetime
import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcli.cli import cli
from factcli.core.validation import citations_of
from factcli.storage.location import BUNDLED_STORE

SEEDS = Path(__file__).parents[1] / ".." / "shared" / "seeds"
THIS_YEAR = datetime.date.today().year
YEARS = range(2010, THIS_YEAR + 1)

CP_2012 = "rating-2012-07-child-protection-inadequate"
OVERALL_2019 = "rating-2019-01-overall-inadequate"
OVERALL_2022 = "rating-2022-12-overall-requires-improvement"
CARE_2022 = "rating-2022-12-children-in-care-good"

# The newest source is the BBC article, dated 2024 from outside the sources: nothing is answered after it.
HORIZON = 2024
# The December 2022 judgment is on record only by its inspection, reported by that 2024 article: from
# 2022 to 2024 either it or the January 2019 one was in force, and the answer gives both.
BETWEEN = [(OVERALL_2019, "until superseded"), (OVERALL_2022, "publication not on record"),
           (CARE_2022, "publication not on record")]  # fmt: skip

# rating --year: (first year, last year) -> [(id, basis)]. The last row runs to the current year.
RATINGS_IN_FORCE = [
    ((2010, 2011), []),
    ((2012, 2012), [(CP_2012, "made in year")]),
    ((2013, 2018), [(CP_2012, "carried forward")]),
    ((2019, 2019), [(OVERALL_2019, "made in year")]),
    ((2020, 2021), [(OVERALL_2019, "carried forward")]),
    ((2022, HORIZON), BETWEEN),
    ((HORIZON + 1, THIS_YEAR), []),
]

# who --role R --year Y, post by post, from a reading of the five sources: (first year, last
# year) -> {holder: basis}. "on record" where a source places the person in the post that year;
# "presumed" after the last record, up to the horizon, when no end of any kind is on record and
# nobody later is; nobody where the sources do not say (between Timpson in 2015 and Johnston in
# 2024, for instance), after an end (Booth's planned retirement, Lincoln's final assessment), and
# after the horizon.
HOLDERS_BY_POST = {
    "minister": [
        ((2010, 2014), {}),
        ((2015, 2015), {"Edward Timpson": "on record"}),
        ((2016, 2023), {}),
        ((2024, 2024), {"David Johnston": "on record"}),
        ((2025, THIS_YEAR), {}),
    ],
    "director": [
        ((2010, 2018), {}),
        ((2019, 2020), {"Diane Booth": "on record"}),
        ((2021, 2021), {"Diane Booth": "on record", "Vicky Gent": "on record"}),
        ((2022, HORIZON), {"Vicky Gent": "presumed"}),
        ((HORIZON + 1, THIS_YEAR), {}),
    ],
    "leader": [
        ((2010, 2014), {}),
        ((2015, 2015), {"Simon Blackburn": "on record"}),
        ((2016, 2020), {}),
        ((2021, 2021), {"Lynn Williams": "on record"}),
        ((2022, HORIZON), {"Lynn Williams": "presumed"}),
        ((HORIZON + 1, THIS_YEAR), {}),
    ],
    "commissioner": [
        ((2010, 2020), {}),
        ((2021, 2021), {"Helen Lincoln": "on record"}),
        ((2022, THIS_YEAR), {}),
    ],
    "cabinet member": [
        ((2010, 2023), {}),
        ((2024, 2024), {"Jim Hobson": "on record"}),
        ((2025, THIS_YEAR), {}),
    ],
}


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
    for table in (RATINGS_IN_FORCE, *HOLDERS_BY_POST.values()):
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
    documents = answer("rating", "--year", str(year))
    assert [(document["id"], document["basis"]) for document in documents] == expected_for(RATINGS_IN_FORCE, year)
    assert all(document["judgment"] and document["area"] for document in documents)


@pytest.mark.parametrize("post", sorted(HOLDERS_BY_POST))
@pytest.mark.parametrize("year", YEARS)
def test_who_year_gives_the_holders_the_sources_place_in_each_post(post, year):
    documents = answer("who", "--role", post, "--year", str(year))
    assert {d["person"]: d["basis"] for d in documents} == expected_for(HOLDERS_BY_POST[post], year)


def test_who_year_between_ministers_names_the_nearest_on_record():
    result = facts("who", "--role", "minister", "--year", "2019", "--json")
    assert json.loads(result.stdout) == []
    assert result.stderr.strip() == (
        "No minister on record for 2019; last before: Edward Timpson (2015, inferred); next after: David Johnston"
        " (2024, outside the sources)."
    )


def test_the_2012_judgment_is_about_protecting_children_not_overall():
    [document] = answer("rating", "--year", "2015")
    assert document["area"] == "protection of children from harm"
    assert document["basis"] == "carried forward"


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


def test_who_minister_tenures_are_what_the_sources_attest():
    tenures = {document["person"]: document for document in answer("who", "--role", "minister")}
    assert (tenures["Edward Timpson"]["first_on_record"], tenures["Edward Timpson"]["last_on_record"]) == (
        "2015",
        "2015",
    )
    assert tenures["Edward Timpson"]["end"] is None
    assert tenures["David Johnston"]["first_on_record"] == "2024"


ROLE_IDS = [
    "role-edward-timpson-minister-children-families",
    "role-simon-blackburn-leader-of-blackpool-council",
    "role-david-johnston-minister-children-families-wellbeing",
]


@pytest.mark.parametrize(
    "args",
    [
        ["who"],
        ["who", "--role", "minister"],
        *(["who", "--year", str(year)] for year in YEARS),
        ["timeline", "--kind", "role"],
        ["search", "minister"],
        *(["show", fact_id] for fact_id in ROLE_IDS),
    ],
    ids=" ".join,
)
def test_no_answer_gives_an_end_of_tenure_that_no_source_states(args):
    """The only end dates in any answer are the stated ones; the text shows no other."""
    stated_ends = {d["id"]: d["end"] for d in answer("who")}
    for document in answer(*args):
        ends = {key: value for key, value in document.items() if "end" in key and key not in ("end", "end_basis")}
        assert not ends, ends
        if document["kind"] == "role":
            assert document["end"] == stated_ends[document["id"]]
    text = " ".join(facts(*args).stdout.split())
    assert "until" not in text and "next holder" not in text


def test_publication_dates_not_printed_say_how_they_are_known_in_json_and_text():
    by_source = {d["id"]: d for d in answer("sources")}
    assert by_source["radio-2021-commissioner-approval"]["published_basis"] == "printed"
    assert by_source["gazette-2019-plan-taking-shape"]["published_basis"] == "inferred"
    assert by_source["bbc-2024-direction-lifted"]["published_basis"] == "outside"
    [document] = answer("show", "role-jim-hobson-cabinet-member-childrens-services")
    assert {c["published_basis"] for c in document["citations"]} == {"outside"}
    assert document["date_basis"] == "outside"
    shown = " ".join(facts("show", "role-jim-hobson-cabinet-member-childrens-services").stdout.split())
    assert "2024 (outside the sources)" in shown


def test_facts_in_a_recorded_conflict_are_flagged_in_answers():
    [document] = answer("show", OVERALL_2019)
    assert "inspection-december-2018-or-judgment-january-2019" in document["conflicts"]
    assert "⚑" in facts("rating", "--year", "2019").stdout


def test_conflicts_lists_the_disagreements_the_sources_contain():
    ids = {document["id"] for document in answer("conflicts")}
    assert {
        "inspection-december-2018-or-judgment-january-2019",
        "second-inadequate-in-six-years",
        "go-ahead-or-recommendation",
        "reinspection-autumn-2022-or-december-2022",
        "council-said-or-commissioner-reports-4m",
    } <= ids
    cautions = {document["id"] for document in answer("conflicts") if not document["contradiction"]}
    assert "reinspection-autumn-2022-or-december-2022" in cautions
    assert "commissioner-ruled-or-recommended" not in cautions


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


def test_every_citation_and_source_of_the_bundled_store_is_anchored_and_fingerprinted():
    tables = json.loads(Path(BUNDLED_STORE).read_text(encoding="utf-8"))
    citations = list(citations_of(tables))
    assert len(citations) >= 150
    assert [record_id for _, record_id, citation in citations if "start" not in citation] == []
    assert {kind for kind, _, _ in citations} == {"fact", "conflict"}
    assert all(source.get("sha256") for source in tables["sources"].values())


def test_every_anchor_of_the_bundled_store_holds_its_quote_in_the_source_texts():
    if not SEEDS.is_dir():
        pytest.skip(f"source texts not found at {SEEDS.resolve()}; anchors are checked against the shared seeds folder")
    tables = json.loads(Path(BUNDLED_STORE).read_text(encoding="utf-8"))
    sources = {source["id"]: source for source in tables["sources"].values()}
    texts = {name: (SEEDS / name).read_bytes() for name in {source["file"] for source in sources.values()}}
    for _, record_id, citation in citations_of(tables):
        source = sources[citation["source"]]
        text = texts[source["file"]].decode("utf-8")
        start, end = citation["start"], citation["end"]
        assert text[start:end] == citation["quote"], record_id
        assert citation["prefix"] == text[max(0, start - 32) : start], record_id
        assert citation["suffix"] == text[end : end + 32], record_id
    for source in sources.values():
        assert source["sha256"] == hashlib.sha256(texts[source["file"]]).hexdigest()
    result = facts("verify", "--sources", str(SEEDS))
    assert "found at their anchors" in result.stdout and "matching its fingerprint" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize(
    "text, expected",
    [
        ("invested", {"figure-4m-investment-childrens-services", "finding-2021-03-lincoln-caseloads-reducing"}),
        ("neglected", {"finding-2019-01-chronic-neglect", "finding-2019-01-neglectful-circumstances-too-long"}),
        (
            "childrens minister",
            {"role-edward-timpson-minister-children-families", "role-david-johnston-minister-children-families-wellbeing"},
        ),
        ('"social workers"', {"figure-100-social-workers-recruited", "statement-2021-gent-recruiting-retaining-challenge"}),
        ("money", {"figure-4m-investment-childrens-services", "figure-2019-02-1m-improvement-plan-resources"}),
    ],
)
def test_search_finds_other_word_forms_and_folded_spellings(text, expected):
    found = [document["id"] for document in answer("search", text)]
    assert expected <= set(found), found


def test_search_ranks_a_claim_match_above_a_quote_only_match():
    found = answer("search", "invested")
    first_quote_only = next(i for i, d in enumerate(found) if not d["match"]["claim"])
    assert all(d["match"]["claim"] for d in found[:first_quote_only])
    assert all(not d["match"]["claim"] for d in found[first_quote_only:])
