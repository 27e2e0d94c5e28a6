"""Refresh (or with --check, verify) the example output under each `$ facts ...` line in README.md and docs/ask.md."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
# Each document, and whether its examples show stderr and stdout as a terminal does (facts ask
# prints the command it runs before the answer) rather than stdout, then stderr.
DOCUMENTS = {README: False, ROOT / "docs" / "ask.md": True}
AS_OF = "2026-11-23"  # the examples show the store as of this day, so they do not change each new year
BLOCK = re.compile(r"```console\n\$ facts (?P<args>[^\n]*)\n(?P<output>.*?)```", re.S)


def run(args, merged=False):
    """What `facts ARGS` prints for a reader: bundled store, 80 columns, no colour, as of AS_OF;
    merged, stderr and stdout in the order printed. A trailing `< FILE` feeds FILE (relative to
    the repository) to stdin."""
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "FACTS_TODAY": AS_OF}
    env.pop("FACTS_DB", None)
    env.pop("FORCE_COLOR", None)
    words = shlex.split(args)
    stdin = None
    if len(words) >= 2 and words[-2] == "<":
        stdin = (ROOT / words[-1]).read_text(encoding="utf-8")
        words = words[:-2]
    result = subprocess.run(
        [sys.executable, "-m", "factcli", *words],
        cwd=ROOT,
        env=env,
        input=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merged else subprocess.PIPE,
        text=True,
    )
    # Trailing spaces are rich's padding; they would only make the README noisy.
    return "".join(line.rstrip() + "\n" for line in (result.stdout + (result.stderr or "")).splitlines())


KEYS_BLOCK = re.compile(r"<!-- keys -->\n.*?<!-- /keys -->", re.S)


def keys_table():
    """The keys of each query command's JSON output, from the schema the commands are checked against."""
    sys.path.insert(0, str(ROOT))
    from factcli.output import schema

    rows = [f"| `facts {command}` | {', '.join(f'`{key}`' for key in schema.keys(command))} |" for command in schema.COMMANDS]
    return "\n".join(["| command | keys, in order |", "| --- | --- |", *rows])


def refreshed(text, merged=False):
    text = KEYS_BLOCK.sub(lambda m: f"<!-- keys -->\n{keys_table()}\n<!-- /keys -->", text)
    return BLOCK.sub(lambda m: f"```console\n$ facts {m['args']}\n{run(m['args'], merged)}```", text)


def main():
    differ = []
    for document, merged in DOCUMENTS.items():
        current = document.read_text(encoding="utf-8")
        updated = refreshed(current, merged)
        if "--check" not in sys.argv[1:]:
            document.write_text(updated, encoding="utf-8")
        elif updated != current:
            differ.append(document.relative_to(ROOT).as_posix())
    if differ:
        print(f"{', '.join(differ)}: examples differ from the current output; run python scripts/readme.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
