"""A question in plain English read as one query command, from the store's own words: what facts ask runs.

Reading is deterministic and offline. The words that say which question it is ("who",
"rated", "what happened", "disagree", "said") are plain English and live here; every word
about the topic comes from the store: its kinds, the roles, posts and people on record, the
rating areas, the grade scale, and its meta (inspectorate, subject, aliases, common words).
Dates are read only as years written out: "last year" or "now" are never resolved against
today, and the route says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from ..core.errors import UsageError
from ..core.kinds import KINDS
from ..core.records import Fact
from ..core.text import fold_for_matching
from ..core.tuples import Record
from ..storage.base import Store
from ..storage.search import parts
from .common import year_of
from .people import post_of, role_matches, tenures


class Route(Record):
    """The one command a question becomes, as typed after `facts`, and one line for each thing a
    person should know about how the question was read."""

    command: str
    args: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


class NotUnderstood(UsageError):
    """A question no query command answers; examples are questions this store can answer."""

    def __init__(self, message: str, examples: Iterable[str]) -> None:
        super().__init__(message)
        self.examples = list(examples)


# --- English: the words that say which question it is -------------------------------------

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = _words(
    """a about above across again against all also am an and any anyone anybody anything are as at be been
    being both but by can could did do does doing done during each either else ever every for from get gets
    got had has have having he her here hers him his how i if in into is it its itself just me more most my
    no not of off on once one only or other our out over own please same she should so some someone such than
    that the their them then there these they this those through to too under up upon us very was we were
    what whatever which while why will with would you your yes give tell show list see know let look want
    where first earliest come comes came help need like dont didnt doesnt wasnt werent isnt thing things ones way
    put puts"""
)

# Each intent's words; a phrase of several words is matched before its words one by one.
INTENTS = {
    "who": """who whom whose person people persons holder holders held hold holds role roles post posts job jobs
        position positions appointed appointment served serving occupied leave left start started join joined
        quit resign resigned resignation retire retired replaced succeeded tenure tenures term arrived departed
        took_over step_down stepped_down""",
    "lead": """ran run runs running led leads leading headed heads head manage managed manages managing
        in_charge responsible boss bosses top charge""",
    "rating": """rated rate rates rating ratings judgment judgments judgement judgements judged grade grades
        graded grading verdict verdicts score scored scores ranked result results""",
    "conflict": """disagree disagrees disagreed disagreement disagreements conflict conflicts conflicting
        contradict contradicts contradicted contradiction contradictions contradictory inconsistent
        inconsistency inconsistencies dispute disputes disputed differ differs discrepancy discrepancies clash
        clashes""",
    "sources": """source sources article articles document documents publication publications citation
        citations cited cite reference references""",
    "happen": """happen happened happening happens occurred occur occurs timeline chronology history
        what_happened going_on took_place developments""",
    "when": "when date dates dated what_year which_year",
    "say": """say says said saying told speak spoke spoken stated claimed comment comments commented remark
        remarks remarked announced announce quoted respond responded response reacted reaction think thought
        thinks argued argue insisted admitted admit warned praised welcomed statement statements""",
    "find": """find finds found finding findings concluded conclude conclusion conclusions observed identified
        criticised criticized""",
    "count": """how_many how_much number_of numbers amount amounts total totals spent spend spending cost costs
        figure figures statistics""",
    "inspectorate": "inspector inspectors inspectorate",
}
# Words that name a kind of fact beyond those the intents above imply.
KIND_WORDS = {
    "inspection": "inspection inspections inspected inspect inspecting visit visits visited",
    "intervention": "intervention interventions intervene intervened intervening",
    "plan": "plan plans planned strategy strategies",
    "event": "event events",
}
# Which kind each intent implies, when the question asks for facts of one kind.
INTENT_KINDS = {"count": "figure", "say": "statement", "find": "finding"}
# Posts that run something, best first: "who ran X" asks for the holder of one of these.
LEADERSHIP = ("leader", "chief", "head", "chair", "director", "president", "commissioner", "minister", "manager")

MONTHS = {
    name: number
    for number, names in enumerate(
        ("january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul",
         "august aug", "september sep sept", "october oct", "november nov", "december dec"),
        1,
    )
    for name in names.split()
}
# Month names that are also everyday words: months only next to a year.
EVERYDAY_MONTHS = frozenset({"may", "march", "mar", "jan", "sep", "oct", "dec", "jun", "jul", "aug", "apr", "feb", "nov"})
RELATIVE = _words(
    "now today currently current recent recently latest present presently nowadays ago yesterday lately newest still"
    " last next previous"
)
RELATIVE_LEADS = _words("last this next previous past coming")
RELATIVE_UNITS = _words("year years month months week weeks decade time spring summer autumn winter term quarter")
PREPOSITIONS = _words("of for in at to on with over")
RANGE_WORDS = {"since": "from", "after": "after", "before": "before", "until": "to", "till": "to", "by": "to"}

# --- Reading the question -----------------------------------------------------------------

_QUOTED = re.compile(r'"([^"]+)"')
_TOKEN = re.compile(r"\w+(?:['-]\w+)*")
_YEAR = re.compile(r"[0-9]{4}\Z")
_DECADE = re.compile(r"([0-9]{3})0s\Z")
_YEAR_RANGE = re.compile(r"([0-9]{4})-([0-9]{2}|[0-9]{4})\Z")
FIRST_YEAR, LAST_YEAR = 1900, 2100


def tokens(text: str) -> list[str]:
    """The words of text as the reading compares them: folded, possessives and apostrophes gone,
    hyphenated words kept whole (an id, a range of years)."""
    found = []
    for word in _TOKEN.findall(fold_for_matching(text)):
        word = re.sub(r"'s\Z|s'\Z", lambda m: "s" if m.group() == "s'" else "", word)
        found.append(word.replace("'", ""))
    return found


class Token(Record):
    text: str  # as read (corrected)
    typed: str  # as typed, folded
    quoted: bool = False


class Meaning(Record):
    """What a phrase of the question may mean: a category, a value, and how specific it is (lower is more)."""

    rank: int
    category: str
    value: object


# How specific each category is: of two meanings of the same words, the lower rank is taken.
RANKS = {
    "alias": 1, "wording": 1, "person": 2, "role": 3, "party": 4, "name": 5, "grade": 6, "area": 7,
    "inspectorate": 8, "kind": 9, "intent": 9, "subject": 10, "stop": 11,
}  # fmt: skip
# Meanings of one family lead to the same question; two families, to two questions.
FAMILIES = {
    "alias": "post", "wording": "post", "role": "post", "person": "person", "name": "person", "party": "person",
    "grade": "grade", "area": "area", "inspectorate": "inspectorate",
}  # fmt: skip
CATEGORY_WORDS = {
    "alias": "a post", "wording": "a post", "role": "a post", "person": "a person's name", "name": "a person's name",
    "party": "a speaker", "grade": "a grade", "area": "a rating area", "inspectorate": "the inspectorate",
    "kind": "a kind of fact", "intent": "a question word", "subject": "the store's subject",
}  # fmt: skip


class Vocabulary:
    """The phrases a question is read with: the English ones above and the store's own."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.phrases: dict[tuple[str, ...], list[Meaning]] = {}
        meta = store.meta
        self.roles = store.select("role")
        for alias, meaning in meta.aliases.items():
            self.add(alias, "alias", fold_for_matching(alias))
        people = set()
        for fact in self.roles:
            wording = fact.fields["role"]
            self.add(wording, "wording", fold_for_matching(wording))
            if fact.fields["post"]:
                self.add(fact.fields["post"], "wording", fold_for_matching(fact.fields["post"]))
            head = role_head(wording)
            if head:
                self.add(head, "role", fold_for_matching(head))
            people.add(fact.fields["person"])
        for person in people:
            self.add(person, "person", person)
            for part in tokens(person):
                if len(part) > 2:
                    self.add(part, "name", person)
        for fact in store.select("statement"):
            if fact.fields["speaker"] not in people:
                self.add(fact.fields["speaker"], "party", fact.fields["speaker"])
        for grade in meta.scale:
            self.add(grade, "grade", grade)
        self.areas = sorted({fact.fields["area"] for fact in store.select("rating")})
        common = {word for text in meta.common_words for word in tokens(text)}
        for area in self.areas:
            self.add(area, "area", area)
            for word in tokens(area):
                if word not in STOPWORDS and word not in common:
                    self.add(word, "area", area)
        if meta.inspectorate:
            self.add(meta.inspectorate, "inspectorate", meta.inspectorate)
        # What the whole store is about tells no question apart: its subject, title, services and
        # common words are passed over (a service as a whole phrase: "social" alone may be asked about).
        for service in meta.services:
            self.add(service, "subject", None)
        for text in (meta.subject or "", meta.title or "", *meta.common_words):
            self.add(text, "subject", None)
            for word in tokens(text):
                self.add(word, "subject", None)
        for intent, words in INTENTS.items():
            for phrase in words.split():
                self.add(phrase.replace("_", " "), "inspectorate" if intent == "inspectorate" else "intent", intent)
        for kind in KINDS:
            self.add(kind, "kind", kind)
            self.add(kind + "s", "kind", kind)
        for kind, words in KIND_WORDS.items():
            for word in words.split():
                self.add(word, "kind", kind)
        for word in (*STOPWORDS, "find out"):
            self.add(word, "stop", None)
        self.known = sorted({word for phrase in self.phrases for word in phrase})
        self.longest = max((len(phrase) for phrase in self.phrases), default=1)
        self._claim_words: list[str] | None = None

    def add(self, text: str, category: str, value: object) -> None:
        key = tuple(tokens(text))
        if key:
            meanings = self.phrases.setdefault(key, [])
            meaning = Meaning(RANKS[category], category, value)
            if meaning not in meanings:
                meanings.append(meaning)
                meanings.sort(key=lambda m: m[:2])

    def on_record(self, word: str, exactly: bool = False) -> bool:
        """Whether any fact of the store uses word: in any of its forms (search's), or exactly."""
        found = parts(word)
        if not found:
            return False
        if not exactly:
            return self.store.search(found, include_retracted=True, limit=1)[0] > 0
        _, hits = self.store.search(found, include_retracted=True)
        return any(word in tokens(text) for fact, _, _ in hits for text in _texts(fact))

    def used_by(self, word: str, kind: str) -> bool:
        """Whether any fact of kind uses word, in any of its forms."""
        found = parts(word)
        return bool(found) and self.store.search(found, kind, include_retracted=True, limit=1)[0] > 0

    def claim_words(self) -> list[str]:
        """Every word of the store's claims, for a mistyped search word; read once, when first needed."""
        if self._claim_words is None:
            self._claim_words = sorted({word for fact in self.store.select() for word in tokens(fact.claim)})
        return self._claim_words


def role_head(wording: str) -> str:
    """What a role is, the words before what it is of ("director" of "director of public
    health"), or the last word of a role with no "of" ("commissioner" of "police and crime
    commissioner"); "" when that is the whole wording."""
    words = wording.split()
    before = next((i for i, word in enumerate(words) if fold_for_matching(word) in PREPOSITIONS), None)
    head = words[:before] if before else words[-1:]
    return " ".join(head) if len(head) < len(words) else ""


def distance_allowed(word: str) -> int:
    """How many edits a typo of a word this long may have: none below five letters, where one edit
    makes another everyday word ("help", "held"; "card", "care"); two from nine ("comissionr").
    bench/ask.py measures the choice: of one-edit typos of the vocabulary, 77% are read right and
    3% as another word (most of the rest are of words under five letters); of 2,236 ordinary words
    no store uses, 57 are read as a vocabulary word."""
    return 0 if len(word) < 5 else 1 if len(word) < 9 else 2


def closest(word: str, choices: list[str], most: int = 2) -> str | None:
    """The choice within distance_allowed edits of word (a transposition is one edit), nearest first,
    then one with the same first letter, then the first in order; None when there is none. Two
    edits must keep the first letter, which typing rarely gets wrong ("meaning" is not "leading")."""
    allowed = min(distance_allowed(word), most)
    if not allowed or not choices:
        return None
    found = [
        (choice, distance)
        for choice, distance, _ in process.extract(word, choices, scorer=OSA.distance, score_cutoff=allowed, limit=None)
        if distance < 2 or choice[:1] == word[:1]
    ]
    if not found:
        return None
    return min(found, key=lambda item: (item[1], item[0][:1] != word[:1], item[0]))[0]


def _forms(word: str) -> list[str]:
    """Other forms a word may be known by: without a plural ending."""
    forms = []
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if word.endswith("es"):
        forms.append(word[:-2])
    if word.endswith("s"):
        forms.append(word[:-1])
    return forms


class Reading(Record):
    """What the question was found to ask about."""

    ids: list
    years: list
    span: tuple | None
    months: list
    relative: list
    intents: list
    kinds: list
    roles: list  # values (folded role text)
    people: list  # (full name, typed form on record)
    parties: list
    grades: list
    areas: list
    content: list  # (word, on record)
    quoted: list
    lead_words: list  # every word the question used, for picking the post that runs something
    notes: list


def read(vocabulary: Vocabulary, question: str) -> Reading:
    """Read the question's words with the vocabulary: each phrase's most specific meaning, and a
    note where a phrase had two."""
    question = question.replace("\u201c", '"').replace("\u201d", '"')
    quoted = [phrase.strip() for phrase in _QUOTED.findall(question)]
    ids, words, corrections = _ids(vocabulary.store, tokens(_QUOTED.sub(" ", question)))
    years, span, months, relative, taken, notes = _dates(words)
    read_words = _corrected(vocabulary, [word for word, was_taken in zip(words, taken) if not was_taken], corrections)
    if corrections:
        notes.append(f"Read {'; '.join(corrections)}.")
    reading = Reading(
        ids=ids, years=years, span=span, months=months, relative=relative, intents=[], kinds=[], roles=[],
        people=[], parties=[], grades=[], areas=[], content=[], quoted=quoted,
        lead_words=[token.text for token in read_words], notes=notes,
    )
    # The longest phrase the vocabulary knows at each place, left to right.
    i = 0
    while i < len(read_words):
        for length in range(min(vocabulary.longest, len(read_words) - i), 0, -1):
            key = tuple(token.text for token in read_words[i : i + length])
            meanings = vocabulary.phrases.get(key)
            if meanings:
                _take(reading, meanings, " ".join(token.typed for token in read_words[i : i + length]), vocabulary)
                i += length
                break
        else:
            word = read_words[i].text
            reading.content.append((word, vocabulary.on_record(word)))
            i += 1
    return reading


def _ids(store: Store, raw: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(fact ids, the other words, corrections): a hyphenated word is an id on record, or within
    a typo or two of one; else its parts are words (a range of years stays whole)."""
    ids, words, corrections = [], [], []
    store_ids = None
    for word in raw:
        if "-" not in word or _YEAR_RANGE.match(word):
            words.append(word)
            continue
        store_ids = store_ids if store_ids is not None else store.ids()
        near = word if word in store_ids else closest(word, store_ids) if word.count("-") >= 2 else None
        if near is None:
            words.extend(piece for piece in word.split("-") if piece)
            continue
        ids.append(near)
        if near != word:
            corrections.append(f"{word} as {near}")
    return ids, words, corrections


def _dates(words: list[str]):
    """(years, span, months, relative words, which words were read as dates, notes): years written
    out, alone or as spans, months as their year, and words relative to today, which are noted
    but never resolved. A number is never a typo of a word, so dates are read first."""
    years: list[int] = []
    span: tuple[int | None, int | None] | None = None
    months: list[str] = []
    relative: list[str] = []
    notes: list[str] = []
    taken = [False] * len(words)
    for i, word in enumerate(words):
        previous = words[i - 1] if i else ""
        if _YEAR.match(word) and FIRST_YEAR <= int(word) <= LAST_YEAR:
            year = int(word)
            taken[i] = True
            how = RANGE_WORDS.get(previous)
            if how:
                taken[i - 1] = True
                span = {
                    "from": (year, span[1] if span else None),
                    "after": (year + 1, span[1] if span else None),
                    "before": (span[0] if span else None, year - 1),
                    "to": (span[0] if span else None, year),
                }[how]
            elif previous in ("to", "and", "until") and years and i > 1 and words[i - 2] == str(years[-1]):
                taken[i - 1] = True
                span = (years.pop(), year)
            else:
                years.append(year)
            if previous in MONTHS:
                taken[i - 1] = True
                months.append(f"{previous.title()} {word}")
        elif (match := _YEAR_RANGE.match(word)) and FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
            end = match[2] if len(match[2]) == 4 else match[1][:2] + match[2]
            span = (int(match[1]), int(end))
            taken[i] = True
        elif (match := _DECADE.match(word)) and FIRST_YEAR <= int(match[1] + "0") <= LAST_YEAR:
            span = (int(match[1] + "0"), int(match[1] + "9"))
            taken[i] = True
        elif word in RELATIVE_LEADS and i + 1 < len(words) and words[i + 1] in RELATIVE_UNITS:
            continue  # "last" of "last year": read with its unit, next
        elif word in RELATIVE or (word in RELATIVE_UNITS and previous in RELATIVE_LEADS):
            taken[i] = True
            if word in RELATIVE_UNITS:
                taken[i - 1] = True
                relative.append(f"{previous} {word}")
            else:
                relative.append(word)
        elif word in MONTHS and word not in EVERYDAY_MONTHS and not (i + 1 < len(words) and _YEAR.match(words[i + 1])):
            taken[i] = True
            relative.append(word)
    for i, word in enumerate(words):
        if word in ("between", "from") and i + 1 < len(words) and taken[i + 1]:
            taken[i] = True
    if span and years:
        span = (min([*years, *(y for y in span if y)]), max([*years, *(y for y in span if y)]))
        years = []
    if span:
        # "between 2021 and 2019" is the same span; "before 1900" has no year the commands take.
        start, end = span
        if start is not None and end is not None and start > end:
            start, end = end, start
        start, end = (year if year is not None and FIRST_YEAR <= year <= LAST_YEAR else None for year in (start, end))
        span = (start, end) if (start, end) != (None, None) else None
    if len(set(years)) > 1:
        span, years = (min(years), max(years)), []
        notes.append(f"Read the years as from {span[0]} to {span[1]}.")
    return years, span, months, relative, taken, notes


def _corrected(vocabulary: Vocabulary, words: list[str], corrections: list[str]) -> list[Token]:
    """Each word as known: as typed, in another form, a word the store uses, or the known word it
    is a typo of (added to corrections)."""
    known = set(vocabulary.known)
    read_words = []
    for word in words:
        if word in known or word.isdigit():
            read_words.append(Token(word, word))
            continue
        # A plural of a known word is that word ("leaders" of "council leader"), even where the store uses it.
        form = next((form for form in _forms(word) if form in known), None)
        if form or vocabulary.on_record(word, exactly=True):
            read_words.append(Token(form or word, word))
            continue
        # One edit from a question word comes before another form of a word on record: "directer"
        # is "director", though search would find it as a form of "direction"; two edits come after
        # ("invested" is a form of "investment" before it is two edits from "insisted").
        near = closest(word, vocabulary.known, most=1)
        if near is None and not vocabulary.on_record(word):
            near = closest(word, vocabulary.known) or closest(word, vocabulary.claim_words())
        if near:
            corrections.append(f"{word} as {near}")
        read_words.append(Token(near or word, word))
    return read_words


def _take(reading: Reading, meanings: list[Meaning], typed: str, vocabulary: Vocabulary) -> None:
    """Record the most specific meaning of a phrase; note another meaning that would change the answer."""
    best = meanings[0]
    category, value = best.category, best.value
    if category in ("alias", "wording", "role"):
        reading.roles.append(value)
    elif category in ("person", "name"):
        reading.people.append((value, typed))
        if category == "name" and _used_as_word(vocabulary.store, typed):
            reading.notes.append(
                f"Read '{typed}' as the name {value}; the store also uses it as a word (facts search {typed})."
            )
    elif category == "party":
        reading.parties.append(value)
    elif category == "grade":
        reading.grades.append(value)
    elif category == "area":
        reading.areas.append((value, typed))
    elif category == "inspectorate":
        reading.intents.append("inspectorate")
    elif category == "intent":
        reading.intents.append(value)
    elif category == "kind":
        reading.kinds.append(value)
    others = [m for m in meanings[1:] if FAMILIES.get(m.category) not in (FAMILIES.get(category), None)]
    if others and FAMILIES.get(category):
        reading.notes.append(
            f"'{typed}' could be {CATEGORY_WORDS[category]} or {CATEGORY_WORDS[others[0].category]};"
            f" read it as {CATEGORY_WORDS[category]}, the more specific."
        )


def _texts(fact: Fact) -> list[str]:
    """The text of a fact that search looks in: its claim, its quotes and its fields."""
    fields = [value for value in fact.fields.values() if isinstance(value, str)]
    return [fact.claim, *(citation.quote for citation in fact.citations), *fields]


def _used_as_word(store: Store, word: str) -> bool:
    """Whether the store's claims or quotes use word in lower case: a name that is also an everyday word."""
    found = parts(word)
    if not found:
        return False
    pattern = re.compile(rf"(?<![\w']){re.escape(word)}(?!\w)")
    return any(
        pattern.search(text)
        for fact, _, _ in store.search(found, include_retracted=True)[1]
        for text in (fact.claim, *(citation.quote for citation in fact.citations))
    )


# --- Choosing the command -----------------------------------------------------------------


def route(store: Store, question: str) -> Route:
    """The one query command that answers question, with its options; NotUnderstood when none does."""
    vocabulary = Vocabulary(store)
    reading = read(vocabulary, question)
    chosen = _choose(vocabulary, reading)
    if chosen is None:
        shown = _shortened(question.strip(), 80)
        unknown = [repr(_shortened(word)) for word, on_record in reading.content if not on_record]
        more = ", ..." if len(unknown) > 3 else ""
        unused = f" (no fact uses {', '.join(unknown[:3])}{more})" if unknown else ""
        raise NotUnderstood(
            f"no question recognised in {shown!r}{unused}: ask about people and posts, ratings, years,"
            " what was said or the sources, for example:",
            examples(store),
        )
    command, args, notes = chosen
    if reading.relative:
        words = ", ".join(f"'{word}'" for word in dict.fromkeys(reading.relative))
        verb = "is not read as a date" if len(set(reading.relative)) == 1 else "are not read as dates"
        notes.append(f"{words} {verb}: facts ask does not count from today; give a year, such as {_example_year(store)}.")
    by_month = any(len(arg) == 7 and arg[4] == "-" for arg in args)
    if reading.months and ("--year" in args or "--from" in args) and not by_month:
        notes.append(f"Read {', '.join(reading.months)} as the whole year: this command takes years.")
    return Route(command, tuple(args), tuple(reading.notes + notes))


def _shortened(text: str, most: int = 30) -> str:
    return text if len(text) <= most else text[: most - 3] + "..."


def _choose(vocabulary: Vocabulary, r: Reading):
    """(command, args, notes) for a reading, or None: the first of these rules that applies."""
    notes: list[str] = []
    intents = set(r.intents)
    kinds = _kinds(r)
    about_people = bool(r.people or r.roles)
    filters = about_people or r.parties or r.grades or r.areas or kinds or r.content or r.quoted or r.years or r.span
    if r.ids:
        if len(r.ids) > 1:
            notes.append(f"Showing one fact at a time: {r.ids[0]}.")
        return "show", [r.ids[0]], notes
    if "conflict" in intents:
        if filters:
            notes.append("facts conflicts takes no filter: it lists every disagreement on record.")
        return "conflicts", [], notes
    if "sources" in intents and not filters:
        return "sources", [], notes
    if {"say", "find"} & intents:
        said = "say" in intents and (about_people or r.parties or "inspectorate" not in intents)
        kind: str | None = "statement" if said else "finding"
        named = [name for name, _ in r.people]
        if said and named and not _speaks(vocabulary.store, named):
            # A statement found by a name its speaker never had (one in a note) would put
            # another's words in their mouth; what they wrote may be on record as findings.
            notes.append(
                f"No statement on record has {' or '.join(named)} as its speaker (what was written or said may"
                f" be on record as findings): searching facts of every kind for {'the name' if len(named) == 1 else 'the names'}."
            )
            kind = None
        return _search_or_timeline(vocabulary, r, kind, notes)
    wants_who = bool({"who", "lead"} & intents)
    if wants_who and "rating" in intents and not about_people:
        return _rating(vocabulary, r, notes)
    if wants_who or (about_people and not (r.content or r.quoted or kinds or "happen" in intents)):
        return _who(vocabulary, r, notes)
    if about_people:
        return _search_or_timeline(vocabulary, r, _one_kind(kinds, notes), notes)
    if ("rating" in intents or r.grades or r.areas or "inspectorate" in intents) and not kinds:
        return _rating(vocabulary, r, notes)
    if not (intents or kinds or r.years or r.span or r.content or r.quoted or r.parties):
        return None
    return _search_or_timeline(vocabulary, r, _one_kind(kinds, notes), notes)


def _kinds(r: Reading) -> list[str]:
    """The kinds of fact a question names or implies ("how many": figures), rating and role aside:
    those have commands of their own."""
    implied = [INTENT_KINDS[intent] for intent in r.intents if intent in INTENT_KINDS]
    return [kind for kind in dict.fromkeys([*r.kinds, *implied]) if kind not in ("rating", "role")]


def _one_kind(kinds: list[str], notes: list[str]) -> str | None:
    if len(kinds) > 1:
        notes.append(f"The commands take one kind: read the question as about {kinds[0]} facts.")
    return kinds[0] if kinds else None


def _years_args(r: Reading) -> list[str]:
    """--from and --to of the question's year or span; of its month, when it names one month
    of its one year (timeline takes months)."""
    if len(r.years) == 1 and len(r.months) == 1 and not r.span:
        name, year = r.months[0].split()
        if year == str(r.years[0]):
            month = f"{year}-{MONTHS[name.lower()]:02d}"
            return ["--from", month, "--to", month]
    start, end = (r.years[0], r.years[0]) if r.years else (r.span or (None, None))
    return [*(["--from", str(start)] if start is not None else []), *(["--to", str(end)] if end is not None else [])]


def _speaks(store: Store, names: list[str]) -> bool:
    """Whether any statement on record is by one of the people named, names compared as the
    duplicate rule compares them (without Cllr, OBE and the like)."""
    from ..curation.identity import person_key

    wanted = {person_key(name) for name in names}
    return any(person_key(fact.fields["speaker"] or "") in wanted for fact in store.select("statement"))


def _search_or_timeline(vocabulary: Vocabulary, r: Reading, kind: str | None, notes: list[str]):
    """search for the question's words, or the timeline when it has none (of its years and kind)."""
    inspectorate = vocabulary.store.meta.inspectorate
    said = {"say", "find"} & set(r.intents) and "inspectorate" in r.intents and inspectorate
    text = [name for name, _ in r.people] + r.roles + r.parties + ([inspectorate] if said else [])
    text += r.grades + [typed for _, typed in r.areas]
    text += [f'"{phrase}"' for phrase in r.quoted] + [word for word, _ in r.content]
    text = list(dict.fromkeys(text))
    kind_args = ["--kind", kind] if kind else []
    if not text:
        return "timeline", [*_years_args(r), *kind_args], notes
    if r.years or r.span:
        shown = str(r.years[0]) if r.years else "-".join(str(y) if y else "" for y in r.span or ())
        notes.append(f"facts search takes no year: {shown} is left out (its answer lists matches of every year).")
    # Words alone, one of which no fact uses ("the meaning of life"), are no question about this store.
    if not all(on_record for _, on_record in r.content) and not (
        r.people or r.roles or r.parties or r.quoted or r.grades or kind or r.intents or r.years or r.span
    ):
        return None
    return "search", [" ".join(text), *kind_args], notes


# Words asking who came before or after a person in a post.
SUCCESSION = _words(
    "replaced replace replaces replacing succeeded succeed succeeds successor successors predecessor predecessors"
    " preceded precede"
)


def _who(vocabulary: Vocabulary, r: Reading, notes: list[str]):
    """facts who with the post, name and year asked about; what it cannot take is noted as left out."""
    if r.people and SUCCESSION & set(r.lead_words) and any(
        fact.fields["person"] == r.people[0][0] for fact in vocabulary.roles
    ):
        return _holders_of_post(vocabulary, r, notes)
    args: list[str] = []
    role = max(r.roles, key=len) if r.roles else None
    if len({*r.roles}) > 1:
        notes.append(f"facts who takes one post: read the question as about {role}.")
    if role is None and "lead" in r.intents and not r.people:
        role = _leading_role(vocabulary, r, notes)
    year = r.years[0] if r.years else None
    if role:
        role = _one_post(vocabulary, role, year, notes)
        args += ["--role", role]
    if r.people:
        names = list(dict.fromkeys(_name_as_typed(name, typed) for name, typed in r.people))
        if len(names) > 1:
            notes.append(f"facts who takes one name: read the question as about {names[0]}.")
        args += ["--name", names[0]]
    if year is not None:
        args += ["--year", str(year)]
    elif r.span:
        notes.append("facts who takes one year: listing every tenure on record instead.")
    _refuse_unknown_words(vocabulary, r, "who")
    left = [word for word, _ in r.content] + r.grades + [typed for _, typed in r.areas]
    if left:
        notes.append(f"Left out {', '.join(map(repr, left))}: facts who asks only for a post, a name and a year.")
    return "who", args, notes


def _holders_of_post(vocabulary: Vocabulary, r: Reading, notes: list[str]):
    """Who replaced a person, or whom they replaced: the holders of their post on record, which
    is all the store can say (no source is read as saying who replaced whom)."""
    person = r.people[0][0]
    held = [fact for fact in vocabulary.roles if fact.fields["person"] == person]
    # The post asked about ("as leader"), of those the person held; else the first they held.
    asked = [fact for fact in held if any(role_matches(role, fact.fields["role"], vocabulary.store.meta.aliases) for role in r.roles)]
    posts = list(dict.fromkeys(fact.fields["role"] for fact in asked or held))
    notes.append(
        f"Read as who held {person}'s post ({posts[0]}): its holders on record, earliest first; the sources"
        " are not read as saying who replaced whom."
    )
    if len(posts) > 1:
        notes.append(f"{person} held {len(posts)} posts on record: read the question as about {posts[0]}.")
    return "who", ["--role", posts[0], *(["--year", str(r.years[0])] if r.years else [])], notes


def _name_as_typed(name: str, typed: str) -> str:
    """The part of a name on record that was typed, as the store spells it."""
    wanted = tokens(typed)
    pieces = name.split()
    for length in range(len(pieces), 0, -1):
        for start in range(len(pieces) - length + 1):
            piece = " ".join(pieces[start : start + length])
            if tokens(piece) == wanted:
                return piece
    return name


def _leading_role(vocabulary: Vocabulary, r: Reading, notes: list[str]) -> str | None:
    """The post that runs what the question names ("who ran the council"): of the roles on record
    worded with a word of LEADERSHIP, the one sharing most words with the question."""
    asked = set(r.lead_words)
    best = None
    for fact in vocabulary.roles:
        words = tokens(f"{fact.fields['role']} {fact.fields['organisation']}")
        leading = next((word for word in LEADERSHIP if word in tokens(fact.fields["role"])), None)
        if leading is None:
            continue
        shared = len(asked & (set(words) - STOPWORDS - {leading}))
        key = (-shared, LEADERSHIP.index(leading), leading)
        if best is None or key < best[0]:
            best = (key, leading, fact.fields["role"])
    if best is None:
        return None
    notes.append(f"Read the question as asking for the {best[1]} ({best[2]}).")
    return best[1]


def _one_post(vocabulary: Vocabulary, role: str, year: int | None, notes: list[str]) -> str:
    """role, or, when it matches two posts or more that the question does not tell apart, the
    words for the most specific: the post held in the year asked, else the one with most on record."""
    aliases = vocabulary.store.meta.aliases
    posts: dict[tuple, list[Fact]] = {}
    for fact in vocabulary.roles:
        if role_matches(role, fact.fields["role"], aliases):
            posts.setdefault(post_of(fact), []).append(fact)
    if len(posts) < 2:
        return role
    held = {key: 0 for key in posts}
    if year is not None:
        for hit in tenures(vocabulary.store):
            key = post_of(hit.fact)
            first, last = hit.context["first_on_record"], hit.context["last_on_record"]
            if key in held and first and year_of(first) <= year <= year_of(last):
                held[key] = 1
    order = sorted(posts, key=lambda key: (-held[key], -len(posts[key]), key))
    chosen, others = order[0], order[1:]
    name = _post_name(posts[chosen])
    words = _narrowest(vocabulary, posts, chosen)
    if words is None:
        notes.append(
            f"{role!r} matches {len(posts)} posts ({'; '.join(_post_name(posts[k]) for k in order)}) that --role"
            " cannot tell apart: listing both."
        )
        return role
    why = f"held in {year}" if year is not None and held[chosen] else "most on record"
    notes.append(
        f"{role!r} matches {len(posts)} posts; read it as {name} ({why}), not"
        f" {', '.join(_post_name(posts[key]) for key in others)}."
    )
    return words


def _post_name(facts: list[Fact]) -> str:
    return facts[-1].fields["post"] or facts[-1].fields["role"]


def _narrowest(vocabulary: Vocabulary, posts: dict, chosen: tuple) -> str | None:
    """The shortest words on record for a post that match all its holders and no other post."""
    aliases = vocabulary.store.meta.aliases
    # Whole wordings, posts and aliases first; the start of a wording only when none fits (two
    # wordings of one post: "minister for schools" of "minister for Schools and Skills").
    whole = {*aliases, *(fact.fields[key] for fact in posts[chosen] for key in ("role", "post") if fact.fields[key])}
    starts: set[str] = set()
    for fact in posts[chosen]:
        pieces = fact.fields["role"].split()
        starts.update(" ".join(pieces[:n]) for n in range(1, len(pieces)))
    for candidates in (whole, starts):
        fitting = [
            words
            for words in candidates
            if all(role_matches(words, fact.fields["role"], aliases) for fact in posts[chosen])
            and not any(
                role_matches(words, fact.fields["role"], aliases)
                for key, facts in posts.items()
                if key != chosen
                for fact in facts
            )
        ]
        if fitting:
            return fold_for_matching(min(fitting, key=lambda words: (len(words), words)))
    return None


def _words_of(wording: str, asked: list[str]) -> str:
    """The longest run of wording's words that the question has in the same order ("care leavers"
    of "experiences of people in care and care leavers"), as the store spells them."""
    pieces = wording.split()
    keys = [" ".join(tokens(piece)) for piece in pieces]
    said = " " + " ".join(asked) + " "
    best = ""
    for start in range(len(pieces)):
        for end in range(len(pieces), start, -1):
            run = " ".join(key for key in keys[start:end] if key)
            if end - start > len(best.split()) and run and not set(run.split()) <= STOPWORDS and f" {run} " in said:
                best = " ".join(pieces[start:end])
    return best or wording


def _refuse_unknown_words(vocabulary: Vocabulary, r: Reading, command: str) -> None:
    """NotUnderstood when the question holds words no fact of the kind asked about uses ("who was
    the mayor?", "the police rating"): facts who and facts rating cannot search for them, and
    answering without them would answer another question."""
    kind = "role" if command == "who" else "rating"
    unknown = [word for word, on_record in r.content if not (on_record and vocabulary.used_by(word, kind))]
    if unknown:
        shown = ", ".join(repr(_shortened(word)) for word in unknown[:3]) + (", ..." if len(unknown) > 3 else "")
        raise NotUnderstood(
            f"no fact uses {shown}: facts {command} would answer another question without"
            f" {'it' if len(unknown) == 1 else 'them'}; ask about what the store holds, for example:",
            examples(vocabulary.store),
        )


def _rating(vocabulary: Vocabulary, r: Reading, notes: list[str]):
    """facts rating with the year and area asked about; a grade without a year is searched for among
    the ratings, and a span of years is the ratings' timeline."""
    args: list[str] = []
    _refuse_unknown_words(vocabulary, r, "rating")
    if r.span:
        return "timeline", [*_years_args(r), "--kind", "rating"], notes
    if r.grades and not r.years and r.relative:
        # "is it still inadequate?": what stands now is the latest judgment, not every one of that grade.
        notes.append("Listing every judgment on record, the latest last, for what stands after them.")
        return "rating", [], notes
    if r.grades and not r.years:
        if len(r.grades) > 1:
            notes.append(f"facts search finds facts with every word: asking for {r.grades[0]} only.")
        return "search", [r.grades[0], "--kind", "rating"], notes
    if r.years:
        args += ["--year", str(r.years[0])]
    if r.areas:
        areas = [area for area, _ in r.areas]
        area = max(dict.fromkeys(areas), key=areas.count)
        if len(set(areas)) > 1:
            notes.append(f"facts rating takes one area: read the question as about {area}.")
        args += ["--area", _words_of(area, r.lead_words)]
    left = [word for word, _ in r.content] + [name for name, _ in r.people]
    if left:
        notes.append(f"Left out {', '.join(repr(word) for word in left)}: facts rating asks only for a year and an area.")
    return "rating", args, notes


# --- Examples from the store --------------------------------------------------------------


def _example_year(store: Store) -> int:
    dated = [fact.date for fact in store.select() if fact.date]
    return year_of(max(dated)) if dated else 2020


def examples(store: Store) -> list[str]:
    """Three questions this store answers: a post and a year a holder is on record in, a year of a
    rating, and a person who is quoted (or on record); plain ones where the store has none."""
    found = []
    holders = [hit for hit in tenures(store) if hit.context["first_on_record"]]
    if holders:
        by_post: dict[tuple, list] = {}
        for hit in holders:
            by_post.setdefault(post_of(hit.fact), []).append(hit)
        post = max(by_post.values(), key=lambda hits: (len(hits), hits[-1].context["first_on_record"]))
        hit = post[-1]
        wording = hit.fact.fields["role"]
        # "director" of "director of public health", but "chief constable" whole.
        head = role_head(wording) if any(fold_for_matching(w) in PREPOSITIONS for w in wording.split()) else wording
        found.append(f"who was {head.lower()} in {year_of(hit.context['first_on_record'])}?")
    rating_dates = [fact.date for fact in store.select("rating") if fact.date]
    if rating_dates:
        inspectorate = store.meta.inspectorate
        found.append(f"what was the {inspectorate + ' ' if inspectorate else ''}rating in {year_of(max(rating_dates))}?")
    speakers: dict[str, int] = {}
    for fact in store.select("statement"):
        speakers[fact.fields["speaker"]] = speakers.get(fact.fields["speaker"], 0) + 1
    people = {hit.fact.fields["person"] for hit in holders}
    quoted = sorted((-count, name) for name, count in speakers.items() if name in people)
    if quoted:
        found.append(f"what did {quoted[0][1]} say?")
    elif holders:
        found.append(f"who is {holders[0].fact.fields['person']}?")
    if store.select():
        found.append(f"what happened in {_example_year(store)}?")
    found += ["where do the sources disagree?", "which sources are there?"]
    return found[:3]
