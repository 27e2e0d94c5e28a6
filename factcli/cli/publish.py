"""Commands that publish the store for people to read and pass on: brief, site."""

import os

import click

from .options import EXIT_CODES, YEAR, db_option, errors_as_messages, open_store, say, shown_path, today


@click.command(epilog=EXIT_CODES)
@click.option("--from", "start", type=YEAR, help="First year to include.")
@click.option("--to", "end", type=YEAR, help="Last year to include.")
@click.option("--topic", help="Only facts that `facts search TEXT` finds for this text.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("markdown", "html")),
    default="markdown",
    show_default=True,
    help="Markdown with footnotes to paste, or one HTML page to send.",
)
@db_option
@errors_as_messages
def brief(start, end, topic, fmt):
    """A briefing to paste or send: the facts in date order, grouped by year.

    One sentence per fact, each with a footnote that quotes its source (title,
    publisher, date, marked when inferred) and gives the fact id. A date the
    sources give only as a bound reads "by 2021-03" or "after 2018-12"; ⚑ and a
    footnote mark a claim the sources disagree about. Store text is escaped, so
    it cannot add Markdown or HTML of its own. Undated facts are included only
    when no years are given.

    \b
    Example:
        facts brief --from 2021 --to 2021 > brief.md
        facts brief --topic commissioner --format html > commissioner.html
    """
    if start is not None and end is not None and start > end:
        raise click.BadParameter(f"--from {start} is after --to {end}", param_hint="--from")
    from ..output.formats import write_utf8
    from ..publish import brief as briefing

    composed = briefing.compose(open_store(), today(), start=start, end=end, topic=topic)
    if composed.empty:
        say(composed.empty, err=True)
    write_utf8(briefing.markdown(composed) if fmt == "markdown" else briefing.html(composed))


@click.command(epilog=EXIT_CODES)
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False))
@db_option
@errors_as_messages
def site(directory):
    """Write a static website of the store into DIR: open DIR/index.html.

    Plain HTML with relative links: no server and no script, so it works from
    file:// or any web host. An index with the Ofsted rating history drawn as
    a chart (and as a table), a timeline, a page per fact with its quotes in
    context, per source, per person and per post, and the disagreements
    between sources. Every page says what the store is and when it was built
    (FACTS_TODAY pins the date). DIR must be new, empty, or a site written
    before, whose files are replaced; nothing else in it is touched.

    The site is built in a folder beside DIR and swapped in whole, so an
    interrupted build (Ctrl-C, a kill, a full disk) leaves DIR as it was;
    no link inside DIR is ever followed. A store of more than 10,000 facts
    is refused: publish part of it with facts brief.

    \b
    Example:
        facts site public && open public/index.html
    """
    from ..publish import site as website

    pages = website.write(open_store(), directory, today())
    say(f"Wrote {pages} pages to {shown_path(directory)}; open {shown_path(os.path.join(directory, 'index.html'))}")
