"""How well `facts draft` reads the seed articles: candidates, recall of the store's quotes, furniture kept.

For each source of the bundled store whose text is in the seeds folder it prints:
candidates (how many `draft` proposes), recall (the share of the store's quotes from that source
that some candidate's quote contains, both folded with fold), and furniture (candidates
whose quote is page furniture by the list below). Quotes no candidate contains are listed.
"""

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # measure the working tree, not whatever is installed

from factcli.core.text import fold  # noqa: E402
from factcli.curation import draft  # noqa: E402
from factcli.storage.memory import load_whole  # noqa: E402

# Furniture as a reader of these pages would name it, kept apart from draft's own rules so
# that the measure does not just repeat them: text of the page, player or newsletter, not the article.
FURNITURE = [
    r"^hide ad$",
    r"image (source|caption)",
    r"^(current track|current show|title|artist|background)$",
    r"\b\d{1,2}:\d{2} ?[ap]m\b",
    r"^dave thomas$",
    r"^•? ?published$",
    r"^written by\b",
    r"\|",
    r"^have your say$",
    r"listen to the best of",
    r"story ideas to",
    r"on facebook",
    r"^diane booth$",
    r"^simon blackburn",
    r"^'hard work'$",
    r"^town hall bosses are expecting",
]


def is_furniture(quote):
    folded = fold(quote).casefold()
    return any(re.search(pattern, folded) for pattern in FURNITURE)


def measure(store, seeds):
    """One row per source with a text in seeds: (source id, candidates, recall, furniture, missed quotes)."""
    rows = []
    for source in store.sources.values():
        path = Path(seeds) / source.file
        if not path.is_file():
            continue
        found = draft.draft_file(str(path), source=source)
        quotes = [fold(c.record["citations"][0]["quote"]) for c in found.candidates]
        wanted = [
            citation.quote
            for record in (*store.facts, *store.conflicts)
            for citation in record.citations
            if citation.source == source.id
        ]
        missed = [q for q in dict.fromkeys(wanted) if not any(fold(q) in quote for quote in quotes)]
        unique = len(dict.fromkeys(wanted))
        recall = (unique - len(missed)) / unique if unique else 1.0
        furniture = sum(is_furniture(c.record["citations"][0]["quote"]) for c in found.candidates)
        rows.append((source.file, source.id, len(found.candidates), unique, recall, furniture, missed))
    return sorted(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default=str(REPO.parent / "shared" / "seeds"), help="folder of source texts")
    parser.add_argument("--db", default=str(REPO / "data" / "facts.json"), help="store whose quotes are the answer key")
    args = parser.parse_args()
    rows = measure(load_whole(args.db), args.seeds)
    if not rows:
        print(f"no source texts of the store found in {args.seeds}", file=sys.stderr)
        return 1
    print("| file | source | candidates | store quotes | recall | furniture |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for file, source_id, count, quotes, recall, furniture, _ in rows:
        print(f"| {file} | {source_id} | {count} | {quotes} | {recall:.0%} | {furniture} |")
    total = sum(row[3] for row in rows)
    missed = sum(len(row[6]) for row in rows)
    print(
        f"| all | | {sum(row[2] for row in rows)} | {total} | {(total - missed) / total:.0%} |"
        f" {sum(row[5] for row in rows)} |"
    )
    for _, source_id, *_, missed_quotes in rows:
        for quote in missed_quotes:
            print(f"missed in {source_id}: {quote}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
