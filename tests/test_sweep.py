"""A guard that cannot be talked round: every question, every year to past the horizon, every role and person.

For the bundled store and two fixture stores, every query command is asked about every year
from the first on record to two years after the store's horizon, about every role and person,
and about every fact, in text and in JSON. The sweep fails on any answer after the horizon, on
"stated" printed for a start or end that is not stated, on a date printed without the mark of
how it is known, and on any quote that is not its source's text between its anchors.
"""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import POLICE_TEXT, SOURCE, SOURCE_TEXT, police_store, rating_fact, role_fact, write_store

from factcli.cli import cli
from factcli.output.wording import dated, marked, tenure_text
from factcli.storage.location import BUNDLED_STORE
from factcli.storage.memory import load_whole

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
TODAY = "2026-11-23"


def mixed_store(path):
    """Ratings and roles of every basis, one known only by its inspection, and a newest source of 2021."""
    later = {**SOURCE, "id": "gazette-2021", "published": "2021", "published_basis": "inferred",
             "published_note": "Worked out from its text.", "file": "later.txt"}  # fmt: skip
    cite_later = [{"source": "gazette-2021", "quote": "Diane Booth told a meeting."}]
    facts = [
        rating_fact(),
        rating_fact(id="rating-2020-12-good", claim="Rated good after an inspection in December 2020.", date="2020-12",
                    date_bound="after", date_basis="bounded", judgment="good", inspected="2020-12", published=None,
                    citations=cite_later),
        role_fact(end="2020-03", end_basis="planned", date_basis="reported"),
        role_fact(id="role-gent", claim="Vicky Gent took over as director in 2020.", person="Vicky Gent", date="2020",
                  date_basis="inferred", date_note="The summer before the article.", start="2020",
                  start_basis="inferred", tenure_note="Worked out from 'in the summer'.", citations=cite_later),
    ]  # fmt: skip
    return write_store(path, facts, [SOURCE, later])


def stores(tmp_path):
    """(name, store path, folder of source texts or None)."""
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "gazette.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    (texts / "later.txt").write_text("Diane Booth told a meeting.\n", encoding="utf-8")
    (texts / "courier.txt").write_text(POLICE_TEXT, encoding="utf-8")
    found = [
        ("mixed", mixed_store(tmp_path / "mixed.json"), texts),
        ("police", police_store(tmp_path / "police.json"), texts),
    ]
    for _, path, _ in found:
        anchored = CliRunner().invoke(cli, ["--db", str(path), "anchor", "--sources", str(texts)])
        assert anchored.exit_code == 0, anchored.output
    return found + [("bundled", Path(BUNDLED_STORE), SEEDS if SEEDS.is_dir() else None)]


def run(db, *args, fmt="text"):
    extra = ["--json"] if fmt == "json" else []
    result = CliRunner().invoke(
        cli, ["--db", str(db), *map(str, args), *extra], env={"COLUMNS": "99", "FACTS_TODAY": TODAY, "NO_COLOR": "1"}
    )
    assert result.exit_code == 0, (args, result.output)
    return result


def flat(text):
    return " ".join(text.split())


def questions(store):
    """Every question the sweep asks: (args, year or None)."""
    horizon = max(int(source.published[:4]) for source in store.sources.values() if source.published)
    first = min(int(fact.date[:4]) for fact in store.facts if fact.date)
    asked = [(["rating"], None), (["who"], None), (["timeline", "--undated"], None), (["search"], None)]
    for year in range(first, horizon + 3):
        asked += [(["rating", "--year", year], year), (["who", "--year", year], year)]
        asked += [(["timeline", "--from", year, "--to", year], year)]
        for role in sorted({fact.fields["role"] for fact in store.select("role")}):
            asked.append((["who", "--role", role, "--year", year], year))
    for person in sorted({fact.fields["person"] for fact in store.select("role")}):
        asked.append((["who", "--name", person], None))
    asked += [(["show", fact.id], None) for fact in store.facts]
    return horizon, asked


def check_quotes(documents, texts, store, seen):
    """Every quote is its source's text between its anchors, code point for code point."""
    for document in documents:
        for citation in document.get("citations") or ():
            key = (citation["source"], citation["start"], citation["end"], citation["quote"])
            if key in seen or citation["start"] is None:
                continue
            seen.add(key)
            text = (texts / store.sources[citation["source"]].file).read_text(encoding="utf-8")
            assert text[citation["start"] : citation["end"]] == citation["quote"], key


@pytest.mark.parametrize("name", ["mixed", "police", "bundled"])
def test_no_answer_outruns_the_evidence(tmp_path, name):
    path, texts = {n: (p, t) for n, p, t in stores(tmp_path)}[name]
    store = load_whole(path)
    facts = {fact.id: fact for fact in store.facts}
    horizon, asked = questions(store)
    seen = set()
    for args, year in asked:
        documents = json.loads(run(path, *args, fmt="json").stdout)
        shown = run(path, *args)
        text = flat(shown.stdout)
        # Nothing after the horizon: not a judgment carried forward, not a holder presumed.
        if year is not None and year > horizon and args[0] in ("rating", "who"):
            assert documents == [], (args, documents)
            assert "The store's sources end in" in shown.stderr, (args, shown.stderr)
        for document in documents:
            fact = facts[document["id"]]
            # Every date printed with the mark of how it is known.
            if args[0] in ("timeline", "search", "show"):
                assert flat(dated(fact)) in text, (args, dated(fact))
            if args[0] == "who":
                assert flat(tenure_text(fact, document)) in text, (args, tenure_text(fact, document))
                first = marked(document["first_on_record"], document["first_on_record_basis"])
                assert first in text, (args, first)
            # "stated" only where the sources state it.
            for side in ("start", "end"):
                basis = fact.fields.get(f"{side}_basis") if fact.kind == "role" else None
                if fact.kind == "role" and fact.fields[side] and basis not in (None, "stated"):
                    assert f"{fact.fields[side]} (stated)" not in text, (args, side)
            for citation in document["citations"]:
                assert marked(citation["published"], citation["published_basis"]) in text or citation[
                    "published"
                ] is None, (args, citation["source"])
        if texts is not None:
            check_quotes(documents, texts, store, seen)
    assert seen or texts is None


def test_the_sweep_fails_on_a_presumption_past_the_horizon(tmp_path, monkeypatch):
    """The guard itself: a store whose newest source is 2020 answers nothing for 2021, and the
    sweep's own check would see it if it did."""
    path = write_store(tmp_path / "s.json", [rating_fact(), role_fact()], [{**SOURCE, "published": "2020"}])
    for command in (["rating"], ["who"]):
        assert json.loads(run(path, *command, "--year", 2020, fmt="json").stdout) != []
        assert json.loads(run(path, *command, "--year", 2021, fmt="json").stdout) == []
