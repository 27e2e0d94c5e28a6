"""The core in factcli.core: partial dates, their ordering, text folding, and every defect a record can have."""

import datetime

import pytest
from conftest import META, SOURCE, conflict, rating_fact, role_fact
from hypothesis import given
from hypothesis import strategies as st

from factcli.core import dates, records, text, validation

SOURCE_IDS = {SOURCE["id"]}
RATING_ID = rating_fact()["id"]
EVENT = {
    "id": "plan-laid-out",
    "kind": "event",
    "claim": "Diane Booth said a 12-week improvement plan was being laid out.",
    "date": "2019-02",
    "date_note": None,
    "citations": [{"source": "gazette-2019", "quote": "a 12-week improvement plan was being laid out"}],
}


# --- partial dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, parts",
    [
        ("2019", (2019, 0, 0)),
        ("2019-02", (2019, 2, 0)),
        ("2019-02-14", (2019, 2, 14)),
        ("2020-02-29", (2020, 2, 29)),
        ("2019-12-31", (2019, 12, 31)),
    ],
)
def test_partial_date_accepts_year_month_and_day(value, parts):
    assert dates.parse_partial_date(value) == parts


@pytest.mark.parametrize(
    "value",
    [
        "2019-13-45",
        "2019-02-30",
        "2019-02-29",
        "2019-13",
        "2019-00",
        "2019-01-00",
        "2019-1",
        "2019-01-5",
        "19",
        "20190",
        "2019/01/05",
        "05-01-2019",
        "2019-01-05T10:00",
        " 2019",
        "2019 ",
        "2019\n",
        "２０１９",
        "٢٠١٩",
        "",
        "January 2019",
        None,
        2019,
    ],
)
def test_partial_date_rejects_anything_but_iso_8601(value):
    with pytest.raises(ValueError):
        dates.parse_partial_date(value)


@given(st.dates(min_value=datetime.date(1000, 1, 1)))
def test_every_real_date_and_its_prefixes_parse(day):
    text = day.isoformat()
    assert dates.parse_partial_date(text) == (day.year, day.month, day.day)
    assert dates.parse_partial_date(text[:7]) == (day.year, day.month, 0)
    assert dates.parse_partial_date(text[:4]) == (day.year, 0, 0)


def test_partial_dates_sort_before_fuller_dates_of_the_same_period():
    shuffled = ["2019-01-05", "2020", "2019-01", "2018-12-31", "2019", "2019-02"]
    assert sorted(shuffled, key=dates.date_sort_key) == [
        "2018-12-31",
        "2019",
        "2019-01",
        "2019-01-05",
        "2019-02",
        "2020",
    ]


@given(st.dates(min_value=datetime.date(1000, 1, 1)), st.dates(min_value=datetime.date(1000, 1, 1)))
def test_date_sort_key_orders_full_dates_like_the_calendar(first, second):
    keys = dates.date_sort_key(first.isoformat()), dates.date_sort_key(second.isoformat())
    assert (keys[0] < keys[1]) == (first < second)


@pytest.mark.parametrize(
    "value, span",
    [
        ("2019", ((2019, 1, 1), (2019, 12, 31))),
        ("2019-02", ((2019, 2, 1), (2019, 2, 28))),
        ("2020-02", ((2020, 2, 1), (2020, 2, 29))),
        ("2019-02-14", ((2019, 2, 14), (2019, 2, 14))),
    ],
)
def test_date_span_is_the_first_and_last_day_a_partial_date_can_mean(value, span):
    assert dates.date_span(value) == span


# --- claims and ids -----------------------------------------------------------------------


def test_claims_differing_only_in_case_accents_and_spacing_normalise_alike():
    assert text.normalise_claim("  Zoë  SAID\tit ") == text.normalise_claim("zoe said it")


@pytest.mark.parametrize(
    "look_alike",
    [
        "Ofsted r\u0430ted it inadequate.",  # Cyrillic a
        "\u039ffsted rated it inadequate.",  # Greek capital omicron
        "Ofsted rat\u200bed it inad\u2060equate.",  # zero-width space and word joiner
        "Ofsted rated it \uff49nadequate.",  # fullwidth i (NFKC)
        "O\u00adfsted rated it inadequate\ufeff.",  # soft hyphen, byte order mark
    ],
)
def test_claims_that_only_look_alike_are_the_same_claim(look_alike):
    assert text.normalise_claim(look_alike) == text.normalise_claim("Ofsted rated it inadequate.")


def test_letters_of_other_scripts_that_look_different_stay_different():
    assert text.normalise_claim("Ofsted rated it \u0434") != text.normalise_claim("Ofsted rated it d")
    assert text.normalise_claim("modern") != text.normalise_claim("modem")


def test_slugify_makes_a_readable_id_from_free_text():
    assert text.slugify("Inspectors rated it Good, in 2022!") == "inspectors-rated-it-good-in-2022"
    assert text.slugify("!!!") == "fact"


def test_fact_record_round_trips_through_the_fact_object():
    record = rating_fact(retracted={"reason": "misread the source", "date": "2026-01-01"})
    fact = records.Fact.from_record(record)
    assert fact.retracted == records.Retraction("misread the source", "2026-01-01")
    assert fact.to_record() == record


def test_each_key_of_a_record_lands_in_the_field_of_its_name():
    """from_record makes records by position, the quickest way: every value in its own field."""
    times = {"added": "2026-01-02T03:04:05Z", "changed": "2026-02-03T04:05:06Z", "history": [{"action": "add"}]}
    retracted = {"reason": "misread the source", "date": "2026-01-01"}
    made = {"retracted": records.Retraction(**retracted), "history": tuple(times["history"])}

    record = rating_fact(date_bound="after", date_note="a note", retracted=retracted, **times)
    fact = records.Fact.from_record(record)
    assert fact._asdict() == {
        **{name: record.get(name) for name in records.Fact._fields},
        **made,
        "citations": (records.Citation(**record["citations"][0]),),
        "fields": {key: record[key] for key in ("judgment", "area", "service", "inspected", "published")},
    }

    record = {**SOURCE, "sha256": "0" * 64, "url": "https://example.org/a", "published_after": "2019-01",
              "published_before": "2019-03", **times}
    assert records.Source.from_record(record)._asdict() == {**record, "history": made["history"]}

    record = conflict(contradiction=False, retracted=retracted, **times)
    assert records.Conflict.from_record(record)._asdict() == {
        **record,
        **made,
        "facts": tuple(record["facts"]),
        "citations": tuple(records.Citation(**citation) for citation in record["citations"]),
    }


# --- fact_problems ------------------------------------------------------------------------


def messages(problems):
    return [problem.message for problem in problems]


@pytest.mark.parametrize("record", [rating_fact(), role_fact(), EVENT], ids=["rating", "role", "event"])
def test_a_valid_fact_has_no_problems(record):
    assert validation.fact_problems(record, SOURCE_IDS) == []


def test_a_citation_may_carry_an_anchor_with_context_up_to_32_characters():
    citations = _citation(start=0, end=1, prefix="", suffix="x" * 32)
    assert validation.fact_problems(rating_fact(citations=citations), SOURCE_IDS) == []


def test_an_anchored_citation_round_trips_through_the_fact_object():
    record = rating_fact(citations=_citation(**ANCHOR))
    assert records.Fact.from_record(record).to_record() == record
    assert records.Fact.from_record(record).citations[0].prefix == "In "


def test_citations_of_yields_every_citation_of_the_store_in_document_order():
    facts = {str(n): rating_fact(id=f"f{n}", citations=_citation(quote=f"q{n}")) for n in (1, 2, 10)}
    found = [(kind, record_id, c["quote"]) for kind, record_id, c in validation.citations_of({"facts": facts, "sources": {}})]
    assert found == [("fact", "f1", "q1"), ("fact", "f2", "q2"), ("fact", "f10", "q10")]


def test_a_fact_may_carry_a_retraction():
    record = rating_fact(retracted={"reason": "misread the source", "date": "2026-01-01"})
    assert validation.fact_problems(record, SOURCE_IDS) == []


def _without(record, key):
    record = dict(record)
    del record[key]
    return record


ANCHOR = {"start": 3, "end": 60, "prefix": "In ", "suffix": ".\n"}


def _citation(**overrides):
    """A one-citation list for the tiny store's source; a key given as ... is left out."""
    citation = {"source": "gazette-2019", "quote": "In January the department was branded inadequate by Ofsted"}
    citation.update(overrides)
    return [{key: value for key, value in citation.items() if value is not ...}]


@pytest.mark.parametrize(
    "record, expected",
    [
        (rating_fact(date="2019-13-45"), "date '2019-13-45'"),
        (rating_fact(date="2019-02-30"), "date '2019-02-30' is not a real date"),
        (rating_fact(date=2019), "date 2019 is not an ISO 8601 date"),
        (rating_fact(published="last year"), "published 'last year'"),
        (rating_fact(claim=""), "claim is empty"),
        (rating_fact(claim="   "), "claim is empty"),
        (_without(rating_fact(), "claim"), "claim is missing"),
        (_without(rating_fact(), "id"), "id is missing"),
        (rating_fact(id="Rating 2019"), "id must be a slug"),
        (rating_fact(judgment="poor"), "judgment 'poor' is not on the store's scale"),
        (_without(rating_fact(), "area"), "area is missing"),
        (_without(rating_fact(), "inspected"), "inspected is missing (use null if unknown)"),
        (rating_fact(area=None), "area is missing"),
        (rating_fact(grade="inadequate"), "unknown field 'grade' for kind rating"),
        (role_fact(person=42), "person must be text, not int"),
        (rating_fact(citations=[]), "citations must be a list of at least one"),
        (_without(rating_fact(), "citations"), "citations must be a list of at least one"),
        (rating_fact(citations=_citation(source="nope")), "citation 1 names unknown source 'nope'"),
        (rating_fact(citations=_citation(quote="")), "citation 1 quote is empty"),
        (rating_fact(citations=_citation(quote=" \n ")), "citation 1 quote is empty"),
        (rating_fact(citations=_citation(quote=...)), "citation 1 quote is missing"),
        (rating_fact(citations=_citation(source=...)), "citation 1 source is missing"),
        (rating_fact(citations=_citation(page=3)), "citation 1 has unknown field 'page'"),
        (rating_fact(citations=["a quote"]), "citation 1 must be an object"),
        (rating_fact(citations=_citation(start=0, end=5)), "citation 1 anchor needs start, end, prefix and suffix"),
        (rating_fact(citations=_citation(**{**ANCHOR, "start": -1})), "citation 1 start must be a whole number"),
        (rating_fact(citations=_citation(**{**ANCHOR, "end": True})), "citation 1 end must be a whole number"),
        (rating_fact(citations=_citation(**{**ANCHOR, "end": 2.5})), "citation 1 end must be a whole number"),
        (rating_fact(citations=_citation(**{**ANCHOR, "start": 9, "end": 9})), "citation 1 start must be before end"),
        (rating_fact(citations=_citation(**{**ANCHOR, "prefix": None})), "citation 1 prefix must be text"),
        (rating_fact(citations=_citation(**{**ANCHOR, "suffix": "x" * 33})), "citation 1 suffix is longer than 32"),
        (rating_fact(retracted={"reason": "wrong"}), "retracted must be an object with reason and date"),
        (rating_fact(retracted={"reason": "wrong", "date": "yesterday"}), "retracted date 'yesterday'"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_each_fact_defect_is_named_once(record, expected):
    found = messages(validation.fact_problems(record, SOURCE_IDS, scale=tuple(META["scale"])))
    assert len(found) == 1, found
    assert expected in found[0]


def test_fact_problems_name_the_fact_or_its_fallback():
    assert {p.record_id for p in validation.fact_problems(rating_fact(kind="x"), SOURCE_IDS)} == {
        "rating-2019-01-overall-inadequate"
    }
    assert {p.record_id for p in validation.fact_problems(_without(rating_fact(), "id"), SOURCE_IDS, "#7")} == {"#7"}


@pytest.mark.parametrize("record", ["a string", ["a", "list"], 42, None])
def test_a_fact_that_is_not_an_object_is_one_problem(record):
    assert messages(validation.fact_problems(record, SOURCE_IDS)) == ["must be a JSON object"]


def test_an_unknown_kind_is_named_first():
    found = messages(validation.fact_problems(rating_fact(kind="ratng"), SOURCE_IDS))
    assert found[0].startswith("kind 'ratng' is not one of: rating, ")


@pytest.mark.parametrize("kind", [["rating"], {"rating": 1}])
def test_a_kind_that_is_not_text_is_a_problem_not_a_crash(kind):
    found = messages(validation.fact_problems(rating_fact(kind=kind), SOURCE_IDS))
    assert any(message.startswith("kind ") for message in found)


# --- source_problems ----------------------------------------------------------------------


def test_a_valid_source_has_no_problems():
    assert validation.source_problems(SOURCE) == []


@pytest.mark.parametrize(
    "record, expected",
    [
        ({**SOURCE, "published": "2019-02-30"}, "published '2019-02-30' is not a real date"),
        ({**SOURCE, "title": ""}, "title is empty"),
        (_without(SOURCE, "title"), "title is missing"),
        (_without(SOURCE, "publisher"), "publisher is missing"),
        ({**SOURCE, "file": "../seeds/gazette.txt"}, "file must be a bare file name"),
        ({**SOURCE, "id": "Gazette 2019"}, "id must be a slug"),
        ({**SOURCE, "url": "example.org/story"}, "url must be an http:// or https:// address"),
        ({**SOURCE, "url": ""}, "url is empty"),
        ({**SOURCE, "sha256": "ABC"}, "sha256 must be 64 lowercase hexadecimal digits"),
        ({**SOURCE, "sha256": "A" * 64}, "sha256 must be 64 lowercase hexadecimal digits"),
        ({**SOURCE, "fingerprint": "x"}, "unknown field 'fingerprint'"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_each_source_defect_is_named_once(record, expected):
    found = messages(validation.source_problems(record))
    assert len(found) == 1, found
    assert expected in found[0]


def test_a_source_may_carry_a_fingerprint_and_a_url_or_null():
    assert validation.source_problems({**SOURCE, "sha256": "0" * 64, "url": "https://example.org/a?b=c"}) == []
    assert validation.source_problems({**SOURCE, "sha256": None, "url": None}) == []


def test_a_source_may_leave_publisher_and_date_null():
    assert validation.source_problems({**SOURCE, "publisher": None, "published": None, "published_basis": None}) == []


@pytest.mark.parametrize(
    "changes, problem",
    [
        ({"published_basis": None}, "published_basis must be one of: printed, inferred"),
        ({"published_basis": "guessed"}, "published_basis must be one of: printed, inferred"),
        ({"published": None}, "published_basis must be null when published is null"),
        ({"published_basis": "inferred"}, "published_note must say how"),
    ],
)
def test_a_sources_publication_date_must_say_how_it_is_known(changes, problem):
    [found] = validation.source_problems({**SOURCE, **changes})
    assert problem in found.message


# --- store_problems -----------------------------------------------------------------------


def tables(facts, sources=(SOURCE,)):
    return {
        "facts": {str(i): fact for i, fact in enumerate(facts, 1)},
        "sources": {str(i): source for i, source in enumerate(sources, 1)},
    }


def test_a_valid_store_has_no_problems():
    assert validation.store_problems(tables([rating_fact(), role_fact()])) == []


def test_an_empty_store_is_valid():
    assert validation.store_problems({"facts": {}, "sources": {}}) == []


@pytest.mark.parametrize(
    "store, table, record_id, expected",
    [
        (
            tables([rating_fact(), role_fact(id="rating-2019-01-overall-inadequate")]),
            "fact",
            "rating-2019-01-overall-inadequate",
            "duplicate id",
        ),
        (
            tables([rating_fact(), rating_fact(id="again", claim=rating_fact()["claim"].upper() + "  ")]),
            "fact",
            "again",
            "duplicate claim",
        ),
        (
            tables([rating_fact(), rating_fact(id="again", claim=rating_fact()["claim"].replace("O", "\u039f"))]),
            "fact",
            "again",
            "duplicate claim",
        ),
        (tables([rating_fact()], [SOURCE, SOURCE]), "source", "gazette-2019", "duplicate id"),
        (tables([rating_fact(citations=_citation(source="nope"))]), "fact", RATING_ID, "unknown source 'nope'"),
        (tables([rating_fact(date="2019-13-45")]), "fact", RATING_ID, "'2019-13-45'"),
        (tables([{**EVENT, "kind": "evnt"}]), "fact", "plan-laid-out", "kind 'evnt'"),
        (tables([rating_fact(citations=_citation(quote=""))]), "fact", RATING_ID, "quote is empty"),
        (tables([rating_fact(citations=_citation(quote=...))]), "fact", RATING_ID, "quote is missing"),
        (tables([_without(rating_fact(), "id")]), "fact", "#1", "id is missing"),
        ({**tables([rating_fact()]), "notes": {}}, "store", "-", "unknown table 'notes'"),
        ({"sources": tables([])["sources"]}, "store", "-", "table 'facts' is missing"),
        ({"facts": {}, "sources": []}, "store", "-", "table 'sources' is missing or not an object"),
        ([], "store", "-", "must be a JSON object"),
        ("facts", "store", "-", "must be a JSON object"),
        (tables([], ["not a source"]), "source", "#1", "must be a JSON object"),
        (tables(["not a fact"]), "fact", "#1", "must be a JSON object"),
    ],
    ids=[
        "duplicate fact id",
        "duplicate claim",
        "duplicate claim in look-alike letters",
        "duplicate source id",
        "unknown source",
        "bad date",
        "unknown kind",
        "empty quote",
        "missing quote",
        "missing id",
        "unknown table",
        "missing facts table",
        "sources not an object",
        "array",
        "string",
        "source not an object",
        "fact not an object",
    ],
)
def test_store_problems_name_each_single_defect_with_its_record(store, table, record_id, expected):
    found = validation.store_problems(store)
    assert len(found) == 1, found
    assert (found[0].table, found[0].record_id) == (table, record_id)
    assert expected in found[0].message


def test_retracted_facts_may_repeat_a_claim():
    retracted = rating_fact(id="older", retracted={"reason": "superseded", "date": "2026-01-01"})
    assert validation.store_problems(tables([rating_fact(), retracted])) == []


def test_store_problems_lists_every_problem_not_only_the_first():
    store = tables([rating_fact(date="2019-13-45"), role_fact(kind="person")])
    assert {(p.record_id, p.message.split()[0]) for p in validation.store_problems(store)} >= {
        ("rating-2019-01-overall-inadequate", "date"),
        ("role-diane-booth-dcs", "kind"),
    }


# --- conflicts, date bounds and as_of -----------------------------------------------------


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"facts": ["no-such-fact"]}, "names unknown fact 'no-such-fact'"),
        ({"facts": []}, "facts must be a list of at least one fact id"),
        ({"citations": [{"source": "nope", "quote": "x"}, {"source": "gazette-2019", "quote": "y"}]}, "unknown source 'nope'"),
        ({"citations": [{"source": "gazette-2019", "quote": "x"}]}, "citations must be a list of at least two"),
        ({"note": " "}, "note is empty"),
        ({"id": "Not A Slug"}, "id must be a slug"),
        ({"seen_by": "me"}, "unknown field 'seen_by'"),
    ],
)
def test_a_conflict_must_name_facts_and_sources_that_exist(changes, expected):
    store = {**tables([rating_fact()]), "conflicts": {"1": conflict(**changes)}}
    [found] = validation.store_problems(store)
    assert found.table == "conflict"
    assert expected in found.message


def test_a_store_with_valid_conflicts_or_none_has_no_problems():
    assert validation.store_problems({**tables([rating_fact()]), "conflicts": {"1": conflict()}}) == []
    assert validation.store_problems(tables([rating_fact()])) == []


def test_conflict_ids_must_be_unique():
    store = {**tables([rating_fact()]), "conflicts": {"1": conflict(), "2": conflict()}}
    [found] = validation.store_problems(store)
    assert "duplicate id" in found.message


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"date_bound": "around"}, "date_bound 'around' is not one of: by, after"),
        ({"date_bound": "by", "date": None}, "date_bound needs a date"),
        ({"citations": [{"source": "gazette-2019", "quote": "x", "as_of": "autumn"}]}, "as_of 'autumn' is not"),
    ],
)
def test_date_bounds_and_as_of_dates_are_checked(changes, expected):
    [found] = validation.fact_problems(rating_fact(date_basis=None, **changes), {"gazette-2019"})
    assert expected in found.message


def test_a_bounded_date_and_an_as_of_date_are_valid():
    fact = rating_fact(
        date_bound="by", date_basis="bounded", citations=[{"source": "gazette-2019", "quote": "x", "as_of": "2018-09"}]
    )
    assert validation.fact_problems(fact, {"gazette-2019"}) == []


# --- values a store must never hold ---------------------------------------------------------


def _figure(value):
    return {
        "id": "figure-children-in-care",
        "kind": "figure",
        "claim": "Blackpool had 441 children in care in 2015.",
        "date": "2015",
        "date_note": None,
        "value": value,
        "unit": "children",
        "measure": "children in care",
        "citations": [{"source": "gazette-2019", "quote": "441 children in care"}],
    }


@pytest.mark.parametrize(
    "value", [float("inf"), float("-inf"), float("nan"), 2**53, -(2**53), 10**400, 99999999999999999999999]
)
def test_numbers_must_be_finite_and_held_exactly_by_any_json_reader(value):
    assert [p.message for p in validation.fact_problems(_figure(value), {"gazette-2019"})] != []


@pytest.mark.parametrize("value", [0, -5, 441, 2**53 - 1, 12.5, 1e300])
def test_finite_numbers_in_range_are_accepted(value):
    assert validation.fact_problems(_figure(value), {"gazette-2019"}) == []


@pytest.mark.parametrize(
    "record",
    [
        rating_fact(claim="Ofsted \ud800 rated it."),
        rating_fact(citations=[{"source": "gazette-2019", "quote": "branded \udcff inadequate"}]),
        rating_fact(area="over\udfffall"),
        rating_fact(date_note="\ud83d"),
        rating_fact(retracted={"reason": "wrong \udc80", "date": "2026-01-01"}),
    ],
    ids=["claim", "quote", "field", "date note", "retraction"],
)
def test_text_with_lone_surrogates_is_a_problem(record):
    found = validation.fact_problems(record, {"gazette-2019"})
    assert any("surrogate" in p.message for p in found), found


def test_source_text_with_lone_surrogates_is_a_problem():
    found = validation.source_problems({**SOURCE, "title": "Plan \udcff taking shape"})
    assert any("surrogate" in p.message for p in found), found


@pytest.mark.parametrize("value", ["0000", "0000-05", "0999-12-31", "0001"])
def test_dates_before_the_year_1000_are_rejected(value):
    with pytest.raises(ValueError):
        dates.parse_partial_date(value)


def test_date_span_of_the_last_month_of_9999_stays_in_range():
    assert dates.date_span("9999-12") == ((9999, 12, 1), (9999, 12, 31))


def test_document_ids_must_be_digits():
    store = tables([rating_fact()])
    store["facts"] = {"\ud800": rating_fact()}
    assert any("document id" in p.message for p in validation.store_problems(store))


def test_an_id_too_long_for_a_file_name_is_refused_and_one_that_fits_is_not():
    fits, too_long = "a" * validation.MAX_ID_LENGTH, "a" * (validation.MAX_ID_LENGTH + 1)
    assert validation.fact_problems(rating_fact(id=fits), {"gazette-2019"}) == []
    [problem] = validation.fact_problems(rating_fact(id=too_long), {"gazette-2019"})
    assert f"at most {validation.MAX_ID_LENGTH}" in problem.message
    assert validation.source_problems({**SOURCE, "id": too_long})


def test_a_readable_id_made_from_very_long_words_fits_a_file_name():
    from factcli.curation.ids import readable_id

    record = {"kind": "event", "date": "2019", "claim": " ".join(["x" * 400, "y" * 300])}
    made = readable_id(record, {readable_id(record, set())})
    assert len(made) <= validation.MAX_ID_LENGTH and made.endswith("-2")
    assert validation.SLUG.match(made)
