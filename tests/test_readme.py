"""The README tells the truth: its example outputs are current and every command is documented."""

import subprocess
import sys
from pathlib import Path

import pytest

from factcli.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.skipif(
    not (ROOT.parent / "shared" / "seeds").is_dir(), reason="README's verify example needs ../shared/seeds"
)
def test_readme_example_outputs_match_current_output(monkeypatch):
    monkeypatch.delenv("FACTS_DB")
    result = subprocess.run([sys.executable, "scripts/readme.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("command", cli.list_commands(None))
def test_every_command_is_in_the_readme(command):
    assert f"facts {command}" in README


def test_readme_gives_the_install_and_test_commands():
    assert "pip install . && facts rating --year 2019" in README
    assert "pip install '.[test]' && python -m pytest" in README
