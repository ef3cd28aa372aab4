"""argparse with the command line's rule for bad input: one line naming the problem, exit status 2.

argparse prints its whole usage block before an error; :class:`OneLineParser` prints only
``error: <command>: <problem>``, with a suggestion where one is close (a misspelt option, command or
choice), and exits with status 2 as argparse does. ``--help`` is unchanged.

>>> suggestion("--untis", ["--units", "--json"]), suggestion("--zzz", ["--units"])
(' (did you mean --units?)', '')
"""

from __future__ import annotations

import argparse
import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

#: argparse's wording of a bad choice: ``invalid choice: 'x' (choose from 'a', 'b')``
_INVALID_CHOICE = re.compile(r"invalid choice: '(?P<value>[^']*)' \(choose from (?P<choices>.*)\)$")


def suggestion(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean X?)`` for the candidate closest to ``word``, or ``""`` if none is close."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


class OneLineParser(argparse.ArgumentParser):
    """An :class:`argparse.ArgumentParser` (and its subcommands' parsers) whose errors are one line."""

    def error(self, message: str) -> NoReturn:
        found = _INVALID_CHOICE.search(message)
        if found is not None:
            choices = re.findall(r"'([^']*)'", found["choices"])
            close = difflib.get_close_matches(found["value"], choices, n=1, cutoff=0.5)
            if close:
                message = message.replace(" (choose from", f" (did you mean '{close[0]}'? choose from", 1)
        commands = self._commands()
        if commands is not None and message.endswith(f"required: {commands.dest}"):
            message = f"a command is required: {', '.join(commands.choices)}"
        self.exit(2, f"error: {self.prog}: {message}\n")

    def parse_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:  # type: ignore[override]
        """As argparse's, but arguments left over are named with the options of the command they follow."""
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            command = self._command_parser(parsed) or self
            options = [s for a in command._actions for s in a.option_strings if s.startswith("--")]
            flag = next((e.split("=", 1)[0] for e in extras if e.startswith("-")), None)
            hint = suggestion(flag, options) if flag else ""
            command.error(f"unrecognized arguments: {' '.join(extras)}{hint}")
        return parsed

    def _commands(self) -> argparse._SubParsersAction[argparse.ArgumentParser] | None:
        return next((a for a in self._actions if isinstance(a, argparse._SubParsersAction)), None)

    def _command_parser(self, parsed: Any) -> argparse.ArgumentParser | None:
        """The parser of the subcommand ``parsed`` chose (None without subcommands)."""
        commands = self._commands()
        chosen = getattr(parsed, commands.dest or "", None) if commands is not None else None
        return commands.choices.get(chosen) if commands is not None and chosen is not None else None


def number_in(low: float, high: float, what: str, *, integer: bool = False) -> Any:
    """An argparse ``type``: a finite number above ``low`` and at most ``high`` (``what`` names the unit).

    ``track --gap nan`` and ``--gap 1e308`` ended in a traceback, ``places --limit 0`` said that no place
    matches; argparse prints ``argument --gap: must be ...`` as the command's one error line.

    >>> number_in(0, 60, "minutes")("10"), number_in(0, 10, "matches", integer=True)("3")
    (10.0, 3)
    """

    def convert(text: str) -> float | int:
        value: float | int = int(text) if integer else float(text)  # a ValueError: "invalid float value: 'abc'"
        if not (low < value <= high):  # False for nan
            raise argparse.ArgumentTypeError(f"must be above {low:g} and at most {high:,g} {what}, not {text}")
        return value

    convert.__name__ = "int" if integer else "float"  # argparse names the type in "invalid float value"
    return convert
