"""Safe YAML/JSON reading that remembers line numbers and refuses hostile input.

* Only plain data: the safe constructors, with timestamps and sexagesimal numbers kept as text
  (``2015-11-20T03:00:00Z`` and ``1:30`` stay strings; the mission parser reads them itself).
* No aliases or anchors (``&a`` / ``*a``): mission files never need them, and refusing them stops
  "billion laughs" alias bombs at the parser, before anything is built.
* A size cap (5 MB) and a nesting cap (64 levels).
* Mappings come back as :class:`LineDict` (a ``dict`` that knows the line of each key) and sequences
  as :class:`LineList` (a ``list`` that knows the line of each item), so later validation can say
  where a problem is.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import ConstructorError

from .errors import MissionFileError

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping read from YAML: ``line`` is where it starts, ``lines[key]`` where each key is."""

    line: int | None = None
    lines: dict[Any, int]

    def line_of(self, key: Any) -> int | None:
        return getattr(self, "lines", {}).get(key, self.line)


class LineList(list):  # type: ignore[type-arg]
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


class _LineConstructors:
    """Mappings and sequences built as :class:`LineDict` / :class:`LineList` (for either loader)."""

    def construct_yaml_map(self, node):  # type: ignore[no-untyped-def]
        data = LineDict()
        data.line = node.start_mark.line + 1
        data.lines = {}
        yield data
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise MissionFileError("a mapping key must be plain text", line=key_node.start_mark.line + 1) from None
            if key in data:
                raise MissionFileError(f"key {key!r} appears twice", line=key_node.start_mark.line + 1)
            data[key] = self.construct_object(value_node, deep=True)
            data.lines[key] = key_node.start_mark.line + 1

    def construct_yaml_seq(self, node):  # type: ignore[no-untyped-def]
        data = LineList()
        data.line = node.start_mark.line + 1
        data.lines = [child.start_mark.line + 1 for child in node.value]
        yield data
        data.extend(self.construct_object(child, deep=True) for child in node.value)


class _Loader(_LineConstructors, yaml.SafeLoader):
    """SafeLoader without aliases, timestamps or sexagesimal ints, recording line numbers."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise MissionFileError(
                "YAML aliases (*name) are not allowed in mission files; write the value out",
                line=event.start_mark.line + 1,
            )
        self._depth = getattr(self, "_depth", 0) + 1
        if self._depth > MAX_DEPTH:
            raise MissionFileError(
                f"nesting deeper than {MAX_DEPTH} levels", line=self.peek_event().start_mark.line + 1
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


#: libyaml's parser when PyYAML was built with it (about 4x faster); aliases and depth are then
#: checked on its event stream first, since its composer is not ours
_FastLoader: type | None = None
if hasattr(yaml, "CSafeLoader"):

    class _FastLoader(_LineConstructors, yaml.CSafeLoader):  # type: ignore[no-redef]
        """CSafeLoader with the line-keeping constructors and the resolvers below."""


def _configure(loader: type) -> None:
    loader.add_constructor("tag:yaml.org,2002:map", _LineConstructors.construct_yaml_map)
    loader.add_constructor("tag:yaml.org,2002:seq", _LineConstructors.construct_yaml_seq)
    # keep timestamps as text; drop YAML 1.1 sexagesimal ints/floats (1:30 -> "1:30", not 90)
    loader.yaml_implicit_resolvers = {
        first: [
            (tag, regexp)
            for tag, regexp in resolvers
            if tag != "tag:yaml.org,2002:timestamp"
            and not (tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and regexp.match("1:30"))
        ]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:int",
        re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
        list("-+0123456789"),
    )
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(
            r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        list("-+0123456789."),
    )


for _loader in (_Loader, _FastLoader):
    if _loader is not None:
        _configure(_loader)


def _check_events(text: str) -> None:
    """Refuse aliases and deep nesting by reading libyaml's event stream (no node is built)."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise MissionFileError(
                "YAML aliases (*name) are not allowed in mission files; write the value out",
                line=event.start_mark.line + 1,
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise MissionFileError(f"nesting deeper than {MAX_DEPTH} levels", line=event.start_mark.line + 1)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def parse_yaml(text: str | bytes, *, file: str | None = None) -> Any:
    """Parse YAML (or JSON, which is read as YAML) text into plain data with line numbers.

    Raises :class:`MissionFileError` with the file and line for malformed, oversized or hostile text.
    """
    size = len(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    if size > MAX_FILE_BYTES:
        raise MissionFileError(
            f"file is {size / 1e6:.1f} MB; mission files are limited to {MAX_FILE_BYTES / 1e6:.0f} MB",
            file=file,
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise MissionFileError(f"not UTF-8 text (byte {exc.start})", file=file) from None
    loader = None
    try:
        if _FastLoader is not None:
            _check_events(text)
            loader = _FastLoader(text)
        else:
            loader = _Loader(text)
        return loader.get_single_data()
    except MissionFileError as exc:
        raise exc.with_location(file=file) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed YAML"
        if isinstance(exc, ConstructorError):
            problem = f"unsupported YAML ({problem})"
        raise MissionFileError(
            f"malformed YAML/JSON: {problem}", file=file, line=(mark.line + 1) if mark else None
        ) from None
    except yaml.YAMLError as exc:
        raise MissionFileError(f"malformed YAML/JSON: {exc}", file=file) from None
    except RecursionError:
        raise MissionFileError("nesting too deep", file=file) from None
    finally:
        if loader is not None:
            loader.dispose()
