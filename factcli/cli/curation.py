"""Commands that change the store (init, add, add-source, add-conflict, edit, cite, retract, restore, rename,
anchor) and that prepare changes (draft, quote)."""

import errno
import os
import stat
import sys

import click

from .options import (
    DATE,
    KindChoice,
    KindOption,
    SourceOrFile,
    answer,
    command,
    complete_from_store,
    curation_options,
    db_option,
    dry_run_option,
    errors_as_messages,
    format_options,
    index_cache,
    named_store,
    open_store,
    output_options,
    say,
    shown_path,
    sources_option,
    store_location,
)


def allow_duplicate_option(verb):
    """--allow-duplicate, for the commands that apply the duplicate rule (see facts add)."""
    return click.option(
        "--allow-duplicate",
        is_flag=True,
        help=f"{verb} even when a fact on record makes the same claim in other words (the same"
        " identifying fields); never when its claim is word for word a fact's.",
    )


def _report(change, sources_dir=False):
    """Say what a change did (or, for a dry run, print what it would write) and its warnings.
    sources_dir None, for a change that quotes sources: no text was there to check its quotes."""
    for warning in change.warnings:
        say(f"warning: {warning}", err=True)
    if sources_dir is None:
        # Stored, but unchecked: answers mark such quotes until they are anchored.
        say(
            "warning: quotes not checked against the source's text (no --sources or FACTS_SOURCES);"
            " answers mark them 'not yet checked' until facts anchor --sources DIR anchors them",
            err=True,
        )
    many = isinstance(change.record, list)
    if change.written:
        what = f"{len(change.record)} facts" if many else change.record.get("id", "the store's meta")
        say(f"{change.action}: {what} in {shown_path(change.path)}")
    else:
        from ..output.escape import json_text
        from ..output.formats import write_utf8

        write_utf8(json_text(change.record, indent=2) + "\n")
        note = "no change" if change.action == "unchanged" else f"dry run: {change.action} not written"
        click.echo(note, err=True)


def _read_document(from_file, flags_given, many=False):
    """The JSON object from --from FILE (- for stdin), or from piped stdin when no flags are given;
    with many, every fact there (a JSON object, array or JSON lines), each with its place."""
    from ..curation import intake

    if from_file is None and (flags_given or sys.stdin.isatty()):
        return None
    if flags_given:
        raise click.UsageError("give it either as flags or as JSON (--from / stdin), not both")
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
        raise click.ClickException(
            f"cannot read {origin}: {getattr(error, 'strerror', None) or error}"
        ) from None
    if not text.strip():
        raise click.UsageError("no input: give flags, --from FILE, or a JSON object on stdin")
    try:
        return intake.parse_json_documents(text, origin) if many else intake.parse_json_document(text, origin)
    except ValueError as error:
        raise click.ClickException(str(error)) from None


def _device(stream):
    """Whether stream is a character device other than a terminal (/dev/null, /dev/zero)."""
    try:
        return stat.S_ISCHR(os.fstat(stream.fileno()).st_mode) and not stream.isatty()
    except (OSError, ValueError):  # no file descriptor: a test's in-memory stream
        return False


@command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option(
    "--empty", is_flag=True, help="No sources and no facts, instead of a copy of the bundled store."
)
@click.option("--title", help="What the store is about, as a title (facts meta shows and sets the rest).")
@click.option(
    "--from",
    "source",
    type=click.Path(dir_okay=False),
    metavar="STORE",
    help="A copy of the store at STORE (JSON or SQLite) instead of the bundled one.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("json", "sqlite")),
    help="json (a file to diff and share) or sqlite (a store of record for a large store);"
    " default sqlite when PATH ends .db, .sqlite or .sqlite3, else json.",
)
@errors_as_messages
def init(path, empty, title, source, fmt):
    """Create a store of your own at PATH: a copy of the bundled store, or empty.

    An installed package's store is replaced by the next install, so curation
    never writes it: start your own, then choose it with --db PATH or
    FACTS_DB=PATH. Never writes over an existing file. A store about another
    subject starts empty, with its title; facts meta --set gives it the rest
    (its subject, inspectorate, grade scale and the words people use).

    A large store (tens of thousands of facts and more) is best kept in
    SQLite, where a write costs what it changes: make one from a JSON store
    with --from, and get the JSON back with facts export --format json.

    \b
    Example:
        facts init ~/facts.json
        export FACTS_DB=~/facts.json
        facts init force.json --empty --title "Northshire Police"
        facts init big.db --from big.json
    """
    from ..curation import curate

    if empty and source is not None:
        raise click.UsageError("--empty and --from are two different starts: give one")
    created = curate.init_store(path, empty=empty, title=title, source=source, fmt=fmt)
    say(
        f"created {shown_path(created.path)} with {created.facts} facts and {created.sources} sources;"
        f" use it with --db {path} or FACTS_DB={path}"
    )


@command()
@click.option("--kind", cls=KindOption, type=KindChoice(), help="Kind of fact.")
@click.option("--claim", help="One self-contained sentence: who, what, when.")
@click.option("--date", help="ISO 8601 date, partial allowed: 2019, 2019-02, 2019-02-14.")
@click.option(
    "--date-basis",
    type=click.Choice(("stated", "reported", "bounded", "inferred", "outside")),
    help="How the date is known: stated in the quote, reported (the source's date), bounded, inferred, outside.",
)
@click.option("--date-bound", type=click.Choice(("by", "after")), help="With --date-basis bounded: which bound.")
@click.option("--date-note", help="How the date was worked out, when it is not printed plainly.")
@click.option("--id", "fact_id", help="Id (a slug); derived from the claim when not given.")
@click.option("--source", help="Source id of the first citation.")
@click.option("--quote", help="Verbatim quote from that source.")
@click.option(
    "--field", "fields", multiple=True, metavar="KEY=VALUE", help="A field of the kind (repeatable)."
)
@click.option(
    "--cite", "cites", multiple=True, metavar="SOURCE_ID:QUOTE", help="Another citation (repeatable)."
)
@click.option(
    "--from",
    "from_file",
    type=click.Path(allow_dash=True),
    metavar="FILE",
    help="Read facts as JSON from FILE (- for stdin): an object, an array or JSON lines.",
)
@allow_duplicate_option("Add")
@curation_options
@db_option
@errors_as_messages
def add(
    kind,
    claim,
    date,
    date_basis,
    date_bound,
    date_note,
    fact_id,
    source,
    quote,
    fields,
    cites,
    from_file,
    allow_duplicate,
    sources_dir,
    dry_run,
):
    """Add facts, validated before they are written: one from flags, or many as JSON.

    Give one fact as flags, or facts as JSON (the shape `facts show ID --json`
    prints; answer-only keys are ignored) with --from FILE or on stdin: one
    object, an array of them, or one per line (what facts draft --format jsonl
    prints). Many facts are checked together and written in one write, or,
    if any is refused, none is; each problem names its item or line.

    A dated fact says how its date is known (--date-basis, or date_basis in
    JSON): stated in its quotes, reported (its source's publication date
    stands in for an undated event), bounded (with --date-bound by or after),
    inferred or outside the sources (with --date-note saying how).

    A duplicate is the same claim, not the same words. A fact whose claim is
    already a fact's is refused (claims compare ignoring case, accents,
    spacing, invisible characters and look-alike letters of other scripts),
    and so is one that makes a fact's claim in other words: of its kind, with
    the same identifying fields (a rating's judgment, area and month; a role's
    person and post; a figure's value, unit and measure; ...), unless
    --allow-duplicate. The refusal prints the facts cite line that adds the
    new quote to the fact on record instead. A fact near one on record (all
    but one identifying field agree, or most of the claim's words) and a
    quote overlapping another fact's are warnings. An id not given is made
    from kind, date and up to four words.

    \b
    Example:
        facts add --kind figure \\
          --claim "The council had 441 children in care in 2015." \\
          --date 2015 --date-basis reported --source some-source-id \\
          --quote "Today, we have 441 children in care" \\
          --field value=441 --field unit=children \\
          --field measure="children in care"
        facts show some-fact --json | facts add --dry-run
    """
    from ..curation import curate
    from . import flag_documents

    flags = (kind, claim, date, date_basis, date_bound, date_note, fact_id, source, quote)
    documents = _read_document(from_file, any(v is not None for v in flags) or fields or cites, many=True)
    if documents is None:
        try:
            documents = [
                (
                    "",
                    flag_documents.document_from_options(
                        kind, claim, date, date_note, fact_id, source, quote, fields, cites, date_basis, date_bound
                    ),
                )
            ]
        except ValueError as error:
            raise click.UsageError(str(error)) from None
    change = curate.add_facts(
        store_location(),
        documents,
        sources_dir=sources_dir,
        dry_run=dry_run,
        allow_duplicate=allow_duplicate,
        cache_dir=index_cache(),
        named_store=named_store(),
    )
    _report(change, sources_dir)


@command("add-source")
@click.option("--id", "source_id", help="Short slug, e.g. paper-2025-new-report.")
@click.option("--title", help="Headline or title as printed.")
@click.option("--publisher", help="Publisher as the text shows it.")
@click.option("--published", help="ISO 8601 date, partial allowed.")
@click.option(
    "--published-after",
    help="For a source whose date is not known: a date it was published after (or on).",
)
@click.option(
    "--published-before",
    help="For a source whose date is not known: a date it was published before (or on).",
)
@click.option(
    "--published-basis",
    type=click.Choice(("printed", "inferred", "outside")),
    help="How the date or bound is known: printed in the text, inferred from its content, or from outside it.",
)
@click.option("--published-note", help="How an inferred or outside date was worked out (required with them).")
@click.option("--file", "file_name", help="Name of the text file in the sources folder.")
@click.option("--url", help="Where the original can be read (http:// or https://).")
@click.option(
    "--from",
    "from_file",
    type=click.Path(allow_dash=True),
    metavar="FILE",
    help="Read the source as JSON from FILE (- for stdin).",
)
@curation_options
@db_option
@errors_as_messages
def add_source(
    source_id,
    title,
    publisher,
    published,
    published_after,
    published_before,
    published_basis,
    published_note,
    file_name,
    url,
    from_file,
    sources_dir,
    dry_run,
):
    """Add one source document; with --sources, its file must be there and is fingerprinted.

    A source whose date is not printed and cannot be worked out may still be
    known to be after one date (an event it reports) or before another: give
    --published-after and/or --published-before instead of --published, with
    how that is known (--published-basis) and a note. It then sorts by its
    bound, reads "after 2024-08-22", speaks for no later than its bound, and
    briefs and sites file its facts under what is known.

    \b
    Example:
        facts add-source --id paper-2025-report --title "New report" \\
          --publisher "The Daily Paper" --published 2025-01 \\
          --published-basis printed --file 005_report.txt
        facts add-source --id paper-undated --title "Visit report" \\
          --file 006_visit.txt --published-after 2024-08-22 \\
          --published-basis inferred \\
          --published-note "It reports the visit of 22 August 2024 as past."
    """
    from ..curation import curate

    flags = {
        "id": source_id,
        "title": title,
        "publisher": publisher,
        "published": published,
        "published_after": published_after,
        "published_before": published_before,
        "published_basis": published_basis,
        "published_note": published_note,
        "file": file_name,
        "url": url,
    }
    document = _read_document(from_file, any(v is not None for v in flags.values()))
    change = curate.add_source(
        store_location(),
        flags if document is None else document,
        sources_dir=sources_dir,
        dry_run=dry_run,
        cache_dir=index_cache(),
    )
    _report(change)


@command("add-conflict")
@click.option("--fact", "facts", multiple=True, metavar="ID", help="A fact the disagreement touches (repeatable).")
@click.option("--note", help="What disagrees, and what a reader should quote: one or two sentences.")
@click.option(
    "--cite", "cites", multiple=True, metavar="SOURCE_ID:QUOTE", help="The words of each side (two or more)."
)
@click.option(
    "--contradiction/--caution",
    default=None,
    help="Whether the sources contradict each other, or it is a caution that is not a contradiction"
    " (an expectation and the event, two months of one process). Required: a reader is told which.",
)
@click.option("--id", "conflict_id", help="Id (a slug); made from the note when not given.")
@click.option(
    "--from",
    "from_file",
    type=click.Path(allow_dash=True),
    metavar="FILE",
    help="Read the conflict as JSON from FILE (- for stdin), shaped as facts conflicts --json prints one.",
)
@curation_options
@db_option
@errors_as_messages
def add_conflict(facts, note, cites, contradiction, conflict_id, from_file, sources_dir, dry_run):
    """Record where sources disagree, or a caution: the facts it touches, a note, and the quotes.

    Each --cite quotes one side, as SOURCE_ID:QUOTE; with --sources (or
    FACTS_SOURCES) each quote must be in its source's text and is anchored,
    as a fact's is. Every fact named must be on record. The conflict then
    flags its facts in every answer, brief and site. Nothing is written
    unless the whole store stays valid; --dry-run prints what would be.

    --contradiction or --caution must be given: a contradiction is shown as
    sources disagreeing, a caution as something to read with care, and
    only the curator knows which it is.

    \b
    Example:
        facts add-conflict --fact figure-4m-investment-childrens-services \\
          --note "The 2019 report says £5m; later articles say £4m." \\
          --cite "SOURCE-A:extra resources of £5m" \\
          --cite "SOURCE-B:a £4m investment" \\
          --contradiction --sources ../shared/seeds
    """
    from ..curation import curate
    from . import flag_documents

    flags = (note, conflict_id, contradiction)
    document = _read_document(from_file, any(v is not None for v in flags) or facts or cites)
    if document is None:
        if contradiction is None:
            raise click.UsageError(
                "give --contradiction or --caution: whether the sources contradict each other, or it is a caution"
            )
        try:
            document = flag_documents.conflict_from_options(conflict_id, facts, note, cites, contradiction)
        except ValueError as error:
            raise click.UsageError(str(error)) from None
    change = curate.add_conflict(
        store_location(), document, sources_dir=sources_dir, dry_run=dry_run, cache_dir=index_cache()
    )
    _report(change, sources_dir)


@command()
@click.argument("record_id", metavar="ID", shell_complete=complete_from_store("id"))
@click.option(
    "--set", "assignments", multiple=True, metavar="KEY=VALUE", help="Change one field (repeatable)."
)
@allow_duplicate_option("Keep the change")
@curation_options
@db_option
@errors_as_messages
def edit(record_id, assignments, allow_duplicate, sources_dir, dry_run):
    """Edit a fact, a conflict or a source in $EDITOR as JSON, or change fields with --set.

    ID is a fact's, a conflict's or a source's. The result is validated as
    add, add-conflict or add-source validate it (a source's new date is
    checked against the facts that report it) before it is written; if it is
    invalid the problems are shown and the editor can be re-opened. Only what
    the edit changes is checked for duplicates (see facts add): a quote
    overlap or a near claim that was already there never stops an edit.
    History keeps each changed field's value before and after (facts log).

    --set values: "null" clears a field; a conflict's facts are ids, comma-
    separated, and its contradiction true or false; citations are JSON.

    \b
    Example:
        facts edit some-fact-id
        facts edit some-role-id --set start=2021-07
        facts edit some-source-id --set "published_note=The date is the page's."
        facts edit some-conflict-id --set contradiction=false
    """
    from ..curation import curate, intake
    from . import flag_documents

    path = store_location()
    if assignments:
        try:
            pairs = [flag_documents.split_assignment(a, "--set") for a in assignments]
        except ValueError as error:
            raise click.UsageError(str(error)) from None
        _report(
            curate.edit_record(
                path,
                record_id,
                assignments=pairs,
                sources_dir=sources_dir,
                dry_run=dry_run,
                allow_duplicate=allow_duplicate,
                cache_dir=index_cache(),
                named_store=named_store(),
            ),
            # Only a change of quotes has quotes to check.
            sources_dir if any(key == "citations" for key, _ in pairs) else False,
        )
        return
    from ..output.escape import json_text

    before = curate.current_record(path, record_id, dry_run=dry_run)
    text = json_text(before, indent=2) + "\n"
    while True:
        try:
            edited = _edited(text, path)
            if edited is None:
                click.echo("no change", err=True)
                return
            document = intake.parse_json_document(edited, "edited record")
            change = curate.edit_record(
                path,
                record_id,
                document,
                expected=before,
                sources_dir=sources_dir,
                dry_run=dry_run,
                allow_duplicate=allow_duplicate,
                cache_dir=index_cache(),
                named_store=named_store(),
            )
        except OSError as error:  # the editor removed its file, or it cannot be read back
            raise click.ClickException(
                f"cannot read the edited record: {error.strerror or error}; nothing written"
            ) from None
        except (ValueError, curate.Refused) as error:
            if isinstance(error, UnicodeDecodeError):
                problems, edited = [f"the edited record is not UTF-8 text (byte {error.start})"], text
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
        _report(change, sources_dir if document.get("citations") != before.get("citations") else False)
        return


def _edited(text, store_path):
    """text as the editor ($EDITOR) saves it, or None when it is closed unsaved.

    The file is read back as the store's files are, regular files only, so an editor that
    leaves a FIFO, a device or a folder in its place gets an error instead of an endless read;
    its folder (beside the store, see storage.litter), with whatever the editor left there,
    is removed on every way out.
    """
    import time

    from ..storage.files import read_regular_text
    from ..storage.litter import private_folder

    with private_folder("edit", beside=store_path) as folder:
        path = os.path.join(folder, "fact.json")
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
        # Set back, as click.edit does, so that a save within the same second is still seen.
        opened = time.time() - 2
        os.utime(path, (opened, opened))
        click.edit(filename=path)
        if os.stat(path).st_mtime == opened:
            return None
        return read_regular_text(path)


@command()
@click.argument("fact_id", metavar="ID", shell_complete=complete_from_store("id"))
@click.option("--reason", required=True, help="Why the fact or conflict is withdrawn.")
@dry_run_option
@db_option
@errors_as_messages
def retract(fact_id, reason, dry_run):
    """Withdraw a fact or a conflict: it is kept, marked retracted with the reason and date.

    Retracted facts are left out of every answer unless --include-retracted
    is given. A retracted conflict no longer flags its facts in any answer,
    brief or site; facts conflicts --include-retracted and facts show ID
    --include-retracted still show it.

    \b
    Example:
        facts retract some-fact-id --reason "The source corrected this figure."
        facts retract some-conflict-id --reason "A later article settles it."
    """
    from ..curation import curate

    _report(curate.retract_record(store_location(), fact_id, reason, dry_run=dry_run, cache_dir=index_cache()))


@command()
@sources_option("Folder holding the source text files", required=True)
@dry_run_option
@db_option
@errors_as_messages
def anchor(sources_dir, dry_run):
    """Anchor every quote in its source's text and fingerprint every source.

    Records where each quote sits (start and end, in characters of the text
    file as it is) and up to 32 characters either side, and each source
    file's sha256, in one write. A quote found twice keeps the occurrence its
    existing anchor picks; one that cannot be placed stops the whole write
    until it is quoted at more length, or given the start of the one meant.

    \b
    Example:
        facts anchor --sources ../shared/seeds
    """
    from ..curation import curate

    done = curate.anchor_store(store_location(), sources_dir, dry_run=dry_run, cache_dir=index_cache())
    counts = f"{done.anchored} of {done.citations} citations anchored anew, {done.fingerprinted} sources fingerprinted"
    if done.written:
        click.echo(f"anchor: {counts} in {shown_path(done.path)}")
    elif dry_run:
        click.echo(f"dry run: {counts}; nothing written", err=True)
    else:
        click.echo(f"no change: all {done.citations} citations already anchored in {shown_path(done.path)}")


@command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--published",
    type=DATE,
    help="The article's publication date (ISO 8601, partial allowed), for dates like 'last year'. "
    "Defaults to the date of the store's source for FILE.",
)
@format_options
@db_option
@errors_as_messages
def draft(file, published, fmt):
    """Propose candidate facts from an article's text; nothing is written.

    Each candidate is one claim: a sentence of the article, or less (each
    clause of a sentence holding several claims, and a person named with a
    title as a role of their own), quoted verbatim with its place in the file
    (start, end, prefix, suffix). Its kind, the fields of that kind it could
    fill and its date are guesses to review; relative dates ("two years ago",
    "in March last year", "next year") are worked out from the publication
    date and date_basis and date_note say how. The claim starts as the quote:
    rewrite it as one self-contained sentence.

    Each candidate lists the facts on record it restates (matches: the same
    identity, an overlapping quote of the source, or most words shared) with
    the facts cite line that adds its quote to one, or is marked new; one
    giving a fact's figure or grade another value prints the facts
    add-conflict line that records the disagreement.

    --format jsonl prints one candidate per line in the shape `facts add --from`
    takes. When FILE is the file of a source in the store, citations name that
    source; otherwise they name SOURCE-ID, to be replaced with the id of the
    source once added (facts add-source).

    Left out, because a page, player or newsletter puts them around an
    article and they claim nothing about it: headlines, captions, bylines
    and labels (lines with no closing full stop); image captions and
    credits (and short lines naming a picture agency of the store's meta);
    "Hide Ad"; share and follow lines; radio schedules and
    presenters; "Published" and "Written by" stamps; navigation like
    "Home | The Daily Paper" and "Have your say"; lines the page repeats.

    \b
    Example:
        facts draft article.txt
        facts draft new-article.txt --published 2025-01 \\
          --format jsonl > candidates.jsonl
    """
    from ..curation import draft as drafting
    from ..output.terminal.drafting import emit_draft

    emit_draft(drafting.draft_for(open_store(), file, published), fmt)


@command()
@click.argument("source", type=SourceOrFile())
@click.argument("text")
@click.option("--limit", type=click.IntRange(1, 20), default=3, show_default=True, help="Most spans to show.")
@click.option(
    "--sources",
    "sources_dir",
    envvar="FACTS_SOURCES",
    type=click.Path(exists=True, file_okay=False),
    help="Folder of source texts, to find SOURCE's file by its id (or set FACTS_SOURCES).",
)
@format_options
@db_option
@errors_as_messages
def quote(source, text, limit, sources_dir, fmt):
    """Find the exact words of a source closest to TEXT, with their anchor.

    SOURCE is a source id of the store (its file is looked up in --sources)
    or the path of a text file. TEXT may be a paraphrase, or a quote with a
    typo, other quote marks or a dropped word. An exact match (after folding
    quote marks, dashes, case and spacing) scores 1; otherwise the closest
    spans are shown with their scores. Exits 1 when nothing is close.

    \b
    Example:
        facts quote some-source-id "the words as you remember them" \\
          --sources ../sources
    """
    from ..curation.locate import NoSourcesFolder, find_quote
    from ..output.terminal.drafting import emit_quote

    try:
        found = find_quote(source, text, store_location(), sources_dir, limit)
    except NoSourcesFolder as error:
        raise click.ClickException(f"give --sources DIR (or set FACTS_SOURCES) to find the text of {error.source}") from None
    emit_quote(found, fmt)


@command()
@click.argument("fact_id", metavar="ID", shell_complete=complete_from_store("id"))
@click.option("--source", required=True, help="Source id of the citation.")
@click.option("--quote", required=True, help="Verbatim quote from that source.")
@click.option("--as-of", help="When the quote places the claim, if not the source's publication date.")
@allow_duplicate_option("Cite")
@curation_options
@db_option
@errors_as_messages
def cite(fact_id, source, quote, as_of, allow_duplicate, sources_dir, dry_run):
    """Add a citation to an existing fact or conflict: another source saying the same.

    Corroboration belongs on the fact it corroborates, not in a second fact;
    with --sources (or FACTS_SOURCES) the quote must be in the source's text
    and is anchored there. ID may be a conflict's: another quote on one side
    of a disagreement.

    \b
    Example:
        facts cite some-fact-id --source some-source-id \\
          --quote "the words of the source" --sources ../sources
    """
    from ..curation import curate

    citation = {"source": source, "quote": quote, **({"as_of": as_of} if as_of else {})}
    _report(
        curate.cite_record(
            store_location(),
            fact_id,
            citation,
            sources_dir=sources_dir,
            dry_run=dry_run,
            allow_duplicate=allow_duplicate,
            cache_dir=index_cache(),
            named_store=named_store(),
        ),
        sources_dir,
    )


@command()
@click.argument("fact_id", metavar="ID", shell_complete=complete_from_store("id"))
@click.option("--reason", required=True, help="Why the fact or conflict stands after all.")
@allow_duplicate_option("Restore")
@dry_run_option
@db_option
@errors_as_messages
def restore(fact_id, reason, allow_duplicate, dry_run):
    """Undo a retraction of a fact or a conflict: it is in answers again, its history keeps both.

    A fact restored is checked by the duplicate rule (see facts add): another
    fact may have made its claim while it was retracted.

    \b
    Example:
        facts restore some-fact-id --reason "The correction was itself withdrawn."
    """
    from ..curation import curate

    _report(
        curate.restore_record(
            store_location(), fact_id, reason, dry_run=dry_run, allow_duplicate=allow_duplicate, cache_dir=index_cache()
        )
    )


@command()
@click.argument("old_id", metavar="OLD", shell_complete=complete_from_store("id"))
@click.argument("new_id", metavar="NEW")
@dry_run_option
@db_option
@errors_as_messages
def rename(old_id, new_id, dry_run):
    """Give a fact or a conflict a new id; every conflict naming a renamed fact follows.

    Refused if a fact, a conflict or a source has NEW already.

    \b
    Example:
        facts rename event-2019-02-head-of-safeguarding-appointed \\
          event-2019-02-safeguarding-head
    """
    from ..curation import curate

    _report(curate.rename_record(store_location(), old_id, new_id, dry_run=dry_run, cache_dir=index_cache()))


@command()
@click.option(
    "--since", type=DATE, help="Only changes on or after this date (ISO 8601, partial allowed)."
)
@output_options
@db_option
@errors_as_messages
def log(since, fmt):
    """Curation changes, oldest first, of facts, conflicts and sources: each added, edited,
    cited, retracted, restored and renamed, and for an edit each field with its value
    before and after.

    Records curated before the tool kept times have none to show; a change
    made by hand shows as changed, with no detail. Long values are shown as
    their first 200 characters of JSON (history keeps no more).

    \b
    Example:
        facts log --since 2026-11
    """
    from ..answers import listing

    answer(listing.log(open_store(), since=since), fmt)
