"""The facts command line: click commands only; answers come from query, drawing from render.

Commands live in one module per group as people use them (ask, curate, check, publish and
script), and --help lists them in those sections; options shared between them are defined
once in options.
"""

import os
import sys

import click

from .. import __version__
from . import ask, check, curation, publish, scripting
from .options import CONTEXT_SETTINGS, EXIT_CODES, LiteralErrors, db_option

# Everything else of the package is imported inside the functions that use it:
# `facts --help` and `facts --version` then cost little more than importing click.


@click.group(cls=LiteralErrors, context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES)
@click.version_option(__version__, "--version", prog_name="facts")
@db_option
def cli():
    """Answers about Blackpool Council's children's services since 2012, each with its citation.

    Every answer comes from a curated store of facts; each fact quotes the
    source documents that make the claim.

    \b
    Examples:
        facts rating --year 2019
        facts who --role minister
        facts rating --json | jq '.[].judgment'
    """


for module, section in (
    (ask, "Ask"),
    (curation, "Curate"),
    (check, "Check"),
    (publish, "Publish and script"),
    (scripting, "Publish and script"),
):
    for command in vars(module).values():
        if isinstance(command, click.Command):
            command.section = section
            cli.add_command(command)


def main():
    """Console entry point: a closed pipe (facts timeline | head) ends quietly."""
    try:
        # The same name (and completion variable, _FACTS_COMPLETE) for `facts` and `python -m factcli`.
        cli(prog_name="facts")
    except BrokenPipeError:
        # Point stdout at devnull so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
