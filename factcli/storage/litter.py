"""Temporary files and folders named with the process that made them, and removing those whose process is gone.

Everything the tool writes on the way to a result carries its writer's pid in its name and is
removed on every way out of that process: a new store beside the store (.NAME.PID.RANDOM.tmp),
the folder holding the file an editor is given (.NAME.PID.RANDOM.tmp beside the store too),
an index being built (INDEX.PID.tmp), a site being built beside its folder
(.DIR.PID.RANDOM.build.tmp). What a kill leaves, a later command removes once no process has
that pid: beside the store, the next command that reads it; in the cache, the next query
through the index; beside a site, the next build of that folder. An edit of a store whose
folder cannot be written (--dry-run on an installed store) uses the system's temporary folder
instead (facts-edit-PID-RANDOM), which the next edit that uses it sweeps.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Callable

# shutil and tempfile are imported where used: every command imports this module, and the
# two cost more than a whole small query.


def running(pid: int) -> bool:
    """Whether a process with this id exists (it may belong to someone else)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove(path: str) -> None:
    """Remove a file, or a folder and all it holds, never following a link; quietly, since
    another process may have removed it first."""
    with contextlib.suppress(OSError):
        if os.path.isdir(path) and not os.path.islink(path):
            import shutil

            shutil.rmtree(path)
        else:
            os.unlink(path)


@contextlib.contextmanager
def temporary_folder(make: Callable[[], str]):
    """The folder make() creates, removed with everything in it on every way out. Ctrl-C and
    SIGTERM wait while it is made, so none lands between its making and the promise to remove it."""
    import signal

    stopping = {signal.SIGINT, signal.SIGTERM}
    held = signal.pthread_sigmask(signal.SIG_BLOCK, stopping)
    try:
        folder = make()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        raise
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        yield folder
    finally:
        remove(folder)


def private_folder(purpose: str, beside: str):
    """A new folder of this process's own (mode 0700), removed with everything in it on every
    way out: beside the file beside (named as that file's temporary copies are, so whatever
    reads that file sweeps it after a kill), or, where that folder cannot be written, in the
    system's temporary folder, where private folders of killed processes are swept first.
    purpose is one of PURPOSES."""
    import tempfile

    directory, name = os.path.split(os.path.realpath(beside))
    if os.access(directory, os.W_OK):
        return temporary_folder(lambda: tempfile.mkdtemp(prefix=f".{name}.{os.getpid()}.", suffix=".tmp", dir=directory))
    # Only here is the system's folder looked up: finding it writes a probe file there, which a
    # kill at that moment would leave behind.
    sweep_private()
    return temporary_folder(lambda: tempfile.mkdtemp(prefix=f"facts-{purpose}-{os.getpid()}-"))


# What private_folder names them in the system's temporary folder, and nothing a person would
# name a file: mkdtemp's eight random characters end the name.
PURPOSES = ("edit",)
# A pattern re compiles when an edit first sweeps: every command imports this module.
_PRIVATE = rf"facts-(?:{'|'.join(PURPOSES)})-([0-9]+)-[a-z0-9_]{{8}}\Z"


def sweep_private() -> None:
    """Remove private folders of this user in the system's temporary folder whose process is gone."""
    import tempfile

    folder = tempfile.gettempdir()
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    for entry in entries:
        found = re.match(_PRIVATE, entry)
        if found is None or running(int(found.group(1))):
            continue
        path = os.path.join(folder, entry)
        with contextlib.suppress(OSError):
            status = os.lstat(path)
            if stat.S_ISDIR(status.st_mode) and status.st_uid == os.geteuid():
                remove(path)
