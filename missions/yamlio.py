"""Safe YAML/JSON reading that remembers line numbers and refuses hostile input.

The data is built straight from the parser's event stream (libyaml's when PyYAML has it), without
composing a node graph first, and every limit is checked on that stream as it goes:

* Only plain data: mappings, sequences, text, whole numbers, finite decimal numbers, booleans and
  null. Timestamps and sexagesimal numbers stay text (``2015-11-20T03:00:00Z`` and ``1:30``; the
  mission parser reads them itself).
* Explicit tags other than the standard ones (``!!str``, ``!!int``, ``!!float``, ``!!bool``,
  ``!!null``, ``!!seq``, ``!!map``) are refused, and so is a standard tag on a value it cannot
  hold (``!!float hello``).
* No aliases (``*a``): mission files never need them, and refusing them stops "billion laughs"
  alias bombs before anything is built.
* Caps: :data:`MAX_FILE_BYTES` (5 MB), :data:`MAX_DEPTH` nesting levels, :data:`MAX_EVENTS` parser
  events in all (every value, key and collection end counts; libyaml counts them in C before any
  Python object is made, so a 5 MB file of two million tiny items is refused in a fraction of a
  second), :data:`MAX_SCALAR_CHARS` characters in one value and :data:`MAX_NUMBER_CHARS` in one
  number (so a 4,301-digit integer is refused, not handed to ``int``).
* Mappings come back as :class:`LineDict` (a ``dict`` that knows the line of each key) and sequences
  as :class:`LineList` (a ``list`` that knows the line of each item), so later validation can say
  where a problem is.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import yaml

from .errors import MissionFileError
from .units import format_megabytes

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
#: parser events (values, keys, collection starts and ends) in one file; the largest mission the
#: parser accepts (5,000 sorties, 50,000 points) needs about 420,000
MAX_EVENTS = 600_000
#: characters in one text value (a name, a note, a description)
MAX_SCALAR_CHARS = 100_000
#: characters in one number as written (a count, a coordinate)
MAX_NUMBER_CHARS = 40
#: files smaller than this are not pre-counted by libyaml (the Python pass counts them anyway)
_PRECOUNT_BYTES = 256 * 1024

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _SEQ, _MAP = (
    _TAG + name for name in ("str", "int", "float", "bool", "null", "seq", "map")
)
_SCALAR_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL})
_BOOLS = {"yes": True, "no": False, "true": True, "false": False, "on": True, "off": False}

#: libyaml's parser when PyYAML was built with it (about 4x faster than the pure-Python one)
_FastLoader: type | None = getattr(yaml, "CSafeLoader", None)
#: libyaml's bare parser (None in a PyYAML without libyaml)
_CParser: type | None
try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # PyYAML without libyaml
    _CParser = None


class LineDict(dict[Any, Any]):
    """A mapping read from YAML: ``line`` is where it starts, ``lines[key]`` where each key is."""

    line: int | None = None
    lines: dict[Any, int]

    def line_of(self, key: Any) -> int | None:
        return getattr(self, "lines", {}).get(key, self.line)


class LineList(list[Any]):
    """A sequence read from YAML: ``line`` is where it starts, ``lines[i]`` where item ``i`` is."""

    line: int | None = None
    lines: list[int]

    def line_of(self, index: int) -> int | None:
        lines = getattr(self, "lines", [])
        return lines[index] if 0 <= index < len(lines) else self.line


def line_of(container: Any, key: Any) -> int | None:
    """Line of ``key`` inside a :class:`LineDict`/:class:`LineList`, or ``None`` for plain data."""
    finder = getattr(container, "line_of", None)
    return finder(key) if finder else None


def _implicit_resolvers() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """YAML 1.1's plain-scalar resolvers for bool and null, and ours for numbers (no sexagesimal)."""
    table: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = [(tag, regexp) for tag, regexp in resolvers if tag in (_BOOL, _NULL)]
        if kept and first is not None:
            table[first] = kept
    int_re = re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$")
    float_re = re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    )
    for first in "-+0123456789":
        table.setdefault(first, []).append((_INT, int_re))
    for first in "-+0123456789.":
        table.setdefault(first, []).append((_FLOAT, float_re))
    return table


_IMPLICIT = _implicit_resolvers()


def _resolve_plain(value: str) -> str:
    for tag, regexp in _IMPLICIT.get(value[:1], ()):
        if regexp.match(value):
            return tag
    return _STR


def _error(message: str, event: Any) -> MissionFileError:
    return MissionFileError(message, line=event.start_mark.line + 1)


def _short(value: str) -> str:
    return repr(value if len(value) <= 30 else value[:27] + "...")


def _int(text: str, event: Any) -> int:
    digits = text.replace("_", "")
    sign = -1 if digits[:1] == "-" else 1
    digits = digits.lstrip("-+")
    try:
        if digits == "0":
            return 0
        if digits.startswith("0b"):
            return sign * int(digits[2:], 2)
        if digits.startswith("0x"):
            return sign * int(digits[2:], 16)
        if digits.startswith("0"):
            return sign * int(digits, 8)
        return sign * int(digits)
    except ValueError:
        raise _error(f"{_short(text)} is tagged !!int but is not a whole number", event) from None


def _float(text: str, event: Any) -> float:
    try:
        value = float(text.replace("_", "").lower().replace(".inf", "inf").replace(".nan", "nan"))
    except ValueError:
        raise _error(f"{_short(text)} is tagged !!float but is not a number", event) from None
    if not math.isfinite(value):
        raise _error(f"{_short(text)} is not a finite number; mission files take finite numbers only", event)
    return value


def _scalar(event: Any) -> Any:
    """The value of a scalar event, by its tag (explicit, or resolved for plain scalars)."""
    text: str = event.value
    tag = event.tag
    if tag is None or tag == "!":
        tag = _resolve_plain(text) if tag is None and event.implicit[0] else _STR
    elif tag not in _SCALAR_TAGS:
        raise _error(f"YAML tag {tag.replace(_TAG, '!!')!r} is not allowed in mission files", event)
    if len(text) > MAX_SCALAR_CHARS:
        raise _error(f"a value of {len(text):,} characters; values are limited to {MAX_SCALAR_CHARS:,}", event)
    if tag == _STR:
        return text
    if tag in (_INT, _FLOAT) and len(text) > MAX_NUMBER_CHARS:
        raise _error(
            f"a number written with {len(text):,} characters; numbers are limited to {MAX_NUMBER_CHARS}", event
        )
    if tag == _INT:
        return _int(text, event)
    if tag == _FLOAT:
        return _float(text, event)
    if tag == _BOOL:
        if text.lower() not in _BOOLS:
            raise _error(f"{_short(text)} is tagged !!bool but is not true or false", event)
        return _BOOLS[text.lower()]
    if text not in ("", "~", "null", "Null", "NULL"):
        raise _error(f"{_short(text)} is tagged !!null but is not null", event)
    return None


_NO_KEY = object()


def _build(parser: Any) -> Any:
    """Plain data with line numbers from ``parser``'s events, checking every cap on the way.

    The hot loop dispatches on the event's exact class (no ``isinstance`` chains): about 1.5 µs per
    event on top of libyaml's own work.
    """
    stack: list[LineDict | LineList] = []
    top: Any = None  # the innermost open collection
    top_is_list = False
    pending: list[Any] = []  # per open mapping: the key waiting for its value, or _NO_KEY
    key_lines: list[int] = []
    root: Any = None
    documents = events = 0
    get_event = parser.get_event
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    map_start, seq_start, map_end, seq_end = (
        yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.MappingEndEvent, yaml.SequenceEndEvent
    )  # fmt: skip
    while True:
        event = get_event()
        events += 1
        if events > MAX_EVENTS:
            raise _error(f"more than {MAX_EVENTS:,} YAML values, keys and collections; split the file", event)
        cls = event.__class__
        value: Any
        if cls is scalar_event:
            if event.tag is None and not event.implicit[0] and len(event.value) <= MAX_SCALAR_CHARS:
                value = event.value  # quoted text
            elif event.tag is None and event.value[:1] not in _IMPLICIT and len(event.value) <= MAX_SCALAR_CHARS:
                value = event.value  # plain text that cannot be a number, bool or null
            else:
                value = _scalar(event)
        elif cls is map_end or cls is seq_end:
            stack.pop()
            if cls is map_end:
                pending.pop()
                key_lines.pop()
            if stack:
                top = stack[-1]
                top_is_list = top.__class__ is LineList
            continue
        elif cls is map_start or cls is seq_start:
            is_map = cls is map_start
            if event.tag not in (None, "!", _MAP if is_map else _SEQ):
                raise _error(f"YAML tag {event.tag.replace(_TAG, '!!')!r} is not allowed in mission files", event)
            if len(stack) >= MAX_DEPTH:
                raise _error(f"nesting deeper than {MAX_DEPTH} levels", event)
            value = LineDict() if is_map else LineList()
            value.line = event.start_mark.line + 1
            value.lines = {} if is_map else []
        elif cls is alias_event:
            raise _error("YAML aliases (*name) are not allowed in mission files; write the value out", event)
        elif cls is yaml.StreamEndEvent:
            return root
        elif cls is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _error("more than one YAML document (---) in a mission file", event)
            continue
        else:
            continue  # stream start, document end
        if top is None:
            root = value
        elif top_is_list:
            top.append(value)
            top.lines.append(event.start_mark.line + 1)
        elif pending[-1] is _NO_KEY:
            if value.__class__ is LineDict or value.__class__ is LineList:
                raise _error("a mapping key must be plain text", event)
            if value in top:
                raise _error(f"key {value!r} appears twice", event)
            pending[-1] = value
            key_lines[-1] = event.start_mark.line + 1
        else:
            key = pending[-1]
            top[key] = value
            top.lines[key] = key_lines[-1]
            pending[-1] = _NO_KEY
        if value.__class__ is LineDict:
            stack.append(value)
            pending.append(_NO_KEY)
            key_lines.append(0)
            top, top_is_list = value, False
        elif value.__class__ is LineList:
            stack.append(value)
            top, top_is_list = value, True


#: more unclosed ``[`` or ``{`` than this anywhere in a file (quoted or not) refuse it before libyaml
#: sees it: libyaml's parser checks every open flow level at every token, so a file of a million
#: nested ``[`` takes hours in C (40,000 of them already take seconds); no mission file comes near
_MAX_OPEN_BRACKETS = 1_000


def _check_brackets(text: str) -> None:
    """Refuse deep flow nesting (``[[[[...``) by counting brackets in NumPy, before any parsing."""
    if text.count("[") + text.count("{") <= _MAX_OPEN_BRACKETS:
        return
    codes = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    step = (codes == ord("[")).astype(np.int32) + (codes == ord("{"))
    step -= (codes == ord("]")).astype(np.int32) + (codes == ord("}"))
    depth = np.cumsum(step, dtype=np.int64)
    deepest = int(depth.max()) if depth.size else 0
    if deepest > _MAX_OPEN_BRACKETS:
        line = int(np.count_nonzero(codes[: int(np.argmax(depth))] == ord("\n"))) + 1
        raise MissionFileError(f"{deepest:,} unclosed [ or {{; nesting is limited to {MAX_DEPTH} levels", line=line)


def _precount(text: str) -> None:
    """Refuse a file of too many events, counted by libyaml in C before any Python object is made."""
    if _CParser is None:
        return
    count = _CParser(text).raw_parse()
    if count > MAX_EVENTS:
        raise MissionFileError(
            f"{count:,} YAML values, keys and collections; mission files are limited to {MAX_EVENTS:,}"
        )


def parse_yaml(text: str | bytes, *, file: str | None = None) -> Any:
    """Parse YAML (or JSON, which is read as YAML) text into plain data with line numbers.

    Raises :class:`MissionFileError` with the file and line for malformed, oversized or hostile text.
    """
    size = len(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    if size > MAX_FILE_BYTES:
        raise MissionFileError(
            f"file is {format_megabytes(size, 1)}; mission files are limited to {format_megabytes(MAX_FILE_BYTES, 0)}",
            file=file,
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            bad = exc.object[exc.start]
            raise MissionFileError(
                f"not UTF-8 text (byte {exc.start} is 0x{bad:02x}); save the mission file as UTF-8", file=file
            ) from None
    parser = None
    try:
        _check_brackets(text)
        if size > _PRECOUNT_BYTES:
            _precount(text)
        parser = (_FastLoader or yaml.SafeLoader)(text)
        return _build(parser)
    except MissionFileError as exc:
        raise exc.with_location(file=file) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed YAML"
        if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
            problem += " (a tab: YAML indents with spaces)"  # libyaml's C reader leaves the character out
        raise MissionFileError(
            f"malformed YAML/JSON: {problem}", file=file, line=(mark.line + 1) if mark else None
        ) from None
    except yaml.YAMLError as exc:
        raise MissionFileError(f"malformed YAML/JSON: {exc}", file=file) from None
    finally:
        if parser is not None:
            parser.dispose()


def _char_at(text: str, line: int, column: int) -> str:
    """The character at 0-based ``line`` and ``column`` of ``text`` ("" past its end)."""
    lines = text.split("\n", line + 1)
    return lines[line][column : column + 1] if line < len(lines) else ""
