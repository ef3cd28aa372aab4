"""Reading the performance catalogue: pure parsers over the loaded YAML, and thin file loaders.

The parsers (:func:`parse_aircraft_catalog`, :func:`parse_weapons_catalog`) are pure functions over
the loaded YAML data; the loaders only read the file, call the parser and add the line number of a
bad field to the error.
"""

from __future__ import annotations

import contextlib
import difflib
import enum
import functools
import hashlib
import logging
import math
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import yaml

from geodata.names import normalize_name
from missions.checkedcache import Damaged, cache_dir, json_exact, load_json, prune_stale, save_json
from missions.errors import CatalogError, MissionFileError

from .model import (
    AIRCRAFT_FIGURES,
    WEAPON_FIGURES,
    Aircraft,
    Figure,
    Role,
    Source,
    Weapon,
    WeaponKind,
)

_log = logging.getLogger(__name__)

CATALOG_DIR = Path(__file__).resolve().parent.parent / "catalog" / "performance"
AIRCRAFT_CATALOG_PATH = CATALOG_DIR / "aircraft.yaml"
WEAPONS_CATALOG_PATH = CATALOG_DIR / "weapons.yaml"


# --------------------------------------------------------------------------------------------
# Parsing (pure)
# --------------------------------------------------------------------------------------------

_FIGURE_KEYS = frozenset({"value", "min", "max", "sources", "note", "condition", "derived"})
_SOURCE_KEYS = frozenset({"title", "url", "value", "min", "max", "note"})
_AIRCRAFT_KEYS = frozenset({"aliases", "role", "notes", *AIRCRAFT_FIGURES})
_WEAPON_KEYS = frozenset({"aliases", "kind", "launch_platforms", "notes", *WEAPON_FIGURES})
E = TypeVar("E", Aircraft, Weapon)
_TOP_KEYS = {"aircraft": frozenset({"aircraft", "about"}), "weapons": frozenset({"weapons", "about"})}


def _fail(message: str, file: str | None, field: str) -> CatalogError:
    return CatalogError(message, file=file, field=field)


def _number(raw: Any, file: str | None, field: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise _fail(f"expected a number, got {raw!r}", file, field)
    value = float(raw)
    if not math.isfinite(value) or value < 0:
        raise _fail(f"expected a finite non-negative number, got {raw!r}", file, field)
    return value


def _text(raw: Any, file: str | None, field: str, *, optional: bool = False) -> str | None:
    if raw is None and optional:
        return None
    if not isinstance(raw, str) or not raw.strip():
        raise _fail(f"expected non-empty text, got {raw!r}", file, field)
    return raw.strip()


_E = TypeVar("_E", bound=enum.StrEnum)


def _word(vocabulary: type[_E], raw: Any, file: str | None, field: str) -> _E:
    """``raw`` as a word of ``vocabulary`` (``Role``, ``WeaponKind``), or one line naming the words."""
    word = str(_text(raw, file, field))
    words = [v.value for v in vocabulary]
    if word not in words:
        raise CatalogError(
            f"{field.rsplit('.', 1)[-1]} must be one of {', '.join(words)}, got {word!r}",
            file=file,
            field=field,
            suggestions=difflib.get_close_matches(word, words, n=1),
        )
    return vocabulary(word)


def _mapping(raw: Any, file: str | None, field: str, allowed: frozenset[str]) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise _fail(f"expected a mapping, got {type(raw).__name__}", file, field)
    unknown = sorted(str(k) for k in raw if k not in allowed)
    if unknown:
        raise CatalogError(
            f"unknown key {unknown[0]!r}",
            file=file,
            field=f"{field}.{unknown[0]}" if field else unknown[0],
            suggestions=difflib.get_close_matches(unknown[0], sorted(allowed), n=3),
        )
    return raw


def _text_list(raw: Any, file: str | None, field: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _fail(f"expected a list of names, got {type(raw).__name__}", file, field)
    return tuple(str(_text(item, file, f"{field}[{i}]")) for i, item in enumerate(raw))


def _bounds(data: Mapping[str, Any], file: str | None, field: str) -> tuple[float, float] | None:
    """``value`` or ``min`` and ``max`` of a figure or source as ``(min, max)``; None if absent."""
    if "value" in data:
        if "min" in data or "max" in data:
            raise _fail("give either value or min and max, not both", file, field)
        value = _number(data["value"], file, f"{field}.value")
        return value, value
    if "min" in data and "max" in data:
        lo = _number(data["min"], file, f"{field}.min")
        hi = _number(data["max"], file, f"{field}.max")
        if lo > hi:
            raise _fail(f"min {lo:g} is greater than max {hi:g}", file, f"{field}.min")
        return lo, hi
    if "min" in data or "max" in data:
        raise _fail("give both min and max", file, field)
    return None


def parse_source(raw: Any, file: str | None = None, field: str = "source") -> Source:
    """A :class:`Source` from ``{title, url?, value? | min?, max?, note?}``."""
    data = _mapping(raw, file, field, _SOURCE_KEYS)
    bounds = _bounds(data, file, field)
    return Source(
        title=str(_text(data.get("title"), file, f"{field}.title")),
        url=_text(data.get("url"), file, f"{field}.url", optional=True),
        min=None if bounds is None else bounds[0],
        max=None if bounds is None else bounds[1],
        note=_text(data.get("note"), file, f"{field}.note", optional=True),
    )


def parse_figure(raw: Any, file: str | None = None, field: str = "figure") -> Figure | None:
    """A :class:`Figure` from ``{value | min, max, sources, note?, condition?, derived?}``.

    ``None`` (the YAML ``null``) means no source gives the figure and returns ``None``. What each
    source states (its ``value``, or its own ``min`` and ``max``) must lie between the figure's
    ``min`` and ``max``.

    Examples
    --------
    >>> f = parse_figure({"min": 920, "max": 925, "sources": [{"title": "a", "value": 925}]})
    >>> f.min, f.max, f.sources[0].max
    (920.0, 925.0, 925.0)
    """
    if raw is None:
        return None
    data = _mapping(raw, file, field, _FIGURE_KEYS)
    bounds = _bounds(data, file, field)
    if bounds is None:
        raise _fail("a figure needs value, or min and max", file, field)
    lo, hi = bounds
    raw_sources = data.get("sources")
    if not isinstance(raw_sources, list) or not raw_sources:
        raise _fail("a figure needs a non-empty list of sources", file, f"{field}.sources")
    sources = tuple(parse_source(s, file, f"{field}.sources[{i}]") for i, s in enumerate(raw_sources))
    for i, source in enumerate(sources):
        if source.min is None or source.max is None or lo <= source.min <= source.max <= hi:
            continue
        stated = f"{source.min:g}" + (f"–{source.max:g}" if source.max > source.min else "")
        key = "value" if "value" in raw_sources[i] else "min"
        raise _fail(f"source value {stated} lies outside {lo:g}–{hi:g}", file, f"{field}.sources[{i}].{key}")
    return Figure(
        min=lo,
        max=hi,
        sources=sources,
        note=_text(data.get("note"), file, f"{field}.note", optional=True),
        condition=_text(data.get("condition"), file, f"{field}.condition", optional=True),
        derived=_text(data.get("derived"), file, f"{field}.derived", optional=True),
    )


def _figure_kwargs(
    data: Mapping[str, Any], names: tuple[str, ...], file: str | None, field: str
) -> dict[str, Figure | None]:
    return {name: parse_figure(data.get(name), file, f"{field}.{name}") for name in names}


def _entries(data: Any, kind: str, file: str | None) -> Iterator[tuple[str, Mapping[str, Any], str]]:
    top = _mapping(data, file, "", _TOP_KEYS[kind]) if data is not None else {}
    entries = top.get(kind)
    if not isinstance(entries, Mapping) or not entries:
        raise _fail(f"expected a non-empty mapping '{kind}:' of names to entries", file, kind)
    for name, entry in entries.items():
        field = f"{kind}.{name}"
        yield str(_text(name, file, field)), entry, field


def _parse_catalog(
    data: Any,
    file: str | None,
    kind: str,
    cls: type[E],
    keys: frozenset[str],
    figures: tuple[str, ...],
    own_fields: Callable[[Mapping[str, Any], str], dict[str, Any]],
) -> dict[str, E]:
    """Entries by name: the fields every entry has, ``own_fields(entry, field)`` and the figures."""
    catalog: dict[str, E] = {}
    for name, raw, field in _entries(data, kind, file):
        entry = _mapping(raw, file, field, keys)
        aliases = _text_list(entry.get("aliases"), file, f"{field}.aliases")
        own = own_fields(entry, field)
        notes = _text(entry.get("notes"), file, f"{field}.notes", optional=True)
        values: dict[str, Any] = {**own, **_figure_kwargs(entry, figures, file, field)}
        catalog[name] = cls(name=name, aliases=aliases, notes=notes, **values)
    _check_names_unique(catalog, kind, file)
    return catalog


def parse_aircraft_catalog(data: Any, file: str | None = None) -> dict[str, Aircraft]:
    """Aircraft by name from the loaded ``aircraft.yaml`` data (``{"aircraft": {name: entry}}``).

    Raises
    ------
    CatalogError
        A malformed entry, with ``file`` and the dotted ``field`` of the problem.
    """

    def own_fields(entry: Mapping[str, Any], field: str) -> dict[str, Any]:
        return {"role": _word(Role, entry.get("role"), file, f"{field}.role")}

    return _parse_catalog(data, file, "aircraft", Aircraft, _AIRCRAFT_KEYS, AIRCRAFT_FIGURES, own_fields)


def parse_weapons_catalog(data: Any, file: str | None = None) -> dict[str, Weapon]:
    """Weapons by name from the loaded ``weapons.yaml`` data (``{"weapons": {name: entry}}``).

    Raises
    ------
    CatalogError
        A malformed entry, with ``file`` and the dotted ``field`` of the problem.
    """

    def own_fields(entry: Mapping[str, Any], field: str) -> dict[str, Any]:
        return {
            "kind": _word(WeaponKind, entry.get("kind"), file, f"{field}.kind"),
            "launch_platforms": _text_list(entry.get("launch_platforms"), file, f"{field}.launch_platforms"),
        }

    return _parse_catalog(data, file, "weapons", Weapon, _WEAPON_KEYS, WEAPON_FIGURES, own_fields)


def _check_names_unique(catalog: Mapping[str, Aircraft] | Mapping[str, Weapon], kind: str, file: str | None) -> None:
    owner: dict[str, str] = {}
    for entry in catalog.values():
        for label in (entry.name, *entry.aliases):
            key = normalize_name(label)
            if not key:
                raise _fail(f"name {label!r} has no letters or digits", file, f"{kind}.{entry.name}")
            other = owner.setdefault(key, entry.name)
            if other != entry.name:
                raise _fail(
                    f"{label!r} names both {other!r} and {entry.name!r}",
                    file,
                    f"{kind}.{entry.name}.aliases",
                )


# --------------------------------------------------------------------------------------------
# Loading (thin wrappers)
# --------------------------------------------------------------------------------------------

T = TypeVar("T")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: bump when what the YAML loader returns changes, so that stale parsed caches are not used
_PARSED_FORMAT = 1


def _parsed_yaml(text: str, path: Path) -> Any:
    """The YAML data of a catalogue file, from a checked disk cache when its text is unchanged.

    The parsed data of the packaged catalogues is kept as JSON (``catalogue-<name>-<sha>.json`` in
    the cache directory of :func:`~missions.checkedcache.cache_dir`, named by the SHA-256 of the
    text it came from): reading it costs ~1 ms instead of ~15 ms of YAML. A damaged or altered cache
    is never used: the YAML is parsed, the cache rewritten and one line on stderr says so. Data JSON
    cannot hold exactly is never cached; a read-only cache directory only costs the speed.
    """
    packaged = path in (AIRCRAFT_CATALOG_PATH, WEAPONS_CATALOG_PATH)
    text_sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    source = f"{path.name} sha256:{text_sha} yaml:{_YAML_LOADER.__name__} format:{_PARSED_FORMAT}"
    cache = cache_dir() / f"catalogue-{path.stem}-{text_sha[:16]}.json"
    if packaged:
        cached = load_json(cache, source=source)
        if isinstance(cached, Damaged):
            _log.warning("note: the catalogue cache %s was not used (%s); rewriting it", cache, cached.reason)
        elif cached is not None:
            return cached
    data = yaml.load(text, Loader=_YAML_LOADER)  # C parser when built: 4× faster
    if packaged and json_exact(data):
        with contextlib.suppress(OSError):
            save_json(cache, data, source=source)
            # the files of other versions of this catalogue (and of the unversioned name used before)
            prune_stale(cache, f"catalogue-{path.stem}.json", f"catalogue-{path.stem}-????????????????.json")
    return data


def _load(path: Path, parse: Callable[[Any, str | None], T]) -> T:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MissionFileError(f"cannot read the catalogue: {exc.strerror}", file=str(path)) from exc
    try:
        data = _parsed_yaml(text, path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise MissionFileError(
            f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
            file=str(path),
            line=mark.line + 1 if mark is not None else None,
        ) from exc
    try:
        return parse(data, str(path))
    except CatalogError as exc:
        line = _field_lines(text).get(exc.field or "")
        raise exc.with_location(line=line) from None


def _field_lines(text: str) -> dict[str, int]:
    """1-based line of every mapping key and list item, by the dotted field path the parsers use."""
    lines: dict[str, int] = {}

    def walk(node: yaml.Node, path: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = f"{path}.{key.value}" if path else str(key.value)
                lines[sub] = key.start_mark.line + 1
                walk(value, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                sub = f"{path}[{i}]"
                lines[sub] = item.start_mark.line + 1
                walk(item, sub)

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is not None:
        walk(root, "")
    return lines


@functools.lru_cache(maxsize=8)
def _load_aircraft(path: Path) -> Mapping[str, Aircraft]:
    return MappingProxyType(_load(path, parse_aircraft_catalog))


@functools.lru_cache(maxsize=8)
def _load_weapons(path: Path) -> Mapping[str, Weapon]:
    return MappingProxyType(_load(path, parse_weapons_catalog))


def load_aircraft_catalog(path: str | Path | None = None) -> Mapping[str, Aircraft]:
    """The aircraft catalogue from ``path`` (default: the packaged ``catalog/performance/aircraft.yaml``).

    Cached per path; the mapping is read-only.
    """
    return _load_aircraft(Path(path).resolve() if path is not None else AIRCRAFT_CATALOG_PATH)


def load_weapons_catalog(path: str | Path | None = None) -> Mapping[str, Weapon]:
    """The weapons catalogue from ``path`` (default: the packaged ``catalog/performance/weapons.yaml``).

    Cached per path; the mapping is read-only.
    """
    return _load_weapons(Path(path).resolve() if path is not None else WEAPONS_CATALOG_PATH)
