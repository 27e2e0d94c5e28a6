"""facts brief: a footnoted briefing whose Markdown renders as intended and whose store text stays text."""

import html.parser
import re

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from conftest import SOURCE, conflict, rating_fact, role_fact, write_store
from factcli.publish.brief import markdown_text
from factcli.cli import cli
from factcli.storage.location import BUNDLED_STORE
from factcli.storage.memory import load_whole

HOSTILE = (
    "<script>document.title='PWNED'</script> <img src=x onerror=alert(1)> *bold* _em_ `code` "
    "[link](javascript:alert(1)) <javascript:alert(1)> [^9] &#60;b&#62; &amp; ~~gone~~ | cell |\n# heading\x1b[31m"
)


def run(*args):
    return CliRunner().invoke(cli, ["brief", *[str(arg) for arg in args]])


def parse(text):
    """Markdown as CommonMark with footnotes reads it, raw HTML allowed so any that leaks shows."""
    return MarkdownIt("commonmark").use(footnote_plugin).parse(text)


def footnotes(tokens):
    """(labels referenced, {label: text of its footnote}) from parsed Markdown."""
    refs, notes, label = [], {}, None
    for token in tokens:
        if token.type == "footnote_open":
            label = token.meta["label"]
            notes[label] = ""
        elif token.type == "footnote_close":
            label = None
        elif token.type == "inline":
            for child in token.children:
                if child.type == "footnote_ref":
                    refs.append(child.meta["label"])
                elif child.type == "text" and label is not None:
                    notes[label] += child.content
    return refs, notes


def raw_html(tokens):
    found = [token for token in tokens if token.type == "html_block"]
    for token in tokens:
        found += [child for child in token.children or () if child.type == "html_inline"]
    return found


def hostile_store(tmp_path):
    source = {**SOURCE, "title": HOSTILE, "publisher": HOSTILE}
    fact = rating_fact(claim="Rated " + HOSTILE)
    fact["citations"][0]["quote"] = "In January the department " + HOSTILE
    fight = conflict(note="Note " + HOSTILE)
    return write_store(tmp_path / "hostile.json", facts=[fact, role_fact()], sources=[source], conflicts=[fight])


def test_every_footnote_reference_of_the_bundled_brief_has_its_footnote_and_cites_a_real_source(monkeypatch):
    monkeypatch.setenv("FACTS_DB", BUNDLED_STORE)
    store = load_whole(BUNDLED_STORE)
    result = run()
    assert result.exit_code == 0, result.stderr
    tokens = parse(result.stdout)
    refs, notes = footnotes(tokens)
    assert refs and set(refs) == set(notes)
    facts = {fact.id: fact for fact in store.facts}
    conflicts = {c.id: c for c in store.conflicts}
    for text in notes.values():
        cited_id = text.rstrip(".").split()[-1]
        owner = facts.get(cited_id) or conflicts[cited_id]
        for citation in owner.citations:
            assert f"“{citation.quote}” — {store.sources[citation.source].title}" in text
    assert not raw_html(tokens)


def test_the_brief_has_one_footnoted_sentence_per_fact_grouped_by_year_in_date_order(monkeypatch):
    monkeypatch.setenv("FACTS_DB", BUNDLED_STORE)
    result = run("--from", 2019, "--to", 2021)
    tokens = parse(result.stdout)
    headings = [tokens[i + 1].content for i, token in enumerate(tokens) if token.type == "heading_open"]
    # A fact known only by a bound goes under the bound, never under a year it may not belong to.
    assert [heading for heading in headings[1:] if heading.isdigit()] == ["2019", "2020", "2021"]
    assert all(heading.startswith(("by ", "after ")) for heading in headings[1:] if not heading.isdigit())
    items = [token for token in tokens if token.type == "list_item_open"]
    timeline = CliRunner().invoke(cli, ["timeline", "--from", "2019", "--to", "2021", "--json"])
    assert len(items) == timeline.stdout.count('"id": ')
    refs, notes = footnotes(tokens)
    fact_notes = [label for label, text in notes.items() if " Fact " in text]
    assert len(fact_notes) == len(items)


def test_bounded_dates_read_by_and_after_and_inferred_publication_dates_say_so(monkeypatch):
    monkeypatch.setenv("FACTS_DB", BUNDLED_STORE)
    text = run("--from", 2018, "--to", 2021).stdout
    assert "**by 2021-03**: After the December 2018 inspection, and by March 2021" in text
    assert "**after 2018-12**: After Ofsted's December 2018 inspection" in text
    assert "Blackpool Gazette, 2021 (inferred)" in text
    assert "2021-03-12 (inferred)" not in text and "2021-03-12." in text


def test_a_conflict_is_flagged_where_it_touches_a_sentence_and_its_footnote_quotes_both_sides(tmp_path):
    write_store(tmp_path / "facts.json", conflicts=[conflict()])
    result = CliRunner().invoke(cli, ["--db", tmp_path / "facts.json", "brief"])
    rating_line = next(line for line in result.stdout.splitlines() if line.startswith("- **2019-01**"))
    assert rating_line.endswith("[^1] ⚑[^2]")
    role_line = next(line for line in result.stdout.splitlines() if line.startswith("- **2019-02**"))
    assert "⚑" not in role_line
    _, notes = footnotes(parse(result.stdout))
    assert notes["2"].startswith("⚑ Sources disagree: One line says January, another implies February.")
    assert "“In January the department was branded inadequate” — Plan taking shape" in notes["2"]
    assert "“Diane Booth told a meeting” — Plan taking shape" in notes["2"]


def test_topic_keeps_the_facts_that_search_finds():
    result = run("--topic", "booth")
    assert "Diane Booth" in result.stdout and "inadequate" not in result.stdout.split("[^1]:")[0]
    assert result.stdout.startswith("# Blackpool Council's children's services, all years on record: booth\n")


def test_an_empty_brief_says_why_on_stderr_and_exits_0():
    result = run("--from", 2030)
    assert result.exit_code == 0
    assert result.stderr == "No fact on record matches (from 2030).\n"
    assert "[^" not in result.stdout


def test_from_after_to_is_a_usage_error():
    result = run("--from", 2021, "--to", 2019)
    assert result.exit_code == 2
    assert "--from 2021 is after --to 2019" in result.stderr


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_the_brief_says_when_and_from_what_store_it_was_made(monkeypatch, fmt):
    monkeypatch.setenv("FACTS_TODAY", "2026-01-02")
    result = run("--format", fmt)
    assert "From the facts store (2 facts quoting 1 source documents), as of 2026-01-02." in result.stdout


def test_hostile_store_text_makes_no_html_link_footnote_or_heading_in_markdown(tmp_path):
    result = CliRunner().invoke(cli, ["--db", hostile_store(tmp_path), "brief"])
    assert result.exit_code == 0, result.stderr
    tokens = parse(result.stdout)
    assert not raw_html(tokens)
    inline = [child.type for token in tokens if token.type == "inline" for child in token.children]
    # Only the brief's own markup: a bold date per sentence and footnote references.
    assert set(inline) == {"text", "strong_open", "strong_close", "footnote_ref"}
    assert inline.count("strong_open") == 2
    refs, notes = footnotes(tokens)
    assert sorted(set(refs)) == ["1", "2", "3"]
    headings = [t.tag for t in tokens if t.type == "heading_open"]
    assert headings == ["h1", "h2"]
    rendered = MarkdownIt("commonmark").use(footnote_plugin).render(result.stdout)
    assert "<script" not in rendered and "<img" not in rendered and 'href="javascript' not in rendered
    assert "\x1b" not in result.stdout and "\\x1b[31m" in rendered


class Elements(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs


def test_hostile_store_text_makes_no_element_or_attribute_in_html(tmp_path):
    result = CliRunner().invoke(cli, ["--db", hostile_store(tmp_path), "brief", "--format", "html"])
    page = Elements()
    page.feed(result.stdout)
    assert not {"script", "img"} & set(page.tags)
    assert not [name for name, _ in page.attrs if name.startswith("on")]
    assert all(value.startswith("#") for name, value in page.attrs if name == "href")
    assert "&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;" in result.stdout
    assert "\x1b" not in result.stdout and "\\x1b[31m" in result.stdout


def test_html_brief_footnote_links_point_at_footnotes(monkeypatch):
    monkeypatch.setenv("FACTS_DB", BUNDLED_STORE)
    page = Elements()
    page.feed(run("--format", "html").stdout)
    ids = {value for name, value in page.attrs if name == "id"}
    hrefs = {value for name, value in page.attrs if name == "href"}
    assert hrefs and {href[1:] for href in hrefs} <= ids


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("*a* _b_ `c`", r"\*a\* \_b\_ \`c\`"),
        ("[x](javascript:y)", r"\[x\](javascript:y)"),
        ("<b> & </b>", r"\<b> & \</b>"),
        ("B&B and &amp; and &#38;", r"B&B and \&amp; and \&#38;"),
        ("<https://example.org>", r"\<https://example.org>"),
        ("> not a quote", r"\> not a quote"),
        ("areas\u00a0Ofsted", "areas\u00a0Ofsted"),
        ("# not a heading", r"\# not a heading"),
        ("1. not a list", r"1\. not a list"),
        ("line\nbreak", "line break"),
        ("\x1b[2J", r"\\x1b\[2J"),
        ("plain 2021-03 text", "plain 2021-03 text"),
    ],
)
def test_markdown_text_escapes_what_markdown_would_act_on(raw, shown):
    assert markdown_text(raw) == shown


def test_every_quote_of_the_bundled_brief_reads_verbatim_in_the_markdown_and_once_rendered(monkeypatch):
    """Markdown is not HTML: a quote holding "B&B" reads "B&B" in the text a reporter pastes, and
    a no-break space stays one; rendered, every quote is its source's exact words."""
    monkeypatch.setenv("FACTS_DB", BUNDLED_STORE)
    store = load_whole(BUNDLED_STORE)
    markdown = run().stdout
    assert "B&B accommodation" in markdown and "&amp;" not in markdown
    assert "One of the areas\u00a0Ofsted would be looking at" in markdown
    _, notes = footnotes(parse(markdown))
    rendered = " ".join(notes.values())
    quotes = {citation.quote for fact in store.select() for citation in fact.citations}
    quotes |= {citation.quote for conflict in store.conflicts for citation in conflict.citations}
    # Markdown folds a line break and runs of ASCII spaces into one space, and nothing else.
    missing = [quote for quote in quotes if "“" + re.sub(r"[ \t\n]+", " ", quote) + "”" not in rendered]
    assert missing == []


def test_the_legend_explains_every_date_mark_the_brief_prints(monkeypatch):
    monkeypatch.setenv("FACTS_DB", BUNDLED_STORE)
    markdown = run().stdout
    about = markdown.split("\n## ")[0]
    for mark in ("(reported)", "(inferred)", "(outside the sources)", "by, after"):
        assert mark in about
    assert "**2024 (outside the sources)**:" in markdown
    assert "## after 2018-12" in markdown, "a bounded fact goes under its bound, not a year"
