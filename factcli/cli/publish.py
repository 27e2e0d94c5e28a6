"""Commands that publish the store for people to read and pass on: brief, site, export."""

import os

import click

from .options import YEAR, command, db_option, errors_as_messages, open_store, say, shown_path, store_location, today


@command()
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
        raise click.UsageError(f"--from {start} is after --to {end}")
    from ..output.formats import write_utf8
    from ..publish import brief as briefing

    composed = briefing.compose(open_store(), today(), start=start, end=end, topic=topic)
    if composed.empty:
        say(composed.empty, err=True)
    write_utf8(briefing.markdown(composed) if fmt == "markdown" else briefing.html(composed))


@command()
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False))
@db_option
@errors_as_messages
def site(directory):
    """Write a static website of the store into DIR: open DIR/index.html.

    Plain HTML with relative links: no server and no script, so it works from
    file:// or any web host. An index with the rating history drawn as
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


@command()
@click.argument("out", metavar="[OUT]", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("annotations", "csl", "jsonl", "json", "sqlite")),
    required=True,
    help="annotations: W3C Web Annotations of every quote; csl: CSL-JSON of every source; "
    "jsonl: every fact, one a line; json: the whole store as a JSON store file; "
    "sqlite: a database for Datasette or SQL (needs OUT).",
)
@click.option(
    "--metadata",
    "metadata_file",
    type=click.Path(dir_okay=False),
    help="With sqlite: write the Datasette metadata here instead of beside OUT as NAME.metadata.json.",
)
@click.option("--force", is_flag=True, help="Replace OUT (and the metadata file) if it exists.")
@db_option
@errors_as_messages
def export(out, fmt, metadata_file, force):
    """Export the store for other tools: to OUT, or to stdout (no OUT, or -).

    \b
    annotations  a JSON-LD AnnotationCollection (W3C Web Annotation Data
                 Model): one annotation per quote of a fact (its claim and
                 id) or of a conflict (its note); text quote and position
                 selectors on the source's url, or on ni:///sha-256;... of
                 its text file. Retracted facts are left out.
    csl          CSL-JSON, one item per source, for reference managers; a
                 date the text does not print is issued "circa".
    jsonl        every fact, retracted ones too, as `facts show ID --json`
                 prints it: what `facts add --from` takes back.
    json         the store itself as a JSON store file (TinyDB's, sorted
                 and indented), whichever kind it is: a SQLite store made
                 with facts init --from comes back byte for byte.
    sqlite       tables facts, sources, citations, conflicts and
                 conflict_facts, full-text search over claims and quotes,
                 and Datasette metadata (canned queries) beside OUT.

    OUT is never written over without --force, never through a symbolic
    link, and never half-written.

    \b
    Example:
        facts export --format csl > sources.json
        facts export --format sqlite facts.db
        datasette facts.db -m facts.metadata.json
    """
    out = None if out == "-" else out  # - is stdout, as for --from
    if fmt == "sqlite" and out is None:
        raise click.UsageError("--format sqlite needs OUT, the database file to write")
    if metadata_file is not None and fmt != "sqlite":
        raise click.UsageError("--metadata applies only to --format sqlite")
    if force and out is None:
        raise click.UsageError("--force applies only when writing to OUT")
    from ..publish import export as exporting

    if fmt != "sqlite":
        # The store file itself is read for json, not loaded for questions.
        texts = (lambda: exporting.store_file_pieces(store_location())) if fmt == "json" else (lambda: exporting.pieces(open_store(), fmt))
        if out is None:
            from ..output.formats import write_utf8

            for piece in exporting.batched(texts()):
                write_utf8(piece)
        else:
            exporting.write_pieces(texts, out, force)
            say(f"Wrote {fmt} to {shown_path(out)}")
        return
    from ..publish import database

    metadata_file = metadata_file or database.metadata_path(out)
    if os.path.abspath(metadata_file) == os.path.abspath(out):
        raise click.UsageError("--metadata must name another file than OUT")
    found = database.write(open_store(), out, today(), metadata_file, force)
    import shlex

    browse = f"datasette {shlex.quote(shown_path(out))} -m {shlex.quote(shown_path(metadata_file))}"
    from ..output.wording import counted

    counts = ", ".join(counted(found[noun + "s"], noun) for noun in ("fact", "source", "citation", "conflict"))
    say(f"Wrote {shown_path(out)} ({counts}) and {shown_path(metadata_file)}; browse it with: {browse}")
