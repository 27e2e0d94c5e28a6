"""The fuzz and fault run, at its quick size: every count of a broken guarantee it prints is 0."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def test_quick_fuzz_and_fault_run_prints_zero_for_every_target():
    result = subprocess.run(
        [sys.executable, "bench/fuzz.py", "--quick"], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    counts = {label: int(number) for number, label in re.findall(r"^\s*(\d+)  (.+)$", result.stdout, re.MULTILINE)}
    assert counts["commands run"] > 100, result.stdout
    assert counts["writers killed with SIGKILL"] >= 30
    # A round of 16 writers x 10 adds for each back end, JSON and SQLite.
    assert counts["concurrent adds made (rounds of 16 writers x 10 adds)"] == 320
    assert counts["site builds killed with SIGKILL"] >= 6
    tallies = ("commands run", "writers killed with SIGKILL", "site builds killed with SIGKILL",
               "concurrent adds made (rounds of 16 writers x 10 adds)")
    broken = {label: number for label, number in counts.items() if label not in tallies}
    assert len(broken) == 12, result.stdout  # every guarantee the run checks
    assert set(broken.values()) == {0}, result.stdout
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
