"""Commands that check the store: validate, verify and where."""

import os
from collections import Counter

import click

from .options import (
    EXIT_CODES,
    db_option,
    errors_as_messages,
    located_store,
    say,
    shown_path,
    sources_option,
    store_location,
)


@click.command(epilog=EXIT_CODES)
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
    say(
        f"OK: {result.facts} facts, {result.sources} sources, {result.conflicts} conflicts,"
        f" {result.citations} citations"
        f" in {shown_path(path)}"
    )


@click.command(epilog=EXIT_CODES)
@sources_option("Folder holding the source text files", required=True)
@db_option
@errors_as_messages
def verify(sources_dir):
    """Check each source text against its fingerprint, then each quote (of facts and conflicts) at its anchor.

    A source file that is missing, or whose bytes no longer match the sha256
    on record, is reported first, once. Then each quote must occur in its
    source's text, comparing after Unicode NFKC, straight quotes, one kind of
    dash and collapsed whitespace, so only a change of words is a miss; an
    anchored quote must sit at its anchor, with the same text around it.
    A quote found elsewhere is reported as moved, one found nowhere as gone.

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
    if not (result.unanchored or result.unfingerprinted):
        say(
            f"OK: all {result.citations} quotes found at their anchors in {result.source_count} sources"
            f" under {sources_dir}, each text matching its fingerprint"
        )
        return
    say(f"OK: all {result.citations} quotes found in {result.source_count} sources under {sources_dir}")
    say(
        f"{result.unanchored} quotes not anchored and {result.unfingerprinted} sources not fingerprinted:"
        f" run facts anchor --sources {sources_dir}",
        err=True,
    )


def _verify_summary(counts, citations, folder):
    wording = {
        "missing": "source files not found",
        "changed": "source texts changed since fingerprinted",
        "gone": f"of {citations} quotes not found",
        "moved": "quotes moved from their anchors",
        "context": "anchors with changed text around them",
    }
    summary = ", ".join(f"{counts[problem]} {words}" for problem, words in wording.items() if counts[problem])
    if counts["changed"] or counts["moved"] or counts["context"]:
        return f"{summary} in {folder}; once the changes are checked, facts anchor records where quotes now sit"
    return f"{summary} in {folder}"


ORIGINS = {
    "--db": "--db",
    "FACTS_DB": "the FACTS_DB environment variable",
    "bundled": "bundled: the copy inside the installed package",
    "checkout": "checkout: the package's store is a link to the store of record",
}


@click.command(epilog=EXIT_CODES)
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
    from ..storage.index import index_path
    from ..storage.loading import INDEX_THRESHOLD_BYTES, uses_index

    location = located_store()
    mode = index_mode()
    index = {
        "path": index_path(location.path, cache_directory()),
        "built": False,
        "used": uses_index(location.path, mode),
    }
    index["built"] = os.path.isfile(index["path"])
    if json_:
        from ..output.escape import json_text
        from ..output.formats import write_utf8

        # json_text escapes what a path may hold that UTF-8 cannot (an undecodable byte).
        write_utf8(json_text({**location._asdict(), "index": index}) + "\n")
        return
    shown = shown_path(location.path)
    if location.real_path != os.path.abspath(location.path):
        shown += f" -> {shown_path(location.real_path)}"
    say(shown)
    say(f"from: {ORIGINS[location.origin]}")
    say(f"writable: {'yes' if location.writable else 'no: ' + location.reason}")
    why_not = (
        "FACTS_INDEX=never"
        if mode == "never"
        else f"the store is under {INDEX_THRESHOLD_BYTES // 1_000_000} MB (FACTS_INDEX=always keeps one)"
    )
    if index["used"] or index["built"]:
        used = "used for this store" if index["used"] else f"not used: {why_not}"
        say(f"index: {index['path']} ({'built' if index['built'] else 'not built yet'}; {used})")
    else:
        say(f"index: none: {why_not}")
