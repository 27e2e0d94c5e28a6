"""facts export: annotations and CSL-JSON valid by their published schemas, JSON lines that come back, SQLite for Datasette."""

import base64
import datetime
import hashlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from referencing import Registry
from referencing.jsonschema import DRAFT4

from conftest import SOURCE, conflict, rating_fact, role_fact, write_store
from factcli.answers import people, rating
from factcli.cli import cli
from factcli.core.text import fold
from factcli.publish import database
from factcli.publish.export import store_title
from factcli.storage.location import BUNDLED_STORE
from factcli.storage.memory import load_whole

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
# The published schemas, kept with the shared data beside the repository rather than in it
# (see docs/export.md for where each comes from and its licence); FACTS_TEST_SCHEMAS points elsewhere.
SCHEMAS = Path(os.environ.get("FACTS_TEST_SCHEMAS") or ROOT.parent / "shared" / "schemas")
TODAY = datetime.date(2026, 6, 1)

# Control, bidi and C1 characters, in every free text of the odd store.
ODD = "\x1b[31m\u202eodd\u2066\x7f\u0085"


def odd_store(path):
    """A valid store with odd text and dates: control characters everywhere, a leap day, a year
    worked out, an undated source, a url to encode, sources with and without a fingerprint, an
    anchored and an unanchored quote, a retracted fact and a conflict."""
    sources = [
        {**SOURCE, "title": "Title " + ODD, "publisher": None, "published": "2019", "published_basis": "inferred",
         "published_note": "Worked out " + ODD},
        {"id": "printed-leap-day", "title": "Leap day", "publisher": "Pub " + ODD, "published": "2020-02-29",
         "published_basis": "printed", "published_note": None, "file": "leap.txt",
         "sha256": "0" * 63 + "1", "url": "https://example.org/päge|x?q=%zz&r=%41"},
        {"id": "undated", "title": "Undated", "publisher": None, "published": None, "published_basis": None,
         "published_note": None, "file": "undated.txt", "sha256": None, "url": None},
    ]
    anchored = rating_fact(claim="Claim " + ODD)
    anchored["citations"][0].update(start=0, end=59, prefix="", suffix=".\n" + ODD)
    anchored["citations"].append({"source": "printed-leap-day", "quote": "leap " + ODD, "as_of": "2020-02"})
    role = role_fact(start="2019-01", start_basis="stated", added="2020-01-01T00:00:00Z", changed="2021-06-30T23:59:59Z")
    withdrawn = rating_fact(
        id="rating-2019-retracted", claim="A withdrawn claim.", area="leadership",
        retracted={"reason": "Wrong " + ODD, "date": "2021-01-01"},
        citations=[{"source": "undated", "quote": "withdrawn"}],
    )
    fight = conflict(note="Note " + ODD, facts=["rating-2019-01-overall-inadequate", "role-diane-booth-dcs"])
    fight["citations"][1] = {"source": "undated", "quote": "Undated " + ODD}
    return write_store(path, facts=[anchored, role, withdrawn], sources=sources, conflicts=[fight])


@pytest.fixture(params=["bundled", "odd"])
def store_path(request, tmp_path):
    return Path(BUNDLED_STORE) if request.param == "bundled" else odd_store(tmp_path / "odd.json")


def invoke(*args):
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def exported(store, fmt):
    result = invoke("--db", store, "export", "--format", fmt)
    assert result.exit_code == 0, result.output
    return result.stdout


def annotations(store):
    return json.loads(exported(store, "annotations"))


# --- validation against the published schemas -------------------------------------------------


def _schema_file(*parts):
    path = SCHEMAS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"published schema not found at {path} (docs/export.md says where it comes from)")
    return path


class W3CSuite:
    """The W3C Web Annotation Working Group's JSON Schema tests: each .test file lists
    assertions, each assertion a JSON Schema that a conforming document must satisfy."""

    def __init__(self, root):
        self.root = root
        documents = [(path, json.loads(path.read_text(encoding="utf-8"))) for path in root.rglob("*.json")]
        # Assertions refer to the definitions by their ids ("annotations.json#/definitions/...").
        self.registry = Registry().with_resources(
            (document.get("id", path.name), DRAFT4.create_resource(document)) for path, document in documents
        )
        self.validators = {}

    def validator(self, assertion):
        if assertion not in self.validators:
            schema = json.loads((self.root / assertion).read_text(encoding="utf-8"))
            assert schema["expectedResult"] == "valid"
            self.validators[assertion] = jsonschema.Draft4Validator(
                schema, registry=self.registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
            )
        return self.validators[assertion]

    def assertions(self, manifest):
        return json.loads((self.root / manifest).read_text(encoding="utf-8"))["assertions"]

    def failures(self, document, assertions):
        return [
            f"{assertion}: {error.message[:200]}"
            for assertion in assertions
            if not self.validator(assertion).is_valid(document)
            for error in self.validator(assertion).iter_errors(document)
        ]


@pytest.fixture(scope="module")
def w3c():
    return W3CSuite(_schema_file("web-annotation-tests", "annotations", "annotationMusts.test").parents[1])


def representatives(items):
    """One annotation of each shape the schemas can tell apart: its target (whose IRI the
    schemas check), motivation, selectors, bodies and dates. jsonschema takes a fifth of a
    second an annotation over these schemas, and the bundled store's differ in little else."""
    found = {}
    for item in items:
        target = item["target"][0]
        shape = (target["source"], item["motivation"], len(target["selector"]), len(item["body"]), "created" in item)
        found.setdefault(shape, item)
    return list(found.values())


def test_annotations_meet_every_must_of_the_w3c_annotation_tests(store_path, w3c):
    collection = annotations(store_path)
    assert w3c.failures(collection, w3c.assertions("collections/collectionMusts.test")) == []
    # The collection embeds its one page as "first"; the page tests accept either.
    assert w3c.failures(collection, w3c.assertions("collections/pages/pageMusts.test")) == []
    musts = w3c.assertions("annotations/annotationMusts.test")
    assert len(musts) > 50
    items = representatives(collection["first"]["items"])
    assert items and [w3c.failures(item, musts) for item in items] == [[] for _ in items]


# What the annotations claim to implement, by the suite's own tests of each feature.
FEATURES = [
    "annotations/3.1-bodyKeyFound.json",
    "annotations/3.3.5-annotationMotivationImplemented.json",
    "annotations/bodiesTargets/3.3.5-bodyPurpose.json",
    "annotations/bodiesTargets/3.2.1-bodyFormat.json",
    "annotations/bodiesTargets/4-targSpecificResource.json",
    "annotations/specificResource/4.2.4-textQuoteSelector.json",
]
ANCHORED_FEATURES = [
    "annotations/specificResource/4.2.4-prefix.json",
    "annotations/specificResource/4.2.4-suffix.json",
    "annotations/specificResource/4.2.5-textPositionSelector.json",
]


def test_annotations_are_recognised_as_the_features_they_use(store_path, w3c):
    items = representatives(annotations(store_path)["first"]["items"])
    anchored = [item for item in items if len(item["target"][0]["selector"]) == 2]
    assert anchored
    assert [w3c.failures(item, FEATURES) for item in items] == [[] for _ in items]
    assert [w3c.failures(item, ANCHORED_FEATURES) for item in anchored] == [[] for _ in anchored]
    dated = [item for item in items if "created" in item]
    assert [w3c.failures(item, ["annotations/3.3.1-annotationCreatedImplemented.json"]) for item in dated] == [
        [] for _ in dated
    ]


def test_the_w3c_tests_catch_a_broken_annotation(w3c):
    """The suite, as loaded here, fails what it should: the checks above can fail."""
    item = annotations(BUNDLED_STORE)["first"]["items"][0]
    musts = w3c.assertions("annotations/annotationMusts.test")
    for key, value in [("id", "not an iri"), ("created", "2019"), ("target", [{"source": "no scheme"}])]:
        assert w3c.failures({**item, key: value}, musts), key
    position = {**item, "target": [{**item["target"][0], "selector": [{"type": "TextPositionSelector", "start": -1, "end": 3}]}]}
    assert w3c.failures(position, musts)


@pytest.fixture(scope="module")
def csl_schema():
    schema = json.loads(_schema_file("csl-data.json").read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def test_csl_items_are_valid_csl_json(store_path, csl_schema):
    items = json.loads(exported(store_path, "csl"))
    assert items
    assert [error.message for error in csl_schema.iter_errors(items)] == []
    # The schema can fail: it knows CSL's item types and date shapes.
    assert list(csl_schema.iter_errors([{**items[0], "type": "newspaper"}]))
    assert list(csl_schema.iter_errors([{**items[0], "issued": {"date-parts": [[2019, 2, 1, 9]]}}]))


# --- annotations ----------------------------------------------------------------------------


def by_tag(items):
    """Annotations by their first tag: a fact's or a conflict's id."""
    found = {}
    for item in items:
        tags = [body["value"] for body in item["body"] if body["purpose"] == "tagging"]
        found.setdefault(tags[0], []).append(item)
    return found


def test_an_anchored_citation_is_selected_by_quote_and_position_an_unanchored_one_by_quote(tmp_path):
    items = by_tag(annotations(odd_store(tmp_path / "odd.json"))["first"]["items"])
    anchored, unanchored = items["rating-2019-01-overall-inadequate"]
    assert anchored["target"][0]["selector"] == [
        {"type": "TextQuoteSelector", "exact": "In January the department was branded inadequate by Ofsted",
         "prefix": "", "suffix": ".\n" + ODD},
        {"type": "TextPositionSelector", "start": 0, "end": 59},
    ]
    assert unanchored["target"][0]["selector"] == [{"type": "TextQuoteSelector", "exact": "leap " + ODD}]


def test_a_facts_annotation_describes_the_quote_with_its_claim_and_is_tagged_with_its_id(tmp_path):
    items = by_tag(annotations(odd_store(tmp_path / "odd.json"))["first"]["items"])
    (role,) = items["role-diane-booth-dcs"]
    assert role["motivation"] == "describing"
    assert role["body"] == [
        {"type": "TextualBody", "purpose": "describing", "value": role_fact()["claim"], "format": "text/plain"},
        {"type": "TextualBody", "purpose": "tagging", "value": "role-diane-booth-dcs", "format": "text/plain"},
    ]
    assert (role["created"], role["modified"]) == ("2020-01-01T00:00:00Z", "2021-06-30T23:59:59Z")


def test_a_conflicts_quotes_are_questioned_by_its_note_and_tagged_with_the_facts_it_touches(tmp_path):
    items = by_tag(annotations(odd_store(tmp_path / "odd.json"))["first"]["items"])
    questioned = items["january-or-february"]
    assert len(questioned) == 2
    for item in questioned:
        assert item["motivation"] == "questioning"
        assert [(body["purpose"], body["value"]) for body in item["body"]] == [
            ("questioning", "Note " + ODD),
            ("tagging", "january-or-february"),
            ("tagging", "rating-2019-01-overall-inadequate"),
            ("tagging", "role-diane-booth-dcs"),
        ]


def test_a_retracted_fact_is_not_annotated(tmp_path):
    collection = annotations(odd_store(tmp_path / "odd.json"))
    assert "rating-2019-retracted" not in by_tag(collection["first"]["items"])
    assert collection["total"] == len(collection["first"]["items"]) == 5  # 2 + 1 quotes of facts, 2 of the conflict


def test_the_target_is_the_url_else_the_named_hash_of_the_file_else_a_name_of_the_source(tmp_path):
    items = by_tag(annotations(odd_store(tmp_path / "odd.json"))["first"]["items"])
    sources = [item["target"][0]["source"] for item in items["rating-2019-01-overall-inadequate"]]
    assert sources[1] == "https://example.org/p%C3%A4ge%7Cx?q=%25zz&r=%41"  # encoded as a URI, %41 kept
    assert sources[0].startswith("urn:uuid:")  # neither url nor sha256: named by id and file
    bundled = annotations(BUNDLED_STORE)["first"]["items"][0]["target"][0]["source"]
    digest = base64.urlsafe_b64decode(bundled.removeprefix("ni:///sha-256;") + "=")
    store = load_whole(BUNDLED_STORE)
    assert digest.hex() in {source.sha256 for source in store.sources.values()}


def test_annotation_ids_are_the_same_every_time_and_never_shared(tmp_path):
    first, again = annotations(BUNDLED_STORE), annotations(BUNDLED_STORE)
    assert first == again
    ids = [item["id"] for item in first["first"]["items"]] + [first["id"], first["first"]["id"]]
    assert len(set(ids)) == len(ids)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the bundled store's source texts are in ../shared/seeds")
def test_bundled_annotations_select_their_quotes_in_the_files_their_targets_name():
    store = load_whole(BUNDLED_STORE)
    files = {}
    for source in store.sources.values():
        data = (SEEDS / source.file).read_bytes()
        files[f"ni:///sha-256;{base64.urlsafe_b64encode(hashlib.sha256(data).digest()).decode().rstrip('=')}"] = data.decode("utf-8")
    for item in annotations(BUNDLED_STORE)["first"]["items"]:
        text = files[item["target"][0]["source"]]
        quote, position = item["target"][0]["selector"]
        span = text[position["start"] : position["end"]]
        # The quote is kept as the curator wrote it: the same text up to typography and spacing.
        assert fold(span) == fold(quote["exact"])
        assert text[: position["start"]].endswith(quote["prefix"])
        assert text[position["end"] :].startswith(quote["suffix"])


# --- CSL-JSON -------------------------------------------------------------------------------


def test_csl_gives_dates_as_far_as_known_and_never_passes_off_a_worked_out_date_as_printed(tmp_path):
    items = {item["id"]: item for item in json.loads(exported(odd_store(tmp_path / "odd.json"), "csl"))}
    inferred, printed, undated = items["gazette-2019"], items["printed-leap-day"], items["undated"]
    assert inferred["issued"] == {"date-parts": [[2019]], "circa": True}
    assert inferred["note"].split("\n") == [
        "Publication date 2019 not printed; inferred: Worked out " + ODD,
        "Text file gazette.txt (not fingerprinted)",
    ]
    assert printed["issued"] == {"date-parts": [[2020, 2, 29]]}
    assert printed["note"].split("\n")[1] == f"sha256 of the text file leap.txt: {'0' * 63}1"
    assert (printed["container-title"], printed["URL"]) == ("Pub " + ODD, "https://example.org/päge|x?q=%zz&r=%41")
    assert "issued" not in undated and "container-title" not in undated
    assert undated["custom"] == {
        "published": None, "published_basis": None, "published_note": None, "file": "undated.txt", "sha256": None
    }
    assert {item["type"] for item in items.values()} == {"article-newspaper"}


def test_csl_partial_dates_are_date_parts_as_far_as_they_go():
    items = json.loads(exported(BUNDLED_STORE, "csl"))
    store = load_whole(BUNDLED_STORE)
    for item in items:
        published = store.sources[item["id"]].published
        assert item["issued"]["date-parts"] == [[int(part) for part in published.split("-")]]


# --- JSON lines -----------------------------------------------------------------------------


CURATION = ("added", "changed", "history", "conflicts")


def comparable(jsonl):
    """Each fact as data, without what an import writes anew (when it was added, changed, its
    history) and the conflicts, which are not facts."""
    return [{k: v for k, v in json.loads(line).items() if k not in CURATION} for line in jsonl.splitlines()]


def test_every_fact_is_a_line_in_the_shape_show_prints(tmp_path):
    store = odd_store(tmp_path / "odd.json")
    lines = exported(store, "jsonl").splitlines()
    assert len(lines) == 3  # the retracted fact too
    shown = json.loads(invoke("--db", store, "show", "role-diane-booth-dcs", "--json").stdout)
    assert json.loads(lines[1]) == shown[0]


def test_json_lines_come_back_equal_through_init_add_source_and_add(store_path, tmp_path):
    lines = exported(store_path, "jsonl")
    new = tmp_path / "new.json"
    assert invoke("init", new, "--empty").exit_code == 0
    for number, source in enumerate(json.loads(invoke("--db", store_path, "sources", "--json").stdout)):
        document = tmp_path / f"source-{number}.json"
        document.write_text(json.dumps(source), encoding="utf-8")
        assert invoke("--db", new, "add-source", "--from", document).exit_code == 0
    facts = tmp_path / "facts.jsonl"
    facts.write_text(lines, encoding="utf-8")
    # Quotes that overlap are hints, and no two bundled facts make one claim: all come back as they were.
    result = invoke("--db", new, "add", "--from", facts)
    assert result.exit_code == 0, result.output
    assert comparable(exported(new, "jsonl")) == comparable(lines)


# --- SQLite and Datasette -----------------------------------------------------------------------


def export_sqlite(store, path, *args):
    result = invoke("--db", store, "export", "--format", "sqlite", path, *args)
    assert result.exit_code == 0, result.output
    return sqlite3.connect(path)


def test_the_database_has_a_row_for_every_record_of_the_store(store_path, tmp_path):
    connection = export_sqlite(store_path, tmp_path / "facts.db")
    tables = json.loads(Path(store_path).read_text(encoding="utf-8"))
    records = {name: list(tables.get(name, {}).values()) for name in ("facts", "sources", "conflicts")}
    counts = database.counts(connection)
    assert {name: counts[name] for name in records} == {name: len(found) for name, found in records.items()}
    assert counts["citations"] == sum(len(record["citations"]) for name in ("facts", "conflicts") for record in records[name])
    assert counts[database.FTS] == counts["facts"]
    assert counts["conflict_facts"] == sum(len(set(record["facts"])) for record in records["conflicts"])


def test_the_database_keeps_the_stores_text_and_tells_fact_from_conflict_citations(tmp_path):
    connection = export_sqlite(odd_store(tmp_path / "odd.json"), tmp_path / "odd.db")
    assert connection.execute("SELECT title FROM sources WHERE id = 'gazette-2019'").fetchone() == ("Title " + ODD,)
    assert connection.execute(
        "SELECT retracted_reason, retracted_date FROM facts WHERE id = 'rating-2019-retracted'"
    ).fetchone() == ("Wrong " + ODD, "2021-01-01")
    rows = connection.execute(
        'SELECT fact, conflict, position, source, start, "end" FROM citations ORDER BY id'
    ).fetchall()
    assert rows == [
        ("rating-2019-01-overall-inadequate", None, 1, "gazette-2019", 0, 59),
        ("rating-2019-01-overall-inadequate", None, 2, "printed-leap-day", None, None),
        ("role-diane-booth-dcs", None, 1, "gazette-2019", None, None),
        ("rating-2019-retracted", None, 1, "undated", None, None),
        (None, "january-or-february", 1, "gazette-2019", None, None),
        (None, "january-or-february", 2, "undated", None, None),
    ]
    assert connection.execute("SELECT first_on_record, last_on_record FROM facts WHERE kind = 'role'").fetchone() == (
        "2019", "2019"
    )


def test_full_text_search_finds_claims_and_quotes_by_word_form(tmp_path):
    connection = export_sqlite(BUNDLED_STORE, tmp_path / "facts.db")

    def found(words):
        return {
            row[0]
            for row in connection.execute(
                f"SELECT id FROM facts WHERE rowid IN (SELECT rowid FROM {database.FTS} WHERE {database.FTS} MATCH ?)",
                (words,),
            )
        }

    store = load_whole(BUNDLED_STORE)
    in_quotes = {f.id for f in store.facts if any("branded" in c.quote.lower() for c in f.citations)}
    assert in_quotes and found("branded") == in_quotes
    assert found("inspections") == found("inspection")  # porter stemming, as facts search does
    assert found("claim:inadequate") == {f.id for f in store.facts if "inadequate" in f.claim.lower()}


def test_the_canned_rating_query_answers_as_facts_rating_does_in_every_year(tmp_path):
    connection = export_sqlite(BUNDLED_STORE, tmp_path / "facts.db")
    store = load_whole(BUNDLED_STORE)
    answered = 0
    for year in range(2010, TODAY.year + 1):
        rows = connection.execute(database.RATING_IN_FORCE, {"year": str(year)}).fetchall()
        expected = rating.rating(store, TODAY, year=year).hits
        assert [row[0] for row in rows] == [hit.fact.id for hit in expected], year
        assert [row[6] for row in rows] == [hit.context["basis"] for hit in expected], year
        answered += bool(rows)
    assert answered > 10


def test_the_canned_post_query_gives_the_holders_that_facts_who_gives(tmp_path):
    connection = export_sqlite(BUNDLED_STORE, tmp_path / "facts.db")
    store = load_whole(BUNDLED_STORE)
    roles = sorted({fact.fields["role"] for fact in store.select("role")})
    answered = 0
    for role in roles:
        for year in range(2010, TODAY.year + 1):
            rows = connection.execute(database.POST_HOLDERS, {"post": role, "year": str(year)}).fetchall()
            held = people.who(store, TODAY, role=role, year=year).hits
            expected = [(hit.fact.id, hit.context["basis"]) for hit in held]
            assert sorted((row[7], row[6]) for row in rows) == sorted(expected), (role, year)
            answered += bool(rows)
    assert answered > 5


def test_the_metadata_names_the_store_describes_every_column_and_offers_the_queries(tmp_path):
    connection = export_sqlite(BUNDLED_STORE, tmp_path / "facts.db")
    metadata = json.loads((tmp_path / "facts.metadata.json").read_text(encoding="utf-8"))
    assert metadata["title"] == store_title(load_whole(BUNDLED_STORE))
    described = metadata["databases"]["facts"]
    for table in ("facts", "sources", "citations"):
        columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
        assert set(described["tables"][table]["columns"]) == set(columns), table
        assert all(described["tables"][table]["columns"].values())
    queries = described["queries"]
    assert set(queries) == {"rating_in_force", "post_holders"}
    assert "on record" in queries["post_holders"]["description"]
    assert "not stated by a source" in described["tables"]["facts"]["columns"]["first_on_record"]


def test_the_title_is_the_stores_own_where_it_has_one(tmp_path):
    from collections import namedtuple

    store = load_whole(BUNDLED_STORE)
    store.meta = None
    assert store_title(store) == "facts.json"
    store.meta = namedtuple("Meta", "title description")("A title", "What it covers.")
    assert store_title(store) == "A title"
    assert database.metadata(store, "facts")["description"].startswith("What it covers. Every fact")


def test_metadata_goes_where_asked(tmp_path):
    export_sqlite(BUNDLED_STORE, tmp_path / "facts.db", "--metadata", tmp_path / "metadata.json")
    assert json.loads((tmp_path / "metadata.json").read_text(encoding="utf-8"))["databases"]["facts"]
    assert not (tmp_path / "facts.metadata.json").exists()


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_datasette_serves_the_export_with_its_metadata(tmp_path):
    export_sqlite(BUNDLED_STORE, tmp_path / "facts.db")
    store = load_whole(BUNDLED_STORE)
    port = _free_port()
    # Never through a proxy: the server is on this machine.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(tmp_path / "facts.db"), "-m", str(tmp_path / "facts.metadata.json"),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )

    def get(path):
        with opener.open(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return json.loads(response.read())

    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stderr.read().decode("utf-8", "replace")[-2000:]
            try:
                get("/-/versions.json")
                break
            except OSError:
                assert time.monotonic() < deadline, "datasette did not start within 60 s"
                time.sleep(0.2)
        assert get("/facts.json?sql=select+count(*)+as+n+from+facts&_shape=array") == [{"n": len(store.facts)}]
        rows = get("/facts/rating_in_force.json?year=2019&_shape=array")
        assert [row["id"] for row in rows] == [hit.fact.id for hit in rating.rating(store, TODAY, year=2019).hits]
        searched = get("/facts/facts.json?_search=branded&_shape=array&_col=id")
        assert {row["id"] for row in searched} == {
            f.id for f in store.facts if any("branded" in c.quote.lower() for c in f.citations)
        }
        assert get("/-/metadata.json")["title"] == store_title(store)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stderr.close()


def test_an_empty_store_exports_empty_documents(tmp_path):
    empty = tmp_path / "empty.json"
    assert invoke("init", empty, "--empty").exit_code == 0
    collection = annotations(empty)
    assert (collection["total"], collection["first"]["items"]) == (0, [])
    assert json.loads(exported(empty, "csl")) == []
    assert exported(empty, "jsonl") == ""
    counts = database.counts(export_sqlite(empty, tmp_path / "empty.db"))
    assert set(counts.values()) == {0}


@pytest.mark.parametrize("fmt", ["annotations", "jsonl"])
def test_an_export_through_the_derived_index_is_the_same(fmt, monkeypatch):
    monkeypatch.setenv("FACTS_INDEX", "always")
    through_index = exported(BUNDLED_STORE, fmt)
    monkeypatch.setenv("FACTS_INDEX", "never")
    assert through_index == exported(BUNDLED_STORE, fmt)


# --- where exports are written ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["annotations", "csl", "jsonl"])
def test_a_text_export_to_a_file_is_what_stdout_gets(fmt, tmp_path):
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / f"export.{fmt}"
    result = invoke("--db", BUNDLED_STORE, "export", "--format", fmt, out)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == exported(BUNDLED_STORE, fmt)
    assert os.listdir(out.parent) == [out.name]


def test_a_dash_is_stdout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("export", "--format", "csl", "-").stdout == invoke("export", "--format", "csl").stdout
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("fmt", ["annotations", "sqlite"])
def test_an_existing_file_is_left_alone_without_force_and_replaced_with_it(fmt, tmp_path):
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "export"
    out.write_bytes(b"keep me")
    result = invoke("export", "--format", fmt, out)
    assert result.exit_code == 1
    assert "already exists; give --force" in result.stderr
    assert out.read_bytes() == b"keep me"
    assert os.listdir(out.parent) == ["export"]
    assert invoke("export", "--format", fmt, out, "--force").exit_code == 0
    assert out.read_bytes() != b"keep me"


def test_an_existing_metadata_file_refuses_the_database_too(tmp_path):
    (tmp_path / "out.metadata.json").write_text("{}")
    result = invoke("export", "--format", "sqlite", tmp_path / "out.db")
    assert result.exit_code == 1
    assert not (tmp_path / "out.db").exists()
    assert (tmp_path / "out.metadata.json").read_text() == "{}"


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_a_symbolic_link_is_never_written_through(force, tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("untouched")
    link = tmp_path / "out.json"
    link.symlink_to(target)
    result = invoke("export", "--format", "csl", link, *force)
    assert result.exit_code == 1
    assert "symbolic link" in result.stderr
    assert target.read_text() == "untouched" and link.is_symlink()


def test_a_folder_that_is_not_there_is_one_line_and_exit_1(tmp_path):
    result = invoke("export", "--format", "jsonl", tmp_path / "missing" / "out.jsonl")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "there is no folder" in result.stderr


@pytest.mark.parametrize("fmt", ["annotations", "sqlite"])
def test_a_file_size_limit_is_one_line_and_leaves_nothing(fmt, tmp_path):
    import resource

    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "export"

    def limited():
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    env = {key: value for key, value in os.environ.items() if key != "FACTS_DB"}
    result = subprocess.run(
        [sys.executable, "-m", "factcli", "export", "--format", fmt, str(out)],
        env=env, capture_output=True, text=True, preexec_fn=limited, timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"Error: cannot write {out}") and result.stderr.count("\n") == 1
    assert os.listdir(out.parent) == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "sqlite"], "needs OUT"),
        (["--format", "sqlite", "-"], "needs OUT"),
        (["--format", "csl", "--metadata", "m.json", "out.json"], "only to --format sqlite"),
        (["--format", "csl", "--force"], "only when writing to OUT"),
        (["--format", "sqlite", "same.json", "--metadata", "same.json"], "another file than OUT"),
        (["--format", "pdf"], "pdf"),
    ],
)
def test_usage_errors_exit_2(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("export", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert sorted(os.listdir(tmp_path)) == ["facts.json"]


# --- the documentation -----------------------------------------------------------------------


def documented(command):
    """The JSON docs/export.md shows under `$ COMMAND`: the lines up to the next prompt or fence."""
    text = (ROOT / "docs" / "export.md").read_text(encoding="utf-8")
    start = text.index(f"$ {command}\n") + len(command) + 3
    end = min(text.index(marker, start) for marker in ("\n$ ", "\n```"))
    return json.loads(text[start:end])


def test_the_documented_annotation_and_csl_item_are_what_export_prints():
    assert documented("jq '.first.items[0]' annotations.jsonld") == annotations(BUNDLED_STORE)["first"]["items"][0]
    collection = annotations(BUNDLED_STORE)
    del collection["first"]["items"]
    assert documented("jq 'del(.first.items)' annotations.jsonld") == collection
    assert documented("facts export --format csl | jq '.[2]'") == json.loads(exported(BUNDLED_STORE, "csl"))[2]
