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
    requested_limit,
    retracted_option,
    today,
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
    headline grade in force each year; capital letters mark years in which
    a judgment was made, lower case years it was carried forward into. With
    --year: the latest judgment made on or before the end of that year
    (marked carried forward when made earlier), plus any made in it.

    A judgment is made when it is published, or when inspected where the
    sources give no publication date (the answer says which).

    \b
    Example:
        facts rating --year 2019
    """
    from ..answers import rating as ratings

    answer(ratings.rating(open_store(), today(), year=year, area=area, include_retracted=include_retracted), fmt)


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

    A tenure is shown as the evidence gives it: "on record" from the earliest
    to the latest date the sources place the person in the role (or a stated
    start or end). No end is ever worked out from who came next.

    With --year, a person is listed when the year is within their tenure on
    record, or after it when no end is stated and no later holder of the same
    post is on record (marked "presumed"). For a year between two holders the
    sources do not say who held the post: nobody is listed, and a note names
    the nearest holders on record before and after.

    \b
    Example:
        facts who --role minister
        facts who --role dcs --year 2021
    """
    from ..answers import people

    answer(
        people.who(open_store(), today(), role=role, name=name, year=year, include_retracted=include_retracted),
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
    from ..answers import listing

    answer(
        listing.timeline(
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
    """Facts matching every word of TEXT, most relevant first.

    Looks in claims, quotes and fields (names, roles, ids). Matches other
    forms of a word (invested finds investment), ignores case, accents and
    apostrophes (childrens finds children's); "quoted words" must match as
    a phrase. A word in a claim counts more than one in a quote, which
    counts more than one in a field; then oldest first. No TEXT lists
    every fact. At most 32 words; a word given twice counts once.

    Shows the first 100 matches, and says on stderr how many more there
    are: --limit N shows the first N.

    \b
    Example:
        facts search "chronic neglect"
        facts search '"social workers"' --fields id,match --json
    """
    from ..answers import listing

    limit = requested_limit(listing.SEARCH_LIMIT)
    answer(listing.search(open_store(), text, kind=kind, include_retracted=include_retracted, limit=limit), fmt)


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
    from ..answers import listing

    answer(listing.show(open_store(), fact_id, include_retracted=include_retracted), fmt)


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
    from ..answers import listing

    answer(listing.sources(open_store(), include_retracted=include_retracted), fmt)


@click.command(epilog=EXIT_CODES)
@output_options
@db_option
@errors_as_messages
def conflicts(fmt):
    """Where the sources disagree, with each other or with themselves.

    Each conflict names the facts it touches, says in plain words what
    disagrees, and quotes the disagreeing words. Answers that include such
    a fact flag it with ⚑.

    \b
    Example:
        facts conflicts
        facts conflicts --json | jq '.[].note'
    """
    from ..answers import listing

    answer(listing.conflicts(open_store()), fmt)
