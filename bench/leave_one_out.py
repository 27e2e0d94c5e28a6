"""How well `facts draft` reads an article the store has not seen: each seed left out of the store in turn.

For each seed article whose source is in the store, a copy of the store is made without what
only that article supports: the facts citing no other source are removed, and the facts citing
other sources too stay, minus that article's citations (so do conflicts, which go when fewer
than two citations or no facts remain). The source record itself stays, as `facts add-source`
would have put it back: a curator records an article before drafting it. The article is then
drafted against the copy, and the candidates are scored against what was removed.

The rules, printed with every run:

- A candidate *covers* a quote when their spans of the article share at least COVER of the
  quote's characters (a whole sentence covers a clause of it). It *corresponds* to a quote when
  it covers it, or when the quote holds at least COVER of the candidate's characters (a claim
  split from a longer quoted sentence).
- Recall: the removed facts' quotes of the article (distinct spans) that some candidate covers.
- Precision: the candidates that correspond to a removed quote: a removed fact's, or a citation
  removed from a fact or conflict that stays.
- Kind right: of the removed facts found, those with a corresponding candidate of the fact's kind.
- Date right: of the removed facts found, those with a corresponding candidate of the fact's kind
  whose date and date_bound equal the fact's. Partial dates compare as written: 2019 is not
  2019-01 (a date right at a coarser or finer precision is wrong), and no bound equals no bound.
- Speaker right: of the removed statements found, those with a corresponding statement
  candidate whose speaker is the fact's, names compared without honorifics and post-nominals.
- Pointing: the candidates corresponding to a citation removed from a fact that stays should
  name that fact in `matches`; *pointed* counts those that do, *first* those naming it first,
  and *stray* counts candidates whose first match is a fact they do not correspond to.

`python bench/leave_one_out.py` prints a table per seed and totals; --json prints the same as
data (the tests read it); --misses lists what was missed and what was wrong.
"""

import argparse
import json
import os
import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # measure the working tree, not whatever is installed

from factcli.core.text import fold  # noqa: E402
from factcli.curation import draft  # noqa: E402
from factcli.storage.memory import load_whole  # noqa: E402

COVER = 0.8
# Until the curation package's identity rules land here: names compared without honorifics
# and post-nominals, folded.
_TITLES = re.compile(r"\b(?:cllr|coun|councillor|mr|mrs|ms|miss|dr|sir|dame|obe|mbe|cbe|mp)\b\.?", re.I)


def person_key(name):
    return " ".join(_TITLES.sub(" ", fold(name)).casefold().split())

GOALS = {"recall": 0.95, "kind_right": 0.90, "date_right": 0.90, "speaker_right": 0.95}


def leave_one_out(tables, source_id):
    """(the store's tables without what only source_id supports, removed facts, removed citations).

    Removed citations are (table, record id, citation) for each citation of source_id taken from
    a fact or conflict that stays; removed facts are the records of facts citing nothing else."""
    copy = json.loads(json.dumps(tables))
    removed, taken = [], []
    facts = {}
    for doc_id, record in copy["facts"].items():
        mine = [c for c in record["citations"] if c["source"] == source_id]
        rest = [c for c in record["citations"] if c["source"] != source_id]
        if not mine:
            facts[doc_id] = record
        elif not rest:
            removed.append(record)
        else:
            taken.extend(("facts", record["id"], c) for c in mine)
            facts[doc_id] = {**record, "citations": rest}
            published = {copy["sources"][k]["published"] for k in _source_docs(copy, rest)}
            if record.get("date_basis") == "reported" and record.get("date") not in published:
                # The date was the left-out article's: in the copy it is a reading, and says so.
                facts[doc_id].update(
                    date_basis="inferred",
                    date_note=f"the date of {source_id}, which reported it (left out of this copy)",
                )
    copy["facts"] = facts
    gone = {record["id"] for record in removed}
    conflicts = {}
    for doc_id, record in (copy.get("conflicts") or {}).items():
        rest = [c for c in record["citations"] if c["source"] != source_id]
        names = [fact_id for fact_id in record["facts"] if fact_id not in gone]
        taken.extend(("conflicts", record["id"], c) for c in record["citations"] if c["source"] == source_id)
        if len(rest) >= 2 and names:
            conflicts[doc_id] = {**record, "facts": names, "citations": rest}
    if "conflicts" in copy:
        copy["conflicts"] = conflicts
    return copy, removed, taken


def _source_docs(tables, citations):
    ids = {c["source"] for c in citations}
    return [doc_id for doc_id, record in tables["sources"].items() if record["id"] in ids]


def _span(citation, text):
    """(start, end) of a citation in the article: its anchor, else the quote's first place."""
    if isinstance(citation.get("start"), int):
        return citation["start"], citation["end"]
    at = text.find(citation["quote"])
    return (at, at + len(citation["quote"])) if at >= 0 else (-1, -1)


def _shared(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def covers(candidate, quote):
    return quote[1] > quote[0] and _shared(candidate, quote) >= COVER * (quote[1] - quote[0])


def corresponds(candidate, quote):
    return covers(candidate, quote) or _shared(candidate, quote) >= COVER * (candidate[1] - candidate[0])


def score(result, removed, taken, source_id, text):
    """The measures of one drafted article against what was removed from the store."""
    # A candidate quotes its claim once, or more where the article says it again (a second citation).
    candidates = [
        (c.record, span, c.matches)
        for c in result.candidates
        for span in [(c.start, c.end), *((x["start"], x["end"]) for x in c.record["citations"][1:])]
    ]
    removed_quotes = {}
    for record in removed:
        for citation in record["citations"]:
            if citation["source"] == source_id:
                removed_quotes.setdefault(_span(citation, text), []).append(record["id"])
    all_quotes = list(removed_quotes) + [_span(c, text) for _, _, c in taken]
    found_quotes = [q for q in removed_quotes if any(covers(span, q) for _, span, _ in candidates)]
    misses = {"quotes": [text[q[0] : q[1]] for q in removed_quotes if q not in found_quotes]}
    precise = sum(any(corresponds(span, q) for q in all_quotes) for _, span, _ in candidates)

    found = kind_right = date_right = statements = speaker_right = 0
    misses.update(kind=[], date=[], speaker=[], pointing=[])
    for record in removed:
        spans = [_span(c, text) for c in record["citations"] if c["source"] == source_id]
        if not any(covers(span, q) for _, span, _ in candidates for q in spans):
            continue
        found += 1
        readers = [r for r, span, _ in candidates if any(corresponds(span, q) for q in spans)]
        same_kind = [r for r in readers if r["kind"] == record["kind"]]
        if same_kind:
            kind_right += 1
        else:
            misses["kind"].append(f"{record['id']} ({record['kind']}): drafted as {sorted({r['kind'] for r in readers})}")
        wanted = (record.get("date"), record.get("date_bound"))
        if any((r["date"], r.get("date_bound")) == wanted for r in same_kind):
            date_right += 1
        else:
            drafted = sorted({f"{r['date']}{' ' + r['date_bound'] if r.get('date_bound') else ''}" for r in same_kind})
            misses["date"].append(f"{record['id']} ({_shown_date(*wanted)}): drafted {drafted}")
        if record["kind"] == "statement":
            statements += 1
            if any(person_key(r["speaker"] or "") == person_key(record["speaker"]) for r in same_kind):
                speaker_right += 1
            else:
                misses["speaker"].append(
                    f"{record['id']} ({record['speaker']}): drafted {sorted({str(r['speaker']) for r in same_kind})}"
                )

    should = pointed = first = stray = 0
    for record, span, matches in candidates:
        expected = {
            fact_id
            for table, fact_id, citation in taken
            if table == "facts" and corresponds(span, _span(citation, text))
        }
        ids = [match.id for match in matches]
        if expected:
            should += 1
            pointed += bool(expected & set(ids))
            first += bool(ids) and ids[0] in expected
            if not expected & set(ids):
                misses["pointing"].append(f"{text[span[0]:span[1]][:70]!r}: expected {sorted(expected)}, got {ids}")
        if ids and ids[0] not in expected:
            stray += 1
            misses["pointing"].append(f"{text[span[0]:span[1]][:70]!r}: stray first match {ids[0]}")
    return {
        "candidates": len(candidates),
        "removed_facts": len(removed),
        "removed_citations": len(taken),
        "quotes": len(removed_quotes),
        "quotes_found": len(found_quotes),
        "recall": _share(len(found_quotes), len(removed_quotes)),
        "precise": precise,
        "precision": _share(precise, len(candidates)),
        "facts_found": found,
        "kind_right": _share(kind_right, found),
        "kind_right_count": kind_right,
        "date_right": _share(date_right, found),
        "date_right_count": date_right,
        "statements": statements,
        "speaker_right": _share(speaker_right, statements),
        "speaker_right_count": speaker_right,
        "should_point": should,
        "pointed": pointed,
        "pointed_first": first,
        "stray": stray,
        "misses": misses,
    }


def _shown_date(date, bound):
    return f"{bound} {date}" if bound else str(date)


def _share(part, whole):
    return part / whole if whole else 1.0


def measure(db, seeds):
    """One row per seed whose source is in the store at db: (file, source id, measures)."""
    with open(db, encoding="utf-8") as handle:
        tables = json.load(handle)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for record in sorted(tables["sources"].values(), key=lambda s: s["file"]):
            path = Path(seeds) / record["file"]
            if not path.is_file():
                continue
            copy, removed, taken = leave_one_out(tables, record["id"])
            store_path = os.path.join(folder, f"without-{record['id']}.json")
            with open(store_path, "w", encoding="utf-8") as handle:
                json.dump(copy, handle, ensure_ascii=False)
            result = draft.draft_for(load_whole(store_path), str(path))
            text = draft.read_text(str(path))
            rows.append((record["file"], record["id"], score(result, removed, taken, record["id"], text)))
    return rows


def totals(rows):
    """The measures of all seeds together, each share computed over the summed counts."""
    sums = {key: sum(row[2][key] for row in rows) for key, value in rows[0][2].items() if isinstance(value, int)}
    return {
        **sums,
        "recall": _share(sums["quotes_found"], sums["quotes"]),
        "precision": _share(sums["precise"], sums["candidates"]),
        "kind_right": _share(sums["kind_right_count"], sums["facts_found"]),
        "date_right": _share(sums["date_right_count"], sums["facts_found"]),
        "speaker_right": _share(sums["speaker_right_count"], sums["statements"]),
    }


def table(rows):
    lines = [
        "| seed | source | candidates | removed facts / citations | recall | precision | kind right | date right"
        " | speaker right | should point | pointed | first | stray |",
        "| --- | --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |",
    ]
    for file, source_id, m in [*rows, ("all", "", totals(rows))]:
        lines.append(
            f"| {file[:3]} | {source_id} | {m['candidates']} | {m['removed_facts']} / {m['removed_citations']}"
            f" | {m['recall']:.0%} ({m['quotes_found']}/{m['quotes']})"
            f" | {m['precision']:.0%} ({m['precise']}/{m['candidates']})"
            f" | {m['kind_right']:.0%} ({m['kind_right_count']}/{m['facts_found']})"
            f" | {m['date_right']:.0%} ({m['date_right_count']}/{m['facts_found']})"
            f" | {m['speaker_right']:.0%} ({m['speaker_right_count']}/{m['statements']})"
            f" | {m['should_point']} | {m['pointed']} | {m['pointed_first']} | {m['stray']} |"
        )
    return "\n".join(lines)


def rules():
    start = __doc__.index("- A candidate")
    return __doc__[start : __doc__.index("\n\n", start)].replace("COVER", f"{COVER:.0%}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default=str(REPO.parent / "shared" / "seeds"), help="folder of source texts")
    parser.add_argument("--db", default=str(REPO / "data" / "facts.json"), help="store whose facts are the answer key")
    parser.add_argument("--json", action="store_true", help="print the measures as JSON")
    parser.add_argument("--misses", action="store_true", help="list each miss after the table")
    args = parser.parse_args()
    rows = measure(args.db, args.seeds)
    if not rows:
        print(f"no source texts of the store found in {args.seeds}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"rules": rules(), "goals": GOALS, "seeds": {r[1]: r[2] for r in rows}, "all": totals(rows)}))
        return 0
    print(rules())
    print()
    print(table(rows))
    print()
    print("Goals per seed: " + ", ".join(f"{name.replace('_', ' ')} >= {goal:.0%}" for name, goal in GOALS.items()))
    for file, source_id, m in rows:
        missed = [name for name, goal in GOALS.items() if m[name] < goal]
        if missed:
            print(f"{file[:3]} {source_id} misses: {', '.join(missed)}")
    if args.misses:
        for file, source_id, m in rows:
            for what, items in m["misses"].items():
                for item in items:
                    print(f"{file[:3]} {what}: {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
