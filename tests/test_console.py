"""The facts program as a process of its own: the collector paused while the command line is imported."""

import json
import subprocess
import sys


def in_fresh_interpreter(code):
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return result.stdout, result.stderr.split()


def test_the_program_imports_the_command_line_with_the_collector_paused_then_frozen():
    """No collection runs while click and the command line are imported; what they made is
    frozen, and the collector runs again for the command (and is frozen once it is done)."""
    code = (
        "import gc, sys\n"
        "during_import = []\n"
        "def watch(phase, info):\n"
        "    imported = hasattr(sys.modules.get('factcli.cli'), 'main')\n"
        "    if phase == 'start' and not imported:\n"
        "        during_import.append(info['generation'])\n"
        "from factcli.console import main\n"
        "gc.collect()\n"
        "gc.callbacks.append(watch)\n"
        "sys.argv = ['facts', 'sources', '--json']\n"
        "try:\n    main()\nexcept SystemExit as end:\n"
        "    print(len(during_import), gc.isenabled(), gc.get_freeze_count() > 10000, end.code, file=sys.stderr)\n"
    )
    output, reply = in_fresh_interpreter(code)
    assert reply == ["0", "True", "True", "0"]
    assert json.loads(output)


def test_without_the_pause_collections_run_while_the_command_line_is_imported():
    """The check above can fail: importing the command line with the collector running collects."""
    code = (
        "import gc, sys\n"
        "seen = []\n"
        "gc.callbacks.append(lambda phase, info: seen.append(phase) if phase == 'start' else None)\n"
        "import factcli.cli\n"
        "print(len(seen) > 0, file=sys.stderr)\n"
    )
    assert in_fresh_interpreter(code)[1] == ["True"]


def test_importing_the_command_line_leaves_the_collector_as_it_was():
    """A program or a test that imports factcli.cli keeps its collector: only the program pauses it."""
    code = "import gc, sys\nimport factcli.cli\nprint(gc.isenabled(), gc.get_freeze_count(), file=sys.stderr)"
    assert in_fresh_interpreter(code)[1] == ["True", "0"]


def test_python_m_factcli_runs_the_program():
    result = subprocess.run([sys.executable, "-m", "factcli", "--version"], capture_output=True, text=True)
    assert (result.returncode, result.stdout.strip()) == (0, f"facts, version {__import__('factcli').__version__}")
