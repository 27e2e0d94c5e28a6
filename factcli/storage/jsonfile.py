"""The JSON store on disk, a TinyDB file: read strictly, encoded, locked for writers, and swept of what killed writers left.

Writing it (a TinyDB storage that never leaves a half-written file) is storage.writing's, so a
question, which only reads, never imports TinyDB.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import time
from collections.abc import Iterable, Iterator

from ..core.errors import StoreError
from . import litter
from .files import StrictJSONError, parse_json, read_regular_bytes

LOCK_TIMEOUT_SECONDS = 60


def read_store_bytes(path: str) -> bytes:
    """The bytes of the store file at path (a regular file); StoreError, in one line, if they cannot be read."""
    try:
        return read_regular_bytes(path)
    except FileNotFoundError:
        raise StoreError(f"store not found: {path}") from None
    except OSError as error:
        raise StoreError(f"cannot read store {path}: {error.strerror}") from None


def parse_store(path: str, data: bytes) -> object:
    """What the bytes of the store file at path hold, by the store's strict rules (files.parse_json);
    StoreError naming what is wrong and where."""
    try:
        return parse_json(data.decode("utf-8"))
    except json.JSONDecodeError as error:
        raise StoreError(f"{path}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    except StrictJSONError as error:
        raise StoreError(f"{path}: invalid store JSON: {error}") from None
    except UnicodeDecodeError as error:
        raise StoreError(f"{path}: not UTF-8 text (byte {error.start})") from None
    except RecursionError:
        raise StoreError(f"{path}: JSON nested too deeply to read") from None


def encode(tables: dict) -> bytes:
    """The bytes of the store file holding tables: sorted keys, indented, so a change reads as a
    small diff. ValueError for NaN or Infinity, UnicodeEncodeError for a lone surrogate."""
    return (json.dumps(tables, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


def encoded_pieces(tables: Iterable[tuple[str, Iterable[tuple[str, object]]]]) -> Iterator[str]:
    """The text encode() makes of a store, in pieces, from (table name, (document id, record)
    items) given in the order encode() sorts them (names and document ids as text): a store too
    large to hold whole (storage.sqlitefile) is exported a record at a time."""
    yield "{"
    tables_written = 0
    for name, records in tables:
        yield ("," if tables_written else "") + "\n  " + json.dumps(name, ensure_ascii=False) + ": {"
        tables_written += 1
        written = 0
        for doc_id, record in records:
            text = json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
            # Each structural line break of the record, two levels in, is indented four more.
            yield ("," if written else "") + "\n    " + json.dumps(doc_id, ensure_ascii=False) + ": " + text.replace("\n", "\n    ")
            written += 1
        yield "\n  }" if written else "}"
    yield "\n}\n" if tables_written else "}\n"


def writable(path: str, status: os.stat_result) -> bool:
    """Whether this process may write the file at path, whose status is status. Root may write
    anything; like an editor, it still respects a file marked read-only for all."""
    return os.access(path, os.W_OK) and (os.geteuid() != 0 or bool(status.st_mode & 0o222))


def sweep_abandoned(path):
    """Remove what writers of the store at path left when they were killed: temporary copies
    of the store whose writer's process is gone, and a lock file no process holds.

    Every command that reads the store calls this, so a kill's litter lasts until the next
    command of any kind; the folder an edit gives its editor has the same name, and goes the
    same way (storage.litter). It is safe without the lock: a temporary file is named with its
    writer's pid (.NAME.PID.RANDOM.tmp) and kept while that pid runs, and a lock file is
    removed only by whoever holds its flock (see write_lock).
    """
    _remove_abandoned_temporaries(os.path.realpath(path), holding_lock=False)


def _remove_abandoned_temporaries(target, holding_lock=True):
    """Delete temporary files left beside the store by writers that were killed mid-write;
    a caller not holding_lock the write lock also removes a lock file no writer holds.

    A file whose pid is still running is kept. Names without a pid come from older versions,
    whose writers held the same lock: removed only under it.
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
        if (dot and pid.isdigit() and litter.running(int(pid))) or (not dot and not holding_lock):
            continue
        litter.remove(os.path.join(directory, entry))
    if not holding_lock and f"{name}.lock" in entries:
        _remove_unheld_lock(target + ".lock")


def _remove_unheld_lock(lock_path):
    """Remove a lock file that no process holds (its writer was killed)."""
    try:
        descriptor = os.open(lock_path, os.O_RDONLY | _NO_FOLLOW)
    except OSError:
        return
    import fcntl  # only where a lock file is found

    try:
        if stat.S_ISREG(os.fstat(descriptor).st_mode):
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if _is_at(descriptor, lock_path):
                os.unlink(lock_path)
    except OSError:
        pass  # a writer holds it, or the folder is not ours to change
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def write_lock(path, timeout=LOCK_TIMEOUT_SECONDS, creating=False):
    """Hold an exclusive inter-process lock for a read-modify-write of the store at path
    (or, creating, for making a store there).

    The lock is a separate file because the store itself is replaced on every write, and a
    lock on a replaced inode would protect nothing. Its lifetime: a writer creates
    <store>.lock exclusively (never through a symbolic link), holds flock() on it for its
    read-modify-write, and removes it before letting go. A writer that finds one already there
    opens that file (still never through a link) and waits for its flock; once it has it, it
    checks the file is still the one at <store>.lock, since the holder removes it on the way
    out, and starts again when it is not. A lock file left by a writer that was killed holds no
    flock (the kernel drops it with the process), so the next writer takes it and removes it,
    and any command removes it sooner (sweep_abandoned).
    """
    target = os.path.realpath(path)
    if not creating and not os.path.lexists(target):
        # Nothing to change, and a lock beside a dangling link would be left behind.
        raise StoreError(f"store not found: {path}")
    lock_path = target + ".lock"
    deadline = time.monotonic() + timeout
    while True:
        descriptor = _open_lock(path, lock_path)
        try:
            _wait_for(descriptor, path, deadline)
            if _is_at(descriptor, lock_path):
                break
        except BaseException:
            os.close(descriptor)
            raise
        os.close(descriptor)  # the holder removed it on its way out: lock afresh
    try:
        _remove_abandoned_temporaries(target)
        yield
    finally:
        # Removed while still held, so a writer waiting on it sees it gone and starts again.
        with contextlib.suppress(OSError):
            os.unlink(lock_path)
        os.close(descriptor)


_NO_FOLLOW = os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK


def _open_lock(path, lock_path):
    """A descriptor of the lock file: one created now, or the one there (a writer holds it,
    or was killed holding it). Never opened through a symbolic link, never a FIFO or device."""
    while True:
        try:
            return os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o666)
        except FileExistsError:
            pass
        except OSError as error:
            raise StoreError(f"cannot lock store {path}: {error.strerror}") from None
        try:
            descriptor = os.open(lock_path, os.O_RDONLY | _NO_FOLLOW)
        except FileNotFoundError:
            continue  # removed by its holder in between: create it
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise StoreError(
                    f"cannot lock store {path}: {path}.lock is a symbolic link; remove it"
                ) from None
            raise StoreError(f"cannot lock store {path}: {error.strerror}") from None
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.close(descriptor)
            raise StoreError(f"cannot lock store {path}: {path}.lock is not a regular file; remove it")
        return descriptor


def _wait_for(descriptor, path, deadline):
    import fcntl  # only writers lock

    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() > deadline:
                raise StoreError(f"store {path} is locked by another writer; try again") from None
            time.sleep(0.01)


def _is_at(descriptor, lock_path):
    """Whether the locked file is still the one at lock_path."""
    try:
        there = os.lstat(lock_path)
    except OSError:
        return False
    held = os.fstat(descriptor)
    return (there.st_dev, there.st_ino) == (held.st_dev, held.st_ino)


def file_version(path):
    """What tells one state of the file at path from another (every write replaces the store,
    so its inode changes; an edit in place changes its times), or None when it cannot be read."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


def read_tables(path):
    """The raw tables of the store, as parsed JSON; raises StoreError if it cannot be read."""
    sweep_abandoned(path)
    return parse_store(path, read_store_bytes(path))


def read_valid_tables(path):
    """The raw tables of a store that validates; raises StoreError, naming the first problem, if not."""
    from ..core.validation import store_problems  # a question about a store checked before never needs it

    tables = read_tables(path)
    problems = store_problems(tables)
    if problems:
        raise invalid_store_error(path, problems)
    return tables


def invalid_store_error(path, problems):
    return StoreError(
        f"store {path} has {len(problems)} problem{'s' if len(problems) != 1 else ''} "
        f"(first: {problems[0]}); run 'facts validate' to list them"
    )

