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


# What the tiny store is about: its meta, as `facts meta --json` prints it.
META = {
    "title": "Blackpool Council's children's services",
    "description": None,
    "subject": "Blackpool Council",
    "inspectorate": "Ofsted",
    "scale": ["outstanding", "good", "requires improvement", "inadequate"],
    "letters": {},
    "aliases": {
        "dcs": "director of children's services",
        "council leader": "leader of blackpool council",
        "children's minister": "minister for children",
        "lead member": "cabinet member",
    },
    "synonyms": {"money": "gbp"},
    "common_words": ["Blackpool", "Blackpool's", "council", "children", "children's", "services"],
    "services": ["children's services"],
    "organisations": {"Department for Education": "DfE"},
}


def rating_fact(**overrides):
    fact = {
        "id": "rating-2019-01-overall-inadequate",
        "kind": "rating",
        "claim": "Ofsted rated Blackpool's children's services inadequate in January 2019.",
        "date": "2019-01",
        "date_basis": "stated",
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
        "date_basis": "stated",
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


def write_store(path, facts=None, sources=None, conflicts=None, meta=META):
    """Write a TinyDB-shaped store file as the tool itself writes it; return its path. meta=None
    writes a store from before the meta table."""
    facts = [rating_fact(), role_fact()] if facts is None else facts
    sources = [SOURCE] if sources is None else sources
    tables = {
        "facts": {str(i): f for i, f in enumerate(facts, 1)},
        "sources": {str(i): s for i, s in enumerate(sources, 1)},
    }
    if meta is not None:
        tables["meta"] = {"1": {key: value for key, value in meta.items() if value is not None}}
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


# A store about something else entirely: a police force, judged on a five-grade scale that
# includes "adequate", with its own post aliases. Nothing of the bundled topic is in it.
POLICE_META = {
    "title": "Northshire Police",
    "description": "Inspections, leaders and money of a fictional police force.",
    "subject": "Northshire Police",
    "inspectorate": "HMICFRS",
    "scale": ["outstanding", "good", "adequate", "requires improvement", "inadequate"],
    "aliases": {"pcc": "police and crime commissioner", "chief": "chief constable"},
    "synonyms": {"money": "gbp"},
    "common_words": ["Northshire", "police", "force"],
    "services": ["policing"],
    "organisations": {"Home Office": "HO"},
}
POLICE_SOURCE = {
    "id": "courier-2023",
    "title": "Force improves, inspectors say",
    "publisher": "Northshire Courier",
    "published": "2023-05",
    "published_basis": "printed",
    "published_note": None,
    "file": "courier.txt",
}
POLICE_TEXT = (
    "Inspectors graded the force adequate in March 2020.\n"
    "In May 2023 inspectors graded Northshire Police good at preventing crime.\n"
    "Chief Constable Ada Quill said the force had recruited 120 officers.\n"
    "Police and crime commissioner Ben Marsh set aside £2m for neighbourhood teams.\n"
)


def police_facts():
    def cite(quote):
        return [{"source": "courier-2023", "quote": quote}]

    def rating(fact_id, judgment, date, area, quote):
        return {
            "id": fact_id, "kind": "rating", "claim": f"Inspectors graded Northshire Police {judgment} ({area}) in {date}.",
            "date": date, "date_note": None, "judgment": judgment, "area": area, "service": "policing",
            "inspected": None, "published": date, "citations": cite(quote),
        }  # fmt: skip

    def role(fact_id, person, title, quote):
        return {
            "id": fact_id, "kind": "role", "claim": f"{person} was {title} of Northshire Police in 2023.",
            "date": "2023", "date_note": None, "person": person, "role": title,
            "organisation": "Northshire Police", "start": None, "end": None, "post": None, "citations": cite(quote),
        }  # fmt: skip

    return [
        rating("rating-2020-03-overall-adequate", "adequate", "2020-03", "overall", "Inspectors graded the force adequate in March 2020"),
        rating("rating-2023-05-overall-good", "good", "2023-05", "overall", "In May 2023 inspectors graded Northshire Police good"),
        role("role-2023-ada-quill-chief-constable", "Ada Quill", "chief constable", "Chief Constable Ada Quill"),
        role("role-2023-ben-marsh-pcc", "Ben Marsh", "police and crime commissioner", "Police and crime commissioner Ben Marsh"),
        {
            "id": "figure-2023-2m-neighbourhood-teams", "kind": "figure",
            "claim": "Northshire's police and crime commissioner set aside £2m for neighbourhood teams in 2023.",
            "date": "2023", "date_note": None, "value": 2000000, "unit": "GBP", "measure": "neighbourhood teams",
            "citations": cite("set aside £2m for neighbourhood teams"),
        },  # fmt: skip
    ]


def police_store(path):
    """The police force's store at path; returns its path."""
    return write_store(path, police_facts(), [POLICE_SOURCE], meta=POLICE_META)
