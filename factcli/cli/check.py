"""Commands that check the store: validate and verify."""

import click

from .options import (
    EXIT_CODES,
    db_option,
    errors_as_messages,
    say,
    shown_path,
    store_location,
)


@click.command(epilog=EXIT_CODES)
@db_option
@errors_as_messages
def validate():
    """Check the store against the schema; list every problem.

    Checks required fields and types, unique ids and claims, kinds, ISO
    dates, that every cited source exists, that no quote is empty, and that
    every conflict names facts and sources that exist.

    \b
    Example:
        facts validate
    """
    from .. import query

    path = store_location()
    result = query.validate(path)
    for problem in result.problems:
        say(str(problem))
    if result.problems:
        count = len(result.problems)
        raise click.ClickException(f"{count} problem{'s' if count != 1 else ''} in {shown_path(path)}")
    say(
        f"OK: {result.facts} facts, {result.sources} sources, {result.conflicts} conflicts,"
        f" {result.citations} citations"
        f" in {shown_path(path)}"
    )


@click.command(epilog=EXIT_CODES)
@click.option(
    "--sources",
    "folder",
    required=True,
    type=click.Path(exists=True, file_okay=False),
    help="Folder holding the source text files.",
)
@db_option
@errors_as_messages
def verify(folder):
    """Check that every quote (of facts and conflicts) occurs in its source's text.

    Compares after Unicode NFKC, straight quotes, one kind of dash and
    collapsed whitespace, so only a change of words is a miss.

    \b
    Example:
        facts verify --sources ../shared/seeds
    """
    from .. import query

    path = store_location()
    result = query.verify(path, folder)
    for miss in result.misses:
        say(f"{miss.fact_id} [{miss.source_id}]: {miss.reason}: “{miss.quote}”")
    if result.misses:
        count = len(result.misses)
        raise click.ClickException(f"{count} of {result.citations} quotes not found in {folder}")
    say(f"OK: all {result.citations} quotes found in {result.sources} sources under {folder}")


# --- curation ---------------------------------------------------------------------------
