"""Text for a person at any width: nothing truncated, ids shown, tables or stacked blocks; the pager; --help sections."""

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcli.cli import cli
from factcli.storage.location import BUNDLED_STORE

REPO = Path(__file__).resolve().parents[1]
WIDTHS = (40, 60, 80, 120)
COMMANDS = [
    ["rating"],
    ["rating", "--year", "2019"],
    ["who"],
    ["who", "--role", "minister", "--year", "2024"],
    ["timeline", "--from", "2021", "--to", "2021"],
    ["search", "invested"],
    ["show", "intervention-2021-03-commissioner-review-concluded"],
    ["sources"],
    ["conflicts"],
    ["search", "money", "--fields", "id,claim,citations"],
]


@pytest.fixture(autouse=True)
def bundled(monkeypatch):
    monkeypatch.setenv("FACTS_DB", str(BUNDLED_STORE))
    monkeypatch.setenv("FACTS_TODAY", "2026-11-23")


def text(args, width):
    result = CliRunner().invoke(cli, list(args), env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    return result.stdout


def ids(args):
    documents = json.loads(CliRunner().invoke(cli, [*args, "--json"]).stdout)
    return [document["id"] for document in documents]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_line_is_wider_than_the_terminal_and_nothing_is_cut_short(args, width):
    output = text(args, width)
    assert output.strip()
    for line in output.splitlines():
        assert len(line) <= width, line
    # "…" only ever stands for source text around a quote (show), never for a cut-off cell.
    assert "…" not in output.replace("…**", "").replace("**…", "") or args[0] == "show"


def cell_text(output):
    """All that a table's cells hold, each column's lines joined up, so a folded id reads whole;
    lines outside a table as they are."""
    columns, joined = {}, []
    for line in output.splitlines():
        if line.startswith("│"):
            for number, part in enumerate(line.strip("│").split("│")):
                columns.setdefault(number, []).append(part.strip())
        else:
            joined.append(line.strip())
    return "".join(joined) + "".join("".join(parts) for parts in columns.values())


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", [a for a in COMMANDS if a[0] != "show"], ids=" ".join)
def test_every_result_shows_its_id(args, width):
    shown = cell_text(text(args, width))
    for found in ids(args):
        assert found in shown


@pytest.mark.parametrize("width, layout", [(40, "stacked"), (60, "stacked"), (80, "stacked"), (120, "table")])
def test_narrow_terminals_get_stacked_blocks_and_wide_ones_a_table(width, layout):
    output = text(["who", "--role", "minister"], width)
    assert ("┃ Person" in output) is (layout == "table")
    if layout == "stacked":
        # Each result: its id on a line of its own (folded only if wider than the terminal), then its cells.
        lines = output.splitlines()
        at = next(n for n, line in enumerate(lines) if line.startswith("role-edward-timpson"))
        person = next(line for line in lines[at:] if line.startswith("Person"))
        assert "Edward Timpson" in person


def test_stacked_text_at_60_columns_is_what_the_snapshot_says():
    expected = (REPO / "tests" / "snapshots" / "who-minister-60.txt").read_text(encoding="utf-8")
    assert [line.rstrip() for line in text(["who", "--role", "minister"], 60).splitlines()] == expected.splitlines()


def test_help_lists_commands_in_sections():
    output = CliRunner().invoke(cli, ["--help"], env={"COLUMNS": "100"}).stdout
    sections = [line for line in output.splitlines() if line.endswith("commands:")]
    assert sections == ["Ask commands:", "Curate commands:", "Check commands:", "Publish and script commands:"]
    ask = output[output.index("Ask commands:") : output.index("Curate commands:")]
    assert all(f"  {name} " in ask for name in ("rating", "who", "search", "conflicts"))
    assert "  add " not in ask


@pytest.mark.parametrize(
    "args, message",
    [
        (["rating", "--year", "abc"], "Error: --year: 'abc' is not a year"),
        (["who", "--year", "800"], "Error: --year: 800 is not a year from 1000 to 9999"),
        (["timeline", "--from", "٢٠١٩"], "Error: --from: '٢٠١٩' is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    ],
)
def test_option_errors_read_naturally(args, message):
    result = CliRunner().invoke(cli, args, prog_name="facts")
    assert result.exit_code == 2
    # One line: no usage text first, and the help to read named at its end.
    assert result.stderr.splitlines() == [f"{message} (see facts {args[0]} --help)"]


def test_a_future_year_is_answered_with_nothing_and_a_note():
    result = CliRunner().invoke(cli, ["rating", "--year", "2030"])
    assert result.stderr.startswith("2030 is after today. The store's sources end in 2024 (outside the sources); nothing on record for 2030.")
    assert result.stdout == ""


# --- the pager ------------------------------------------------------------------------------


def on_a_terminal(args, env, rows=10):
    """Run facts with stdout on a pseudo-terminal of rows lines; what it printed there."""
    import fcntl
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, 80, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "factcli", *args],
        stdout=follower,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **env, "FACTS_DB": str(BUNDLED_STORE), "NO_COLOR": "1"},
        cwd=REPO,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture
def recording_pager(tmp_path):
    """A pager that records what it was given, and says it ran."""
    record = tmp_path / "paged.txt"
    return f"cat > {record}; echo PAGED", record


def test_long_text_on_a_terminal_goes_through_the_pager(recording_pager):
    command, record = recording_pager
    shown = on_a_terminal(["search"], {"FACTS_PAGER": command})
    assert "PAGED" in shown
    assert "rating-2012-07-child-protection-inadequate" in record.read_text(encoding="utf-8")


def test_a_paged_answer_shows_its_notes_first_in_the_pager(recording_pager):
    """On stderr, a note would be hidden by the pager's screen; paged, it goes first in the pager."""
    command, record = recording_pager
    on_a_terminal(["timeline", "--year", "2019"], {"FACTS_PAGER": command})
    paged = record.read_text(encoding="utf-8")
    assert paged.startswith("6 facts may fall outside the period (dated only more coarsely, or known only by a bound)")
    assert "rating-2019-01-overall-inadequate" in paged


@pytest.mark.parametrize(
    "args, env",
    [(["search", "--no-pager"], {}), (["search"], {"FACTS_PAGER": ""}), (["show", "figure-4m-investment-childrens-services"], {})],
    ids=["--no-pager", "empty FACTS_PAGER", "short answer"],
)
def test_no_pager_when_switched_off_or_the_answer_fits(recording_pager, args, env):
    command, record = recording_pager
    shown = on_a_terminal(args, {"FACTS_PAGER": command, **env}, rows=200 if args[0] == "show" else 10)
    assert "PAGED" not in shown and not record.exists()
    assert "figure-4m-investment-childrens-services" in shown


@pytest.mark.parametrize("pager", ["nonexistent-pager-of-facts", "/nonexistent/less -R"])
def test_a_pager_that_cannot_be_run_leaves_the_answer_printed(pager):
    shown = on_a_terminal(["search"], {"FACTS_PAGER": pager})
    assert "rating-2012-07-child-protection-inadequate" in shown


def test_never_a_pager_when_piped(recording_pager, tmp_path):
    command, record = recording_pager
    result = subprocess.run(
        [sys.executable, "-m", "factcli", "search"],
        env={**os.environ, "FACTS_PAGER": command, "FACTS_DB": str(BUNDLED_STORE)},
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert "PAGED" not in result.stdout and not record.exists()
    assert "rating-2012-07-child-protection-inadequate" in result.stdout
