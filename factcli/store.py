"""Finding, reading and safely writing the store: a TinyDB JSON file with tables sources and facts."""

import contextlib
import errno
import fcntl
import json
import math
import os
import stat
import time
from typing import NamedTuple

from tinydb.storages import Storage

from .model import Conflict, Fact, FactsError, Source, document_order, store_problems

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
    reason = write_refusal(path) or (
        None if exists else "there is no store there yet: create one with facts init"
    )
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


# Far more digits than any valid number needs, and far fewer than Python's own limit (4,300),
# past which int() raises an error that is not a JSONDecodeError.
MAX_INTEGER_DIGITS = 100


def _integer(text):
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise StrictJSONError(f"an integer of {len(text.lstrip('-'))} digits is too long for a store")
    return int(text)


def _finite(text):
    number = float(text)
    if not math.isfinite(number):
        raise StrictJSONError(f"the number {text[:40]} is out of range for a JSON number")
    return number


def parse_json(text):
    """Strict JSON: no NaN or Infinity, no numbers that overflow, no repeated keys. Raises ValueError."""
    return json.loads(
        text,
        parse_constant=_reject_constant,
        parse_int=_integer,
        parse_float=_finite,
        object_pairs_hook=_unique_keys,
    )


def read_regular_bytes(path):
    """The bytes of a regular file. A FIFO, device or directory is refused before it is read,
    so nothing waits on a writer that never comes. Raises OSError."""
    # O_NONBLOCK makes opening a FIFO return at once; regular files ignore it.
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", path)
        with os.fdopen(descriptor, "rb") as handle:
            descriptor = None
            return handle.read()
    finally:
        if descriptor is not None:
            os.close(descriptor)


def read_regular_text(path):
    """The UTF-8 text of a regular file (see read_regular_bytes). Raises OSError or UnicodeDecodeError."""
    return read_regular_bytes(path).decode("utf-8")


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
            return parse_json(read_regular_text(self.path))
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
        """Replace the store with data; StoreError, and the old store untouched, if it cannot be.

        The new bytes are read back with the store's own strict reader before they replace
        the old: a write that a later read would refuse is never made.
        """
        # Write through a symlink (the package's bundled store links to data/facts.json):
        # replacing the link itself would fork the store of record.
        target = os.path.realpath(self.path)
        try:
            encoded = (
                json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"
            ).encode("utf-8")
        except ValueError as error:  # NaN or Infinity; UnicodeEncodeError for a lone surrogate
            raise StoreError(f"refusing to write store {self.path}: {error}; nothing written") from None
        try:
            status = os.stat(target)
        except FileNotFoundError:
            status = None
        except OSError as error:
            raise StoreError(f"cannot write store {self.path}: {error.strerror}; nothing written") from None
        if status is not None and not _writable(target, status):
            raise StoreError(
                f"store {self.path} is read-only (mode {stat.S_IMODE(status.st_mode):04o}); nothing written"
            )
        import tempfile  # only writers pay for it

        directory, name = os.path.split(target)
        temporary = None
        try:
            # The writer's pid in the name tells a later writer whether this file was abandoned.
            handle, temporary = tempfile.mkstemp(
                prefix=f".{name}.{os.getpid()}.", suffix=".tmp", dir=directory
            )
            with os.fdopen(handle, "wb") as out:
                out.write(encoded)
                out.flush()
                os.fsync(out.fileno())
            parse_json(read_regular_text(temporary))
            if status is None:
                os.chmod(temporary, 0o666 & ~_umask())
            else:
                os.chmod(temporary, stat.S_IMODE(status.st_mode))
                _keep_owner(temporary, status)
            os.replace(temporary, target)
            temporary = None
        except OSError as error:
            raise StoreError(
                f"cannot write store {self.path}: {error.strerror or error}; nothing written"
            ) from None
        except ValueError as error:  # the strict reader refused the bytes just written
            raise StoreError(
                f"refusing to write store {self.path}: the new text would not read back ({error}); nothing written"
            ) from None
        finally:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
        _fsync_directory(directory)


def _writable(path, status):
    # Root may write anything; like an editor, it still respects a file marked read-only for all.
    return os.access(path, os.W_OK) and (os.geteuid() != 0 or status.st_mode & 0o222)


def _keep_owner(path, status):
    """Give the new file the old one's owner and group where this process may (root, or a group
    the writer belongs to); otherwise it is the writer's, as with any editor that saves by renaming."""
    if (status.st_uid, status.st_gid) == (os.geteuid(), os.getegid()):
        return
    for uid, gid in ((status.st_uid, status.st_gid), (-1, status.st_gid)):
        try:
            os.chown(path, uid, gid)
            return
        except OSError:
            continue


def running(pid):
    """Whether a process with this id exists (it may belong to someone else)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_abandoned_temporaries(target):
    """Delete temporary files left beside the store by writers that were killed mid-write.

    Called under the write lock, so no live writer of this store is between creating its
    temporary file and renaming it; a file whose pid is still running is kept all the same.
    Names without a pid come from older versions, whose writers held the same lock.
    """
    directory, name = os.path.split(target)
    prefix = f".{name}."
    try:
        entries = os.listdir(directory)
    except OSError:
        return
    for entry in entries:
        if not (entry.startswith(prefix) and entry.endswith(".tmp")):
            continue
        pid, dot, _ = entry[len(prefix) : -len(".tmp")].partition(".")
        if dot and pid.isdigit() and running(int(pid)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(directory, entry))


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
def write_lock(path, timeout=LOCK_TIMEOUT_SECONDS, creating=False):
    """Hold an exclusive inter-process lock for a read-modify-write of the store at path
    (or, creating, for making a store there).

    The lock is a separate file because the store itself is replaced on every write,
    and a lock on a replaced inode would protect nothing.
    """
    target = os.path.realpath(path)
    if not creating and not os.path.lexists(target):
        # Nothing to change, and a lock beside a dangling link would be left behind.
        raise StoreError(f"store not found: {path}")
    lock_path = target + ".lock"
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
        _remove_abandoned_temporaries(target)
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

    Queries ask for facts through select, fact, ids and search, which the derived
    index (factcli.index) answers too, from disk, for stores too large to load whole.
    """

    def __init__(self, path, sources, facts, conflicts=()):
        self.path = os.fspath(path)
        self.sources = sources
        self.facts = facts
        self.conflicts = list(conflicts)
        self._search = None

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

    def search(self, parts):
        """(fact, score, match) of every fact matching every part of a search (see factcli.search),
        through a search table built in memory the first time it is needed."""
        from . import search

        if self._search is None:
            self._search = search.memory_index(self.facts)
        return [
            (self.facts[position], score, match)
            for position, score, match in search.matches(self._search, parts)
        ]

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


def loaded_version(path):
    """What tells one state of the store's file from another, for holding it loaded between questions."""
    try:
        status = os.stat(path)
    except OSError:
        return None  # loading it will say what is wrong
    return (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


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
    return Store(path, sources, facts, conflicts_of_tables(tables))


def conflicts_of_tables(tables):
    """The conflicts of a valid store's tables, in document order; none for a store without the table."""
    records = sorted((tables.get("conflicts") or {}).items(), key=document_order)
    return [Conflict.from_record(record) for _, record in records]
