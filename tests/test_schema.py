"""The published shape of each command's output: real answers validate against facts schema, one shape per command."""

import csv
import io
import json

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import SOURCE, conflict, rating_fact, role_fact, write_store

from factcli.output import schema
from factcli.cli import cli
from factcli.storage.location import BUNDLED_STORE

# Queries on the bundled store, at least one per command and every kind of fact among them.
BUNDLED_QUERIES = [
    ["rating"],
    ["rating", "--year", "2015"],
    ["rating", "--year", "2022", "--include-retracted"],
    ["who"],
    ["who", "--year", "2025"],
    ["who", "--role", "minister", "--year", "2019"],
    ["timeline", "--undated"],
    ["timeline", "--kind", "figure"],
    ["search"],
    ["search", "invested"],
    ["search", "astronaut"],
    ["show", "figure-4m-investment-childrens-services"],
    ["show", "role-diane-booth-director-of-childrens-services"],
    ["sources"],
    ["conflicts"],
]


def run(*args):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def command_of(args):
    return args[0]


def published_schema(command):
    return json.loads(run("schema", command))


@pytest.mark.parametrize("args", BUNDLED_QUERIES, ids=" ".join)
def test_bundled_answers_validate_against_the_published_schema(monkeypatch, args):
    monkeypatch.setenv("FACTS_DB", str(BUNDLED_STORE))
    document = json.loads(run(*args, "--json"))
    jsonschema.validate(document, published_schema(command_of(args)))


@pytest.mark.parametrize("args", BUNDLED_QUERIES, ids=" ".join)
def test_every_object_of_an_answer_has_every_key_of_its_command_in_order(monkeypatch, args):
    monkeypatch.setenv("FACTS_DB", str(BUNDLED_STORE))
    for document in json.loads(run(*args, "--json")):
        assert list(document) == schema.keys(command_of(args))


@pytest.mark.parametrize("args", BUNDLED_QUERIES, ids=" ".join)
def test_csv_has_the_commands_header_even_when_empty(monkeypatch, args):
    monkeypatch.setenv("FACTS_DB", str(BUNDLED_STORE))
    reader = csv.reader(io.StringIO(run(*args, "--format", "csv")))
    assert next(reader) == schema.keys(command_of(args))


HOSTILE = '<script>alert(1)</script> \x1b[31m \u202e "quoted" =HYPERLINK("x") \\ \u0000'


def hostile_store(path):
    text = HOSTILE.replace("\u0000", "")
    source = {**SOURCE, "title": text, "publisher": text, "published_note": text}
    citations = [{"source": SOURCE["id"], "quote": text, "as_of": "2019"}]
    facts = [
        rating_fact(claim=f"Rated {text}", area=text, date_note=text, citations=citations),
        role_fact(claim=f"Held {text}", person=text, role=text, organisation=text, citations=citations),
        {
            "id": "figure-hostile",
            "kind": "figure",
            "claim": f"Counted {text}",
            "date": "2020",
            "date_bound": "by",
            "date_basis": "bounded",
            "date_note": text,
            "value": -12.5,
            "unit": text,
            "measure": text,
            "citations": citations,
        },
    ]
    return write_store(path, facts, [source], [conflict(note=text)])


@pytest.mark.parametrize(
    "args",
    [["rating"], ["rating", "--year", "2019"], ["who"], ["who", "--year", "2019"], ["timeline"], ["search", "rated"],
     ["show", "figure-hostile"], ["sources"], ["conflicts"]],
    ids=" ".join,
)
def test_answers_from_a_hostile_store_validate_against_the_schema(tmp_path, monkeypatch, args):
    monkeypatch.setenv("FACTS_DB", str(hostile_store(tmp_path / "hostile.json")))
    document = json.loads(run(*args, "--json"))
    assert document
    jsonschema.validate(document, published_schema(command_of(args)))


def test_schema_without_a_command_gives_every_commands_schema():
    every = json.loads(run("schema"))
    assert set(every) == set(schema.COMMANDS)
    for command, published in every.items():
        jsonschema.Draft202012Validator.check_schema(published)
        # show answers a fact, or a conflict in the keys of facts conflicts.
        shapes = published["items"].get("anyOf", [published["items"]])
        assert [shape["required"] for shape in shapes] == [
            schema.keys(command), *([schema.keys("conflicts")] if command == "show" else [])
        ]


def test_schema_of_an_unknown_command_is_a_usage_error():
    result = CliRunner().invoke(cli, ["schema", "ratings"])
    assert result.exit_code == 2
    assert "rating" in result.stderr and "Traceback" not in result.stderr
