"""Time the facts CLI as whole processes against interpreter floors, on bundled and synthetic stores."""

import argparse
import json
import marshal
import os
import platform
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the schema comes from the working tree, not whatever is installed

from factcli.core import dates as core_dates  # noqa: E402
from factcli.core import kinds as core_kinds  # noqa: E402
from factcli.core import text as core_text  # noqa: E402

SEED = 20261123
DEFAULT_SIZES = (1000, 10000, 100000)
QUICK_SIZE, QUICK_REPEAT = 200, 3
SOURCE_COUNT = 50
SEARCH_WORD = "neglect"  # one finding phrase uses it, so a few percent of claims match
ROLE_QUERY = "director"
TARGET_SCALE_MAX_SIZE = 100000  # the issue sets targets up to 100k; larger sizes are reported only
SCALE_TARGET, RSS_TARGET_MB = 2.0, 150

FLOORS = {
    "pass": "pass",
    "click": "import click",
    "click+tinydb": "import click, tinydb",
    "click+tinydb+rich": "import click, tinydb, rich.console, rich.table",
    # facts pauses the cycle collector while it imports click and its command line and freezes
    # what they made, and freezes everything once a command is done, so the interpreter's
    # shutdown skips it; these floors do the same, so that what facts' own code costs is on
    # record beside the targets.
    "click, frozen": "import gc; gc.disable(); import click; gc.freeze()",
    "click+tinydb, frozen": "import gc; gc.disable(); import click, tinydb; gc.freeze()",
}

# --- synthetic stores ------------------------------------------------------------------------

COUNCILS = (
    "Blackpool Council", "Blackburn with Darwen Council", "Lancashire County Council",
    "Leeds City Council", "Bradford Council", "Kirklees Council", "Calderdale Council",
    "Manchester City Council", "Salford City Council", "Oldham Council", "Rochdale Borough Council",
    "Wigan Council", "Bolton Council", "Stockport Council", "Tameside Council", "Trafford Council",
    "Liverpool City Council", "Sefton Council", "Knowsley Council", "Wirral Council",
    "Cumberland Council", "Westmorland and Furness Council", "Sunderland City Council",
    "Newcastle City Council", "Durham County Council", "Middlesbrough Council",
    "Hartlepool Borough Council", "Hull City Council", "Doncaster Council", "Rotherham Council",
    "Sheffield City Council", "Nottingham City Council", "Derby City Council", "Leicester City Council",
    "Birmingham City Council", "Sandwell Council", "Walsall Council", "Wolverhampton Council",
    "Coventry City Council", "Worcestershire County Council", "Herefordshire Council",
    "Shropshire Council", "Stoke-on-Trent City Council", "Norfolk County Council", "Suffolk County Council",
    "Essex County Council", "Thurrock Council", "Southend-on-Sea City Council", "Kent County Council",
    "Medway Council", "Croydon Council", "Tower Hamlets Council", "Haringey Council", "Barnet Council",
    "Hampshire County Council", "Isle of Wight Council", "Devon County Council", "Cornwall Council",
    "Somerset Council", "Bristol City Council", "Swindon Borough Council",
)
FIRST_NAMES = (
    "Diane", "Vicky", "Simon", "Lynn", "Helen", "David", "Jim", "Sarah", "Mark", "Rachel", "Amina",
    "Tom", "Priya", "Gareth", "Joanne", "Kevin", "Fatima", "Ian", "Claire", "Paul", "Niamh", "Olu",
    "Steve", "Karen", "Rob", "Alison", "Imran", "Louise", "Martin", "Zoë", "Siân", "Chloé",
)
LAST_NAMES = (
    "Booth", "Gent", "Blackburn", "Williams", "Lincoln", "Johnston", "Hobson", "Ahmed", "Patel",
    "Clarke", "Hughes", "O'Neill", "Walsh", "Khan", "Roberts", "Taylor", "Okafor", "Brennan",
    "Thompson", "Murray", "Singh", "Davies", "Fletcher", "Moss", "Ashworth", "Jenkins", "Begum",
)
OUTLETS = (
    ("gazette", "Blackpool Gazette"), ("bbc", "BBC"), ("radio", "Radio Wave"), ("ofsted", "Ofsted"),
    ("dfe", "Department for Education"), ("lgc", "Local Government Chronicle"),
    ("cypnow", "Children and Young People Now"), ("council", None), ("guardian", "The Guardian"),
)
HEADLINES = (
    "Children's services rated inadequate", "Scrutiny order lifted", "Improvement plan taking shape",
    "Commissioner's review published", "New director appointed", "Monitoring visit finds progress",
    "Council invests in social workers", "Minister writes to council", "Front door under review",
    "Inspection due next year", "Caseloads falling, report says", "Children in care numbers rise",
)
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
AREAS = (
    "overall", "help and protection of children", "experiences and progress of children in care",
    "experiences and progress of care leavers", "impact of leaders on social work practice",
)
SERVICES = ("children's services", "child protection", "services for children in need of help and protection")
INSPECTION_TYPES = (
    "full inspection", "monitoring visit", "focused visit", "joint targeted area inspection",
    "short inspection", "full reinspection",
)
INSPECTION_BODIES = ("Ofsted", "Ofsted and the Care Quality Commission", "HM Inspectorate of Probation")
ACTION_VERBS = {
    "imposed": "was imposed on",
    "lifted": "was lifted from",
    "planned": "was planned for",
    "continued": "remained in place at",
    "concluded": "was concluded at",
}
MINISTER_ROLES = (
    "minister for children and families", "minister for children, families and wellbeing",
    "minister for children and young people",
)
COUNCIL_ROLES = (
    "director of children's services", "cabinet member for children's services", "chief executive",
    "assistant director of children's social care", "interim director of children's services",
)
FINDINGS = (
    "that some children were living in chronic neglect",
    "that neglect was not recognised early enough",
    "that social worker caseloads were too high",
    "serious weaknesses at the front door",
    "that leaders had a clear grip on practice",
    "widespread drift and delay in care planning",
    "that management oversight was inconsistent",
    "that the quality of assessments had improved",
    "that too many children were placed out of area",
    "that care leavers were well supported into work",
    "a stable and committed workforce",
    "that partnership working had strengthened",
    "that children waited too long for help",
    "that the use of agency staff had fallen",
    "that return home interviews were not always offered",
)
SAYINGS = (
    "the council was determined to improve its children's services",
    "the findings of the report were deeply disappointing",
    "staff had worked hard to turn the service around",
    "the council accepted every recommendation in full",
    "recruiting permanent social workers remained the biggest challenge",
    "children were safer than they had been a year earlier",
    "the improvement board would meet every month",
    "funding pressures made the work harder but not impossible",
)
PLANS = (
    "a 12-week improvement plan for children's services",
    "a new model of practice, Families First",
    "a workforce strategy focused on recruitment and retention",
    "an improvement board for children's services",
    "a sufficiency strategy for children in care",
    "a new early help strategy",
    "regular monitoring of the quality of social work",
)
EVENTS = (
    "moved its children's services into an independent trust",
    "opened a new children's home",
    "held a public meeting on children's services",
    "restructured its children's social care teams",
    "launched a recruitment campaign for foster carers",
    "set up a multi-agency safeguarding hub",
    "published its annual report on children in care",
)
FIGURES = (  # (unit, measure, low, high, claim pattern); {v} is the formatted value
    ("GBP", "additional investment in children's services", 200_000, 20_000_000,
     "{council} made an additional investment of {v} in children's services"),
    ("children", "children in care", 100, 2500, "There were {v} children in care in {council}"),
    ("social workers", "social workers recruited", 10, 300, "{council} recruited {v} social workers"),
    ("percent", "social worker vacancy rate", 3.0, 45.0, "{council}'s social worker vacancy rate was {v}"),
    ("cases", "average social worker caseload", 10.0, 35.0,
     "The average social worker caseload at {council} was {v}"),
)
DATE_NOTES = (
    "Source undated; its date is inferred from the events it describes.",
    "Reported in an article published the same month.",
    "Printed as a season, so only the year is recorded.",
    "Earliest citing source gives this date; later sources agree.",
)
# Roughly the mix of the curated store: many findings and statements, few ratings and figures.
KIND_WEIGHTS = {
    "finding": 28, "statement": 24, "intervention": 8, "role": 10, "inspection": 7,
    "plan": 7, "event": 5, "rating": 6, "figure": 5,
}


def random_date(rng, first=2000, last=2026):
    """A partial ISO date, or None: the mix of precisions real sources give."""
    precision = rng.random()
    if precision < 0.05:
        return None
    year = rng.randint(first, last)
    if precision < 0.25:
        return f"{year}"
    month = rng.randint(1, 12)
    if precision < 0.65:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def later_date(rng, date, max_years=3):
    """A date of the same precision up to a few years after date (for ends and publications)."""
    parts = date.split("-")
    year = min(2026, int(parts[0]) + rng.randint(0, max_years))
    parts[0] = str(year)
    return "-".join(parts)


def period(date):
    """How a claim words a date: 'in 2019', 'in March 2019', 'on 12 March 2019' or nothing."""
    if date is None:
        return ""
    year, month, day = core_dates.parse_partial_date(date)
    if day:
        return f"on {day} {MONTHS[month - 1]} {year}"
    if month:
        return f"in {MONTHS[month - 1]} {year}"
    return f"in {year}"


def sentence(*parts):
    return " ".join(part for part in parts if part) + "."


def person(rng):
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def make_rating(rng, council, date):
    judgment, area, service = rng.choice(SCALE), rng.choice(AREAS), rng.choice(SERVICES)
    inspected = date if rng.random() < 0.7 else None
    published = later_date(rng, date, 0) if date and rng.random() < 0.8 else None
    grade = f"{judgment} overall" if area == "overall" else f"{judgment} for the {area}"
    claim = sentence(f"Ofsted rated {council}'s {service}", grade, period(date))
    return claim, {
        "judgment": judgment, "area": area, "service": service,
        "inspected": inspected, "published": published,
    }


def make_inspection(rng, council, date):
    body, kind = rng.choice(INSPECTION_BODIES), rng.choice(INSPECTION_TYPES)
    status = "held" if rng.random() < 0.8 else "planned"
    verb = "carried out" if status == "held" else "was expected to carry out"
    claim = sentence(f"{body} {verb} a {kind} of {council}'s children's services", period(date))
    return claim, {"body": body, "inspection_type": kind, "status": status}


def make_intervention(rng, council, date):
    measure = rng.choice(core_kinds.KINDS["intervention"]["intervention"].choices)
    action = rng.choice(core_kinds.KINDS["intervention"]["action"].choices)
    by = rng.choice(("the Secretary of State for Education", "the Department for Education", None))
    verb = ACTION_VERBS.get(action, action)
    claim = sentence(f"A {measure} {verb} {council}", by and f"by {by}", period(date))
    return claim, {"intervention": measure, "action": action, "by": by}


def make_role(rng, council, date):
    name, draw = person(rng), rng.random()
    if draw < 0.15:
        role, organisation, post = rng.choice(MINISTER_ROLES), "UK Government", "children's minister"
        claim = sentence(f"{name} was {role}", period(date))
    elif draw < 0.35:
        role, organisation, post = f"Leader of {council}", council, None
        claim = sentence(f"{name} was {role}", period(date))
    else:
        role, organisation, post = rng.choice(COUNCIL_ROLES), council, None
        claim = sentence(f"{name} was {council}'s {role}", period(date))
    start = date if date and rng.random() < 0.3 else None
    end = later_date(rng, date, 5) if date and rng.random() < 0.2 else None
    return claim, {
        "person": name, "role": role, "organisation": organisation, "start": start, "end": end, "post": post,
        "start_basis": "stated" if start else None, "end_basis": "stated" if end else None, "tenure_note": None,
    }


def make_figure(rng, council, date):
    unit, measure, low, high, pattern = rng.choice(FIGURES)
    if unit == "GBP":
        value = rng.randrange(low, high, 100_000)
        shown = f"£{value / 1_000_000:.1f}m" if value >= 1_000_000 else f"£{value // 1000}k"
    elif isinstance(low, float):
        value = round(rng.uniform(low, high), 1)
        shown = f"{value}%" if unit == "percent" else f"{value} {unit}"
    else:
        value = rng.randint(low, high)
        shown = str(value)
    claim = sentence(pattern.format(council=council, v=shown), period(date))
    return claim, {"value": value, "unit": unit, "measure": f"{measure} in {council}"}


def make_finding(rng, council, date):
    by = rng.choice(("Ofsted", f"{person(rng)} (commissioner)", f"{person(rng)} (minister)", None))
    finding = rng.choice(FINDINGS)
    claim = sentence(f"{by or 'A review'} found {finding} in {council}'s children's services", period(date))
    return claim, {"by": by}


def make_statement(rng, council, date):
    speaker, saying = person(rng), rng.choice(SAYINGS)
    when = period(date)
    opening = when[:1].upper() + when[1:] + "," if when else ""
    claim = sentence(opening, f"{speaker} of {council} said {saying}")
    return claim, {"speaker": speaker}


def make_plan(rng, council, date):
    owner = council if rng.random() < 0.85 else rng.choice(("Ofsted", "the Department for Education"))
    claim = sentence(f"{council} set out {rng.choice(PLANS)}", period(date))
    return claim, {"owner": owner}


def make_event(rng, council, date):
    return sentence(f"{council} {rng.choice(EVENTS)}", period(date)), {}


MAKERS = {
    "rating": make_rating, "inspection": make_inspection, "intervention": make_intervention,
    "role": make_role, "figure": make_figure, "finding": make_finding, "statement": make_statement,
    "plan": make_plan, "event": make_event,
}


def generic_value(rng, spec, date):
    """A plausible value for a field this script has no maker for, so a new kind or field still validates."""
    if spec.choices:
        return rng.choice(spec.choices)
    if spec.type == "date":
        return date
    if spec.type == "number":
        return rng.randint(1, 1000)
    return "unspecified"


def kind_fields(rng, kind, council, date):
    """The claim and exactly the fields core_kinds.KINDS lists for kind, filling any the makers do not know."""
    if kind in MAKERS:
        claim, made = MAKERS[kind](rng, council, date)
    else:
        claim, made = sentence(f"{council} recorded a {kind}", period(date)), {}
    fields = {}
    for name, spec in core_kinds.KINDS[kind].items():
        value = made.get(name) if name in made else generic_value(rng, spec, date)
        if value is None and not spec.nullable:
            value = generic_value(rng, spec, date) or "unknown"
        fields[name] = value
    return claim, fields


def make_sources(rng):
    sources = []
    for number in range(SOURCE_COUNT):
        prefix, publisher = rng.choice(OUTLETS)
        published = random_date(rng)
        headline = rng.choice(HEADLINES)
        printed = published is not None and rng.random() < 0.7
        sources.append(
            {
                "id": f"{prefix}-{published or 'undated'}-{core_text.slugify(headline, 5)}-{number}",
                "title": headline,
                "publisher": publisher,
                "published": published,
                "published_basis": None if published is None else ("printed" if printed else "inferred"),
                "published_note": None if printed else rng.choice(DATE_NOTES),
                "file": f"{number:03d}_{rng.getrandbits(64):016x}.txt",
            }
        )
    return sources


def quote_from(rng, claim):
    """A short quote: a run of five to twelve words of the claim, as a curator would clip it."""
    words = claim.rstrip(".").split()
    length = min(len(words), rng.randint(5, 12))
    start = rng.randint(0, len(words) - length)
    return " ".join(words[start : start + length])


def unique_claim(claim, seen):
    """claim, or claim with the paragraph it came from, so no two are equal as the schema compares them."""
    key, candidate = core_text.normalise_claim(claim), claim
    while core_text.normalise_claim(candidate) in seen:
        seen[key] += 1  # counts per base claim, so the hundredth repeat needs no search
        candidate = f"{claim[:-1]}, as noted in paragraph {seen[key]}."
    seen[core_text.normalise_claim(candidate)] = 1
    return candidate


def unique_id(slug, seen):
    """slug, or slug-2, slug-3, ...; seen counts each base so a popular one costs no search."""
    candidate = slug
    while candidate in seen:
        seen[slug] += 1
        candidate = f"{slug}-{seen[slug]}"
    seen[candidate] = 1
    return candidate


def make_fact(rng, kinds, weights, sources, seen_claims, seen_ids):
    kind = rng.choices(kinds, weights)[0]
    council, date = rng.choice(COUNCILS), random_date(rng)
    claim, fields = kind_fields(rng, kind, council, date)
    claim = unique_claim(claim, seen_claims)
    # Ids read like the curated ones: kind, date, then the gist of the claim.
    gist = core_text.slugify(claim, 12).replace(core_text.slugify(period(date), 12) + "-", "", 1)
    gist = "-".join(gist.split("-")[:6])
    fact_id = unique_id(f"{kind}-{date or 'undated'}-{gist}", seen_ids)
    citations = [
        {"source": rng.choice(sources)["id"], "quote": quote_from(rng, claim)}
        for _ in range(rng.choices((1, 2, 3, 4), (50, 30, 15, 5))[0])
    ]
    fact = {"id": fact_id, "kind": kind, "claim": claim, "date": date, "citations": citations, **fields}
    fact["date_note"] = rng.choice(DATE_NOTES) if rng.random() < 0.15 else None
    if rng.random() < 0.003:
        fact["retracted"] = {"reason": "The source refers to a different council.", "date": "2026-01"}
    return fact


def json_block(record, depth):
    """record dumped as json.dumps(whole store, indent=2) would lay it out at this nesting depth."""
    text = json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False)
    return text.replace("\n", "\n" + "  " * depth)


def write_table(out, name, blocks, last):
    """One TinyDB table from already serialised records, keyed by document id."""
    # Document ids are strings, so sort_keys puts "10" before "2"; match json.dumps byte for byte.
    ids = sorted(blocks)
    out.write(f'  "{name}": {{\n')
    for position, doc_id in enumerate(ids):  # one at a time: a joined 1M-fact table is another 700 MB
        out.write(f'    "{doc_id}": {blocks[doc_id]}' + (",\n" if position < len(ids) - 1 else "\n"))
    out.write("  }" + ("\n" if last else ",\n"))


@dataclass
class SyntheticStore:
    path: Path
    size: int
    show_id: str  # a fact from the middle of the store that is not retracted
    source_id: str


# What the synthetic stores are about: their meta, with the grade scale their ratings use.
SCALE = ("outstanding", "good", "requires improvement", "inadequate")
META = {
    "title": "Synthetic councils' children's services",
    "subject": "English councils",
    "inspectorate": "Ofsted",
    "scale": list(SCALE),
    "aliases": {"dcs": "director of children's services"},
}


def generate_store(path, size):
    """Write a valid store of size facts from the fixed seed, so every run sees the same stores."""
    rng = random.Random(SEED)
    sources = make_sources(rng)
    kinds = list(core_kinds.KINDS)
    weights = [KIND_WEIGHTS.get(kind, 5) for kind in kinds]
    seen_claims, seen_ids = {}, {}
    # Kept serialised rather than as dicts: a million fact dicts at once would need gigabytes.
    blocks, show_id = {}, None
    for number in range(1, size + 1):
        fact = make_fact(rng, kinds, weights, sources, seen_claims, seen_ids)
        if show_id is None and number > size // 2 and "retracted" not in fact:
            show_id = fact["id"]
        blocks[str(number)] = json_block(fact, 2)
    with open(path, "w", encoding="utf-8") as out:
        out.write("{\n")
        write_table(out, "facts", blocks, last=False)
        write_table(out, "meta", {"1": json_block(META, 2)}, last=False)
        write_table(out, "sources", {str(n): json_block(s, 2) for n, s in enumerate(sources, 1)}, last=True)
        out.write("}\n")
    return SyntheticStore(Path(path), size, show_id, sources[0]["id"])


# --- timing ----------------------------------------------------------------------------------


@dataclass
class Sample:
    ms: float
    rss_mb: float
    code: int
    error: str = ""


# Every timed process is started by this small helper rather than by the benchmark itself. On
# Linux exec records the old address space's high-water mark in the new program's ru_maxrss, so a
# child spawned by a process holding a 100k-fact store in memory would report that much RSS too.
# The helper stays at a bare interpreter's size, which is below any Python command's own peak.
SPAWNER = r"""
import marshal, os, signal, sys, time
os.chdir(sys.argv[1])
child, killed = 0, False

def kill(signum, frame):
    global killed
    if child:
        killed = True
        os.kill(child, signal.SIGKILL)

signal.signal(signal.SIGALRM, kill)
requests, replies = sys.stdin.buffer, sys.stdout.buffer
while header := requests.read(4):
    argv, env, timeout, stderr_path = marshal.loads(requests.read(int.from_bytes(header, "little")))
    files = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
    ]
    killed = False
    try:
        start = time.perf_counter()
        child = os.posix_spawnp(argv[0], argv, env, file_actions=files)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        _, status, usage = os.wait4(child, 0)
        elapsed = time.perf_counter() - start
        child = 0
        signal.setitimer(signal.ITIMER_REAL, 0)
        reply = (elapsed * 1000, usage.ru_maxrss, os.waitstatus_to_exitcode(status), killed, "")
    except OSError as error:
        child = 0
        reply = (0.0, 0, -1, False, f"cannot run {argv[0]}: {error.strerror}")
    data = marshal.dumps(reply)
    replies.write(len(data).to_bytes(4, "little") + data)
    replies.flush()
"""


def maxrss_mb(kilobytes_or_bytes):
    # ru_maxrss is kilobytes on Linux, bytes on macOS.
    return kilobytes_or_bytes / (1024 * 1024 if sys.platform == "darwin" else 1024)


class Spawner:
    """Runs one whole process at a time: wall time from spawn to reap, and that child's own peak RSS."""

    def __init__(self, timeout, stderr_path):
        self.timeout, self.stderr_path = timeout, str(stderr_path)
        # -S: no site module, so the helper (and so the RSS it passes on) stays as small as can be.
        self.helper = subprocess.Popen(
            [sys.executable, "-S", "-c", SPAWNER, str(REPO)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def run(self, argv, env):
        request = marshal.dumps(([str(a) for a in argv], env, self.timeout, self.stderr_path))
        self.helper.stdin.write(len(request).to_bytes(4, "little") + request)
        self.helper.stdin.flush()
        size = int.from_bytes(self.helper.stdout.read(4), "little")
        elapsed, maxrss, code, killed, failure = marshal.loads(self.helper.stdout.read(size))
        error = failure
        if killed:
            error = f"timed out after {self.timeout:g} s"
        elif code != 0 and not error:
            error = f"exit {code}: {self.last_stderr_line()}"
        return Sample(elapsed, maxrss_mb(maxrss), code, error)

    def last_stderr_line(self):
        lines = Path(self.stderr_path).read_text(encoding="utf-8", errors="replace").strip().splitlines()
        return lines[-1] if lines else "no message"

    def close(self):
        self.helper.stdin.close()
        self.helper.wait()


@dataclass
class Row:
    group: str
    command: str
    store: str
    floor: str
    target: str = ""
    query: str = ""  # the subcommand, for rows compared across store sizes
    samples: list = field(default_factory=list)
    floor_samples: list = field(default_factory=list)
    ratios: list = field(default_factory=list)
    error: str = ""

    def median_ms(self):
        return statistics.median(s.ms for s in self.samples)

    def ratio(self):
        return statistics.median(self.ratios)

    def rss(self):
        return max(s.rss_mb for s in self.samples)


def measure(row, spawner, make_argv, floor_argv, env, repeat, warm_floor=True):
    """Warm up, then run command and floor in alternating order, keeping each pair's ratio."""
    # The warm-up fills the page cache, writes bytecode and builds any derived index.
    for argv in [make_argv(0)] + ([floor_argv] if warm_floor else []):
        warm = spawner.run(argv, env)
        if warm.error:
            row.error = warm.error
            return row
    for number in range(1, repeat + 1):
        argv = make_argv(number)
        # Alternating who goes first cancels any bias from running second (warm caches, CPU clocks).
        order = ("floor", "cmd") if number % 2 else ("cmd", "floor")
        pair = {}
        for which in order:
            pair[which] = spawner.run(argv if which == "cmd" else floor_argv, env)
        if pair["cmd"].error or pair["floor"].error:
            row.error = pair["cmd"].error or f"floor {pair['floor'].error}"
            return row
        row.samples.append(pair["cmd"])
        row.floor_samples.append(pair["floor"])
        row.ratios.append(pair["cmd"].ms / pair["floor"].ms)
    return row


# --- the plan --------------------------------------------------------------------------------


@dataclass
class Bench:
    python: str
    facts: list
    repeat: int
    spawner: Spawner
    base_env: dict
    rows: list = field(default_factory=list)
    warm_floors: set = field(default_factory=set)

    def floor(self, name):
        return [self.python, "-c", FLOORS[name]]

    def env(self, **extra):
        return {**self.base_env, **extra}

    def run(self, row, args=None, env=None, make_argv=None):
        """Measure one row: facts with args, or with whatever make_argv(run number) returns."""
        make_argv = make_argv or (lambda number: self.facts + args)
        # A floor needs warming once per benchmark, not once per row: it never changes.
        warm_floor = row.floor not in self.warm_floors
        self.warm_floors.add(row.floor)
        floor_argv = self.floor(row.floor)
        measure(row, self.spawner, make_argv, floor_argv, env or self.env(), self.repeat, warm_floor)
        status = row.error or f"{row.median_ms():.0f} ms, x{row.ratio():.2f} of floor, {row.rss():.0f} MB"
        print(f"  {row.command}  [{row.store}]: {status}", file=sys.stderr, flush=True)
        self.rows.append(row)
        return row


def shown(args):
    return shlex.join(["facts", *args])


def size_label(size):
    return f"{size:,} facts"


def floors(bench):
    """The floors themselves, each against bare start-up, so the cost of each import is on record."""
    for name in ("click", "click+tinydb", "click+tinydb+rich"):
        command = shlex.join(["python", "-c", FLOORS[name]])
        bench.run(Row("0", command, "-", "pass"), make_argv=lambda number, name=name: bench.floor(name))


def targets_on_bundled(bench, largest):
    """Targets 1-3. No --db and no FACTS_DB, so facts finds its bundled store as a user's would."""
    args = ["rating", "--year", "2019", "--json"]
    bench.run(Row("1", shown(args), "bundled", "click+tinydb", "1.15"), args)
    bench.run(Row("1", shown(args), "bundled", "click+tinydb, frozen", "report"), args)
    # FORCE_COLOR makes rich draw colour and boxes into /dev/null as it would for a terminal.
    terminal = bench.env(FORCE_COLOR="1", COLUMNS="100", TERM="xterm-256color")
    args = ["rating", "--year", "2019"]
    row = Row("2", shown(args), "bundled, as a terminal", "click+tinydb+rich", "1.15")
    bench.run(row, args, env=terminal)
    for args in (["--help"], ["--version"]):
        bench.run(Row("3", shown(args), "bundled", "click", "1.1"), args)
        bench.run(Row("3", shown(args), "bundled", "click, frozen", "report"), args)
        big = bench.env(FACTS_DB=str(largest.path))
        row = Row("3", shown(args), f"FACTS_DB={size_label(largest.size)}", "click", "1.1")
        bench.run(row, args, env=big)


def queries(store):
    return (
        ["rating", "--year", "2019", "--json"],
        ["who", "--role", ROLE_QUERY, "--json"],
        ["search", SEARCH_WORD, "--json"],
        ["show", store.show_id, "--json"],
        ["timeline", "--from", "2010", "--to", "2012", "--json"],
    )


def queries_on_synthetic(bench, store):
    """Target 4, one size: each query's time and memory; growth across sizes is tabled later."""
    target = f"RSS <= {RSS_TARGET_MB} MB" if store.size <= TARGET_SCALE_MAX_SIZE else ""
    for args in queries(store):
        command = shown(["--db", "STORE", *args])
        row = Row("4", command, size_label(store.size), "click+tinydb", target, query=args[0])
        bench.run(row, ["--db", str(store.path), *args])


ADD_MISSING = "add: not available"


def add_available(bench):
    """Whether this tree has facts add yet; without it row 5 says so instead of failing every run."""
    if bench.spawner.run(bench.facts + ["add", "--help"], bench.env()).code == 0:
        return True
    print(ADD_MISSING, file=sys.stderr)
    bench.rows.append(Row("5", "facts add", "-", "click+tinydb", "report", error=ADD_MISSING))
    return False


def add_on_synthetic(bench, store, workdir, counter):
    """Target 5: facts add on a fresh copy per run, so every run appends to a store of exactly this size."""
    copies = workdir / f"add-{store.size}"

    def make_argv(number):
        # Outside the timed region: drop the previous run's copy and lock file, copy afresh.
        shutil.rmtree(copies, ignore_errors=True)
        copies.mkdir()
        copy = copies / "facts.json"
        shutil.copyfile(store.path, copy)
        counter[0] += 1  # a claim the store has never seen, or add would refuse a duplicate
        return bench.facts + [
            "--db", str(copy), "add", "--kind", "event", "--claim", f"Synthetic event number {counter[0]}.",
            "--date", "2020", "--date-basis", "stated", "--source", store.source_id, "--quote", "QUOTE",
        ]

    command = (
        'facts --db COPY add --kind event --claim "Synthetic event number N." '
        "--date 2020 --date-basis stated --source ID --quote QUOTE"
    )
    bench.run(Row("5", command, size_label(store.size), "click+tinydb", "report"), make_argv=make_argv)
    shutil.rmtree(copies, ignore_errors=True)


# --- the report ------------------------------------------------------------------------------


def fmt_ms(value):
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def row_result(row):
    if row.error:
        return "skipped" if row.error == ADD_MISSING else "error"
    if row.target in ("", "report"):
        return ""
    if row.target.startswith("RSS"):
        return "PASS" if row.rss() <= RSS_TARGET_MB else "FAIL"
    return "PASS" if row.ratio() <= float(row.target) else "FAIL"


def shown_target(target):
    return f"<= {target}" if target[:1].isdigit() else target


def results_table(rows):
    lines = [
        "| # | command | store | floor | median ms | min ms | max ms | floor ms | ratio | target "
        "| peak RSS MB | result |",
        "|---|---|---|---|--:|--:|--:|--:|--:|---|--:|---|",
    ]
    for row in rows:
        head = f"| {row.group} | `{row.command}` | {row.store} | {row.floor} "
        target = shown_target(row.target)
        if row.error:
            lines.append(head + f"| {row.error} | | | | | {target} | | {row_result(row)} |")
            continue
        times = [s.ms for s in row.samples]
        lines.append(
            head
            + f"| {fmt_ms(row.median_ms())} | {fmt_ms(min(times))} | {fmt_ms(max(times))} "
            + f"| {fmt_ms(statistics.median(s.ms for s in row.floor_samples))} | {row.ratio():.2f} "
            + f"| {target} | {row.rss():.0f} | {row_result(row)} |"
        )
    return lines


def scaling_table(rows, sizes):
    """Each query at each larger size against the same query at the smallest (1k by default)."""
    base = min(sizes)
    by_key = {(r.query, r.store): r for r in rows if r.query}
    lines = [
        f"| command | size | median ms | x of {size_label(base)} | target | peak RSS MB | target | result |",
        "|---|--:|--:|--:|---|--:|---|---|",
    ]
    for size in sorted(sizes)[1:]:
        for query in ("rating", "who", "search", "show", "timeline"):
            small, large = by_key.get((query, size_label(base))), by_key.get((query, size_label(size)))
            if not small or not large:
                continue
            if small.error or large.error:
                lines.append(f"| {query} | {size:,} | {large.error or '-'} | - | | | | error |")
                continue
            scale = large.median_ms() / small.median_ms()
            judged = size <= TARGET_SCALE_MAX_SIZE
            met = scale <= SCALE_TARGET and large.rss() <= RSS_TARGET_MB
            result = ("PASS" if met else "FAIL") if judged else "report"
            lines.append(
                f"| {query} | {size:,} | {fmt_ms(large.median_ms())} | {scale:.2f} "
                f"| {f'<= {SCALE_TARGET}' if judged else '-'} | {large.rss():.0f} "
                f"| {f'<= {RSS_TARGET_MB}' if judged else '-'} | {result} |"
            )
    return lines if len(lines) > 2 else ["(only one size: no scaling to report)"]


def machine_line(python):
    probe = (
        "import platform, importlib.metadata as m;"
        "print(platform.python_implementation(), platform.python_version(), end='');"
        "[print(f', {p} {m.version(p)}', end='') for p in ('click', 'tinydb', 'rich')]"
    )
    versions = subprocess.run([python, "-c", probe], capture_output=True, text=True, cwd=REPO).stdout.strip()
    versions = versions or "unknown interpreter"
    return f"{platform.platform()}, {versions}, {os.cpu_count()} CPUs (os.cpu_count())"


INTRO = """\
Whole-process wall times of the `facts` command (the installed `facts` script run by the
interpreter, as a person runs it, else `python -m factcli`; stdout to /dev/null) against floor
commands on the same interpreter (`python -c pass`, `import click`, `import click, tinydb`,
`import click, tinydb, rich.console, rich.table`). facts pauses the cycle collector while it
imports click and its command line, and freezes everything once a command is done, so the
interpreter's shutdown skips its passes over every object; the floors marked "frozen" do the
same (the collector paused for their imports and frozen after), and their rows (target
"report") give what facts' own code costs beside the targets' ratios.
Each command is warmed up once, then run alternately with its floor; the ratio is the median of the
pairwise ratios, which cancels most of a noisy machine's drift. Rows 0 are the floors themselves
against `python -c pass`. Rows 1-5 are the targets of issue 5: 1-3 on the bundled store (3 also
with FACTS_DB naming the largest synthetic store), 4 the queries on synthetic stores generated from
a fixed seed (memory target per row, growth target in the second table), 5 `facts add` on a fresh
copy of each store per run. Peak RSS is the child's own ru_maxrss. Children run with XDG_CACHE_HOME
in the benchmark's temporary directory, so any derived index is built during the warm-up and thrown
away afterwards; a process still running after --timeout seconds is killed and its row reports it.
The script reports; it never fails on a missed target. Reproduce with
`python bench/run.py --out BENCHMARKS.md`."""


def report(bench, sizes, command_line, total_seconds):
    lines = [
        "# Benchmarks",
        "",
        INTRO,
        "",
        f"Machine: {machine_line(bench.python)}.  ",
        f"Command: `{command_line}` ({bench.repeat} runs per row after one warm-up; "
        f"whole run {total_seconds:.0f} s).",
        "",
        *results_table(bench.rows),
        "",
    ]
    lines += ["Growth with store size:", "", *scaling_table(bench.rows, sizes), ""]
    return "\n".join(lines)


# --- main ------------------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    add = parser.add_argument
    add("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="fact counts, comma-separated")
    add("--repeat", type=int, help="timed runs per row (default 5; 3 with --quick)")
    add("--quick", action="store_true", help=f"one store of {QUICK_SIZE} facts, repeat {QUICK_REPEAT}")
    add("--python", default=sys.executable, help="interpreter for the floors and for python -m factcli")
    add("--facts-cmd", help="run this facts executable instead of python -m factcli")
    add("--out", help="also write the Markdown report here")
    add("--timeout", type=float, default=900, help="seconds before one process is killed")
    args = parser.parse_args(argv)
    sizes = {int(size.replace("_", "")) for size in args.sizes.split(",")}
    args.sizes = [QUICK_SIZE] if args.quick else sorted(sizes)
    args.repeat = args.repeat or (QUICK_REPEAT if args.quick else 5)
    return args


def child_env(workdir):
    """The environment every child gets: no store, colour or width settings leaking in from ours."""
    leaks = ("FACTS_DB", "FACTS_SOURCES", "FORCE_COLOR", "NO_COLOR", "COLUMNS")
    env = {key: value for key, value in os.environ.items() if key not in leaks}
    cache = workdir / "cache"
    cache.mkdir()
    env["XDG_CACHE_HOME"] = str(cache)
    return env


def check_valid(bench, store):
    """A generated store that facts rejects would make every timing meaningless, so stop early."""
    try:
        argv = bench.facts + ["--db", str(store.path), "validate"]
        result = subprocess.run(argv, env=bench.env(), cwd=REPO, capture_output=True, text=True)
    except OSError as error:
        sys.exit(f"cannot run {bench.facts[0]}: {error.strerror}")
    if result.returncode != 0:
        output = (result.stdout + result.stderr)[-4000:]
        sys.exit(f"generated store of {store.size} facts fails validate:\n{output}")


def facts_command(python):
    """The installed `facts` script run by python itself, as a person runs it; else python -m factcli.

    The script is what people type, and `-m` adds runpy's own imports to every run.
    """
    script = Path(python).parent / "facts"
    return [python, str(script)] if script.is_file() else [python, "-m", "factcli"]


def main(argv=None):
    started = time.perf_counter()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    facts = [args.facts_cmd] if args.facts_cmd else facts_command(args.python)
    with tempfile.TemporaryDirectory(prefix="facts-bench-") as tmp:
        workdir = Path(tmp)
        spawner = Spawner(args.timeout, workdir / "stderr.txt")
        bench = Bench(args.python, facts, args.repeat, spawner, child_env(workdir))
        stores = []
        for size in args.sizes:
            print(f"generating {size_label(size)}", file=sys.stderr, flush=True)
            stores.append(generate_store(workdir / f"facts-{size}.json", size))
        check_valid(bench, stores[0])
        if not args.quick:  # every row already times its floor; this table is context, not a check
            floors(bench)
        targets_on_bundled(bench, stores[-1])
        for store in stores:
            queries_on_synthetic(bench, store)
        if add_available(bench):
            counter = [0]
            for store in stores:
                add_on_synthetic(bench, store, workdir, counter)
        spawner.close()
        command_line = shlex.join(["python", "bench/run.py", *sys.argv[1:]] if argv is None else argv)
        text = report(bench, args.sizes, command_line, time.perf_counter() - started)
    print(text, end="")
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
