"""The package's own error types.

Every error that comes from user input carries where it was found (file, line, field) so the CLI
and the dashboard can print it as one clear line: ``file:line: field: problem (did you mean ...?)``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: a quoted value longer than this is cut in messages; a whole line longer than MAX_LINE_CHARS too
MAX_QUOTED_CHARS = 60
MAX_LINE_CHARS = 600
#: problems listed one per line at most (a file of 6,000 unknown places gets 20 lines and a count)
MAX_LINES = 20
_LONG_QUOTED = re.compile(rf"(['\"])([^'\"\n]{{{MAX_QUOTED_CHARS + 1},}})\1")


def _shorten(text: str) -> str:
    """One line of reasonable length: long quoted values and an over-long line cut with '...'."""
    text = _LONG_QUOTED.sub(lambda m: f"{m[1]}{m[2][: MAX_QUOTED_CHARS - 3]}...{m[1]}", text)
    if len(text) > MAX_LINE_CHARS:
        text = text[: MAX_LINE_CHARS - 120] + " ... " + text[-115:]
    return text


class MissionError(Exception):
    """Bad mission input: a file, line and field that can be named, and the problem.

    Parameters
    ----------
    message:
        The problem, in one sentence, without location.
    file:
        The file name (or a label such as ``<upload>``), if known.
    line:
        1-based line number in the file, if known.
    field:
        Dotted path of the field, e.g. ``sorties[0].route[2]``.
    suggestions:
        Close matches to offer ("did you mean ...?").
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        suggestions: Sequence[str] = (),
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        self.suggestions = tuple(suggestions)
        super().__init__(self.one_line())

    def with_location(
        self, *, file: str | None = None, line: int | None = None, field: str | None = None
    ) -> MissionError:
        """A copy of this error with missing location parts filled in (existing ones win)."""
        return type(self)(
            self.message,
            file=self.file or file,
            line=self.line or line,
            field=self.field or field,
            suggestions=self.suggestions,
        )

    def one_line(self) -> str:
        """``file:line: field: message (did you mean 'a', 'b' or 'c'?)`` with the known parts."""
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        elif self.line:
            where = f"line {self.line}: "
        field = f"{self.field}: " if self.field else ""
        text = f"{where}{field}{self.message}"
        if self.suggestions:
            quoted = [f"'{s}'" for s in self.suggestions]
            alts = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
            text += f" (did you mean {alts}?)"
        return _shorten(" ".join(text.split("\n")))

    def lines(self) -> list[str]:
        """The problem as lines to print: one for a single problem (see :class:`CombinedMissionError`)."""
        return [self.one_line()]


class CombinedMissionError(MissionError):
    """Several problems found in one pass over a file (every unknown place): one line each.

    ``errors`` holds them in file order; the attributes of the first are this error's own.
    """

    errors: tuple[MissionError, ...]

    def __init__(self, errors: Sequence[MissionError]) -> None:
        if not errors:
            raise ValueError("CombinedMissionError needs at least one error")
        flat: list[MissionError] = []
        for err in errors:
            flat.extend(err.errors if isinstance(err, CombinedMissionError) else (err,))
        self.errors = tuple(flat)
        first = self.errors[0]
        super().__init__(first.message, file=first.file, line=first.line, field=first.field,
                         suggestions=first.suggestions)  # fmt: skip

    def with_location(
        self, *, file: str | None = None, line: int | None = None, field: str | None = None
    ) -> MissionError:
        """Each error with its missing location parts filled in."""
        return CombinedMissionError([e.with_location(file=file, line=line, field=field) for e in self.errors])

    def one_line(self) -> str:
        """The problems on one line, separated by ``; `` (where only one line fits), at most 600 characters."""
        return _shorten("; ".join(e.one_line() for e in self.errors[:MAX_LINES]))

    def lines(self) -> list[str]:
        """One line per problem, at most :data:`MAX_LINES` of them, then how many more there are."""
        lines = [e.one_line() for e in self.errors[:MAX_LINES]]
        if len(self.errors) > MAX_LINES:
            from .units import format_count  # units imports this module

            more = format_count(len(self.errors) - MAX_LINES, "more problem")
            lines.append(f"... and {more} of the same kind")
        return lines


class MissionFileError(MissionError):
    """The file itself cannot be read: too large, not YAML/JSON, hostile structure."""


class PlaceError(MissionError):
    """A waypoint names a place the gazetteer does not know, or coordinates are impossible."""


class UnitError(MissionError):
    """A speed, distance or duration that cannot be read or is out of physical bounds."""


class CatalogError(MissionError):
    """An aircraft or weapon type that the performance catalogue lacks."""
