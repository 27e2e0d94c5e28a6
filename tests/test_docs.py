"""The documentation tells the truth: every example's output is current, and every command is documented."""

import subprocess
import sys
from pathlib import Path

import pytest

from factcli.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = README + "".join(page.read_text(encoding="utf-8") for page in sorted((ROOT / "docs").glob("*.md")))


@pytest.mark.skipif(
    not (ROOT.parent / "shared" / "seeds").is_dir(), reason="the documented verify and quote examples need ../shared/seeds"
)
def test_every_documented_example_prints_what_the_docs_say(monkeypatch):
    monkeypatch.delenv("FACTS_DB")
    result = subprocess.run([sys.executable, "scripts/docs.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("command", cli.list_commands(None))
def test_every_command_is_documented(command):
    assert f"facts {command}" in DOCS


def test_readme_gives_the_install_and_test_commands():
    assert "pip install . && facts rating --year 2019" in README
    assert "pip install '.[test]' && python -m pytest" in README


def test_every_page_the_readme_links_to_is_there():
    import re

    for target in re.findall(r"\]\(([^)#]+)\)", README):
        assert (ROOT / target).is_file(), target
