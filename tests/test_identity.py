"""Identity by kind: a reworded fact is the same claim when its identifying fields agree; near when all but one do."""

import json
from pathlib import Path

import pytest
from conftest import META, POLICE_META, police_facts, rating_fact, role_fact

from factcli.core.meta import Meta, meta_of
from factcli.curation.identity import (
    IDENTIFYING,
    Identities,
    described,
    differing,
    identity,
    near,
    person_key,
    same_identity,
)

REPO = Path(__file__).resolve().parents[1]
TINY = Meta.from_record(META)


@pytest.mark.parametrize(
    "name, key",
    [
        ("David Johnston OBE MP", "david johnston"),
        ("Cllr Simon Blackburn", "simon blackburn"),
        ("Councillor Jim Hobson", "jim hobson"),
        ("Coun. Jim Hobson", "jim hobson"),
        ("Dr. Jane O'Brien", "jane obrien"),
        ("Sir Keir Starmer KC MP", "keir starmer"),
        ("The Rt Hon Ed Balls", "ed balls"),
        ("Professor Eileen Munro CBE", "eileen munro"),
        ("Baroness Longfield", "longfield"),
        ("Edward Timpson (minister)", "edward timpson"),
        ("ÉLODIE  Müller", "elodie muller"),
        ("Councillor", ""),
        ("Cllr", ""),
        ("Mr", ""),
    ],
)
def test_person_key_drops_forms_of_address_case_accents_and_punctuation(name, key):
    assert person_key(name) == key


def test_a_post_nominal_alone_is_a_name_not_nothing():
    # "Ms" before a name is a form of address; a lone word is kept, whatever it is.
    assert person_key("Ms") == ""
    assert person_key("Ma") == "ma"


def figure(**overrides):
    return {
        "id": "figure-4m",
        "kind": "figure",
        "claim": "The council put an extra £4m into children's services.",
        "date": "2021-03",
        "value": 4000000,
        "unit": "GBP",
        "measure": "additional investment in children's services",
        "citations": [{"source": "gazette-2019", "quote": "an extra £4m"}],
        **overrides,
    }


def intervention(**overrides):
    return {
        "id": "intervention-2024-direction-lifted",
        "kind": "intervention",
        "claim": "The statutory direction was lifted in 2024.",
        "date": "2024",
        "intervention": "statutory direction",
        "action": "lifted",
        "by": None,
        "citations": [{"source": "gazette-2019", "quote": "the direction was lifted"}],
        **overrides,
    }


def statement(**overrides):
    return {
        "id": "statement-booth-plan",
        "kind": "statement",
        "claim": "Diane Booth said a plan was being laid out.",
        "date": "2019-02",
        "speaker": "Diane Booth",
        "citations": [{"source": "gazette-2019", "quote": "a 12-week improvement plan was being laid out."}],
        **overrides,
    }


# The issue's five reworded duplicates: each is another fact's claim in other words.
REWORDED = [
    (
        rating_fact(),
        rating_fact(id="rating-again", claim="Inspectors judged the service Inadequate in January 2019.", service="Children's Services"),
    ),
    (
        role_fact(
            id="role-johnston", person="David Johnston", role="minister for children, families and wellbeing",
            organisation="UK Government", post="children's minister",
        ),
        role_fact(
            id="role-johnston-again", person="David Johnston OBE MP", role="Minister for Children, Families and Wellbeing",
            organisation="UK Government", post=None,
        ),
    ),
    (
        role_fact(id="role-blackburn", person="Simon Blackburn", role="Leader of Blackpool Council", organisation="Blackpool Council"),
        role_fact(id="role-blackburn-again", person="Cllr Simon Blackburn", role="council leader", organisation="Blackpool Council"),
    ),
    (figure(), figure(id="figure-again", claim="£4m more went into the service.", date="2024", value=4_000_000.0)),
    (intervention(), intervention(id="intervention-again", claim="Ministers lifted the direction in June 2024.", date="2024-06")),
]  # fmt: skip


@pytest.mark.parametrize("first, second", REWORDED, ids=lambda pair: pair["kind"] if isinstance(pair, dict) else "")
def test_each_reworded_duplicate_of_the_issue_is_the_same_identity(first, second):
    assert same_identity(first, second, TINY)
    assert differing(identity(first, TINY), identity(second, TINY)) == ()
    assert not near(first, second, TINY)


def test_the_kinds_whose_claim_is_only_their_words_have_no_identity():
    from factcli.core.kinds import KINDS

    assert set(KINDS) - set(IDENTIFYING) == {"finding", "plan", "event"}
    finding = {"kind": "finding", "id": "f", "by": None, "claim": "C", "citations": [{"source": "s", "quote": "Q"}]}
    assert identity(finding, TINY) is None
    assert not same_identity(finding, dict(finding), TINY)


@pytest.mark.parametrize(
    "first, second, fields",
    [
        (figure(), figure(measure="extra money for the service"), ("measure",)),
        (rating_fact(), rating_fact(area="help and protection"), ("area",)),
        (rating_fact(), rating_fact(date="2019-06", published="2019-06"), ("when",)),
        (intervention(date="2024-05"), intervention(date="2024-06"), ("when",)),
        (role_fact(), role_fact(organisation="Another Council"), ("organisation",)),
        (role_fact(), role_fact(role="head of social care"), ("post",)),
        (statement(), statement(speaker="Lynn Williams"), ("speaker",)),
    ],
)
def test_all_but_one_field_agreeing_is_near(first, second, fields):
    assert not same_identity(first, second, TINY)
    assert near(first, second, TINY)
    assert differing(identity(first, TINY), identity(second, TINY)) == fields


@pytest.mark.parametrize(
    "first, second",
    [
        # Successive holders of one post are two claims, however alike.
        (role_fact(person="Diane Booth"), role_fact(person="Vicky Gent")),
        (figure(), figure(value=5_000_000)),
        (figure(), figure(unit="social workers")),
        (rating_fact(), rating_fact(judgment="good")),
        (rating_fact(), rating_fact(date="2020-01", published="2020-01")),  # another year
        (intervention(), intervention(action="imposed")),
        (statement(), statement(citations=[{"source": "gazette-2019", "quote": "Another thing entirely."}])),
        (statement(), rating_fact()),
    ],
)
def test_a_different_anchor_is_neither_the_same_nor_near(first, second):
    assert not same_identity(first, second, TINY)
    assert not near(first, second, TINY)


def test_months_agree_when_one_holds_the_other():
    assert same_identity(intervention(date="2024"), intervention(date="2024-06-05"), TINY)
    assert not same_identity(intervention(date="2024-05"), intervention(date="2024-06"), TINY)
    # A rating's month is its publication's or its inspection's as well as its date's.
    assert same_identity(
        rating_fact(date="2019-01", published="2019-01", inspected="2018-12"),
        rating_fact(date="2018-12", published=None, inspected="2018-12"),
        TINY,
    )


def test_a_role_matches_through_the_stores_aliases_only():
    minister = role_fact(person="David Johnston", role="minister for children", organisation="UK Government")
    called = role_fact(person="David Johnston", role="Children's Minister", organisation="UK Government")
    assert same_identity(minister, called, TINY)
    assert not same_identity(minister, called, Meta())


def test_statements_compare_their_quotes_as_words():
    retyped = statement(
        speaker="Ms Diane Booth",
        citations=[
            {"source": "other", "quote": "Something first."},
            {"source": "gazette-2019", "quote": "A 12‑week Improvement plan was being laid out"},
        ],
    )
    assert same_identity(statement(), retyped, TINY)


@pytest.mark.parametrize(
    "record",
    [
        rating_fact(date=None, published=None, inspected=None),
        role_fact(person="Councillor"),
        figure(value="four million"),
        statement(citations=[]),
        {"kind": "no such kind"},
        {"kind": ["rating"]},
    ],
)
def test_a_record_lacking_what_identifies_it_has_no_identity(record):
    assert identity(record, TINY) is None
    assert not same_identity(record, record, TINY)


def test_identities_finds_the_same_claim_first_then_near_ones_in_the_order_filed():
    filed = Identities(TINY)
    for record in (figure(id="a", measure="extra money"), figure(id="b"), figure(id="c", measure="more money")):
        filed.add(record)
    filed.add(figure(id="retracted", retracted={"reason": "wrong", "date": "2024"}))
    found = filed.matches(figure(id="new"))
    assert [(m.fact_id, m.near, m.fields) for m in found] == [
        ("b", False, ()),
        ("a", True, ("measure",)),
        ("c", True, ("measure",)),
    ]
    assert filed.matches(figure(id="b")) == found[1:]  # a fact is never its own match


def test_identities_work_for_another_subject():
    meta = Meta.from_record(POLICE_META)
    filed = Identities(meta)
    for record in police_facts():
        filed.add(record)
    chief = next(f for f in police_facts() if f["kind"] == "role" and f["person"] == "Ada Quill")
    again = {**chief, "id": "again", "person": "Chief Constable Ada Quill QPM", "role": "chief"}
    # "Chief Constable" is a title this package does not know: the name keeps it, so only near.
    assert [(m.fact_id, m.near) for m in filed.matches(again)] == []
    again["person"] = "Ada Quill"
    assert [(m.fact_id, m.near) for m in filed.matches(again)] == [(chief["id"], False)]


def test_no_two_bundled_facts_share_an_identity():
    tables = json.loads((REPO / "data" / "facts.json").read_text(encoding="utf-8"))
    meta = meta_of(tables)
    filed = Identities(meta)
    shared = []
    for record in tables["facts"].values():
        shared += [(record["id"], m.fact_id) for m in filed.matches(record) if not m.near]
        filed.add(record)
    assert shared == []
    assert all(
        identity(record, meta) is not None for record in tables["facts"].values() if record["kind"] in IDENTIFYING
    )


def test_described_names_fields_as_a_reader_says_them():
    assert described(["judgment", "area", "when"]) == "judgment, area and month"
    assert described(["inspection_type"]) == "inspection type"
