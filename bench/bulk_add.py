"""Benchmark of an import: N new facts added to a store of SIZE facts in one `facts add --from`.

    python bench/bulk_add.py                    # 1,000 facts into 100,000
    python bench/bulk_add.py --size 2000 --new 100
    python bench/bulk_add.py --kinds mixed      # facts of every kind, in the store's mix

Prints the store size, the time of the one write, and checks every fact landed. The events of
the default import have no identifying fields; a mixed import (ratings, roles, figures,
statements, ...) is checked against the store's facts of each kind by identity too, and is
added with --allow-duplicate, since the generator's random people and grades repeat.
"""

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="facts in the store before the import")
    parser.add_argument("--new", type=int, default=1000, help="facts in the import")
    parser.add_argument("--kinds", choices=("events", "mixed"), default="events", help="what the import holds")
    args = parser.parse_args(argv)
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    with tempfile.TemporaryDirectory(prefix="facts-import-") as tmp:
        store = generator.generate_store(Path(tmp) / "facts.json", args.size)
        lines = mixed(generator, store, args.new) if args.kinds == "mixed" else "".join(
            json.dumps(
                {
                    "kind": "event",
                    "claim": f"Imported record {number} of the benchmark happened in a made-up council.",
                    "date": "2020",
                    "date_basis": "stated",
                    "citations": [{"source": store.source_id, "quote": f"benchmark quote {number}"}],
                }
            )
            + "\n"
            for number in range(args.new)
        )
        env = {**os.environ, "FACTS_DB": str(store.path), "PYTHONPATH": str(REPO)}
        started = time.perf_counter()
        command = [sys.executable, "-m", "factcli", "add", "--from", "-"]
        if args.kinds == "mixed":
            command.append("--allow-duplicate")
        result = subprocess.run(command, input=lines, env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        if result.returncode != 0:
            sys.exit(f"add failed: {result.stderr[-2000:]}")
        count = len(json.loads(store.path.read_text(encoding="utf-8"))["facts"])
        print(f"| {args.size:,} | {args.new:,} {args.kinds} | {elapsed:.1f} s | {count:,} |")
        return 0 if count == args.size + args.new else 1


def mixed(generator, store, new):
    """new facts of every kind as the generator makes them (another seed), as JSON lines."""
    import random

    rng = random.Random(1)
    sources = json.loads(store.path.read_text(encoding="utf-8"))["sources"].values()
    kinds = list(generator.core_kinds.KINDS)
    weights = [generator.KIND_WEIGHTS.get(kind, 5) for kind in kinds]
    seen_claims, seen_ids = {}, {}
    lines = []
    for number in range(new):
        fact = generator.make_fact(rng, kinds, weights, list(sources), seen_claims, seen_ids)
        fact.pop("retracted", None)
        del fact["id"]
        fact["claim"] = f"Imported {number}: {fact['claim']}"
        if fact["date"] is not None:
            fact["date_basis"] = "stated"
        lines.append(json.dumps(fact) + "\n")
    return "".join(lines)


if __name__ == "__main__":
    sys.exit(main())
