"""Replacing a folder whole: built beside it under a temporary name, then swapped in by one rename.

A reader, a kill, a full disk or an error midway sees the old folder or the new one, never a
mix, and nothing inside the folder is ever followed: a symbolic link there is kept or dropped
as a link, never written through.

What a killed build leaves beside the folder is named .NAME.PID.RANDOM.build.tmp (or
.old.tmp for a folder moved aside where the system cannot swap two folders at once), so the
next build of that folder removes it once that process is gone, and puts back a folder a kill
left moved aside.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import stat
import tempfile
from collections.abc import Callable, Mapping

from .files import umask
from .litter import remove, running, temporary_folder

BUILD, ASIDE = ".build.tmp", ".old.tmp"


def replace(directory: str, files: Mapping[str, str], owned: Callable[[str], bool]) -> None:
    """Make directory hold files ({relative path: text}) and, of what it holds now, everything
    not owned: owned(relative path) says what an earlier build wrote, which goes. Entries that
    the new files need the place of go too. Raises OSError; directory is then as it was.
    """
    target = os.path.realpath(directory)  # the folder named, through any link to it
    parent, name = os.path.split(target)
    os.makedirs(parent, exist_ok=True)
    sweep(parent, name)
    make = functools.partial(tempfile.mkdtemp, prefix=f".{name}.{os.getpid()}.", suffix=BUILD, dir=parent)
    # Removed on the way out: after a swap it is the old folder, after a failure the half-built new one.
    with temporary_folder(make) as build:
        taken = places(files)
        if os.path.isdir(target):
            os.chmod(build, stat.S_IMODE(os.stat(target).st_mode))
            _carry_over(target, build, "", lambda path: owned(path) or path in taken)
        else:
            os.chmod(build, 0o777 & ~umask())
        for path, text in files.items():
            _write_new(build, path, text)
        _swap(build, target)


def places(files):
    """Every relative path files take: the files and the folders they sit in."""
    taken = set()
    for path in files:
        parts = path.split("/")
        taken.update("/".join(parts[: end + 1]) for end in range(len(parts)))
    return taken


def _carry_over(source_root, build_root, relative, drop):
    """Hard-link into the build what the folder holds that is not dropped: files keep their
    inode (content, owner and times untouched), links stay links, folders are walked."""
    with os.scandir(os.path.join(source_root, relative)) as entries:
        for entry in entries:
            path = f"{relative}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                _carry_over(source_root, build_root, path + "/", drop)
            elif not drop(path):
                os.makedirs(os.path.join(build_root, relative), exist_ok=True)
                os.link(entry.path, os.path.join(build_root, path), follow_symlinks=False)


def _write_new(root, path, text):
    """Write text as a new file at root/path: never over anything, never through a link."""
    full = os.path.join(root, *path.split("/"))
    os.makedirs(os.path.dirname(full), exist_ok=True)
    descriptor = os.open(full, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(text)


def _swap(build, target):
    """Put build at target. An existing target is exchanged with build in one rename where the
    system can, so target is never missing; elsewhere it is moved aside first."""
    if not os.path.lexists(target):
        os.rename(build, target)
        return
    if _exchange(build, target):
        return
    aside = build[: -len(BUILD)] + ASIDE
    os.rename(target, aside)
    try:
        os.rename(build, target)
    except BaseException:
        os.rename(aside, target)
        raise
    os.rename(aside, build)  # removed with the build's name, as an exchange leaves it


def _exchange(first, second):
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    import ctypes  # only a site build pays for it

    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    at_cwd, rename_exchange = -100, 2
    if renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), second)


def sweep(parent, name):
    """Remove builds of the folder name in parent whose process is gone, first putting back the
    folder itself if a kill left it moved aside."""
    try:
        entries = os.listdir(parent)
    except OSError:
        return
    prefix = f".{name}."
    for entry in sorted(entries, key=lambda entry: not entry.endswith(ASIDE)):
        if not entry.startswith(prefix) or not entry.endswith((BUILD, ASIDE)):
            continue
        pid = entry[len(prefix) :].partition(".")[0]
        if not pid.isdigit() or running(int(pid)):
            continue
        path = os.path.join(parent, entry)
        if entry.endswith(ASIDE) and not os.path.lexists(os.path.join(parent, name)):
            with contextlib.suppress(OSError):
                os.rename(path, os.path.join(parent, name))
        else:
            remove(path)

