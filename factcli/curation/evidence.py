"""Checking citations against the source texts: each file against its fingerprint, each quote at its anchor."""

import hashlib
import os

from ..core.records import document_order
from ..core.tuples import Record
from ..core.validation import citations_of
from ..storage.files import read_regular_bytes
from ..core.kinds import ANCHOR_KEYS
from .anchor import SourceText, anchor_at


class SourceFile(Record):
    """A source's text file as read: the sha256 of its bytes and its text, folded for finding quotes."""

    sha256: str
    text: SourceText


class SourceTexts:
    """Reads each source file once from a folder of source texts."""

    def __init__(self, folder):
        self.folder = os.fspath(folder)
        self._files = {}

    def path(self, source):
        return os.path.join(self.folder, source["file"])

    def get(self, source):
        """The SourceFile of a source record, None when its file is not in the folder.
        Raises OSError naming the file when it cannot be read as UTF-8."""
        name = source["file"]
        if name not in self._files:
            try:
                data = read_regular_bytes(self.path(source))
                # Decoded exactly as stored: no newline translation, so offsets hold for anyone.
                self._files[name] = SourceFile(hashlib.sha256(data).hexdigest(), SourceText(data.decode("utf-8")))
            except FileNotFoundError:
                self._files[name] = None
            except (OSError, UnicodeDecodeError) as error:
                raise OSError(f"cannot read {self.path(source)}: {getattr(error, 'strerror', None) or error}") from None
        return self._files[name]


class SourceProblem(Record):
    """A source whose file is missing ("missing") or no longer matches its fingerprint ("changed")."""

    source_id: str
    problem: str
    reason: str


class Miss(Record):
    """A citation its source's text no longer bears out: the quote is "gone", has "moved" from its
    anchor, sits at its anchor with different text around it ("context"), or differs from the
    text at its anchor in some character that folding ignores ("verbatim": a no-break space, a
    curly quote)."""

    kind: str
    record_id: str
    source_id: str
    quote: str
    problem: str
    reason: str


class Verification(Record):
    """What verify found: problems with sources, then with quotes; and what is not yet anchored."""

    sources: list
    misses: list
    citations: int
    source_count: int
    unanchored: int
    unfingerprinted: int


def verify(tables, folder):
    """Check every source file of a valid store against its fingerprint, then every quote at its anchor."""
    texts = SourceTexts(folder)
    records = {}
    problems = []
    unfingerprinted = 0
    for _, source in sorted(tables["sources"].items(), key=document_order):
        records[source["id"]] = source
        found = texts.get(source)
        if found is None:
            problems.append(SourceProblem(source["id"], "missing", f"file {source['file']} not found in {folder}"))
        elif not source.get("sha256"):
            unfingerprinted += 1
        elif found.sha256 != source["sha256"]:
            problems.append(
                SourceProblem(
                    source["id"], "changed", f"text of {source['file']} no longer matches its sha256 fingerprint"
                )
            )
    misses = []
    citations = unanchored = 0
    for kind, record_id, citation in citations_of(tables):
        citations += 1
        found = texts.get(records[citation["source"]])
        if found is None:
            continue  # reported once, with its source
        problem = _problem(found.text, citation)
        if problem == "unanchored":
            unanchored += 1
        elif problem:
            misses.append(Miss(kind, record_id, citation["source"], citation["quote"], *problem))
    return Verification(problems, misses, citations, len(records), unanchored, unfingerprinted)


def _problem(text, citation):
    """None when the quote is at its anchor, exactly, with the same text around it; "unanchored"
    when found but never anchored; else (problem, reason)."""
    spans = text.spans(citation["quote"])
    if not spans:
        return "gone", "quote not found in source text"
    if "start" not in citation:
        return "unanchored"
    anchored = f"{citation['start']}-{citation['end']}"
    if (citation["start"], citation["end"]) in spans:
        if difference := text.difference(citation):
            return "verbatim", f"quote is not the source's exact text at its anchor ({anchored}): {difference}"
        if anchor_at(text.raw, citation["start"], citation["end"]) != tuple(citation[key] for key in ANCHOR_KEYS):
            return "context", f"text around the quote changed (anchored at {anchored})"
        return None
    now = ", ".join(f"{start}-{end}" for start, end in spans)
    return "moved", f"quote moved (anchored at {anchored}, now at {now})"
