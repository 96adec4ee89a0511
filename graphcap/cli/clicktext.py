"""Click's own words and every ``--help`` text in the command line's language.

Two kinds of text reach a user through click, and neither is known in German when it is made:

* **click's own messages** ("No such option", "Missing argument", "Usage:", "Options",
  "Show this message and exit.", "default: …"). Click looks them up with the standard
  library's ``gettext.gettext``/``ngettext``, bound by name in each of its modules.
  :func:`install` binds those names to a lookup in graphcap's catalogue instead (click's
  English msgids, translated in ``h15c.po``). In English the lookup *is* the standard
  library's, so English output does not change by a byte.
* **graphcap's help texts** (each command's docstring, each option's ``help=``, the command
  list, the exit codes). They are defined when a module is imported, before ``--lang`` is
  read, so they stay English in the code and are translated when the help is *written*: every
  command is a :class:`HelpCommand` (groups :class:`HelpGroup`), whose context writes with a
  :class:`HelpFormatter` that looks each paragraph and each definition text up in the
  catalogue (keyed by the English text). A group shortens its commands' help only after
  translating it.

>>> from graphcap.i18n import use_language
>>> with use_language("de"):
...     click_gettext("Show this message and exit.")
'Diese Hilfe zeigen und beenden.'
>>> click_gettext("Show this message and exit.")
'Show this message and exit.'
"""

from __future__ import annotations

import copy
import gettext as _stdlib
import importlib
import inspect
from collections.abc import Iterable

import click

from graphcap.i18n import DEFAULT_LANGUAGE, catalogue, current_language

__all__ = [
    "CLICK_MODULES",
    "HelpCommand",
    "HelpContext",
    "HelpFormatter",
    "HelpGroup",
    "click_gettext",
    "click_ngettext",
    "help_pieces",
    "help_texts",
    "install",
    "translated_help",
]

#: click's modules that look their messages up with ``from gettext import gettext as _``.
CLICK_MODULES = (
    "core",
    "decorators",
    "exceptions",
    "formatting",
    "parser",
    "shell_completion",
    "termui",
    "types",
    "utils",
)


def click_gettext(message: str) -> str:
    """One of click's messages in the current language (English: as click has it)."""
    if current_language() == DEFAULT_LANGUAGE:
        return _stdlib.gettext(message)
    return catalogue(current_language()).gettext(message)


def click_ngettext(singular: str, plural: str, n: int) -> str:
    """One of click's counted messages in the current language (English: as click has it)."""
    if current_language() == DEFAULT_LANGUAGE:
        return _stdlib.ngettext(singular, plural, n)
    return catalogue(current_language()).ngettext(singular, plural, n)


def install() -> None:
    """Let click look its messages up through :func:`click_gettext` (idempotent). A module
    that binds other names (a future click) is left as it is: its messages stay English."""
    for name in CLICK_MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # pragma: no cover - every click 8 has these modules
            continue
        if getattr(module, "_", None) is _stdlib.gettext:
            module._ = click_gettext  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is _stdlib.ngettext:
            module.ngettext = click_ngettext  # type: ignore[attr-defined]


def translated_help(text: str) -> str:
    """A help text in the current language, paragraph by paragraph (see :func:`help_pieces`);
    the ``  [default: …; required]`` click adds to an option's help is already the
    language's. A piece without a translation stays as it is."""
    if current_language() == DEFAULT_LANGUAGE or not text:
        return text
    words = catalogue(current_language())
    head, sep, extra = text.rpartition("  [")
    if sep and head and text.endswith("]"):
        return translated_help(head) + sep + extra
    shown = []
    for paragraph in text.split("\n\n"):
        if paragraph.startswith("\b\n"):  # kept as written: a heading and example lines
            lines = paragraph.split("\n")
            shown.append("\n".join([lines[0], *(_line(words, line) for line in lines[1:])]))
            continue
        key = " ".join(paragraph.split())
        german = words.gettext(key)
        shown.append(paragraph if german == key else german)
    return "\n\n".join(shown)


def _line(words: _stdlib.NullTranslations, line: str) -> str:
    """A line of a kept (``\\b``) paragraph: a heading ("Examples:") is translated, an example
    command is not, but its ``# comment`` is."""
    if not line.startswith(" "):
        return words.gettext(line)
    command, sep, comment = line.partition("  # ")
    return command + sep + words.gettext(comment) if sep else line


def help_pieces(text: str) -> list[str]:
    """The catalogue keys of a help text: each paragraph with its line breaks joined (so a
    rewrapped docstring keeps its translation); in a kept (``\\b``) paragraph its heading and
    the examples' comments.

    >>> help_pieces("Run a query\\nagainst Neo4j.\\n\\n\\b\\nExamples:\\n  graphcap query  # all")
    ['Run a query against Neo4j.', 'Examples:', 'all']
    """
    pieces = []
    for paragraph in text.split("\n\n"):
        if paragraph.startswith("\b\n"):
            for line in paragraph.split("\n")[1:]:
                if not line.startswith(" "):
                    pieces.append(line)
                elif "  # " in line:
                    pieces.append(line.partition("  # ")[2])
        elif paragraph.strip():
            pieces.append(" ".join(paragraph.split()))
    return pieces


class HelpFormatter(click.HelpFormatter):
    """Writes help texts in the current language (see the module's notes)."""

    def write_text(self, text: str) -> None:
        super().write_text(translated_help(text))

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        shown = [(term, translated_help(text)) for term, text in rows]
        super().write_dl(shown, col_max=col_max, col_spacing=col_spacing)


class HelpContext(click.Context):
    """A context whose help is written by :class:`HelpFormatter`."""

    formatter_class = HelpFormatter


#: the help option's text as click writes it in English; click makes the option once per
#: command and keeps it, so it keeps this msgid and the formatter translates it when shown
HELP_OPTION_TEXT = "Show this message and exit."


def _help_option(option: click.Option | None) -> click.Option | None:
    if option is not None:
        option.help = HELP_OPTION_TEXT
    return option


class HelpCommand(click.Command):
    """A graphcap command: its help in the current language."""

    context_class = HelpContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _help_option(super().get_help_option(ctx))


class HelpGroup(click.Group):
    """A graphcap command group: its help and its commands' summaries in the current
    language (translated before click shortens them to the line)."""

    context_class = HelpContext
    command_class = HelpCommand

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _help_option(super().get_help_option(ctx))

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if current_language() == DEFAULT_LANGUAGE:
            super().format_commands(ctx, formatter)
            return
        commands = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
        shown = [(name, cmd) for name, cmd in commands if cmd is not None and not cmd.hidden]
        if not shown:
            return
        limit = formatter.width - 6 - max(len(name) for name, _cmd in shown)
        rows = [(name, _short_help(cmd, limit)) for name, cmd in shown]
        with formatter.section(click_gettext("Commands")):
            formatter.write_dl(rows)


def _short_help(cmd: click.Command, limit: int) -> str:
    """``cmd``'s one-line summary, translated first and then shortened by click's own rule
    (on a copy: the command itself is shared by every language)."""
    shown = copy.copy(cmd)
    if cmd.short_help:
        shown.short_help = translated_help(_cleaned(cmd.short_help))
    elif cmd.help:
        shown.help = translated_help(_cleaned(cmd.help))
    return shown.get_short_help_str(limit)


def _cleaned(text: str) -> str:
    return inspect.cleandoc(text).partition("\f")[0]


def help_texts(command: click.Command, ctx: click.Context | None = None) -> Iterable[str]:
    """Every help text of ``command`` and its subcommands, as the formatter looks them up
    (for the test that each has German)."""
    ctx = ctx or click.Context(command)
    if command.help:
        yield from help_pieces(_cleaned(command.help))
    if command.short_help:
        yield from help_pieces(_cleaned(command.short_help))
    for param in command.params:
        text = getattr(param, "help", None)
        if text:
            yield from help_pieces(str(text))
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None:
                yield from help_texts(sub, click.Context(sub, parent=ctx, info_name=name))
