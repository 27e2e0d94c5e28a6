"""Query logic without the CLI: ratings in force, tenures, role matching, timeline, search, show, retractions."""

import datetime

import pytest
from conftest import META, SOURCE, rating_fact, role_fact, write_store

from factcli.answers import listing
from factcli.answers.people import posts, role_matches, who
from factcli.answers import rating as ratings
from factcli.answers.common import horizon_basis, last_year
from factcli.core.errors import NotFound
from factcli.storage.memory import load_whole

TODAY = datetime.date(2026, 6, 1)
QUOTE = "In January the department was branded inadequate by Ofsted"
RETRACTED = {"reason": "misread the source", "date": "2026-01-01"}


# A source of 2024: the newest, so the fixture stores' horizon is 2024 unless a test gives others.
LATER = {**SOURCE, "id": "later-2024", "published": "2024", "file": "later.txt"}


def make_store(tmp_path, facts, sources=None):
    return load_whole(write_store(tmp_path / "query.json", facts, [SOURCE, LATER] if sources is None else sources))


def judgment(fact_id, made, grade="inadequate", area="overall", inspected=None, published=True, **overrides):
    """A rating fact; an inspection's grades share its inspected and published dates."""
    return rating_fact(
        id=fact_id,
        claim=f"Ofsted judged {area} {grade} ({fact_id}).",
        date=made,
        judgment=grade,
        area=area,
        inspected=inspected or made,
        published=made if published else None,
        **overrides,
    )


def holder(fact_id, person, role, date, organisation="Blackpool Council", **overrides):
    """A role fact whose one citation places the person in the role at date."""
    return role_fact(
        id=fact_id,
        claim=f"{person} was {role} at {organisation} in {date}.",
        person=person,
        role=role,
        organisation=organisation,
        date=date,
        citations=[{"source": SOURCE["id"], "quote": "Diane Booth", "as_of": date}],
        **overrides,
    )


def event(fact_id, date, claim=None, quote=QUOTE, **overrides):
    fact = {
        "id": fact_id,
        "kind": "event",
        "claim": claim or f"Something happened ({fact_id}).",
        "date": date,
        "date_note": None,
        "citations": [{"source": SOURCE["id"], "quote": quote}],
    }
    fact.update(overrides)
    return fact


def ids(answer):
    return [hit.fact.id for hit in answer.hits]


# --- rating -------------------------------------------------------------------------------

AS_OF_2024 = [{"source": "later-2024", "quote": "a further inspection"}]

HISTORY = [
    judgment("cp-2012", "2012-07"),
    judgment("overall-2019", "2019-01", inspected="2018-12"),
    judgment("overall-2022", "2022-12", "requires improvement", published=False, citations=AS_OF_2024),
    judgment("care-2022", "2022-12", "good", area="children in care and care leavers", published=False, citations=AS_OF_2024),
]
KNOWN_BY_2024 = ["overall-2019", "overall-2022", "care-2022"]


def store_of(tmp_path, facts):
    return make_store(tmp_path, facts, [SOURCE, LATER])


@pytest.mark.parametrize(
    "year, expected",
    [
        (2012, [("cp-2012", "made in year")]),
        (2013, [("cp-2012", "carried forward")]),
        (2018, [("cp-2012", "carried forward")]),
        (2019, [("overall-2019", "made in year")]),
        (2021, [("overall-2019", "carried forward")]),
        # Known only by its inspection: published some time from December 2022 to the 2024 source
        # that reports it, so in those years the old judgment and the new may each have been in force.
        (2022, [("overall-2019", "until superseded"), ("overall-2022", "publication not on record"),
                ("care-2022", "publication not on record")]),
        (2023, [("overall-2019", "until superseded"), ("overall-2022", "publication not on record"),
                ("care-2022", "publication not on record")]),
        (2024, [("overall-2019", "until superseded"), ("overall-2022", "publication not on record"),
                ("care-2022", "publication not on record")]),
    ],
)  # fmt: skip
def test_rating_year_gives_the_judgments_that_were_or_may_have_been_in_force(tmp_path, year, expected):
    answer = ratings.rating(store_of(tmp_path, HISTORY), year=year, today=TODAY)
    assert [(hit.fact.id, hit.context["basis"]) for hit in answer.hits] == expected
    assert all(hit.context["year"] == year for hit in answer.hits)
    assert list(answer.notes) == []


def test_rating_hits_say_when_each_judgment_was_made_and_what_came_next(tmp_path):
    answer = ratings.rating(store_of(tmp_path, HISTORY), year=2022, today=TODAY)
    old, new, _ = (hit.context for hit in answer.hits)
    assert (old["made"], old["made_basis"], old["next_judgment"], old["next_judgment_basis"]) == (
        "2019-01", "published", "2022-12", "inspected",
    )
    assert (new["made"], new["made_basis"], new["next_judgment"]) == ("2022-12", "inspected", None)


@pytest.mark.parametrize("year", [2025, 2026, 2040])
def test_rating_after_the_horizon_answers_nothing_and_names_the_last_on_record(tmp_path, year):
    answer = ratings.rating(store_of(tmp_path, HISTORY), year=year, today=TODAY)
    assert answer.hits == []
    [note] = answer.notes
    assert f"The store's sources end in 2024; nothing on record for {year}." in note
    assert "Last on record: requires improvement (overall), inspected 2022-12; publication not on record." in note
    assert note.startswith(f"{year} is after today. ") == (year > TODAY.year)


@pytest.mark.parametrize(
    "newest, last_year_answered",
    [("2020", 2020), ("2021-03-12", 2021), ("2030", 2026)],
)
def test_rating_answers_up_to_the_newest_source_and_never_past_today(tmp_path, newest, last_year_answered):
    facts = [judgment("cp-2012", "2012-07")]
    loaded = make_store(tmp_path, facts, [SOURCE, {**LATER, "published": newest}])
    assert ids(ratings.rating(loaded, year=last_year_answered, today=TODAY)) == ["cp-2012"]
    assert ids(ratings.rating(loaded, year=last_year_answered + 1, today=TODAY)) == []
    assert ratings.rating(loaded, today=TODAY).strip[-1].year == last_year_answered


def test_rating_year_carries_forward_last_judgment(tmp_path):
    answer = ratings.rating(store_of(tmp_path, HISTORY), year=2016, today=TODAY)
    [hit] = answer.hits
    assert hit.fact.id == "cp-2012"
    assert hit.context["basis"] == "carried forward"
    assert hit.context["made"] == "2012-07"


def test_rating_year_gives_every_judgment_made_in_the_year_and_not_the_one_they_replaced(tmp_path):
    facts = HISTORY + [judgment("overall-2019-later", "2019-09", "requires improvement")]
    answer = ratings.rating(store_of(tmp_path, facts), year=2019, today=TODAY)
    assert [(h.fact.id, h.context["basis"]) for h in answer.hits] == [
        ("overall-2019", "made in year"),
        ("overall-2019-later", "made in year"),
    ]
    assert [hit.context["next_judgment"] for hit in answer.hits] == ["2019-09", "2022-12"]
    assert ids(ratings.rating(store_of(tmp_path, facts), year=2020, today=TODAY)) == ["overall-2019-later"]


def test_rating_judgment_counts_from_publication_not_inspection(tmp_path):
    facts = [judgment("overall-2019", "2019-01", inspected="2018-12")]
    answer = ratings.rating(store_of(tmp_path, facts), year=2018, today=TODAY)
    assert not answer.hits


def test_rating_judgment_known_by_its_inspection_says_so_until_a_source_reports_it(tmp_path):
    facts = [judgment("overall-2022", "2022-12", published=False, citations=AS_OF_2024)]
    loaded = store_of(tmp_path, facts)
    for year in (2022, 2023, 2024):
        [hit] = ratings.rating(loaded, year=year, today=TODAY).hits
        assert (hit.context["made"], hit.context["made_basis"], hit.context["basis"]) == (
            "2022-12", "inspected", "publication not on record",
        )
    reported_in_2023 = [{"source": "later-2024", "quote": "a further inspection", "as_of": "2023-02"}]
    loaded = store_of(tmp_path, [judgment("overall-2022", "2022-12", published=False, citations=reported_in_2023)])
    assert ratings.rating(loaded, year=2024, today=TODAY).hits[0].context["basis"] == "carried forward"


def test_rating_judgments_with_only_a_fact_date_stay_apart(tmp_path):
    undated = {"inspected": None, "published": None}
    facts = [
        rating_fact(id="cp-2012", claim="Child protection was judged inadequate in 2012.", date="2012-07", **undated),
        rating_fact(id="overall-2019", date="2019-01", **undated),
    ]
    loaded = store_of(tmp_path, facts)
    assert ids(ratings.rating(loaded, year=2015, today=TODAY)) == ["cp-2012"]
    assert ids(ratings.rating(loaded, year=2019, today=TODAY)) == ["overall-2019"]
    contexts = [hit.context for hit in ratings.rating(loaded, today=TODAY).hits]
    assert [(c["made"], c["made_basis"]) for c in contexts] == [("2012-07", "date"), ("2019-01", "date")]


@pytest.mark.parametrize("year", [1990, 2011])
def test_rating_year_before_first_judgment_is_empty_with_a_note_naming_the_earliest(tmp_path, year):
    answer = ratings.rating(store_of(tmp_path, HISTORY), year=year, today=TODAY)
    assert not answer.hits
    [note] = answer.notes
    assert str(year) in note
    assert "earliest" in note
    assert "2012-07" in note
    assert "inadequate" in note


def test_rating_without_year_lists_every_judgment_in_date_order_with_the_next_on_record(tmp_path):
    shuffled = [HISTORY[2], HISTORY[0], HISTORY[3], HISTORY[1]]
    answer = ratings.rating(store_of(tmp_path, shuffled), today=TODAY)
    assert ids(answer) == ["cp-2012", "overall-2019", "overall-2022", "care-2022"]
    assert [(h.context["made"], h.context["next_judgment"], h.context["basis"]) for h in answer.hits] == [
        ("2012-07", "2019-01", None),
        ("2019-01", "2022-12", None),
        ("2022-12", None, None),
        ("2022-12", None, None),
    ]


def test_rating_groups_one_inspections_areas_with_overall_first(tmp_path):
    facts = [
        judgment("leaders-2022", "2022-12", "requires improvement", area="leadership", published=False, citations=AS_OF_2024),
        judgment("care-2022", "2022-12", "good", area="children in care", published=False, citations=AS_OF_2024),
        judgment("overall-2022", "2022-12", "requires improvement", published=False, citations=AS_OF_2024),
    ]
    answer = ratings.rating(store_of(tmp_path, facts), year=2024, today=TODAY)
    assert ids(answer) == ["overall-2022", "care-2022", "leaders-2022"]
    assert {hit.context["made"] for hit in answer.hits} == {"2022-12"}


def test_rating_area_keeps_only_matching_areas(tmp_path):
    answer = ratings.rating(store_of(tmp_path, HISTORY), area="care", today=TODAY)
    assert ids(answer) == ["care-2022"]


def test_rating_area_with_no_match_notes_the_areas_on_record(tmp_path):
    answer = ratings.rating(store_of(tmp_path, HISTORY), area="adoption", today=TODAY)
    assert not answer.hits
    [note] = answer.notes
    assert "adoption" in note
    assert "children in care and care leavers" in note
    assert "overall" in note


@pytest.mark.parametrize("year", [None, 2019])
def test_rating_on_a_store_without_ratings_says_there_are_none(tmp_path, year):
    answer = ratings.rating(make_store(tmp_path, [role_fact()]), year=year, today=TODAY)
    assert not answer.hits
    [note] = answer.notes
    assert "rating" in note.lower() or "judgment" in note.lower()
    assert "area None" not in note


def test_rating_strip_marks_made_years_carried_years_and_years_not_known(tmp_path):
    answer = ratings.rating(store_of(tmp_path, HISTORY), today=TODAY)
    assert [(cell.year, cell.judgment, cell.made_in_year) for cell in answer.strip] == (
        [(2012, "inadequate", True)]
        + [(year, "inadequate", False) for year in range(2013, 2019)]
        + [(2019, "inadequate", True), (2020, "inadequate", False), (2021, "inadequate", False)]
        # The 2022 judgment is on record only by its inspection until the 2024 source reports it.
        + [(2022, None, False), (2023, None, False)]
        + [(2024, "requires improvement", False)]
    )
    assert answer.strip[-1].year == 2024, "the strip ends at the horizon, not today"


def test_rating_strip_shows_a_judgments_only_area_when_it_has_no_overall_grade(tmp_path):
    facts = [judgment("cp-2012", "2012-07", area="protection of children from harm"), HISTORY[1]]
    strip = ratings.rating(store_of(tmp_path, facts), today=datetime.date(2020, 3, 1)).strip
    assert [(cell.year, cell.area, cell.made) for cell in strip] == (
        [(year, "protection of children from harm", "2012-07") for year in range(2012, 2019)]
        + [(2019, "overall", "2019-01"), (2020, "overall", "2019-01")]
    )


def test_a_strip_over_centuries_is_the_last_years_only_and_says_so(tmp_path):
    facts = [judgment("first", "1000-07"), judgment("later", "2019-01", "good"), judgment("far", "9999-12", "outstanding")]
    store = make_store(tmp_path, facts)
    answer = ratings.rating(store, today=TODAY)
    end = last_year(store, TODAY)  # the strip runs to the store's horizon
    assert len(answer.strip) == ratings.MAX_STRIP_YEARS
    assert (answer.strip[0].year, answer.strip[-1].year) == (end - ratings.MAX_STRIP_YEARS + 1, end)
    assert any(f"last {ratings.MAX_STRIP_YEARS} years" in note for note in answer.notes)
    assert len(answer.hits) == 3  # every judgment is still listed


def test_rating_strip_is_only_drawn_without_a_year(tmp_path):
    assert not ratings.rating(store_of(tmp_path, HISTORY), year=2019, today=TODAY).strip


# --- who: tenures -------------------------------------------------------------------------

LEADERS = [
    holder("blackburn", "Simon Blackburn", "Leader of Blackpool Council", "2015"),
    holder("williams", "Lynn Williams", "Leader of Blackpool Council", "2021-03"),
]
MINISTERS = [
    holder("timpson", "Edward Timpson", "minister for Children and Families", "2015", post="children's minister"),
    holder(
        "johnston",
        "David Johnston",
        "minister for children, families and wellbeing",
        "2024",
        post="children's minister",
    ),
]


def tenure(answer, person):
    [hit] = [hit for hit in answer.hits if hit.fact.fields["person"] == person]
    return hit.context


def holders_in(loaded, year, **filters):
    """{person: basis} of who answers for year."""
    return {
        hit.fact.fields["person"]: hit.context["basis"]
        for hit in who(loaded, year=year, today=TODAY, **filters).hits
    }


def test_tenure_on_record_spans_the_dates_its_citations_place_the_person(tmp_path):
    later_source = {**SOURCE, "id": "gazette-2021", "published": "2021-11", "file": "later.txt"}
    fact = role_fact(
        citations=[
            {"source": "gazette-2019", "quote": "Blackpool's director of children's services Diane Booth"},
            {"source": "gazette-2021", "quote": "Diane Booth"},
        ]
    )
    context = tenure(who(make_store(tmp_path, [fact], [SOURCE, later_source]), today=TODAY), "Diane Booth")
    assert (context["first_on_record"], context["last_on_record"]) == ("2019-02", "2021-11")


def test_citation_as_of_places_the_person_earlier_than_the_sources_date(tmp_path):
    fact = role_fact(
        citations=[{"source": "gazette-2019", "quote": "Diane Booth", "as_of": "2017-09"}, role_fact()["citations"][0]]
    )
    context = tenure(who(make_store(tmp_path, [fact]), today=TODAY), "Diane Booth")
    assert (context["first_on_record"], context["last_on_record"]) == ("2017-09", "2019-02")


def test_stated_start_and_end_extend_the_tenure_on_record(tmp_path):
    fact = role_fact(start="2018-09", end="2021-03")
    context = tenure(who(make_store(tmp_path, [fact]), today=TODAY), "Diane Booth")
    assert (context["first_on_record"], context["last_on_record"]) == ("2018-09", "2021-03")


def test_tenure_never_ends_at_the_next_holder(tmp_path):
    answer = who(make_store(tmp_path, MINISTERS), today=TODAY)
    context = tenure(answer, "Edward Timpson")
    assert (context["first_on_record"], context["last_on_record"]) == ("2015", "2015")
    assert not {"tenure_end", "next_holder", "tenure_end_basis"} & set(context)


@pytest.mark.parametrize(
    "year, expected",
    [
        (2014, {}),
        (2015, {"Edward Timpson": "on record"}),
        (2016, {}),
        (2019, {}),
        (2023, {}),
        (2024, {"David Johnston": "on record"}),
        (2025, {}),
        (2026, {}),
    ],
)
def test_who_year_returns_only_holders_the_evidence_places_in_post(tmp_path, year, expected):
    assert holders_in(make_store(tmp_path, MINISTERS), year) == expected


def test_who_year_between_two_holders_notes_the_nearest_either_side(tmp_path):
    answer = who(make_store(tmp_path, MINISTERS), role="minister", year=2019, today=TODAY)
    assert not answer.hits
    assert answer.notes == [
        "No minister on record for 2019; last before: Edward Timpson (2015); next after: David Johnston (2024)."
    ]


def test_who_year_presumes_the_last_holder_only_without_a_stated_end(tmp_path):
    loaded = make_store(tmp_path, [role_fact(end="2021-03")])
    assert holders_in(loaded, 2021) == {"Diane Booth": "on record"}
    assert holders_in(loaded, 2022) == {}
    assert holders_in(make_store(tmp_path, [role_fact()]), 2022) == {"Diane Booth": "presumed"}


@pytest.mark.parametrize(
    "role, other",
    [
        ("Leader of Blackpool Council", {"organisation": "Lancashire County Council"}),
        ("Leader of the Opposition", {}),
        ("Leader of Blackpool Council", {"post": "another post"}),
    ],
)
def test_a_holder_of_a_different_post_does_not_stop_the_presumption(tmp_path, role, other):
    facts = [LEADERS[0], holder("other", "Lynn Williams", role, "2021-03", **other)]
    assert holders_in(make_store(tmp_path, facts), 2017, name="Blackburn") == {"Simon Blackburn": "presumed"}


def test_a_later_holder_of_the_same_post_stops_the_presumption(tmp_path):
    loaded = make_store(tmp_path, LEADERS)
    assert holders_in(loaded, 2017) == {}
    assert holders_in(loaded, 2022) == {"Lynn Williams": "presumed"}


def test_a_holder_of_the_same_post_with_no_date_on_record_stops_the_presumption(tmp_path):
    """Cited only by a source known by a bound, the new leader may have come at any time after
    it: nobody is presumed in post past the one before."""
    bounded = {**SOURCE, "id": "bounded", "published": None, "published_after": "2019-06", "published_basis": "inferred",
               "published_note": "After the by-election.", "file": "bounded.txt"}  # fmt: skip
    undated = {**holder("undated", "Lynn Williams", "Leader of Blackpool Council", "2021-03"),
               "citations": [{"source": "bounded", "quote": "Lynn Williams"}]}  # fmt: skip
    loaded = make_store(tmp_path, [LEADERS[0], undated], [SOURCE, LATER, bounded])
    assert holders_in(loaded, 2017) == {}
    assert holders_in(make_store(tmp_path, [LEADERS[0]], [SOURCE, LATER, bounded]), 2017) == {"Simon Blackburn": "presumed"}


def test_posts_group_successive_holders_and_presume_only_the_last_without_an_end(tmp_path):
    found_posts = posts(make_store(tmp_path, [*MINISTERS, role_fact()]), today=TODAY)
    found = {
        (post.name, post.organisation): [(hit.fact.fields["person"], hit.context["basis"]) for hit in post.holders]
        for post in found_posts
    }
    assert found == {
        ("children's minister", "Blackpool Council"): [("Edward Timpson", None), ("David Johnston", "on record")],
        ("director of children's services", "Blackpool Council"): [("Diane Booth", "presumed")],
    }
    # As of the store's horizon (2024), not today (2026): nobody is presumed past the newest source.
    assert all(hit.context["year"] == 2024 for post in found_posts for hit in post.holders)


def test_who_year_before_the_first_record_is_empty_with_a_note(tmp_path):
    answer = who(make_store(tmp_path, [role_fact()]), year=2010, today=TODAY)
    assert not answer.hits
    assert answer.notes == ["Nobody on record in a post in 2010; next after: Diane Booth (director of children's services, 2019-02)."]


def test_who_between_holders_names_the_nearest_of_each_post_not_of_another(tmp_path):
    facts = [*LEADERS, role_fact()]
    note = who(make_store(tmp_path, facts), year=2017, today=TODAY).notes[0]
    assert note == (
        "Nobody on record in a post in 2017; last before: Simon Blackburn (Leader of Blackpool Council, 2015);"
        " next after: Diane Booth (director of children's services, 2019-02),"
        " Lynn Williams (Leader of Blackpool Council, 2021-03)."
    )
    by_name = who(make_store(tmp_path, facts), name="booth", year=2017, today=TODAY).notes[0]
    assert by_name == "Nobody matching 'booth' on record in a post in 2017; next after: Diane Booth (director of children's services, 2019-02)."


def test_who_lists_tenures_in_order_of_first_record(tmp_path):
    facts = [LEADERS[1], LEADERS[0], role_fact()]
    assert ids(who(make_store(tmp_path, facts), today=TODAY)) == ["blackburn", "role-diane-booth-dcs", "williams"]


# --- who: matching ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wanted, role",
    [
        ("minister", "minister for Children and Families"),
        ("minister", "minister for children, families and wellbeing"),
        ("Minister", "minister for Children and Families"),
        ("minister for children", "minister for Children and Families"),
        ("director", "director of children's services"),
        ("director of children\u2019s services", "director of children's services"),
        ("children's services", "cabinet member for children's services"),
        ("leader", "Leader of Blackpool Council"),
        ("LEADER", "Leader of Blackpool Council"),
        ("dcs", "director of children's services"),
        ("DCS", "director of children's services"),
        ("council leader", "Leader of Blackpool Council"),
        ("children's minister", "minister for children, families and wellbeing"),
        ("commissioner", "Commissioner in charge of the review"),
    ],
)
def test_role_matches_by_word_phrase_or_synonym(wanted, role):
    assert role_matches(wanted, role, META["aliases"])


@pytest.mark.parametrize(
    "wanted, role",
    [
        ("minister", "administer of funds"),
        ("lead", "Leader of Blackpool Council"),
        ("direct", "director of children's services"),
        ("dcs", "cabinet member for children's services"),
        ("leader of the council", "Leader of Blackpool Council"),
        ("astronaut", "director of children's services"),
    ],
)
def test_role_does_not_match_part_words_or_other_roles(wanted, role):
    assert not role_matches(wanted, role, META["aliases"])


ROLES = [
    holder("timpson", "Edward Timpson", "minister for Children and Families", "2015", organisation="UK Government"),
    holder("blackburn", "Simon Blackburn", "Leader of Blackpool Council", "2015"),
    role_fact(),
    holder("hobson", "Jim Hobson", "cabinet member for children's services", "2024"),
    holder("zoe", "Zoë Ashworth", "independent chair", "2020"),
]


@pytest.mark.parametrize(
    "role, people",
    [
        ("minister", ["Edward Timpson"]),
        ("director", ["Diane Booth"]),
        ("dcs", ["Diane Booth"]),
        ("leader", ["Simon Blackburn"]),
        ("children's services", ["Diane Booth", "Jim Hobson"]),
    ],
)
def test_who_role_finds_the_holders(tmp_path, role, people):
    answer = who(make_store(tmp_path, ROLES), role=role, today=TODAY)
    assert [hit.fact.fields["person"] for hit in answer.hits] == people


def test_who_role_with_no_match_notes_the_roles_on_record(tmp_path):
    answer = who(make_store(tmp_path, ROLES), role="astronaut", today=TODAY)
    assert not answer.hits
    [note] = answer.notes
    assert "astronaut" in note
    on_record = ("minister for Children and Families", "Leader of Blackpool Council", "director of children's services")
    for role in on_record:
        assert role in note


@pytest.mark.parametrize(
    "name, people",
    [
        ("booth", ["Diane Booth"]),
        ("DIANE BOOTH", ["Diane Booth"]),
        ("timp", ["Edward Timpson"]),
        ("zoe", ["Zoë Ashworth"]),
        ("Zoë", ["Zoë Ashworth"]),
    ],
)
def test_who_name_matches_case_and_accent_insensitively(tmp_path, name, people):
    answer = who(make_store(tmp_path, ROLES), name=name, today=TODAY)
    assert [hit.fact.fields["person"] for hit in answer.hits] == people


def test_who_name_with_no_match_notes_the_people_on_record(tmp_path):
    answer = who(make_store(tmp_path, ROLES), name="Smith", today=TODAY)
    assert not answer.hits
    [note] = answer.notes
    assert "Smith" in note
    assert "Diane Booth" in note


def test_who_filters_combine(tmp_path):
    answer = who(make_store(tmp_path, ROLES), role="children's services", name="hobson", year=2024, today=TODAY)
    assert ids(answer) == ["hobson"]


# --- timeline -----------------------------------------------------------------------------

DATED = [
    event("full", "2019-01-05"),
    event("year", "2019"),
    event("undated", None),
    event("month", "2019-01"),
    event("early", "2012"),
    event("late", "2022-12-01"),
]


def test_timeline_orders_by_date_with_partial_dates_first(tmp_path):
    assert ids(listing.timeline(make_store(tmp_path, DATED))) == ["early", "year", "month", "full", "late"]


def test_timeline_keeps_file_order_for_equal_dates(tmp_path):
    facts = [event("b", "2019"), event("a", "2019"), event("c", "2019")]
    assert ids(listing.timeline(make_store(tmp_path, facts))) == ["b", "a", "c"]


def test_timeline_adds_undated_facts_at_the_end_only_when_asked(tmp_path):
    loaded = make_store(tmp_path, DATED)
    assert "undated" not in ids(listing.timeline(loaded))
    assert ids(listing.timeline(loaded, undated=True))[-1] == "undated"


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (2019, None, ["year", "month", "full", "late"]),
        (None, 2019, ["early", "year", "month", "full"]),
        (2019, 2019, ["year", "month", "full"]),
        (2013, 2018, []),
    ],
)
def test_timeline_from_and_to_are_inclusive_years(tmp_path, start, end, expected):
    assert ids(listing.timeline(make_store(tmp_path, DATED), start=start, end=end)) == expected


MONTHS = [
    event("year", "2019"),
    event("june", "2019-06"),
    event("july", "2019-07"),
    event("july-14", "2019-07-14"),
    event("july-15", "2019-07-15"),
    event("august-31", "2019-08-31"),
    event("next-year", "2020"),
]


@pytest.mark.parametrize(
    "start, end, expected",
    [
        # A fact of 2019 may be of July or later: its date overlaps, so it is in, as in --from 2019,
        # listed after the facts certainly in the period.
        ("2019-07", None, ["july", "july-14", "july-15", "august-31", "next-year", "year"]),
        (None, "2019-07", ["june", "july", "july-14", "july-15", "year"]),
        ("2019-07-14", "2019-07-14", ["july-14", "year", "july"]),
        ("2019-07", "2019-08", ["july", "july-14", "july-15", "august-31", "year"]),
        ("2019", "2019-06", ["june", "year"]),
        ("2020-01", None, ["next-year"]),
        ("2019-09", "2019-12", ["year"]),
    ],
)
def test_timeline_from_and_to_take_months_and_days_and_list_what_overlaps_them(tmp_path, start, end, expected):
    assert ids(listing.timeline(make_store(tmp_path, MONTHS), start=start, end=end)) == expected


DECEMBER_2018 = {**SOURCE, "id": "december-2018", "published": "2018-12-20", "file": "dec.txt"}
AFTER_ONLY = {**SOURCE, "id": "after-only", "published": None, "published_after": "2020-06", "published_basis": "inferred",
              "published_note": "After the election.", "file": "after.txt"}  # fmt: skip
AFTER_2018 = [
    # Known only to have come after (a moment in) December 2018; first reported by the 2024 source.
    event("after", "2018-12", date_bound="after", citations=[{"source": "later-2024", "quote": QUOTE}]),
    # Reported by the February 2019 source: it can be no later than that source's month.
    event("after-early", "2018-12", date_bound="after"),
    # Reported within the month it came after: that month only.
    event("reported-within", "2018-12", date_bound="after", citations=[{"source": "december-2018", "quote": QUOTE}]),
    # Cited only by a source known to be published after a date: no latest day.
    event("unbounded", "2018-12", date_bound="after", citations=[{"source": "after-only", "quote": QUOTE}]),
    event("plain", "2018-12"),
]
EVERY_AFTER = ["after", "after-early", "plain", "reported-within", "unbounded"]


@pytest.mark.parametrize(
    "start, end, expected, unsure",
    [
        ("2018-11", "2018-11", [], 0),
        (2018, 2018, EVERY_AFTER, 3),  # "reported-within" is certainly in December 2018
        ("2018-12", "2018-12", EVERY_AFTER, 3),
        (2019, 2019, ["after", "after-early", "unbounded"], 3),
        ("2019-03", "2019-03", ["after", "unbounded"], 2),
        (2024, 2024, ["after", "unbounded"], 2),
        (2025, None, ["unbounded"], 1),
        (None, None, EVERY_AFTER, 0),
    ],
)
def test_timeline_lists_a_fact_after_a_date_in_every_period_from_it_to_its_first_report(tmp_path, start, end, expected, unsure):
    """After a moment within December 2018, a fact may fall in December 2018 or any later period
    up to the first report of it: it is listed in each, never excluded from one it may be in,
    and, where it may fall outside the period, after the facts certainly in it, with a note."""
    found = listing.timeline(make_store(tmp_path, AFTER_2018, [SOURCE, LATER, DECEMBER_2018, AFTER_ONLY]), start=start, end=end)
    assert sorted(ids(found)) == expected
    notes = [note for note in found.notes if "may fall outside the period" in note]
    assert notes == ([f"{unsure} fact{'s' if unsure > 1 else ''} may fall outside the period (dated only more coarsely, or"
                      " known only by a bound): listed after those within it, each date marked."] if unsure else [])  # fmt: skip


def test_timeline_lists_facts_dated_more_coarsely_than_the_period_after_those_within_it(tmp_path):
    facts = [event("year", "2021"), event("march", "2021-03"), event("by-march", "2021-03", date_bound="by"),
             event("march-12", "2021-03-12")]  # fmt: skip
    found = listing.timeline(make_store(tmp_path, facts), start="2021-03", end="2021-03")
    assert ids(found) == ["march", "march-12", "year", "by-march"]
    assert found.notes[0].startswith("2 facts may fall outside the period")
    # A year asked for holds a fact dated that year: nothing is unsure.
    whole_year = listing.timeline(make_store(tmp_path, facts[:2] + facts[3:]), start=2021, end=2021)
    assert ids(whole_year) == ["year", "march", "march-12"] and whole_year.notes == []


def test_timeline_lists_facts_after_an_earlier_date_after_those_dated_in_the_period(tmp_path):
    facts = [event("after", "2018-12", date_bound="after", citations=[{"source": "later-2024", "quote": QUOTE}]),
             event("january", "2019-01"), event("march", "2019-03")]  # fmt: skip
    found = listing.timeline(make_store(tmp_path, facts), start=2019, end=2019)
    assert ids(found) == ["january", "march", "after"]
    assert found.notes[0].startswith("1 fact may fall outside the period")
    # Over the whole store each is in date order.
    assert ids(listing.timeline(make_store(tmp_path, facts))) == ["after", "january", "march"]


def test_timeline_kind_keeps_one_kind(tmp_path):
    loaded = make_store(tmp_path, DATED + [rating_fact(), role_fact()])
    assert ids(listing.timeline(loaded, kind="rating")) == ["rating-2019-01-overall-inadequate"]
    assert ids(listing.timeline(loaded, kind="role")) == ["role-diane-booth-dcs"]


def test_timeline_empty_answer_says_why(tmp_path):
    answer = listing.timeline(make_store(tmp_path, DATED), start=2030, kind="event")
    assert not answer.hits
    [note] = answer.notes
    assert "2030" in note
    assert "event" in note


# --- search -------------------------------------------------------------------------------

SEARCHABLE = [
    event("quote-only", "2012", claim="A report was published.", quote="Ms Booth said a 12-week improvement plan"),
    event("claim-late", "2022", claim="The improvement board met again today."),
    event("claim-early", "2019", claim="An improvement board was set up."),
    role_fact(claim="A director was named in February 2019.", role="improvement director"),
    event("claim-undated", None, claim="An improvement plan was mentioned once."),
    event("accented", "2020", claim="Zoë visited the café in Blackpool."),
]


def test_search_ranks_claim_above_quotes_above_fields_then_by_date(tmp_path):
    answer = listing.search(make_store(tmp_path, SEARCHABLE), "improvement")
    assert ids(answer) == ["claim-early", "claim-late", "claim-undated", "quote-only", "role-diane-booth-dcs"]
    assert [hit.context["match"]["claim"] for hit in answer.hits] == [["improvement"]] * 3 + [[], []]
    assert answer.hits[3].context["match"]["quotes"] == ["improvement"]
    assert answer.hits[4].context["match"]["fields"] == ["improvement"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("improvement board", ["claim-early", "claim-late"]),
        ("board improvement", ["claim-early", "claim-late"]),
        ("improvement astronaut", []),
        ("booth week", ["quote-only"]),
    ],
)
def test_search_needs_every_word_to_match(tmp_path, text, expected):
    assert ids(listing.search(make_store(tmp_path, SEARCHABLE), text)) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("improvements", ["claim-early", "claim-late", "claim-undated", "quote-only", "role-diane-booth-dcs"]),
        ("boards", ["claim-early", "claim-late"]),
        ("visiting", ["accented"]),
        ("directors", ["role-diane-booth-dcs"]),
    ],
)
def test_search_matches_other_forms_of_a_word(tmp_path, text, expected):
    assert ids(listing.search(make_store(tmp_path, SEARCHABLE), text)) == expected


@pytest.mark.parametrize(
    "text, expected",
    [('"improvement board"', ["claim-early", "claim-late"]), ('"board improvement"', []), ('"set up" board', ["claim-early"])],
)
def test_search_quoted_words_match_as_a_phrase(tmp_path, text, expected):
    assert ids(listing.search(make_store(tmp_path, SEARCHABLE), text)) == expected


@pytest.mark.parametrize("text", ["AND", "OR NOT", "board*", "board:", "(board", "NEAR(board)", "^board"])
def test_search_reads_query_syntax_as_plain_words(tmp_path, text):
    answer = listing.search(make_store(tmp_path, SEARCHABLE), text)
    assert all("match" in hit.context for hit in answer.hits)


@pytest.mark.parametrize("text", ['"', "'", "*", "—", "()", " ' \" "])
def test_search_of_punctuation_alone_is_a_usage_error_not_every_fact(tmp_path, text):
    from factcli.core.errors import UsageError

    with pytest.raises(UsageError, match="needs a word or number"):
        listing.search(make_store(tmp_path, SEARCHABLE), text)


def test_search_of_nothing_lists_every_fact(tmp_path):
    assert len(listing.search(make_store(tmp_path, SEARCHABLE), "  ").hits) == len(SEARCHABLE)


@pytest.mark.parametrize("text", ["cafe", "CAFÉ", "zoe", "ZOË café", "Cafe\u0301"])
def test_search_ignores_case_and_accents(tmp_path, text):
    assert ids(listing.search(make_store(tmp_path, SEARCHABLE), text)) == ["accented"]


def test_search_finds_names_in_structured_fields(tmp_path):
    answer = listing.search(make_store(tmp_path, SEARCHABLE), "diane")
    assert ids(answer) == ["role-diane-booth-dcs"]


@pytest.mark.parametrize("text", ["", "   "])
def test_search_with_empty_text_lists_every_fact_by_date(tmp_path, text):
    answer = listing.search(make_store(tmp_path, SEARCHABLE), text)
    assert ids(answer) == [
        "quote-only",
        "claim-early",
        "role-diane-booth-dcs",
        "accented",
        "claim-late",
        "claim-undated",
    ]
    assert not answer.notes


def test_search_kind_keeps_one_kind(tmp_path):
    assert ids(listing.search(make_store(tmp_path, SEARCHABLE), "improvement", kind="role")) == ["role-diane-booth-dcs"]


def test_search_with_no_match_says_why(tmp_path):
    answer = listing.search(make_store(tmp_path, SEARCHABLE), "astronaut")
    assert not answer.hits
    [note] = answer.notes
    assert "astronaut" in note


# --- show ---------------------------------------------------------------------------------


def test_show_returns_the_one_fact(tmp_path):
    answer = listing.show(make_store(tmp_path, [rating_fact(), role_fact()]), "role-diane-booth-dcs")
    assert answer.view == "show"
    assert ids(answer) == ["role-diane-booth-dcs"]


@pytest.mark.parametrize(
    "wanted, suggested",
    [
        ("rating-2019-01-overall-inadequat", "rating-2019-01-overall-inadequate"),
        ("role-diane-booth", "role-diane-booth-dcs"),
        ("booth", "role-diane-booth-dcs"),
    ],
)
def test_show_unknown_id_raises_not_found_with_suggestions(tmp_path, wanted, suggested):
    with pytest.raises(NotFound) as raised:
        listing.show(make_store(tmp_path, [rating_fact(), role_fact()]), wanted)
    assert wanted in str(raised.value)
    assert suggested in raised.value.suggestions
    assert len(raised.value.suggestions) <= 3


def test_show_unknown_id_with_nothing_close_suggests_nothing(tmp_path):
    with pytest.raises(NotFound) as raised:
        listing.show(make_store(tmp_path, [rating_fact(), role_fact()]), "zzzzzz")
    assert not raised.value.suggestions


# --- retracted facts ----------------------------------------------------------------------


def _retracted_store(tmp_path):
    return make_store(
        tmp_path,
        [
            rating_fact(retracted=RETRACTED),
            role_fact(retracted=RETRACTED),
            event("kept", "2019-02", claim="Ofsted inadequate director Booth kept."),
        ],
    )


@pytest.mark.parametrize(
    "ask",
    [
        lambda s, **kw: ratings.rating(s, today=TODAY, **kw),
        lambda s, **kw: ratings.rating(s, year=2019, today=TODAY, **kw),
        lambda s, **kw: who(s, today=TODAY, **kw),
        lambda s, **kw: who(s, role="director", year=2019, today=TODAY, **kw),
        lambda s, **kw: listing.timeline(s, **kw),
        lambda s, **kw: listing.search(s, "", **kw),
        lambda s, **kw: listing.search(s, "inadequate", **kw),
    ],
    ids=["rating", "rating-year", "who", "who-role-year", "timeline", "search-all", "search-word"],
)
def test_retracted_facts_are_left_out_unless_asked_for(tmp_path, ask):
    loaded = _retracted_store(tmp_path)
    retracted = {"rating-2019-01-overall-inadequate", "role-diane-booth-dcs"}
    assert not retracted & set(ids(ask(loaded)))
    included = ask(loaded, include_retracted=True)
    assert retracted & set(ids(included))
    assert all(hit.fact.retracted for hit in included.hits if hit.fact.id in retracted)


def test_show_retracted_fact_is_not_found_unless_asked_for(tmp_path):
    loaded = _retracted_store(tmp_path)
    with pytest.raises(NotFound, match="retracted"):
        listing.show(loaded, "role-diane-booth-dcs")
    assert ids(listing.show(loaded, "role-diane-booth-dcs", include_retracted=True)) == ["role-diane-booth-dcs"]


def test_sources_count_facts_and_citations_without_retracted_facts(tmp_path):
    other = {**SOURCE, "id": "bbc-2024", "published": "2024", "file": "bbc.txt", "title": "Order lifted"}
    facts = [
        rating_fact(),
        role_fact(
            citations=[
                {"source": "gazette-2019", "quote": "director of children's services Diane Booth"},
                {"source": "gazette-2019", "quote": "Diane Booth"},
                {"source": "bbc-2024", "quote": "Booth"},
            ]
        ),
        event("gone", "2019", retracted=RETRACTED),
    ]
    loaded = make_store(tmp_path, facts, [other, SOURCE])
    counted = [(s.source.id, s.facts, s.citations) for s in listing.sources(loaded).hits]
    assert counted == [("gazette-2019", 2, 3), ("bbc-2024", 1, 1)]
    counted = [(s.source.id, s.facts, s.citations) for s in listing.sources(loaded, include_retracted=True).hits]
    assert counted == [("gazette-2019", 3, 4), ("bbc-2024", 1, 1)]


# --- completion ---------------------------------------------------------------------------


def test_completion_values_come_from_the_store(tmp_path):
    loaded = make_store(tmp_path, ROLES + HISTORY)
    assert "Leader of Blackpool Council" in listing.values_for_completion(loaded, "role")
    assert listing.values_for_completion(loaded, "area") == ["children in care and care leavers", "overall"]
    assert "cp-2012" in listing.values_for_completion(loaded, "id")
    assert "rating" in listing.values_for_completion(loaded, "kind")


@pytest.mark.parametrize(
    "year, note",
    [
        (2025, "The store's sources end in 2024; nothing on record for 2025. Last on record: Diane Booth (2019-02)."),
        (2030, "2030 is after today. The store's sources end in 2024; nothing on record for 2030. Last on record:"
               " Diane Booth (2019-02)."),
    ],
)  # fmt: skip
def test_who_after_the_horizon_places_nobody_in_post_and_names_the_last_on_record(tmp_path, year, note):
    answer = who(make_store(tmp_path, [role_fact()]), year=year, today=TODAY)
    assert not answer.hits
    assert answer.notes == [note]


@pytest.mark.parametrize("basis, presumed", [("stated", False), ("planned", False), ("inferred", False), (None, True)])
def test_any_end_on_record_stops_the_presumption_but_only_a_stated_one_extends_the_record(tmp_path, basis, presumed):
    fact = role_fact(end="2021-03" if basis else None, end_basis=basis, tenure_note="Worked out." if basis else None)
    loaded = make_store(tmp_path, [fact])
    context = tenure(who(loaded, today=TODAY), "Diane Booth")
    assert context["last_on_record"] == ("2021-03" if basis == "stated" else "2019-02")
    assert holders_in(loaded, 2023) == ({"Diane Booth": "presumed"} if presumed else {})


def test_search_words_said_twice_are_searched_once(tmp_path):
    from factcli.storage import search as full_text

    assert full_text.parts("improvement " * 10000 + '"set up" "set  up" Improvement') == full_text.parts(
        'improvement "set up"'
    )
    store = make_store(tmp_path, SEARCHABLE)
    assert ids(listing.search(store, "board " * 5000)) == ids(listing.search(store, "board"))


def test_search_of_more_words_than_it_takes_is_a_usage_error(tmp_path):
    from factcli.core.errors import UsageError
    from factcli.storage import search as full_text

    words = " ".join(f"word{n}" for n in range(full_text.MAX_WORDS + 1))
    with pytest.raises(UsageError, match=f"at most {full_text.MAX_WORDS} words"):
        listing.search(make_store(tmp_path, SEARCHABLE), words)
    phrase = '"' + " ".join(f"word{n}" for n in range(full_text.MAX_WORDS + 1)) + '"'
    with pytest.raises(UsageError):
        listing.search(make_store(tmp_path, SEARCHABLE), phrase)


def test_search_shows_the_first_n_and_counts_the_rest(tmp_path):
    store = make_store(tmp_path, SEARCHABLE)
    whole = listing.search(store, "improvement")
    first = listing.search(store, "improvement", limit=2)
    assert ids(first) == ids(whole)[:2]
    assert first.notes == [f"{len(whole.hits) - 2} more not shown (--limit 2)."]
    assert ids(listing.search(store, "", limit=3)) == ids(listing.search(store, ""))[:3]
    assert ids(listing.search(store, "improvement", kind="event", limit=1)) == ["claim-early"]


def test_rating_of_one_area_draws_no_strip_of_the_headline_judgments(tmp_path):
    facts = [judgment("first", "2019-01"), judgment("later", "2022-12", "good")]
    store = make_store(tmp_path, facts)
    assert ratings.rating(store, today=TODAY).strip
    assert ratings.rating(store, area=facts[0]["area"], today=TODAY).strip == []


OUTSIDE_2024 = {**LATER, "id": "outside-2024", "published_basis": "outside", "published_note": "From a register.", "file": "o.txt"}
BOUND_2025 = {**LATER, "id": "bound", "published": None, "published_after": "2025-01", "published_basis": "inferred",
              "published_note": "After the election.", "file": "b.txt"}  # fmt: skip


@pytest.mark.parametrize(
    "sources, expected",
    [
        ([SOURCE, LATER], "printed"),
        ([SOURCE, OUTSIDE_2024], "outside"),
        ([SOURCE, OUTSIDE_2024, LATER], "printed"),  # of two sources of that date, the better known
        ([SOURCE, LATER, BOUND_2025], "bounded"),
        ([], None),
    ],
)
def test_the_horizon_says_how_its_date_is_known(tmp_path, sources, expected):
    loaded = make_store(tmp_path, [], sources)
    assert horizon_basis(loaded) == expected
    assert listing.sources(loaded).horizon_basis == expected


def test_show_of_a_source_id_says_it_is_a_source(tmp_path):
    with pytest.raises(NotFound, match="'gazette-2019' is a source, not a fact or conflict: facts sources lists it"):
        listing.show(make_store(tmp_path, DATED), "gazette-2019")
