"""Quote checking in factcli.evidence: typography folding and finding each quote in its source text."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import SOURCE, SOURCE_TEXT, conflict, rating_fact, role_fact, write_store
from factcli import evidence, store


@pytest.mark.parametrize(
    "raw, folded",
    [
        ("Blackpool\u2019s", "Blackpool's"),
        ("\u2018failing\u2019", "'failing'"),
        ("\u201ainadequate\u201b", "'inadequate'"),
        ("\u201cchronic neglect\u201d", '"chronic neglect"'),
        ("\u201egood\u201f", '"good"'),
        ("\u00abgood\u00bb", '"good"'),
        ("2019\u20132021", "2019-2021"),
        ("plan \u2014 agreed", "plan - agreed"),
        ("a\u2010b\u2011c\u2012d\u2015e", "a-b-c-d-e"),
        ("\u2212 5", "- 5"),
        ("\uff0dx\ufe63y\ufe58z", "-x-y-z"),
        ("5\u2032", "5'"),
        ("Blackpool\u00b4s", "Blackpool's"),
        ("12\u2033", '12"'),
        ("Blackpool`s", "Blackpool's"),
        ("\ufb01ndings", "findings"),
        ("\uff2f\uff46\uff53\uff54\uff45\uff44", "Ofsted"),
        ("caf\u0065\u0301", "caf\u00e9"),
        ("\u2026", "..."),
        ("a\u00a0b", "a b"),
        ("  several \n\t  spaces\r\nand lines  ", "several spaces and lines"),
        ("a\u2028b\u2029c", "a b c"),
        ("Inadequate", "Inadequate"),
    ],
)
def test_fold_straightens_quotes_dashes_compatibility_forms_and_whitespace(raw, folded):
    assert evidence.fold(raw) == folded


# A source text made only of characters that fold one by one, so any slice of it is a fair quote.
_FOLDABLE = st.text(alphabet="abcXYZ019 .,\n\t\u00a0\u2018\u2019\u201c\u201d\u2013\u2014'\"-", max_size=60)


@given(_FOLDABLE, st.data())
def test_a_verbatim_slice_of_a_source_is_always_found_after_folding(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert evidence.fold(text[start:end]) in evidence.fold(text)


def _store_with_quotes(tmp_path, *quotes):
    """The tiny store with its rating cited by each quote in turn."""
    citations = [{"source": SOURCE["id"], "quote": quote} for quote in quotes]
    return store.load(write_store(tmp_path / "quoted.json", [rating_fact(citations=citations), role_fact()]))


def test_misses_passes_an_untouched_store(tiny_store, sources_dir):
    assert evidence.misses(store.load(tiny_store), sources_dir) == []


def test_misses_catches_a_quote_altered_by_one_word(tmp_path, sources_dir):
    altered = "In January the department was branded failing by Ofsted"
    found = evidence.misses(_store_with_quotes(tmp_path, altered), sources_dir)
    assert found == [
        evidence.Miss("rating-2019-01-overall-inadequate", "gazette-2019", altered, "quote not found in source text")
    ]


@pytest.mark.parametrize(
    "quote",
    [
        "Blackpool\u2019s director of children\u2019s services Diane Booth",
        "branded  inadequate\nby Ofsted",
        "by Ofsted. Blackpool's director",
        "a 12\u2013week improvement plan",
        "  Ms Booth said  ",
    ],
)
def test_misses_ignores_typography_and_line_breaks(tmp_path, sources_dir, quote):
    assert evidence.misses(_store_with_quotes(tmp_path, quote), sources_dir) == []


@pytest.mark.parametrize(
    "quote",
    [
        "In January the department was branded inadequate by Ofsted inspectors",
        "In January the department was not branded inadequate by Ofsted",
        "a 12-week improvement plan was laid out",
        "Blackpools director",
    ],
)
def test_misses_catches_added_removed_or_changed_words(tmp_path, sources_dir, quote):
    found = evidence.misses(_store_with_quotes(tmp_path, quote), sources_dir)
    assert [miss.quote for miss in found] == [quote]


def test_misses_reports_each_bad_citation_of_a_fact(tmp_path, sources_dir):
    found = evidence.misses(
        _store_with_quotes(tmp_path, "Ms Booth said", "Mr Booth said", "Ms Booth shouted"), sources_dir
    )
    assert [miss.quote for miss in found] == ["Mr Booth said", "Ms Booth shouted"]


def test_misses_finds_a_quote_whose_source_types_apostrophes_as_acute_accents(tmp_path, sources_dir):
    (sources_dir / "gazette.txt").write_text(SOURCE_TEXT.replace("'", "\u00b4"), encoding="utf-8")
    quote = "Blackpool\u2019s director of children\u2019s services Diane Booth"
    assert evidence.misses(_store_with_quotes(tmp_path, quote), sources_dir) == []


def test_misses_reports_a_missing_source_file(tiny_store, tmp_path):
    empty = tmp_path / "no-texts-here"
    empty.mkdir()
    found = evidence.misses(store.load(tiny_store), empty)
    assert {miss.fact_id for miss in found} == {"rating-2019-01-overall-inadequate", "role-diane-booth-dcs"}
    assert all("gazette.txt" in miss.reason and "not found" in miss.reason for miss in found)


def test_an_unreadable_source_file_is_an_error_naming_the_file(tiny_store, sources_dir):
    (sources_dir / "gazette.txt").write_bytes(SOURCE_TEXT.replace("'", "\u2019").encode("utf-16"))
    with pytest.raises(OSError, match="gazette.txt"):
        evidence.misses(store.load(tiny_store), sources_dir)


def test_misses_checks_the_quotes_of_conflicts_too(tmp_path, sources_dir):
    altered = conflict(citations=[*conflict()["citations"], {"source": "gazette-2019", "quote": "Diane Booth sang"}])
    loaded = store.load(write_store(tmp_path / "conflicted.json", conflicts=[conflict(), altered | {"id": "other"}]))
    found = evidence.misses(loaded, sources_dir)
    assert [(miss.fact_id, miss.quote) for miss in found] == [("other", "Diane Booth sang")]
