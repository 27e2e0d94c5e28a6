"""Benchmark of the scripts' contract: facts batch against one process per question, and search.

    python bench/contract.py                 # 1,000 requests, search at 1k and 100k facts
    python bench/contract.py --quick         # 60 requests, search at 200 facts (a smoke run)
    python bench/contract.py --baseline REV  # also time search as it was at git revision REV

Prints a Markdown report. Batch and processes answer the same requests on the bundled store,
side by side in one run; search is timed as whole processes, paired with the baseline
(a checkout of REV in a temporary folder) when one is given, on the same generated stores.
"""

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The mixed questions a newsroom's build might ask, cycled to the number of requests.
REQUESTS = [
    ["rating", "--year", "2019"],
    ["rating"],
    ["who", "--role", "minister"],
    ["who", "--year", "2021"],
    ["timeline", "--from", "2019", "--to", "2021"],
    ["search", "invested"],
    ["search", "chronic neglect"],
    ["show", "rating-2019-01-overall-inadequate"],
    ["sources"],
    ["conflicts"],
]
SEARCHES = ["ofsted", "improvement plan", "invested", '"social workers"']


def generator():
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def facts_argv(python, tree=REPO):
    return [python, "-m", "factcli"], {"PYTHONPATH": str(tree)}


def run(argv, env, stdin=None):
    started = time.perf_counter()
    result = subprocess.run(argv, env=env, input=stdin, capture_output=True, text=True, cwd=REPO)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv)} failed with {result.returncode}:\n{result.stderr[-2000:]}")
    return elapsed, result.stdout


def environment(extra, db):
    env = {**os.environ, **extra, "FACTS_TODAY": "2026-11-23"}
    env.pop("FACTS_INDEX", None)
    # As a person's shell runs it: compiled modules are cached, not compiled again every run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if db:
        env["FACTS_DB"] = str(db)
    else:
        env.pop("FACTS_DB", None)
    return env


def batch_against_processes(python, count, db=None):
    """Seconds for count requests as separate processes and as one batch, and the answers agree."""
    facts, extra = facts_argv(python)
    env = environment(extra, db)
    requests = [REQUESTS[n % len(REQUESTS)] for n in range(count)]
    processes, answers = 0.0, []
    for args in requests:
        elapsed, out = run([*facts, *args, "--json"], env)
        processes += elapsed
        answers.append(json.loads(out))
    lines = "".join(json.dumps(args) + "\n" for args in requests)
    batched, out = run([*facts, "batch"], env, stdin=lines)
    replies = [json.loads(line) for line in out.splitlines()]
    agree = [reply.get("answer") for reply in replies] == answers
    return processes, batched, agree


def per_request_at(python, store_path, count):
    """(first request, median of the rest) in ms, answered by one batch against a large store."""
    facts, extra = facts_argv(python)
    env = environment(extra, store_path)
    requests = [REQUESTS[n % len(REQUESTS)] for n in range(count)]
    requests = [args for args in requests if args[0] != "show"]  # the bundled store's ids are not there
    # A co-process: send one line, read its answer, so each request is timed on its own.
    process = subprocess.Popen(
        [*facts, "batch"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    timings = []
    for args in requests:
        started = time.perf_counter()
        process.stdin.write(json.dumps(args) + "\n")
        process.stdin.flush()
        process.stdout.readline()
        timings.append((time.perf_counter() - started) * 1000)
    process.stdin.close()
    process.wait()
    return timings[0], statistics.median(timings[1:])


def search_times(python, tree, store_path, repeat, cache):
    """Median ms of each search as a whole process, against store_path, with the code in tree
    (and its own index cache: two layouts in one cache would rebuild each other's)."""
    facts, extra = facts_argv(python, tree)
    env = environment({**extra, "FACTS_CACHE_DIR": str(cache)}, store_path)
    run([*facts, "search", "warm", "--json"], env)  # builds a large store's index once, untimed
    return {
        text: statistics.median(run([*facts, "search", text, "--json"], env)[0] * 1000 for _ in range(repeat))
        for text in SEARCHES
    }


def baseline_tree(revision, folder):
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(folder), revision], check=True,
                   capture_output=True)
    return folder


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: few requests, small stores")
    parser.add_argument("--requests", type=int, help="requests for batch against processes (default 1000)")
    parser.add_argument("--sizes", help="fact counts for search, comma-separated (default 1000,100000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per search")
    parser.add_argument("--baseline", metavar="REV", help="git revision whose search to time alongside")
    args = parser.parse_args(argv)
    count = args.requests or (60 if args.quick else 1000)
    sizes = [int(s) for s in (args.sizes or ("200" if args.quick else "1000,100000")).split(",")]
    python = sys.executable
    lines = ["# Scripts' contract: batch and search", ""]

    processes, batched, agree = batch_against_processes(python, count)
    lines += [
        f"`facts batch`, {count} mixed requests on the bundled store, against {count} `facts ... --json` processes:",
        "",
        "| way | total | per request |",
        "| --- | --- | --- |",
        f"| one process per request | {processes:.2f} s | {processes / count * 1000:.1f} ms |",
        f"| one `facts batch` | {batched:.2f} s | {batched / count * 1000:.2f} ms |",
        "",
        f"Batch is {processes / batched:.0f}x faster; answers identical: {'yes' if agree else 'NO'}.",
        "",
    ]
    with tempfile.TemporaryDirectory(prefix="facts-contract-") as tmp:
        tmp = Path(tmp)
        make = generator()
        stores = {size: make.generate_store(tmp / f"facts-{size}.json", size).path for size in sizes}
        first, rest = per_request_at(python, stores[sizes[-1]], 40 if args.quick else 200)
        lines += [
            f"Per request in one batch at {sizes[-1]:,} facts: first {first:.0f} ms (loads the store or its index),"
            f" then {rest:.2f} ms (median).",
            "",
        ]
        trees = {"now": REPO}
        if args.baseline:
            trees[args.baseline] = baseline_tree(args.baseline, tmp / "baseline")
        header = "| facts | search | " + " | ".join(f"{name} (ms)" for name in trees) + " |"
        lines += ["Search as a whole process, median of runs:", "", header, "|" + " --- |" * (len(trees) + 2)]
        try:
            for size, path in stores.items():
                times = {
                    name: search_times(python, tree, path, args.repeat, tmp / f"cache-{number}")
                    for number, (name, tree) in enumerate(trees.items())
                }
                for text in SEARCHES:
                    row = " | ".join(f"{times[name][text]:.0f}" for name in trees)
                    lines.append(f"| {size:,} | `{text}` | {row} |")
        finally:
            if args.baseline:
                subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(trees[args.baseline])],
                               capture_output=True)
    print("\n".join(lines))
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
