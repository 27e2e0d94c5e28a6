"""History: how a change to a record is kept, field by field."""

from factcli.curation import history


def test_a_change_inside_a_long_field_is_recorded_where_it_is():
    """A quote corrected in one of several anchored citations is history's 'citations[1].quote',
    whole, not the citations list cut to its first characters (which may not differ at all)."""
    anchored = {"source": "gazette-2019", "quote": "q" * 120, "start": 0, "end": 120, "prefix": "p" * 32, "suffix": "s" * 32}
    corrected = {**anchored, "quote": "Q" * 120}
    before = {"id": "f", "citations": [anchored, anchored]}
    assert history.changes(before, {"id": "f", "citations": [anchored, corrected]}) == [
        {"field": "citations[1].quote", "before": "q" * 120, "after": "Q" * 120}
    ]
    added = history.changes(before, {"id": "f", "citations": [anchored, anchored, {"source": "s", "quote": "new"}]})
    assert added == [{"field": "citations[2]", "after": {"source": "s", "quote": "new"}}]
    # A short field is one change, as before.
    assert history.changes({"claim": "a"}, {"claim": "b"}) == [{"field": "claim", "before": "a", "after": "b"}]
