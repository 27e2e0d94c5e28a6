"""Commands that check the store: validate, verify and where."""

import os
from collections import Counter

import click

from .options import (
    command,
    db_option,
    dry_run_option,
    load_store,
    open_store,
    errors_as_messages,
    located_store,
    say,
    shown_path,
    sources_option,
    store_location,
)


@command()
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
    from ..answers import checks

    path = store_location()
    result = checks.validate(path)
    for problem in result.problems:
        say(str(problem))
    if result.problems:
        count = len(result.problems)
        raise click.ClickException(f"{count} problem{'s' if count != 1 else ''} in {shown_path(path)}")
    from ..output.wording import counted

    counts = ", ".join(counted(getattr(result, noun + "s"), noun) for noun in ("fact", "source", "conflict", "citation"))
    say(f"OK: {counts} in {shown_path(path)}")


@command()
@sources_option("Folder holding the source text files", required=True)
@db_option
@errors_as_messages
def verify(sources_dir):
    """Check each source text against its fingerprint, then each quote (of facts and conflicts) at its anchor.

    A source file that is missing, or whose bytes no longer match the sha256
    on record, is reported first, once. Then each quote is looked for in its
    source's text, comparing after Unicode NFKC, straight quotes, one kind of
    dash and collapsed whitespace; an anchored quote must sit at its anchor,
    with the same text around it, and be the source's text there character
    for character. A quote found elsewhere is reported as moved, one found
    nowhere as gone, one that differs only in typography (a no-break space, a
    curly quote) as not verbatim.

    \b
    Example:
        facts verify --sources ../shared/seeds
    """
    from ..answers import checks

    result = checks.verify(store_location(), sources_dir)
    for problem in result.sources:
        say(f"source {problem.source_id}: {problem.reason}")
    for miss in result.misses:
        say(f"{miss.record_id} [{miss.source_id}]: {miss.reason}: “{miss.quote}”")
    counts = Counter([p.problem for p in result.sources] + [m.problem for m in result.misses])
    if counts:
        raise click.ClickException(_verify_summary(counts, result.citations, sources_dir))
    from ..output.wording import counted

    found = f"all {counted(result.citations, 'quote')}" if result.citations != 1 else "the 1 quote"
    if not (result.unanchored or result.unfingerprinted):
        say(
            f"OK: {found} found at their anchors in {counted(result.source_count, 'source')}"
            f" under {sources_dir}, each text matching its fingerprint"
        )
        return
    say(f"OK: {found} found in {counted(result.source_count, 'source')} under {sources_dir}")
    say(
        f"{counted(result.unanchored, 'quote')} not anchored and {counted(result.unfingerprinted, 'source')}"
        f" not fingerprinted: run facts anchor --sources {sources_dir}",
        err=True,
    )


def _verify_summary(counts, citations, folder):
    # Each problem as one (singular) and as several (plural).
    wording = {
        "missing": ("source file not found", "source files not found"),
        "changed": ("source text changed since fingerprinted", "source texts changed since fingerprinted"),
        "gone": (f"of {citations} {'quote' if citations == 1 else 'quotes'} not found",) * 2,
        "moved": ("quote moved from its anchor", "quotes moved from their anchors"),
        "context": ("anchor with changed text around it", "anchors with changed text around them"),
        "verbatim": ("quote not verbatim at its anchor", "quotes not verbatim at their anchors"),
    }
    summary = ", ".join(
        f"{counts[problem]} {words[counts[problem] != 1]}" for problem, words in wording.items() if counts[problem]
    )
    if counts["changed"] or counts["moved"] or counts["context"] or counts["verbatim"]:
        return (
            f"{summary} in {folder}; once the changes are checked, facts anchor records where quotes now sit"
            " and copies each quote exactly from its source"
        )
    return f"{summary} in {folder}"


FORMATS = {
    "json": "json: one file, written whole by each change",
    "sqlite": "sqlite: a store of record that each change writes in part",
}
ORIGINS = {
    "--db": "--db",
    "FACTS_DB": "the FACTS_DB environment variable",
    "bundled": "bundled: the copy inside the installed package",
    "checkout": "checkout: the package's store is a link to the store of record",
}


@command()
@click.option("json_", "--json", is_flag=True, help="Print it as one JSON object.")
@db_option
@errors_as_messages
def where(json_):
    """Which store the commands use, where that choice came from, whether curation may write
    it, and where its derived index is.

    The store is the one --db names, else FACTS_DB, else the one bundled with
    the package: in a checkout or editable install a link to data/facts.json,
    in a plain install a copy that the next install replaces. The index, a
    copy of a large store made for quick questions, is kept in FACTS_CACHE_DIR
    (else ~/.cache/factcli) and can be deleted at any time.

    \b
    Example:
        facts where
        facts --db ~/facts.json where --json
    """
    from ..settings import cache_directory, index_mode
    from ..storage.backend import is_database
    from ..storage.index import index_path
    from ..storage.loading import INDEX_THRESHOLD_BYTES, uses_index

    location = located_store()
    mode = index_mode()
    store_format = "sqlite" if is_database(location.path) else "json"
    index = {
        "path": index_path(location.path, cache_directory()),
        "built": False,
        "used": uses_index(location.path, mode),
    }
    index["built"] = os.path.isfile(index["path"])
    horizon, horizon_basis, unread = _horizon(location)  # after looking for the index, which reading the store may build
    if json_:
        from ..output.escape import json_text
        from ..output.formats import write_utf8

        # json_text escapes what a path may hold that UTF-8 cannot (an undecodable byte).
        document = {
            **location._asdict(),
            "format": store_format,
            "horizon": horizon,
            "horizon_basis": horizon_basis,
            "index": index,
        }
        write_utf8(json_text(document) + "\n")
        return
    shown = shown_path(location.path)
    if location.real_path != os.path.abspath(location.path):
        shown += f" -> {shown_path(location.real_path)}"
    say(shown)
    say(f"from: {ORIGINS[location.origin]}")
    say(f"format: {FORMATS[store_format]}")
    say(f"writable: {'yes' if location.writable else 'no: ' + location.reason}")
    from ..output.wording import marked

    if not location.exists:
        shown_horizon = "none: there is no store yet"
    elif unread:
        shown_horizon = f"not known: the store cannot be read ({unread})"
    else:
        shown_horizon = marked(horizon, horizon_basis) if horizon else "none: no source is dated"
    say(f"horizon: {shown_horizon}")
    why_not = (
        "a SQLite store is its own index"
        if store_format == "sqlite"
        else "FACTS_INDEX=never"
        if mode == "never"
        else f"the store is under {INDEX_THRESHOLD_BYTES // 1_000_000} MB (FACTS_INDEX=always keeps one)"
    )
    if index["used"] or index["built"]:
        used = "used for this store" if index["used"] else f"not used: {why_not}"
        say(f"index: {index['path']} ({'built' if index['built'] else 'not built yet'}; {used})")
    else:
        say(f"index: none: {why_not}")


def _horizon(location):
    """(horizon, how its date is known, why the store could not be read): Nones when there is no
    store or no dated source."""
    from ..answers.common import horizon, horizon_basis
    from ..core.errors import FactsError

    if not location.exists:
        return None, None, None
    try:
        store = load_store(location.path)
    except FactsError as error:
        return None, None, str(error)
    newest = horizon(store)
    return newest, horizon_basis(store, newest), None


@command()
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="KEY=VALUE",
    help="Change one key (repeatable); a list comma-separated, best first for scale; a map as NAME=MEANING,...",
)
@click.option("json_", "--json", is_flag=True, help="Print the meta record as JSON.")
@dry_run_option
@db_option
@errors_as_messages
def meta(assignments, json_, dry_run):
    """What the store is about: its title, subject, inspectorate, grade scale and words.

    Every title, grade, strip letter and post alias the answers, brief, site
    and draft use comes from here, so a store about any council, force or
    inspectorate works the same. With --set, the change is validated with the
    whole store (a scale must hold every grade on record) and written like any
    other change.

    \b
    Keys:
      title          what the store is about, as a title
      description    a sentence or two on what it covers
      subject        the organisation or place the facts are about
      inspectorate   who makes the judgments rating facts record
      scale          the grades, best first: outstanding,good,adequate,...
      letters        a grade's strip letter, where not its first: good=G,...
      aliases        words people use for a post: pcc=police and crime
                     commissioner,...
      synonyms       words people search with: money=gbp,...
      common_words   words too common in the store to tell claims apart
      services       what the subject provides, as sources name it
      organisations  bodies that act, with a short form: Home Office=HO,...
      agencies       picture agencies and wire services, whose credits draft
                   leaves out

    \b
    Example:
        facts meta
        facts meta --set inspectorate=HMICFRS \\
          --set "scale=outstanding,good,adequate,requires improvement,inadequate"
    """
    from ..output.escape import json_text
    from ..output.formats import write_utf8

    if assignments:
        from ..curation import curate
        from . import flag_documents

        try:
            pairs = [flag_documents.split_assignment(a, "--set") for a in assignments]
        except ValueError as error:
            raise click.UsageError(str(error)) from None
        change = curate.set_meta(store_location(), pairs, dry_run=dry_run)
        if change.written:
            say(f"meta: changed in {shown_path(change.path)}")
        else:
            write_utf8(json_text(change.record, indent=2) + "\n")
            click.echo("no change" if change.action == "unchanged" else "dry run: meta not written", err=True)
        return
    if dry_run:
        raise click.UsageError("--dry-run goes with --set")
    record = open_store().meta.to_record()
    if json_:
        write_utf8(json_text(record, indent=2) + "\n")
        return
    from ..output.terminal.base import console
    from ..output.terminal.listing import meta_grid

    console().print(meta_grid(record))
