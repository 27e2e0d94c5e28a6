"""Machine formats for scripts: JSON, JSON lines and CSV text of documents, written as UTF-8."""

from __future__ import annotations

import io
import json
import sys

from .escape import json_text, literal

# A cell starting with one of these is a formula to a spreadsheet program (=HYPERLINK(...) runs
# when clicked). As OWASP advises, such text cells get a leading single quote, which makes them text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _may_run(text):
    """Whether a spreadsheet program could read text as a formula: it starts with a formula sign,
    with a character some programs fold to one (fullwidth ＝, small ﹦, superscript ⁺), or with
    one they skip before looking (any space, a line break, an invisible format character)."""
    if not text:
        return False
    first = text[0]
    if first.isascii():
        return first in FORMULA_STARTS or first.isspace()
    import unicodedata

    return (
        first.isspace()
        or unicodedata.category(first) == "Cf"
        or unicodedata.normalize("NFKC", first)[:1] in FORMULA_STARTS
    )


def _csv_cell(value, raw_cells=False):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if not isinstance(value, str):
        return value  # a number, negative or not, is never a formula
    if not raw_cells and _may_run(value):
        value = "'" + value
    # CSV has no escapes of its own, and a spreadsheet or terminal must not receive raw controls.
    return literal(value)


def _csv_text(docs, columns, raw_cells=False):
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for document in docs:
        row = []
        for column in columns:
            value = document.get(column)
            if column == "citations" and isinstance(value, list):
                # One column: "source-id: quote" per citation, separated by " | ".
                value = " | ".join(f"{c['source']}: {c['quote']}" for c in value)
            row.append(_csv_cell(value, raw_cells))
        writer.writerow(row)
    return out.getvalue()


def machine_text(result, fmt, raw_cells=False, fields=None):
    """An answer as json, jsonl or csv text, with every key of its command or only fields;
    raw_cells leaves CSV cells that look like formulas as stored."""
    from .documents import documents
    from .schema import keys, with_marks

    # The header is the command's keys, so an empty answer still says what its columns are.
    columns = with_marks(result.view, fields) or keys(result.view)
    return documents_text(documents(result, fields), fmt, columns, raw_cells)


def documents_text(docs, fmt, columns=None, raw_cells=False):
    """JSON-ready documents as json, jsonl or csv text; CSV has columns, else every key of docs."""
    if fmt == "json":
        # One object per line: still one JSON array, but json's C encoder only runs without
        # indent, and on large answers the pure-Python indenting encoder was most of the time.
        if not docs:
            return "[]\n"
        return "[\n" + ",\n".join(json_text(d) for d in docs) + "\n]\n"
    if fmt == "jsonl":
        return "".join(json_text(d) + "\n" for d in docs)
    if columns is None:
        columns = list(dict.fromkeys(key for document in docs for key in document))
    return _csv_text(docs, columns, raw_cells)


def write_utf8(text, stream=None):
    """Machine output is UTF-8 whatever the locale says."""
    stream = stream or sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        stream.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        stream.write(text)


def emit(result, fmt, raw_cells=False, fields=None):
    """Print an answer to stdout in the chosen format, with every key or only fields."""
    if fmt == "text":
        from .terminal import draw

        draw(result, fields=fields)
    else:
        write_utf8(machine_text(result, fmt, raw_cells, fields))
