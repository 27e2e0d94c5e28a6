"""The facts command line: click commands only; answers come from query, drawing from render."""

import functools
import os
import sys

import click

from . import __version__

# Everything else of the package is imported inside the functions that use it:
# `facts --help` and `facts --version` then cost little more than importing click.


def terminal_width():
    """Columns for help text. click asks shutil, whose import costs more than the rest of --help."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 80


CONTEXT_SETTINGS = {
    "help_option_names": ["-h", "--help"],
    "max_content_width": 100,
    "terminal_width": terminal_width(),
}
YEAR = click.IntRange(1900, 2100)
FORMATS = ("text", "json", "jsonl", "csv")


class KindChoice(click.Choice):
    """The kinds of the schema, looked up only when an option is parsed, completed or helped."""

    def __init__(self):
        super().__init__(())

    @property
    def choices(self):
        from .model import KINDS

        return tuple(KINDS)

    @choices.setter
    def choices(self, value):
        pass  # click.Choice.__init__ assigns them; they come from the schema instead


def say(text, err=False):
    """Echo text from the store or the user with control characters made visible."""
    from .render import literal

    click.echo(literal(text), err=err)


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
        type=click.Choice(FORMATS),
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


def shown_path(path):
    """A path as a person would type it: relative when it is under the working directory."""
    relative = os.path.relpath(path)
    return relative if not relative.startswith("..") else str(path)


def store_location():
    """The store named by --db, FACTS_DB or the bundled one."""
    from .store import store_path

    return store_path(_db_from_context(click.get_current_context()))


def open_store():
    """The store named by --db, FACTS_DB or the bundled one, loaded and validated."""
    from .store import load

    return load(store_location())


def errors_as_messages(fn):
    """Turn the core's errors into one line on stderr and exit 1, never a traceback;
    a refused change lists each of its problems above that line."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from .model import FactsError

        try:
            return fn(*args, **kwargs)
        except FactsError as error:
            for problem in error.problems:
                say(f"  - {problem}", err=True)
            hint = f"; did you mean: {', '.join(error.suggestions)}?" if error.suggestions else ""
            raise click.ClickException(f"{error}{hint}") from None

    return wrapper


def answer(result, fmt):
    """Notes to stderr (so stdout stays parseable), the answer to stdout."""
    from .render import emit

    for note in getattr(result, "notes", []):
        say(note, err=True)
    emit(result, fmt)


def complete_from_store(what):
    def complete(ctx, param, incomplete):
        from . import query
        from .store import StoreError, load, store_path

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
    from . import query

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
    from . import query

    answer(
        query.who(open_store(), role=role, name=name, year=year, include_retracted=include_retracted),
        fmt,
    )


@cli.command(epilog=EXIT_CODES)
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
    from . import query

    answer(
        query.timeline(
            open_store(), start=start, end=end, kind=kind, undated=undated, include_retracted=include_retracted
        ),
        fmt,
    )


@cli.command(epilog=EXIT_CODES)
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
    from . import query

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
    from . import query

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
    from . import query

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
    from . import query

    path = store_location()
    result = query.validate(path)
    for problem in result.problems:
        say(str(problem))
    if result.problems:
        count = len(result.problems)
        raise click.ClickException(f"{count} problem{'s' if count != 1 else ''} in {shown_path(path)}")
    click.echo(
        f"OK: {result.facts} facts, {result.sources} sources, {result.citations} citations"
        f" in {shown_path(path)}"
    )


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
    from . import query

    path = store_location()
    result = query.verify(path, folder)
    for miss in result.misses:
        say(f"{miss.fact_id} [{miss.source_id}]: {miss.reason}: “{miss.quote}”")
    if result.misses:
        count = len(result.misses)
        raise click.ClickException(f"{count} of {result.citations} quotes not found in {folder}")
    click.echo(f"OK: all {result.citations} quotes found in {result.sources} sources under {folder}")


# --- curation ---------------------------------------------------------------------------


def dry_run_option(fn):
    """--dry-run, on every command that writes."""
    return click.option("--dry-run", is_flag=True, help="Print what would be written; change nothing.")(fn)


def curation_options(fn):
    """--dry-run and --sources DIR, shared by the commands that write quotes or source files."""
    fn = click.option(
        "--sources",
        "sources_dir",
        envvar="FACTS_SOURCES",
        type=click.Path(exists=True, file_okay=False),
        help="Folder of source texts: new or changed quotes must be found there (or set FACTS_SOURCES).",
    )(fn)
    return dry_run_option(fn)


def _report(change):
    if change.written:
        click.echo(f"{change.action}: {change.record['id']} in {shown_path(change.path)}")
    else:
        import json

        from .render import write_utf8

        write_utf8(json.dumps(change.record, indent=2, ensure_ascii=False) + "\n")
        note = "no change" if change.action == "unchanged" else f"dry run: {change.action} not written"
        click.echo(note, err=True)


def _read_document(from_file, flags_given):
    """The JSON object from --from FILE (- for stdin), or from piped stdin when no flags are given."""
    from . import curate

    if from_file is None and (flags_given or sys.stdin.isatty()):
        return None
    if flags_given:
        raise click.UsageError("give the fact either as flags or as JSON (--from / stdin), not both")
    origin = "stdin" if from_file in (None, "-") else from_file
    try:
        if origin == "stdin":
            text = sys.stdin.read()
        else:
            with open(from_file, encoding="utf-8") as handle:
                text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise click.ClickException(f"cannot read {origin}: {getattr(error, 'strerror', None) or error}") from None
    if not text.strip():
        raise click.UsageError("no input: give flags, --from FILE, or a JSON object on stdin")
    try:
        return curate.parse_json_document(text, origin)
    except ValueError as error:
        raise click.ClickException(str(error)) from None


@cli.command(epilog=EXIT_CODES)
@click.option("--kind", type=KindChoice(), help="Kind of fact.")
@click.option("--claim", help="One self-contained sentence: who, what, when.")
@click.option("--date", help="ISO 8601 date, partial allowed: 2019, 2019-02, 2019-02-14.")
@click.option("--date-note", help="How the date was worked out, when it is not printed plainly.")
@click.option("--id", "fact_id", help="Id (a slug); derived from the claim when not given.")
@click.option("--source", help="Source id of the first citation.")
@click.option("--quote", help="Verbatim quote from that source.")
@click.option("--field", "fields", multiple=True, metavar="KEY=VALUE", help="A field of the kind (repeatable).")
@click.option("--cite", "cites", multiple=True, metavar="SOURCE_ID:QUOTE", help="Another citation (repeatable).")
@click.option("--from", "from_file", metavar="FILE", help="Read the fact as JSON from FILE (- for stdin).")
@curation_options
@db_option
@errors_as_messages
def add(kind, claim, date, date_note, fact_id, source, quote, fields, cites, from_file, sources_dir, dry_run):
    """Add one fact, validated before it is written.

    Give the fact as flags, or as JSON (the shape `facts show ID --json`
    prints; answer-only keys are ignored) with --from FILE or on stdin.

    \b
    Example:
        facts add --kind figure --claim "Blackpool had 441 children in care in 2015." \\
          --date 2015 --source gazette-2015-back-on-track \\
          --quote "Today, we have 441 children in care in Blackpool." \\
          --field value=441 --field unit=children --field measure="children in care"
        facts show some-fact --json | facts add --dry-run
    """
    from . import curate

    flags = (kind, claim, date, date_note, fact_id, source, quote)
    document = _read_document(from_file, any(v is not None for v in flags) or fields or cites)
    if document is None:
        try:
            document = curate.document_from_options(
                kind, claim, date, date_note, fact_id, source, quote, fields, cites
            )
        except ValueError as error:
            raise click.UsageError(str(error)) from None
    _report(curate.add_fact(store_location(), document, sources_dir=sources_dir, dry_run=dry_run))


@cli.command("add-source", epilog=EXIT_CODES)
@click.option("--id", "source_id", help="Short slug, e.g. gazette-2025-new-report.")
@click.option("--title", help="Headline or title as printed.")
@click.option("--publisher", help="Publisher as the text shows it.")
@click.option("--published", help="ISO 8601 date, partial allowed.")
@click.option("--published-note", help="How the date was established, when inferred.")
@click.option("--file", "file_name", help="Name of the text file in the sources folder.")
@click.option("--from", "from_file", metavar="FILE", help="Read the source as JSON from FILE (- for stdin).")
@curation_options
@db_option
@errors_as_messages
def add_source(source_id, title, publisher, published, published_note, file_name, from_file, sources_dir, dry_run):
    """Add one source document.

    \b
    Example:
        facts add-source --id gazette-2025-report --title "New report" \\
          --publisher "Blackpool Gazette" --published 2025-01 --file 005_report.txt
    """
    from . import curate

    flags = {
        "id": source_id,
        "title": title,
        "publisher": publisher,
        "published": published,
        "published_note": published_note,
        "file": file_name,
    }
    document = _read_document(from_file, any(v is not None for v in flags.values()))
    change = curate.add_source(
        store_location(), flags if document is None else document, sources_dir=sources_dir, dry_run=dry_run
    )
    _report(change)


@cli.command(epilog=EXIT_CODES)
@click.argument("fact_id", metavar="ID", shell_complete=complete_from_store("id"))
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE", help="Change one field (repeatable).")
@curation_options
@db_option
@errors_as_messages
def edit(fact_id, assignments, sources_dir, dry_run):
    """Edit a fact in $EDITOR as JSON, or change fields with --set.

    The result is validated before it is written; if it is invalid the
    problems are shown and the editor can be re-opened.

    \b
    Example:
        facts edit rating-2019-01-overall-inadequate
        facts edit role-vicky-gent-director-of-childrens-services --set start=2021-07
    """
    from . import curate

    path = store_location()
    if assignments:
        try:
            pairs = [curate.split_assignment(a, "--set") for a in assignments]
        except ValueError as error:
            raise click.UsageError(str(error)) from None
        _report(curate.edit_fact(path, fact_id, assignments=pairs, sources_dir=sources_dir, dry_run=dry_run))
        return
    before = curate.current_fact(path, fact_id)
    import json

    text = json.dumps(before, indent=2, ensure_ascii=False) + "\n"
    while True:
        edited = click.edit(text, extension=".json")
        if edited is None:
            click.echo("no change", err=True)
            return
        try:
            document = curate.parse_json_document(edited, "edited fact")
            change = curate.edit_fact(
                path, fact_id, document, expected=before, sources_dir=sources_dir, dry_run=dry_run
            )
        except (ValueError, curate.Refused) as error:
            for problem in getattr(error, "problems", None) or [str(error)]:
                say(f"  - {problem}", err=True)
            if click.confirm("Re-open the editor?", default=True, err=True):
                text = edited
                continue
            raise click.ClickException("edit abandoned; nothing written") from None
        _report(change)
        return


@cli.command(epilog=EXIT_CODES)
@click.argument("fact_id", metavar="ID", shell_complete=complete_from_store("id"))
@click.option("--reason", required=True, help="Why the fact is withdrawn.")
@dry_run_option
@db_option
@errors_as_messages
def retract(fact_id, reason, dry_run):
    """Withdraw a fact: it is kept, marked retracted with the reason and date.

    Retracted facts are left out of every answer unless --include-retracted
    is given.

    \b
    Example:
        facts retract some-fact-id --reason "The source corrected this figure."
    """
    from . import curate

    _report(curate.retract_fact(store_location(), fact_id, reason, dry_run=dry_run))


def main():
    """Console entry point: a closed pipe (facts timeline | head) ends quietly."""
    try:
        # The same name (and completion variable, _FACTS_COMPLETE) for `facts` and `python -m factcli`.
        cli(prog_name="facts")
    except BrokenPipeError:
        # Point stdout at devnull so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
