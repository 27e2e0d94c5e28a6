"""Anchoring in factcli.anchor: raw offsets found through folded text, context either side, one occurrence chosen."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcli.core.kinds import ANCHOR_CONTEXT
from factcli.core.text import fold
from factcli.curation.anchor import SourceText, Unanchored, anchor_at

TEXT = "Blackpool\u2019s  \ufb01ndings\n\n were \u201cinadequate\u201d \u2014 caf\u0065\u0301 said. And inadequate again."


@pytest.mark.parametrize(
    "quote, span",
    [
        ("Blackpool's findings", "Blackpool\u2019s  \ufb01ndings"),
        ("findings were", "\ufb01ndings\n\n were"),
        ('"inadequate" - caf\u00e9', "\u201cinadequate\u201d \u2014 caf\u0065\u0301"),
        ("said.", "said."),
    ],
)
def test_a_quote_is_anchored_to_its_raw_span_despite_typography(quote, span):
    found = SourceText(TEXT).anchor({"quote": quote})
    assert TEXT[found.start : found.end] == span
    assert fold(TEXT[found.start : found.end]) == fold(quote)


def test_the_context_is_up_to_32_characters_either_side_and_shorter_at_the_ends():
    text = "x" * 40 + "QUOTE" + "y" * 10
    found = SourceText(text).anchor({"quote": "QUOTE"})
    assert (found.start, found.end) == (40, 45)
    assert found.prefix == "x" * ANCHOR_CONTEXT
    assert found.suffix == "y" * 10
    assert anchor_at(text, 0, 3).prefix == ""


def test_a_match_inside_what_one_character_folds_to_is_not_a_span():
    assert SourceText("\ufb01ndings").spans("indings") == []


def test_a_quote_not_in_the_text_is_refused():
    with pytest.raises(Unanchored, match="not found"):
        SourceText(TEXT).anchor({"quote": "adequate findings"})


def test_a_quote_found_twice_is_refused_as_ambiguous_naming_both_starts():
    with pytest.raises(Unanchored, match=r"occurs 2 times .*start 29, 59"):
        SourceText(TEXT).anchor({"quote": "inadequate"})


def test_a_quote_found_twice_is_anchored_where_its_start_points():
    found = SourceText(TEXT).anchor({"quote": "inadequate", "start": 59})
    assert (found.start, found.end) == (59, 69)


def test_a_quote_found_twice_is_anchored_where_its_old_context_points_after_the_text_moved():
    old = SourceText(TEXT).anchor({"quote": "inadequate", "start": 59})
    moved = SourceText("Preface. " + TEXT)
    found = moved.anchor({"quote": "inadequate", **old.to_record()})
    assert (found.start, found.end) == (68, 78)
    assert found.suffix == old.suffix


def test_difference_names_the_first_character_a_quote_does_not_share_with_its_span():
    text = SourceText("One of the areas\u00a0Ofsted would be looking at was the ‘front door’.")
    exact = {"quote": "areas\u00a0Ofsted", **text.anchor({"quote": "areas Ofsted"}).to_record()}
    assert text.difference(exact) is None
    assert text.difference({**exact, "quote": "areas Ofsted"}) == (
        "character 6 of the quote is U+0020 where the source has U+00A0"
    )
    curly = {"quote": "‘front door’", **text.anchor({"quote": "'front door'"}).to_record()}
    assert text.difference({**curly, "quote": "'front door'"}) == (
        "character 1 of the quote is U+0027 where the source has U+2018"
    )


# Text made of characters that fold one by one or in runs (spaces, dashes, quotes, ligatures, accents).
_TEXT = st.text(alphabet="abXY01 .\n\t\u00a0\u2018\u2019\u201c\u201d\u2013\u2014'\"-\ufb01\u0301\u2026", max_size=80)


@given(_TEXT, st.data())
def test_every_anchor_found_folds_to_the_quote_and_carries_its_context(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    quote = text[start:end]
    folded = SourceText(text)
    for span_start, span_end in folded.spans(quote):
        assert fold(text[span_start:span_end]) == fold(quote)
        found = anchor_at(text, span_start, span_end)
        assert text[: found.start].endswith(found.prefix) and text[found.end :].startswith(found.suffix)
    if fold(quote) and not _splits_a_fold(text, start, end):
        assert folded.spans(quote)


def _splits_a_fold(text, start, end):
    """Whether the slice cuts a combining accent from its letter, or a run of whitespace, or starts or ends in one."""
    return any(
        0 < i < len(text) and (text[i] == "\u0301" or (text[i].isspace() and text[i - 1].isspace()))
        for i in (start, end)
    )


@given(st.text(alphabet="ab `Z9.,\n\t\u00a0\u2019\u201c\u2014\ufb01\u0301\u0327\u2026\u00e9", max_size=80))
def test_folded_text_is_what_fold_makes_of_the_text_with_a_raw_span_per_character(text):
    folded = SourceText(text)
    assert folded.folded.strip() == fold(text)
    assert len(folded.starts) == len(folded.ends) == len(folded.folded)
    assert list(folded.starts) == sorted(folded.starts)
    assert all(0 <= start < end <= len(text) for start, end in zip(folded.starts, folded.ends))
