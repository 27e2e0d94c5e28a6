"""The facts program as a process of its own: the collector paused while the command line is imported."""

import json
import subprocess
import sys


def in_fresh_interpreter(code):
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return result.stdout, result.stderr.split()


def test_the_program_imports_the_command_line_with_the_collector_paused_then_frozen():
    """What importing click and the command line makes is frozen before the command runs (the
    command's own collections skip it), and the collector is running again for the command."""
    code = (
        "import gc, sys\n"
        "import factcli.cli\n"
        "seen = []\n"
        "factcli.cli.cli.callback = lambda: seen.append((gc.isenabled(), gc.get_freeze_count() > 0))\n"
        "from factcli.console import main\n"
        "sys.argv = ['facts', 'sources', '--json']\n"
        "try:\n    main()\nexcept SystemExit as end:\n    print(*seen[0], end.code, file=sys.stderr)\n"
    )
    output, (enabled, frozen, code) = in_fresh_interpreter(code)
    assert (enabled, frozen, code) == ("True", "True", "0")
    assert json.loads(output)


def test_importing_the_command_line_leaves_the_collector_as_it_was():
    """A program or a test that imports factcli.cli keeps its collector: only the program pauses it."""
    code = "import gc, sys\nimport factcli.cli\nprint(gc.isenabled(), gc.get_freeze_count(), file=sys.stderr)"
    assert in_fresh_interpreter(code)[1] == ["True", "0"]


def test_python_m_factcli_runs_the_program():
    result = subprocess.run([sys.executable, "-m", "factcli", "--version"], capture_output=True, text=True)
    assert (result.returncode, result.stdout.strip()) == (0, f"facts, version {__import__('factcli').__version__}")
