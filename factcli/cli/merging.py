"""The merge command: two stores grown from one base merged by record id, as git's merge driver."""

import click

from .options import command, dry_run_option, errors_as_messages, say, shown_path

MERGE_EXIT_CODES = """\b
Exit codes: 0 merged cleanly, 1 clashes (the merged store is written,
theirs' side of each clash beside it) or an input that is not a valid
store (nothing written), 2 a usage error, 130 interrupted (Ctrl-C)."""

# Enough of a value to tell the two sides apart on one line.
SHOWN_VALUE = 60


def _shown(value):
    from ..curation.merge import ABSENT
    from ..output.escape import json_text

    if value is ABSENT:
        return "(none)"
    text = json_text(value)
    return text if len(text) <= SHOWN_VALUE else text[: SHOWN_VALUE - 1] + "…"


def clash_line(clash):
    """One line for one clash: what, which field, ours, theirs."""
    from ..curation.merge import RECORD_NAMES

    what = f"{RECORD_NAMES.get(clash.table, clash.table)} {clash.record_id}"
    if clash.field is None:
        return f"{what}: {clash.reason}"
    return f"{what}, {clash.field}: ours {_shown(clash.ours)}, theirs {_shown(clash.theirs)}"


@command(epilog=MERGE_EXIT_CODES)
@click.argument("base", type=click.Path(dir_okay=False))
@click.argument("ours", type=click.Path(dir_okay=False))
@click.argument("theirs", type=click.Path(dir_okay=False))
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@dry_run_option
@errors_as_messages
def merge(base, ours, theirs, path, dry_run):
    """Merge THEIRS into OURS, two stores grown from BASE; the result replaces OURS.

    Records are matched by id, never by TinyDB's document id, so both sides'
    new facts, sources and conflicts are kept. A record changed on one side
    takes that change; changed on both, it merges field by field. Where both
    changed one field differently, or one deleted what the other changed,
    ours is kept, each clash is listed on stderr, and theirs' side is written
    to NAME.theirs.json beside PATH (or beside OURS): the merged store always
    validates and nothing is lost. See docs/curating-with-git.md.

    For git, PATH is %P, where the merged store goes; a criss-cross history's
    common ancestors are best merged as binary, so that a clash met twice is
    reported again:

    \b
    Example:
        git config merge.facts.driver "facts merge %O %A %B %P"
        git config merge.facts.recursive binary
        echo "data/facts.json merge=facts" >> .gitattributes
    """
    from ..curation.merge import merge_files

    outcome = merge_files(base, ours, theirs, path, dry_run=dry_run)
    if dry_run:
        from ..output.escape import json_text
        from ..output.formats import write_utf8

        write_utf8(json_text(outcome.tables, indent=2) + "\n")
    for clash in outcome.clashes:
        say(clash_line(clash), err=True)
    if outcome.clashes:
        count = len(outcome.clashes)
        kept, side = ("would be kept", "theirs' side would go") if dry_run else ("kept", "theirs' side")
        raise click.ClickException(
            f"{count} clash{'es' if count != 1 else ''}: ours {kept} in {shown_path(path or ours)},"
            f" {side} in {shown_path(outcome.theirs_file)}"
        )
    if dry_run:
        click.echo("dry run: merge not written", err=True)
