"""Commands that change the store: add, add-source, edit and retract."""

import errno
import os
import stat
import sys

import click

from .options import (
    EXIT_CODES,
    KindChoice,
    complete_from_store,
    curation_options,
    db_option,
    dry_run_option,
    errors_as_messages,
    say,
    shown_path,
    store_location,
)


def _report(change):
    if change.written:
        say(f"{change.action}: {change.record['id']} in {shown_path(change.path)}")
    else:
        from ..render import json_text, write_utf8

        write_utf8(json_text(change.record, indent=2) + "\n")
        note = "no change" if change.action == "unchanged" else f"dry run: {change.action} not written"
        click.echo(note, err=True)


def _read_document(from_file, flags_given):
    """The JSON object from --from FILE (- for stdin), or from piped stdin when no flags are given."""
    from .. import curate

    if from_file is None and (flags_given or sys.stdin.isatty()):
        return None
    if flags_given:
        raise click.UsageError("give the fact either as flags or as JSON (--from / stdin), not both")
    origin = "stdin" if from_file in (None, "-") else from_file
    try:
        if origin == "stdin":
            # Like /dev/null, a device such as /dev/zero holds no document (and never ends).
            text = "" if _device(sys.stdin) else sys.stdin.read()
        else:
            with open(from_file, "rb") as handle:
                # A pipe (--from <(...)) or a terminal is read like stdin; anything else must be a file.
                mode = os.fstat(handle.fileno()).st_mode
                if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode) or handle.isatty()):
                    raise OSError(errno.EINVAL, "not a file or a pipe")
                text = handle.read().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise click.ClickException(f"cannot read {origin}: {getattr(error, 'strerror', None) or error}") from None
    if not text.strip():
        raise click.UsageError("no input: give flags, --from FILE, or a JSON object on stdin")
    try:
        return curate.parse_json_document(text, origin)
    except ValueError as error:
        raise click.ClickException(str(error)) from None


def _device(stream):
    """Whether stream is a character device other than a terminal (/dev/null, /dev/zero)."""
    try:
        return stat.S_ISCHR(os.fstat(stream.fileno()).st_mode) and not stream.isatty()
    except (OSError, ValueError):  # no file descriptor: a test's in-memory stream
        return False


@click.command(epilog=EXIT_CODES)
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
    from .. import curate

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


@click.command("add-source", epilog=EXIT_CODES)
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
    from .. import curate

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


@click.command(epilog=EXIT_CODES)
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
    from .. import curate

    path = store_location()
    if assignments:
        try:
            pairs = [curate.split_assignment(a, "--set") for a in assignments]
        except ValueError as error:
            raise click.UsageError(str(error)) from None
        _report(curate.edit_fact(path, fact_id, assignments=pairs, sources_dir=sources_dir, dry_run=dry_run))
        return
    from ..render import json_text

    before = curate.current_fact(path, fact_id)
    text = json_text(before, indent=2) + "\n"
    while True:
        try:
            edited = click.edit(text, extension=".json")
            if edited is None:
                click.echo("no change", err=True)
                return
            document = curate.parse_json_document(edited, "edited fact")
            change = curate.edit_fact(
                path, fact_id, document, expected=before, sources_dir=sources_dir, dry_run=dry_run
            )
        except OSError as error:  # the editor removed its file, or it cannot be read back
            raise click.ClickException(f"cannot read the edited fact: {error.strerror or error}; nothing written") from None
        except (ValueError, curate.Refused) as error:
            if isinstance(error, UnicodeDecodeError):
                problems, edited = [f"the edited fact is not UTF-8 text (byte {error.start})"], text
            else:
                problems = getattr(error, "problems", None) or [str(error)]
            if isinstance(error, curate.Changed):
                # Redo this edit on their version, so re-opening shows both changes.
                edited = json_text(curate.rebase(document, before, error.current), indent=2) + "\n"
                before = error.current
            for problem in problems:
                say(f"  - {problem}", err=True)
            if click.confirm("Re-open the editor?", default=True, err=True):
                text = edited
                continue
            raise click.ClickException("edit abandoned; nothing written") from None
        _report(change)
        return


@click.command(epilog=EXIT_CODES)
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
    from .. import curate

    _report(curate.retract_fact(store_location(), fact_id, reason, dry_run=dry_run))
