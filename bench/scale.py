#!/usr/bin/env python3
"""Scale baselines of the `facts` CLI, measured as whole processes only.

    python scale.py --python VENV/bin/python --out results.md           # full run (~20-30 min)
    python scale.py --python VENV/bin/python --quick --out quick.md     # smoke run (< 2 min)
    python scale.py --python VENV/bin/python --million --out m.md       # and a 1,000,000-fact SQLite store

Every store is measured as JSON and, where the revision under test has them (facts init STORE.db
--from STORE.json), as a SQLite store of record made from it; a revision without them reports
those rows as errors.

Nothing here imports factcli: every measurement runs `PYTHON VENV/bin/facts ...` (the venv's
console script run by its own interpreter, as bench/run.py does; `--use-m` runs `PYTHON -m
factcli` instead) in a child process, so the same script measures any revision installed in any
venv. Synthetic stores come from the generator in TREE/bench/run.py (fixed seed), run in a
separate process; keep --tree the same for BEFORE and AFTER so the stores are byte-identical
(their sha256 is printed in the report).

Each measured child is started by a fresh, tiny wrapper interpreter (python -S) that spawns it,
times it from spawn to reap, kills its process group after --timeout seconds, and then reads
getrusage(RUSAGE_CHILDREN).ru_maxrss: the wrapper has exactly one child, so that is the child's
own peak RSS (and the wrapper is small, so no large address space is inherited at exec).
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

# The generator of this checkout; give another tree's to compare two revisions on identical stores.
DEFAULT_TREE = str(Path(__file__).resolve().parent.parent)
FACTS_TODAY = "2026-11-23"  # pinned, as bench/contract.py does, so answers do not depend on the day
EDIT_NOTE = "Benchmark: date checked against the source."
SIMILAR_CLAIM = "Synthetic event number {n} about children services improvement plan board."
MIXED = lambda show_id: [  # noqa: E731
    ["rating", "--year", "2019"],
    ["who", "--role", "director"],
    ["show", show_id],
    ["search", "neglect"],
    ["sources"],
]

# --- the wrapper: one per measured child -----------------------------------------------------

WRAPPER = r"""
import json, os, resource, signal, sys, time
req = json.loads(sys.stdin.read())
os.chdir(req["cwd"])
files = [
    (os.POSIX_SPAWN_OPEN, 0, req["stdin"] or os.devnull, os.O_RDONLY, 0),
    (os.POSIX_SPAWN_OPEN, 2, req["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
]
tee = req["lines"]  # stdout is read here, each line timestamped, and written to this file
if tee:
    r, w = os.pipe()
    files.append((os.POSIX_SPAWN_DUP2, w, 1))
else:
    files.append((os.POSIX_SPAWN_OPEN, 1, req["stdout"] or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
child, killed = 0, False

def kill(signum, frame):
    global killed
    if child:
        killed = True
        try:
            os.killpg(child, signal.SIGKILL)
        except ProcessLookupError:
            pass

signal.signal(signal.SIGALRM, kill)
stamps = []
try:
    start = time.perf_counter()
    child = os.posix_spawn(req["argv"][0], req["argv"], req["env"], file_actions=files, setsid=True)
    signal.setitimer(signal.ITIMER_REAL, req["timeout"])
    if tee:
        os.close(w)
        with open(tee, "wb") as out:
            while chunk := os.read(r, 1 << 20):
                now = time.perf_counter() - start
                stamps.extend([now] * chunk.count(b"\n"))
                out.write(chunk)
        os.close(r)
    _, status = os.waitpid(child, 0)
    elapsed = time.perf_counter() - start
    signal.setitimer(signal.ITIMER_REAL, 0)
    code, error = os.waitstatus_to_exitcode(status), ""
except OSError as exc:
    elapsed, code, error = 0.0, -1, f"cannot run {req['argv'][0]}: {exc.strerror}"
maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KB on Linux
print(json.dumps({"s": elapsed, "maxrss_kb": maxrss, "code": code, "killed": killed, "error": error,
                  "stamps": stamps}))
"""


@dataclass
class Sample:
    s: float
    rss_mb: float
    code: int
    error: str = ""
    stamps: list = field(default_factory=list)
    stdout: str = ""  # path of the captured stdout, when asked for
    stderr: str = ""


class Runner:
    def __init__(self, workdir, timeout):
        self.workdir, self.timeout = Path(workdir), timeout
        self.count = 0

    def run(self, argv, env, stdin=None, stdout=None, lines=False, timeout=None, ok=(0,)):
        """Run argv once through a fresh wrapper: wall time, the child's peak RSS, exit code."""
        self.count += 1
        stderr = self.workdir / f"stderr-{self.count}.txt"
        if lines:
            stdout = str(self.workdir / f"stdout-{self.count}.txt")
        request = {
            "argv": [str(a) for a in argv], "env": env, "cwd": str(self.workdir),
            "stdin": str(stdin) if stdin else None, "stdout": str(stdout) if stdout else None,
            "stderr": str(stderr), "lines": stdout if lines else None,
            "timeout": float(timeout or self.timeout),
        }
        try:
            done = subprocess.run(
                [sys.executable, "-S", "-c", WRAPPER], input=json.dumps(request), capture_output=True, text=True,
                timeout=(timeout or self.timeout) + 120,
            )
            reply = json.loads(done.stdout)
        except (subprocess.TimeoutExpired, ValueError) as exc:
            return Sample(0.0, 0.0, -1, f"wrapper failed: {exc}", stderr=str(stderr))
        error = reply["error"]
        if reply["killed"]:
            error = f"timed out after {request['timeout']:g} s"
        elif reply["code"] not in ok and not error:
            error = f"exit {reply['code']}: {last_line(stderr)}"
        sample = Sample(reply["s"], reply["maxrss_kb"] / 1024, reply["code"], error, reply["stamps"],
                        str(stdout) if stdout else "", str(stderr))
        return sample


def last_line(path):
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return "no message"
    return lines[-1][:300] if lines else "no message"


# --- rows of the report ----------------------------------------------------------------------


@dataclass
class Row:
    label: str  # what is measured
    command: str  # as shown in the report
    samples: list = field(default_factory=list)
    error: str = ""
    extra: dict = field(default_factory=dict)

    def ok(self):
        return bool(self.samples) and not self.error

    def median(self):
        return statistics.median(s.s for s in self.samples)

    def rss(self):
        return max(s.rss_mb for s in self.samples)


def fmt_s(seconds):
    if seconds is None:
        return "-"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def fmt_mb(mb):
    return f"{mb:.0f}" if mb is not None else "-"


def log(message):
    print(message, file=sys.stderr, flush=True)


def report_row(row):
    if row.error and not row.samples:
        log(f"  {row.label}: {row.error}")
    elif row.samples:
        tail = f" ({row.error})" if row.error else ""
        log(f"  {row.label}: median {fmt_s(row.median())} of {len(row.samples)}, peak {fmt_mb(row.rss())} MB{tail}")


# --- the benchmark ---------------------------------------------------------------------------


class Bench:
    def __init__(self, args, workdir):
        self.args, self.workdir = args, Path(workdir)
        self.python = args.python
        script = Path(args.python).parent / "facts"
        self.facts = [args.python, "-m", "factcli"] if args.use_m or not script.is_file() else [args.python, str(script)]
        self.facts_shown = "PYTHON -m factcli" if "-m" in self.facts else "PYTHON VENV/bin/facts"
        self.runner = Runner(self.workdir, args.timeout)
        drop = ("FACTS_DB", "FACTS_SOURCES", "FACTS_INDEX", "FACTS_PAGER", "PAGER", "FORCE_COLOR", "NO_COLOR",
                "COLUMNS", "PYTHONDONTWRITEBYTECODE", "PYTHONPATH", "PYTHONHOME", "XDG_CACHE_HOME",
                "FACTS_CACHE_DIR", "FACTS_TODAY")
        self.base_env = {k: v for k, v in os.environ.items() if k not in drop}
        self.base_env["FACTS_TODAY"] = FACTS_TODAY
        self.caches = 0
        self.sections = []  # (title, lines)
        self.summary = []  # (measure, result)
        self.loads = []  # (section, 1-minute load average when it started)

    # environment: a cache folder of its own for every store (copy)
    def env(self, name="bundled"):
        self.caches += 1
        cache = self.workdir / "cache" / f"{self.caches:03d}-{name}"
        cache.mkdir(parents=True)
        return {**self.base_env, "XDG_CACHE_HOME": str(cache), "FACTS_CACHE_DIR": str(cache)}

    def shown(self, argv):
        """argv as the report shows it: facts for the command, TMP for the temporary folder."""
        text = shlex.join(str(a) for a in argv)
        text = text.replace(shlex.join(self.facts), "facts")
        text = text.replace(self.python, "PYTHON").replace(str(self.workdir), "$TMP")
        return text if len(text) < 220 else text[:200] + f"... ({len(text)} chars)"

    def repeat_rows(self, row, make, warm=True, heavy=False, runs=None):
        """Run make(number) -> (argv, env, kwargs) a few times; heavy rows skip the warm-up and stop
        early once --row-budget seconds are spent; a timeout or error stops the row."""
        runs = runs or self.args.repeat
        if warm:
            argv, env, kwargs = make(0)
            sample = self.runner.run(argv, env, **kwargs)
            if sample.error:
                row.error = f"warm-up: {sample.error}"
                report_row(row)
                return row
        spent = 0.0
        for number in range(1, runs + 1):
            argv, env, kwargs = make(number)
            sample = self.runner.run(argv, env, **kwargs)
            if sample.error:
                row.error = sample.error
                if sample.error.startswith("timed out"):
                    row.samples.append(sample)  # a timed-out run still says how far it got
                break
            row.samples.append(sample)
            spent += sample.s
            if heavy and spent + statistics.median(s.s for s in row.samples) > self.args.row_budget:
                break
        report_row(row)
        return row

    # --- stores -------------------------------------------------------------------------------

    def generate(self, sizes, folder="stores"):
        """Stores from TREE/bench/run.py's generator (its seed), in a separate process, with the ids
        and quotes the write commands need picked from each store by fixed rules."""
        code = r"""
import importlib.util, json, sys
tree, folder, sizes = sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3].split(",")]
spec = importlib.util.spec_from_file_location("bench_run", tree + "/bench/run.py")
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)
out = {"seed": gen.SEED}
for size in sizes:
    store = gen.generate_store(f"{folder}/store-{size}.json", size)
    facts = list(json.load(open(store.path, encoding="utf-8"))["facts"].values())
    src = store.source_id
    quotes = [c["quote"] for f in facts for c in f["citations"] if c["source"] == src]
    # the fact to edit and cite: the generator's show_id (middle of the store), if dated
    target = next(f for f in facts if f["id"] == store.show_id)
    if not target.get("date"):
        target = next(f for f in facts[len(facts) // 2:] if f.get("date") and not f.get("retracted"))
    own = {c["quote"] for c in target["citations"] if c["source"] == src}
    out[str(size)] = {
        "path": str(store.path), "size": size, "show_id": store.show_id, "source_id": src,
        "add_quote": quotes[0], "edit_id": target["id"], "cite_id": target["id"],
        "cite_quote": next(q for q in quotes if q not in own),
    }
print(json.dumps(out))
"""
        folder = self.workdir / folder
        folder.mkdir()
        done = subprocess.run(
            [sys.executable, "-c", code, self.args.tree, str(folder), ",".join(map(str, sizes))],
            capture_output=True, text=True, cwd=self.workdir,
            env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        )
        if done.returncode != 0:
            sys.exit(f"generating stores failed:\n{done.stderr[-3000:]}")
        info = json.loads(done.stdout)
        stores = {}
        for size in sizes:
            store = info[str(size)]
            data = Path(store["path"]).read_bytes()
            store["sha256"], store["bytes"] = hashlib.sha256(data).hexdigest(), len(data)
            stores[size] = store
        return info["seed"], stores

    def copy(self, store, name, fmt="json"):
        """A fresh copy of a store (its JSON, or its SQLite store of record), alone in its folder
        (lock, journal and temporary files land beside it)."""
        folder = self.workdir / "copies" / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        path = folder / f"facts.{'db' if fmt == 'sqlite' else 'json'}"
        shutil.copyfile(store["path"] if fmt == "json" else store["db"], path)
        return path

    def databases(self, stores):
        """A SQLite store of record made from each store's JSON by the interpreter under test
        (facts init STORE.db --from STORE.json), timed; store["db"] is None where it cannot."""
        lines = ["| facts | time | peak RSS MB | bytes | export --format json is the JSON, byte for byte |",
                 "|--:|--:|--:|--:|---|"]
        for size, store in stores.items():
            path = Path(store["path"]).with_suffix(".db")
            made = self.runner.run(self.facts + ["init", path, "--from", store["path"]], self.env(f"init-{size}"),
                                   timeout=max(self.args.timeout, 3600))
            store["db"] = None if made.error else str(path)
            if made.error:
                lines.append(f"| {size:,} | {made.error} | | | |")
                continue
            out = self.workdir / f"export-{size}.json"
            exported = self.runner.run(self.facts + ["--db", path, "export", "--format", "json", out], self.env(f"export-{size}"),
                                       timeout=max(self.args.timeout, 3600))
            same = "error: " + exported.error if exported.error else (
                "yes" if out.read_bytes() == canonical(store["path"]) else "no")
            out.unlink(missing_ok=True)
            lines.append(f"| {size:,} | {fmt_s(made.s)} | {fmt_mb(made.rss_mb)} | {path.stat().st_size:,} | {same} |")
            self.summary.append((f"`facts init STORE.db --from STORE.json` at {size:,}", f"{fmt_s(made.s)}, {fmt_mb(made.rss_mb)} MB"))
            log(f"  init --from at {size:,}: {fmt_s(made.s)}, {fmt_mb(made.rss_mb)} MB")
        self.store_lines = lines

    def validate(self, store):
        path = self.copy(store, f"validate-{store['size']}")
        sample = self.runner.run(self.facts + ["--db", path, "validate"], self.env("validate"))
        shutil.rmtree(path.parent, ignore_errors=True)
        return "valid" if not sample.error else f"INVALID ({sample.error})"

    # --- 1. start-up ----------------------------------------------------------------------------

    def startup(self):
        log("1. start-up against floors")
        self.loads.append(("1.", os.getloadavg()[0]))
        pairs = self.args.pairs
        env = self.env("bundled")
        cases = [
            (["rating", "--year", "2019", "--json"], "import click, tinydb"),
            (["--help"], "import click"),
        ]
        lines = [
            f"Bundled store (no --db, no FACTS_DB). One untimed warm-up of each, then {pairs} pairs run alternately"
            " (odd pairs floor first, even pairs command first); ratio = median of the per-pair ratios.",
            "",
            "| command | floor | pairs | command median | floor median | ratio (median of pairs) | ratio min-max"
            " | command peak RSS MB | floor peak RSS MB |",
            "|---|---|--:|--:|--:|--:|--:|--:|--:|",
        ]
        for args, floor in cases:
            cmd, flr = self.facts + args, [self.python, "-c", floor]
            error = ""
            for argv in (cmd, flr):
                warm = self.runner.run(argv, env)
                error = error or warm.error
            got, floors, ratios = [], [], []
            for number in range(1, pairs + 1):
                order = (flr, cmd) if number % 2 else (cmd, flr)
                pair = {id(argv): self.runner.run(argv, env) for argv in order}
                c, f = pair[id(cmd)], pair[id(flr)]
                if c.error or f.error:
                    error = c.error or f"floor: {f.error}"
                    break
                got.append(c)
                floors.append(f)
                ratios.append(c.s / f.s)
            shown = f"`{self.shown(cmd)}`"
            if error or not ratios:
                lines.append(f"| {shown} | `python -c '{floor}'` | {len(ratios)} | {error} | | | | | |")
                log(f"  {shown}: {error}")
                continue
            med_c, med_f = statistics.median(s.s for s in got), statistics.median(s.s for s in floors)
            ratio = statistics.median(ratios)
            lines.append(
                f"| {shown} | `python -c '{floor}'` | {len(ratios)} | {med_c * 1000:.1f} ms | {med_f * 1000:.1f} ms"
                f" | **{ratio:.3f}** | {min(ratios):.2f}-{max(ratios):.2f} | {max(s.rss_mb for s in got):.1f}"
                f" | {max(s.rss_mb for s in floors):.1f} |"
            )
            log(f"  {shown}: {med_c * 1000:.1f} ms vs {med_f * 1000:.1f} ms, ratio {ratio:.3f}")
            self.summary.append((f"start-up `facts {' '.join(args)}` / `{floor}`",
                                 f"{ratio:.2f}x ({med_c * 1000:.0f} vs {med_f * 1000:.0f} ms)"))
        self.sections.append(("1. Start-up against floors", lines))

    # --- 2. single writes at each size ----------------------------------------------------------

    def writes(self, stores):
        log("2. single writes at each size")
        self.loads.append(("2.", os.getloadavg()[0]))
        counter = [0]
        results = {}  # (command, size, format) -> row
        large = max(stores)
        formats = ("json", "sqlite")
        for size, store in stores.items():
            def add_argv(copy):
                counter[0] += 1  # a claim the store has never seen
                return ["add", "--kind", "event", "--claim", f"Synthetic event number {counter[0]}.", "--date", "2020",
                        "--date-basis", "stated", "--source", store["source_id"], "--quote", store["add_quote"]]

            commands = {
                "add": (add_argv, 'facts --db COPY add --kind event --claim "Synthetic event number N." --date 2020'
                                  f' --date-basis stated --source {store["source_id"]} --quote {shlex.quote(store["add_quote"])}'),
                "edit": (lambda copy: ["edit", store["edit_id"], "--set", f"date_note={EDIT_NOTE}"],
                         f"facts --db COPY edit {store['edit_id']} --set {shlex.quote('date_note=' + EDIT_NOTE)}"),
                "cite": (lambda copy: ["cite", store["cite_id"], "--source", store["source_id"], "--quote",
                                       store["cite_quote"]],
                         f"facts --db COPY cite {store['cite_id']} --source {store['source_id']}"
                         f" --quote {shlex.quote(store['cite_quote'])}"),
            }
            for fmt in formats:
                for name, (make_args, shown) in commands.items():
                    def make(number, name=name, make_args=make_args, fmt=fmt):
                        if fmt == "sqlite" and not store.get("db"):
                            return self.facts + ["--db", "no-sqlite-store.db", "validate"], self.env("none"), {}
                        # A fresh copy each run, outside the timed region.
                        copy = self.copy(store, f"{name}-{size}-{fmt}", fmt)
                        return self.facts + ["--db", copy] + make_args(copy), self.env(f"{name}-{size}-{fmt}"), {}

                    row = Row(f"{name} at {size:,} ({fmt})", shown.replace("COPY", "COPY.db" if fmt == "sqlite" else "COPY.json"))
                    results[(name, size, fmt)] = self.repeat_rows(row, make, heavy=size == large and size >= 50_000,
                                                                  warm=not (size == large and size >= 50_000))
                    shutil.rmtree(self.workdir / "copies" / f"{name}-{size}-{fmt}", ignore_errors=True)
        sizes = sorted(stores)
        lines = [
            "Each run on a fresh copy of the store (copied outside the timed region), with its own empty cache"
            " folder; COPY.json is the JSON store, COPY.db the SQLite store of record made from it. Small sizes:"
            " one untimed warm-up, then the runs; sizes >= 50,000: no warm-up, runs stop"
            f" early after ~{self.args.row_budget:g} s per row.",
            "",
            "| command | facts | runs | median | min | max | peak RSS MB |",
            "|---|--:|--:|--:|--:|--:|--:|",
        ]
        for name in ("add", "edit", "cite"):
            for fmt in formats:
                for size in sizes:
                    row = results[(name, size, fmt)]
                    lines.append(self.time_line(row, f"`{row.command}`", f"{size:,}"))
        small_size = sizes[0]
        lines += ["", f"Ratios against {small_size:,} facts (median time, peak RSS). The target (issue 20): a large"
                  f" store's write at most 8x the same write at {small_size:,} facts, where a store that small stays"
                  " JSON; the SQLite store at both sizes is shown too.", "",
                  "| command | large | against | time ratio | RSS ratio |", "|---|---|---|--:|--:|"]
        for name in ("add", "edit", "cite"):
            for size in sizes[1:]:
                for big_fmt, small_fmt in (("json", "json"), ("sqlite", "json"), ("sqlite", "sqlite")):
                    small, big = results[(name, small_size, small_fmt)], results[(name, size, big_fmt)]
                    against = f"{small_size:,} {small_fmt}"
                    if small.ok() and big.ok():
                        time_ratio, rss_ratio = big.median() / small.median(), big.rss() / small.rss()
                        lines.append(f"| {name} | {size:,} {big_fmt} | {against} | **{time_ratio:.1f}x** | **{rss_ratio:.1f}x** |")
                        self.summary.append((f"`{name}` at {size:,} {big_fmt} / at {against}",
                                             f"{fmt_s(big.median())}, {fmt_mb(big.rss())} MB / {fmt_s(small.median())},"
                                             f" {fmt_mb(small.rss())} MB: time {time_ratio:.1f}x, RSS {rss_ratio:.1f}x"))
                    else:
                        lines.append(f"| {name} | {size:,} {big_fmt} | {against} | - ({big.error or small.error}) | - |")
        self.sections.append(("2. Single writes at each size", lines))

    def brief(self, row):
        if not row.samples:
            return row.error
        note = f" ({row.error})" if row.error else ""
        return f"{fmt_s(row.median())}{note}, {fmt_mb(row.rss())} MB"

    def time_line(self, row, shown, where, extra=""):
        if not row.samples:
            return f"| {shown} | {where} | 0 | {row.error} | | | |{extra}"
        times = [s.s for s in row.samples]
        note = f" ({row.error})" if row.error else ""
        return (f"| {shown} | {where} | {len(times)} | {fmt_s(statistics.median(times))}{note} | {fmt_s(min(times))}"
                f" | {fmt_s(max(times))} | {fmt_mb(row.rss())} |{extra}")

    # --- 3. import ------------------------------------------------------------------------------

    def import_file(self, store, new):
        """FILE: new JSON lines as bench/bulk_add.py writes them, each dated as stated."""
        source = self.workdir / f"import-{new}.jsonl"
        with open(source, "w", encoding="utf-8") as out:  # the documents of bench/bulk_add.py
            for number in range(new):
                out.write(json.dumps({
                    "kind": "event",
                    "claim": f"Imported record {number} of the benchmark happened in a made-up council.",
                    "date": "2020",
                    "date_basis": "stated",
                    "citations": [{"source": store["source_id"], "quote": f"benchmark quote {number}"}],
                }) + "\n")
        return source

    def bulk_import(self, store):
        size, new = store["size"], self.args.import_new
        log(f"3. import {new:,} facts into {size:,}")
        self.loads.append(("3.", os.getloadavg()[0]))
        source = self.import_file(store, new)
        lines = [
            f"FILE: {new:,} JSON lines as bench/bulk_add.py writes them"
            f" (`{{\"kind\": \"event\", \"claim\": \"Imported record N of the benchmark happened in a made-up council.\","
            f" \"date\": \"2020\", \"date_basis\": \"stated\", \"citations\": [{{\"source\": \"{store['source_id']}\","
            " \"quote\": \"benchmark quote N\"}]}`). Fresh copy of the store per run; no warm-up. Target (issue 20): at most 5 s.",
            "",
            "| command | store | runs | median | min | max | peak RSS MB | warning lines |",
            "|---|--:|--:|--:|--:|--:|--:|--:|",
        ]
        for fmt in ("json", "sqlite"):
            def make(number, fmt=fmt):
                if fmt == "sqlite" and not store.get("db"):
                    return self.facts + ["--db", "no-sqlite-store.db", "validate"], self.env("none"), {}
                copy = self.copy(store, f"import-{size}-{fmt}", fmt)
                return self.facts + ["--db", copy, "add", "--from", source], self.env(f"import-{size}-{fmt}"), {}

            shown = f"facts --db COPY.{'db' if fmt == 'sqlite' else 'json'} add --from FILE"
            row = self.repeat_rows(Row(f"import ({fmt})", shown), make, warm=False, heavy=True)
            shutil.rmtree(self.workdir / "copies" / f"import-{size}-{fmt}", ignore_errors=True)
            warnings = [count_warnings(s.stderr) for s in row.samples]
            self.summary.append((f"import {new:,} facts into {size:,} {fmt} (`add --from`)", self.brief(row)
                                 + (f", {warnings[0]:,} warning lines" if warnings else "")))
            lines.append(self.time_line(row, f"`{row.command}`", f"{size:,} + {new:,}",
                                        f" {f'{warnings[0]:,}' if warnings else '-'} |"))
        self.sections.append((f"3. Import of {new:,} facts into {size:,}", lines))

    # --- 4. reads, site, batch, query after write at the largest size ----------------------------

    def large_reads(self, store):
        size = store["size"]
        log(f"4. reads at {size:,} facts")
        self.loads.append(("4.", os.getloadavg()[0]))
        read_copy = self.copy(store, f"read-{size}")
        read_env = self.env(f"read-{size}")  # shared by every read of this copy: the index stays warm
        self.read_copy, self.read_env = read_copy, read_env
        lines = [f"One read-only copy of the {size:,}-fact store with its own cache folder, shared by the reads"
                 " below (the first, untimed, `search` builds any derived index).", ""]

        # search
        argv = self.facts + ["--db", read_copy, "search", "children", "--json"]
        row = self.repeat_rows(Row("search children", self.shown(argv)),
                               lambda n: (argv, read_env, {}), warm=True, heavy=True)
        lines += ["| command | facts | runs | median | min | max | peak RSS MB |", "|---|--:|--:|--:|--:|--:|--:|",
                  self.time_line(row, f"`{row.command}`", f"{size:,}")]
        self.summary.append((f"`search children --json` at {size:,} (index warm)", self.brief(row)))

        # site
        def make_site(number):
            target = self.workdir / "site"
            shutil.rmtree(target, ignore_errors=True)
            return self.facts + ["--db", read_copy, "site", target], read_env, {}

        row = self.repeat_rows(Row("site", self.shown(self.facts + ["--db", read_copy, "site", self.workdir / "site"])),
                               make_site, warm=False, heavy=True)
        shutil.rmtree(self.workdir / "site", ignore_errors=True)
        lines.append(self.time_line(row, f"`{row.command}` (fresh DIR per run)", f"{size:,}"))
        self.summary.append((f"`site DIR` at {size:,}", self.brief(row)))

        # the same reads from the SQLite store of record
        if store.get("db"):
            db_copy = self.copy(store, f"read-{size}-sqlite", "sqlite")
            db_env = self.env(f"read-{size}-sqlite")
            lines += ["", "The same store as a SQLite store of record (one copy, read only):", "",
                      "| command | facts | runs | median | min | max | peak RSS MB |", "|---|--:|--:|--:|--:|--:|--:|"]
            for args in (["rating", "--year", "2019", "--json"], ["search", "children", "--json"], ["show", store["show_id"], "--json"],
                         ["who", "--role", "director", "--json"]):
                argv = self.facts + ["--db", db_copy, *args]
                row = self.repeat_rows(Row(" ".join(args[:2]), self.shown(argv)), lambda n, argv=argv: (argv, db_env, {}),
                                       heavy=True)
                lines.append(self.time_line(row, f"`{row.command}`", f"{size:,}"))
                self.summary.append((f"`{' '.join(args)}` at {size:,} sqlite", self.brief(row)))

        # first query after a write
        lines += ["", self.after_write(store)]
        if store.get("db"):
            lines += ["", self.after_write(store, "sqlite")]

        # batch
        lines += ["", self.batches(store, read_copy, read_env)]
        self.sections.append((f"4. Reads at {size:,} facts", lines))

    def after_write(self, store, fmt="json"):
        size = store["size"]
        copy = self.copy(store, f"afterwrite-{size}-{fmt}", fmt)
        env = self.env(f"afterwrite-{size}-{fmt}")
        query = self.facts + ["--db", copy, "rating", "--year", "2019", "--json"]
        warm = self.runner.run(query, env)  # builds the index of the unchanged store
        adds, firsts, seconds, error = [], [], [], warm.error
        runs = max(1, min(self.args.repeat, self.args.heavy_repeat))
        for number in range(1, runs + 1 if not error else 1):
            add = self.runner.run(self.facts + [
                "--db", copy, "add", "--kind", "event", "--claim", f"Synthetic event number {900000 + number}.",
                "--date", "2020", "--date-basis", "stated", "--source", store["source_id"], "--quote", store["add_quote"]], env)
            first = self.runner.run(query, env) if not add.error else add
            second = self.runner.run(query, env) if not first.error else first
            if add.error or first.error or second.error:
                error = add.error or first.error or second.error
                break
            adds.append(add)
            firsts.append(first)
            seconds.append(second)
        shutil.rmtree(copy.parent, ignore_errors=True)
        table = [
            f"First query after a write ({fmt}): a copy of the {size:,}-fact store whose index (if any) was built by one untimed"
            f" query; then, {runs} times: `facts --db COPY add ...` (one new event), then `{self.shown(query)}`"
            " timed twice (first after the write, then again).",
            "",
            "| step | runs | median | min | max | peak RSS MB |",
            "|---|--:|--:|--:|--:|--:|",
        ]
        for name, samples in (("add (one fact)", adds), ("first `rating --year 2019 --json` after the add", firsts),
                              ("second `rating --year 2019 --json` (warm)", seconds)):
            row = Row(name, name, samples=samples, error=error if not samples else "")
            table.append(self.time_line(row, name, "").replace(" |  |", " |", 1))
        log(f"  first query after write: {fmt_s(statistics.median(s.s for s in firsts)) if firsts else error}")
        self.summary.append((f"first `rating --year 2019 --json` after an `add` at {size:,} {fmt}",
                             f"{fmt_s(statistics.median(s.s for s in firsts))}, {fmt_mb(max(s.rss_mb for s in firsts))} MB"
                             f" (then {fmt_s(statistics.median(s.s for s in seconds))})" if firsts else error))
        if error and firsts:
            table.append(f"\n(stopped: {error})")
        return "\n".join(table)

    def batches(self, store, copy, env):
        count = self.args.batch_requests
        jobs = {
            "sources": [["sources"]] * count,
            "mixed": [MIXED(store["show_id"])[n % 5] for n in range(count)],
        }
        out = [
            f"`facts --db STORE batch < REQUESTS` with {count:,} requests (one JSON array per line), stdout read by the"
            " wrapper and each answer line timestamped. Mixed = `[\"rating\", \"--year\", \"2019\"]`,"
            " `[\"who\", \"--role\", \"director\"]`, `[\"show\", \"" + store["show_id"] + "\"]`,"
            " `[\"search\", \"neglect\"]`, `[\"sources\"]`, cycled. A batch still running after"
            f" {self.args.timeout:g} s is killed: then the row gives how many answers came before that and the"
            " time per answer so far (extrapolated total in brackets). One run each (the runs stop early"
            f" after ~{self.args.row_budget:g} s).",
            "",
            "| requests | answered | exit 0 | total | per request (total / answered) | first answer | median gap between answers"
            " | peak RSS MB |",
            "|---|--:|--:|--:|--:|--:|--:|--:|",
        ]
        per_kind_lines = []
        for name, requests in jobs.items():
            path = self.workdir / f"batch-{name}.jsonl"
            path.write_text("".join(json.dumps(r) + "\n" for r in requests), encoding="utf-8")
            argv = self.facts + ["--db", copy, "batch"]
            row = self.repeat_rows(Row(f"batch {name}", self.shown(argv)),
                                   lambda n: (argv, env, {"stdin": path, "lines": True}), warm=False, heavy=True,
                                   runs=max(1, min(self.args.repeat, self.args.heavy_repeat)))
            if not row.samples:
                out.append(f"| {name} ({count:,}) | - | - | {row.error} | | | | |")
                continue
            sample = row.samples[0] if not row.ok() else sorted(row.samples, key=lambda s: s.s)[len(row.samples) // 2]
            stamps = sample.stamps
            answered, exits = len(stamps), 0
            kinds = {}
            with open(sample.stdout, encoding="utf-8") as answers:
                for index, line in enumerate(answers):
                    try:
                        exits += json.loads(line).get("exit") == 0
                    except ValueError:
                        pass
            gaps = [b - a for a, b in zip(stamps, stamps[1:])]
            for index, gap in enumerate(gaps, start=1):
                kinds.setdefault(requests[index][0], []).append(gap)
            per = sample.s / answered if answered else None
            timed_out = sample.error.startswith("timed out")
            total = (f"timeout at {fmt_s(sample.s)} (≈{fmt_s(per * count)} for all)" if timed_out and per
                     else fmt_s(sample.s) if not sample.error else sample.error)
            runs_note = f", median of {len(row.samples)} runs" if row.ok() and len(row.samples) > 1 else ""
            out.append(
                f"| {name} ({count:,}){runs_note} | {answered:,} | {exits:,} | {total} | {fmt_s(per)} | "
                f"{fmt_s(stamps[0]) if stamps else '-'} | {fmt_s(statistics.median(gaps)) if gaps else '-'}"
                f" | {fmt_mb(sample.rss_mb)} |"
            )
            self.summary.append((f"`batch`, {count:,} {name} requests at {store['size']:,}",
                                 f"{total}, {fmt_s(per)} per request, {answered:,} answered, {fmt_mb(sample.rss_mb)} MB"))
            if name == "mixed" and kinds:
                per_kind_lines = ["", "Mixed batch, median gap before each kind's answer (time to answer it):", "",
                                  "| request | answers timed | median | max |", "|---|--:|--:|--:|"]
                for kind, values in kinds.items():
                    per_kind_lines.append(f"| {kind} | {len(values)} | {fmt_s(statistics.median(values))}"
                                          f" | {fmt_s(max(values))} |")
            for s in row.samples:
                Path(s.stdout).unlink(missing_ok=True)
        return "\n".join(out + per_kind_lines)

    # --- 6. a million facts ----------------------------------------------------------------------

    def million(self):
        """A 1,000,000-fact store from the same generator, as a SQLite store of record: made once,
        then its queries, single writes and an import, against the same at the smallest size."""
        size = 1_000_000
        log(f"6. a store of {size:,} facts")
        self.loads.append(("6.", os.getloadavg()[0]))
        _, made = self.generate([size], folder="stores-million")
        store = made[size]
        self.databases({size: store})
        lines = [f"The generator's {size:,}-fact store ({store['bytes']:,} bytes of JSON), made into a SQLite store of record"
                 " by `facts init STORE.db --from STORE.json`:", "", *self.store_lines, ""]
        Path(store["path"]).unlink()  # 700 MB that the rest does not read
        if not store.get("db"):
            self.sections.append((f"6. A store of {size:,} facts", lines))
            return
        read_env = self.env("million-read")
        lines += ["Queries on one read-only copy, and writes each on a fresh copy (copied outside the timed region);"
                  " section 2 has the same writes at the smaller sizes:", "",
                  "| command | facts | runs | median | min | max | peak RSS MB |", "|---|--:|--:|--:|--:|--:|--:|"]
        reads = [["rating", "--year", "2019", "--json"], ["show", store["show_id"], "--json"], ["search", "children", "--json"],
                 ["who", "--role", "director", "--json"], ["timeline", "--from", "2010", "--to", "2012", "--json"]]
        for args in reads:
            argv = self.facts + ["--db", store["db"], *args]
            row = self.repeat_rows(Row(args[0], self.shown(argv)), lambda n, argv=argv: (argv, read_env, {}), heavy=True)
            lines.append(self.time_line(row, f"`{row.command}`", f"{size:,}"))
            self.summary.append((f"`{' '.join(args[:1])}` at {size:,} sqlite", self.brief(row)))
        source = self.import_file(store, self.args.import_new)
        writes = {
            "add": ["add", "--kind", "event", "--claim", "Synthetic event number 1.", "--date", "2020", "--date-basis",
                    "stated", "--source", store["source_id"], "--quote", store["add_quote"]],
            "edit": ["edit", store["edit_id"], "--set", f"date_note={EDIT_NOTE}"],
            "cite": ["cite", store["cite_id"], "--source", store["source_id"], "--quote", store["cite_quote"]],
            "import": ["add", "--from", source],
        }
        for name, args in writes.items():
            def make(number, args=args, name=name):
                copy = self.copy(store, f"million-{name}", "sqlite")
                return self.facts + ["--db", copy, *args], self.env(f"million-{name}"), {}

            shown = f"facts --db COPY.db {' '.join(shlex.quote(str(a)) for a in args)}".replace(str(source), "FILE")
            row = self.repeat_rows(Row(name, shown), make, warm=False, heavy=True, runs=3)
            shutil.rmtree(self.workdir / "copies" / f"million-{name}", ignore_errors=True)
            lines.append(self.time_line(row, f"`{row.command}`", f"{size:,}"))
            self.summary.append((f"`{name}` at {size:,} sqlite", self.brief(row)))
        Path(store["db"]).unlink()
        self.sections.append((f"6. A store of {size:,} facts", lines))

    # --- 5. quadratic paths --------------------------------------------------------------------

    def quadratic(self, store):
        size = store["size"]
        log("5. quadratic paths")
        self.loads.append(("5.", os.getloadavg()[0]))
        lines = ["Search for a query of many repeated words (the same word `w`), one untimed warm-up then the runs;"
                 f" the {size:,}-fact store is the read copy of section 4 (index warm).", "",
                 "| command | store | runs | median | min | max | peak RSS MB |", "|---|--:|--:|--:|--:|--:|--:|"]
        for words in self.args.words:
            text = " ".join(["w"] * words)
            for where, prefix, env in (("bundled", [], self.env("bundled")),
                                       (f"{size:,}", ["--db", self.read_copy], self.read_env)):
                argv = self.facts + prefix + ["search", text]
                shown = self.shown(self.facts + prefix + ["search", "W"]).replace(" W", f' "w w w ... ({words:,} words)"')
                row = self.repeat_rows(Row(f"search {words} words [{where}]", shown),
                                       lambda n: (argv, env, {}), heavy=True)
                lines.append(self.time_line(row, f"`{shown}`", where))
                self.summary.append((f"`search` of {words:,} repeated words, {where}", self.brief(row)))

        lines += ["", "Import of N similar claims into an empty store: `facts init STORE --empty` and"
                  " `facts --db STORE add-source --id bench-source --title \"Benchmark source\" --publisher Bench"
                  " --published 2020 --published-basis printed --file bench.txt` (untimed, fresh store per run), then"
                  " the timed `facts --db STORE add --from FILE`, FILE holding N JSON lines"
                  f" `{{\"kind\": \"event\", \"claim\": \"{SIMILAR_CLAIM.format(n='N')}\", \"date\": \"2020\", \"date_basis\": \"stated\","
                  " \"citations\": [{\"source\": \"bench-source\", \"quote\": CLAIM WITHOUT ITS FULL STOP}]}`."
                  " Warning lines = stderr lines starting with `warning`.", "",
                  "| N | runs | median | min | max | peak RSS MB | warning lines | stderr lines |",
                  "|--:|--:|--:|--:|--:|--:|--:|--:|"]
        for count in self.args.similar:
            source = self.workdir / f"similar-{count}.jsonl"
            with open(source, "w", encoding="utf-8") as out:
                for n in range(1, count + 1):
                    claim = SIMILAR_CLAIM.format(n=n)
                    out.write(json.dumps({"kind": "event", "claim": claim, "date": "2020", "date_basis": "stated",
                                          "citations": [{"source": "bench-source", "quote": claim[:-1]}]}) + "\n")

            def make(number, count=count, source=source):
                folder = self.workdir / "copies" / f"similar-{count}"
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir(parents=True)
                path = folder / "facts.json"
                env = self.env(f"similar-{count}")
                for step in (["init", path, "--empty"],
                             ["--db", path, "add-source", "--id", "bench-source", "--title", "Benchmark source",
                              "--publisher", "Bench", "--published", "2020", "--published-basis", "printed",
                              "--file", "bench.txt"]):
                    prep = self.runner.run(self.facts + step, env)
                    if prep.error:
                        return self.facts + step, env, {}  # the row reports the failing step
                return self.facts + ["--db", path, "add", "--from", source], env, {}

            row = self.repeat_rows(Row(f"similar {count}", "add --from"), make, warm=False, heavy=True)
            shutil.rmtree(self.workdir / "copies" / f"similar-{count}", ignore_errors=True)
            if row.samples:
                sample = row.samples[0]
                warn, total = count_warnings(sample.stderr), count_lines(sample.stderr)
                self.summary.append((f"import {count:,} similar claims into an empty store",
                                     f"{self.brief(row)}, {warn:,} warning lines"))
                lines.append(self.time_line(row, f"{count:,}", "").replace(f"| {count:,} |  |", f"| {count:,} |", 1)
                             + f" {warn:,} | {total:,} |")
            else:
                lines.append(f"| {count:,} | 0 | {row.error} | | | | | |")
        self.sections.append(("5. Quadratic paths", lines))


def canonical(path):
    """The bytes the tool writes for the store at path: sorted keys, indented (storage.jsonfile.encode)."""
    with open(path, encoding="utf-8") as handle:
        return (json.dumps(json.load(handle), indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def count_lines(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return sum(1 for _ in f)
    except OSError:
        return 0


def count_warnings(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return sum(1 for line in f if line.lower().startswith("warning"))
    except OSError:
        return 0


# --- machine and report ----------------------------------------------------------------------


def machine(python):
    probe = (
        "import sys, platform, importlib.metadata as m, importlib.util as u\n"
        "print(platform.python_implementation(), platform.python_version())\n"
        "for p in ('factcli', 'click', 'tinydb', 'rich', 'Jinja2', 'pysbd'):\n"
        "    try: print(p, m.version(p))\n"
        "    except Exception: print(p, 'not installed')\n"
        "s = u.find_spec('factcli'); print('factcli at', s.origin if s else None)\n"
    )
    done = subprocess.run([python, "-c", probe], capture_output=True, text=True, cwd="/",
                          env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    versions = done.stdout.strip().splitlines() or ["unknown interpreter: " + done.stderr.strip()[-200:]]
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in open("/proc/meminfo", encoding="utf-8"):
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.1f} GB RAM"
    except OSError:
        pass
    return f"{platform.platform()}, {cpu}, {os.cpu_count()} CPUs{memory}", versions


def git_head(tree):
    done = subprocess.run(["git", "-C", tree, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--python", required=True, help="interpreter of the venv to test (its facts script, or -m factcli)")
    add("--sizes", help="store sizes, comma-separated (default 1000,100000; --quick 200,2000)")
    add("--repeat", type=int, help="timed runs per row (default 5; --quick 3)")
    add("--pairs", type=int, help="start-up pairs (default 11)")
    add("--heavy-repeat", type=int, default=3, help="runs of the first-query-after-write and batch rows (default 3)")
    add("--row-budget", type=float, help="seconds after which a heavy row stops adding runs (default 120; --quick 20)")
    add("--timeout", type=float, help="seconds before one process is killed (default 300; --quick 60)")
    add("--out", help="write the Markdown report here (it is printed too)")
    add("--quick", action="store_true", help="small sizes and counts: a smoke run under 2 minutes")
    add("--tree", default=DEFAULT_TREE, help=f"tree whose bench/run.py generates the stores (default {DEFAULT_TREE})")
    add("--use-m", action="store_true", help="run PYTHON -m factcli rather than the venv's facts script")
    add("--label", default="", help="a label for the report, e.g. 'before' or 'after'")
    add("--keep", action="store_true", help="keep the temporary folder")
    add("--million", action="store_true", help="also a 1,000,000-fact SQLite store: its queries, writes, import and"
        " peak memory (about 20 minutes more, 3 GB of memory to make it, 4 GB of disk)")
    args = parser.parse_args(argv)
    quick = args.quick
    args.sizes = sorted({int(s.replace("_", "")) for s in (args.sizes or ("200,2000" if quick else "1000,100000")).split(",")})
    args.repeat = args.repeat or (3 if quick else 5)
    args.pairs = args.pairs or 11
    args.row_budget = args.row_budget or (20 if quick else 120)
    args.timeout = args.timeout or (60 if quick else 300)
    args.import_new = 100 if quick else 1000
    args.batch_requests = 100 if quick else 1000
    args.words = (100, 1000) if quick else (1000, 10000)
    args.similar = (100, 1000) if quick else (1000, 10000)
    if quick:
        args.heavy_repeat = min(args.heavy_repeat, 2)
    return args


def main(argv=None):
    started = time.perf_counter()
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    args = parse_args(sys.argv[1:] if argv is None else argv)
    args.python = os.path.abspath(args.python)
    load_before = os.getloadavg()
    workdir = Path(tempfile.mkdtemp(prefix="facts-scale-"))
    try:
        bench = Bench(args, workdir)
        log(f"generating stores of {', '.join(f'{s:,}' for s in args.sizes)} facts in {workdir}")
        seed, stores = bench.generate(args.sizes)
        validity = {size: bench.validate(store) for size, store in stores.items()}
        log("SQLite stores of record made from them")
        bench.databases(stores)
        largest = stores[max(stores)]
        bench.startup()
        bench.writes(stores)
        bench.bulk_import(largest)
        bench.large_reads(largest)
        bench.quadratic(largest)
        if args.million:
            bench.million()
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    total = time.perf_counter() - started
    host, versions = machine(args.python)
    command = shlex.join(["python", "scale.py", *(sys.argv[1:] if argv is None else argv)])
    lines = [
        f"# facts scale baselines{' - ' + args.label if args.label else ''}",
        "",
        f"Date: {when}. Whole run: {total / 60:.1f} min. Command: `{command}`.",
        "",
        f"Machine: {host}. Load average at start {load_before[0]:.2f}, at end {os.getloadavg()[0]:.2f}"
        " (another process may hold one of the cores).",
        "",
        f"Interpreter under test (`PYTHON` = `{args.python}`): {'; '.join(versions)}.",
        "",
        f"`facts` in the commands below = `{bench.facts_shown}`, run with cwd a temporary folder,"
        f" FACTS_TODAY={FACTS_TODAY}, no FACTS_DB/PYTHONPATH, and XDG_CACHE_HOME = FACTS_CACHE_DIR = a fresh"
        " temporary folder per store (copy); stdout to /dev/null unless stated. Times are wall times from spawn"
        " to reap measured by a one-child wrapper; peak RSS is that child's ru_maxrss"
        " (getrusage(RUSAGE_CHILDREN) in the wrapper), max over the runs of a row. `$TMP` is the temporary folder.",
        "",
        f"Stores: generated by `{args.tree}/bench/run.py` (`generate_store`, seed {seed}; tree at {git_head(args.tree)}),"
        " run in a separate process. COPY = a fresh copy per run.",
        "",
        "| facts | bytes | sha256 | validate (by the interpreter under test) | source id used | edit/cite id |",
        "|--:|--:|---|---|---|---|",
    ]
    for size, store in stores.items():
        lines.append(f"| {size:,} | {store['bytes']:,} | `{store['sha256'][:16]}` | {validity[size]} |"
                     f" `{store['source_id']}` | `{store['edit_id']}` |")
    lines += ["", "SQLite stores of record made from them by the interpreter under test (`facts init STORE.db --from"
              " STORE.json`); the JSON back is `facts --db STORE.db export --format json OUT`, compared with the store's"
              " JSON as the tool writes it (the generator writes its tables in its own order):", "",
              *bench.store_lines]
    lines += ["", "1-minute load average when each section started: "
              + ", ".join(f"{title.split('.')[0]}: {load:.2f}" for title, load in bench.loads) + ".", ""]
    lines += ["", "## Summary", "", "| measure | result (median time, peak RSS) |", "|---|---|"]
    lines += [f"| {what} | {value} |" for what, value in bench.summary]
    for title, body in bench.sections:
        lines += ["", f"## {title}", "", *body]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
