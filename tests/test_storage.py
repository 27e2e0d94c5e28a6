"""Finding and reading the store: which store is chosen, load errors as one-line StoreErrors, safe writes."""

import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SOURCE, rating_fact, role_fact, write_store

import factcli
from factcli import settings
from factcli.core.errors import StoreError, UsageError
from factcli.storage import files, jsonfile, location, writing
from factcli.storage.location import BUNDLED_STORE
from factcli.storage.memory import load_whole

REPO = Path(__file__).resolve().parents[1]


def test_store_path_prefers_explicit_db_over_facts_db(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTS_DB", str(tmp_path / "from-env.json"))
    assert settings.store_choice(str(tmp_path / "explicit.json"))[0] == str(tmp_path / "explicit.json")


def test_store_path_uses_facts_db_when_no_db_is_given(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTS_DB", str(tmp_path / "from-env.json"))
    assert settings.store_choice()[0] == str(tmp_path / "from-env.json")


def test_store_path_falls_back_to_the_bundled_store(monkeypatch):
    monkeypatch.delenv("FACTS_DB")
    assert settings.store_choice()[0] == BUNDLED_STORE


@pytest.mark.parametrize("explicit, env", [(None, ""), ("", None)])
def test_an_empty_store_name_is_refused_not_read_as_the_bundled_store(monkeypatch, explicit, env):
    """A script's unset variable (--db "$STORE", FACTS_DB=$STORE) must not quietly mean the bundled store."""
    if env is None:
        monkeypatch.delenv("FACTS_DB")
    else:
        monkeypatch.setenv("FACTS_DB", env)
    with pytest.raises(UsageError, match="empty"):
        settings.store_choice(explicit)


def test_bundled_store_ships_inside_the_package():
    data_dir, name = os.path.split(BUNDLED_STORE)
    assert name == "facts.json"
    assert os.path.basename(data_dir) == "data"
    assert os.path.dirname(data_dir) == os.path.dirname(os.path.abspath(factcli.__file__))
    assert os.path.isfile(BUNDLED_STORE)


def test_load_reads_sources_and_facts(tiny_store):
    loaded = load_whole(tiny_store)
    assert list(loaded.sources) == ["gazette-2019"]
    assert [fact.id for fact in loaded.facts] == ["rating-2019-01-overall-inadequate", "role-diane-booth-dcs"]
    assert loaded.fact("role-diane-booth-dcs").fields["person"] == "Diane Booth"
    assert loaded.fact("no-such-fact") is None


def test_load_keeps_file_order_past_nine_documents(tmp_path):
    # On disk, sorted keys put document "10" before "2"; the store keeps insertion order.
    facts = [
        rating_fact(id=f"fact-{n:02d}", claim=f"Claim number {n}.", date=f"20{n:02d}") for n in range(1, 13)
    ]
    loaded = load_whole(write_store(tmp_path / "many.json", facts))
    assert [fact.id for fact in loaded.facts] == [f"fact-{n:02d}" for n in range(1, 13)]


def _error(path):
    with pytest.raises(StoreError) as raised:
        load_whole(path)
    message = str(raised.value)
    assert "\n" not in message
    return message


def test_missing_store_is_one_line_naming_the_file(tmp_path):
    message = _error(tmp_path / "absent.json")
    assert "not found" in message
    assert str(tmp_path / "absent.json") in message


@pytest.mark.parametrize(
    "text, line, column",
    [
        ('{\n  "facts": {,\n}', 2, 13),
        ("", 1, 1),
        ('{"facts": {}, "sources": {}', 1, 28),
        ('{"facts": {}}\n\n\n  x', 4, 3),
    ],
)
def test_invalid_json_names_file_line_and_column(tmp_path, text, line, column):
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    message = _error(path)
    assert str(path) in message
    assert f"line {line}, column {column}" in message


def test_store_that_is_not_utf8_is_one_line(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"facts": {}, "sources": {}, "x": "caf\u00e9"}'.encode("latin-1"))
    message = _error(path)
    assert str(path) in message
    assert "UTF-8" in message


def test_store_that_is_a_directory_is_one_line(tmp_path):
    folder = tmp_path / "a-folder.json"
    folder.mkdir()
    message = _error(folder)
    assert str(folder) in message


@pytest.mark.parametrize("document", [[], ["facts"], "facts", 3, None])
def test_store_that_is_not_a_json_object_is_one_line(tmp_path, document):
    path = tmp_path / "wrong-shape.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    message = _error(path)
    assert str(path) in message
    assert "must be a JSON object" in message


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_store_with_a_non_json_number_is_refused(tmp_path, literal):
    # Python's json module reads these, but they are not JSON and --json would echo them back.
    figure = {
        "id": "figure-spend",
        "kind": "figure",
        "claim": "The council spent an unknown sum.",
        "date": "2019",
        "date_note": None,
        "value": 0,
        "unit": "GBP",
        "measure": "spending",
        "citations": [{"source": "gazette-2019", "quote": "Ms Booth said"}],
    }
    path = write_store(tmp_path / "odd-number.json", [figure])
    path.write_text(path.read_text(encoding="utf-8").replace('"value": 0', f'"value": {literal}'), encoding="utf-8")
    message = _error(path)
    assert str(path) in message


def test_store_with_schema_problems_refuses_to_load_and_points_at_validate(tmp_path):
    path = write_store(tmp_path / "invalid.json", [rating_fact(date="2019-13-45"), role_fact()])
    message = _error(path)
    assert "1 problem " in message
    assert "2019-13-45" in message
    assert "facts validate" in message


def test_store_with_a_fact_that_is_not_an_object_refuses_to_load(tmp_path):
    path = write_store(tmp_path / "invalid.json", ["not a fact"])
    message = _error(path)
    assert "must be a JSON object" in message


def test_read_tables_returns_the_raw_json(tiny_store):
    tables = jsonfile.read_tables(tiny_store)
    assert set(tables) == {"facts", "sources", "meta"}
    assert tables["facts"]["1"]["id"] == "rating-2019-01-overall-inadequate"


def test_write_replaces_the_store_and_leaves_no_temporary_file(tmp_path):
    folder = tmp_path / "written"
    folder.mkdir()
    path = folder / "store.json"
    data = {"facts": {}, "sources": {"1": {**SOURCE, "title": "Blackpool’s café"}}}
    writing.AtomicJSONStorage(path).write(data)
    assert writing.AtomicJSONStorage(path).read() == data
    assert "Blackpool’s café" in path.read_text(encoding="utf-8")
    assert sorted(p.name for p in folder.iterdir()) == ["store.json"]


def test_write_through_a_symlink_keeps_the_link_and_updates_its_target(tmp_path):
    target = write_store(tmp_path / "record.json")
    link = tmp_path / "link.json"
    link.symlink_to(target.name)
    tables = jsonfile.read_tables(link)
    del tables["facts"]["2"]
    writing.AtomicJSONStorage(link).write(tables)
    assert link.is_symlink()
    assert list(json.loads(target.read_text(encoding="utf-8"))["facts"]) == ["1"]


def test_write_keeps_the_store_permissions(tmp_path):
    path = write_store(tmp_path / "store.json")
    os.chmod(path, 0o640)
    writing.AtomicJSONStorage(path).write(jsonfile.read_tables(path))
    assert os.stat(path).st_mode & 0o777 == 0o640


# --- hardening: numbers, non-regular files, temporary files, ownership ----------------------


@pytest.mark.parametrize(
    "number, expected",
    [("1e400", "out of range"), ("-1e999", "out of range"), ("9" * 5000, "too long")],
)
def test_reader_refuses_numbers_json_cannot_hold(tmp_path, number, expected):
    text = write_store(tmp_path / "facts.json").read_text().replace('"date": "2019-01"', f'"date": {number}', 1)
    path = tmp_path / "facts.json"
    path.write_text(text)
    assert expected in _error(path)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_write_refuses_non_finite_numbers_and_leaves_the_store(tiny_store, value):
    before = tiny_store.read_bytes()
    tables = json.loads(before)
    tables["facts"]["1"]["date"] = value
    with pytest.raises(StoreError, match="nothing written"):
        writing.AtomicJSONStorage(tiny_store).write(tables)
    assert tiny_store.read_bytes() == before


def test_write_refuses_text_that_cannot_be_utf8(tiny_store):
    before = tiny_store.read_bytes()
    tables = json.loads(before)
    tables["facts"]["1"]["claim"] = "lone \ud800 surrogate"
    with pytest.raises(StoreError, match="nothing written"):
        writing.AtomicJSONStorage(tiny_store).write(tables)
    assert tiny_store.read_bytes() == before


def test_write_refuses_bytes_the_strict_reader_would_refuse(tiny_store, monkeypatch):
    before = tiny_store.read_bytes()
    monkeypatch.setattr(writing, "parse_json", lambda text: (_ for _ in ()).throw(files.StrictJSONError("planted")))
    with pytest.raises(StoreError, match="planted"):
        writing.AtomicJSONStorage(tiny_store).write(json.loads(before))
    assert tiny_store.read_bytes() == before
    assert [p.name for p in tiny_store.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_a_fifo_as_the_store_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    result = subprocess.run(
        [sys.executable, "-m", "factcli", "validate", "--db", str(fifo)], capture_output=True, text=True, timeout=20
    )
    assert result.returncode == 1
    assert "not a regular file" in result.stderr


def test_abandoned_temporary_files_are_removed_under_the_lock(tiny_store):
    dead = tiny_store.parent / f".{tiny_store.name}.999999999.abcd1234.tmp"
    older = tiny_store.parent / f".{tiny_store.name}.zq81ab_x.tmp"
    live = tiny_store.parent / f".{tiny_store.name}.1.abcd1234.tmp"  # pid 1 is always running
    for leftover in (dead, older, live):
        leftover.write_text("half a store")
    with jsonfile.write_lock(tiny_store):
        pass
    assert not dead.exists() and not older.exists()
    assert live.exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file away")
def test_write_keeps_the_owner_and_group_of_the_store(tiny_store):
    os.chown(tiny_store, 1, 1)
    writing.AtomicJSONStorage(tiny_store).write(json.loads(tiny_store.read_bytes()))
    status = os.stat(tiny_store)
    assert (status.st_uid, status.st_gid) == (1, 1)


def test_write_refuses_a_read_only_store(tiny_store):
    os.chmod(tiny_store, 0o444)
    before = tiny_store.read_bytes()
    with pytest.raises(StoreError, match="read-only"):
        writing.AtomicJSONStorage(tiny_store).write(json.loads(before))
    assert tiny_store.read_bytes() == before


@pytest.mark.parametrize(
    "code, cause", [(errno.ENOSPC, "No space left on device"), (errno.EFBIG, "File too large")]
)
def test_os_errors_while_writing_are_one_store_error(tiny_store, monkeypatch, code, cause):
    before = tiny_store.read_bytes()

    def full(descriptor):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(jsonfile.os, "fsync", full)
    with pytest.raises(StoreError) as raised:
        writing.AtomicJSONStorage(tiny_store).write(json.loads(before))
    assert str(tiny_store) in str(raised.value) and cause in str(raised.value)
    assert tiny_store.read_bytes() == before
    assert [p.name for p in tiny_store.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_file_size_limit_is_one_line_and_leaves_the_store(tiny_store):
    import resource

    before = tiny_store.read_bytes()
    code = (
        "import json, sys; from factcli.storage import jsonfile, writing\n"
        "tables = json.loads(open(sys.argv[1]).read())\n"
        "tables['facts']['1']['claim'] = 'x' * 100000\n"
        "writing.AtomicJSONStorage(sys.argv[1]).write(tables)\n"
    )
    limit = len(before) + 1000
    result = subprocess.run(
        [sys.executable, "-c", code, str(tiny_store)],
        capture_output=True,
        text=True,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)),
    )
    assert "StoreError" in result.stderr and "File too large" in result.stderr
    assert tiny_store.read_bytes() == before


# --- which store, and whether it may be written ---------------------------------------------


@pytest.fixture
def package(installed):
    """The stand-in for the installed package's directory that holds the installed store."""
    return installed.parent.parent


def test_the_store_inside_an_installed_package_may_not_be_written(package):
    found = location.locate(*settings.store_choice())
    assert (found.origin, found.exists, found.writable) == ("bundled", True, False)
    assert "facts init" in found.reason and "FACTS_DB" in found.reason and "pip install -e ." in found.reason


def test_the_installed_store_may_not_be_written_even_when_named_with_db(package):
    assert location.write_refusal(str(package / "data" / "facts.json")) is not None
    assert location.locate(*settings.store_choice(str(package / "data" / "facts.json"))).origin == "--db"


def test_a_bundled_store_linked_to_a_checkout_may_be_written(package, tmp_path):
    of_record = write_store(tmp_path / "checkout-data.json")
    os.unlink(location.BUNDLED_STORE)
    os.symlink(of_record, location.BUNDLED_STORE)
    found = location.locate(*settings.store_choice())
    assert (found.origin, found.real_path, found.writable) == ("checkout", str(of_record), True)


def test_this_checkout_writes_its_store_of_record(monkeypatch):
    monkeypatch.delenv("FACTS_DB")
    found = location.locate(*settings.store_choice())
    assert found.origin == "checkout"
    assert found.real_path.endswith(os.path.join("data", "facts.json"))
    assert location.write_refusal(found.path) is None


@pytest.mark.parametrize("explicit, origin", [("{tmp}/db.json", "--db"), (None, "FACTS_DB")])
def test_locate_says_where_the_choice_came_from(tiny_store, tmp_path, explicit, origin):
    found = location.locate(*settings.store_choice(explicit and explicit.format(tmp=tmp_path)))
    assert found.origin == origin


def test_a_store_not_there_yet_is_not_writable_until_made(tmp_path):
    found = location.locate(*settings.store_choice(str(tmp_path / "new.json")))
    assert (found.exists, found.writable) == (False, False)
    assert "facts init" in found.reason


# --- the write lock: made only to write, exclusively, never through a link, then removed ------


def lock_of(store):
    return store.parent / f"{store.name}.lock"


def test_a_write_leaves_no_lock_file(tiny_store):
    from factcli.curation import curate

    curate.retract_record(tiny_store, "role-diane-booth-dcs", "A reason.")
    assert not os.path.lexists(lock_of(tiny_store))


@pytest.mark.parametrize("text", ["my notes, not a store\n", "{}", '{"facts": {}, "sources": []}'])
def test_a_write_refused_for_a_file_that_is_no_store_makes_no_lock(tmp_path, text):
    folder = tmp_path / "notes"
    folder.mkdir()
    notes = folder / "notes.txt"
    notes.write_text(text)
    result = subprocess.run(
        [sys.executable, "-m", "factcli", "--db", str(notes), "retract", "x", "--reason", "y"],
        capture_output=True, text=True, cwd=REPO,
    )
    assert result.returncode == 1
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    # With the lock's place taken, the refusal is still about the file, not the lock: none was tried.
    (folder / "notes.txt.lock").mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "factcli", "--db", str(notes), "retract", "x", "--reason", "y"],
        capture_output=True, text=True, cwd=REPO,
    )
    assert result.returncode == 1 and "lock" not in result.stderr, result.stderr


def test_a_refused_write_of_a_valid_store_leaves_no_lock(tiny_store):
    from factcli.curation import curate

    with pytest.raises(factcli.NotFound):
        curate.retract_record(tiny_store, "no-such-fact", "A reason.")
    assert not os.path.lexists(lock_of(tiny_store))


@pytest.mark.parametrize("kind", ["dangling", "to a file"])
def test_a_lock_that_is_a_symbolic_link_is_never_followed(tiny_store, tmp_path, kind):
    from factcli.curation import curate

    target = tmp_path / "elsewhere"
    if kind == "to a file":
        target.write_text("keep")
    lock_of(tiny_store).symlink_to(target)
    before = tiny_store.read_bytes()
    with pytest.raises(StoreError, match="symbolic link"):
        curate.retract_record(tiny_store, "role-diane-booth-dcs", "A reason.")
    assert tiny_store.read_bytes() == before
    assert (target.read_text() == "keep") if kind == "to a file" else not target.exists()


def test_a_lock_that_is_a_fifo_is_refused_not_waited_on(tiny_store):
    from factcli.curation import curate

    os.mkfifo(lock_of(tiny_store))
    with pytest.raises(StoreError, match="not a regular file"):
        curate.retract_record(tiny_store, "role-diane-booth-dcs", "A reason.")


def test_a_lock_left_by_a_killed_writer_is_reused_and_removed(tiny_store):
    from factcli.curation import curate

    lock_of(tiny_store).write_text("")  # what a SIGKILLed writer leaves: its flock went with it
    curate.retract_record(tiny_store, "role-diane-booth-dcs", "A reason.")
    assert not os.path.lexists(lock_of(tiny_store))


def test_a_waiting_writer_never_shares_the_lock_with_a_new_one(tiny_store):
    """While one writer holds the lock, a second waits on the same file; the first removes it on
    release and a third creates a new one: the second must notice and wait for the third."""
    import threading

    held = []
    inside = threading.Lock()

    def write(name):
        with jsonfile.write_lock(tiny_store, timeout=30):
            assert inside.acquire(blocking=False), f"{name} entered while another writer held the lock"
            held.append(name)
            time.sleep(0.05)
            inside.release()

    threads = [threading.Thread(target=write, args=(f"w{n}",)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(held) == sorted(f"w{n}" for n in range(12))
    assert not os.path.lexists(lock_of(tiny_store))


# --- what a kill leaves, any next command removes ---------------------------------------------


def test_any_command_removes_what_killed_writers_left_beside_the_store(tiny_store):
    from click.testing import CliRunner

    from factcli.cli import cli

    dead = tiny_store.parent / f".{tiny_store.name}.999999999.abcd1234.tmp"
    live = tiny_store.parent / f".{tiny_store.name}.1.abcd1234.tmp"  # pid 1 is always running
    for leftover in (dead, live):
        leftover.write_text("half a store")
    lock_of(tiny_store).write_text("")  # a killed writer's: no process holds it
    result = CliRunner().invoke(cli, ["rating", "--json"])
    assert result.exit_code == 0
    assert not dead.exists() and not os.path.lexists(lock_of(tiny_store))
    assert live.exists()


def test_a_lock_a_writer_holds_is_left_alone_by_other_commands(tiny_store):
    from click.testing import CliRunner

    from factcli.cli import cli

    with jsonfile.write_lock(tiny_store):
        assert CliRunner().invoke(cli, ["rating", "--json"]).exit_code == 0
        assert lock_of(tiny_store).exists()


# --- validation remembered (storage.checked) ----------------------------------------------------


def test_a_store_that_validated_is_remembered_until_its_file_changes(tiny_store, tmp_path):
    from factcli.storage import backend, checked

    cache = str(tmp_path / "cache")
    tables = backend.read_valid_tables(str(tiny_store), cache)
    status, data = os.stat(tiny_store), tiny_store.read_bytes()
    assert checked.validated(str(tiny_store), cache, status, data)
    assert backend.read_valid_tables(str(tiny_store), cache) == tables  # the plain reader's result is the strict one's
    changed = data.replace(b"inadequate", b"inadequatE", 1)
    assert not checked.validated(str(tiny_store), cache, status, changed)  # same file status, other bytes


def test_an_invalid_store_written_over_a_remembered_one_is_refused_even_at_the_same_size_and_time(tiny_store, tmp_path):
    """An edit in place that keeps the size and sets the modification time back still changes
    the status-change time and the bytes: the record of the old file is not trusted."""
    from factcli.storage import backend

    cache = str(tmp_path / "cache")
    backend.read_valid_tables(str(tiny_store), cache)
    before = os.stat(tiny_store)
    data = tiny_store.read_bytes()
    broken = data.replace(b'"judgment": "inadequate"', b'"judgment": "inadequatX"', 1)
    assert len(broken) == len(data) and broken != data
    with open(tiny_store, "r+b") as handle:  # in place: same inode
        handle.write(broken)
    os.utime(tiny_store, ns=(before.st_atime_ns, before.st_mtime_ns))
    with pytest.raises(StoreError, match="problem"):
        backend.read_valid_tables(str(tiny_store), cache)


@pytest.mark.parametrize("record", [b"", b"{", b"not json", b'{"store": "elsewhere"}', b"\xff\xfe"])
def test_a_broken_record_of_validation_means_checking_again(tiny_store, tmp_path, record):
    from factcli.storage import backend, checked

    cache = tmp_path / "cache"
    backend.read_valid_tables(str(tiny_store), str(cache))
    (written,) = [path for path in cache.iterdir() if path.name.startswith("valid-")]
    written.write_bytes(record)
    assert not checked.validated(str(tiny_store), str(cache), os.stat(tiny_store), tiny_store.read_bytes())
    assert backend.read_valid_tables(str(tiny_store), str(cache))["facts"]  # checked again, and remembered
    assert checked.validated(str(tiny_store), str(cache), os.stat(tiny_store), tiny_store.read_bytes())


def test_a_change_of_the_rules_means_checking_again(tiny_store, tmp_path, monkeypatch):
    from factcli.storage import backend, checked

    rules = tmp_path / "package"
    (rules / "core").mkdir(parents=True)
    (rules / "storage").mkdir()
    for name in checked.RULES:
        (rules / name).write_text("# the rules as they were\n")
    monkeypatch.setattr(checked, "PACKAGE", str(rules))
    cache = str(tmp_path / "cache")
    backend.read_valid_tables(str(tiny_store), cache)
    status, data = os.stat(tiny_store), tiny_store.read_bytes()
    assert checked.validated(str(tiny_store), cache, status, data)
    (rules / "core" / "validation.py").write_text("# a new rule, and the file is longer\n")
    assert not checked.validated(str(tiny_store), cache, status, data)


def test_a_write_remembers_the_store_it_wrote_as_checked(tiny_store, tmp_path):
    from click.testing import CliRunner

    from factcli.cli import cli
    from factcli.storage import checked

    result = CliRunner().invoke(cli, ["retract", "rating-2019-01-overall-inadequate", "--reason", "Checking."])
    assert result.exit_code == 0, result.output
    cache = os.environ["FACTS_CACHE_DIR"]
    assert checked.validated(str(tiny_store), cache, os.stat(tiny_store), tiny_store.read_bytes())
