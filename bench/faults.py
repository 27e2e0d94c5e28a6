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
from factcli.storage import backend  # noqa: E402

TIMEOUT_SECONDS = 30
WRITES = ("add", "add-source", "add-conflict", "edit", "retract", "restore", "rename", "cite")
COUNTS = (
    ("runs", "commands run"),
    ("tracebacks", "tracebacks"),
    ("bad_exits", "exit codes outside 0/1/2"),
    ("hangs", "commands that hung (killed after the time limit)"),
    ("unreadable", "stores left unreadable or invalid"),
    ("temp_left", "temporary files, lock files or build folders left (litter)"),
    ("outside", "files written, changed or deleted outside the folder a command was given"),
    ("refused_changed", "refused writes that changed the store's bytes"),
    ("gate_misses", "batch requests run without the flag they need"),
    ("wrong_answers", "answers through a broken index that differ from the store's"),
    ("lost_adds", "adds lost by concurrent writers"),
    ("broken_after_kill", "broken stores or sites after SIGKILL"),
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
    """Whether the store at path (JSON or SQLite) reads and validates with the tool's own strict reader."""
    try:
        backend.read_valid_tables(str(path))
        return True
    except StoreError:
        return False


def leftovers(*folders):
    """What the tool's own temporary names would leave in folders: temporary copies and builds,
    lock files, an editor's folder."""
    found = []
    for folder in folders:
        if not os.path.isdir(folder):
            continue
        found += [
            name
            for name in os.listdir(folder)
            if name.endswith((".tmp", ".tmp-journal", ".lock", "-journal", "-wal", "-shm")) or name.startswith("facts-edit-")
        ]
    return found


def snapshot(folder):
    """Every entry under folder as (kind, bytes or link target), links not followed: what must not change."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(root, name)
            if os.path.islink(path):
                found[os.path.relpath(path, folder)] = ("link", os.readlink(path))
            elif os.path.isdir(path):
                found[os.path.relpath(path, folder)] = ("dir", None)
            elif os.path.isfile(path):
                with open(path, "rb") as handle:
                    found[os.path.relpath(path, folder)] = ("file", handle.read())
            else:
                found[os.path.relpath(path, folder)] = ("other", None)
    return found


def whole_site(folder):
    """Whether folder holds a complete site: a manifest whose every file is a regular file there."""
    try:
        manifest = json.loads((Path(folder) / ".facts-site.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return all((Path(folder) / name).is_file() and not (Path(folder) / name).is_symlink() for name in manifest["files"])


def fact_count(path):
    return len(backend.read_tables(str(path))["facts"])


def store_copy(base, folder):
    """A copy of the store at base in folder, named as base is (facts.json or facts.db): a SQLite
    store of record runs every scenario a JSON store does."""
    path = Path(folder) / f"facts{Path(base).suffix}"
    shutil.copyfile(base, path)
    return path


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
    """One command against its own copy of the store; writes are checked for what they leave,
    here, in the temporary folder (TMPDIR) and in the cache."""
    folder = Path(tempfile.mkdtemp(dir=work))
    path = store_copy(base, folder)
    (folder / "tmp").mkdir()
    before = path.read_bytes()
    env = environment(path, folder / "cache", EDITOR=editor, TMPDIR=folder / "tmp")
    outcome = run(args, env, stdin)
    if args[0] in WRITES:
        check_write(tally, args, outcome, path, before, "option")
        if outcome.code == 0:
            export_after_write(tally, env, folder, args)
    else:
        judge(tally, args, outcome, "option")
    # A command that ran to its end, written or refused, leaves nothing behind at all.
    left = leftovers(folder, folder / "tmp", folder / "cache")
    if not outcome.hung and left:
        tally.note("temp_left", f"{_shown(args)}: {left}")
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


def _next_command_leaves_nothing(tally, path, env, args=("rating", "--json")):
    """Any command, a read as much as a write, clears what killed writers left beside the store."""
    outcome = run(list(args), env)
    judge(tally, list(args), outcome, "next command")
    if outcome.code == 0 and leftovers(path.parent):
        tally.note("temp_left", f"after {' '.join(args)}: {leftovers(path.parent)}")


def editor_scripts(work):
    """Editors that misbehave: delete the file, write invalid UTF-8, write 1e999, change nothing,
    or swap the file for /dev/zero, a FIFO or a folder."""
    scripts = {
        "delete": 'rm -f "$1"',
        "bytes": "printf '\\377\\376' > \"$1\"",
        "overflow": "sed -i 's/\"date\": \"[0-9-]*\"/\"date\": 1e999/' \"$1\"",
        "nothing": "true",
        "zero": 'rm -f "$1"; ln -s /dev/zero "$1"',
        "fifo": 'rm -f "$1"; mkfifo "$1"',
        "folder": 'rm -f "$1"; mkdir "$1"; echo x > "$1/inside"',
    }
    paths = []
    for name, body in scripts.items():
        script = Path(work) / f"editor-{name}.sh"
        script.write_text(f"#!/bin/sh\n{body}\n")
        script.chmod(0o755)
        paths.append(str(script))
    return paths


def broken_store_run(tally, name, make, work, queries, file_name="facts.json"):
    """Queries and a write against one kind of broken store: one clean line each, store untouched."""
    folder = Path(tempfile.mkdtemp(dir=work))
    path = folder / file_name
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
    path = store_copy(base, folder)
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
    """SIGKILL writers at random moments, half of them the moment a temporary file (or, for a
    SQLite store, its journal) appears."""
    folder = Path(tempfile.mkdtemp(dir=work))
    path = store_copy(base, folder)
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
    _next_command_leaves_nothing(tally, path, environment(path, folder / "cache"))
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


# --- round two: the site's folder, batch requests, write sequences, kills during site, queries ---------


def _planted_links(site, outside, rng, count):
    """Replace count entries under site (pages, folders, the manifest) with symbolic links to
    things outside it, or dangling links to where a new file outside would be made; and plant
    dangling links where the next build writes pages the last did not."""
    entries = _entries(site)
    planted = []
    for number in range(count):
        kind = rng.choice(("file", "folder", "dangling"))
        targets = {"file": outside / "victim.html", "folder": outside / "folder", "dangling": outside / f"made-{number}"}
        target = targets[kind]
        if entries and rng.random() < 0.8:
            place = rng.choice(entries)
            if not place.exists() and not place.is_symlink():
                continue
            if place.is_dir() and not place.is_symlink():
                shutil.rmtree(place)
            else:
                place.unlink()
        else:
            place = Path(site) / rng.choice(("facts", "people", "posts", "sources")) / f"new-{number}.html"
            if not place.parent.is_dir() or place.parent.is_symlink():
                continue
        place.symlink_to(target)
        planted.append(str(place.relative_to(site)))
        entries = _entries(site)
    return planted


def _entries(folder):
    """Every entry under folder, links included but not followed."""
    found = []
    for root, dirs, files in os.walk(folder):
        found += [Path(root) / name for name in dirs + files]
    return sorted(found)


def site_link_runs(tally, base, work, rng, runs):
    """Links planted throughout a site's folder: the next build writes, changes and deletes nothing
    outside it, and leaves a whole site (or refuses, when the manifest itself is a link)."""
    for number in range(runs):
        folder = Path(tempfile.mkdtemp(dir=work))
        path = folder / "facts.json"
        shutil.copyfile(base, path)
        outside = folder / "outside"
        (outside / "folder").mkdir(parents=True)
        (outside / "victim.html").write_text("keep")
        (outside / "folder" / "page.html").write_text("keep")
        site = folder / "site"
        env = environment(path, folder / "cache")
        judge(tally, ["site"], run(["site", str(site)], env), "site links")
        planted = _planted_links(site, outside, rng, rng.randint(1, 12))
        # The next build also writes pages the last did not: a fact added since.
        run(add_args(f"A fact added between builds, number {number}."), env)
        before = snapshot(outside)
        outcome = run(["site", str(site)], env)
        judge(tally, ["site"], outcome, f"site links {planted[:3]}")
        if snapshot(outside) != before:
            tally.note("outside", f"site with links {planted[:4]}")
        if outcome.code == 0 and not whole_site(site):
            tally.note("broken_after_kill", f"site with links {planted[:4]}: not a whole site")
        left = [p.name for p in folder.iterdir() if p.name.startswith(".site.")] + leftovers(folder)
        if left:
            tally.note("temp_left", f"site links: {left}")
        shutil.rmtree(folder, ignore_errors=True)


def batch_requests(store, victim, fact_id):
    """Requests that change a store or name a file, in the orders a parser accepts."""
    other, document, article = victim / "other.json", victim / "fact.json", victim / "article.txt"
    writes = [
        ["retract", fact_id, "--reason", "x"],
        ["retract", "--reason", "x", fact_id],
        ["--db", str(store), "retract", fact_id, "--reason", "x"],
        ["rename", fact_id, "renamed-by-a-request"],
        ["restore", "--reason", "x", fact_id],
        ["edit", fact_id, "--set", "date_note=x"],
        ["cite", fact_id, "--source", "gazette-2019-plan-taking-shape", "--quote", "plan"],
        ["add-source", "--id", "a-request", "--title", "T", "--file", "t.txt"],
        ["add-conflict", "--fact", fact_id, "--note", "x", "--caution",
         "--cite", "gazette-2019-plan-taking-shape:plan", "--cite", "gazette-2019-plan-taking-shape:x"],
        add_args("A fact a request adds."),
    ]
    files = [
        ["--db", str(other), "sources"],
        ["sources", "--db", str(other)],
        ["--db", str(other), "retract", fact_id, "--reason", "x"],
        ["site", str(victim / "site")],
        ["init", str(victim / "new.json")],
        ["add", "--from", str(document)],
        ["add-source", "--from", str(document)],
        ["quote", str(article), "some words"],
        ["draft", str(article)],
        ["verify", "--sources", str(victim)],
        ["anchor", "--sources", str(victim)],
        ["--db", str(other), "batch"],
    ]
    reads_stdin = [["add"], ["add", "--from", "-"], ["add-source"], ["edit", fact_id], ["batch"]]
    return writes, files, reads_stdin


def batch_gate_runs(tally, base, work, rng, runs):
    """Batches of requests that change the store or name files, without the flags they need:
    each must be refused (exit 2), the store and everything outside it left as they were; with
    --allow-files and no --allow-writes, still no store changes."""
    for number in range(runs):
        folder = Path(tempfile.mkdtemp(dir=work))
        path = folder / "facts.json"
        shutil.copyfile(base, path)
        victim = folder / "victim"
        victim.mkdir()
        shutil.copyfile(base, victim / "other.json")
        citation = {"source": "gazette-2019-plan-taking-shape", "quote": "plan"}
        document = {"kind": "event", "claim": "From a file.", "date": "2019", "citations": [citation]}
        (victim / "fact.json").write_text(json.dumps(document))
        (victim / "article.txt").write_text("Some words of an article that a request names.\n")
        fact_id = "figure-4m-investment-childrens-services"
        writes, files, reads_stdin = batch_requests(path, victim, fact_id)
        for flags, gated in (([], writes + files + reads_stdin), (["--allow-files"], writes)):
            chosen = rng.sample(gated, k=min(len(gated), rng.randint(4, len(gated))))
            lines = "".join(json.dumps(args) + "\n" for args in chosen) + '["sources"]\n'
            before, outside = path.read_bytes(), snapshot(victim)
            outcome = run(["batch", *flags], environment(path, folder / "cache", TMPDIR=folder), stdin=lines.encode())
            judge(tally, ["batch", *flags], outcome, "batch gate")
            if outcome.hung:
                continue
            replies = [json.loads(line) for line in outcome.stdout.decode().splitlines()]
            # Refused, every one: for want of a flag, or (edit, batch, add with no input) as
            # nothing a batch can run.
            for reply in replies[:-1]:
                if reply["exit"] != 2:
                    tally.note("gate_misses", f"{flags} {_shown(reply['args'])}: exit {reply['exit']}")
            if len(replies) != len(chosen) + 1 or replies[-1]["exit"] != 0:
                stopped = f"{flags}: the batch stopped after {len(replies)} of {len(chosen) + 1} requests"
                tally.note("gate_misses", stopped)
            if path.read_bytes() != before:
                tally.note("refused_changed", f"batch {flags}: the store changed")
            if snapshot(victim) != outside:
                tally.note("outside", f"batch {flags}: {sorted(set(snapshot(victim)) ^ set(outside))[:3]}")
        shutil.rmtree(folder, ignore_errors=True)


LOOK_ALIKES = (("o", "\u03bf"), ("a", "\u0430"), ("e", "\u0435"), (" ", " \u200b"), ("O", "\u039f"))


def write_sequences(rng, claims, ids):
    """A sequence of writes each of which passes its own command's checks, chosen to end where
    the store's rules across facts bite: a claim made twice, an id too long for a file name."""
    target = rng.choice(ids)
    claim = claims[target]
    disguised = claim
    for plain, look_alike in rng.sample(LOOK_ALIKES, k=2):
        disguised = disguised.replace(plain, look_alike, 1)
    other = rng.choice([fact_id for fact_id in ids if fact_id != target])
    steps = [
        ["retract", target, "--reason", "Worded badly."],
        ["add", "--kind", "event", "--claim", rng.choice((claim, disguised)), "--date", "2019", "--date-basis", "stated",
         "--source", "gazette-2019-plan-taking-shape", "--quote", "plan"],
        ["restore", target, "--reason", "It was right."],
        ["add", "--allow-duplicate", "--kind", "event", "--claim", rng.choice((claims[other], disguised)),
         "--date", "2019", "--date-basis", "stated", "--source", "gazette-2019-plan-taking-shape", "--quote", "plan"],
        ["edit", other, "--set", f"claim={rng.choice((claim, disguised))}"],
        ["rename", target, "x" * rng.choice((120, 121, 300))],
        ["add", "--id", "y" * rng.choice((120, 121, 300)), "--kind", "event", "--claim", f"A long id {rng.random()}.",
         "--date", "2019", "--date-basis", "stated", "--source", "gazette-2019-plan-taking-shape", "--quote", "plan"],
        ["cite", target, "--source", "gazette-2019-plan-taking-shape", "--quote", "plan"],
        ["add-source", "--id", "gazette-2019-plan-taking-shape", "--title", "Again", "--file", "again.txt"],
        ["retract", other, "--reason", "caf\udce9"],
    ]
    head, tail = steps[:3], steps[3:]
    return head + rng.sample(tail, k=rng.randint(2, len(tail)))


def write_sequence_runs(tally, base, work, rng, runs):
    """Sequences of writes that each pass their command's own checks: after every step the store
    still reads and validates, and a refused step changes nothing."""
    tables = backend.read_tables(str(base))
    claims = {record["id"]: record["claim"] for record in tables["facts"].values() if not record.get("retracted")}
    ids = sorted(claims)
    for _ in range(runs):
        folder = Path(tempfile.mkdtemp(dir=work))
        path = store_copy(base, folder)
        env = environment(path, folder / "cache")
        for args in write_sequences(rng, claims, ids):
            before = path.read_bytes()
            check_write(tally, args, run(args, env), path, before, "sequence")
        validated = run(["validate"], env)
        judge(tally, ["validate"], validated, "after a sequence")
        if validated.code != 0:
            tally.note("unreadable", f"validate after a sequence: {validated.stdout.decode(errors='replace')[:200]}")
        if leftovers(folder):
            tally.note("temp_left", f"sequence: {leftovers(folder)}")
        shutil.rmtree(folder, ignore_errors=True)


def site_kill_runs(tally, store, work, rng, kills):
    """SIGKILL site builds at random moments, half of them the moment the build appears beside
    the folder: the folder is always the old site or the new one, whole, and the next build
    works and leaves nothing beside it."""
    folder = Path(tempfile.mkdtemp(dir=work))
    site = folder / "site"
    env = environment(store, folder / "cache")
    judge(tally, ["site"], run(["site", str(site)], env), "site before kills")
    for attempt in range(kills):
        process = subprocess.Popen(
            [sys.executable, "-m", "factcli", "site", str(site)], cwd=REPO, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        if attempt % 2:
            time.sleep(rng.uniform(0.2, 2.0))
        else:
            # The moment the build starts to write: beside the folder, or in it.
            index = site / "index.html"
            written = index.stat().st_mtime_ns if index.exists() else None
            deadline = time.monotonic() + 20
            while process.poll() is None and time.monotonic() < deadline:
                changed = not index.exists() or index.stat().st_mtime_ns != written
                if changed or any(p.name.startswith(".site.") for p in folder.iterdir()):
                    time.sleep(rng.uniform(0, 0.3))
                    break
                time.sleep(0.001)
        process.send_signal(signal.SIGKILL)
        process.wait()
        tally["runs"] += 1
        if not whole_site(site):
            tally.note("broken_after_kill", f"site kill {attempt}")
    outcome = run(["site", str(site)], env, timeout=120)
    judge(tally, ["site"], outcome, "site after kills")
    if outcome.code != 0 or not whole_site(site):
        tally.note("broken_after_kill", "the build after the kills")
    left = [p.name for p in folder.iterdir() if p.name.startswith(".site.")]
    if left:
        tally.note("temp_left", f"beside the site: {left}")
    shutil.rmtree(folder, ignore_errors=True)
    return kills


def query_runs(tally, base, work, big):
    """Searches of many words, repeated and not, alone and in a batch: answered or refused in one
    line, never hung, and a huge request does not stall the batch's next one."""
    folder = Path(tempfile.mkdtemp(dir=work))
    path = folder / "facts.json"
    shutil.copyfile(base, path)
    searches = [
        ["search", "neglect " * 10000],
        ["search", " ".join(f"word{n}" for n in range(10000))],
        ["search", '"' + "social workers " * 5000 + '"'],
        ["search", "x" * 100000],
        ["search", "children " * 12000 + "neglect"],
    ]
    for store in (path, big):
        env = environment(store, folder / f"cache-{Path(store).stem}")
        for args in searches:
            judge(tally, args, run(args, env), "query")
        lines = "".join(json.dumps(args) + "\n" for args in searches) + '["rating", "--year", "2019"]\n'
        outcome = run(["batch"], env, stdin=lines.encode())
        judge(tally, ["batch"], outcome, "query batch")
        if not outcome.hung and len(outcome.stdout.decode().splitlines()) != len(searches) + 1:
            tally.note("hangs", "a batch of large searches did not answer every request")
    shutil.rmtree(folder, ignore_errors=True)


def lock_link_runs(tally, base, work):
    """A lock file that is a link, dangling or to a file: a write is refused in one line, creates
    nothing and changes nothing through it, and leaves the store as it was."""
    for kind in ("dangling", "file", "fifo"):
        folder = Path(tempfile.mkdtemp(dir=work))
        path = folder / "facts.json"
        shutil.copyfile(base, path)
        outside = folder / "outside"
        outside.mkdir()
        lock = folder / "facts.json.lock"
        if kind == "fifo":
            os.mkfifo(lock)
        else:
            if kind == "file":
                (outside / "victim").write_text("keep")
            lock.symlink_to(outside / "victim")
        before, around = path.read_bytes(), snapshot(outside)
        args = add_args("A fact written past a planted lock.")
        outcome = run(args, environment(path, folder / "cache"), timeout=15)
        check_write(tally, args, outcome, path, before, f"lock {kind}")
        if snapshot(outside) != around:
            tally.note("outside", f"lock {kind}")
        shutil.rmtree(folder, ignore_errors=True)
