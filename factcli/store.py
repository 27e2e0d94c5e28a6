"""Finding, reading and safely writing the store: a TinyDB JSON file with tables sources and facts."""

import contextlib
import errno
import fcntl
import json
import os
import time
from typing import NamedTuple

from tinydb.storages import Storage

from .model import Fact, FactsError, Source, document_order, store_problems

# pathlib is not used here: importing it costs more than a whole query on a small store.
BUNDLED_STORE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "facts.json")
LOCK_TIMEOUT_SECONDS = 60


class StoreError(FactsError):
    """The store cannot be used: missing, unreadable, not JSON, invalid or locked. One line for the user."""


# In a checkout (and an editable install) the bundled store is a link to data/facts.json, the
# store of record; a plain install copies it into the package, where the next install replaces it.
PACKAGE_DIRECTORY = os.path.dirname(os.path.realpath(__file__))


def store_path(explicit=None):
    """--db wins, then FACTS_DB, then the store bundled with the package."""
    return _chosen(explicit)[0]


def _chosen(explicit):
    if explicit:
        return os.fspath(explicit), "--db"
    if os.environ.get("FACTS_DB"):
        return os.environ["FACTS_DB"], "FACTS_DB"
    return BUNDLED_STORE, "bundled"


class Location(NamedTuple):
    """The store in use: its path, where that choice came from, and whether a write may go there."""

    path: str
    origin: str  # "--db", "FACTS_DB", "bundled" (inside an installed package) or "checkout"
    real_path: str
    exists: bool
    writable: bool
    reason: str | None  # why it may not be written, when it may not


def locate(explicit=None):
    """Which store the commands use, and whether curation may write it."""
    path, origin = _chosen(explicit)
    real = os.path.realpath(path)
    if origin == "bundled" and not _inside_package(real):
        origin = "checkout"
    exists = os.path.isfile(real)
    reason = write_refusal(path) or (None if exists else "there is no store there yet: create one with facts init")
    return Location(path, origin, real, exists, reason is None, reason)


def _inside_package(real_path):
    return os.path.commonpath([real_path, PACKAGE_DIRECTORY]) == PACKAGE_DIRECTORY


def write_refusal(path):
    """Why a write must not go to the store at path, or None when it may."""
    real = os.path.realpath(path)
    if _inside_package(real):
        return (
            f"{path} is the store inside the installed package, which the next install replaces; "
            "start your own with facts init PATH and use it with --db PATH or FACTS_DB=PATH "
            "(or, in a checkout, pip install -e . to curate data/facts.json)"
        )
    if os.path.exists(real) and not (os.access(real, os.W_OK) and os.access(os.path.dirname(real), os.W_OK)):
        return f"{path} is not writable by you (it, or its folder, is read-only)"
    return None


class StrictJSONError(ValueError):
    """JSON that Python would accept but a store must not hold: NaN, Infinity, repeated keys."""


def _reject_constant(name):
    raise StrictJSONError(f"{name} is not a JSON number")


def _unique_keys(pairs):
    # json keeps the last of two equal keys, which would silently drop a fact.
    record = {}
    for key, value in pairs:
        if key in record:
            raise StrictJSONError(f"key {key!r} appears twice in one object")
        record[key] = value
    return record


def parse_json(text):
    """Strict JSON: no NaN or Infinity, no repeated keys. Raises ValueError."""
    return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)


class AtomicJSONStorage(Storage):
    """A TinyDB storage that never leaves a half-written file.

    TinyDB's JSONStorage writes in place (seek, write, truncate), so a crash mid-write
    leaves a truncated file. This one writes a temporary file beside the store, fsyncs
    it and swaps it in with os.replace, which is atomic on POSIX: a reader or a crash
    sees either the old store or the new one. It opens the file per call rather than
    holding a handle, because a held handle would keep pointing at the replaced file.
    """

    def __init__(self, path):
        super().__init__()
        self.path = os.fspath(path)

    def read(self):
        try:
            with open(self.path, encoding="utf-8") as handle:
                return parse_json(handle.read())
        except FileNotFoundError:
            raise StoreError(f"store not found: {self.path}") from None
        except json.JSONDecodeError as error:
            raise StoreError(
                f"{self.path}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
            ) from None
        except StrictJSONError as error:
            raise StoreError(f"{self.path}: invalid store JSON: {error}") from None
        except UnicodeDecodeError as error:
            raise StoreError(f"{self.path}: not UTF-8 text (byte {error.start})") from None
        except RecursionError:
            raise StoreError(f"{self.path}: JSON nested too deeply to read") from None
        except OSError as error:
            raise StoreError(f"cannot read store {self.path}: {error.strerror}") from None

    def write(self, data):
        # Write through a symlink (the package's bundled store links to data/facts.json):
        # replacing the link itself would fork the store of record.
        target = os.path.realpath(self.path)
        text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        try:
            mode = os.stat(target).st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        import tempfile  # only writers pay for it

        directory, name = os.path.split(target)
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        _fsync_directory(directory)


def _umask():
    current = os.umask(0)
    os.umask(current)
    return current


def _fsync_directory(directory):
    # Makes the rename itself durable; some file systems refuse, which is harmless here.
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


@contextlib.contextmanager
def write_lock(path, timeout=LOCK_TIMEOUT_SECONDS):
    """Hold an exclusive inter-process lock for a read-modify-write of the store at path.

    The lock is a separate file because the store itself is replaced on every write,
    and a lock on a replaced inode would protect nothing.
    """
    lock_path = os.path.realpath(path) + ".lock"
    try:
        descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as error:
        raise StoreError(f"cannot lock store {path}: {error.strerror}") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() > deadline:
                    raise StoreError(f"store {path} is locked by another writer; try again") from None
                time.sleep(0.01)
        yield
    finally:
        os.close(descriptor)


def read_tables(path):
    """The raw tables of the store, as parsed JSON; raises StoreError if it cannot be read."""
    return AtomicJSONStorage(path).read()


def read_valid_tables(path):
    """The raw tables of a store that validates; raises StoreError, naming the first problem, if not."""
    tables = read_tables(path)
    problems = store_problems(tables)
    if problems:
        raise invalid_store_error(path, problems)
    return tables


def _in_years(fact, years):
    start, end = years
    year = int(fact.date[:4]) if fact.date else None
    return year is not None and (start is None or year >= start) and (end is None or year <= end)


class Store:
    """A loaded, valid store held in memory: sources by id and facts in document order.

    Queries ask for facts through select, fact, ids and candidates, which the derived
    index (factcli.index) answers too, from disk, for stores too large to load whole.
    """

    def __init__(self, path, sources, facts):
        self.path = os.fspath(path)
        self.sources = sources
        self.facts = facts

    def select(self, kind=None, include_retracted=False, years=None, undated=False):
        """Facts of a kind (or all), in document order; with years=(first, last) only dated facts
        in those years (either may be None), with undated only facts that have no date."""
        return [
            fact
            for fact in self.facts
            if (kind is None or fact.kind == kind)
            and (include_retracted or not fact.retracted)
            and (years is None or _in_years(fact, years))
            and (not undated or not fact.date)
        ]

    def candidates(self, words, kind=None, include_retracted=False):
        """Facts that may contain every word; the caller decides which really do."""
        return self.select(kind, include_retracted)

    def fact(self, fact_id):
        return next((fact for fact in self.facts if fact.id == fact_id), None)

    def ids(self):
        return [fact.id for fact in self.facts]


def invalid_store_error(path, problems):
    return StoreError(
        f"store {path} has {len(problems)} problem{'s' if len(problems) != 1 else ''} "
        f"(first: {problems[0]}); run 'facts validate' to list them"
    )


INDEX_MODES = ("auto", "always", "never")
# Below this size, reading the JSON is quicker than opening an index; above it, the index wins.
INDEX_THRESHOLD_BYTES = 1_000_000


def load(path):
    """The store at path, validated; through the derived index when it is large (FACTS_INDEX
    auto, the default), always, or never. Raises StoreError rather than answer from a broken store."""
    mode = os.environ.get("FACTS_INDEX") or "auto"
    if mode not in INDEX_MODES:
        raise StoreError(f"FACTS_INDEX must be one of {', '.join(INDEX_MODES)}, not {mode!r}")
    if mode == "always" or (mode == "auto" and _size(path) >= INDEX_THRESHOLD_BYTES):
        from .index import indexed_store

        indexed = indexed_store(path)
        if indexed is not None:
            return indexed
    return load_whole(path)


def _size(path):
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # reading it will say what is wrong


def load_whole(path):
    """Read the whole store into memory and validate it."""
    tables = read_valid_tables(path)
    sources = {record["id"]: Source.from_record(record) for record in tables["sources"].values()}
    facts = [Fact.from_record(record) for _, record in sorted(tables["facts"].items(), key=document_order)]
    return Store(path, sources, facts)
