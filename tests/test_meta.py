"""What a store is about (core.meta, facts meta): any council or inspectorate works, and the package names none."""

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import META, POLICE_TEXT, police_store, rating_fact, write_store

import factcli
from factcli.cli import cli
from factcli.core.meta import Meta, meta_problems


def run(*args):
    return CliRunner().invoke(cli, [str(arg) for arg in args])


@pytest.fixture
def police(tmp_path, monkeypatch):
    path = police_store(tmp_path / "police.json")
    monkeypatch.setenv("FACTS_DB", str(path))
    return path


def test_a_police_store_on_a_five_grade_scale_validates_and_answers(police):
    assert run("validate").exit_code == 0
    result = run("rating", "--json")
    assert [(d["judgment"], d["made"]) for d in json.loads(result.stdout)] == [("adequate", "2020-03"), ("good", "2023-05")]
    text = run("rating").stdout
    assert text.startswith("HMICFRS judgments")
    assert "Latest headline HMICFRS grade on record" in text
    assert "O outstanding  G good  A adequate  R requires improvement  I inadequate" in text
    assert re.search(r"^ A\s+a\s+a\s+G\b", text, re.M), text


def test_who_understands_the_store_s_own_aliases(police):
    found = json.loads(run("who", "--role", "pcc", "--json").stdout)
    assert [d["person"] for d in found] == ["Ben Marsh"]
    assert [d["person"] for d in json.loads(run("who", "--role", "chief", "--json").stdout)] == ["Ada Quill"]
    # The bundled store's aliases mean nothing here.
    assert json.loads(run("who", "--role", "dcs", "--json").stdout) == []


def test_search_uses_the_store_s_synonyms(police):
    found = json.loads(run("search", "money", "--json").stdout)
    assert [d["id"] for d in found] == ["figure-2023-2m-neighbourhood-teams"]


def test_brief_and_site_are_titled_by_the_store_and_speak_only_of_it(police, tmp_path):
    brief = run("brief").stdout
    assert brief.startswith("# Northshire Police, all years on record")
    assert run("site", tmp_path / "site").exit_code == 0
    pages = "".join(page.read_text() for page in (tmp_path / "site").rglob("*.html"))
    assert "<title>Northshire Police · Northshire Police</title>" in pages
    assert "Latest HMICFRS grade on record" in pages
    for word in ("Blackpool", "Ofsted", "children's services", "Gazette"):
        assert word not in brief and word not in pages


def test_draft_finds_the_store_s_grades_inspectorate_and_subject(police, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(POLICE_TEXT)
    candidates = [json.loads(line) for line in run("draft", article, "--published", "2023-05", "--format", "jsonl").stdout.splitlines()]
    ratings = [c for c in candidates if c["kind"] == "rating"]
    assert [(c["judgment"], c["service"]) for c in ratings] == [("adequate", "policing"), ("good", "policing")]


def test_a_grade_off_the_store_s_scale_is_refused(tmp_path, monkeypatch):
    path = write_store(tmp_path / "s.json", [rating_fact(judgment="adequate")])
    monkeypatch.setenv("FACTS_DB", str(path))
    result = run("validate")
    assert result.exit_code == 1
    assert "judgment 'adequate' is not on the store's scale: outstanding, good, requires improvement, inadequate" in result.stdout


def test_a_store_from_before_meta_takes_any_grade_and_is_titled_facts(tmp_path, monkeypatch):
    path = write_store(tmp_path / "old.json", [rating_fact(judgment="adequate")], meta=None)
    monkeypatch.setenv("FACTS_DB", str(path))
    assert run("validate").exit_code == 0
    assert run("rating").stdout.startswith("Judgments")
    assert json.loads(run("meta", "--json").stdout)["title"] == "Facts"


def test_init_empty_with_a_title_then_meta_set_makes_a_store_of_another_subject(tmp_path, monkeypatch):
    path = tmp_path / "new.json"
    assert run("init", path, "--empty", "--title", "Northshire Police").exit_code == 0
    monkeypatch.setenv("FACTS_DB", str(path))
    result = run("meta", "--set", "inspectorate=HMICFRS", "--set", "scale=outstanding, good, adequate, inadequate",
                 "--set", "aliases=pcc=police and crime commissioner, chief=chief constable")  # fmt: skip
    assert result.exit_code == 0, result.output
    meta = json.loads(run("meta", "--json").stdout)
    assert (meta["title"], meta["inspectorate"]) == ("Northshire Police", "HMICFRS")
    assert meta["scale"] == ["outstanding", "good", "adequate", "inadequate"]
    assert meta["aliases"] == {"pcc": "police and crime commissioner", "chief": "chief constable"}
    assert run("validate").exit_code == 0


def test_meta_set_refuses_a_scale_that_leaves_a_grade_on_record_off_it_and_writes_nothing(tiny_store):
    before = tiny_store.read_bytes()
    result = run("meta", "--set", "scale=good,poor")
    assert result.exit_code == 1
    assert "judgment 'inadequate' is not on the store's scale: good, poor" in result.output
    assert tiny_store.read_bytes() == before


@pytest.mark.parametrize(
    "assignment, message",
    [
        ("colour=blue", "meta has no key 'colour'"),
        ("aliases=dcs", "aliases: 'dcs' must be NAME=MEANING"),
        ("title=", "the store's title cannot be cleared"),
        ("letters=good=G,outstanding=G", "share a strip letter"),
        ("scale=good,Good", "scale names a grade twice"),
        ("letters=nope=N", "letters names 'nope', which is not on the scale"),
        ('scale=["good", 3]', "scale must be a list of text"),
    ],
)
def test_meta_set_refuses_what_would_break_the_meta_in_one_line(tiny_store, assignment, message):
    before = tiny_store.read_bytes()
    result = run("meta", "--set", assignment)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert tiny_store.read_bytes() == before


def test_meta_set_dry_run_prints_the_record_and_writes_nothing(tiny_store):
    before = tiny_store.read_bytes()
    result = run("meta", "--set", "description=A test.", "--dry-run")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["description"] == "A test."
    assert tiny_store.read_bytes() == before


def test_strip_letters_come_from_the_scale_or_from_letters():
    meta = Meta.from_record({"title": "T", "scale": ["1 outstanding", "2 good"], "letters": {"1 outstanding": "O", "2 good": "G"}})
    assert [meta.letter(grade) for grade in meta.scale] == ["O", "G"]
    assert meta_problems({"title": "T", "scale": ["1 outstanding", "2 good"]}) == [
        "the strip letter of '1 outstanding' is '1', which has no lower case to mark a year the grade was carried"
        " forward into: give it a letter in letters",
        "the strip letter of '2 good' is '2', which has no lower case to mark a year the grade was carried forward"
        " into: give it a letter in letters",
    ]
    assert Meta.from_record(META).rank("outstanding") == 0.0 and Meta.from_record(META).rank("inadequate") == 1.0


# Words of the bundled store's topic that no module, template or help text may hold: the
# store says what it is about, the package does not.
def _topic_words():
    from factcli.storage.location import BUNDLED_STORE
    from factcli.storage.memory import load_whole

    store = load_whole(BUNDLED_STORE)
    words = {store.meta.subject.split()[0], store.meta.inspectorate, "children's services", "children’s services"}
    words |= set(store.meta.organisations) | set(store.meta.organisations.values())
    words |= {source.publisher.split()[-1] for source in store.sources.values() if source.publisher}
    for fact in store.select("role"):
        words.add(fact.fields["person"].split()[-1])
    return sorted(words)


def test_the_package_holds_no_word_of_the_bundled_topic():
    package = Path(factcli.__file__).parent
    found = []
    words = _topic_words()
    assert "Ofsted" in words and len(words) > 8
    pattern = re.compile("|".join(rf"\b{re.escape(word)}\b" for word in words), re.I)
    for path in package.rglob("*"):
        if path.suffix in (".py", ".html", ".css") and "data" not in path.relative_to(package).parts:
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if match := pattern.search(line):
                    found.append(f"{path.relative_to(package)}:{number}: {match.group()}")
    assert found == []
