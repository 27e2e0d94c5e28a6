"""Commands that ask the store questions: rating, who, timeline, search, show, sources."""

import click

from .options import (
    EXIT_CODES,
    YEAR,
    KindChoice,
    answer,
    complete_from_store,
    db_option,
    errors_as_messages,
    open_store,
    output_options,
    retracted_option,
)


@click.command(epilog=EXIT_CODES)
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
    from .. import query

    answer(query.rating(open_store(), year=year, area=area, include_retracted=include_retracted), fmt)


@click.command(epilog=EXIT_CODES)
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
    from .. import query

    answer(
        query.who(open_store(), role=role, name=name, year=year, include_retracted=include_retracted),
        fmt,
    )


@click.command(epilog=EXIT_CODES)
@click.option("--from", "start", type=YEAR, help="First year to include.")
@click.option("--to", "end", type=YEAR, help="Last year to include.")
@click.option("--kind", type=KindChoice(), help="Only facts of this kind.")
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
    from .. import query

    answer(
        query.timeline(
            open_store(), start=start, end=end, kind=kind, undated=undated, include_retracted=include_retracted
        ),
        fmt,
    )


@click.command(epilog=EXIT_CODES)
@click.argument("text", default="")
@click.option("--kind", type=KindChoice(), help="Only facts of this kind.")
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
    from .. import query

    answer(query.search(open_store(), text, kind=kind, include_retracted=include_retracted), fmt)


@click.command(epilog=EXIT_CODES)
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
    from .. import query

    answer(query.show(open_store(), fact_id, include_retracted=include_retracted), fmt)


@click.command(epilog=EXIT_CODES)
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
    from .. import query

    answer(query.sources(open_store(), include_retracted=include_retracted), fmt)
