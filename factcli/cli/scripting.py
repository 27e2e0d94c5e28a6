"""Commands for scripts: batch (many questions, one process) and schema (the shape of each answer)."""

import click

from .options import NO_ARGS_HELP, PATH_TYPES, Batch, command, db_option, errors_as_messages, param_name


@command()
@click.option("--allow-writes", is_flag=True, help="Also run requests that change the store.")
@click.option(
    "--allow-files",
    is_flag=True,
    help="Also run requests that name a store (--db) or any file or folder (site DIR, quote FILE, --from ...).",
)
@db_option
@click.pass_context
def batch(ctx, allow_writes, allow_files):
    """Answer many questions in one process: one request per line on stdin.

    Each request is a JSON array of the arguments you would give facts, such
    as ["rating", "--year", "2019"] (as on a command line, none may hold a
    NUL character). Each answer is one JSON line on stdout,
    written as soon as it is ready, so batch works as a co-process:

    \b
        {"args": [...], "exit": 0, "answer": [...], "notes": [...]}
        {"args": [...], "exit": 1, "error": "...", "notes": [...]}

    The answer is what `facts ARGS --json` prints, parsed (a command that
    prints text gives its text). The store is loaded once and reloaded only
    when its file changes. A bad request answers with exit 1 or 2 and the
    batch goes on. --db given before batch applies to every request.

    What a request may do is decided from its arguments as facts parses
    them, whatever their order. A request that changes the store (add,
    edit, retract, init, ...) is refused with exit 2 unless --allow-writes;
    one that names a store or any file or folder (--db, site DIR, quote FILE,
    draft FILE, init PATH, --from FILE, --sources DIR) is refused unless
    --allow-files. Files and folders the batch itself was given (--db before
    batch, FACTS_DB, FACTS_SOURCES) need neither. A request cannot read the
    batch's stdin, and edit needs --set (there is no editor in a batch).

    \b
    Example:
        printf '%s\\n' '["rating", "--year", "2019"]' \\
          '["who", "--role", "minister"]' | facts batch
    """
    import functools
    import sys

    from ..output.escape import json_text
    from ..output.formats import write_utf8

    db = ctx.meta.get("facts.db")
    gate = functools.partial(_refusal, allow_writes=allow_writes, allow_files=allow_files)
    stores = {}  # loaded once for the whole batch, shared by its requests
    for raw in sys.stdin.buffer:
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            reply = {"args": None, "exit": 2, "error": f"request is not UTF-8 (byte {error.start})", "notes": []}
        else:
            if not line.strip():
                continue
            reply = _run(line, ctx.find_root().command, Batch(stores, db, gate))
        write_utf8(json_text(reply) + "\n")


def _run(line, cli, state):
    """The reply to one request line."""
    import contextlib
    import io
    import sys

    from ..storage.files import StrictJSONError, parse_json

    try:
        args = parse_json(line)
    except (ValueError, RecursionError) as error:
        message = f"not JSON: {error}" if not isinstance(error, StrictJSONError) else str(error)
        return {"args": None, "exit": 2, "error": f"request {message}", "notes": []}
    if not isinstance(args, list) or not all(isinstance(arg, str) for arg in args):
        return {"args": args, "exit": 2, "error": "a request is a JSON array of strings", "notes": []}
    if any("\x00" in arg for arg in args):
        # No command line can hold one (arguments are C strings), and no path may: os refuses it.
        return {"args": args, "exit": 2, "error": "a request's arguments may not hold a NUL character", "notes": []}
    out, err = io.StringIO(), io.StringIO()
    exit_code, error = 0, None
    stdin, sys.stdin = sys.stdin, io.StringIO()  # the requests are on stdin: a request reads nothing there
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            cli.main(args, prog_name="facts", standalone_mode=False, obj=state)
    except click.exceptions.Exit as stop:
        exit_code = stop.exit_code
    except NO_ARGS_HELP:
        exit_code, error = 2, "the request names no command"
    except click.ClickException as failure:
        exit_code, error = failure.exit_code, failure.format_message()
    except click.Abort:
        exit_code, error = 1, "aborted"
    finally:
        sys.stdin = stdin
    notes = state.notes + [line for line in err.getvalue().splitlines() if line.strip()]
    reply = {"args": args, "exit": exit_code}
    if error is not None:
        reply["error"] = error
    else:
        reply["answer"] = state.answer if state.answer is not None else _printed(out.getvalue())
    reply["notes"] = notes
    return reply


def _refusal(ctx, allow_writes, allow_files):
    """Why the request whose command and arguments ctx holds, as parsed, may not run in this
    batch, or None."""
    command = ctx.command
    if command.name == "batch":
        return "batch cannot run inside a batch"
    needed = []
    # Every command that changes a store takes --dry-run, and init makes one.
    if not allow_writes and (command.name == "init" or "dry_run" in ctx.params):
        needed.append(("--allow-writes", f"{command.name} changes a store"))
    named = list(_named_files(ctx))
    if not allow_files and named:
        needed.append(("--allow-files", f"the request names a store, file or folder ({', '.join(named)})"))
    if needed:
        reasons = " and ".join(reason for _, reason in needed)
        return f"{reasons}; run the batch with {' and '.join(flag for flag, _ in needed)}"
    if command.name == "edit" and not ctx.params.get("assignments"):
        return "edit in a batch needs --set: there is no editor"
    return None


def _named_files(ctx):
    """The options and arguments of the request (its command's and the group's) that name a
    store, file or folder: every path parameter, given in the request itself."""
    from click.core import ParameterSource

    for context in (ctx.parent, ctx):
        if context is None:
            continue
        for param in context.command.params:
            if context.get_parameter_source(param.name) is not ParameterSource.COMMANDLINE:
                continue
            names_file = getattr(param.type, "names_file", None)
            if isinstance(param.type, PATH_TYPES) or (names_file and names_file(context.params.get(param.name))):
                yield param_name(param)


def _printed(text):
    """What a command printed: parsed when it is JSON, else the text itself."""
    import json

    try:
        return json.loads(text)
    except ValueError:
        return text


@command()
@click.argument("command", required=False, metavar="[COMMAND]")
@errors_as_messages
def schema(command):
    """The JSON Schema (draft 2020-12) of a query command's --json output.

    Every object of an answer has every key of its command, in the order
    given, null where a fact's kind has no such field; CSV has the same
    columns. Without COMMAND, an object of every command's schema.

    \b
    Example:
        facts schema rating
        facts schema | jq 'keys'
    """
    from ..output.escape import json_text
    from ..output.formats import write_utf8
    from ..output.schema import COMMANDS, json_schema

    if command is not None and command not in COMMANDS:
        raise click.BadParameter(f"{command!r} is not one of: {', '.join(COMMANDS)}", param_hint="COMMAND")
    found = json_schema(command) if command else {name: json_schema(name) for name in COMMANDS}
    write_utf8(json_text(found, indent=2) + "\n")
