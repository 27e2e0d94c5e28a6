"""Running facts under faults: each scenario counts what went wrong into a Tally."""

import collections
import concurrent.futures
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the store's own reader comes from the working tree

from factcli.core.errors import StoreError  # noqa: E402
from factcli.storage import jsonfile  # noqa: E402

TIMEOUT_SECONDS = 30
WRITES = ("add", "add-source", "edit", "retract")
COUNTS = (
    ("runs", "commands run"),
    ("tracebacks", "tracebacks"),
    ("bad_exits", "exit codes outside 0/1/2"),
    ("hangs", "commands that hung (killed after the time limit)"),
    ("unreadable", "stores left unreadable or invalid"),
    ("temp_left", "temporary files left after the next successful write"),
    ("refused_changed", "refused writes that changed the store's bytes"),
    ("wrong_answers", "answers through a broken index that differ from the store's"),
    ("lost_adds", "adds lost by concurrent writers"),
    ("broken_after_kill", "broken stores after SIGKILL"),
    ("export_failed", "stores a write accepted that facts export then refused"),
)
TARGETS = tuple(key for key, _ in COUNTS if key != "runs")


class Tally(collections.Counter):
    """Counts per problem, plus the first few examples of each to show what broke."""

    def __init__(self):
        super().__init__()
        self.examples = collections.defaultdict(list)

    def note(self, key, example):
        self[key] += 1
        if len(self.examples[key]) < 3:
            self.examples[key].append(example)


class Outcome:
    def __init__(self, code, stdout, stderr, hung):
        self.code, self.stdout, self.stderr, self.hung = code, stdout, stderr, hung


def run(args, env, stdin=b"", timeout=TIMEOUT_SECONDS, preexec=None):
    """facts ARGS as a separate process of the working tree's code."""
    command = [sys.executable, "-m", "factcli", *args]
    try:
        done = subprocess.run(
            command, input=stdin, capture_output=True, env=env, cwd=REPO, timeout=timeout, preexec_fn=preexec
        )
    except subprocess.TimeoutExpired as expired:
        return Outcome(None, expired.stdout or b"", expired.stderr or b"", True)
    return Outcome(done.returncode, done.stdout, done.stderr, False)


def judge(tally, args, outcome, label=""):
    """Count the run and whatever is wrong with its outcome."""
    tally["runs"] += 1
    shown = f"{label} {_shown(args)}".strip()
    if outcome.hung:
        tally.note("hangs", shown)
        return
    if b"Traceback (most recent call last)" in outcome.stderr:
        tally.note("tracebacks", f"{shown}: {outcome.stderr.decode('utf-8', 'replace').splitlines()[-1][:200]}")
    if outcome.code not in (0, 1, 2):
        tally.note("bad_exits", f"{shown}: exit {outcome.code}")


def _shown(args):
    return " ".join(repr(a)[:40] if isinstance(a, bytes) else a[:40] for a in args)


def environment(store_path, cache, **extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith("FACTS_")}
    env.update(FACTS_DB=str(store_path), FACTS_CACHE_DIR=str(cache), FACTS_TODAY="2026-06-01", PYTHONPATH=str(REPO))
    env.update({key: str(value) for key, value in extra.items()})
    return env


def readable(path):
    """Whether the store at path reads and validates with the tool's own strict reader."""
    try:
        jsonfile.read_valid_tables(path)
        return True
    except StoreError:
        return False


def leftovers(folder):
    return [name for name in os.listdir(folder) if name.endswith((".tmp", ".tmp-journal"))]


def fact_count(path):
    return len(json.loads(Path(path).read_text(encoding="utf-8"))["facts"])


def add_args(claim, date="2019"):
    """A valid add of an event, citing the bundled store's first source."""
    return ["add", "--kind", "event", "--claim", claim, "--date", date, "--date-basis", "stated",
            "--source", "gazette-2019-plan-taking-shape", "--quote", "plan"]


def check_write(tally, args, outcome, path, before, label):
    """A write either refused (store byte-identical) or accepted (store still valid)."""
    judge(tally, args, outcome, label)
    if outcome.hung:
        return
    if outcome.code != 0 and Path(path).read_bytes() != before:
        tally.note("refused_changed", f"{label} {_shown(args)}")
    if not readable(path):
        tally.note("unreadable", f"{label} {_shown(args)}")


# --- scenarios ---------------------------------------------------------------------------------


def run_many(tally, jobs, workers):
    """Run (function, arguments) jobs in parallel threads (each starts a process)."""
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        for future in [pool.submit(function, *arguments) for function, arguments in jobs]:
            future.result()


def command_in_fresh_store(tally, base, work, args, stdin, editor):
    """One command against its own copy of the store; writes are checked for what they leave."""
    folder = Path(tempfile.mkdtemp(dir=work))
    path = folder / "facts.json"
    shutil.copyfile(base, path)
    before = path.read_bytes()
    env = environment(path, folder / "cache", EDITOR=editor)
    outcome = run(args, env, stdin)
    if args[0] in WRITES:
        check_write(tally, args, outcome, path, before, "option")
        if outcome.code == 0:
            export_after_write(tally, env, folder, args)
    else:
        judge(tally, args, outcome, "option")
    # A command that ran to its end, written or refused, leaves nothing behind at all.
    if not outcome.hung and leftovers(folder):
        tally.note("temp_left", f"{_shown(args)}: {leftovers(folder)}")
    shutil.rmtree(folder, ignore_errors=True)


EXPORT_FORMATS = ("annotations", "csl", "jsonl", "sqlite")


def export_after_write(tally, env, folder, args):
    """Whatever a write accepted, facts export writes out: one format (picked by the arguments)
    to a file in the run's folder, with exit 0 and no temporary file left beside it."""
    fmt = EXPORT_FORMATS[sum(map(len, args)) % len(EXPORT_FORMATS)]
    export = ["export", "--format", fmt, str(folder / f"export.{fmt}")]
    outcome = run(export, env)
    judge(tally, export, outcome, f"after {_shown(args)}")
    if not outcome.hung and outcome.code != 0:
        tally.note("export_failed", f"{_shown(args)}: {outcome.stderr.decode('utf-8', 'replace').strip()[-200:]}")


def _next_write_leaves_nothing(tally, path, env):
    outcome = run(add_args(f"A later fact written at {time.time_ns()}."), env)
    judge(tally, ["add"], outcome, "next write")
    if outcome.code == 0 and leftovers(path.parent):
        tally.note("temp_left", str(leftovers(path.parent)))


def editor_scripts(work):
    """Editors that misbehave: delete the file, write invalid UTF-8, write 1e999, change nothing."""
    scripts = {
        "delete": 'rm -f "$1"',
        "bytes": "printf '\\377\\376' > \"$1\"",
        "overflow": "sed -i 's/\"date\": \"[0-9-]*\"/\"date\": 1e999/' \"$1\"",
        "nothing": "true",
    }
    paths = []
    for name, body in scripts.items():
        script = Path(work) / f"editor-{name}.sh"
        script.write_text(f"#!/bin/sh\n{body}\n")
        script.chmod(0o755)
        paths.append(str(script))
    return paths


def broken_store_run(tally, name, make, work, queries):
    """Queries and a write against one kind of broken store: one clean line each, store untouched."""
    folder = Path(tempfile.mkdtemp(dir=work))
    path = folder / "facts.json"
    make(str(path))
    env = environment(path, folder / "cache")
    for args in queries:
        judge(tally, args, run(args, env), f"store:{name}")
    before = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    outcome = run(add_args("A fact added to a broken store."), env)
    judge(tally, ["add"], outcome, f"store:{name}")
    if before is not None and outcome.code != 0 and path.read_bytes() != before:
        tally.note("refused_changed", f"store:{name}")
    shutil.rmtree(folder, ignore_errors=True)


def broken_index_run(tally, base, work, how, break_index, rng, queries):
    """One kind of index damage: answers must still come, the same as without an index."""
    folder = Path(tempfile.mkdtemp(dir=work))
    path = folder / "facts.json"
    shutil.copyfile(base, path)
    env = environment(path, folder / "cache", FACTS_INDEX="always")
    plain = environment(path, folder / "cache", FACTS_INDEX="never")
    run(queries[0], env)
    target = next(p for p in (folder / "cache").iterdir() if p.name.endswith(".sqlite3"))
    break_index(str(target), how, rng)
    for args in queries:
        outcome = run(args, env)
        judge(tally, args, outcome, f"index:{how}")
        if not outcome.hung and outcome.stdout != run(args, plain).stdout:
            tally.note("wrong_answers", f"index:{how} {_shown(args)}")
    shutil.rmtree(folder, ignore_errors=True)


def disk_full_runs(tally, base, work, writes):
    """ENOSPC on a small tmpfs (when one can be mounted) and EFBIG under a file size limit."""
    size = os.path.getsize(base)
    mount = Path(tempfile.mkdtemp(dir=work))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size * 3 // 2 // 4096 * 4096 + 8192}", "tmpfs", str(mount)],
        capture_output=True,
    ).returncode == 0
    modes = ["EFBIG"] + (["ENOSPC"] if mounted else [])
    try:
        for mode in modes:
            folder = mount if mode == "ENOSPC" else Path(tempfile.mkdtemp(dir=work))
            path = folder / "facts.json"
            shutil.copyfile(base, path)
            env = environment(path, Path(work) / "cache-full")
            limit = size + 4096

            def small_files():
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

            for number in range(writes):
                before = path.read_bytes()
                args = add_args(f"A fact written to a full disk, number {number}, " + "long " * 2000)
                outcome = run(args, env, preexec=small_files if mode == "EFBIG" else None)
                check_write(tally, args, outcome, path, before, mode)
                if outcome.code == 0:
                    tally.note("refused_changed", f"{mode}: a write that cannot fit was accepted")
            # Room again (a smaller store), then the next write must leave nothing behind.
            tables = json.loads(path.read_text(encoding="utf-8"))
            tables["facts"] = dict(list(tables["facts"].items())[:5])
            path.write_text(json.dumps(tables), encoding="utf-8")
            _next_write_leaves_nothing(tally, path, env)
    finally:
        if mounted:
            subprocess.run(["umount", str(mount)], capture_output=True)
    return mounted


def fifo_runs(tally, base, work, queries):
    """A FIFO as the store, as a source text and as the index: refused, never waited on."""
    folder = Path(tempfile.mkdtemp(dir=work))
    fifo = folder / "fifo.json"
    os.mkfifo(fifo)
    for args in queries + [add_args("A fact added to a FIFO.")]:
        judge(tally, args, run(args, environment(fifo, folder / "cache"), timeout=15), "fifo store")
    seeds = folder / "seeds"
    seeds.mkdir()
    path = folder / "facts.json"
    shutil.copyfile(base, path)
    for source in json.loads(path.read_text(encoding="utf-8"))["sources"].values():
        os.mkfifo(seeds / source["file"])
    env = environment(path, folder / "cache")
    before = path.read_bytes()
    for args in (["verify", "--sources", str(seeds)], add_args("A fact checked against FIFOs.") + ["--sources", str(seeds)]):
        outcome = run(args, env, timeout=15)
        if args[0] == "add":
            check_write(tally, args, outcome, path, before, "fifo source")
        else:
            judge(tally, args, outcome, "fifo source")


def read_only_runs(tally, base, work):
    """Writes where the folder cannot be written: mode 0555, or for root (whom modes do not stop)
    a tmpfs remounted read-only. False when neither could be arranged."""
    folder = Path(tempfile.mkdtemp(dir=work))
    path = folder / "facts.json"
    mounted = False
    if os.geteuid() == 0:
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)], capture_output=True).returncode:
            return False
        mounted = True
    try:
        shutil.copyfile(base, path)
        (folder / "facts.json.lock").touch()
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True, capture_output=True)
        else:
            folder.chmod(0o555)
        env = environment(path, folder / "cache")
        for args in (add_args("A fact for a read-only folder."), ["edit", "x", "--set", "claim=y"], ["rating", "--json"]):
            before = path.read_bytes()
            outcome = run(args, env)
            if args[0] in WRITES:
                check_write(tally, args, outcome, path, before, "read-only")
            else:
                judge(tally, args, outcome, "read-only")
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], capture_output=True)
        else:
            folder.chmod(0o755)
    return True


ADDER = (
    "import sys\n"
    "from factcli.curation import curate\n"
    "path, count, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]\n"
    "for n in range(count):\n"
    "    curate.add_fact(path, {'kind': 'event', 'claim': f'Writer {tag} added fact number {n}.', 'date': '2019', 'date_basis': 'stated',\n"
    "        'citations': [{'source': 'gazette-2019-plan-taking-shape', 'quote': 'plan'}]})\n"
)


def _adder(path, count, tag):
    return subprocess.Popen(
        [sys.executable, "-c", ADDER, str(path), str(count), tag], cwd=REPO, env=environment(path, "/nonexistent"),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def concurrent_runs(tally, base, work, writers=16, adds=10):
    """writers processes adding adds facts each at once: every one must be kept."""
    folder = Path(tempfile.mkdtemp(dir=work))
    path = folder / "facts.json"
    shutil.copyfile(base, path)
    start = fact_count(path)
    processes = [_adder(path, adds, f"w{n}") for n in range(writers)]
    for process in processes:
        _, stderr = process.communicate(timeout=300)
        tally["runs"] += 1
        if process.returncode != 0:
            tally.note("tracebacks" if b"Traceback" in stderr else "bad_exits", stderr[-200:].decode(errors="replace"))
    if not readable(path):
        tally.note("unreadable", "after concurrent adds")
        return writers * adds
    lost = start + writers * adds - fact_count(path)
    if lost:
        tally.note("lost_adds", f"{lost} of {writers * adds}")
        tally["lost_adds"] += lost - 1
    return writers * adds


def kill_runs(tally, base, work, kills, rng):
    """SIGKILL writers at random moments, half of them the moment a temporary file appears."""
    folder = Path(tempfile.mkdtemp(dir=work))
    path = folder / "facts.json"
    shutil.copyfile(base, path)
    for attempt in range(kills):
        earlier = set(leftovers(folder))
        writer = _adder(path, 40, f"k{attempt}")
        if attempt % 2:
            time.sleep(rng.uniform(0.05, 0.6))
        else:
            deadline = time.monotonic() + 5
            while not set(leftovers(folder)) - earlier and time.monotonic() < deadline and writer.poll() is None:
                time.sleep(0.0005)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        tally["runs"] += 1
        if not readable(path):
            tally.note("broken_after_kill", f"kill {attempt}")
    _next_write_leaves_nothing(tally, path, environment(path, folder / "cache"))
    return kills


def killed_index_builds(tally, big_store, work, kills, rng):
    """SIGKILL index builds: the next query must leave no temporary files in the cache."""
    cache = Path(work) / "cache-kills"
    env = environment(big_store, cache, FACTS_INDEX="always")
    for _ in range(kills):
        process = subprocess.Popen(
            [sys.executable, "-m", "factcli", "rating", "--json"], cwd=REPO, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, 1.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        tally["runs"] += 1
    # A change of the store makes the next query build afresh, clearing what the kills left.
    os.utime(big_store)
    outcome = run(["rating", "--json"], env)
    judge(tally, ["rating"], outcome, "after killed builds")
    if cache.exists() and leftovers(cache):
        tally.note("temp_left", f"index cache: {leftovers(cache)}")
