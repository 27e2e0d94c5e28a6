"""facts export: the store as Web Annotations, CSL-JSON, fact JSON lines, its JSON file or SQLite, written whole or not at all.

A file is never written over unless asked, never reached through a symbolic link, and never
left half-written: each is made as a temporary file beside its place and renamed into it.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterable, Iterator

from ..answers.common import Hit, answer
from ..core.errors import FactsError
from ..output import exports
from ..output.documents import documents
from ..output.escape import json_text
from ..output.formats import documents_text
from ..storage.base import Store
from ..storage.files import fsync_directory, umask

TEXT_FORMATS = ("annotations", "csl", "jsonl")
FORMATS = (*TEXT_FORMATS, "json", "sqlite")


class ExportError(FactsError):
    """An export cannot be written where asked."""


def store_title(store: Store) -> str:
    """What the store calls itself: the title of its meta record, where the store has one,
    else its file's name."""
    return getattr(getattr(store, "meta", None), "title", None) or os.path.basename(store.path)


# Facts shaped at a time for JSON lines: a large store's documents are never all held at once.
BATCH = 1000


def every_fact(store: Store) -> Iterator[str]:
    """Every fact, retracted ones too, in store order, one a line as `facts show ID --json`
    prints it: the shape `facts add --from` takes back."""
    facts = store.select(include_retracted=True)
    for start in range(0, len(facts), BATCH):
        result = answer(store, "show", [Hit(fact) for fact in facts[start : start + BATCH]])
        yield documents_text(documents(result), "jsonl")


def pieces(store: Store, fmt: str) -> Iterator[str]:
    """The store as annotations (a JSON-LD AnnotationCollection), csl (a CSL-JSON array) or
    jsonl (one fact a line), as text in pieces. Retracted facts are annotated by nobody: a
    withdrawn claim describes no quote; the JSON lines keep them, as the store does."""
    if fmt == "annotations":
        return exports.annotation_collection(store_title(store), store.select(), store.conflicts, store.sources)
    if fmt == "csl":
        return iter([json_text(exports.csl_items(store.sources.values()), indent=2) + "\n"])
    if fmt == "jsonl":
        return every_fact(store)
    raise ValueError(f"no text format {fmt!r}")


def batched(texts: Iterable[str], size: int = 1 << 20) -> Iterator[str]:
    """Texts joined into pieces of about size characters, for fewer, larger writes."""
    pending, length = [], 0
    for text in texts:
        pending.append(text)
        length += len(text)
        if length >= size:
            yield "".join(pending)
            pending, length = [], 0
    if pending:
        yield "".join(pending)


def store_file_pieces(path: str) -> Iterator[str]:
    """The store at path (either back end) as the JSON store's file, in pieces: a SQLite store of
    record a record at a time, a JSON store read and validated whole."""
    from ..storage.backend import is_database, read_valid_tables

    if is_database(path):
        from ..storage.sqlitefile import exported_pieces

        return exported_pieces(path)
    from ..storage.jsonfile import encode

    return iter([encode(read_valid_tables(path)).decode("utf-8")])


def write_pieces(texts: Callable[[], Iterable[str]], path: str, force: bool = False) -> None:
    """Write the text texts() makes, in pieces, to path (see write_files)."""

    def fill(temporary):
        with open(temporary, "wb") as out:
            for piece in batched(texts()):
                out.write(piece.encode("utf-8"))

    write_files({path: fill}, force)


def refusal(path: str, force: bool) -> str | None:
    """Why an export must not be written at path, or None when it may."""
    if os.path.islink(path):
        return f"{path} is a symbolic link; facts export never writes through one: give the real path"
    if os.path.lexists(path):
        if not force:
            return f"{path} already exists; give --force to replace it"
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return f"{path} exists and is not a regular file"
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        return f"cannot write {path}: there is no folder {folder}"
    return None


def write_files(contents: dict[str, Callable[[str], None]], force: bool = False) -> None:
    """Write each path by calling its fill function on a new temporary file beside it, then
    rename every one into place. Nothing is written while any path is refused: an existing
    file (unless force), a symbolic link, or a missing folder. ExportError says why."""
    problems = [problem for path in contents if (problem := refusal(path, force))]
    if problems:
        error = ExportError(problems[-1] + "; nothing written")
        error.problems = problems[:-1]
        raise error
    import tempfile  # only an export to a file pays for it

    temporaries = {}
    path = None
    try:
        for path, fill in contents.items():
            folder, name = os.path.split(os.path.abspath(path))
            handle, temporaries[path] = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
            os.close(handle)
            fill(temporaries[path])
            with open(temporaries[path], "rb") as written:
                os.fsync(written.fileno())
            os.chmod(temporaries[path], 0o666 & ~umask())
        for path in contents:
            _place(temporaries.pop(path), path, force)
            fsync_directory(os.path.dirname(os.path.abspath(path)))
    except OSError as error:
        raise ExportError(f"cannot write {path}: {error.strerror or error}; nothing written there") from None
    finally:
        for temporary in temporaries.values():
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _place(temporary: str, path: str, force: bool) -> None:
    """Rename temporary to path. Without force a hard link makes the file appear only if
    nothing has appeared at path since it was checked; a rename replaces a symbolic link
    that appeared meanwhile, never what it points to."""
    if force:
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise ExportError(f"{path} appeared while the export was written; nothing written there") from None
    except OSError:
        # A file system without hard links: check once more, then rename.
        if os.path.lexists(path):
            raise ExportError(f"{path} already exists; give --force to replace it") from None
        os.replace(temporary, path)
        return
    os.unlink(temporary)
