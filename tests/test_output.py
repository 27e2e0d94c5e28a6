"""Output in factcli.output: hostile store text shown literally, any script drawn, machine formats clean."""

import csv
import datetime
import io
import json
import re
import unicodedata

import pytest
from conftest import META, SOURCE, conflict, rating_fact, role_fact, write_store
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from factcli.answers import listing
from factcli.answers.people import who
from factcli.answers import rating as ratings
from factcli.output import escape, formats, terminal
from factcli.output.terminal import base as terminal_base
from factcli.storage.memory import load_whole

TODAY = datetime.date(2026, 6, 1)
FORMATS = ("json", "jsonl", "csv")

# Every free-text place of the store, and the views that show it.
PLACES = ("claim", "quote", "title", "publisher", "date_note", "area", "person", "role", "organisation")
VIEWS = {
    "rating": (lambda s: ratings.rating(s, today=TODAY), ("area", "quote", "title", "publisher")),
    "rating-year": (lambda s: ratings.rating(s, year=2019, today=TODAY), ("area", "quote", "title")),
    "who": (lambda s: who(s, today=TODAY), ("person", "role", "organisation", "quote", "title")),
    "timeline": (lambda s: listing.timeline(s), ("claim", "quote", "title", "publisher")),
    "search": (lambda s: listing.search(s, ""), ("claim", "quote", "title")),
    "show-rating": (
        lambda s: listing.show(s, "planted-rating"),
        ("claim", "date_note", "area", "quote", "title", "publisher"),
    ),
    "show-role": (lambda s: listing.show(s, "planted-role"), ("person", "role", "organisation", "quote")),
    "sources": (lambda s: listing.sources(s), ("title", "publisher")),
}


def planted_store(tmp_path, text):
    """A store with text planted in every free-text place, each copy tagged with its place."""
    tag = {place: f"{text}<{place}>" for place in PLACES}
    source = {**SOURCE, "title": tag["title"], "publisher": tag["publisher"]}
    citations = [{"source": SOURCE["id"], "quote": tag["quote"]}]
    facts = [
        rating_fact(
            id="planted-rating", claim=tag["claim"], date_note=tag["date_note"], area=tag["area"], citations=citations
        ),
        role_fact(
            id="planted-role",
            claim="A role.",
            person=tag["person"],
            role=tag["role"],
            organisation=tag["organisation"],
            citations=citations,
        ),
    ]
    return load_whole(write_store(tmp_path / "planted.json", facts, [source]))


def drawn(result, monkeypatch, width=400):
    """What terminal.draw prints for a result, as a person's terminal would get it (no colour)."""
    monkeypatch.setenv("COLUMNS", str(width))
    out = io.StringIO()
    terminal.draw(result, terminal_base.console(out))
    return out.getvalue()


def printed(result, width=100):
    """What a plain rich console prints for the renderables of a result."""
    console = Console(file=io.StringIO(), width=width, color_system=None)
    for renderable in terminal.renderables(result):
        console.print(renderable)
    return console.file.getvalue()


HOSTILE = [
    ("[bold]x[/bold]", "[bold]x[/bold]"),
    ("[link=http://e.vil]click[/link]", "[link=http://e.vil]click[/link]"),
    (":warning: [red on white]", ":warning: [red on white]"),
    ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
    ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "\\x1b]8;;http://x\\x1b\\link\\x1b]8;;\\x1b\\"),
    ("\x1b[2J\x1b[H", "\\x1b[2J\\x1b[H"),
    ("csi\x9b31m", "csi\\x9b31m"),
    ("abc\u202eevil", "abc\\u202eevil"),
    ("isolate\u2067x\u2069", "isolate\\u2067x\\u2069"),
    ("bell\x07back\x08cr\r", "bell\\x07back\\x08cr\\r"),
]


@pytest.mark.parametrize("raw, visible", HOSTILE, ids=[repr(raw) for raw, _ in HOSTILE])
@pytest.mark.parametrize("view", VIEWS)
def test_hostile_store_text_is_drawn_literally(tmp_path, monkeypatch, view, raw, visible):
    ask, places = VIEWS[view]
    output = drawn(ask(planted_store(tmp_path, raw)), monkeypatch)
    for place in places:
        assert f"{visible}<{place}>" in output, place
    assert "\x1b" not in output
    assert "\x9b" not in output
    assert "\u202e" not in output


@pytest.mark.parametrize("view", VIEWS)
def test_renderables_show_markup_literally_on_any_console(tmp_path, view):
    ask, places = VIEWS[view]
    output = printed(ask(planted_store(tmp_path, "[bold]x[/bold] :warning:")), width=200)
    for place in places:
        assert f"[bold]x[/bold] :warning:<{place}>" in output, place


@pytest.mark.parametrize("raw, visible", [pair for pair in HOSTILE if "\x1b" in pair[0] or "\x9b" in pair[0]])
def test_renderables_never_pass_control_characters_to_any_console(tmp_path, raw, visible):
    loaded = planted_store(tmp_path, raw)
    for ask, _ in VIEWS.values():
        output = printed(ask(loaded))
        assert "\x1b" not in output
        assert "\x9b" not in output


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("\x1b[31m", "\\x1b[31m"),
        ("\x1b]8;;http://x\x1b\\", "\\x1b]8;;http://x\\x1b\\"),
        ("\x00\x7f", "\\x00\\x7f"),
        ("\x9b", "\\x9b"),
        ("\x85", "\\x85"),
        ("\u202e", "\\u202e"),
        ("\u200f\u061c", "\\u200f\\u061c"),
        ("\u2028\u2029", "\\u2028\\u2029"),
        ("tab\there", "tab\\there"),
        ("two\nlines", "two\nlines"),
        ("[bold]x[/bold]", "[bold]x[/bold]"),
        ("Blackpool’s café — 儿童 👶", "Blackpool’s café — 儿童 👶"),
        (None, ""),
        (2019, "2019"),
    ],
)
def test_literal_turns_control_characters_into_visible_escapes(raw, shown):
    assert escape.literal(raw) == shown


@given(st.text())
def test_literal_leaves_no_character_that_acts_on_a_terminal(text):
    shown = escape.literal(text)
    bidi_controls = ("LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI")
    acting = [
        ch
        for ch in shown
        if ch != "\n" and (unicodedata.category(ch) == "Cc" or unicodedata.bidirectional(ch) in bidi_controls)
    ]
    assert acting == []


LONG_WORDS = "word " * 2000
LONG_RUN = "x" * 10_000


@pytest.mark.parametrize("text", [LONG_WORDS, LONG_RUN], ids=["words", "one-run"])
@pytest.mark.parametrize("view", VIEWS)
def test_very_long_store_text_draws_without_crashing(tmp_path, monkeypatch, view, text):
    ask, _ = VIEWS[view]
    output = drawn(ask(planted_store(tmp_path, text)), monkeypatch, width=100)
    assert output.strip()


def test_very_long_text_is_shown_whole_in_show(tmp_path, monkeypatch):
    _, places = VIEWS["show-rating"]
    output = drawn(listing.show(planted_store(tmp_path, LONG_WORDS), "planted-rating"), monkeypatch, width=100)
    assert output.count("word") == 2000 * len(places)


SCRIPTS = {
    "arabic": "خدمات الأطفال في بلاكبول",
    "chinese": "布莱克浦儿童服务",
    "devanagari": "ब्लैकपूल बाल सेवाएँ",
    "emoji": "👶🏽👧 ✅",
    "mixed": "Blackpool خدمات 儿童 सेवाएँ 👶",
}


@pytest.mark.parametrize("text", SCRIPTS.values(), ids=SCRIPTS.keys())
@pytest.mark.parametrize("view", VIEWS)
def test_non_latin_scripts_are_drawn(tmp_path, monkeypatch, view, text):
    ask, places = VIEWS[view]
    output = drawn(ask(planted_store(tmp_path, text)), monkeypatch)
    for place in places:
        assert f"{text}<{place}>" in output, place


@pytest.mark.parametrize("text", SCRIPTS.values(), ids=SCRIPTS.keys())
@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_non_latin_scripts_survive_machine_formats_unescaped(tmp_path, fmt, text):
    output = formats.machine_text(listing.timeline(planted_store(tmp_path, text)), fmt)
    assert f"{text}<claim>" in output
    first = json.loads(output)[0] if fmt == "json" else json.loads(output.splitlines()[0])
    assert first["claim"] == f"{text}<claim>"


# --- colour ---------------------------------------------------------------------------------


# A second source, of 2022: the fixture store's horizon is then 2022.
NEWER = {**SOURCE, "id": "newer", "published": "2022", "file": "newer.txt"}


def _grades_store(tmp_path):
    facts = [
        rating_fact(id=f"grade-{n}", claim=f"Graded {grade}.", judgment=grade, area=f"area {n}")
        for n, grade in enumerate(META["scale"])
    ]
    return load_whole(write_store(tmp_path / "grades.json", facts))


def test_grades_are_coloured_inadequate_red_good_green_outstanding_blue_and_ri_apart(tmp_path):
    out = io.StringIO()
    console = terminal_base.console(out, force_terminal=True, color_system="standard", width=120)
    for renderable in terminal.renderables(ratings.rating(_grades_store(tmp_path), year=2019, today=TODAY)):
        console.print(renderable)
    codes = {
        grade: set(re.search(rf"\x1b\[([\d;]+)m{grade}", out.getvalue()).group(1).split(";"))
        for grade in META["scale"]
    }
    assert "31" in codes["inadequate"]
    assert "32" in codes["good"]
    assert "34" in codes["outstanding"]
    assert not {"31", "32", "34"} & codes["requires improvement"]
    assert codes["requires improvement"] - {"1"}


def test_text_to_a_file_has_no_colour(tmp_path, monkeypatch):
    output = drawn(ratings.rating(_grades_store(tmp_path), today=TODAY), monkeypatch)
    assert "inadequate" in output
    assert "\x1b" not in output


def test_no_color_removes_colour_even_on_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    out = io.StringIO()
    console = terminal_base.console(out, force_terminal=True, width=120)
    for renderable in terminal.renderables(ratings.rating(_grades_store(tmp_path), today=TODAY)):
        console.print(renderable)
    sgr_parameters = {p for codes in re.findall(r"\x1b\[([\d;]*)m", out.getvalue()) for p in codes.split(";")}
    assert sgr_parameters, "a forced terminal still gets bold and italic"
    assert not {p for p in sgr_parameters if re.fullmatch(r"3\d|4\d|9[0-7]|10[0-7]", p)}


def test_rating_strip_shows_each_year_and_grade_in_force(tmp_path, monkeypatch):
    facts = [
        rating_fact(id="old", claim="Old.", date="2019-01", published="2019-01"),
        rating_fact(id="new", claim="New.", date="2021-06", published="2021-06", judgment="good"),
    ]
    loaded = load_whole(write_store(tmp_path / "strip.json", facts, [SOURCE, NEWER]))
    lines = drawn(ratings.rating(loaded, today=datetime.date(2022, 1, 1)), monkeypatch).splitlines()
    years = next(i for i, line in enumerate(lines) if line.strip().startswith("19 20 21 22"))
    assert lines[years + 1].split() == ["I", "i", "G", "g"]
    assert "2019–2022" in lines[years - 1]
    assert "Lower case: carried forward, made in an earlier year or on a date not on record;" in lines[years + 3]


def test_rating_strip_marks_years_whose_judgment_is_not_known_and_says_why(tmp_path, monkeypatch):
    later = [{"source": "newer", "quote": "In January"}]
    facts = [
        rating_fact(id="old", claim="Old.", date="2019-01", published="2019-01"),
        rating_fact(id="new", claim="New.", date="2020-12", date_bound="after", date_basis="bounded", published=None,
                    inspected="2020-12", judgment="good", citations=later),
    ]  # fmt: skip
    loaded = load_whole(write_store(tmp_path / "strip.json", facts, [SOURCE, NEWER]))
    output = drawn(ratings.rating(loaded, today=datetime.date(2026, 1, 1)), monkeypatch)
    lines = output.splitlines()
    years = next(i for i, line in enumerate(lines) if line.strip().startswith("19 20 21 22"))
    assert lines[years].split() == ["19", "20", "21", "22"], "the strip ends at the newest source, not today"
    assert lines[years + 1].split() == ["I", "?", "?", "g"]
    flat = " ".join(output.split())
    assert "?: not known which judgment was in force: one was inspected, but its publication date is not on record." in flat
    assert "2020–2021 not known: the judgment inspected 2020-12 (overall) has no publication date on record" in flat


def test_rating_strip_fills_made_years_and_leaves_carried_forward_years_unfilled_in_colour(tmp_path):
    facts = [rating_fact(id="old", claim="Old.", date="2019-01", published="2019-01")]
    loaded = load_whole(write_store(tmp_path / "strip.json", facts, [SOURCE, NEWER]))
    out = io.StringIO()
    console = terminal_base.console(out, force_terminal=True, color_system="standard", width=120)
    console.print(terminal.renderables(ratings.rating(loaded, today=datetime.date(2020, 6, 1)))[1])
    made = re.search(r"\x1b\[([\d;]+)m I", out.getvalue()).group(1).split(";")
    carried = re.search(r"\x1b\[([\d;]+)m i", out.getvalue()).group(1).split(";")
    assert "41" in made, "a year a judgment was made is filled with the grade's colour"
    assert not any(code.startswith("4") for code in carried), "a carried-forward year has no fill"
    assert "2" in carried, "and is dim"


def test_rating_strip_says_what_area_each_stretch_shows(tmp_path, monkeypatch):
    facts = [
        rating_fact(id="cp", claim="CP.", date="2012-07", published="2012-07", area="protection of children from harm"),
        rating_fact(),
    ]
    loaded = load_whole(write_store(tmp_path / "strip.json", facts, [SOURCE, NEWER]))
    output = " ".join(drawn(ratings.rating(loaded, today=datetime.date(2020, 6, 1)), monkeypatch).split())
    assert "Scope: 2012–2018 protection of children from harm (judgment made 2012-07); 2019–2020 overall" in output


def _conflicted_store(tmp_path, text="One line says January."):
    return load_whole(write_store(tmp_path / "conflicted.json", conflicts=[conflict(note=text)]))


def test_answers_flag_facts_in_a_conflict_and_say_what_disagrees(tmp_path, monkeypatch):
    output = drawn(ratings.rating(_conflicted_store(tmp_path), today=TODAY), monkeypatch)
    assert f"[1] {terminal_base.CONFLICT_MARK}" in output
    assert "january-or-february One line says January." in " ".join(output.split())
    untouched = drawn(who(_conflicted_store(tmp_path), today=TODAY), monkeypatch)
    assert terminal_base.CONFLICT_MARK not in untouched


def test_show_names_the_conflicts_a_fact_is_part_of(tmp_path, monkeypatch):
    output = drawn(listing.show(_conflicted_store(tmp_path), "rating-2019-01-overall-inadequate"), monkeypatch)
    # The conflict fixture is a contradiction: labelled so, where a caution would say "caution".
    assert "contradicted" in output and "One line says January." in output and "january-or-february" in output


@pytest.mark.parametrize("raw, visible", HOSTILE, ids=[repr(raw) for raw, _ in HOSTILE])
def test_conflict_notes_are_drawn_literally(tmp_path, monkeypatch, raw, visible):
    output = drawn(listing.conflicts(_conflicted_store(tmp_path, raw)), monkeypatch)
    assert visible in output
    assert "\x1b" not in output.replace("\\x1b", "")


def test_conflicts_json_carries_facts_note_and_cited_quotes(tmp_path):
    [document] = json.loads(formats.machine_text(listing.conflicts(_conflicted_store(tmp_path)), "json"))
    assert (document["id"], document["facts"]) == ("january-or-february", ["rating-2019-01-overall-inadequate"])
    assert [c["quote"] for c in document["citations"]] == [c["quote"] for c in conflict()["citations"]]
    assert {c["published_basis"] for c in document["citations"]} == {"printed"}


def test_a_bounded_date_reads_as_a_bound_in_text_and_json(tmp_path, monkeypatch):
    fact = {**rating_fact(), "date_bound": "by", "date_basis": "bounded"}
    loaded = load_whole(write_store(tmp_path / "bound.json", [fact]))
    assert "by 2019-01" in drawn(listing.timeline(loaded), monkeypatch)
    [document] = json.loads(formats.machine_text(listing.timeline(loaded), "json"))
    assert (document["date"], document["date_bound"]) == ("2019-01", "by")


# --- machine formats ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("view", VIEWS)
def test_machine_formats_never_contain_ansi_even_with_force_color(tmp_path, monkeypatch, capsys, view, fmt):
    monkeypatch.setenv("FORCE_COLOR", "1")
    ask, _ = VIEWS[view]
    formats.emit(ask(planted_store(tmp_path, "[bold]plain[/bold]")), fmt)
    output = capsys.readouterr().out
    assert "plain" in output
    assert "\x1b" not in output


def test_force_color_does_colour_text_output(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FORCE_COLOR", "1")
    formats.emit(ratings.rating(_grades_store(tmp_path), today=TODAY), "text")
    assert "\x1b[" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", FORMATS)
def test_machine_formats_carry_hostile_text_without_raw_escape_characters(tmp_path, fmt):
    raw = "\x1b[31mred\x1b]8;;http://x\x1b\\"
    output = formats.machine_text(listing.timeline(planted_store(tmp_path, raw)), fmt)
    assert "\x1b" not in output


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_formats_keep_store_text_exactly(tmp_path, fmt):
    raw = "[bold]x[/bold] \x1b[31m \u202e 儿童"
    output = formats.machine_text(listing.timeline(planted_store(tmp_path, raw)), fmt)
    documents = json.loads(output) if fmt == "json" else [json.loads(line) for line in output.splitlines()]
    assert documents[0]["claim"] == f"{raw}<claim>"
    assert documents[0]["citations"][0]["quote"] == f"{raw}<quote>"


def _two_citation_store(tmp_path):
    other = {
        **SOURCE, "id": "bbc-2024", "title": "Order lifted", "publisher": "BBC", "published": "2024", "file": "bbc.txt",
        "published_basis": "inferred", "published_note": "Not printed; worked out from the minister named."
    }
    fact = rating_fact(
        citations=[
            {"source": "gazette-2019", "quote": "branded inadequate, by Ofsted"},
            {"source": "bbc-2024", "quote": 'rated "inadequate"\nin 2019'},
        ]
    )
    return load_whole(write_store(tmp_path / "two.json", [fact, role_fact()], [SOURCE, other]))


UNANCHORED = {"start": None, "end": None, "prefix": None, "suffix": None}


def test_json_document_has_fields_citations_with_sources_and_context(tmp_path):
    [document] = json.loads(formats.machine_text(ratings.rating(_two_citation_store(tmp_path), year=2020, today=TODAY), "json"))
    assert {key: document[key] for key in ("id", "kind", "date", "judgment", "area", "published")} == {
        "id": "rating-2019-01-overall-inadequate",
        "kind": "rating",
        "date": "2019-01",
        "judgment": "inadequate",
        "area": "overall",
        "published": "2019-01",
    }
    assert document["citations"] == [
        {
            "source": "gazette-2019",
            "title": "Plan taking shape",
            "publisher": "Blackpool Gazette",
            "published": "2019-02",
            "published_after": None,
            "published_before": None,
            "published_basis": "printed",
            "file": "gazette.txt",
            "quote": "branded inadequate, by Ofsted",
            "as_of": None,
            **UNANCHORED,
        },
        {
            "source": "bbc-2024",
            "title": "Order lifted",
            "publisher": "BBC",
            "published": "2024",
            "published_after": None,
            "published_before": None,
            "published_basis": "inferred",
            "file": "bbc.txt",
            "quote": 'rated "inadequate"\nin 2019',
            "as_of": None,
            **UNANCHORED,
        },
    ]
    assert (document["made"], document["made_basis"]) == ("2019-01", "published")
    assert (document["year"], document["basis"]) == (2020, "carried forward")
    assert document["conflicts"] == []


def test_json_citations_carry_their_anchors(tmp_path):
    anchor = {"start": 3, "end": 60, "prefix": "In ", "suffix": ".\n"}
    citations = [{"source": SOURCE["id"], "quote": "January the department was branded inadequate by Ofsted", **anchor}]
    answer = listing.show(load_whole(write_store(tmp_path / "a.json", [rating_fact(citations=citations)])), "rating-2019-01-overall-inadequate")
    [document] = json.loads(formats.machine_text(answer, "json"))
    assert {key: document["citations"][0][key] for key in anchor} == anchor


def anchored_store(tmp_path, prefix, suffix, start=100):
    citations = [{"source": SOURCE["id"], "quote": "the quote", "start": start, "end": start + 9, "prefix": prefix, "suffix": suffix}]
    return load_whole(write_store(tmp_path / "anchored.json", [rating_fact(citations=citations)]))


def test_show_prints_each_anchored_quote_in_its_context_then_its_source(tmp_path):
    answer = listing.show(anchored_store(tmp_path, "text before\n\n", " and after" + "x" * 22), "rating-2019-01-overall-inadequate")
    lines = printed(answer, width=200).splitlines()
    at = next(i for i, line in enumerate(lines) if "citation 1" in line)
    assert "…text before **the quote** and after" + "x" * 22 + "…" in lines[at]
    assert "Plan taking shape, Blackpool Gazette, 2019-02 (gazette-2019)" in lines[at + 1]


def test_show_context_has_no_ellipsis_where_the_text_ends(tmp_path):
    answer = listing.show(anchored_store(tmp_path, "Start. ", " End.", start=7), "rating-2019-01-overall-inadequate")
    assert "citation 1  Start. **the quote** End." in [line.rstrip() for line in printed(answer, width=200).splitlines()]


def test_show_on_a_terminal_makes_the_quote_bold_and_its_context_dim(tmp_path):
    answer = listing.show(anchored_store(tmp_path, "before ", " after"), "rating-2019-01-overall-inadequate")
    console = Console(file=io.StringIO(), width=200, color_system="standard", force_terminal=True)
    for renderable in terminal.renderables(answer):
        console.print(renderable)
    assert "\x1b[1m**the quote**" in console.file.getvalue()
    assert "\x1b[2m…before " in console.file.getvalue()


@pytest.mark.parametrize("raw, visible", HOSTILE, ids=[repr(raw) for raw, _ in HOSTILE])
def test_show_draws_hostile_context_literally(tmp_path, monkeypatch, raw, visible):
    answer = listing.show(anchored_store(tmp_path, raw[-32:], raw[:32]), "rating-2019-01-overall-inadequate")
    output = drawn(answer, monkeypatch)
    # Context is shown on one line: line breaks and other whitespace as one space.
    before, after = (escape.literal(re.sub(r"\s+", " ", text)) for text in (raw[-32:], raw[:32]))
    assert f"{before}**the quote**{after}" in output.replace("\n", "")
    assert "\x1b" not in output and "\x9b" not in output and "\u202e" not in output


def test_csv_flattens_citations_into_one_column(tmp_path):
    rows = list(csv.DictReader(io.StringIO(formats.machine_text(listing.timeline(_two_citation_store(tmp_path)), "csv"))))
    assert [row["id"] for row in rows] == ["rating-2019-01-overall-inadequate", "role-diane-booth-dcs"]
    assert rows[0]["citations"] == 'gazette-2019: branded inadequate, by Ofsted | bbc-2024: rated "inadequate"\nin 2019'
    assert not {"quote", "title", "source"} & set(rows[0])


def test_csv_writes_booleans_and_nulls_plainly(tmp_path):
    output = formats.machine_text(ratings.rating(_two_citation_store(tmp_path), year=2020, today=TODAY), "csv")
    rows = list(csv.DictReader(io.StringIO(output)))
    assert (rows[0]["basis"], rows[0]["year"], rows[0]["next_judgment"], rows[0]["date_bound"]) == (
        "carried forward",
        "2020",
        "",
        "",
    )


def test_jsonl_is_one_object_per_line_matching_json(tmp_path):
    result = listing.search(_two_citation_store(tmp_path), "")
    lines = formats.machine_text(result, "jsonl").splitlines()
    assert [json.loads(line) for line in lines] == json.loads(formats.machine_text(result, "json"))
    assert len(lines) == 2


def test_sources_documents_carry_counts(tmp_path):
    documents = json.loads(formats.machine_text(listing.sources(_two_citation_store(tmp_path)), "json"))
    assert [(d["id"], d["title"], d["file"], d["facts"], d["citations"]) for d in documents] == [
        ("gazette-2019", "Plan taking shape", "gazette.txt", 2, 2),
        ("bbc-2024", "Order lifted", "bbc.txt", 1, 1),
    ]


@pytest.mark.parametrize(
    "fmt, parse",
    [("json", json.loads), ("jsonl", str.splitlines), ("csv", lambda text: list(csv.DictReader(io.StringIO(text))))],
)
def test_empty_answers_are_still_well_formed(tmp_path, fmt, parse):
    assert parse(formats.machine_text(listing.search(_two_citation_store(tmp_path), "astronaut"), fmt)) == []


# --- hardening: output that cannot attack its reader ---------------------------------------

READER_ATTACKS = "\x9b31m \x9d8;;http://x\x9c \u202e \u2066 \u200f \x1b[2J \x7f \u0085 \u2028"


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_formats_escape_c1_and_bidi_controls_but_keep_the_data(tmp_path, fmt):
    output = formats.machine_text(listing.timeline(planted_store(tmp_path, READER_ATTACKS)), fmt)
    assert not any(escape._unsafe().search(ch) for ch in output if ch != "\n"), output
    documents = json.loads(output) if fmt == "json" else [json.loads(line) for line in output.splitlines()]
    assert documents[0]["claim"] == f"{READER_ATTACKS}<claim>"


def test_json_text_escapes_every_unsafe_character_as_u_escapes():
    text = escape.json_text({"x": READER_ATTACKS})
    assert "\\u009b" in text and "\\u202e" in text
    assert json.loads(text) == {"x": READER_ATTACKS}


def test_every_unsafe_character_is_one_str_isprintable_refuses():
    """escape skips its pattern for text str.isprintable() accepts (line breaks aside): sound only
    while every character the pattern escapes is one isprintable() refuses."""
    unsafe = [chr(point) for point in range(0x110000) if escape._unsafe().match(chr(point))]
    assert len(unsafe) == 10 + 21 + 33 + 1 + 2 + 2 + 5 + 4 + 0x800
    assert not any(character.isprintable() for character in unsafe)


@pytest.mark.parametrize("text", ["plain", "two\nlines", "no\u00a0break", "tab\there", "é ’ “”", "a\u202eb", "x\udc80"])
def test_text_is_escaped_alike_with_or_without_the_quick_check(text):
    pattern = escape._unsafe()
    assert escape.literal(text) == pattern.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    assert escape.json_text([text]) == pattern.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps([text], ensure_ascii=False))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas(tmp_path, start):
    planted = f'{start}HYPERLINK("http://x","y")'
    output = formats.machine_text(listing.timeline(planted_store(tmp_path, planted)), "csv")
    for row in csv.reader(io.StringIO(output)):
        assert not any(value[:1] in ("=", "+", "-", "@", "\t", "\r") for value in row), row


@pytest.mark.parametrize(
    "start",
    [" ", "\u00a0", "\u200b", "\n", "\ufeff", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\ufe66", "\u207a", " \t="],
    ids=["space", "no-break space", "zero-width space", "newline", "byte order mark", "fullwidth =",
         "fullwidth +", "fullwidth -", "fullwidth @", "small =", "superscript +", "space tab ="],
)
def test_csv_neutralises_cells_that_start_with_what_a_spreadsheet_skips_or_reads_as_a_sign(start):
    assert formats._csv_cell(f'{start}HYPERLINK("http://x","y")').startswith("'")


@pytest.mark.parametrize("text", ["Ofsted", "2019", "£4m", "\u00e9t\u00e9", "(1)"])
def test_csv_leaves_ordinary_text_alone(text):
    assert formats._csv_cell(text) == text


def test_csv_raw_cells_are_left_as_stored(tmp_path):
    planted = '=HYPERLINK("http://x","y")'
    output = formats.machine_text(listing.timeline(planted_store(tmp_path, planted)), "csv", raw_cells=True)
    rows = list(csv.DictReader(io.StringIO(output)))
    assert rows[0]["claim"] == f"{planted}<claim>"


def test_csv_keeps_negative_numbers_as_numbers(tmp_path):
    assert formats._csv_cell(-3) == -3


def test_a_quote_not_anchored_is_said_to_be_unchecked_and_an_anchored_one_is_not(tmp_path, monkeypatch):
    from factcli.output.terminal.base import UNCHECKED

    anchored = rating_fact(id="anchored", claim="An anchored claim.")
    anchored["citations"][0].update(start=0, end=59, prefix="", suffix="")
    loose = rating_fact(id="loose", claim="A loose claim.", date="2019-02")
    loose["citations"][0]["quote"] = "words nobody checked"
    store = load_whole(str(write_store(tmp_path / "s.json", [anchored, loose])))
    output = drawn(listing.timeline(store), monkeypatch)
    # The footnotes, each from its number at the start of a line to the next.
    footnotes = [" ".join(note.split()) for note in re.split(r"^\[\d+\] ", output, flags=re.M)[1:]]
    assert len(footnotes) == 2, output
    assert [UNCHECKED in note for note in footnotes] == [False, True], footnotes
    shown = drawn(listing.show(store, "loose"), monkeypatch)
    assert " ".join(UNCHECKED.split()) in " ".join(shown.split())


@pytest.mark.parametrize(
    "fields, columns",
    [
        (["id", "date"], ["id", "date", "date_bound", "date_basis"]),
        (["id", "date_basis", "date"], ["id", "date_basis", "date", "date_bound"]),
        (["id", "claim"], ["id", "claim"]),
    ],
)
def test_a_date_asked_for_comes_with_how_it_is_known(tmp_path, fields, columns):
    result = listing.timeline(load_whole(write_store(tmp_path / "facts.json")))
    assert next(csv.reader(io.StringIO(formats.machine_text(result, "csv", fields=fields)))) == columns
    as_json = json.loads(formats.machine_text(result, "json", fields=fields))
    assert as_json and [list(document) for document in as_json] == [columns] * len(as_json)
