"""The facts program: the command line run as a process of its own, by the facts script or python -m factcli."""

import gc


def main():
    """Run the command line, started in a process of its own.

    Importing click and the command line makes tens of thousands of objects that live as long
    as the process, and the cycle collector, run as they are made, walks them again and again:
    2 ms of every command. It is paused while they are made, and they are frozen, so that the
    collections of the command itself skip them. Here rather than in factcli.cli, whose import
    by a program or a test must leave the collector as it was.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        from .cli import main as command_line
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    command_line()
