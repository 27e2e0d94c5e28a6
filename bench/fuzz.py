"""Fuzz and fault-inject the facts CLI as whole processes; print how many runs broke a guarantee.

Classes run: hostile values for every option of every command, hypothesis-built stdin
documents (lone surrogates, NaN, huge numbers, raw bytes), editors that delete their file or
swap it for /dev/zero, a FIFO or a folder, broken store files, broken indexes, disk full (a
small tmpfs, where it can be mounted) and file size limits, FIFOs, read-only folders,
concurrent writers, SIGKILLed writers and index builds; links planted throughout a site's
folder, batch requests that change the store or name stores and files (in every order a
parser takes), sequences of writes that each pass their own command's checks, lock files
that are links or FIFOs, searches of thousands of words (alone and in a batch), and SIGKILLed
site builds. Every scenario of writes (hostile options and stdin, concurrent writers, killed
writers, write sequences) runs on a SQLite store of record as well, and a SQLite store is
broken in every way a database file can be. Every count printed except the numbers of runs, adds and kills should be 0.

    python bench/fuzz.py --quick          # under a minute
    python bench/fuzz.py --budget 600     # about ten minutes, scaled up
"""

import argparse
import importlib.util
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import faults
import hostile

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "factcli" / "data" / "facts.json"
QUICK_BUDGET_SECONDS = 45
SEED = 20261123

QUERIES = [
    ["validate"],
    ["rating", "--json"],
    ["rating", "--year", "2019", "--format", "csv"],
    ["who", "--year", "2021", "--json"],
    ["timeline", "--format", "jsonl"],
    ["search", "neglect"],
    ["show", "rating-2019-01-overall-inadequate"],
    ["sources"],
]


def plan(budget):
    """How many runs of each class fit the budget (seconds), scaled from the quick run's mix."""
    scale = max(budget / QUICK_BUDGET_SECONDS, 1)
    return {
        "options": int(50 * scale),
        "stdin": int(25 * scale),
        "queries": min(int(scale), len(QUERIES)),
        "full_disk_writes": 2 + int(scale),
        "kills": max(30, int(30 * scale / 2)),
        "index_kills": 3 + int(scale),
        "concurrent_rounds": 1 + int(scale / 4),
        "site_links": int(4 * scale),
        "batch_gates": int(3 * scale),
        "sequences": int(4 * scale),
        "site_kills": max(6, int(6 * scale / 2)),
    }


def commands():
    sys.path.insert(0, str(REPO))
    from factcli.cli import cli

    return {name: cli.get_command(None, name) for name in cli.list_commands(None)}


def big_store(work, size=3000):
    """A store of a few thousand facts from the benchmark's generator, whose index takes a while to build."""
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench.generate_store(Path(work) / f"big-{size}.json", size).path


def fuzz(budget, seed, workers, log):
    rng = random.Random(seed)
    counts = plan(budget)
    tally = faults.Tally()
    work = tempfile.mkdtemp(prefix="facts-fuzz-")
    notes = []
    try:
        base = Path(work) / "base.json"
        shutil.copyfile(BUNDLED, base)
        # The same store as a SQLite store of record: every scenario of writes runs on it too.
        base_db = Path(work) / "base.db"
        faults.run(["init", str(base_db), "--from", str(base)], faults.environment(base, Path(work) / "cache-init"))
        editors = faults.editor_scripts(work)

        def stage(name, function, *arguments):
            started = time.monotonic()
            result = function(*arguments)
            log(f"{name}: {time.monotonic() - started:.1f} s, {sum(tally.values())} counted so far")
            return result

        option_jobs = [
            (faults.command_in_fresh_store, (tally, (base, base_db)[n % 2], work, args, b"", editors[n % len(editors)]))
            for n, args in enumerate(hostile.option_runs(commands(), rng, counts["options"]))
        ]
        stage("hostile options", faults.run_many, tally, option_jobs, workers)
        stdin_jobs = [
            (faults.command_in_fresh_store, (tally, (base, base_db)[n % 2], work, [command], payload, editors[0]))
            for n, (command, payload) in enumerate(hostile.stdin_documents(counts["stdin"], seed))
        ]
        stage("stdin documents", faults.run_many, tally, stdin_jobs, workers)
        store_jobs = [
            (faults.broken_store_run, (tally, name, make, work, QUERIES[: counts["queries"]]))
            for name, make in hostile.broken_stores(base.read_text(encoding="utf-8"))
        ]
        stage("broken stores", faults.run_many, tally, store_jobs, workers)
        database_jobs = [
            (faults.broken_store_run, (tally, name, make, work, QUERIES[: counts["queries"]], "facts.db"))
            for name, make in hostile.broken_databases(base_db.read_bytes())
        ]
        stage("broken SQLite stores", faults.run_many, tally, database_jobs, workers)
        index_jobs = [
            (faults.broken_index_run, (tally, base, work, how, hostile.break_index, rng, QUERIES[1 : 1 + counts["queries"]]))
            for how in hostile.INDEX_DAMAGE
        ]
        stage("broken indexes", faults.run_many, tally, index_jobs, workers)
        mounted = stage("disk full", faults.disk_full_runs, tally, base, work, counts["full_disk_writes"])
        if not mounted:
            notes.append("no tmpfs could be mounted: ENOSPC was not run, EFBIG (ulimit -f) was")
        stage("FIFOs", faults.fifo_runs, tally, base, work, QUERIES[:3])
        if not stage("read-only folders", faults.read_only_runs, tally, base, work):
            notes.append("no read-only folder could be arranged (root, and no tmpfs to remount read-only)")
        adds = 0
        for _ in range(counts["concurrent_rounds"]):
            adds += stage("16 x 10 concurrent adds", faults.concurrent_runs, tally, base, work)
            adds += stage("16 x 10 concurrent adds, SQLite", faults.concurrent_runs, tally, base_db, work)
        kills = stage("SIGKILLed writers", faults.kill_runs, tally, base, work, counts["kills"], rng)
        kills += stage("SIGKILLed writers, SQLite", faults.kill_runs, tally, base_db, work, counts["kills"], rng)
        big = big_store(work)
        stage("SIGKILLed index builds", faults.killed_index_builds, tally, big, work, counts["index_kills"], rng)
        stage("links planted in a site's folder", faults.site_link_runs, tally, base, work, rng, counts["site_links"])
        stage(
            "batch requests naming stores and files", faults.batch_gate_runs, tally, base, work, rng, counts["batch_gates"]
        )
        stage("write sequences", faults.write_sequence_runs, tally, base, work, rng, counts["sequences"])
        stage("write sequences, SQLite", faults.write_sequence_runs, tally, base_db, work, rng, counts["sequences"])
        stage("lock files that are links", faults.lock_link_runs, tally, base, work)
        stage("searches of many words", faults.query_runs, tally, base, work, big)
        site_kills = stage(
            "SIGKILLed site builds", faults.site_kill_runs, tally, big_store(work, 600), work, rng, counts["site_kills"]
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return tally, adds, kills, site_kills, notes


def report(tally, adds, kills, site_kills, notes, seconds, seed):
    lines = [f"fuzz and fault run: {seconds:.0f} s, seed {seed}"]
    for key, label in faults.COUNTS:
        lines.append(f"{tally[key]:>7}  {label}")
    lines.append(f"{adds:>7}  concurrent adds made (rounds of 16 writers x 10 adds)")
    lines.append(f"{kills:>7}  writers killed with SIGKILL")
    lines.append(f"{site_kills:>7}  site builds killed with SIGKILL")
    lines += [f"   note  {note}" for note in notes]
    for key in faults.TARGETS:
        for example in tally.examples[key]:
            lines.append(f"  e.g. {key}: {example}")
    failed = [key for key in faults.TARGETS if tally[key]]
    lines.append("targets met: all counts 0" if not failed else f"targets missed: {', '.join(failed)}")
    return "\n".join(lines), not failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help=f"about {QUICK_BUDGET_SECONDS} s (the test suite runs this)")
    size.add_argument("--budget", type=float, default=300, help="seconds to aim for (default 300)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--workers", type=int, default=4, help="commands run at once")
    options = parser.parse_args()
    budget = QUICK_BUDGET_SECONDS if options.quick else options.budget
    started = time.monotonic()
    tally, adds, kills, site_kills, notes = fuzz(
        budget, options.seed, options.workers, lambda text: print(text, file=sys.stderr)
    )
    text, met = report(tally, adds, kills, site_kills, notes, time.monotonic() - started, options.seed)
    print(text)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
