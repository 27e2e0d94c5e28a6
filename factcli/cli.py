"""The facts command line: click commands only; answers come from query, drawing from render."""

import functools
import os
import sys

import click

from . import __version__, query, render
from .model import KINDS
from .store import StoreError, load, store_path

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
YEAR = click.IntRange(1900, 2100)
EXIT_CODES = """\b
Exit codes: 0 an answer (even an empty one), 1 an error (store missing,
corrupt or invalid; unknown id; failed check), 2 a usage error."""


def _db_from_context(ctx):
    return ctx.meta.get("facts.db")


def _remember_db(ctx, param, value):
    if value is not None:
        ctx.meta["facts.db"] = value
    return value


def db_option(fn):
    """--db PATH, accepted on the group and on each command (the command's wins)."""
    return click.option(
        "--db",
        type=click.Path(dir_okay=False),
        expose_value=False,
        callback=_remember_db,
        is_eager=True,
        help="Store to read instead of the bundled one (or set FACTS_DB).",
    )(fn)


def output_options(fn):
    """--format text|json|jsonl|csv and its shorthand --json, shared by every query command."""

    @click.option(
        "--format",
        "fmt",
        type=click.Choice(render.FORMATS),
        default=None,
        help="Output format: text for a person (default), json, jsonl or csv for scripts.",
    )
    @click.option("json_", "--json", is_flag=True, help="Same as --format json.")
    @functools.wraps(fn)
    def wrapper(*args, fmt, json_, **kwargs):
        if json_ and fmt not in (None, "json"):
            raise click.UsageError(f"--json conflicts with --format {fmt}")
        return fn(*args, fmt="json" if json_ else (fmt or "text"), **kwargs)

    return wrapper


def retracted_option(fn):
    return click.option(
        "--include-retracted", is_flag=True, help="Also show facts that were retracted, marked as such."
    )(fn)


def open_store():
    """The store named by --db, FACTS_DB or the bundled one, loaded and validated."""
    return load(store_path(_db_from_context(click.get_current_context())))


def errors_as_messages(fn):
    """Turn the core's exceptions into one line on stderr and exit 1, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except query.NotFound as error:
            hint = f"; did you mean: {', '.join(error.suggestions)}?" if error.suggestions else ""
            raise click.ClickException(f"{error}{hint}") from None
        except StoreError as error:
            raise click.ClickException(str(error)) from None

    return wrapper


def answer(result, fmt):
    """Notes to stderr (so stdout stays parseable), the answer to stdout."""
    for note in getattr(result, "notes", []):
        click.echo(render.literal(note), err=True)
    render.emit(result, fmt)


def complete_from_store(what):
    def complete(ctx, param, incomplete):
        try:
            store = load(store_path(ctx.meta.get("facts.db")))
        except StoreError:
            return []
        values = query.values_for_completion(store, what)
        return [v for v in values if query.fold(v).startswith(query.fold(incomplete))]

    return complete


@click.group(context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES)
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


@cli.command(epilog=EXIT_CODES)
@click.option("--year", type=YEAR, help="Judgments in force during this year.")
@click.option("--area", shell_complete=complete_from_store("area"), help="Only grades for areas matching this text.")
@retracted_option
@output_options
@db_option
@errors_as_messages
def rating(year, area, include_retracted, fmt):
    """Ofsted judgments: every one, or those in force during a year.

    Without --year: every judgment in date order, with a strip showing the
    overall grade in force each year. With --year: the latest judgment made
    on or before the end of that year (carried forward), plus any made in it.

    \b
    Example:
        facts rating --year 2019
    """
    answer(query.rating(open_store(), year=year, area=area, include_retracted=include_retracted), fmt)


@cli.command(epilog=EXIT_CODES)
@click.option(
    "--role",
    shell_complete=complete_from_store("role"),
    help="Role as the sources word it, by word or phrase (minister, director, leader, dcs).",
)
@click.option("--name", help="Part of a person's name.")
@click.option("--year", type=YEAR, help="Only people whose tenure covers this year.")
@retracted_option
@output_options
@db_option
@errors_as_messages
def who(role, name, year, include_retracted, fmt):
    """People and their roles, with tenures.

    A tenure runs from a stated start (or the earliest date the sources place
    the person in the role) to a stated end, or else until the next recorded
    holder of the same role; an open tenure shows when it was last on record.

    \b
    Example:
        facts who --role minister
        facts who --role dcs --year 2021
    """
    answer(
        query.who(open_store(), role=role, name=name, year=year, include_retracted=include_retracted),
        fmt,
    )


@cli.command(epilog=EXIT_CODES)
@click.option("--from", "start", type=YEAR, help="First year to include.")
@click.option("--to", "end", type=YEAR, help="Last year to include.")
@click.option("--kind", type=click.Choice(list(KINDS)), help="Only facts of this kind.")
@click.option("--undated", is_flag=True, help="Also list facts with no date, at the end.")
@retracted_option
@output_options
@db_option
@errors_as_messages
def timeline(start, end, kind, undated, include_retracted, fmt):
    """Every dated fact in date order.

    A partial date sorts before fuller dates of the same period (2019
    before 2019-01 before 2019-01-05).

    \b
    Example:
        facts timeline --from 2019 --to 2021 --kind intervention
    """
    if start is not None and end is not None and start > end:
        raise click.BadParameter(f"--from {start} is after --to {end}", param_hint="--from")
    answer(
        query.timeline(
            open_store(), start=start, end=end, kind=kind, undated=undated, include_retracted=include_retracted
        ),
        fmt,
    )


@cli.command(epilog=EXIT_CODES)
@click.argument("text", default="")
@click.option("--kind", type=click.Choice(list(KINDS)), help="Only facts of this kind.")
@retracted_option
@output_options
@db_option
@errors_as_messages
def search(text, kind, include_retracted, fmt):
    """Facts containing every word of TEXT, in claims, fields, names or quotes.

    Case and accents are ignored. Claim matches rank above field matches,
    which rank above quote matches; then oldest first. No TEXT lists every fact.

    \b
    Example:
        facts search "chronic neglect"
    """
    answer(query.search(open_store(), text, kind=kind, include_retracted=include_retracted), fmt)


@cli.command(epilog=EXIT_CODES)
@click.argument("fact_id", metavar="ID", shell_complete=complete_from_store("id"))
@retracted_option
@output_options
@db_option
@errors_as_messages
def show(fact_id, include_retracted, fmt):
    """One fact, whole, with every citation and its source.

    \b
    Example:
        facts show rating-2019-01-overall-inadequate
    """
    answer(query.show(open_store(), fact_id, include_retracted=include_retracted), fmt)


@cli.command(epilog=EXIT_CODES)
@retracted_option
@output_options
@db_option
@errors_as_messages
def sources(include_retracted, fmt):
    """The source documents, with how many facts cite each.

    \b
    Example:
        facts sources --format csv
    """
    answer(query.sources(open_store(), include_retracted=include_retracted), fmt)


@cli.command(epilog=EXIT_CODES)
@db_option
@errors_as_messages
def validate():
    """Check the store against the schema; list every problem.

    Checks required fields and types, unique ids and claims, kinds, ISO
    dates, that every cited source exists and that no quote is empty.

    \b
    Example:
        facts validate
    """
    path = store_path(_db_from_context(click.get_current_context()))
    result = query.validate(path)
    for problem in result.problems:
        click.echo(render.literal(str(problem)))
    if result.problems:
        count = len(result.problems)
        raise click.ClickException(f"{count} problem{'s' if count != 1 else ''} in {path}")
    click.echo(f"OK: {result.facts} facts, {result.sources} sources, {result.citations} citations in {path}")


@cli.command(epilog=EXIT_CODES)
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
    """Check that every quote occurs in its source's text.

    Compares after Unicode NFKC, straight quotes, one kind of dash and
    collapsed whitespace, so only a change of words is a miss.

    \b
    Example:
        facts verify --sources ../shared/seeds
    """
    path = store_path(_db_from_context(click.get_current_context()))
    result = query.verify(path, folder)
    for miss in result.misses:
        click.echo(render.literal(f"{miss.fact_id} [{miss.source_id}]: {miss.reason}: “{miss.quote}”"))
    if result.misses:
        count = len(result.misses)
        raise click.ClickException(f"{count} of {result.citations} quotes not found in {folder}")
    click.echo(f"OK: all {result.citations} quotes found in {result.sources} sources under {folder}")


def main():
    """Console entry point: a closed pipe (facts timeline | head) ends quietly."""
    try:
        cli()
    except BrokenPipeError:
        # Point stdout at devnull so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
