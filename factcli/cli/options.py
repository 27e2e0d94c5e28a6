"""Options, error handling and output shared by every command: each defined once."""

import contextlib
import functools
import os
import re
import stat
import sys

import click

from .pager import page, pager_command, terminal_rows


def terminal_width():
    """Columns for help text. click asks shutil, whose import costs more than the rest of --help."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 80


CONTEXT_SETTINGS = {
    "help_option_names": ["-h", "--help"],
    "max_content_width": 100,
    "terminal_width": terminal_width(),
}


class Year(click.ParamType):
    """A year in ASCII digits, of the years a store's dates may name (core.dates): int() would
    also take '٢٠١٩', '２０１９' and '2_019'."""

    name = "year"

    def convert(self, value, param, ctx):
        from ..core.dates import FIRST_YEAR, LAST_YEAR

        if isinstance(value, int):
            return value
        if not (isinstance(value, str) and value.isascii() and value.isdigit()):
            self.fail(f"{value!r} is not a year", param, ctx)
        # Length first: int() refuses past 4,300 digits, with an error of its own.
        if len(value.lstrip("0")) > len(str(LAST_YEAR)) or not FIRST_YEAR <= int(value) <= LAST_YEAR:
            self.fail(f"{value} is not a year from {FIRST_YEAR} to {LAST_YEAR}", param, ctx)
        return int(value)


YEAR = Year()


class PartialDate(click.ParamType):
    """An ISO 8601 date, partial allowed (2019, 2019-07, 2019-07-14), of the years a store's dates
    may name (core.dates)."""

    name = "date"

    def convert(self, value, param, ctx):
        from ..core.dates import parse_partial_date

        try:
            parse_partial_date(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)
        return value


DATE = PartialDate()
FORMATS = ("text", "json", "jsonl", "csv")


class KindChoice(click.Choice):
    """The kinds of the schema, looked up only when an option is parsed, completed or helped."""

    def __init__(self):
        super().__init__(())

    @property
    def choices(self):
        from ..core.kinds import KINDS

        return tuple(KINDS)

    @choices.setter
    def choices(self, value):
        pass  # click.Choice.__init__ assigns them; they come from the schema instead

    def get_metavar(self, param, ctx=None):
        # Nine kinds in brackets run past 80 columns; the option's help lists them instead.
        return "KIND"


class KindOption(click.Option):
    """--kind, whose help ends with the kinds of the schema, looked up when help is shown."""

    def get_help_record(self, ctx):
        from ..core.kinds import KINDS

        record = super().get_help_record(ctx)
        return None if record is None else (record[0], f"{record[1]} One of: {', '.join(KINDS)}.")


def param_name(param):
    """How an error names a parameter: --year for an option, TEXT for an argument."""
    return param.opts[0] if param.param_type_name == "option" else param.human_readable_name


# What click (8.2 and later) raises for a group given no command; click 8.1 shows the help itself.
NO_ARGS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


class OneLineUsageError(click.UsageError):
    """A usage error as one line on stderr (exit 2), naming the help to read: click's own puts
    the usage and a hint on lines of their own first, burying the point."""

    def show(self, file=None):
        message = self.format_message()
        # A message of several lines (a question not read, then examples to try) says enough.
        where = f" (see {self.ctx.command_path} --help)" if self.ctx is not None and "\n" not in message else ""
        click.echo(f"Error: {message}{where}", file=file or sys.stderr)


@contextlib.contextmanager
def _literal_messages():
    try:
        yield
    except click.MissingParameter as error:
        # click's own text ("Missing argument 'ID'.") names what is missing; its message is empty.
        # Its choices come a line and a tab each: one line here.
        raise OneLineUsageError(message_text(" ".join(error.format_message().split())), error.ctx) from None
    except click.BadParameter as error:
        if error.param is None or error.param_hint is not None:
            raise OneLineUsageError(message_text(error.format_message()), error.ctx) from None
        # "--year: 'abc' is not a year" reads better than click's "Invalid value for '--year': ...".
        raise OneLineUsageError(f"{param_name(error.param)}: {message_text(error.message)}", error.ctx) from None
    except NO_ARGS_HELP:
        raise  # no command at all: answered with the help
    except OneLineUsageError as error:
        error.message = message_text(error.message)
        raise
    except click.UsageError as error:
        raise OneLineUsageError(message_text(error.message), error.ctx) from None
    except click.ClickException as error:
        error.message = message_text(error.message)
        raise


def message_text(text):
    """An error or note as it is shown: what it echoes made visible (literal) and, when very
    long, cut (shortened)."""
    from ..output.escape import literal, shortened

    return shortened(literal(text))


def _lone_surrogate(text):
    """The first lone surrogate of text, or None: the one character UTF-8 cannot encode (found
    by encoding, which is quicker than compiling a pattern for every command)."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return text[error.start]
    return None


class FactsContext(click.Context):
    """The context of each command: just before the command runs, with its arguments parsed,
    text that is not UTF-8 is refused, and a batch (if the command runs in one) decides
    whether the request may run."""

    def invoke(self, callback, *args, **kwargs):
        if callback is self.command.callback:
            self._refuse_undecodable_text()
            batch = self.find_object(Batch)
            if batch is not None and batch.gate is not None and (refusal := batch.gate(self)):
                raise OneLineUsageError(refusal)
        return super().invoke(callback, *args, **kwargs)

    def _refuse_undecodable_text(self):
        # Python hands undecodable bytes of argv over as lone surrogates, which no store, index
        # or terminal can take. A path may hold any bytes (the file system's names are bytes).
        for param in self.command.params:
            if isinstance(param.type, PATH_TYPES):
                continue
            value = self.params.get(param.name)
            for text in value if isinstance(value, (tuple, list)) else (value,):
                if isinstance(text, str) and (found := _lone_surrogate(text)):
                    byte = ord(found) - 0xDC00
                    shown = f"0x{byte:02x}" if 0x80 <= byte <= 0xFF else "that is half a UTF-16 pair"
                    raise OneLineUsageError(f"{param_name(param)}: not valid UTF-8 text (byte {shown})")


def _print_and_exit(text_of):
    """The callback of an eager flag (--help, --version) that prints text_of(ctx) and ends the command."""

    def callback(ctx, param, value):
        if value and not ctx.resilient_parsing:
            click.echo(text_of(ctx), color=ctx.color)
            ctx.exit()

    return callback


class OwnHelpOption:
    """A command's -h/--help, worded here: click words its own through gettext, whose search
    for a translation imports locale, a millisecond of every question (a test keeps it so)."""

    def get_help_option(self, ctx):
        names = self.get_help_option_names(ctx)
        if not names or not self.add_help_option:
            return None
        # One option per command, as click keeps it: callbacks are ordered by the option itself.
        if getattr(self, "_facts_help_option", None) is None:
            self._facts_help_option = click.Option(
                names, is_flag=True, is_eager=True, expose_value=False,
                callback=_print_and_exit(lambda ctx: ctx.get_help()), help="Show this message and exit.",
            )
        return self._facts_help_option


class FactsCommand(OwnHelpOption, click.Command):
    """A facts command: its own help option, and FactsContext to run in."""

    context_class = FactsContext


def command(name=None, **settings):
    """click.command for every facts command: FactsCommand, and the exit codes as its epilog
    unless it has codes of its own."""
    settings.setdefault("epilog", EXIT_CODES)
    return click.command(name, cls=FactsCommand, **settings)


def version_option(version):
    """--version, worded here rather than by click, for the reason OwnHelpOption gives."""
    return click.option(
        "--version", is_flag=True, is_eager=True, expose_value=False,
        callback=_print_and_exit(lambda ctx: f"facts, version {version}"), help="Show the version and exit.",
    )


class LiteralErrors(OwnHelpOption, click.Group):
    """The facts group: its error messages, click's own included, show the paths and values
    they echo literally (a file name holding an escape sequence is printed, never acted on by
    the terminal); its commands are imported from their modules when first used; and --help
    lists them in sections.

    lazy_commands maps each command's name to (module of factcli.cli, section of --help, the
    first paragraph of its help): --help lists the commands without importing a module.
    """

    command_class = FactsCommand

    def __init__(self, *args, lazy_commands=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands or {}

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx, name):
        if name not in self.commands and name in self.lazy_commands:
            import importlib

            module, section, _ = self.lazy_commands[name]
            command = getattr(importlib.import_module(f"factcli.cli.{module}"), name.replace("-", "_"))
            command.section = section
            self.add_command(command)
        return super().get_command(ctx, name)

    def make_context(self, *args, **kwargs):
        with _literal_messages():
            return super().make_context(*args, **kwargs)

    def resolve_command(self, ctx, args):
        """The command args name, with "did you mean" for a mistyped name, and a usage error
        for an option given twice, which click would quietly read as its last value."""
        name = args[0] if args else None
        if name is not None and self.get_command(ctx, name) is None and not name.startswith("-"):
            import difflib

            close = difflib.get_close_matches(name, self.list_commands(ctx), n=3, cutoff=0.6)
            hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            ctx.fail(f"No such command {message_text(repr(name))}.{hint}")
        found, command, rest = super().resolve_command(ctx, args)
        if command is not None:
            refuse_repeated_options(command, rest)
        return found, command, rest

    def invoke(self, ctx):
        with _literal_messages():
            try:
                return super().invoke(ctx)
            except KeyboardInterrupt:
                # 128 + SIGINT, as a shell reports a command Ctrl-C ended (click would exit 1,
                # as for any abort); the way out has run and removed what the command had in hand.
                click.echo(err=True)
                sys.exit(130)

    # The sections of --help, in order, and the commands' help texts under them (gh does the same).
    SECTIONS = ("Ask", "Curate", "Check", "Publish and script")

    def format_commands(self, ctx, formatter):
        by_section = {}
        for name in self.list_commands(ctx):
            if name in self.lazy_commands:
                _, section, summary = self.lazy_commands[name]
                by_section.setdefault(section, []).append((name, summary))
                continue
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                by_section.setdefault(getattr(command, "section", "Other"), []).append((name, command.help or ""))
        width = formatter.width - 6 - max((len(name) for found in by_section.values() for name, _ in found), default=0)
        for section in (*self.SECTIONS, "Other"):
            if section in by_section:
                # Shortened as click shortens any command's help: its first sentence, cut to the width left.
                rows = [(name, click.Command(name, help=text).get_short_help_str(width)) for name, text in by_section[section]]
                with formatter.section(f"{section} commands"):
                    formatter.write_dl(rows)


def refuse_repeated_options(command, args):
    """A usage error when args give an option that takes one value more than once
    (--year 2019 --year 2020): which was meant cannot be known."""
    takes_value, seen = {}, set()
    for param in command.params:
        if isinstance(param, click.Option) and not param.is_flag and not param.multiple and not param.count:
            for opt in param.opts:
                takes_value[opt] = param
    index = 0
    while index < len(args):
        token = args[index]
        if token == "--":
            break
        option = token.split("=", 1)[0]
        param = takes_value.get(option)
        if param is not None:
            if param.name in seen:
                raise OneLineUsageError(f"{param.opts[0]} given twice: give it once")
            seen.add(param.name)
            index += 1 if "=" in token else 2  # its value is not an option, whatever it says
            continue
        index += 1


def say(text, err=False):
    """Echo text from the store or the user with control characters made visible; on stderr,
    where it is a message, very long values it echoes are cut."""
    from ..output.escape import literal

    click.echo(message_text(text) if err else literal(text), err=err)


EXIT_CODES = """\b
Exit codes: 0 an answer (even an empty one), 1 an error (store missing,
corrupt or invalid; unknown id; failed check), 2 a usage error, 130
interrupted (Ctrl-C; 143 for SIGTERM)."""


def _db_from_context(ctx):
    """--db of this command line, else the --db a batch was given."""
    batch = ctx.find_object(Batch)
    if ctx.meta.get("facts.db") is not None:
        return ctx.meta["facts.db"]  # even when empty: settings.store_choice refuses that
    return batch.db if batch is not None else None


def _remember_db(ctx, param, value):
    if value is not None:
        ctx.meta["facts.db"] = value
    return value


class StorePath(click.ParamType):
    """--db's file: any path but a folder's or an unreadable file's, refused as click.Path(dir_okay=False)
    refuses them (a test compares the two), which words its name through gettext (see
    OwnHelpOption) on every question."""

    name = "file"

    def convert(self, value, param, ctx):
        try:
            found = os.stat(value)
        except OSError:
            return value  # a store that is not there yet, or cannot be read: the command says which
        if stat.S_ISDIR(found.st_mode):
            self.fail(f"File {click.format_filename(value)!r} is a directory.", param, ctx)
        if not os.access(value, os.R_OK):
            self.fail(f"File {click.format_filename(value)!r} is not readable.", param, ctx)
        return value

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        return [CompletionItem(incomplete, type="file")]


# The types of parameters that name a file or folder, whose values may hold any bytes.
PATH_TYPES = (click.Path, StorePath)


def db_option(fn):
    """--db PATH, accepted on the group and on each command (the command's wins)."""
    return click.option(
        "--db",
        type=StorePath(),
        expose_value=False,
        callback=_remember_db,
        is_eager=True,
        help="Store to read instead of the bundled one (or set FACTS_DB).",
    )(fn)


def _remember_no_pager(ctx, param, value):
    if value:
        ctx.meta["facts.no_pager"] = True
    return value


def no_pager_option(fn):
    """--no-pager on the group, as git takes it: facts --no-pager rating."""
    return click.option(
        "--no-pager",
        is_flag=True,
        expose_value=False,
        callback=_remember_no_pager,
        help="Print long text answers straight to the terminal.",
    )(fn)


def format_options(fn):
    """--format text|json|jsonl|csv and its shorthand --json, for every command with an answer."""

    @click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=None,
        help="Output format: text for a person (default), json, jsonl or csv for scripts.",
    )
    @click.option("json_", "--json", is_flag=True, help="Same as --format json.")
    @functools.wraps(fn)
    def wrapper(*args, fmt, json_, **kwargs):
        if json_ and fmt not in (None, "json"):
            raise click.UsageError(f"--json conflicts with --format {fmt}")
        return fn(*args, fmt="json" if json_ else (fmt or "text"), **kwargs)

    return wrapper


def output_options(fn):
    """The format options, and what every query command's answer() applies: --limit, --fields,
    --raw-cells and --no-pager."""

    @click.option(
        "--raw-cells",
        is_flag=True,
        help="With --format csv: leave cells that a spreadsheet could run as formulas as stored (those starting"
        " with = + - @, their fullwidth and small forms, a space, line break or invisible character are"
        " otherwise prefixed with ').",
    )
    @click.option(
        "--limit", type=click.IntRange(min=1), metavar="N", help="Only the first N results (the rest are counted on stderr)."
    )
    @click.option(
        "--fields",
        metavar="A,B,...",
        help="Only these keys of each result, in this order (facts schema lists them).",
    )
    @click.option("--no-pager", is_flag=True, help="Print long text answers straight to the terminal.")
    @format_options
    @functools.wraps(fn)
    def wrapper(*args, fmt, raw_cells, limit, fields, no_pager, **kwargs):
        if raw_cells and fmt != "csv":
            raise click.UsageError("--raw-cells applies only to --format csv")
        # answer() reads them, so commands pass only the format along.
        click.get_current_context().meta["facts.output"] = {
            "raw_cells": raw_cells,
            "limit": limit,
            "fields": [name.strip() for name in fields.split(",")] if fields is not None else None,
            "no_pager": no_pager,
        }
        return fn(*args, fmt=fmt, **kwargs)

    return wrapper


def retracted_option(fn):
    return click.option(
        "--include-retracted", is_flag=True, help="Also show facts that were retracted, marked as such."
    )(fn)


def shown_path(path):
    """A path as a person would type it: relative when it is under the working directory."""
    relative = os.path.relpath(path)
    return relative if not relative.startswith("..") else str(path)


def store_location():
    """The store named by --db, FACTS_DB or the bundled one."""
    from ..settings import store_choice

    return store_choice(_db_from_context(click.get_current_context()))[0]


def named_store():
    """The store as this command line named it (--db), for the commands a refusal suggests to
    name it too; None when it came from FACTS_DB or is the bundled one, which they reach alike."""
    from ..settings import store_choice

    path, origin = store_choice(_db_from_context(click.get_current_context()))
    return path if origin == "--db" else None


def located_store():
    """Where the store named by --db, FACTS_DB or the bundled one is, and whether it may be written."""
    from ..settings import store_choice
    from ..storage.location import locate

    return locate(*store_choice(_db_from_context(click.get_current_context())))


def today():
    """Today for the answers, or FACTS_TODAY."""
    from ..settings import today

    return today()


def index_cache():
    """Where the derived index is kept, for a write to update it; None when FACTS_INDEX=never."""
    from ..settings import cache_directory, index_mode

    return None if index_mode() == "never" else cache_directory()


def load_store(path):
    """The store at path, loaded as the environment says (FACTS_INDEX, FACTS_CACHE_DIR)."""
    from ..settings import cache_directory, index_mode
    from ..storage.loading import load

    return load(path, index_mode(), cache_directory())


def open_store():
    """The store named by --db, FACTS_DB or the bundled one, loaded and validated; in a batch,
    loaded once and kept until its file changes; for the command facts ask runs, the one ask read."""
    from ..storage.jsonfile import file_version

    path = store_location()
    ctx = click.get_current_context()
    asked = ctx.meta.get("facts.asked")
    if asked is not None and asked[0] == path:
        return asked[1]
    batch = ctx.find_object(Batch)
    if batch is None:
        return load_store(path)
    version = file_version(path)
    if batch.stores.get(path, (None,))[0] != version:
        batch.stores[path] = (version, load_store(path))
    return batch.stores[path][1]


def errors_as_messages(fn):
    """Turn the core's errors into one line on stderr and exit 1, never a traceback;
    a refused change lists each of its problems above that line."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from ..core.errors import FactsError, UsageError

        try:
            return fn(*args, **kwargs)
        except UsageError as error:
            raise OneLineUsageError(str(error)) from None
        except FactsError as error:
            for problem in error.problems:
                say(f"  - {problem}", err=True)
            hint = f"; did you mean: {', '.join(error.suggestions)}?" if error.suggestions else ""
            raise click.ClickException(f"{error}{hint}") from None

    return wrapper


def requested_limit(default=None):
    """--limit of this command, else default: for a question that can leave out what will not
    be shown rather than find it and drop it."""
    return click.get_current_context().meta.get("facts.output", {}).get("limit") or default


def answer(result, fmt):
    """Notes to stderr (so stdout stays parseable), the answer to stdout: the first --limit
    results, with only the --fields asked for. In a batch, the answer goes to the batch instead."""
    from ..output.documents import documents
    from ..output.formats import emit
    from ..output.schema import keys

    ctx = click.get_current_context()
    output = ctx.meta.get("facts.output", {})
    fields, limit = output.get("fields"), output.get("limit")
    if fields is not None:
        valid = keys(result.view)
        unknown = [name for name in fields if name not in valid]
        if unknown or not fields:
            raise click.UsageError(
                f"--fields: no key {', '.join(map(repr, unknown)) or 'given'} for facts {result.view};"
                f" keys: {', '.join(valid)}"
            )
    notes = list(result.notes)
    if limit is not None and len(result.hits) > limit:
        notes.append(f"{len(result.hits) - limit} more not shown (--limit {limit}).")
        result = result._replace(hits=result.hits[:limit])
    batch = ctx.find_object(Batch)
    if batch is not None:
        batch.answer, batch.notes = documents(result, fields), [message_text(note) for note in notes]
        return
    no_pager = output.get("no_pager", False) or ctx.meta.get("facts.no_pager", False)
    pager = pager_command(no_pager) if fmt == "text" else None
    text = None
    if pager is not None:
        from ..output.terminal import text_for_terminal

        text = text_for_terminal(result, fields)
    if text is not None and text.count("\n") >= terminal_rows():
        # Paged, the notes go first in the pager: on stderr the pager's screen would hide them.
        page("".join(message_text(note) + "\n" for note in notes) + text, pager)
        return
    for note in notes:
        say(note, err=True)
    if text is None:
        emit(result, fmt, raw_cells=output.get("raw_cells", False), fields=fields)
    else:
        click.echo(text, nl=False)


class Batch:
    """One request of facts batch: the stores the batch has loaded (by path, kept until the
    file changes), the store the batch was given (--db before batch), what decides whether the
    parsed request may run (gate: a context to a refusal or None), and where the request's
    answer and notes go instead of stdout and stderr."""

    def __init__(self, stores, db=None, gate=None):
        self.stores = stores
        self.db = db
        self.gate = gate
        self.answer = None
        self.notes = []


class SourceOrFile(click.ParamType):
    """A source id of the store, or the path of a text file when a file of that name is there."""

    name = "source"

    def names_file(self, value):
        """Whether value is read as a file (what facts batch --allow-files governs)."""
        from ..curation.locate import is_source_file

        return is_source_file(value)


_BASH_SPECIAL = r"[^\w@%+=:,./-]"  # compiled by re when a completion needs it


def complete_from_store(what):
    def complete(ctx, param, incomplete):
        from ..answers.listing import values_for_completion
        from ..core.errors import FactsError
        from ..core.text import fold_for_matching as fold
        from ..settings import store_choice

        try:
            store = load_store(store_choice(ctx.meta.get("facts.db"))[0])
        except FactsError:
            return []
        values = [v for v in values_for_completion(store, what) if fold(v).startswith(fold(incomplete))]
        if os.environ.get("_FACTS_COMPLETE", "").startswith("bash"):
            # bash puts a completion in the command line as it is: a space would split it into
            # two arguments and an apostrophe would open a quote, so each is escaped with a
            # backslash, doubled because click's bash script reads the value with `read`, which
            # takes one backslash away. zsh and fish quote completions themselves.
            values = [re.sub(_BASH_SPECIAL, r"\\\\\g<0>", value) for value in values]
        return values

    return complete


def dry_run_option(fn):
    """--dry-run, on every command that writes."""
    return click.option("--dry-run", is_flag=True, help="Print what would be written; change nothing.")(fn)


def _needed(ctx, param, value):
    if value is None:
        raise OneLineUsageError(
            f"facts {ctx.info_name} needs the folder of source texts: give --sources DIR or set FACTS_SOURCES"
        )
    return value


def sources_option(help, required=False):
    """--sources DIR, or FACTS_SOURCES: the folder of source texts; required says a command cannot do without."""
    return click.option(
        "--sources",
        "sources_dir",
        envvar="FACTS_SOURCES",
        type=click.Path(exists=True, file_okay=False),
        callback=_needed if required else None,
        help=f"{help} (or set FACTS_SOURCES).",
    )


def curation_options(fn):
    """--dry-run and --sources DIR, shared by the commands that write quotes or source files."""
    fn = sources_option(
        "Folder of source texts: new or changed quotes must be found there, and are anchored"
    )(fn)
    return dry_run_option(fn)
