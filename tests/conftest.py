"""Fixtures: every test runs against a tiny store in tmp_path, never the bundled one by accident."""

import json

import pytest

SOURCE = {
    "id": "gazette-2019",
    "title": "Plan taking shape",
    "publisher": "Blackpool Gazette",
    "published": "2019-02",
    "published_basis": "printed",
    "published_note": None,
    "file": "gazette.txt",
}
SOURCE_TEXT = (
    "In January the department was branded inadequate by Ofsted.\n"
    "Blackpool's director of children's services Diane Booth told a meeting.\n"
    "Ms Booth said a 12-week improvement plan was being laid out.\n"
)


def rating_fact(**overrides):
    fact = {
        "id": "rating-2019-01-overall-inadequate",
        "kind": "rating",
        "claim": "Ofsted rated Blackpool's children's services inadequate in January 2019.",
        "date": "2019-01",
        "date_note": None,
        "judgment": "inadequate",
        "area": "overall",
        "service": "children's services",
        "inspected": None,
        "published": "2019-01",
        "citations": [{"source": "gazette-2019", "quote": "In January the department was branded inadequate by Ofsted"}],
    }
    fact.update(overrides)
    return fact


def role_fact(**overrides):
    fact = {
        "id": "role-diane-booth-dcs",
        "kind": "role",
        "claim": "Diane Booth was Blackpool's director of children's services in February 2019.",
        "date": "2019-02",
        "date_note": None,
        "person": "Diane Booth",
        "role": "director of children's services",
        "organisation": "Blackpool Council",
        "start": None,
        "end": None,
        "post": None,
        "citations": [{"source": "gazette-2019", "quote": "Blackpool's director of children's services Diane Booth"}],
    }
    fact.update(overrides)
    return fact


def conflict(**overrides):
    """A recorded disagreement between two quotes of the tiny store's source."""
    record = {
        "id": "january-or-february",
        "facts": ["rating-2019-01-overall-inadequate"],
        "note": "One line says January, another implies February.",
        "citations": [
            {"source": "gazette-2019", "quote": "In January the department was branded inadequate"},
            {"source": "gazette-2019", "quote": "Diane Booth told a meeting"},
        ],
    }
    record.update(overrides)
    return record


def write_store(path, facts=None, sources=None, conflicts=None):
    """Write a TinyDB-shaped store file as the tool itself writes it; return its path."""
    facts = [rating_fact(), role_fact()] if facts is None else facts
    sources = [SOURCE] if sources is None else sources
    tables = {
        "facts": {str(i): f for i, f in enumerate(facts, 1)},
        "sources": {str(i): s for i, s in enumerate(sources, 1)},
    }
    if conflicts is not None:
        tables["conflicts"] = {str(i): c for i, c in enumerate(conflicts, 1)}
    path.write_text(json.dumps(tables, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def tiny_store(tmp_path, monkeypatch):
    """The store every command sees unless a test says otherwise."""
    path = write_store(tmp_path / "facts.json")
    monkeypatch.setenv("FACTS_DB", str(path))
    monkeypatch.setenv("FACTS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FACTS_INDEX", raising=False)
    monkeypatch.delenv("FACTS_SOURCES", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return path


@pytest.fixture
def sources_dir(tmp_path):
    """A folder holding the text of the tiny store's one source."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "gazette.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    return folder


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """The store as a plain install has it: a file inside the package's directory (its parent's
    parent), and no FACTS_DB. Returns the store's path."""
    from factcli.curation import curate
    from factcli.storage import location

    package = tmp_path / "site-packages" / "factcli"
    (package / "data").mkdir(parents=True)
    bundled = write_store(package / "data" / "facts.json")
    monkeypatch.setattr(location, "PACKAGE_DIRECTORY", str(package))
    monkeypatch.setattr(location, "BUNDLED_STORE", str(bundled))
    monkeypatch.setattr(curate, "BUNDLED_STORE", str(bundled))
    monkeypatch.delenv("FACTS_DB")
    return bundled
