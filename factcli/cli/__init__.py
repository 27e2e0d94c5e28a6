"""The facts command line: click commands only; answers come from query, drawing from render.

Commands live in one module per group as people use them (ask, curate, check, publish and
script), and --help lists them in those sections; options shared between them are defined
once in options.
"""

import os
import sys

import click

from .. import __version__
from .options import CONTEXT_SETTINGS, EXIT_CODES, LiteralErrors, db_option, no_pager_option

# Every command: the module that defines it (imported only when the command is used, so a
# question never pays for the curation commands' options) and the section of --help it is in.
COMMANDS = {
    **dict.fromkeys(("ask", "rating", "who", "timeline", "search", "show", "sources", "conflicts"), ("ask", "Ask")),
    **dict.fromkeys(
        (
            "init", "add", "add-source", "add-conflict", "edit", "retract", "anchor", "draft", "quote", "cite",
            "restore", "rename", "log",
        ),
        ("curation", "Curate"),
    ),
    "merge": ("merging", "Curate"),
    **dict.fromkeys(("validate", "verify", "where", "meta"), ("check", "Check")),
    **dict.fromkeys(("brief", "site", "export"), ("publish", "Publish and script")),
    **dict.fromkeys(("batch", "schema"), ("scripting", "Publish and script")),
}

# Everything else of the package is imported inside the functions that use it:
# `facts --help` and `facts --version` then cost little more than importing click.


@click.group(cls=LiteralErrors, lazy_commands=COMMANDS, context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES)
@click.version_option(__version__, "--version", prog_name="facts")
@db_option
@no_pager_option
def cli():
    """Answers from a curated store of facts, each with its citation.

    Every fact quotes the source documents that make the claim; facts meta
    says what the store in use is about. facts help COMMAND (or facts COMMAND
    --help) explains a command.

    \b
    Examples:
        facts rating --year 2019
        facts who --role minister
        facts rating --json | jq '.[].judgment'
    """


@cli.command("help", hidden=True)
@click.argument("command", required=False)
@click.pass_context
def help_(ctx, command):
    """Help on COMMAND, as facts COMMAND --help gives it; with none, on facts itself.

    \b
    Example:
        facts help rating
    """
    group = ctx.parent
    if command is None:
        click.echo(group.get_help())
        return
    _, found, _ = group.command.resolve_command(group, [command])
    with found.make_context(command, ["--help"], parent=group, resilient_parsing=True) as sub:
        click.echo(found.get_help(sub))


def _terminated(signum, frame):
    # As Ctrl-C does: the way out runs, and removes what the command had in hand.
    raise SystemExit(128 + signum)


def main():
    """Console entry point: a closed pipe (facts timeline | head) ends quietly, and SIGTERM
    ends the command as Ctrl-C does, removing its temporary files."""
    import signal

    signal.signal(signal.SIGTERM, _terminated)
    try:
        # The same name (and completion variable, _FACTS_COMPLETE) for `facts` and `python -m factcli`.
        cli(prog_name="facts")
    except BrokenPipeError:
        # Point stdout at devnull so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
