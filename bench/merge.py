"""Benchmark of facts merge as git runs it: two curators' branches of a store of SIZE facts.

    python bench/merge.py                      # stores of 1,000 and 100,000 facts
    python bench/merge.py --size 2000 --changes 50

Each side adds CHANGES new facts (under the same document ids, as TinyDB numbers them) and
changes CHANGES facts that both sides touch: ours a date note, theirs a new citation. Prints
the whole process's wall time and peak memory, and checks the result holds everything.
"""

import argparse
import importlib.util
import json
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def load_run():
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def side(base, name, changes, source_id):
    """base's tables with changes new facts and changes edited ones, as one curator's branch."""
    tables = json.loads(json.dumps(base))
    facts = tables["facts"]
    next_id = max(int(doc_id) for doc_id in facts) + 1
    for number in range(changes):
        facts[str(next_id + number)] = {
            "id": f"event-{name}-{number}",
            "kind": "event",
            "claim": f"Curator {name} recorded benchmark event {number} in a made-up council.",
            "date": "2020",
            "date_note": None,
            "citations": [{"source": source_id, "quote": f"{name} benchmark quote {number}"}],
        }
    for doc_id in list(facts)[: changes]:
        record = facts[doc_id]
        if name == "ours":
            record["date_note"] = f"Checked by {name}."
        else:
            record["citations"] = [*record["citations"], {"source": source_id, "quote": f"{name} extra {doc_id}"}]
    return tables


def measure(run, size, changes, workdir):
    store = run.generate_store(workdir / "base.json", size)
    base = json.loads(store.path.read_text(encoding="utf-8"))
    for name in ("ours", "theirs"):
        text = json.dumps(side(base, name, changes, store.source_id), indent=2, sort_keys=True, ensure_ascii=False)
        (workdir / f"{name}.json").write_text(text + "\n", encoding="utf-8")
    spawner = run.Spawner(timeout=600, stderr_path=workdir / "stderr")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    argv = [sys.executable, "-m", "factcli", "merge", store.path, workdir / "ours.json", workdir / "theirs.json"]
    sample = spawner.run(argv, env)
    if sample.code != 0:
        sys.exit(f"merge failed ({sample.code}): {(workdir / 'stderr').read_text()[-2000:]}")
    merged = json.loads((workdir / "ours.json").read_text(encoding="utf-8"))["facts"]
    edited = [r for r in merged.values() if r.get("date_note") == "Checked by ours." and len(r["citations"]) > 1]
    complete = len(merged) == size + 2 * changes and len(edited) == changes
    print(f"| {size:,} | {changes} + {changes} | {sample.ms / 1000:.2f} s | {sample.rss_mb:.0f} MB |")
    return complete


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, action="append", help="facts in the base store (repeatable)")
    parser.add_argument("--changes", type=int, default=100, help="facts each side adds, and facts both edit")
    args = parser.parse_args(argv)
    run = load_run()
    print("| base facts | new facts (ours + theirs) | merge | peak RSS |")
    print("|---:|---:|---:|---:|")
    complete = True
    for size in args.size or (1_000, 100_000):
        with tempfile.TemporaryDirectory(prefix="facts-merge-") as tmp:
            complete &= measure(run, size, args.changes, Path(tmp))
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
