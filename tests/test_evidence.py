"""Checking citations in factcli.evidence: typography folding, each quote in its source text, fingerprints and anchors."""

import hashlib

import pytest
from conftest import SOURCE, SOURCE_TEXT, conflict, rating_fact, role_fact, write_store
from hypothesis import given
from hypothesis import strategies as st

from factcli.core.text import fold
from factcli.curation import curate, evidence
from factcli.storage import jsonfile as store


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
    assert fold(raw) == folded


# A source text made only of characters that fold one by one, so any slice of it is a fair quote.
_FOLDABLE = st.text(alphabet="abcXYZ019 .,\n\t\u00a0\u2018\u2019\u201c\u201d\u2013\u2014'\"-", max_size=60)


@given(_FOLDABLE, st.data())
def test_a_verbatim_slice_of_a_source_is_always_found_after_folding(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert fold(text[start:end]) in fold(text)


def _store_with_quotes(tmp_path, *quotes):
    """The tiny store with its rating cited by each quote in turn."""
    citations = [{"source": SOURCE["id"], "quote": quote} for quote in quotes]
    return write_store(tmp_path / "quoted.json", [rating_fact(citations=citations), role_fact()])


def verified(path, folder):
    return evidence.verify(store.read_valid_tables(path), folder)


def misses(path, folder):
    return verified(path, folder).misses


def test_misses_passes_an_untouched_store(tiny_store, sources_dir):
    assert misses(tiny_store, sources_dir) == []


def test_misses_catches_a_quote_altered_by_one_word(tmp_path, sources_dir):
    altered = "In January the department was branded failing by Ofsted"
    found = misses(_store_with_quotes(tmp_path, altered), sources_dir)
    assert found == [
        evidence.Miss(
            "fact", "rating-2019-01-overall-inadequate", "gazette-2019", altered, "gone", "quote not found in source text"
        )
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
    assert misses(_store_with_quotes(tmp_path, quote), sources_dir) == []


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
    found = misses(_store_with_quotes(tmp_path, quote), sources_dir)
    assert [miss.quote for miss in found] == [quote]


def test_misses_reports_each_bad_citation_of_a_fact(tmp_path, sources_dir):
    found = misses(_store_with_quotes(tmp_path, "Ms Booth said", "Mr Booth said", "Ms Booth shouted"), sources_dir)
    assert [miss.quote for miss in found] == ["Mr Booth said", "Ms Booth shouted"]


def test_misses_finds_a_quote_whose_source_types_apostrophes_as_acute_accents(tmp_path, sources_dir):
    (sources_dir / "gazette.txt").write_text(SOURCE_TEXT.replace("'", "\u00b4"), encoding="utf-8")
    quote = "Blackpool\u2019s director of children\u2019s services Diane Booth"
    assert misses(_store_with_quotes(tmp_path, quote), sources_dir) == []


def test_a_missing_source_file_is_reported_once_not_once_per_quote(tiny_store, tmp_path):
    empty = tmp_path / "no-texts-here"
    empty.mkdir()
    result = verified(tiny_store, empty)
    assert result.misses == []
    [problem] = result.sources
    assert (problem.source_id, problem.problem) == ("gazette-2019", "missing")
    assert "gazette.txt" in problem.reason


def test_an_unreadable_source_file_is_an_error_naming_the_file(tiny_store, sources_dir):
    (sources_dir / "gazette.txt").write_bytes(SOURCE_TEXT.replace("'", "\u2019").encode("utf-16"))
    with pytest.raises(OSError, match="gazette.txt"):
        misses(tiny_store, sources_dir)


# --- fingerprints and anchors -------------------------------------------------------------


def anchored(path, folder):
    """The store at path, anchored and fingerprinted against folder."""
    curate.anchor_store(path, folder)
    return path


def test_an_anchored_store_verifies_with_nothing_left_to_anchor(tiny_store, sources_dir):
    result = verified(anchored(tiny_store, sources_dir), sources_dir)
    assert (result.sources, result.misses, result.unanchored, result.unfingerprinted) == ([], [], 0, 0)
    assert result.citations == 2


def test_an_unanchored_store_verifies_and_counts_what_is_not_anchored(tiny_store, sources_dir):
    result = verified(tiny_store, sources_dir)
    assert (result.sources, result.misses, result.unanchored, result.unfingerprinted) == ([], [], 2, 1)


def test_a_source_edited_by_one_character_is_caught_by_its_fingerprint(tiny_store, sources_dir):
    anchored(tiny_store, sources_dir)
    (sources_dir / "gazette.txt").write_text(SOURCE_TEXT.replace("laid out.", "laid out!"), encoding="utf-8")
    result = verified(tiny_store, sources_dir)
    assert [(p.source_id, p.problem) for p in result.sources] == [("gazette-2019", "changed")]
    assert result.misses == []  # the quotes themselves still stand


def test_a_quote_moved_within_the_text_is_reported_as_moved_not_gone(tiny_store, sources_dir):
    anchored(tiny_store, sources_dir)
    (sources_dir / "gazette.txt").write_text("A new first line.\n" + SOURCE_TEXT, encoding="utf-8")
    result = verified(tiny_store, sources_dir)
    assert {miss.problem for miss in result.misses} == {"moved"}
    assert len(result.misses) == 2
    assert "now at" in result.misses[0].reason


def test_a_quote_removed_from_the_text_is_reported_as_gone(tiny_store, sources_dir):
    anchored(tiny_store, sources_dir)
    (sources_dir / "gazette.txt").write_text(SOURCE_TEXT.replace("Diane Booth", "Ms Booth"), encoding="utf-8")
    [miss] = verified(tiny_store, sources_dir).misses
    assert (miss.record_id, miss.problem) == ("role-diane-booth-dcs", "gone")


def test_a_quote_at_its_anchor_with_new_text_around_it_is_reported(tiny_store, sources_dir):
    anchored(tiny_store, sources_dir)
    (sources_dir / "gazette.txt").write_text(SOURCE_TEXT.replace("told a meeting", "told us"), encoding="utf-8")
    [miss] = verified(tiny_store, sources_dir).misses
    assert (miss.record_id, miss.problem) == ("role-diane-booth-dcs", "context")


def test_source_texts_are_read_without_newline_translation(tmp_path):
    (tmp_path / "crlf.txt").write_bytes(b"one\r\ntwo")
    found = evidence.SourceTexts(tmp_path).get({"file": "crlf.txt"})
    assert found.text.raw == "one\r\ntwo"
    assert found.sha256 == hashlib.sha256(b"one\r\ntwo").hexdigest()


def test_verify_checks_the_quotes_of_conflicts_too(tmp_path, sources_dir):
    altered = conflict(citations=[*conflict()["citations"], {"source": "gazette-2019", "quote": "Diane Booth sang"}])
    path = write_store(tmp_path / "conflicted.json", conflicts=[conflict(), altered | {"id": "other"}])
    found = misses(path, sources_dir)
    assert [(miss.kind, miss.record_id, miss.quote) for miss in found] == [("conflict", "other", "Diane Booth sang")]
