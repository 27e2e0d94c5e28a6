"""Commands that ask the store questions: ask, rating, who, timeline, search, show, sources, conflicts."""

import re

import click

from .options import (
    DATE,
    YEAR,
    KindChoice,
    KindOption,
    OneLineUsageError,
    answer,
    command,
    complete_from_store,
    db_option,
    errors_as_messages,
    open_store,
    output_options,
    requested_limit,
    retracted_option,
    say,
    store_location,
    today,
)


@command()
@click.argument("question", nargs=-1, required=True)
@retracted_option
@output_options
@db_option
@click.pass_context
@errors_as_messages
def ask(ctx, question, include_retracted, fmt):
    """Answer a question in plain English, showing the command it runs.

    The question is read with the store's own words (its posts and their
    aliases, people, rating areas, grades and kinds of fact) and with years
    written out: "last year" or "now" are never counted from today. The
    command it becomes is printed on stderr, so you can run it yourself,
    then its answer on stdout, in any --format (--json prints exactly what
    that command's --json does). A question no command answers exits 2 with
    examples of questions this store answers.

    \b
    Example:
        facts ask "who was the director in 2021?"
        facts ask "what was the verdict in 2019" --json
    """
    from ..answers.ask import NotUnderstood, route
    from ..core.errors import UsageError

    store = open_store()
    # The command a question becomes answers from the store ask read, rather than loading it again.
    ctx.meta["facts.asked"] = (store_location(), store)
    try:
        chosen = route(store, " ".join(question))
    except NotUnderstood as error:
        examples = "".join(f"\n  facts ask {_quoted(example)}" for example in error.examples)
        raise OneLineUsageError(f"{error}{examples}") from None
    command = ctx.find_root().command.get_command(ctx, chosen.command)
    argv = [*chosen.args, *_output_args(ctx, fmt)]
    if include_retracted:
        if not any(param.name == "include_retracted" for param in command.params):
            raise UsageError(f"--include-retracted does not apply to facts {chosen.command}")
        argv.append("--include-retracted")
    say(" ".join(_typed(arg) for arg in ["facts", chosen.command, *argv]), err=True)
    for note in chosen.notes:
        say(note, err=True)
    # A child of the group's context, as if typed: its errors name `facts who`, not `facts ask`.
    with command.make_context(chosen.command, argv, parent=ctx.parent) as routed:
        command.invoke(routed)


def _output_args(ctx, fmt):
    """The output options given to ask, as the routed command takes them."""
    output = ctx.meta.get("facts.output", {})
    args = [] if fmt == "text" else ["--json"] if fmt == "json" else ["--format", fmt]
    if output.get("limit") is not None:
        args += ["--limit", str(output["limit"])]
    if output.get("fields") is not None:
        args += ["--fields", ",".join(output["fields"])]
    args += ["--raw-cells"] * bool(output.get("raw_cells")) + ["--no-pager"] * bool(output.get("no_pager"))
    return args


def _quoted(question):
    """A question as a person would type it in a shell: in double quotes unless it holds what those
    quotes would expand or end."""
    import shlex

    return shlex.quote(question) if re.search(r'[$`"\\!]', question) else f'"{question}"'


def _typed(arg):
    """One word of the printed command as a person would type it: bare when the shell takes it
    so, in double quotes when it holds an apostrophe ("head of the inspector's office")."""
    import shlex

    quoted = shlex.quote(arg)
    return _quoted(arg) if quoted != arg and "'" in arg else quoted


@command()
@click.option("--year", type=YEAR, help="Judgments in force during this year.")
@click.option("--area", shell_complete=complete_from_store("area"), help="Only grades for areas matching this text.")
@retracted_option
@output_options
@db_option
@errors_as_messages
def rating(year, area, include_retracted, fmt):
    """Inspection judgments: every one, or those in force during a year.

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


@command()
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


@command()
@click.option("--year", type=YEAR, help="Only this year (the same as --from YEAR --to YEAR).")
@click.option("--from", "start", type=DATE, help="First year, month or day to include (2019, 2019-07, 2019-07-14).")
@click.option("--to", "end", type=DATE, help="Last year, month or day to include.")
@click.option("--kind", cls=KindOption, type=KindChoice(), help="Only facts of this kind.")
@click.option("--undated", is_flag=True, help="Also list facts with no date, at the end.")
@retracted_option
@output_options
@db_option
@errors_as_messages
def timeline(year, start, end, kind, undated, include_retracted, fmt):
    """Every dated fact in date order.

    A partial date sorts before fuller dates of the same period (2019
    before 2019-01 before 2019-01-05). --from and --to take a year, a month
    or a day; a fact is listed when its date overlaps them: one dated 2019
    is in --from 2019-07, as it may be of July or later (its date says no
    more), as a fact of 2019-07 is in --from 2019.

    \b
    Example:
        facts timeline --year 2012
        facts timeline --from 2019 --to 2021 --kind intervention
        facts timeline --from 2019-07 --to 2019-12-31
    """
    from ..core.dates import date_span

    if year is not None:
        if start is not None or end is not None:
            raise click.UsageError("--year is a year from --from to --to: give one or the other")
        start = end = str(year)
    if start is not None and end is not None and date_span(start)[0] > date_span(end)[1]:
        raise click.UsageError(f"--from {start} is after --to {end}")
    from ..answers import listing

    answer(
        listing.timeline(
            open_store(), start=start, end=end, kind=kind, undated=undated, include_retracted=include_retracted
        ),
        fmt,
    )


@command()
@click.argument("text", default="")
@click.option("--kind", cls=KindOption, type=KindChoice(), help="Only facts of this kind.")
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


@command()
@click.argument("fact_id", metavar="ID", shell_complete=complete_from_store("id"))
@retracted_option
@output_options
@db_option
@errors_as_messages
def show(fact_id, include_retracted, fmt):
    """One fact, whole, with every citation and its source; or one conflict.

    ID may be a conflict's: it is shown as facts conflicts shows it, in the
    same keys.

    \b
    Example:
        facts show some-fact-id
        facts show some-conflict-id --json
        facts show $(facts search neglect --fields id --format csv | sed -n 2p)
    """
    from ..answers import listing

    answer(listing.show(open_store(), fact_id, include_retracted=include_retracted), fmt)


@command()
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


@command()
@retracted_option
@output_options
@db_option
@errors_as_messages
def conflicts(include_retracted, fmt):
    """Where the sources disagree, with each other or with themselves.

    Each conflict names the facts it touches, says in plain words what
    disagrees, and quotes the disagreeing words. Answers that include such
    a fact flag it with ⚑. A retracted conflict flags nothing and is listed
    only with --include-retracted, last.

    \b
    Example:
        facts conflicts
        facts conflicts --json | jq '.[].note'
    """
    from ..answers import listing

    answer(listing.conflicts(open_store(), include_retracted=include_retracted), fmt)
