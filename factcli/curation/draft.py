"""Drafting candidate facts from an article's text: claims with anchors, kinds, fields and dates."""

import re
import shlex

from ..core.dates import parse_partial_date
from ..core.kinds import KINDS
from ..core.meta import Meta
from ..core.text import fold
from ..core.tuples import Record
from .locate import read_text, span

# The citation source of a candidate from a file the store does not know: the curator fills it in.
PLACEHOLDER_SOURCE = "SOURCE-ID"

# Page furniture: text around an article that a page or a player adds, not a claim of the article.
# Each reason names what it leaves out; `facts draft --help` lists them.
FURNITURE = {
    "not a sentence": "headlines, captions, bylines, names and labels (no closing full stop)",
    "advert": 'advert markers ("Hide Ad", "Advertisement")',
    "image": 'image captions and credits ("Image source", "Image:", lines naming a picture agency of the store\'s meta)',
    "share": 'share and follow lines ("follow ... on Facebook", "send story ideas")',
    "schedule": 'radio schedules and presenters ("Current show", "12:00 am 3:00 am")',
    "stamp": '"Published", "Updated" and "Written by" stamps',
    "navigation": 'navigation ("Home | The Daily Paper", "Have your say")',
    "repeated": "lines repeated in the page (a headline or caption shown twice)",
}
_FURNITURE_PATTERNS = [
    ("advert", re.compile(r"^\s*(hide ad|advertisement|sponsored)\s*$", re.I)),
    ("image", re.compile(r"image (source|caption|credit)|^\s*image:|\bphoto(graph)?:|\bpicture:|\bcredit:", re.I)),
    (
        "share",
        re.compile(
            r"follow .{0,40}\bon (facebook|twitter|x|instagram)|send (us )?story ideas|"
            r"\bshare (this|on)\b|sign up|subscribe|\blisten to\b|, external\b|@\w+\.\w",
            re.I,
        ),
    ),
    (
        "schedule",
        re.compile(r"^(current (track|show)|title|artist|background|on air)$|\b\d{1,2}:\d{2}\s*[ap]m\b", re.I),
    ),
    ("stamp", re.compile(r"^[\s•·*-]*(published|updated|written by|posted)\b", re.I)),
    ("navigation", re.compile(r"\s\|\s|^(home|menu|have your say|comments?|read more|more on this story)\b", re.I)),
]
# A line ends a sentence when it ends with these, allowing closing quotes and brackets after.
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*\s*$")
_MIN_WORDS = 4
# A line this short naming a picture agency is a credit ("Photograph: Jane Doe/Agency."), a
# caption's tail, even when it ends with a full stop.
_CREDIT_WORDS = 12

# --- dates ------------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        1,
    )
    for name in names
}
_MONTH = r"(?P<month>january|february|march|april|may|june|july|august|september|october|november|december)"
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_SEASON = r"(?P<season>spring|summer|autumn|winter)"
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty": 20,
}  # fmt: skip
_COUNT = r"(?P<count>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty)"
_WEEKDAY = r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_FUTURE = re.compile(r"\b(will|is to|are to|due|expected|likely|plans?|planned|to be|next)\b", re.I)

# Most specific first: a match hides shorter ones inside it.
_DATE_PATTERNS = [
    ("numeric", re.compile(r"\b(?P<day>\d{1,2})/(?P<mon>\d{1,2})/" + _YEAR + r"\b")),
    (
        "day month",
        re.compile(
            r"\b" + _WEEKDAY + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r"(?:,?\s+" + _YEAR + r")?\b", re.I
        ),
    ),
    (
        "month day",
        re.compile(
            r"\b" + _WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+" + _YEAR + r"\b)?", re.I
        ),
    ),
    ("month relative", re.compile(r"\b" + _MONTH + r"\s+(?P<which>this|last|next)\s+year\b", re.I)),
    ("month year", re.compile(r"\b" + _MONTH + r"(?:\s+of)?\s+" + _YEAR + r"\b", re.I)),
    ("season year", re.compile(r"\b" + _SEASON + r"(?:\s+of)?\s+" + _YEAR + r"\b", re.I)),
    ("ago", re.compile(r"\b" + _COUNT + r"\s+(?P<unit>years?|months?)\s+ago\b", re.I)),
    ("period", re.compile(r"\b(?:the\s+)?(?:past|last|previous)\s+" + _COUNT + r"\s+(?P<unit>years?|months?)\b", re.I)),
    ("after", re.compile(r"\b" + _COUNT + r"\s+(?P<unit>years?|months?)\s+(?:after|later)\b", re.I)),
    ("relative", re.compile(r"\b(?:(?:later|earlier)\s+)?(?P<which>this|last|next)\s+(?P<unit>year|month)\b", re.I)),
    ("year", re.compile(r"\b" + _YEAR + r"\b")),
    (
        "month",
        re.compile(r"\b(?:in|by|from|until|since|since early|since late|in early|in late)\s+" + _MONTH + r"\b", re.I),
    ),
    ("season", re.compile(r"\b(?:in|over|during|by)\s+the\s+" + _SEASON + r"\b", re.I)),
    ("now", re.compile(r"\b(?P<now>today|now|currently)\b", re.I)),
]


class DateMention(Record):
    """A date phrase in a sentence and what it resolves to (None when it cannot be resolved)."""

    text: str
    date: str | None
    note: str | None
    period: bool = False  # "the past 18 months": a stretch up to the article, not a moment


def _shift(year, month, months):
    """(year, month) moved by a number of months."""
    total = year * 12 + (month - 1) + months
    return total // 12, total % 12 + 1


def _iso(year, month=0, day=0):
    return f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if month and day else "")


def _count(text):
    return int(text) if text.isdigit() else _NUMBERS[text.lower()]


def dates_in(sentence, published=None):
    """Every date phrase of sentence, in order, resolved against published (an ISO partial date or None)."""
    base = parse_partial_date(published) if published else None
    found, taken = [], []
    for name, pattern in _DATE_PATTERNS:
        for match in pattern.finditer(sentence):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append(match.span())
            date, note, period = _resolve(name, match, base, published, sentence)
            found.append((match.start(), DateMention(match.group().strip(), date, note, period)))
    return [mention for _, mention in sorted(found)]


def _resolve(name, match, base, published, sentence):
    """(date, note, period) for one date phrase. The note says how a date not printed plainly was worked out."""
    said = match.group().strip()
    groups = match.groupdict()
    month = _MONTHS.get((groups.get("month") or "").lower(), 0)
    year = int(groups["year"]) if groups.get("year") else None
    against = f"in an article published {published}"
    if name == "numeric":
        day, month = int(groups["day"]), int(groups["mon"])
        if not 1 <= month <= 12:
            return None, f"{said!r} is not a day/month/year date", False
        return _iso(year, month, day), f"{said!r} read as day/month/year", False
    if name in ("day month", "month day"):
        day = int(groups["day"])
        if year:
            return _iso(year, month, day), None, False
        if not base:
            return None, f"{said!r} gives no year and no publication date was given", False
        return _iso(base[0], month, day), f"{said!r} {against}: the year of publication", False
    if name in ("month year", "year"):
        return _iso(year, month), None, False
    if name == "season year":
        return _iso(year), f"{said!r} is a season, so only the year is recorded", False
    if not base:
        return None, f"{said!r} is relative and no publication date was given (--published)", False
    base_year, base_month, _ = base
    if name == "month relative":
        offset = {"this": 0, "last": -1, "next": 1}[groups["which"].lower()]
        return _iso(base_year + offset, month), f"{said!r} {against}", False
    if name == "relative":
        which = {"this": 0, "last": -1, "next": 1}[groups["which"].lower()]
        if groups["unit"].lower() == "year":
            return _iso(base_year + which), f"{said!r} {against}", False
        if not base_month:
            return _iso(base_year), f"{said!r} {against}, which gives no month: only the year is recorded", False
        return _iso(*_shift(base_year, base_month, which)), f"{said!r} {against}", False
    if name in ("ago", "period", "after"):
        return _resolve_count(name, said, groups, base, published, sentence)
    if name == "month":
        year = base_year
        if base_month and month != base_month:
            # A month without a year is the nearest one: before publication unless the sentence looks ahead.
            ahead = bool(_FUTURE.search(sentence))
            if ahead and month < base_month:
                year += 1
            elif not ahead and month > base_month:
                year -= 1
        basis = "the nearest such month to publication" if base_month else "assumed to be the year of publication"
        return _iso(year, month), f"{said!r} {against}: {basis}", False
    if name == "season":
        season = _SEASONS[groups["season"].lower()]
        year = base_year - 1 if base_month and season > base_month and not _FUTURE.search(sentence) else base_year
        return _iso(year), f"{said!r} {against}: a season, so only the year is recorded", False
    return published, f"{said!r}: the time of the article, published {published}", False


def _resolve_count(name, said, groups, base, published, sentence):
    """(date, note, period) for "two years ago", "the past 18 months", "three years after"."""
    base_year, base_month, _ = base
    against = f"in an article published {published}"
    count = _count(groups["count"])
    months = count * 12 if groups["unit"].lower().startswith("year") else count
    if name == "ago":
        if months % 12 == 0 or not base_month:
            return _iso(base_year - months // 12), f"{said!r} {against}: about {base_year - months // 12}", False
        return _iso(*_shift(base_year, base_month, -months)), f"{said!r} {against}", False
    if name == "period":
        since = _iso(base_year - months // 12) if not base_month else _iso(*_shift(base_year, base_month, -months))
        return published, f"{said!r} {against}: a stretch from about {since} up to publication", True
    if name == "after":
        years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", sentence)]
        if years:
            return _iso(years[0] + months // 12), f"{said!r} counted from {years[0]}", False
        earlier = (
            _iso(base_year - months // 12) if months % 12 == 0 else _iso(*_shift(base_year, base_month or 1, -months))
        )
        return (
            published,
            f"{said!r} an earlier event the sentence does not date; as of publication ({published})"
            f" that event was about {earlier}",
            False,
        )


# --- people and roles -------------------------------------------------------------------------

_HONORIFIC = r"(?:Cllr|Coun|Councillor|Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady|Baroness|Prof|Professor)\.?"
_NAME_WORD = r"[A-Z][a-z]+(?:[-'’][A-Z][a-z]+)?"
_NAME = re.compile(r"\b" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r"){1,2}\b")
# Capitalised words that start or fill a name-shaped run without being a person's name.
_NOT_NAMES = set("""The A An In On At Of For And But Or Now Today Then However Since Following After Before Over
    Across Under During While When Where Which Who What This That These Those It Its He She They We I
    Our Their His Her My You Your There Here Mr Mrs Ms Dr Cllr Coun Councillor Sir Dame Lord Lady
    Council Councils Children Children's Childrens Services Service Social Care Department
    Education Government Secretary Minister Director Commissioner Leader Cabinet Member Committee
    Authority Local County Borough City Town Hall News Radio Independent Review Report Inspection
    Inspectors Office Board Safeguarding Protection Child Health Trust National Agency Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday January February March April May June July August
    September October November December Summer Autumn Winter Spring Home Image Published Written
    Special Educational Needs Improvement Plan Notice Direction""".split())
_TITLES = (
    r"(?:minister|secretary of state|secretary|director|commissioner|leader|councillor|cabinet member|constable|"
    r"chief executive|executive|head|chair(?:man|woman)?|mayor|MP|inspector|officer|manager|member)"
)
# "Name, the TITLE of X," or "Name, who took over as TITLE ...": the role runs to a comma before
# a verb or to the next clause.
_ROLE_AFTER = re.compile(
    r"(?P<name>" + _NAME.pattern[2:-2] + r"),\s+(?:who\s+(?:took over|became|was appointed|is|was)\s+(?:as\s+)?)?"
    r"(?P<role>(?:the\s+|a\s+)?[^,.;:“”\"]{0,60}?\b(?i:" + _TITLES + r")\b[^.;:“”\"]{0,60}?)"
    r"(?=,\s+(?:who|which|has|have|had|is|was|said|says|told|added|adds|wrote|writes|ruled|in)\b"
    r"|\s+(?:said|says|told|has|ruled)\b|,?\s+in\s+the\s+"
    + _SEASON
    + r")",
)
# "TITLE Name": "Northshire's director of adult services Jane Doe", "council Leader Coun John Smith".
_ROLE_BEFORE = re.compile(
    r"(?P<role>(?:[A-Z]\w*(?:[’']s)?\s+|[a-z]+[’']s\s+|the\s+){0,3}?\b(?i:" + _TITLES + r")\b"
    r"(?:\s+(?:of|for|in charge of)\s+(?:[\w’']+\s+){0,3}?[\w’']+)?)\s+(?:" + _HONORIFIC + r"\s+)?"
    r"(?P<name>" + _NAME_WORD + r"\s+" + _NAME_WORD + r")\b",
)
# "TITLE, Name": "Minister for Children and Families, Jane Doe OBE MP, said", at the start of a
# sentence or after "by", "from", "to", "with": a title that names its field, then the name
# (letters after it, OBE, MP, are not part of it).
_ROLE_TITLE_FIRST = re.compile(
    r"(?P<role>\b(?i:" + _TITLES + r")(?:\s+(?:of|for)\s+[^.;:“”\"]{1,60}?)?),\s+(?:" + _HONORIFIC + r"\s+)?"
    r"(?P<name>" + _NAME_WORD + r"\s+" + _NAME_WORD + r")(?:\s+[A-Z]{2,4}\b)*"
    r"(?=,|\s+(?:said|says|told|has|have|had|wrote|writes|added|adds)\b)"
)
_SPEECH = re.compile(
    r"\b(said|says|told|added|adds|wrote|writes|ruled|warned|stated|explained|acknowledged|highlights|reports"
    r"|points out|recommends|recommended)\b",
    re.I,
)
# A speaker the article describes rather than names: "an authority spokeswoman said", "council chiefs said".
_DESCRIBED = re.compile(
    r"\b((?:[a-z][\w’'-]*\s+){0,2}(?:spokes(?:wo)?man|spokesperson|chiefs|bosses|officials|sources?|officers?"
    r"|campaigners|residents|inspectors|managers))\s+(?:also\s+)?$"
)
# Titles whose holders judge the subject from outside it (a government minister, an appointed
# commissioner): their assessments are findings, where the subject's own people make statements.
_OVERSEERS = re.compile(r"\b(minister|secretary of state|commissioner|ombudsman|regulator)\b", re.I)
# An overseer's own feeling is a statement of theirs, not a finding about the subject.
_FEELING = re.compile(r"\b(?:I am|I'm|I’m|he is|she is|they are|we are)\s+(?:very\s+|so\s+)?(?:pleased|delighted|proud|disappointed|sorry)\b", re.I)
# A bare form of address is not a role: "Councillor Jane Smith" says what she is called.
_ADDRESS_ONLY = re.compile(r"(?:councillor|cllr|coun|mr|mrs|ms|miss|dr|sir|dame|lord|lady)\.?", re.I)


class Role(Record):
    person: str
    role: str
    start: int  # of the whole mention in the sentence
    end: int


def _names(text, not_names=_NOT_NAMES):
    """Person-shaped names: two or three capitalised words, none of them a common or place word."""
    names = []
    for match in _NAME.finditer(text):
        words = match.group().split()
        while words and words[0] in not_names:
            words = words[1:]
        while words and words[-1] in not_names:
            words = words[:-1]
        if len(words) >= 2 and not any(word in not_names for word in words):
            names.append(" ".join(words))
    return names


def _clean_role(role):
    role = re.sub(r"^(?:the|a|an)\s+", "", role.strip(" ,"), flags=re.I)
    role = re.sub(r"^(?:council|Council)[’']s\s+", "", role)
    return role.strip()


def roles_in(sentence, not_names=_NOT_NAMES):
    """People named with a title in sentence: (person, role, where); not_names are capitalised
    words that are never part of a person's name."""
    found = []
    for pattern in (_ROLE_AFTER, _ROLE_BEFORE, _ROLE_TITLE_FIRST):
        for match in pattern.finditer(sentence):
            people = _names(match.group("name"), not_names)
            if not people:
                continue
            if pattern is _ROLE_TITLE_FIRST and not re.search(
                r"(?:^|\b(?:by|from|to|with)\s+)(?:[Tt]he\s+)?(?:[\w’']+[’']s\s+)?$", sentence[: match.start()].lstrip(" “\"")
            ):
                continue
            role = _clean_role(match.group("role"))
            # A role ends where a date phrase in it starts: "director ... in the summer".
            for mention in dates_in(role):
                role = role[: role.find(mention.text)].strip(" ,")
            role = re.sub(r"^[A-Z][\w’']+[’']s\s+", "", role) if pattern is _ROLE_BEFORE else role
            if role and re.search(_TITLES, role, re.I) and not _ADDRESS_ONLY.fullmatch(role):
                start = match.start()
                if pattern is _ROLE_AFTER:
                    # The mention starts at the name, or at the honorific just before it.
                    start = match.start() + match.group().find(people[0])
                    honorific = re.search(_HONORIFIC + r"\s+$", sentence[:start])
                    start = honorific.start() if honorific else start
                # One mention, one role: "Councillor John Smith, cabinet member ..." is not also "Councillor".
                if not any(other.person == people[0] and other.start <= start < other.end for other in found):
                    found.append(Role(people[0], role, start, match.end()))
    return found


# --- kinds and their fields -------------------------------------------------------------------

_RATED = re.compile(r"\b(rated|rating|judged|judgment|judgement|graded|grade|branded)\b", re.I)
_MONEY = re.compile(r"£\s?(?P<number>\d+(?:[.,]\d+)*)\s?(?P<scale>m\b|bn\b|k\b|million\b|billion\b)?", re.I)
_COUNT_FIGURE = re.compile(
    r"(?P<lead>(?:more than|over|around|about|almost|nearly|fewer than|less than|at least)\s+)?"
    r"(?<![\w£/:-])(?P<number>\d{1,3}(?:,\d{3})*|\d+)(?![\w/:%-])(?!\s*(?:am|pm)\b)"
    r"\s+(?P<unit>(?:[a-z][\w’'-]*\s+){0,2}?(?:[a-z]+s|people|children|staff))\b"
)
_TIME_UNITS = re.compile(r"^(years?|months?|weeks?|days?|hours?|minutes?|times?)\b")
_SCALES = {"m": 1_000_000, "million": 1_000_000, "bn": 1_000_000_000, "billion": 1_000_000_000, "k": 1_000}
_INTERVENTIONS = [
    ("improvement notice", re.compile(r"improvement notice", re.I)),
    ("statutory direction", re.compile(r"statutory direction|directive|\bdirection\b", re.I)),
    ("commissioner review", re.compile(r"commissioner|independent review", re.I)),
    ("departmental oversight", re.compile(r"overseen by|oversight", re.I)),
]
_ACTIONS = [
    ("revised", re.compile(r"\brevised\b", re.I)),
    ("lifted", re.compile(r"\b(lift|lifted|lifting|removed|revoked|ended)\b", re.I)),
    ("imposed", re.compile(r"\b(issued|placed|imposed|served|put under)\b", re.I)),
    ("concluded", re.compile(r"\b(final assessment|concluded|completed)\b", re.I)),
    ("planned", re.compile(r"\b(due to be|will be|to be appointed|expected to)\b", re.I)),
    ("continued", re.compile(r"\b(continue|continued|remain|remains)\b", re.I)),
]
_INSPECTION = re.compile(r"\b(monitoring visits?|re-?inspection|inspection|inspectors? (?:are|is) due|(?:is|are) due back)\b", re.I)
_PLAN = re.compile(
    r"\b(plan|strategy|model|programme)\b.*"
    r"\b(launched|established|laid out|updated|aimed|set up|introduced|focus)\b",
    re.I,
)
_FINDING = re.compile(
    r"\b(found|finds|warned|highlighted|highlights|concerns|described|reports?|noted|recognised|praised|branded)\b",
    re.I,
)


class Match(Record):
    """A fact on record that a candidate restates, and how that was seen: "identity" (the same
    claim by its kind's identifying fields), "span" (a quote of the same source overlapping the
    candidate's) or "words" (the fact's claim and quotes hold most of the candidate's significant
    words)."""

    id: str
    by: str


class Disagreement(Record):
    """A fact on record making the candidate's claim with another value: the same measure at
    £4m where the candidate says £5m, another grade for the same area and month."""

    id: str
    field: str
    on_record: object
    drafted: object
    cite: str  # SOURCE:QUOTE of the fact's first citation, for facts add-conflict --cite


class Candidate(Record):
    """A proposed fact: a record in the shape `facts add` accepts, and what the draft noticed."""

    record: dict
    people: tuple
    start: int
    end: int
    matches: tuple = ()  # Match, best first
    disagrees: tuple = ()  # Disagreement


class Draft(Record):
    """What `facts draft` found in one file."""

    file: str
    source_id: str  # the registered source's id, or PLACEHOLDER_SOURCE
    registered: bool
    published: str | None
    candidates: list
    left_out: dict  # furniture reason -> how many lines or sentences
    meta: Meta = Meta()  # the store's, which named the grades and bodies the draft looked for


def _mentions(name, quote):
    """Whether quote names name (an organisation, an inspectorate) as a whole word, any case."""
    return bool(name) and re.search(r"(?<!\w)" + re.escape(fold(name)) + r"(?!\w)", fold(quote), re.I) is not None


def _grade_pattern(scale):
    """The store's grades as one pattern, longest first so "requires improvement" wins over a shorter grade."""
    if not scale:
        return None
    grades = sorted(scale, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(grade) for grade in grades) + r")(?!\w)", re.I)


def _kind_and_fields(quote, dates, speaker, organisation, meta, overseer=None, sentence=None):
    """The likeliest kind of fact for quote, with the fields of that kind it can fill, or None.
    Grades, the inspectorate and the bodies that act are the store's (meta). The words of a
    speaker with an overseer's title (overseer) are findings by them; a plan said is a plan.
    sentence, when quote is a clause of one, is where the inspectorate may be named."""
    grades = _grade_pattern(meta.scale)
    rated, grade = _RATED.search(quote), grades.search(quote) if grades else None
    if grade and rated:
        area = re.search(r"\bfor (?:the )?([^,.;]+)", quote[grade.end() :])
        inspected = next(
            (m.date for m in dates if m.date and re.search(r"inspect\w*\s+(?:\w+\s+){0,2}" + re.escape(m.text), quote)),
            None,
        )
        published = next((m.date for m in dates if m.date and m.date != inspected and not m.period), None)
        return "rating", {
            "judgment": next(g for g in meta.scale if g.casefold() == grade.group().casefold()),
            "area": area.group(1).strip() if area and "overall" not in quote.lower() else "overall",
            "service": _service(quote, meta),
            "inspected": inspected,
            "published": published,
        }
    if figure := _figure(quote):
        return "figure", figure
    if speaker:
        if _PLAN.search(quote) and organisation:
            return "plan", {"owner": organisation}
        if overseer and not _FEELING.search(quote):
            return "finding", {"by": f"{speaker} ({overseer})"}
        return "statement", {"speaker": speaker}
    for intervention, pattern in _INTERVENTIONS:
        if pattern.search(quote):
            action = next((name for name, verb in _ACTIONS if verb.search(quote)), None)
            if action:
                by = next(
                    (body for body, short in meta.organisations.items() if _mentions(body, quote) or _mentions(short, quote)),
                    None,
                )
                return "intervention", {"intervention": intervention, "action": action, "by": by}
    if inspection := _INSPECTION.search(quote):
        # A dated inspection is the inspectorate's even where the sentence does not name it.
        named = _mentions(meta.inspectorate, sentence or quote)
        if meta.inspectorate and (named or _DATED_INSPECTION.search(quote)):
            planned = _FUTURE.search(quote) and not re.search(r"\bcarried out\b", quote, re.I)
            kind_of = inspection.group(1).lower()
            kind_of = (
                "monitoring visit"
                if kind_of.startswith("monitoring")
                else "full reinspection" if "re" in kind_of[:3] and "full" in quote.lower() else kind_of
            )
            return "inspection", {
                "body": meta.inspectorate,
                "inspection_type": "visit" if kind_of.startswith(("inspector", "is ", "are ")) else kind_of,
                "status": "planned" if planned else "held",
            }
    if _PLAN.search(quote) and organisation:
        return "plan", {"owner": organisation}
    if _FINDING.search(quote):
        return "finding", {"by": meta.inspectorate if _mentions(meta.inspectorate, quote) else None}
    return "event", {}


def _service(quote, meta):
    """The service a judgment is of: the first of the store's services the quote names, else the
    store's main service (its first), else its subject."""
    named = next((service for service in meta.services if _mentions(service, quote)), None)
    return named or (meta.services[0] if meta.services else meta.subject or "")


def _figure(quote):
    """value, unit and measure of the first amount of money or count in quote."""
    if money := _MONEY.search(quote):
        number = float(money.group("number").replace(",", ""))
        value = number * _SCALES.get((money.group("scale") or "").lower(), 1)
        after = re.match(r"\s*(?:of\s+)?((?:[\w’'-]+\s+){0,3}[\w’'-]+)", quote[money.end() :])
        before = re.search(r"((?:[\w’'-]+\s+){0,2}[\w’'-]+)\s+of\s+$", quote[: money.start()])
        measure = (before.group(1) if before else after.group(1) if after else "amount").strip()
        measure = re.sub(r"^(?:(?:and|the|a|an|with|by|of)\s+)+", "", measure) or "amount"
        return {"value": int(value) if value.is_integer() else value, "unit": "GBP", "measure": measure}
    for count in _COUNT_FIGURE.finditer(quote):
        unit = count.group("unit").strip()
        if _TIME_UNITS.match(unit) or re.fullmatch(r"(19|20)\d\d", count.group("number")):
            continue
        measure = unit + (f" ({count.group('lead').strip()})" if count.group("lead") else "")
        return {"value": int(count.group("number").replace(",", "")), "unit": unit, "measure": measure}
    return None


# --- reading the article ----------------------------------------------------------------------


def _segmenter():
    """Sentence boundaries from pysbd's rules (abbreviations, initials, decimals, quotes)."""
    import pysbd  # only draft pays for it

    return pysbd.Segmenter(language="en", clean=False)


def _furniture(line, repeated, agencies=()):
    """Why a line of the page is furniture, or None when it may hold claims; agencies are the
    store's picture agencies and wire services, whose name makes a short line a credit."""
    stripped = line.strip()
    for reason, pattern in _FURNITURE_PATTERNS:
        if pattern.search(stripped):
            return reason
    if len(stripped.split()) <= _CREDIT_WORDS and any(_mentions(agency, stripped) for agency in agencies):
        return "image"
    if repeated:
        return "repeated"
    if not _ENDS_SENTENCE.search(stripped):
        return "not a sentence"
    return None


def _sentences(paragraph, offset, segmenter):
    """(start, end) of each sentence of paragraph, as offsets in the whole text.

    pysbd proposes the boundaries; the offsets are found here, in the paragraph itself, so
    text[start:end] is always exactly the words of the file whatever pysbd does to spacing.
    Double quote marks are hidden from pysbd (replaced by spaces, which keeps every offset):
    it keeps a whole quotation as one sentence, and a quoted paragraph holds several claims.
    """
    masked = paragraph.translate(_QUOTE_MARKS_AS_SPACES)
    at = 0
    spans = []
    for sentence in segmenter.segment(masked):
        sentence = sentence.strip()
        found = masked.find(sentence, at) if sentence else -1
        if found < 0:
            continue
        end = found + len(sentence)
        # Keep the mark that closes a quotation the sentence opened.
        inside = paragraph[found:end]
        if (paragraph[end : end + 1] == "”" and inside.count("“") > inside.count("”")) or (
            paragraph[end : end + 1] == '"' and inside.count('"') % 2
        ):
            end += 1
        spans.append((offset + found, offset + end))
        at = end
    return spans


_QUOTE_MARKS_AS_SPACES = str.maketrans({"“": " ", "”": " ", '"': " "})
_OPENING = '“"'
_CLOSING = '”"'


def _trim_quote_marks(text, start, end):
    """Drop a quote mark at either edge that the sentence does not close or open itself:
    news paragraphs of a long quote open with “ and only the last one closes it."""
    part = text[start:end]
    opened = part.count("“") - part.count("”")
    if part[:1] in _OPENING and (opened > 0 or (part[:1] == '"' and part.count('"') % 2)):
        start += 1
    part = text[start:end]
    if part[-1:] in _CLOSING and (part.count("”") > part.count("“") or (part[-1:] == '"' and part.count('"') % 2)):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def draft_text(text, published=None, source_id=PLACEHOLDER_SOURCE, file="-", meta=Meta()):
    """Candidate facts in text: one per claim (a sentence, or each clause of a sentence holding
    several), and one per person named with a title. The store's meta says what its grades,
    inspectorate, services, subject and picture agencies are."""
    segmenter = _segmenter()
    # The store's own names (its subject, inspectorate, bodies) are never a person's.
    named_bodies = [meta.subject, meta.inspectorate, *meta.organisations, *meta.organisations.values()]
    not_names = _NOT_NAMES | {word for name in named_bodies if name for word in name.split()}
    lines = []
    at = 0
    for line in text.splitlines(keepends=True):
        lines.append((at, line))
        at += len(line)
    counts = {}
    for _, line in lines:
        if line.strip():
            counts[fold(line).casefold()] = counts.get(fold(line).casefold(), 0) + 1
    left_out = {}
    sentences = []
    for offset, line in lines:
        if not line.strip():
            continue
        reason = _furniture(line, counts[fold(line).casefold()] > 1, meta.agencies)
        if reason:
            left_out[reason] = left_out.get(reason, 0) + 1
            continue
        for start, end in _sentences(line, offset, segmenter):
            sentence = text[start:end]
            reason = next((r for r, p in _FURNITURE_PATTERNS if p.search(sentence)), None)
            if reason or len(sentence.split()) < _MIN_WORDS or not _ENDS_SENTENCE.search(sentence):
                reason = reason or "not a sentence"
                left_out[reason] = left_out.get(reason, 0) + 1
                continue
            sentences.append((start, end, line.lstrip()[:1] in _OPENING))

    claims = [text[start:end] for start, end, _ in sentences]
    known = _people(claims, not_names)
    found_roles = [role for claim in claims for role in roles_in(claim, not_names)]
    # "The Commissioner adds": a title stands for the person the article gave it to.
    titles = {
        title.lower(): known.get(role.person, role.person)
        for role in found_roles
        for title in re.findall(_TITLES, role.role, re.I)
    }
    # Whose words are findings: people the article gives a title of an overseer.
    overseers = {}
    for role in found_roles:
        if title := _OVERSEERS.search(role.role):
            overseers.setdefault(known.get(role.person, role.person), f"{title.group(1).lower()}")
    organisation = _organisation(claims) or meta.subject
    reading = _Reading(published, meta, organisation, overseers)
    candidates, seen_claims, seen_roles = [], set(), set()
    speaker = recent = None
    for start, end, continues_quote in sentences:
        sentence = text[start:end]
        roles = roles_in(sentence, not_names)
        named = [known.get(name, name) for name in _named_in(sentence, known)]
        speaker = _speaker(sentence, known, titles, speaker if continues_quote else None, recent)
        recent = speaker or _subject(sentence, known) or recent
        quote_start, quote_end = _trim_quote_marks(text, start, end)
        for claim_start, claim_end, kind, fields, dating in reading.claims(text[quote_start:quote_end], speaker):
            claim_start, claim_end = quote_start + claim_start, quote_start + claim_end
            quote = text[claim_start:claim_end]
            key = fold(quote).casefold()
            if key in seen_claims:
                continue
            seen_claims.add(key)
            record = _record(kind, fields, quote, dating, text, claim_start, claim_end, source_id)
            people = tuple(dict.fromkeys(name for name in named if name in quote or kind == "statement"))
            candidates.append(Candidate(record, people or tuple(dict.fromkeys(named)), claim_start, claim_end))
        reading.read(text[quote_start:quote_end])
        for role in roles:
            person = known.get(role.person, role.person)
            if (person, role.role.casefold()) in seen_roles:
                continue
            seen_roles.add((person, role.role.casefold()))
            where = _role_organisation(role.role, organisation)
            if where is None:
                continue  # a role fact needs its organisation; the sentence's own candidate remains
            role_start, role_end = start + role.start, start + role.end
            role_start, role_end = _trim_quote_marks(text, role_start, role_end)
            role_quote = text[role_start:role_end].rstrip(" ,")
            role_end = role_start + len(role_quote)
            fields = {
                "person": person,
                "role": role.role,
                "organisation": where,
                "start": None,
                "end": None,
                "post": None,
            }
            dating = reading.date_role(sentence)
            record = _record("role", fields, f"{person} was {role.role}.", dating, text, role_start, role_end, source_id)
            candidates.append(Candidate(record, (person,), role_start, role_end))
    candidates.sort(key=lambda c: (c.start, -c.end))
    return Draft(file, source_id, source_id != PLACEHOLDER_SOURCE, published, _one_per_claim(candidates, meta), left_out, meta)


def _one_per_claim(candidates, meta):
    """The candidates with any that makes an earlier one's claim again (the same identity: an
    article saying the £4m twice) folded into it as a second citation, so that everything the
    draft proposes adds as it stands."""
    from .identity import identity, same_identity

    kept: list[Candidate] = []
    for candidate in candidates:
        if identity(candidate.record, meta) is not None:
            earlier = next((k for k in kept if same_identity(k.record, candidate.record, meta)), None)
            if earlier is not None:
                mine, theirs = candidate.record, earlier.record
                # The fuller date of the two ("Friday February 22" over "later this month") dates the claim.
                if mine.get("date") and len(mine["date"]) > len(theirs.get("date") or "") and mine["date"].startswith(theirs.get("date") or ""):
                    for key in ("date", "date_basis", "date_bound", "date_note"):
                        theirs[key] = mine.get(key)
                quotes = {citation["quote"] for citation in earlier.record["citations"]}
                earlier.record["citations"].extend(
                    c for c in candidate.record["citations"] if c["quote"] not in quotes
                )
                continue
        kept.append(candidate)
    return kept


# --- claims within a sentence -------------------------------------------------------------------

# Where a sentence holding several claims divides: coordinated clauses, clauses that add a
# consequence or a means, a new noun phrase after "and".
_CLAUSE_BREAKS = re.compile(
    r",\s+(?:and|but)\s+|;\s+|\s+[-–—]\s+"
    r"|,\s+(?=(?:meaning|resulting in|facilitated by|supported by|which has|which have)\b)"
    r"|\s+(?=(?:in which|which warned|which found|which said|supported by|resulting in|facilitated by)\b)"
    r"|\s+(?=which\s+(?:is|are)\s+(?:likely|expected|due)\s+to\b)"
    r"|\s+and\s+(?=(?:an?|the|its|his|her|their|additional|further|new)\s)"
    r"|\s+and\s+(?=(?:adds|added|says|said|is|was|were|would|will|gave|took|made|found|warned|\w+ed)\b)"
)
_LEADING_JOINS = re.compile(r"^(?:and|but|so)\s+", re.I)
# A relative clause that dates something other than the sentence's claim: "a notice that was
# placed in November 2012", "The model, which was launched in March last year, is ...".
_RELATIVE = re.compile(
    r",\s+(?:which|who)\s+[^,]*(?:,|$)|\b(?:that|which|who)\s+(?:was|were|had|will|(?:is|are)\s+(?:likely|expected|due)\s+to)\b[^,;]*"
)
_HEAD = re.compile(r"\b(?:an?|the|The|An|A)\s+(?:[\w’'-]+\s+){0,4}?[\w’'-]+,?\s*$")
# A dated inspection named within a sentence about something else: "after an inspectorate's
# inspection in December 2018", "Following a further inspection in December 2022", "the
# Inspectorate’s July 2012 inspection".
_DATED_INSPECTION = re.compile(
    r"(?:\b(?:after|following|since)\s+)?\b(?:an?|the|its)?\s*(?:[\w’']+\s+){0,3}?(?:re-?)?inspection\s+in\s+"
    + "(?:" + _MONTH + r"\s+)?" + _YEAR + r"\b"
    r"|\b[A-Z][\w’']*[’']s\s+" + _MONTH.replace("?P<month>", "?:") + r"\s+(?:19|20)\d\d\s+inspection\b",
    re.I,
)
# Kinds a clause is offered for on its own: each names what it claims (a grade, a number, a
# measure, an inspection, a plan, a finding or words said), where "event" is only what is left.
_NAMED_KINDS = ("rating", "figure", "intervention", "inspection", "plan", "finding", "statement")
# Kinds whose claim rests on a phrase of the sentence (a grade, a number, a measure): another
# clause without that phrase is another claim, even one that names nothing in particular.
_PHRASE_KINDS = ("rating", "figure", "intervention", "inspection")
_PERFECT_PASSIVE = re.compile(r"\b(?:has|have|had)\s+(?:also\s+|now\s+|already\s+)?been\s+(?:\w+ly\s+)?\w+(?:ed|en|wn|up)\b", re.I)
# "..., which had been the case in 2012": the clause before held at another time, a claim of its own.
_THE_CASE = re.compile(r"\bwhich\s+(?:had been|was|were)\s+the\s+case\b", re.I)
_SINCE_THEN = re.compile(r"\bsince\s+then\b", re.I)
_SINCE_ITS = re.compile(r"\bsince\s+(?:its|the|that)\s+(?:[\w’'‘]+\s+){0,3}?(rating|judgment|judgement|inspection|report)\b", re.I)
_THE_REPORT = re.compile(r"\b(?:[Tt]he|[Tt]hat|[Tt]his)\s+(?:[A-Z][\w’']*\s+)?(?:report|inspection)\b")


class Dating(Record):
    """How a candidate is dated: its date, bound, basis (core.kinds.DATE_BASES) and note."""

    date: str | None
    bound: str | None
    basis: str | None
    note: str | None


class _Reading:
    """What the draft has read of an article so far, for dating what later sentences refer back
    to ("since then", "the report"), and the article's own facts (date, subject, overseers)."""

    def __init__(self, published, meta, organisation, overseers):
        self.published = published
        self.meta = meta
        self.organisation = organisation
        self.overseers = overseers
        self.last_date = None  # the last dated mention read: DateMention
        self.report = None  # the last judgment the article dated: DateMention
        self.in_report = False  # the sentence before was a finding of that report

    def read(self, quote):
        """Take note of a sentence once its candidates are drafted."""
        dated = [m for m in dates_in(quote, self.published) if m.date and not m.period]
        if dated:
            self.last_date = dated[-1]
        grades = _grade_pattern(self.meta.scale)
        if dated and grades and grades.search(quote) and _RATED.search(quote) and not _SINCE_ITS.search(quote):
            self.report = dated[0]

    def claims(self, quote, speaker):
        """(start, end, kind, fields, dating) of each claim in quote: the whole sentence's, then
        each clause's that claims something else."""
        blanked = _blank_relatives(quote)
        kind, fields = self._kind(quote, blanked, speaker)
        found = [(0, len(quote), kind, fields, self._date(kind, fields, quote, blanked, quote, speaker))]
        keys = {(kind, _key(fields), found[0][4].date)}
        # A relative clause with its noun is dated by its own words; other clauses without theirs.
        parts = [(span, True) for span in _clauses(quote) + _inspections(quote)]
        parts += [(span, False) for span in _relatives(quote)]
        for (start, end), blank in parts:
            part = quote[start:end]
            if len(part.split()) < _MIN_WORDS - 1 or (start, end) == (0, len(quote)):
                continue
            said = speaker if _SPEECH.search(part) else None
            part_blanked = _blank_relatives(part) if blank else part
            part_kind, part_fields = self._kind(part, part_blanked, said, quote)
            if part_kind not in _NAMED_KINDS and kind not in _PHRASE_KINDS:
                continue
            dating = self._date(part_kind, part_fields, part, part_blanked, quote, said)
            key = (part_kind, _key(part_fields), dating.date)
            if key in keys:
                continue
            keys.add(key)
            found.append((start, end, part_kind, part_fields, dating))
        self.in_report = kind == "finding" and (self.in_report or bool(_THE_REPORT.search(quote)))
        return found

    def _kind(self, text, blanked, speaker, sentence=None):
        overseer = self.overseers.get(speaker) if speaker else None
        since = _SINCE_ITS.search(text)
        if since and text[: since.start()].strip():
            text = text[: since.start()]  # "since its 'inadequate' rating" names an old one
        if sentence and _THE_CASE.search(text):
            return "finding", {"by": None}
        dates = dates_in(blanked, self.published)
        return _kind_and_fields(text, dates, speaker, self.organisation, self.meta, overseer, sentence)

    def _date(self, kind, fields, text, blanked, sentence, speaker):
        """How a claim of text (a sentence or a clause of sentence) is dated."""
        published = self.published
        month = _month(published)
        said = kind == "statement" or (kind == "finding" and speaker)
        verb = _SPEECH.search(blanked) if said else None
        when = [m for m in dates_in(blanked[: verb.start()], published) if m.date and not m.period] if verb else []
        if said and when:
            # "In March this year she ruled ...": the date says when the words were said.
            return Dating(when[0].date, None, "inferred" if when[0].note else "stated", when[0].note)
        if said and published:
            # Otherwise words are dated when reported: a date inside them is what they speak of.
            return Dating(month, None, "reported", _reported_note(published, f"what {speaker} said"))
        own = [m for m in dates_in(blanked, published) if m.date]
        mentions = own or ([m for m in dates_in(_blank_relatives(sentence), published) if m.date] if text != sentence else [])
        hidden = [m for m in dates_in(text, published) if m.date and m not in mentions]
        if not mentions and _SINCE_THEN.search(text) and self.last_date:
            then = self.last_date
            return Dating(then.date, "after", "bounded", f"'since then' follows {then.text!r} in the article: after {then.date}")
        if not mentions and (since := _SINCE_ITS.search(text)) and self.report:
            report = self.report
            return Dating(
                report.date, None, "inferred",
                f"{since.group()!r} is the one the article dates {report.date} ({report.text!r})",
            )  # fmt: skip
        if mentions:
            dated = mentions[0]
            before = sentence[: sentence.find(dated.text)] if dated.text in sentence else ""
            if (
                kind != "inspection"
                and not dated.period
                and re.search(r"\b(?:after|following|since)\s+(?:[\w’']+\s+){0,5}$", before, re.I)
            ):
                return Dating(dated.date, "after", "bounded", f"{dated.text!r} dates what the claim came after")
            if not own and _FUTURE.search(text) and not dated.period and not _FUTURE.search(before[-40:]):
                # A clause looking ahead from a date another clause gives: "carried out a visit in
                # September 2021 and is likely to undertake more".
                return Dating(dated.date, "after", "bounded", f"{dated.text!r} dates another clause; this one looks ahead from it")
            basis = "reported" if dated.period else "inferred" if dated.note else "stated"
            date = month if dated.period else dated.date
            return Dating(date, None, basis, dated.note)
        if kind == "finding" and self.report and (self.in_report or _THE_REPORT.search(text)):
            report = self.report
            return Dating(
                report.date, None, "inferred",
                f"the report is the one the article dates {report.date} ({report.text!r})",
            )  # fmt: skip
        if not published:
            # Relative dates cannot be worked out without the article's date; the note says so.
            unresolved = [m for m in dates_in(text, published) if m.note]
            return Dating(None, None, None, unresolved[0].note if unresolved else None)
        if kind not in ("statement", "finding") and _PERFECT_PASSIVE.search(text) and not re.search(r"\bnow\b", text):
            done = _PERFECT_PASSIVE.search(text).group()
            return Dating(month, "by", "bounded", f"{done!r}: done by the article's publication ({published})")
        if hidden:
            return Dating(
                month, None, "reported",
                f"{hidden[0].text!r} dates a clause of the sentence, not its claim, which is dated by the"
                f" article's publication ({published})",
            )  # fmt: skip
        return Dating(month, None, "reported", _reported_note(published, "no date in the sentence"))

    def date_role(self, sentence):
        """A role is dated by a date of its sentence (a start: "took over in the summer"), else
        by the article's publication."""
        mentions = [m for m in dates_in(sentence, self.published) if m.date and not m.period]
        if mentions:
            dated = mentions[0]
            return Dating(dated.date, None, "inferred" if dated.note else "stated", dated.note)
        if not self.published:
            return Dating(None, None, None, None)
        return Dating(_month(self.published), None, "reported", _reported_note(self.published, "the role as reported"))


def _month(published):
    """The month of a publication date (or the date itself when coarser): what an article reports
    happened by then, not necessarily on its day."""
    return published[:7] if published else None


def _reported_note(published, what):
    if len(published) > 7:
        return f"{what}: the month of the article's publication ({published})"
    return f"{what}: the article's publication date ({published})"


def _key(fields):
    return tuple(sorted((name, str(value)) for name, value in fields.items()))


def _blank_relatives(text):
    """text with its relative clauses blanked out (same length), so their dates are not the claim's."""
    return _RELATIVE.sub(lambda match: " " * len(match.group()), text)


def _trimmed(text, start, end):
    """(start, end) of text[start:end] without joining words, spaces and punctuation at its edges."""
    while start < end and text[start] in " ,;:-–—":
        start += 1
    if join := _LEADING_JOINS.match(text[start:end]):
        start += join.end()
    while end > start and text[end - 1] in " ,;:.-–—":
        end -= 1
    return start, end


def _clauses(quote):
    """(start, end) of each clause of quote, where it divides (see _CLAUSE_BREAKS)."""
    spans, at = [], 0
    for match in _CLAUSE_BREAKS.finditer(quote):
        spans.append(_trimmed(quote, at, match.start()))
        at = match.end()
    spans.append(_trimmed(quote, at, len(quote)))
    return spans if len(spans) > 1 else []


def _relatives(quote):
    """(start, end) of each relative clause with the noun it tells of: "an improvement notice that
    was placed on the council in November 2012", "The model, which was launched in March last year";
    or with the clause it says held before: "children are not safe, which had been the case in 2012"."""
    found = []
    for match in _RELATIVE.finditer(quote):
        before = quote[: match.start() + (1 if quote[match.start()] == "," else 0)].rstrip(",")
        if _THE_CASE.search(match.group()):
            head = list(re.finditer(r"\b(?:that|said|says)\s+", before))
            if head:
                found.append(_trimmed(quote, head[-1].end(), match.end()))
        elif head := _HEAD.search(before):
            found.append(_trimmed(quote, head.start(), match.end()))
    return found


def _inspections(quote):
    return [_trimmed(quote, *match.span()) for match in _DATED_INSPECTION.finditer(quote)]


def _subject(sentence, known):
    """The person a sentence opens with ("Now Jane Doe, the Commissioner ... has"), whom a
    later "she" may mean."""
    opening = re.sub(r"^(?:now|but|and|however|then|today)\s+", "", sentence.strip(" “\"'"), flags=re.I)
    opening = re.sub(r"^" + _HONORIFIC + r"\s+", "", opening)
    return next((known.get(name, name) for name in known if opening.startswith(name)), None)


def _record(kind, fields, claim, dating, text, start, end, source_id):
    """A fact record in the shape `facts add` accepts, its citation anchored in text."""
    cited = span(text, start, end)
    # Every field of the kind is present, null where the draft could not fill it and null is allowed.
    record = {"kind": kind, "claim": claim.strip(), "date": dating.date, "date_basis": dating.basis}
    if dating.bound:
        record["date_bound"] = dating.bound
    record["date_note"] = dating.note
    record.update({name: fields.get(name) for name in KINDS[kind]})
    record["citations"] = [
        {
            "source": source_id,
            "quote": cited.quote,
            "start": cited.start,
            "end": cited.end,
            "prefix": cited.prefix,
            "suffix": cited.suffix,
        }
    ]
    return record


def _people(sentences, not_names=_NOT_NAMES):
    """Full names of the people the claims name, by every way the text refers to them:
    the full name, and the surname after an honorific ("Ms Doe", "Coun Smith")."""
    known = {}
    for sentence in sentences:
        for role in roles_in(sentence, not_names):
            known.setdefault(role.person, role.person)
        for name in _names(sentence, not_names):
            after = sentence[sentence.find(name) + len(name) :]
            before = sentence[: sentence.find(name)]
            if (
                re.match(r",\s+(?:who|the|a|an|minister|director|leader|cabinet|chief|head)\b", after, re.I)
                or _SPEECH.match(after.strip())
                or re.search(_HONORIFIC + r"\s+$", before)
                or re.search(r"\b" + _TITLES + r"\s+$", before, re.I)
            ):
                known.setdefault(name, name)
    for name in list(known):
        surname = name.split()[-1]
        for honorific in ("Cllr", "Coun", "Councillor", "Mr", "Mrs", "Ms", "Miss", "Dr"):
            known.setdefault(f"{honorific} {surname}", name)
    return known


def _named_in(sentence, known):
    return [name for name in known if re.search(r"\b" + re.escape(name) + r"\b", sentence)]


def _speaker(sentence, known, titles, carried, recent):
    """Who speaks in sentence: the person named nearest before a speech verb, a speaker the
    article describes ("an authority spokeswoman said"), the title of one named before ("The
    Commissioner adds"), "she" or "he" for the last speaker or the person the last sentence was
    about, a person named just after the verb ("..., said Jane Doe"), or the speaker of the quote
    this paragraph continues. Never someone merely named elsewhere in the sentence."""
    if carried:
        return carried
    speech = _SPEECH.search(sentence)
    quoted = re.search(r"[“\"][^”\"]*\w+\s+\w+\s+\w+\s+\w+", sentence)
    if not speech and not (quoted and re.search(r":\s*[“\"]", sentence)):
        return None
    before = sentence[: speech.start()] if speech else sentence[: sentence.find(":")]
    people = sorted((before.rfind(name), known.get(name, name)) for name in _named_in(before, known))
    if people:
        return people[-1][1]
    if described := _DESCRIBED.search(before):
        return described.group(1)
    title = re.search(r"\b(?:the|The)\s+(" + _TITLES + r")\b", before, re.I)
    if title and title.group(1).lower() in titles:
        return titles[title.group(1).lower()]
    if recent and re.search(r"\b(she|he)\b", before, re.I):
        return recent
    if speech:
        after = sentence[speech.end() : speech.end() + 60]
        named = sorted((after.find(name), known.get(name, name)) for name in _named_in(after, known))
        if named and not after[: named[0][0]].strip(" ,").count(" ") > 2:
            return named[0][1]
    return None


def _organisation(sentences):
    """The council the article is about: the one it names most, else the place whose council
    it speaks of ("Northshire's ... the council")."""
    counts, places = {}, {}
    for sentence in sentences:
        for match in re.finditer(r"\b([A-Z][a-z]+ (?:Borough |County |City )?Council)\b", sentence):
            counts[match.group(1)] = counts.get(match.group(1), 0) + 1
        for place in re.findall(r"\b([A-Z][a-z]+)[’']s\b", sentence):
            places[place] = places.get(place, 0) + 1
    if counts:
        return max(counts, key=counts.get)
    # A place is a proper noun: a word the article never writes in lower case ("Children's" is not).
    lower = {word for sentence in sentences for word in re.findall(r"\b[a-z]+\b", sentence)}
    places = {place: count for place, count in places.items() if place.lower() not in lower}
    if places and any(re.search(r"\bcouncil\b", sentence) for sentence in sentences):
        return f"{max(places, key=places.get)} Council"
    return None


def _role_organisation(role, organisation):
    if match := re.search(r"\b([A-Z][a-z]+ (?:Borough |County |City )?Council)\b", role):
        return match.group(1)
    if re.search(r"\b(minister|secretary of state)\b", role, re.I):
        return "UK Government"
    return organisation


def registered(store, path):
    """The store's source whose file has the name of path, or None."""
    import os

    name = os.path.basename(path)
    return next((source for source in store.sources.values() if source.file == name), None)


def draft_file(path, published=None, source=None, meta=Meta()):
    """Candidates from the text file at path; source (a registered Source) gives its id and date."""
    if published is None and source is not None:
        published = source.published
    return draft_text(read_text(path), published, source.id if source else PLACEHOLDER_SOURCE, file=path, meta=meta)


def draft_for(store, path, published=None):
    """Candidates from the file at path, citing the store's source for it when it has one, with
    the store's grades, inspectorate and bodies, each with the facts on record it restates or
    disagrees with."""
    found = draft_file(path, published, registered(store, path), store.meta)
    return found._replace(candidates=against(found.candidates, store.facts, store.meta))


# --- what the store already holds -------------------------------------------------------------

# A candidate restates a fact whose claim and quotes hold this share of the candidate's
# significant words, and at least WORDS_AT_LEAST of them: a reworded claim keeps its words.
# Words said by one speaker never restate another's.
WORDS_SHARED = 0.6
WORDS_AT_LEAST = 3
# A word in more facts than this tells none apart: it is not looked up (the others still count).
WORDS_COMMON = 500
MOST_MATCHES = 3
# The identifying field whose difference, all others agreeing, is a disagreement of the sources.
DISAGREES_ON = {"figure": "value", "rating": "judgment"}


def against(candidates, facts, meta):
    """candidates, each with the facts that it restates (Match, best first: the same identity, an
    overlapping quote of the same source, then most words shared) and that it disagrees with."""
    from .identity import Identities, differing, identity, person_key
    from .overlap import common_words, significant_words

    held = [fact for fact in facts if not fact.retracted]
    records = {fact.id: fact.to_record() for fact in held}
    index = Identities(meta)
    identities, spans, words, postings = {}, {}, {}, {}
    common = common_words(meta.common_words)
    for fact_id, record in records.items():
        index.add(record)
        if record["kind"] in DISAGREES_ON:
            identities[fact_id] = identity(record, meta)
        for citation in record["citations"]:
            if citation.get("start") is not None:
                spans.setdefault(citation["source"], []).append((citation["start"], citation["end"], fact_id))
        text = " ".join([record["claim"], *(c["quote"] for c in record["citations"])])
        words[fact_id] = set(significant_words(text, common))
        for word in words[fact_id]:
            postings.setdefault(word, []).append(fact_id)
    done = []
    for candidate in candidates:
        record = candidate.record
        found = {m.fact_id: "identity" for m in index.matches(record) if not m.near}
        citation = record["citations"][0]
        for start, end, fact_id in spans.get(citation["source"], ()):
            if start < citation["end"] and citation["start"] < end:
                found.setdefault(fact_id, "span")
        mine = set(significant_words(citation["quote"], common))
        shared = {}
        for word in mine:
            if len(postings.get(word, ())) <= WORDS_COMMON:
                for fact_id in postings.get(word, ()):
                    shared[fact_id] = shared.get(fact_id, 0) + 1
        speaker = person_key(record["speaker"]) if record["kind"] == "statement" and record["speaker"] else None
        close = [
            (count / len(mine), fact_id)
            for fact_id, count in shared.items()
            if count >= max(WORDS_AT_LEAST, WORDS_SHARED * len(mine))
            and not (speaker and records[fact_id]["kind"] == "statement" and person_key(records[fact_id]["speaker"]) != speaker)
        ]
        if close:
            # Most words first; of as many, a fact of the candidate's kind.
            close.sort(key=lambda item: (-item[0], records[item[1]]["kind"] != record["kind"], item[1]))
            for _, fact_id in close:
                found.setdefault(fact_id, "words")
        disagrees = []
        if (field := DISAGREES_ON.get(record["kind"])) and (drafted := identity(record, meta)) is not None:
            for fact_id, other in identities.items():
                if differing(drafted, other) == (field,) and fact_id not in found:
                    first = records[fact_id]["citations"][0]
                    cited = f"{first['source']}:{first['quote']}"
                    disagrees.append(Disagreement(fact_id, field, records[fact_id][field], record[field], cited))
        matches = tuple(Match(fact_id, by) for fact_id, by in found.items())[:MOST_MATCHES]
        done.append(candidate._replace(matches=matches, disagrees=tuple(disagrees)))
    return done


def cite_line(candidate, fact_id):
    """The command that adds candidate's quote to the fact on record it restates."""
    citation = candidate.record["citations"][0]
    return shlex.join(["facts", "cite", fact_id, "--source", citation["source"], "--quote", citation["quote"]])


def conflict_line(candidate, disagreement):
    """The command that records the disagreement of candidate's source with a fact on record."""
    citation = candidate.record["citations"][0]
    note = (
        f"{citation['source']} gives {disagreement.field} {disagreement.drafted};"
        f" {disagreement.id} records {disagreement.on_record}"
    )
    return shlex.join(
        [
            "facts", "add-conflict", "--fact", disagreement.id, "--note", note,
            "--cite", f"{citation['source']}:{citation['quote']}", "--cite", disagreement.cite,
        ]
    )  # fmt: skip
