"""Hostile inputs for the fuzz run: option values, stdin documents, broken store files, broken indexes."""

import contextlib
import json
import os
import random
import sqlite3

# Values for any option. Bytes reach the program as undecodable argv (lone surrogates once
# decoded); b"\xed\xa0\x80" is a UTF-16 surrogate encoded as if it were UTF-8.
OPTION_VALUES = (
    "", " ", "-", "--", "0", "-1", "2019", "9999", "99999999999999999999999", "1e400", "inf", "-inf",
    "nan", "NaN", "Infinity", "١٢٣", "٢٠١٩", "２０１９", "2_019", "+2019", " 2019", "9" * 5000,
    "null", "[]", "{}", "[" * 100000, '{"source": "x"}', "\x1b[31mred\x1b]8;;http://x\x1b\\", "\x9b2J\x9d0;t\x9c",
    "\u202eevil\u202c", "\u2066\u2069\u200f", "[bold]x[/]", "[link=http://x]y", '=HYPERLINK("http://x","y")',
    "@SUM(1)", "+1", "\t=1", "a" * 100000, "../../../../etc/passwd", "/dev/null", "/", ".", "x\n",
    "rating-2019-01-overall-inadequate", "overall", "dcs", "value=inf", "value=1e400", "value=١٢٣",
    "value=99999999999999999999999", "start=0000", "end=9999-12", "date=0000-05", "citations=" + "[" * 100000,
    "retracted=x", "claim=", "kind=rumour", "id=UPPER", "gazette-2019-plan-taking-shape:quote",
    b"\xff", b"x\xc3", b"\xed\xa0\x80", b"caf\xe9", b"\xc0\xaf", b"\xf4\x90\x80\x80",
)

# What a command needs to get past its own usage check, so the fuzz reaches the core.
POSITIONAL = {"show": 1, "edit": 1, "retract": 1, "search": 1, "merge": 3, "ask": 1}


KNOWN_BAD_NUMBERS = ("inf", "nan", "-inf", "1e400", "Infinity", "99999999999999999999999", "١٢٣")

# Valid commands against the bundled store, one value of which a mutation makes hostile:
# the rest being valid, the hostile value reaches the schema, the writer and the renderer.
TEMPLATES = (
    ["add", "--kind", "figure", "--claim", "Blackpool had 441 children in care in 2015.", "--date", "2015",
     "--source", "gazette-2019-plan-taking-shape", "--quote", "plan", "--field", "value=441",
     "--field", "unit=children", "--field", "measure=children in care"],
    ["add-source", "--id", "fuzz-source", "--title", "A title", "--publisher", "A publisher",
     "--published", "2020-01", "--file", "fuzz.txt"],
    ["edit", "rating-2019-01-overall-inadequate", "--set", "claim=Ofsted rated it inadequate, said the fuzz."],
    ["edit", "rating-2019-01-overall-inadequate", "--set", "date=2019-02"],
    ["retract", "rating-2019-01-overall-inadequate", "--reason", "A reason."],
    ["who", "--role", "director", "--year", "2021", "--format", "csv"],
    ["rating", "--year", "2019", "--area", "overall", "--json"],
    ["timeline", "--from", "2019", "--to", "2021", "--kind", "rating", "--format", "jsonl"],
    ["search", "neglect", "--format", "csv"],
    ["show", "rating-2019-01-overall-inadequate", "--json"],
    ["ask", "who was the director of children's services in 2021?", "--format", "csv"],
)


def _mutated(template, rng):
    args = list(template)
    position = rng.randrange(1, len(args))
    if args[position].startswith("--") and position + 1 < len(args):
        position += 1
    value = rng.choice(OPTION_VALUES)
    if "=" in args[position] and args[position - 1] in ("--field", "--set") and isinstance(value, str) and rng.random() < 0.7:
        value = args[position].split("=", 1)[0] + "=" + value  # keep the key, make the value hostile
    args[position] = value
    return args


def option_runs(commands, rng, count):
    """count argument lists: half valid commands with one value made hostile, half a command with a
    few of its options given hostile values."""
    # The values that once made an accepted write break the store are always among them.
    runs = [TEMPLATES[0][:-6] + ["--field", f"value={value}"] + TEMPLATES[0][-4:] for value in KNOWN_BAD_NUMBERS]
    runs += [TEMPLATES[0][:4] + [b"A claim \xff."] + TEMPLATES[0][5:]]
    runs += [_mutated(rng.choice(TEMPLATES), rng) for _ in range(count // 2 - len(runs))]
    names = sorted(commands)
    for _ in range(count - len(runs)):
        name = rng.choice(names)
        command = commands[name]
        args = [name]
        for _ in range(POSITIONAL.get(name, 0)):
            args.append(rng.choice(OPTION_VALUES))
        options = [p for p in command.params if p.param_type_name == "option" and "--help" not in p.opts]
        for param in rng.sample(options, k=min(len(options), rng.randint(1, 4))):
            flag = max(param.opts, key=len)
            if param.is_flag:
                args.append(flag)
            elif flag == "--from":
                continue  # reading from a hostile path is covered by the broken-file classes
            else:
                args += [flag, rng.choice(OPTION_VALUES)]
        runs.append(args)
    return runs


def stdin_documents(count, seed):
    """count stdin payloads for add and add-source: hypothesis-built JSON (lone surrogates,
    NaN, huge numbers, deep nesting) and raw bytes."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    # st.text never draws a lone surrogate, so they are mixed in as characters of their own.
    character = st.characters() | st.integers(0xD800, 0xDFFF).map(chr)
    text = st.lists(character, max_size=30).map("".join) | st.sampled_from(
        ["\ud800", "x\udcff", "\x9b31m", "\u202e", "=1+1", ""]
    )
    numbers = st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
        [10**400, -(10**30), 2**53, 2**53 - 1, 1e308]
    )
    scalars = st.none() | st.booleans() | numbers | text
    values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3))
    citation = st.fixed_dictionaries({"source": st.sampled_from(["gazette-2019-plan-taking-shape"]) | text, "quote": text})
    fact = st.fixed_dictionaries(
        {},
        optional={
            "kind": st.sampled_from(["figure", "event", "role", "rating"]) | text,
            "claim": text,
            "date": st.sampled_from(["2019", "0000", "0000-05", "9999-12", "٢٠١٩", "2019-02-30"]) | values,
            "value": numbers,
            "unit": text,
            "measure": text,
            "citations": st.lists(citation, max_size=2) | values,
            "id": text,
        },
    )
    source = st.fixed_dictionaries(
        {}, optional={"id": text, "title": text, "file": text, "published": text, "publisher": values}
    )
    figure = {
        "kind": "figure", "claim": "Blackpool had 441 children in care in 2015.", "date": "2015", "date_basis": "stated", "value": 441,
        "unit": "children", "measure": "children in care",
        "citations": [{"source": "gazette-2019-plan-taking-shape", "quote": "plan"}],
    }
    # A valid fact with one value replaced: the hostile value reaches the schema and the writer.
    one_bad_value = st.sampled_from(sorted(figure)).flatmap(
        lambda key: st.one_of(numbers, text, values).map(lambda bad: {**figure, key: bad})
    )
    documents = []

    @settings(
        max_examples=count, database=None, deadline=None, derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        payload=st.one_of(
            one_bad_value.map(lambda d: ("add", _json_bytes(d))),
            one_bad_value.map(lambda d: ("add", _json_bytes(d))),
            fact.map(lambda d: ("add", _json_bytes(d))),
            source.map(lambda d: ("add-source", _json_bytes(d))),
            st.binary(max_size=60).map(lambda b: ("add", b)),
            values.map(lambda d: ("add", _json_bytes(d))),
        )
    )
    def collect(payload):
        documents.append(payload)

    collect()
    rng = random.Random(seed)
    figure_text = json.dumps(figure).encode()
    documents += [("add", figure_text.replace(b"441", number, 1)) for number in (b"1e400", b"-1e999", b"9" * 5000)]
    documents += [("add", b"[" * 100000), ("add", b'{"value": 1e999}'), ("add", b"\xef\xbb\xbf{}"),
                  ("add", "{}".encode("utf-16")), ("add", b'{"claim": "' + b"9" * 5000 + b'"}')]
    rng.shuffle(documents)
    return documents


def _json_bytes(document):
    # allow_nan writes NaN and Infinity; ensure_ascii writes lone surrogates as \ud800 escapes.
    return json.dumps(document, allow_nan=True).encode("ascii")


def _replace_in_store(text, old, new):
    return text.replace(old, new, 1).encode("utf-8")


def broken_stores(good_text):
    """(name, how to make it at a path) for stores broken in every way found so far."""
    first_claim = json.loads(good_text)["facts"]["1"]["claim"]
    writers = {
        "empty": b"",
        "truncated": good_text.encode()[: len(good_text) // 2],
        "array": b"[]",
        "null": b"null",
        "number": b"1e400",
        "deep": b"[" * 100000 + b"]" * 100000,
        "utf-16": good_text.encode("utf-16"),
        "bom": b"\xef\xbb\xbf" + good_text.encode(),
        "latin-1": good_text.replace(first_claim, first_claim + " caf\u00e9").encode("latin-1", "replace"),
        "invalid-byte": good_text.encode().replace(b'"claim": "', b'"claim": "\xff', 1),
        "nan": _replace_in_store(good_text, '"date": "', '"date": NaN, "x": "'),
        "1e400": _replace_in_store(good_text, '"date": "', '"date": 1e400, "x": "'),
        "huge-int": _replace_in_store(good_text, '"date": "', '"date": ' + "9" * 5000 + ', "x": "'),
        "surrogate": _replace_in_store(good_text, first_claim, first_claim + " \\ud800"),
        "year-0": _replace_in_store(good_text, '"date": "2', '"date": "0000", "y": "2'),
        "duplicate-key": _replace_in_store(good_text, '"claim": ', '"claim": "twice", "claim": '),
        "doc-id": _replace_in_store(good_text, '"1": {', '"\\ud800": {'),
        "binary": bytes(range(256)) * 4,
        "deep-value": _replace_in_store(good_text, '"date": "', '"date": ' + "[" * 900 + "]" * 900 + ', "x": "'),
        "facts-list": b'{"facts": [], "sources": {}}',
        "controls": _replace_in_store(good_text, first_claim, "\x1b]8;;http://x\x1b\\\x9b2J\u202e" + first_claim),
    }
    makers = [(name, _writer(data)) for name, data in writers.items()]
    makers += [
        ("directory", lambda path: os.mkdir(path)),
        ("fifo", lambda path: os.mkfifo(path)),
        ("loop", lambda path: os.symlink(os.path.basename(path), path)),
        ("dangling", lambda path: os.symlink(os.path.join(os.path.dirname(path), "gone", "x.json"), path)),
        ("missing", lambda path: None),
    ]
    return makers


def broken_databases(good):
    """(name, how to make it at a path) for SQLite stores of record broken in every way a file
    can be, from good, the bytes of a valid one; and the ways any store's path can be wrong."""
    page = 4096

    def pragma(statement):
        def make(path):
            with open(path, "wb") as out:
                out.write(good)
            with contextlib.closing(sqlite3.connect(path)) as connection:
                connection.execute(statement)
                connection.commit()

        return make

    def other_database(path):
        with contextlib.closing(sqlite3.connect(path)) as connection:
            connection.execute("CREATE TABLE facts (id TEXT)")
            connection.commit()

    writers = {
        "empty": b"",
        "header-only": good[:100],
        "truncated": good[: len(good) // 2],
        "json-inside": b'{"facts": {}, "sources": {}}\n',
        "zeroed-pages": good[: 2 * page] + bytes(len(good) - 2 * page),
        "scrambled": good[:page] + bytes((b * 7 + 13) % 256 for b in good[page : len(good) // 2]) + good[len(good) // 2 :],
    }

    def foreign_journal(path):
        _writer(good)(path)
        _writer(b"\xd9\xd5\x05\xf9 \xa1c\xd7 not a journal SQLite wrote" * 100)(f"{path}-journal")

    makers = [(name, _writer(data)) for name, data in writers.items()]
    makers.append(("foreign-journal", foreign_journal))
    makers += [
        ("foreign", other_database),
        ("newer-layout", pragma("PRAGMA user_version = 99")),
        ("not-ours", pragma("PRAGMA application_id = 0")),
        ("dropped-table", pragma("DROP TABLE claims")),
        ("directory", lambda path: os.mkdir(path)),
        ("fifo", lambda path: os.mkfifo(path)),
        ("loop", lambda path: os.symlink(os.path.basename(path), path)),
        ("missing", lambda path: None),
    ]
    return makers


def _writer(data):
    def make(path):
        with open(path, "wb") as out:
            out.write(data)

    return make


def break_index(path, how, rng):
    """Damage a built SQLite index in one of several ways."""
    if how == "scramble":
        with open(path, "r+b") as built:
            size = os.fstat(built.fileno()).st_size
            for offset in range(8192, size, 4096):
                built.seek(offset)
                built.write(rng.randbytes(4096))
    elif how == "truncate":
        os.truncate(path, os.path.getsize(path) // 3)
    elif how == "empty":
        os.truncate(path, 0)
    elif how == "text":
        with open(path, "w") as out:
            out.write("this is not a database")
    elif how == "fifo":
        os.unlink(path)
        os.mkfifo(path)
    elif how == "directory":
        os.unlink(path)
        os.mkdir(path)
    elif how == "wrong-meta":
        connection = sqlite3.connect(path)
        connection.execute("UPDATE facts SET record = '{\"id\": 1}'")
        connection.commit()
        connection.close()


INDEX_DAMAGE = ("scramble", "truncate", "empty", "text", "fifo", "directory", "wrong-meta")
