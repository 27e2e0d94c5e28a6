"""Long text answers through a pager on a terminal, as git does; never when stdout is piped."""

import os
import sys


def pager_command(no_pager=False):
    """FACTS_PAGER, else PAGER, else less; None when paging is off, empty or stdout is not a terminal."""
    if no_pager or not sys.stdout.isatty():
        return None
    command = os.environ.get("FACTS_PAGER", os.environ.get("PAGER", "less"))
    return command if command.strip() and command.strip() != "cat" else None


def terminal_rows():
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).lines
    except (AttributeError, ValueError, OSError):
        return 24


def page(text, command):
    """Show text through the pager command (a shell command line, as git runs PAGER); when the
    shell cannot find or run it, print text instead and say so, so no answer is lost."""
    import subprocess  # only a paged answer pays for it

    # As git does: less quits if the text fits, keeps colour and leaves the screen as it was.
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
    try:
        process = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    except OSError:
        sys.stdout.write(text)
        return
    errors = b""
    try:
        _, errors = process.communicate(text.encode("utf-8", "replace"))
    except BrokenPipeError:
        process.wait()  # the reader quit the pager before the end, or it never started
    except KeyboardInterrupt:
        process.wait()
    # 126 and 127: the shell's own "cannot run" and "not found".
    if process.returncode in (126, 127):
        sys.stdout.write(text)
        sys.stdout.flush()
        sys.stderr.write(f"facts: the pager {command!r} could not be run; the answer is printed instead\n")
    elif errors:
        sys.stderr.buffer.write(errors)
