"""Finding, reading and safely writing the store: a TinyDB JSON file with tables sources and facts."""

import contextlib
import errno
import fcntl
import json
import os
import time
from pathlib import Path
from typing import NamedTuple

from tinydb.storages import Storage

from .model import Fact, Source, store_problems

BUNDLED_STORE = Path(__file__).parent / "data" / "facts.json"
LOCK_TIMEOUT_SECONDS = 60


class StoreError(Exception):
    """The store cannot be used: missing, unreadable, not JSON, invalid or locked. One line for the user."""


def store_path(explicit=None):
    """--db wins, then FACTS_DB, then the store bundled with the package."""
    return Path(explicit or os.environ.get("FACTS_DB") or BUNDLED_STORE)


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
        self.path = Path(path)

    def read(self):
        try:
            with open(self.path, encoding="utf-8") as handle:
                return json.load(handle)
        except FileNotFoundError:
            raise StoreError(f"store not found: {self.path}") from None
        except json.JSONDecodeError as error:
            raise StoreError(
                f"{self.path}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
            ) from None
        except UnicodeDecodeError as error:
            raise StoreError(f"{self.path}: not UTF-8 text (byte {error.start})") from None
        except RecursionError:
            raise StoreError(f"{self.path}: JSON nested too deeply to read") from None
        except OSError as error:
            raise StoreError(f"cannot read store {self.path}: {error.strerror}") from None

    def write(self, data):
        # Write through a symlink (the package's bundled store links to data/facts.json):
        # replacing the link itself would fork the store of record.
        target = Path(os.path.realpath(self.path))
        text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        import tempfile  # only writers pay for it

        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
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
        _fsync_directory(target.parent)


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
    target = Path(os.path.realpath(path))
    lock_path = target.with_name(target.name + ".lock")
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


class Store(NamedTuple):
    """A loaded, valid store: sources by id and facts in file order."""

    path: Path
    sources: dict
    facts: list

    def fact(self, fact_id):
        return next((fact for fact in self.facts if fact.id == fact_id), None)


def invalid_store_error(path, problems):
    return StoreError(
        f"store {path} has {len(problems)} problem{'s' if len(problems) != 1 else ''} "
        f"(first: {problems[0]}); run 'facts validate' to list them"
    )


def _doc_order(item):
    # TinyDB's document ids are strings of integers; sorted keys on disk put "10" before "2".
    doc_id = item[0]
    return (0, int(doc_id), "") if doc_id.isdigit() else (1, 0, doc_id)


def load(path):
    """Read and validate the store at path; raises StoreError rather than answer from a broken store."""
    tables = read_tables(path)
    problems = store_problems(tables)
    if problems:
        raise invalid_store_error(path, problems)
    sources = {record["id"]: Source.from_record(record) for record in tables["sources"].values()}
    facts = [Fact.from_record(record) for _, record in sorted(tables["facts"].items(), key=_doc_order)]
    return Store(Path(path), sources, facts)
