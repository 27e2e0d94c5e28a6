"""The facts command line: click commands only; answers come from query, drawing from render.

Commands live in one module per group as people use them (ask, curate, check, publish and
script), and --help lists them in those sections; options shared between them are defined
once in options.
"""

import gc
import os
import sys

import click

from .. import __version__
from .options import CONTEXT_SETTINGS, EXIT_CODES, LiteralErrors, db_option, no_pager_option, version_option

# Every command: the module that defines it (imported only when the command is used, so a
# question never pays for the curation commands' options, and --help for none), the section of
# --help it is in, and the first paragraph of its help, which --help shows (a test checks that
# each is the command's own).
COMMANDS = {
    "ask": ("ask", "Ask", "Answer a question in plain English, showing the command it runs."),
    "rating": ("ask", "Ask", "Inspection judgments: every one, or those in force during a year."),
    "who": ("ask", "Ask", "People and their roles, with tenures."),
    "timeline": ("ask", "Ask", "Every dated fact in date order."),
    "search": ("ask", "Ask", "Facts matching every word of TEXT, most relevant first."),
    "show": ("ask", "Ask", "One fact, whole, with every citation and its source; or one conflict."),
    "sources": ("ask", "Ask", "The source documents, with how many facts cite each."),
    "conflicts": ("ask", "Ask", "Where the sources disagree, with each other or with themselves."),
    "init": ("curation", "Curate", "Create a store of your own at PATH: a copy of the bundled store, or empty."),
    "add": ("curation", "Curate", "Add facts, validated before they are written: one from flags, or many as JSON."),
    "add-source": ("curation", "Curate", "Add one source document; with --sources, its file must be there and is fingerprinted."),
    "add-conflict": ("curation", "Curate", "Record where sources disagree, or a caution: the facts it touches, a note, and the quotes."),
    "edit": ("curation", "Curate", "Edit a fact, a conflict or a source in $EDITOR as JSON, or change fields with --set."),
    "retract": ("curation", "Curate", "Withdraw a fact or a conflict: it is kept, marked retracted with the reason and date."),
    "anchor": ("curation", "Curate", "Anchor every quote in its source's text and fingerprint every source."),
    "draft": ("curation", "Curate", "Propose candidate facts from an article's text; nothing is written."),
    "quote": ("curation", "Curate", "Find the exact words of a source closest to TEXT, with their anchor."),
    "cite": ("curation", "Curate", "Add a citation to an existing fact or conflict: another source saying the same."),
    "restore": ("curation", "Curate", "Undo a retraction of a fact or a conflict: it is in answers again, its history keeps both."),
    "rename": ("curation", "Curate", "Give a fact or a conflict a new id; every conflict naming a renamed fact follows."),
    "log": ("curation", "Curate", "Curation changes, oldest first, of facts, conflicts and sources: each added, edited, cited, retracted, restored and renamed, and for an edit each field with its value before and after."),
    "merge": ("merging", "Curate", "Merge THEIRS into OURS, two stores grown from BASE; the result replaces OURS."),
    "validate": ("check", "Check", "Check the store against the schema; list every problem."),
    "verify": ("check", "Check", "Check each source text against its fingerprint, then each quote (of facts and conflicts) at its anchor."),
    "where": ("check", "Check", "Which store the commands use, where that choice came from, whether curation may write it, and where its derived index is."),
    "meta": ("check", "Check", "What the store is about: its title, subject, inspectorate, grade scale and words."),
    "brief": ("publish", "Publish and script", "A briefing to paste or send: the facts in date order, grouped by year."),
    "site": ("publish", "Publish and script", "Write a static website of the store into DIR: open DIR/index.html."),
    "export": ("publish", "Publish and script", "Export the store for other tools: to OUT, or to stdout (no OUT, or -)."),
    "batch": ("scripting", "Publish and script", "Answer many questions in one process: one request per line on stdin."),
    "schema": ("scripting", "Publish and script", "The JSON Schema (draft 2020-12) of a query command's --json output."),
}

# Everything else of the package is imported inside the functions that use it:
# `facts --help` and `facts --version` then cost little more than importing click.


@click.group(cls=LiteralErrors, lazy_commands=COMMANDS, context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES)
@version_option(__version__)
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
    try:
        # The C half of the signal module, which is all this needs: the module itself builds
        # enums of every signal, half a millisecond of every command.
        from _signal import SIGTERM, signal
    except ImportError:  # an interpreter without it
        from signal import SIGTERM, signal

    signal(SIGTERM, _terminated)
    try:
        # The same name (and completion variable, _FACTS_COMPLETE) for `facts` and `python -m factcli`.
        cli(prog_name="facts")
    except BrokenPipeError:
        # Point stdout at devnull so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    finally:
        # The command is done and the process about to end: none of its objects needs the cycle
        # collector any more, whose passes over every object as the interpreter shuts down took
        # a tenth of each command's time. Frozen, they are skipped; the shutdown itself (flushing
        # output, atexit) runs as before. Nothing left to a collection matters then: a write is
        # committed, closed and renamed into place by the command itself (storage), and what a
        # question may leave open, such as a read-only connection to an index, the operating
        # system closes with the process.
        gc.freeze()
