"""The benchmark runs end to end at its smallest size (a smoke test: no timing is asserted)."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def test_benchmark_quick_run_prints_its_table(tmp_path):
    out = tmp_path / "bench.md"
    result = subprocess.run(
        [sys.executable, "bench/run.py", "--quick", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    table = out.read_text(encoding="utf-8")
    assert "| # | command |" in table
    assert "rating --year 2019 --json" in table


def test_contract_benchmark_smoke_run_reports_identical_batch_answers():
    result = subprocess.run(
        [sys.executable, "bench/contract.py", "--quick", "--requests", "12", "--sizes", "60", "--repeat", "1"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "answers identical: yes" in result.stdout
    assert "| 60 | `invested` |" in result.stdout
