"""Commands for scripts: batch (many questions, one process) and schema (the shape of each answer)."""

import click

from .options import EXIT_CODES, db_option, errors_as_messages

@click.command(epilog=EXIT_CODES)
@click.option("--allow-writes", is_flag=True, help="Also run commands that change the store.")
@db_option
@click.pass_context
def batch(ctx, allow_writes):
    """Answer many questions in one process: one request per line on stdin.

    Each request is a JSON array of the arguments you would give facts, such
    as ["rating", "--year", "2019"]. Each answer is one JSON line on stdout,
    written as soon as it is ready, so batch works as a co-process:

    \b
        {"args": [...], "exit": 0, "answer": [...], "notes": [...]}
        {"args": [...], "exit": 1, "error": "...", "notes": [...]}

    The answer is what `facts ARGS --json` prints, parsed (a command that
    prints text gives its text). The store is loaded once and reloaded only
    when its file changes. A bad request answers with exit 1 or 2 and the
    batch goes on. Commands that change the store are refused unless
    --allow-writes; edit needs --set (there is no editor in a batch).
    --db given before batch applies to every request.

    \b
    Example:
        printf '%s\\n' '["rating", "--year", "2019"]' '["who", "--role", "minister"]' | facts batch
    """
    import sys

    from ..output.escape import json_text
    from ..output.formats import write_utf8

    db = ctx.meta.get("facts.db")
    stores = {}  # loaded once for the whole batch, shared by its requests
    for raw in sys.stdin.buffer:
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            reply = {"args": None, "exit": 2, "error": f"request is not UTF-8 (byte {error.start})", "notes": []}
        else:
            if not line.strip():
                continue
            reply = _run(line, ctx.find_root().command, db, allow_writes, stores)
        write_utf8(json_text(reply) + "\n")


def _run(line, cli, db, allow_writes, stores):
    """The reply to one request line."""
    import contextlib
    import io

    from ..storage.files import StrictJSONError, parse_json
    from .options import Batch

    try:
        args = parse_json(line)
    except (ValueError, RecursionError) as error:
        message = f"not JSON: {error}" if not isinstance(error, StrictJSONError) else str(error)
        return {"args": None, "exit": 2, "error": f"request {message}", "notes": []}
    if not isinstance(args, list) or not all(isinstance(arg, str) for arg in args):
        return {"args": args, "exit": 2, "error": "a request is a JSON array of strings", "notes": []}
    if refusal := _refusal(args, allow_writes, cli):
        return {"args": args, "exit": 2, "error": refusal, "notes": []}
    state = Batch(stores)
    out, err = io.StringIO(), io.StringIO()
    exit_code, error = 0, None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli.main([*(["--db", db] if db else []), *args], prog_name="facts", standalone_mode=False, obj=state)
        except click.exceptions.Exit as stop:
            exit_code = stop.exit_code
        except click.ClickException as failure:
            exit_code, error = failure.exit_code, failure.format_message()
        except click.Abort:
            exit_code, error = 1, "aborted"
    notes = state.notes + [line for line in err.getvalue().splitlines() if line.strip()]
    reply = {"args": args, "exit": exit_code}
    if error is not None:
        reply["error"] = error
    else:
        reply["answer"] = state.answer if state.answer is not None else _printed(out.getvalue())
    reply["notes"] = notes
    return reply


def _writes(cli, name):
    """Whether a command changes a store: every one that does takes --dry-run, and init makes one."""
    command = cli.get_command(None, name) if name else None
    return command is not None and (name == "init" or any(param.name == "dry_run" for param in command.params))


def _refusal(args, allow_writes, cli):
    """Why a request may not run in this batch, or None."""
    command = next((arg for arg in args if not arg.startswith("-")), None)
    if command == "batch":
        return "batch cannot run inside a batch"
    if _writes(cli, command) and not allow_writes:
        return f"{command} changes the store; run the batch with --allow-writes"
    if command == "edit" and "--set" not in args:
        return "edit in a batch needs --set: there is no editor"
    return None


def _printed(text):
    """What a command printed: parsed when it is JSON, else the text itself."""
    import json

    try:
        return json.loads(text)
    except ValueError:
        return text


@click.command(epilog=EXIT_CODES)
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
