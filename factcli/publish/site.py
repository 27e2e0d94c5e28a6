"""A static website of the store: plain HTML pages with relative links, readable from file:// with no script."""

import json
import os

from .. import __version__
from ..answers import listing, people, rating
from ..core.errors import FactsError
from ..core.kinds import KINDS
from ..core.text import slugify
from ..output.documents import documents
from ..output.wording import LEGEND, dated, filed_under, strip_scope, tenure_text
from ..storage import folders
from ..storage.files import parse_json, read_regular_text

# Written into every site, listing its files: a later build may replace exactly those and no others.
MANIFEST = ".facts-site.json"
GENERATOR = "facts site"
# A page of a person or post is named from the name: cut to this, with room for "-2" and ".html"
# under the length of a fact's id (core.validation.MAX_ID_LENGTH), which every file system takes.
MAX_SLUG_LENGTH = 100
# A site has a page per fact, and a timeline of them all on one page. Past this many facts it is
# no longer a site a person reads, and it costs minutes and gigabytes to build (at 100,000
# facts, 53 s and 1.7 GB); a briefing of a part of the store (facts brief) is the way to publish it.
MAX_FACTS = 10_000
# The terminal's grade colours from the best grade of a scale to the worst (see
# output.terminal.base), as web colours, each with the ink its letter is written in; the chart
# never relies on them alone: letters name the grade and hatching marks carried-forward years.
GRADE_COLOURS = (("#1f5fa8", "#ffffff"), ("#2e7d32", "#ffffff"), ("#c9b400", "#000000"), ("#e0a100", "#000000"), ("#b3261e", "#ffffff"))
OFF_SCALE = ("#6b6b6b", "#ffffff")
# A year whose judgment in force the sources do not settle: an open square with a question mark.
UNKNOWN, UNKNOWN_LETTER = ("#ffffff", "#000000"), "?"


class SiteError(FactsError):
    """The site cannot be written where asked."""


def _unique_slugs(names):
    """A file name for each distinct name, readable and never shared."""
    slugs, taken = {}, set()
    for name in names:
        if name in slugs:
            continue
        base = slugify(name, max_words=12, max_length=MAX_SLUG_LENGTH)
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        slugs[name] = slug
        taken.add(slug)
    return slugs


def _grades(meta):
    """Each grade of the store's scale, best first, as the chart draws it: its letter, its colour
    and ink, and the number of its hatching pattern."""
    count = len(GRADE_COLOURS) - 1
    return [
        {"grade": grade, "letter": meta.letter(grade), "pattern": number, "colour": colour, "ink": ink}
        for number, grade in enumerate(meta.scale)
        for colour, ink in [GRADE_COLOURS[round(meta.rank(grade) * count)]]
    ]


def _chart(strip, meta):
    """The rating strip as cells for the chart template: one per year, made, carried forward, or
    not known (a judgment inspected but not on record as published by the year's end)."""
    grades = {grade["grade"]: grade for grade in _grades(meta)}
    off_scale = {"letter": None, "pattern": None, "colour": OFF_SCALE[0], "ink": OFF_SCALE[1]}
    cells = []
    for cell in strip:
        if cell.judgment is None:
            grade, letter = {**off_scale, "colour": UNKNOWN[0], "ink": UNKNOWN[1]}, UNKNOWN_LETTER
        else:
            grade = grades.get(cell.judgment, off_scale)
            letter = grade["letter"] or meta.letter(cell.judgment)
            letter = letter if cell.made_in_year else letter.lower()
        cells.append(
            {
                "year": cell.year,
                "judgment": cell.judgment,
                "letter": letter,
                "pattern": grade["pattern"],
                "colour": grade["colour"],
                "ink": grade["ink"],
                "made_in_year": cell.made_in_year,
                "known": cell.judgment is not None,
                "how": _how(cell),
                "area": cell.area,
            }
        )
    return cells


def _how(cell):
    """How a year of the chart is known, in words for its table and its description."""
    if cell.judgment is None:
        return f"not known: a judgment was inspected {cell.made}, but its publication is not on record"
    if cell.made_in_year:
        return f"made in {cell.year}"
    if cell.made_basis == "inspected":
        return f"in force; inspected {cell.made}, publication not on record"
    return f"carried forward from {cell.made}"


def _facts(store):
    """Every published fact, in timeline order: its JSON document and how its date reads."""
    answer = listing.timeline(store, undated=True)
    return [
        {
            "doc": document,
            "when": dated(hit.fact),
            "year": filed_under(hit.fact),
            "fields": [(name, document[name]) for name in KINDS[hit.fact.kind]],
        }
        for hit, document in zip(answer.hits, documents(answer))
    ]


def _tenures(store, today):
    """(posts, people): each post with its holders, each person with the posts they held, and
    each holder's tenure as the evidence gives it."""
    posts = people.posts(store, today)
    post_slugs = _unique_slugs(f"{post.name}, {post.organisation}" for post in posts)
    people_slugs = _unique_slugs(sorted({hit.fact.fields["person"] for post in posts for hit in post.holders}))
    by_name = {name: {"name": name, "slug": slug, "roles": []} for name, slug in people_slugs.items()}
    entries = []
    for post in posts:
        entry = {"post": post, "slug": post_slugs[f"{post.name}, {post.organisation}"], "holders": []}
        for hit in post.holders:
            holder = {
                "person": hit.fact.fields["person"],
                "person_slug": people_slugs[hit.fact.fields["person"]],
                "role": hit.fact.fields["role"],
                "fact_id": hit.fact.id,
                "tenure": tenure_text(hit.fact, hit.context),
                "presumed": hit.context["basis"] == "presumed",
                "post": post,
                "post_slug": entry["slug"],
            }
            entry["holders"].append(holder)
            by_name[holder["person"]]["roles"].append(holder)
        entries.append(entry)
    return entries, list(by_name.values())


def pages(store, today):
    """Every page of the site as {relative path: HTML}."""
    from .templating import render

    facts = _facts(store)
    conflicts = documents(listing.conflicts(store))
    sources = documents(listing.sources(store))
    posts, people = _tenures(store, today)
    judgments = rating.rating(store, today)
    common = {
        "about": {
            "store": os.path.basename(store.path),
            "facts": len(facts),
            "sources": len(store.sources),
            "conflicts": len(store.conflicts),
            "built": today.isoformat(),
            "version": __version__,
            "title": store.meta.title,
            "description": store.meta.description,
            "inspectorate": store.meta.inspectorate,
            "grade": store.meta.grade_title(),
        },
        "fact_ids": {fact["doc"]["id"] for fact in facts},
        "legend": LEGEND,
    }

    def page(template, root="", **values):
        return render(template, root=root, **common, **values)

    site = {
        "index.html": page(
            "index.html",
            chart=_chart(judgments.strip, store.meta),
            scope=strip_scope(judgments.strip) if judgments.strip else "",
            judgments=documents(judgments),
            grades=_grades(store.meta),
        ),
        "timeline.html": page("timeline.html", years=_by_year(facts)),
        "people.html": page("people.html", posts=posts, people=people),
        "sources.html": page("sources.html", sources=sources),
        "conflicts.html": page("conflicts.html", conflicts=conflicts),
    }
    holders = {holder["fact_id"]: holder for entry in posts for holder in entry["holders"]}
    conflicts_by_id = {conflict["id"]: conflict for conflict in conflicts}
    citing = {source["id"]: [] for source in sources}
    disputes = {source["id"]: [] for source in sources}
    for fact in facts:
        document = fact["doc"]
        for citation in document["citations"]:
            citing[citation["source"]].append((fact, citation))
        site[f"facts/{document['id']}.html"] = page(
            "fact.html",
            root="../",
            fact=fact,
            conflicts=[conflicts_by_id[conflict_id] for conflict_id in document["conflicts"]],
            holder=holders.get(document["id"]),
        )
    for conflict in conflicts:
        for citation in conflict["citations"]:
            disputes[citation["source"]].append((conflict, citation))
    for source in sources:
        site[f"sources/{source['id']}.html"] = page(
            "source.html", root="../", source=source, citing=citing[source["id"]], disputes=disputes[source["id"]]
        )
    for entry in posts:
        site[f"posts/{entry['slug']}.html"] = page("post.html", root="../", entry=entry)
    for person in people:
        site[f"people/{person['slug']}.html"] = page("person.html", root="../", person=person)
    return site


def _by_year(facts):
    """(heading, facts) in timeline order, each heading once: a year, or for a date known only as
    a bound, the bound (output.wording.filed_under); undated facts last."""
    years = {}
    for fact in facts:
        years.setdefault(fact["year"], []).append(fact)
    return list(years.items())


def _previous_files(directory):
    """The files an earlier build wrote into directory; none for a new or empty one. Refuses
    any other non-empty folder, so a mistyped path never has files written over. The manifest
    is read only as a regular file in the folder itself, never through a link."""
    if not os.path.exists(directory):
        return []
    if not os.path.isdir(directory):
        raise SiteError(f"{directory} is not a folder")
    entries = os.listdir(directory)
    if not entries:
        return []
    try:
        manifest = parse_json(read_regular_text(os.path.join(directory, MANIFEST), follow_links=False))
        files = manifest["files"] if manifest.get("generator") == GENERATOR else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        files = None
    if not isinstance(files, list):
        raise SiteError(f"{directory} is not empty and holds no site written by facts site; give a new or empty folder")
    # Only plain relative paths inside the folder, whatever the manifest says.
    return [name for name in files if isinstance(name, str) and not os.path.isabs(name) and ".." not in name.split("/")]


def write(store, directory, today):
    """Write the site into directory (new, empty, or an earlier site, whose files it replaces);
    return how many pages were written.

    The site is built in a folder beside directory and swapped in whole (storage.folders), so
    a kill, a full disk or an error leaves directory as it was; nothing in it is followed
    through a link, and what it holds besides the earlier site's files is kept.
    """
    directory = os.fspath(directory)
    count = len(store.ids())
    if count > MAX_FACTS:
        raise SiteError(
            f"the store holds {count:,} facts; a site holds at most {MAX_FACTS:,} (a page each);"
            " publish part of it with facts brief --from/--to/--topic"
        )
    previous = folders.places([*_previous_files(directory), MANIFEST])
    site = pages(store, today)
    manifest = json.dumps({"generator": GENERATOR, "files": sorted(site)}, indent=1) + "\n"
    try:
        folders.replace(directory, {**site, MANIFEST: manifest}, owned=previous.__contains__)
    except OSError as error:
        raise SiteError(
            f"cannot write the site into {directory}: {error.strerror or error}; it is as it was"
        ) from None
    return len(site)
