"""Sources dated by a bound: recorded, validated, listed and sorted by it, counted in the horizon honestly, and their facts filed under what is known."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SOURCE, rating_fact, role_fact, write_store

from factcli.answers.common import horizon
from factcli.cli import cli
from factcli.core.validation import source_problems
from factcli.storage.memory import load_whole

BOUNDED = {
    "id": "visit-report",
    "title": "Inspectors' visit reported",
    "publisher": "The Daily Paper",
    "published": None,
    "published_after": "2024-08-22",
    "published_basis": "inferred",
    "published_note": "It reports the visit of 22 August 2024 as past.",
    "file": "visit.txt",
}
AFTER_THE_VISIT = {
    "id": "event-visit-reported",
    "kind": "event",
    "claim": "Inspectors visited the service on 22 August 2024, as reported afterwards.",
    "date": "2024-08-22",
    "date_bound": "after",
    "date_basis": "bounded",
    "date_note": None,
    "citations": [{"source": "visit-report", "quote": "inspectors visited"}],
}


def invoke(*args, input=None):
    return CliRunner().invoke(cli, [str(arg) for arg in args], input=input)


def sources_of(path):
    return {s["id"]: s for s in json.loads(Path(path).read_text(encoding="utf-8"))["sources"].values()}


def test_add_source_records_a_bound_with_how_it_is_known(tiny_store):
    result = invoke("add-source", "--id", "visit-report", "--title", "Visit reported", "--file", "visit.txt",
                    "--published-after", "2024-08-22", "--published-basis", "inferred",
                    "--published-note", "It reports the visit of 22 August 2024 as past.")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    stored = sources_of(tiny_store)["visit-report"]
    assert (stored["published"], stored["published_after"]) == (None, "2024-08-22")
    assert "published_before" not in stored  # a bound not given is left out
    assert invoke("validate").exit_code == 0


@pytest.mark.parametrize(
    "changes, problem",
    [
        ({"published_basis": None}, "published_basis must be one of"),
        ({"published_note": None}, "published_note must say how a publication date that is inferred was worked out"),
        ({"published": "2024"}, "published_after and published_before bound a date that is not known"),
        ({"published_before": "2024-07"}, "published_after 2024-08-22 is after published_before 2024-07"),
        ({"published_after": "22 August 2024"}, "published_after '22 August 2024' is not an ISO 8601 date"),
        ({"published_after": None, "published_before": None}, "published_basis must be null when published is null"),
    ],
)
def test_a_bound_is_validated(changes, problem):
    found = [p.message for p in source_problems({**BOUNDED, **changes})]
    assert any(problem in message for message in found), found


def test_a_store_without_bounds_stays_valid_and_a_bound_between_two_dates_is_taken():
    assert source_problems(SOURCE) == []
    assert source_problems({**BOUNDED, "published_before": "2024-12"}) == []
    assert source_problems({**BOUNDED, "published_after": "2024-08", "published_before": "2024-08"}) == []


def bounded_store(path, extra_sources=(), facts=None):
    return write_store(path, facts=[rating_fact(), role_fact()] if facts is None else facts,
                       sources=[SOURCE, BOUNDED, *extra_sources])  # fmt: skip


def test_sources_shows_the_bound_and_sorts_by_it(tiny_store):
    later = {**SOURCE, "id": "later", "file": "later.txt", "published": "2024-09", "published_basis": "printed"}
    earlier = {**SOURCE, "id": "earlier", "file": "earlier.txt", "published": "2024-05", "published_basis": "printed"}
    bounded_store(tiny_store, [later, earlier])
    listed = json.loads(invoke("sources", "--json").stdout)
    assert [s["id"] for s in listed] == ["gazette-2019", "earlier", "visit-report", "later"]
    bound = next(s for s in listed if s["id"] == "visit-report")
    assert (bound["published"], bound["published_after"], bound["published_before"]) == (None, "2024-08-22", None)
    text = invoke("sources").stdout
    assert "after 2024-08-22 (inferred)" in text


def test_the_horizon_counts_a_source_known_only_to_be_after_a_date_as_speaking_for_that_date(tmp_path):
    assert horizon(load_whole(bounded_store(tmp_path / "after.json"))) == "2024-08-22"
    before_only = {**BOUNDED, "published_after": None, "published_before": "2030"}
    # Known only to be before 2030, it may be of any earlier year: it speaks for no later date.
    assert horizon(load_whole(write_store(tmp_path / "before.json", sources=[SOURCE, before_only]))) == "2019-02"


def test_a_fact_of_a_bounded_source_is_bounded_not_reported(tiny_store):
    bounded_store(tiny_store)
    reported = {**AFTER_THE_VISIT, "date": "2024", "date_basis": "reported"}
    del reported["date_bound"]
    refused = invoke("add", input=json.dumps(reported))
    assert refused.exit_code == 1
    assert "a source known only by a bound reports no date: give date_basis bounded, with date_bound" in refused.stderr
    added = invoke("add", input=json.dumps(AFTER_THE_VISIT))
    assert added.exit_code == 0, added.stderr


def test_brief_and_site_file_its_facts_under_what_is_known_never_a_year(tiny_store, tmp_path):
    bounded_store(tiny_store, facts=[rating_fact(), role_fact(), AFTER_THE_VISIT])
    brief = invoke("brief").stdout
    assert "## after 2024-08-22" in brief
    assert "## 2024" not in brief
    assert "after 2024-08-22 (inferred)" in brief  # the source's date, in its footnote
    site = tmp_path / "site"
    assert invoke("site", site).exit_code == 0
    timeline = (site / "timeline.html").read_text(encoding="utf-8")
    assert "after 2024-08-22" in timeline and ">2024<" not in timeline
    assert "after 2024-08-22 (inferred)" in (site / "sources" / "visit-report.html").read_text(encoding="utf-8")


def test_edit_gives_a_source_a_bound_in_place_of_a_date(tiny_store):
    result = invoke("edit", "gazette-2019", "--set", "published=null", "--set", "published_after=2019-01",
                    "--set", "published_basis=inferred", "--set", "published_note=It reports January as past.")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    stored = sources_of(tiny_store)["gazette-2019"]
    assert (stored["published"], stored["published_after"]) == (None, "2019-01")
    cleared = invoke("edit", "gazette-2019", "--set", "published_after=null", "--set", "published_basis=null",
                     "--set", "published_note=null")  # fmt: skip
    assert cleared.exit_code == 0, cleared.stderr
    assert "published_after" not in sources_of(tiny_store)["gazette-2019"]
