"""facts site without a browser: the pages written, links that resolve, escaping, and where it may write."""

import datetime
import html.parser
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from conftest import SOURCE, conflict, rating_fact, role_fact, write_store
from factcli.publish import site as website
from factcli.cli import cli
from factcli.storage.location import BUNDLED_STORE
from factcli.storage.memory import load_whole

HOSTILE = (
    "<script>document.title='PWNED'</script><img src=x onerror=\"document.title='PWNED'\">"
    "\" onmouseover=\"document.title='PWNED'\" data-pwned=\"' onfocus='x' data-pwned='1' "
    "<a href=\"javascript:document.title='PWNED'\">"
    "click</a> javascript:alert(1) [md](javascript:alert(1)) &amp; &lt;b&gt; \x1b[31m\u202e"
)


def hostile_store(path):
    """A valid store whose every free text (claims, names, quotes, titles, notes) is an attack."""
    source = {**SOURCE, "title": "Title " + HOSTILE, "publisher": "Publisher " + HOSTILE, "published_note": HOSTILE}
    rating = rating_fact(claim="Claim " + HOSTILE, area="area " + HOSTILE, date_note=HOSTILE)
    rating["citations"][0]["quote"] = "Quote " + HOSTILE
    role = role_fact(person="Person " + HOSTILE, role="role " + HOSTILE, organisation="Org " + HOSTILE)
    fight = conflict(note="Note " + HOSTILE)
    return write_store(path, facts=[rating, role], sources=[source], conflicts=[fight])


class Page(html.parser.HTMLParser):
    """Tags, attributes, ids and text of one page."""

    def __init__(self, text):
        super().__init__()
        self.tags, self.attrs, self.ids, self.text = [], [], set(), []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, name, value) for name, value in attrs]
        self.ids.update(value for name, value in attrs if name == "id")

    def handle_data(self, data):
        self.text.append(data)

    def words(self):
        return " ".join(" ".join(self.text).split())

    def links(self):
        return [value for tag, name, value in self.attrs if name in ("href", "src")]


def build(tmp_path, db=None, today="2026-11-23"):
    folder = tmp_path / "site"
    args = (["--db", str(db)] if db else []) + ["site", str(folder)]
    result = CliRunner().invoke(cli, args, env={"FACTS_TODAY": today})
    assert result.exit_code == 0, result.stderr
    return folder


def pages_of(folder):
    return {path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8") for path in folder.rglob("*.html")}


def test_the_site_has_an_index_timeline_and_a_page_per_fact_source_person_post_and_the_conflicts(tmp_path):
    store = load_whole(BUNDLED_STORE)
    pages = pages_of(build(tmp_path, BUNDLED_STORE))
    assert {"index.html", "timeline.html", "people.html", "sources.html", "conflicts.html"} <= set(pages)
    assert {f"facts/{fact.id}.html" for fact in store.select()} == {p for p in pages if p.startswith("facts/")}
    assert {f"sources/{source}.html" for source in store.sources} == {p for p in pages if p.startswith("sources/")}
    people = {fact.fields["person"] for fact in store.select("role")}
    assert len([p for p in pages if p.startswith("people/")]) == len(people)
    assert "posts/children-s-minister-uk-government.html" in pages


def test_every_internal_link_resolves_to_a_generated_file_and_anchor(tmp_path):
    folder = build(tmp_path, BUNDLED_STORE)
    pages = pages_of(folder)
    parsed = {name: Page(text) for name, text in pages.items()}
    checked = 0
    for name, page in parsed.items():
        for link in page.links():
            parts = urlsplit(link)
            assert not parts.scheme and not parts.netloc and not parts.path.startswith("/"), (name, link)
            target = os.path.normpath(os.path.join(os.path.dirname(name), parts.path)) if parts.path else name
            assert target in pages, (name, link)
            if parts.fragment:
                assert parts.fragment in parsed[target].ids, (name, link)
            checked += 1
    assert checked > 500


def test_every_page_says_what_the_store_is_and_when_it_was_built(tmp_path):
    pages = pages_of(build(tmp_path, BUNDLED_STORE, today="2030-02-03"))
    for name, text in pages.items():
        words = Page(text).words()
        assert "A published copy of the factcli store facts.json: 98 facts" in words, name
        assert "Built on 2030-02-03 by facts" in words, name


def test_pages_need_no_script_and_forbid_any_by_policy(tmp_path):
    for name, text in pages_of(build(tmp_path, BUNDLED_STORE)).items():
        page = Page(text)
        assert "script" not in page.tags, name
        assert ("meta", "http-equiv", "Content-Security-Policy") in page.attrs, name
        assert "default-src 'none'" in text


@pytest.mark.parametrize("page", ["index.html", "facts/rating-2019-01-overall-inadequate.html", "sources.html"])
def test_hostile_store_text_is_text_on_every_page(tmp_path, page):
    pages = pages_of(build(tmp_path, hostile_store(tmp_path / "hostile.json")))
    for name, text in pages.items():
        parsed = Page(text)
        assert not {"script", "img"} & set(parsed.tags), name
        assert not [a for a in parsed.attrs if a[1].startswith("on") or a[1] == "data-pwned"], name
        assert not [link for link in parsed.links() if "javascript" in link.lower()], name
        assert "\x1b" not in text and "\u202e" not in text, name
    words = Page(pages[page]).words()
    assert "<script>document.title='PWNED'</script>" in words
    assert "\\x1b[31m\\u202e" in words


def test_the_chart_draws_each_year_with_a_letter_and_a_table_says_made_or_carried_forward(tmp_path):
    index = pages_of(build(tmp_path, BUNDLED_STORE))["index.html"]
    page = Page(index)
    assert ("svg", "role", "img") in page.attrs
    made = [value for tag, name, value in page.attrs if tag == "g" and name == "class"]
    # To the horizon (2024), with the two years the December 2022 judgment's publication may fall in not known.
    assert made == ["made"] + ["carried"] * 6 + ["made", "carried", "carried", "unknown", "unknown", "carried"]
    words = page.words()
    assert "I I i i i i i i I i i ? ? r" not in words  # letters are drawn once each, in the chart
    assert "2013 inadequate carried forward from 2012-07 protection of children from harm" in words
    assert "2019 inadequate made in 2019 overall" in words
    assert (
        "2022 not known not known: a judgment was inspected 2022-12, but its publication is not on record overall"
        in words
    )
    assert "2024 requires improvement in force; inspected 2022-12, publication not on record overall" in words
    assert "2025" not in words.split("The chart as a table")[1].split("Every judgment")[0]


def test_tenures_on_person_and_post_pages_state_no_end_that_no_source_states(tmp_path):
    pages = pages_of(build(tmp_path, BUNDLED_STORE))
    post = Page(pages["posts/children-s-minister-uk-government.html"]).words()
    assert "Edward Timpson minister for Children and Families on record 2015 " in post
    assert "David Johnston minister for children, families and wellbeing on record 2024 " in post
    assert "presumed" not in post, "nobody is presumed past the newest source, 2024"
    director = Page(pages["posts/director-of-children-s-services-blackpool-council.html"]).words()
    assert (
        "Vicky Gent director of children's services on record 2021 (inferred); started 2021 (inferred); presumed in 2024"
        in director
    )
    assert (
        "Diane Booth director of children's services on record 2019-02 (inferred) to 2021-03-12; due to end 2021-03"
        " (planned)" in director
    )
    person = Page(pages["people/edward-timpson.html"]).words()
    assert "on record 2015 (inferred)." in person and "2024" not in person and "presumed" not in person


def test_fact_pages_show_citations_in_context_when_the_answer_carries_it(tmp_path, monkeypatch):
    def with_context(answer):
        docs = documents(answer)
        for doc in docs:
            for citation in doc["citations"] if isinstance(doc["citations"], list) else ():
                citation.update(prefix="Before the words, ", suffix=", after them", start=18, end=77)
        return docs

    documents = website.documents
    monkeypatch.setattr(website, "documents", with_context)
    page = pages_of(build(tmp_path))["facts/rating-2019-01-overall-inadequate.html"]
    assert "…Before the words, </span><mark>“In January the department was branded inadequate by Ofsted”" in page
    assert '</mark><span class="context">, after them…</span>' in page


def test_fact_pages_mark_a_quote_not_anchored_as_not_yet_checked(tmp_path):
    # The fixture's quotes were never anchored in a source's text: nobody has checked them.
    page = pages_of(build(tmp_path))["facts/rating-2019-01-overall-inadequate.html"]
    assert '<p><span class="unchecked">“In January the department was branded inadequate by Ofsted”</span></p>' in page
    assert "Not yet checked against the source's text." in page
    assert "<mark>" not in page


def test_refuses_a_non_empty_folder_that_is_not_a_site_in_one_line(tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "thesis.txt").write_text("mine")
    result = CliRunner().invoke(cli, ["site", str(folder)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {folder} is not empty and holds no site written by facts site; give a new or empty folder\n"
    )
    assert [p.name for p in folder.iterdir()] == ["thesis.txt"]


def test_a_rebuild_replaces_the_earlier_site_and_touches_nothing_else(tmp_path):
    folder = build(tmp_path)
    (folder / "notes.txt").write_text("mine")
    write_store(tmp_path / "smaller.json", facts=[role_fact()])
    build(tmp_path, tmp_path / "smaller.json")
    assert not (folder / "facts" / "rating-2019-01-overall-inadequate.html").exists()
    assert (folder / "facts" / "role-diane-booth-dcs.html").exists()
    assert (folder / "notes.txt").read_text() == "mine"
    assert "facts/role-diane-booth-dcs.html" in json.loads((folder / website.MANIFEST).read_text())["files"]


def test_a_tampered_manifest_never_deletes_outside_the_folder(tmp_path):
    folder = build(tmp_path)
    outside = tmp_path / "keep.txt"
    outside.write_text("keep")
    manifest = {"generator": "facts site", "files": [str(outside), "../keep.txt"]}
    (folder / website.MANIFEST).write_text(json.dumps(manifest))
    build(tmp_path)
    assert outside.read_text() == "keep"


def test_site_and_markdown_brief_leave_query_start_up_without_jinja(tmp_path):
    code = (
        "import sys; from click.testing import CliRunner; from factcli.cli import cli; "
        "CliRunner().invoke(cli, ['rating', '--json']); CliRunner().invoke(cli, ['brief']); "
        "print('jinja2' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ)
    assert result.stdout == "False\n", result.stderr


def test_the_site_is_written_as_the_command_says(tmp_path):
    result = CliRunner().invoke(cli, ["site", str(tmp_path / "out")])
    assert result.stdout.startswith(f"Wrote 10 pages to {tmp_path / 'out'}; open ")
    assert Path(tmp_path / "out" / "index.html").is_file()


def test_retracted_facts_get_no_page_and_no_link(tmp_path):
    retracted = rating_fact(retracted={"reason": "misread the source", "date": "2026-01-01"})
    write_store(tmp_path / "retracted.json", facts=[retracted, role_fact()], conflicts=[conflict()])
    pages = pages_of(build(tmp_path, tmp_path / "retracted.json"))
    assert "facts/rating-2019-01-overall-inadequate.html" not in pages
    assert "rating-2019-01-overall-inadequate (not published: retracted)" in Page(pages["conflicts.html"]).words()
    assert not [link for text in pages.values() for link in Page(text).links() if "rating-2019-01" in link]
    assert "1 facts" in Page(pages["index.html"]).words()


def test_the_same_store_on_the_same_day_builds_the_same_site(tmp_path):
    first = pages_of(build(tmp_path / "one", BUNDLED_STORE))
    second = pages_of(build(tmp_path / "two", BUNDLED_STORE))
    assert first == second
    later = pages_of(build(tmp_path / "three", BUNDLED_STORE, today="2027-01-01"))
    assert later["index.html"] != first["index.html"]


# --- where the site writes: only its own folder, whole or not at all ---------------------------


def tree(folder):
    """Every entry under folder, as (relative path, kind, bytes or link target), links not followed."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[relative] = ("link", os.readlink(path))
            elif path.is_dir():
                found[relative] = ("dir", None)
            else:
                found[relative] = ("file", path.read_bytes())
    return found


def assert_a_whole_site(folder):
    manifest = json.loads((folder / website.MANIFEST).read_text())
    assert manifest["generator"] == "facts site"
    for name in manifest["files"]:
        assert (folder / name).is_file() and not (folder / name).is_symlink(), name


def _dangling_index(site, outside):
    (site / "index.html").unlink()
    (site / "index.html").symlink_to(outside / "made")


def _fact_page_to_a_file(site, outside):
    (outside / "victim").write_text("keep")
    page = site / "facts" / "rating-2019-01-overall-inadequate.html"
    page.unlink()
    page.symlink_to(outside / "victim")


def _new_fact_page_to_a_file(site, outside):
    """A link where the next build, not the last, writes a page: the manifest does not list it."""
    (outside / "victim").write_text("keep")
    (site / "facts" / "role-diane-booth-dcs.html").symlink_to(outside / "victim")


def _facts_to_a_folder(site, outside):
    (outside / "page.html").write_text("keep")
    shutil.rmtree(site / "facts")
    (site / "facts").symlink_to(outside)


def _people_to_a_copy_outside(site, outside):
    (site / "people").rename(outside / "people")
    (site / "people").symlink_to(outside / "people")


@pytest.mark.parametrize(
    "plant, first",
    [
        (_dangling_index, None),
        (_fact_page_to_a_file, None),
        (_new_fact_page_to_a_file, [rating_fact()]),
        (_facts_to_a_folder, None),
        (_people_to_a_copy_outside, None),
    ],
    ids=["dangling index.html", "a fact page to a file", "a new page to a file", "facts to a folder", "people outside"],
)
def test_a_rebuild_never_follows_a_link_planted_in_the_folder(tmp_path, plant, first):
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = build(tmp_path, write_store(tmp_path / "first.json", facts=first) if first else None)
    plant(folder, outside)
    before = tree(outside)
    build(tmp_path)
    assert tree(outside) == before
    assert_a_whole_site(folder)


def test_a_manifest_that_is_a_link_is_no_site(tmp_path):
    folder = build(tmp_path)
    elsewhere = tmp_path / "manifest.json"
    (folder / website.MANIFEST).rename(elsewhere)
    (folder / website.MANIFEST).symlink_to(elsewhere)
    before = tree(folder)
    result = CliRunner().invoke(cli, ["site", str(folder)])
    assert result.exit_code == 1 and "holds no site written by facts site" in result.stderr
    assert tree(folder) == before


def test_a_user_file_in_the_folder_is_kept_as_it_is(tmp_path):
    folder = build(tmp_path)
    (folder / "facts" / "mine.txt").write_text("mine")
    inode = (folder / "facts" / "mine.txt").stat().st_ino
    build(tmp_path)
    assert (folder / "facts" / "mine.txt").read_text() == "mine"
    assert (folder / "facts" / "mine.txt").stat().st_ino == inode


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()], ids=["full disk", "ctrl-c"])
def test_a_build_that_fails_midway_leaves_the_folder_as_it_was(tmp_path, monkeypatch, failure):
    from factcli.storage import folders

    folder = build(tmp_path)
    before = tree(folder)
    written = []
    real = folders._write_new

    def failing(root, name, text):
        if len(written) == 5:
            raise failure
        written.append(name)
        real(root, name, text)

    monkeypatch.setattr(folders, "_write_new", failing)
    with pytest.raises(website.SiteError if isinstance(failure, OSError) else KeyboardInterrupt):
        website.write(load_whole(os.environ["FACTS_DB"]), folder, datetime.date(2026, 11, 23))
    assert tree(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    monkeypatch.undo()
    build(tmp_path)
    assert_a_whole_site(folder)


def test_a_site_killed_while_building_leaves_the_old_site_or_the_new_and_the_next_build_works(tmp_path):
    import random
    import signal
    import time

    store = tmp_path / "store.json"
    facts = [rating_fact()] + [
        role_fact(id=f"role-person-{n}", person=f"Person Number {n}", claim=f"Person Number {n} held the post in 2019.")
        for n in range(1500)
    ]
    write_store(store, facts=facts)
    folder = build(tmp_path, store)
    randomness = random.Random(7)
    env = {**os.environ, "FACTS_DB": str(store), "FACTS_TODAY": "2026-11-23"}
    index = folder / "index.html"
    for attempt in range(6):
        process = subprocess.Popen([sys.executable, "-m", "factcli", "site", str(folder)], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if attempt % 2:
            time.sleep(randomness.uniform(0.8, 3.0))
        else:
            # The moment the build starts to write, beside the folder or in it.
            written = index.stat().st_mtime_ns
            deadline = time.monotonic() + 20
            while process.poll() is None and time.monotonic() < deadline:
                beside = [p for p in tmp_path.iterdir() if p.name.startswith(".")]
                if beside or not index.exists() or index.stat().st_mtime_ns != written:
                    break
                time.sleep(0.001)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert_a_whole_site(folder)
    build(tmp_path, store)
    assert_a_whole_site(folder)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_people_and_posts_with_very_long_names_get_file_names_every_file_system_takes(tmp_path):
    long_name = "Anne " + "Mariebeth" * 40 + " Smith"
    role = role_fact(person=long_name, role="director" * 40, organisation="Council" * 40)
    store = write_store(tmp_path / "long.json", facts=[rating_fact(), role])
    folder = build(tmp_path, store)
    names = [path.name for path in folder.rglob("*")]
    assert max(len(name.encode()) for name in names) <= 120
    assert_a_whole_site(folder)


def test_a_store_past_the_site_limit_is_refused_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(website, "MAX_FACTS", 1)
    result = CliRunner().invoke(cli, ["site", str(tmp_path / "site")])
    assert result.exit_code == 1
    assert result.stderr == "Error: the store holds 2 facts; a site holds at most 1 (a page each); publish part of it with facts brief --from/--to/--topic\n"
    assert not (tmp_path / "site").exists()
