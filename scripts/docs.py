"""Run every example of README.md and docs/*.md, and refresh (or with --check, verify) what each prints.

An example is a ```console block: `$ COMMAND` lines (a line ending in a backslash goes on to
the next), each followed by what it prints. Commands run in bash, in order, as a reader would
run them: with this checkout's code and `facts` first (PYTHONPATH, PATH), the bundled store, 80 columns, no colour,
and the day pinned (FACTS_TODAY), so the output does not change each year. A page that opens
with `<!-- examples run in a new folder -->` runs its commands in a folder of its own (made
anew each run, with `../shared` beside it as in a checkout), so its examples may write files;
any other page runs in the checkout and must only read. Blocks of other languages (```bash,
```text) are not run.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
AS_OF = "2026-11-23"  # the examples show the store as of this day
IN_A_FOLDER = "<!-- examples run in a new folder -->"
BLOCK = re.compile(r"```console\n(?P<body>.*?)```", re.S)
KEYS_BLOCK = re.compile(r"<!-- keys -->\n.*?<!-- /keys -->", re.S)


def commands(body):
    """(command, expected output) of each `$ ` line of a block, continuation lines joined."""
    found, lines = [], body.splitlines(keepends=True)
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.startswith("$ "):
            index += 1  # output before any command: kept out of the comparison
            continue
        command = [line[2:].rstrip("\n")]
        while command[-1].endswith("\\") and index + 1 < len(lines):
            index += 1
            command.append(lines[index].rstrip("\n"))
        index += 1
        output = []
        while index < len(lines) and not lines[index].startswith("$ "):
            output.append(lines[index])
            index += 1
        found.append(("\n".join(command), "".join(output)))
    return found


class Session:
    """Where a page's commands run, and with what environment."""

    def __init__(self, page_text):
        self.folder = None
        self.cwd = ROOT
        if page_text.lstrip().startswith(IN_A_FOLDER):
            self.folder = Path(tempfile.mkdtemp(prefix="facts-docs-"))
            self.cwd = self.folder / "work"
            self.cwd.mkdir()
            if (ROOT.parent / "shared").is_dir():
                (self.folder / "shared").symlink_to(ROOT.parent / "shared")
        home = Path(tempfile.mkdtemp(prefix="facts-docs-home-"))
        self.home = home
        self.env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            # This checkout's code and bundled store, as an editable install has them, whether
            # the package was installed editable or not: the examples do not depend on where.
            "PYTHONPATH": str(ROOT),
            "COLUMNS": "80",
            "NO_COLOR": "1",
            "FACTS_TODAY": AS_OF,
            "FACTS_CACHE_DIR": str(home / "cache"),
            "HOME": str(home),
            "GIT_AUTHOR_NAME": "Curator",
            "GIT_AUTHOR_EMAIL": "curator@example.org",
            "GIT_COMMITTER_NAME": "Curator",
            "GIT_COMMITTER_EMAIL": "curator@example.org",
            "GIT_CONFIG_NOSYSTEM": "1",
            # Commits of a documented session get the same hashes each run.
            "GIT_AUTHOR_DATE": f"{AS_OF}T12:00:00Z",
            "GIT_COMMITTER_DATE": f"{AS_OF}T12:00:00Z",
        }
        for name in ("FACTS_DB", "FACTS_SOURCES", "FORCE_COLOR", "FACTS_INDEX", "PAGER", "FACTS_PAGER"):
            self.env.pop(name, None)

    def run(self, command):
        """What command prints, stdout and stderr in the order a terminal shows them, each line
        without the padding rich leaves.
        `export NAME=VALUE ...` sets the variables for the page's later commands, as in a shell."""
        if command.startswith("export "):
            import shlex

            for assignment in shlex.split(command)[1:]:
                name, _, value = assignment.partition("=")
                self.env[name] = value
            return ""
        result = subprocess.run(
            ["bash", "-o", "pipefail", "-c", command],
            cwd=self.cwd,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        return "".join(line.rstrip() + "\n" for line in result.stdout.splitlines())

    def close(self):
        for folder in (self.folder, self.home):
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)


def keys_table():
    """The keys of each query command's JSON output, from the schema the commands are checked against."""
    sys.path.insert(0, str(ROOT))
    from factcli.output import schema

    rows = [f"| `facts {command}` | {', '.join(f'`{key}`' for key in schema.keys(command))} |" for command in schema.COMMANDS]
    return "\n".join(["| command | keys, in order |", "| --- | --- |", *rows])


BUNDLED = ROOT / "data" / "facts.json"


class ChangedTheCheckout(Exception):
    """A page run in the checkout wrote to the bundled store."""


def refreshed(text):
    """The page with every example's output as the commands print it now. A page run in the
    checkout must only read: if the bundled store changes, it is put back and the page refused."""
    text = KEYS_BLOCK.sub(lambda m: f"<!-- keys -->\n{keys_table()}\n<!-- /keys -->", text)
    session = Session(text)
    bundled = BUNDLED.read_bytes()
    try:

        def block(match):
            ran = "".join(f"$ {command}\n{session.run(command)}" for command, _ in commands(match["body"]))
            return f"```console\n{ran}```"

        return BLOCK.sub(block, text)
    finally:
        session.close()
        if BUNDLED.read_bytes() != bundled:
            BUNDLED.write_bytes(bundled)
            raise ChangedTheCheckout(f"its examples changed {BUNDLED.relative_to(ROOT)}; begin it with {IN_A_FOLDER}")


def main():
    stale = []
    wanted = [Path(name).resolve() for name in sys.argv[1:] if not name.startswith("--")]
    for page in PAGES:
        if wanted and page not in wanted:
            continue
        current = page.read_text(encoding="utf-8")
        try:
            updated = refreshed(current)
        except ChangedTheCheckout as error:
            print(f"{page.relative_to(ROOT).as_posix()}: {error}")
            return 1
        if updated == current:
            continue
        if "--check" in sys.argv[1:]:
            stale.append(page.relative_to(ROOT).as_posix())
        else:
            page.write_text(updated, encoding="utf-8")
    if stale:
        print(f"examples in {', '.join(stale)} differ from the current output; run python scripts/docs.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
