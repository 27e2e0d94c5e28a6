"""facts batch: one process answering many requests exactly as single calls would; and the Python API."""

import json

import pytest
from conftest import write_store
from click.testing import CliRunner

import factcli
from factcli.cli import cli
from factcli.core.errors import NotFound, UsageError
from factcli.storage.location import BUNDLED_STORE

# A request of every query command, and the ways a request goes wrong.
REQUESTS = [
    ["rating"],
    ["rating", "--year", "2019"],
    ["who", "--role", "minister"],
    ["who", "--year", "2019", "--role", "minister"],
    ["timeline", "--from", "2021", "--to", "2021"],
    ["search", "invested"],
    ["show", "rating-2019-01-overall-inadequate"],
    ["sources"],
    ["conflicts"],
    ["search", "money", "--limit", "1", "--fields", "id,match"],
]


@pytest.fixture(autouse=True)
def bundled(monkeypatch):
    monkeypatch.setenv("FACTS_DB", str(BUNDLED_STORE))
    monkeypatch.setenv("FACTS_TODAY", "2026-11-23")


def single(args):
    result = CliRunner().invoke(cli, [*args, "--json"])
    return result.exit_code, json.loads(result.stdout), [line for line in result.stderr.splitlines() if line]


def batch(lines, *options):
    result = CliRunner().invoke(cli, ["batch", *options], input="".join(line + "\n" for line in lines))
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_batch_answers_every_command_exactly_as_a_single_call_does():
    replies = batch([json.dumps(args) for args in REQUESTS])
    assert len(replies) == len(REQUESTS)
    for args, reply in zip(REQUESTS, replies):
        exit_code, answer, notes = single(args)
        assert reply == {"args": args, "exit": exit_code, "answer": answer, "notes": notes}


def test_a_bad_request_in_the_middle_answers_alone_and_the_batch_goes_on():
    replies = batch(['["rating", "--year", "2019"]', "not json", '["rating", "--year", "abc"]', '["show", "nope"]',
                     '{"args": 1}', '["sources"]'])
    assert [reply["exit"] for reply in replies] == [0, 2, 2, 1, 2, 0]
    assert "not JSON" in replies[1]["error"]
    assert "--year" in replies[2]["error"]
    assert "no fact or conflict with id 'nope'" in replies[3]["error"]
    assert replies[4]["error"] == "a request is a JSON array of strings"
    assert len(replies[5]["answer"]) == 5


@pytest.mark.parametrize("options", [(), ("--allow-files",)])
@pytest.mark.parametrize("request_args", [["rating", "--db", "a\x00b"], ["site", "a\x00b"], ["search", "a\x00b"]])
def test_a_request_holding_a_nul_character_is_answered_and_the_batch_goes_on(request_args, options):
    """No command line can hold a NUL character, and os refuses one in a path with an error of
    its own: a request with one is a usage error, whatever it would have done."""
    replies = batch([json.dumps(request_args), '["sources"]'], *options)
    assert [reply["exit"] for reply in replies] == [2, 0]
    assert replies[0]["error"] == "a request's arguments may not hold a NUL character"


def test_a_request_that_is_not_utf8_is_answered_not_a_traceback():
    result = CliRunner().invoke(cli, ["batch"], input=b'["sources"]\n\xff\xfe\n["rating"]\n')
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert [reply["exit"] for reply in replies] == [0, 2, 0]
    assert "not UTF-8" in replies[1]["error"]


def test_writes_are_refused_in_a_batch_unless_allowed(tiny_store, monkeypatch):
    monkeypatch.setenv("FACTS_DB", str(tiny_store))
    before = tiny_store.read_bytes()
    request = json.dumps(["retract", "role-diane-booth-dcs", "--reason", "A test."])
    [refused] = batch([request])
    assert (refused["exit"], tiny_store.read_bytes()) == (2, before)
    assert "--allow-writes" in refused["error"]
    [done, after] = batch([request, '["show", "role-diane-booth-dcs"]'], "--allow-writes")
    assert done["exit"] == 0
    assert after["exit"] == 1 and "retracted" in after["error"]


def test_edit_without_set_is_refused_in_a_batch(tiny_store, monkeypatch):
    monkeypatch.setenv("FACTS_DB", str(tiny_store))
    [reply] = batch(['["edit", "role-diane-booth-dcs"]'], "--allow-writes")
    assert reply["exit"] == 2 and "--set" in reply["error"]


def test_the_store_is_loaded_once_for_the_whole_batch(monkeypatch):
    from factcli.storage import loading

    loads = []
    real = loading.load
    monkeypatch.setattr(loading, "load", lambda path, *args: loads.append(path) or real(path, *args))
    batch([json.dumps(args) for args in REQUESTS])
    assert len(loads) == 1


def test_db_before_batch_applies_to_every_request(tiny_store, monkeypatch):
    monkeypatch.setenv("FACTS_DB", str(BUNDLED_STORE))
    result = CliRunner().invoke(cli, ["--db", str(tiny_store), "batch"], input='["sources"]\n')
    [reply] = [json.loads(line) for line in result.stdout.splitlines()]
    assert [source["id"] for source in reply["answer"]] == ["gazette-2019"]


# --- the Python API -------------------------------------------------------------------------

API_CALLS = [
    (["rating", "--year", "2019"], lambda store: store.rating(year=2019)),
    (["rating", "--area", "care"], lambda store: store.rating(area="care")),
    (["who", "--role", "minister", "--year", "2025"], lambda store: store.who(role="minister", year=2025)),
    (["who", "--name", "booth"], lambda store: store.who(name="booth")),
    (["timeline", "--from", "2019", "--to", "2020", "--kind", "plan"],
     lambda store: store.timeline(from_=2019, to=2020, kind="plan")),
    (["timeline", "--undated"], lambda store: store.timeline(undated=True)),
    (["timeline", "--from", "2019-02", "--to", "2019-02-28"], lambda store: store.timeline(from_="2019-02", to="2019-02-28")),
    (["search", "childrens minister"], lambda store: store.search("childrens minister")),
    (["show", "figure-4m-investment-childrens-services"], lambda store: store.show("figure-4m-investment-childrens-services")),
    (["sources"], lambda store: store.sources()),
    (["conflicts"], lambda store: store.conflicts()),
    (["conflicts", "--include-retracted"], lambda store: store.conflicts(include_retracted=True)),
]


@pytest.mark.parametrize("args, call", API_CALLS, ids=[" ".join(args) for args, _ in API_CALLS])
def test_the_api_returns_what_the_json_output_holds(args, call):
    assert call(factcli.open()) == single(args)[1]


@pytest.mark.parametrize(
    "from_, to, message",
    [
        ("2019-13", None, "from_ must be a year"),
        (2019.5, None, "from_ must be a year"),
        (True, None, "from_ must be a year"),
        ("2020", "2019-12", "from_ 2020 is after to 2019-12"),
    ],
)
def test_the_api_timeline_refuses_a_period_it_cannot_take(from_, to, message):
    with pytest.raises(UsageError, match=message):
        factcli.open().timeline(from_=from_, to=to)


def test_the_api_keeps_the_notes_of_its_last_answer():
    store = factcli.open()
    assert store.who(role="minister", year=2019) == []
    assert store.notes == [single(["who", "--role", "minister", "--year", "2019"])[2][0]]


def test_the_api_opens_a_store_by_path_and_raises_the_cores_errors(tiny_store):
    store = factcli.open(tiny_store)
    assert [fact["id"] for fact in store.search("booth")] == ["role-diane-booth-dcs"]
    with pytest.raises(NotFound):
        store.show("no-such-fact")


@pytest.mark.parametrize(
    "request_args",
    [
        ["cite", "role-diane-booth-dcs", "--source", "gazette-2019", "--quote", "Diane Booth"],
        ["restore", "role-diane-booth-dcs", "--reason", "x"],
        ["rename", "role-diane-booth-dcs", "role-booth"],
        ["add-source", "--id", "x", "--title", "X", "--file", "x.txt"],
        ["anchor", "--sources", "."],
        ["init", "elsewhere.json"],
    ],
    ids=lambda args: args[0],
)
def test_every_command_that_writes_is_refused_in_a_batch(tiny_store, monkeypatch, request_args):
    monkeypatch.setenv("FACTS_DB", str(tiny_store))
    before = tiny_store.read_bytes()
    [reply] = batch([json.dumps(request_args)])
    assert reply["exit"] == 2 and "--allow-writes" in reply["error"]
    assert tiny_store.read_bytes() == before


# --- what a request may name: the parser decides, not a guess at argv --------------------------


def test_a_write_is_refused_however_the_request_orders_its_options(tiny_store, tmp_path, monkeypatch):
    other = write_store(tmp_path / "other.json")
    monkeypatch.setenv("FACTS_DB", str(tiny_store))
    before = (tiny_store.read_bytes(), other.read_bytes())
    requests = [
        ["--db", str(other), "retract", "role-diane-booth-dcs", "--reason", "x"],
        ["--db", str(other), "rename", "role-diane-booth-dcs", "role-booth"],
        ["retract", "--reason", "x", "role-diane-booth-dcs"],
    ]
    replies = batch([json.dumps(args) for args in requests], "--allow-files")
    assert [reply["exit"] for reply in replies] == [2, 2, 2]
    assert all("--allow-writes" in reply["error"] for reply in replies)
    assert (tiny_store.read_bytes(), other.read_bytes()) == before


@pytest.mark.parametrize(
    "request_args",
    [
        ["--db", "{other}", "sources"],
        ["sources", "--db", "{other}"],
        ["site", "{tmp}/site"],
        ["quote", "{tmp}/article.txt", "some words"],
        ["draft", "{tmp}/article.txt"],
        ["verify", "--sources", "{tmp}"],
    ],
    ids=["--db before", "--db after", "site DIR", "quote FILE", "draft FILE", "verify --sources"],
)
def test_a_request_naming_a_store_or_a_file_needs_allow_files(tiny_store, tmp_path, monkeypatch, request_args):
    other = write_store(tmp_path / "other.json")
    (tmp_path / "article.txt").write_text("Some words of an article.\n", encoding="utf-8")
    monkeypatch.setenv("FACTS_DB", str(tiny_store))
    request = [arg.format(other=other, tmp=tmp_path) for arg in request_args]
    [refused] = batch([json.dumps(request)])
    assert refused["exit"] == 2 and "--allow-files" in refused["error"], refused
    assert not (tmp_path / "site").exists()
    [allowed] = batch([json.dumps(request)], "--allow-files")
    assert "--allow-files" not in allowed.get("error", ""), allowed


def test_files_named_by_the_batch_itself_need_no_flag(tiny_store, tmp_path, monkeypatch, sources_dir):
    monkeypatch.setenv("FACTS_DB", str(BUNDLED_STORE))
    monkeypatch.setenv("FACTS_SOURCES", str(sources_dir))
    result = CliRunner().invoke(
        cli, ["--db", str(tiny_store), "batch"], input='["quote", "gazette-2019", "a 12-week plan"]\n["sources"]\n'
    )
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert [reply["exit"] for reply in replies] == [0, 0], replies
    assert [source["id"] for source in replies[1]["answer"]] == ["gazette-2019"]


def test_a_write_naming_a_file_needs_both_flags(tiny_store, tmp_path, monkeypatch):
    monkeypatch.setenv("FACTS_DB", str(tiny_store))
    document = tmp_path / "fact.json"
    document.write_text("{}", encoding="utf-8")
    requests = [json.dumps(["add", "--from", str(document)]), json.dumps(["init", str(tmp_path / "new.json")])]
    for flags in ([], ["--allow-writes"], ["--allow-files"]):
        replies = batch(requests, *flags)
        assert [reply["exit"] for reply in replies] == [2, 2], (flags, replies)
    assert not (tmp_path / "new.json").exists()
    replies = batch(requests, "--allow-writes", "--allow-files")
    assert replies[1]["exit"] == 0 and (tmp_path / "new.json").exists()


def test_a_request_never_reads_the_batchs_own_stdin(tiny_store, monkeypatch):
    monkeypatch.setenv("FACTS_DB", str(tiny_store))
    replies = batch(['["add"]', '["sources"]', '["add", "--from", "-"]', '["sources"]'], "--allow-writes", "--allow-files")
    assert [reply["exit"] for reply in replies] == [2, 0, 2, 0], replies
    assert "no input" in replies[0]["error"]


def test_batch_cannot_run_inside_a_batch_whatever_comes_first(tiny_store, monkeypatch):
    monkeypatch.setenv("FACTS_DB", str(tiny_store))
    replies = batch(['["batch"]', f'["--db", "{tiny_store}", "batch"]'], "--allow-files")
    assert [reply["exit"] for reply in replies] == [2, 2]
    assert all("inside a batch" in reply["error"] for reply in replies)
