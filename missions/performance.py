"""The performance catalogue: what aircraft and weapons can do, every figure with its sources.

The catalogue lives in two data files, ``catalog/performance/aircraft.yaml`` and
``catalog/performance/weapons.yaml``.
Each figure is a :class:`Figure`: a ``min``/``max`` interval (equal when the sources agree) and the
sources that give it. Where no source states a figure but it can be computed from sourced ones (a
cruise fuel burn from internal fuel and endurance), the figure says so in ``derived``. A figure that
no source gives is ``None``, and the entry's ``notes`` say so.

The parsers (:func:`parse_aircraft_catalog`, :func:`parse_weapons_catalog`) are pure functions over
the loaded YAML data; the loaders only read the file, call the parser and add the line number of a
bad field to the error. :func:`find_aircraft` and :func:`find_weapon` look a type up by name or alias
ignoring case, spaces, hyphens and diacritics; an unknown name raises
:class:`~missions.errors.CatalogError` with the closest names as suggestions.

Examples
--------
>>> tu160 = find_aircraft("blackjack")
>>> tu160.name, tu160.role
('Tu-160', 'bomber')
>>> tu160.max_speed_kmh.min <= tu160.max_speed_kmh.value <= tu160.max_speed_kmh.max
True
>>> find_weapon("3m-14").name
'Kalibr 3M-14'
>>> normalise_name("Tú 160-M")
'tu160m'
"""

from __future__ import annotations

import difflib
import functools
import math
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import yaml

from missions.errors import CatalogError, MissionFileError, UnitError
from missions.units import M_PER_KM, UNIT_LABEL, UNIT_M, UNIT_SPEED_LABEL, UNITS, text_table

CATALOG_DIR = Path(__file__).resolve().parent / "catalog" / "performance"
AIRCRAFT_CATALOG_PATH = CATALOG_DIR / "aircraft.yaml"
WEAPONS_CATALOG_PATH = CATALOG_DIR / "weapons.yaml"

ROLES = ("bomber", "fighter", "tanker")

# Display units for the tables (the one vocabulary of missions.units: km, nm, mi): distance unit,
# speed unit, and km per distance unit.
TABLE_UNITS: Mapping[str, tuple[str, str, float]] = {
    units: (UNIT_LABEL[units], UNIT_SPEED_LABEL[units], UNIT_M[units] / M_PER_KM) for units in UNITS
}

_MISSING = "—"


# --------------------------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where a figure comes from.

    Parameters
    ----------
    title:
        Page title or a short description that identifies it.
    url:
        Address of the page, if known.
    min, max:
        What this source states, in the figure's unit (after any conversion, which ``note`` then
        explains): equal for a single number, different when the source itself gives a range.
    note:
        What the source says exactly, a conversion, or a caveat.
    """

    title: str
    url: str | None = None
    min: float | None = None
    max: float | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise ValueError("a source needs a title")
        if (self.min is None) != (self.max is None):
            raise ValueError("give both min and max of a source, or neither")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"source min {self.min} is greater than max {self.max}")


@dataclass(frozen=True)
class Figure:
    """A sourced quantity: ``min`` to ``max`` in the unit its field name carries.

    Parameters
    ----------
    min, max:
        The smallest and largest value the sources give; equal when they agree.
    sources:
        At least one :class:`Source`.
    note:
        Anything the reader must know to use the figure.
    condition:
        What the figure assumes (the load for a range, the altitude for a speed).
    derived:
        How the figure was computed when no source states it; its ``sources`` are then those of
        the inputs.

    Examples
    --------
    >>> f = Figure(850.0, 960.0, (Source("a page"),))
    >>> f.value, f.is_range, f.format()
    (905.0, True, '850–960')
    """

    min: float
    max: float
    sources: tuple[Source, ...]
    note: str | None = None
    condition: str | None = None
    derived: str | None = None

    def __post_init__(self) -> None:
        if not (math.isfinite(self.min) and math.isfinite(self.max)):
            raise ValueError(f"figure bounds must be finite, got {self.min!r}, {self.max!r}")
        if self.min > self.max:
            raise ValueError(f"figure min {self.min} is greater than max {self.max}")
        if not self.sources:
            raise ValueError("a figure needs at least one source")

    @property
    def nominal(self) -> float:
        """The midpoint of ``min`` and ``max``."""
        return (self.min + self.max) / 2.0

    @property
    def value(self) -> float:
        """Same as :attr:`nominal`: the midpoint, the single value when the sources agree."""
        return self.nominal

    @property
    def is_range(self) -> bool:
        """True when the sources disagree (``min < max``)."""
        return self.min < self.max

    def format(self, per_unit: float = 1.0, decimals: int = 0) -> str:
        """``'850–960'`` or ``'2,220'``, after dividing by ``per_unit`` (for a change of unit)."""
        lo = f"{self.min / per_unit:,.{decimals}f}"
        hi = f"{self.max / per_unit:,.{decimals}f}"
        return lo if lo == hi else f"{lo}–{hi}"


@dataclass(frozen=True)
class Aircraft:
    """An aircraft type and what it can do. Figures no source gives are ``None``."""

    name: str
    aliases: tuple[str, ...]
    role: str
    cruise_speed_kmh: Figure | None
    max_speed_kmh: Figure | None
    max_mach: Figure | None
    unrefuelled_range_km: Figure | None
    combat_radius_km: Figure | None
    internal_fuel_kg: Figure | None
    cruise_burn_kg_per_h: Figure | None
    endurance_h: Figure | None
    offload_kg: Figure | None = None
    offload_distance_km: Figure | None = None
    notes: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, got {self.role!r}")

    def figures(self) -> dict[str, Figure]:
        """The figures that are known, by field name."""
        return _figures_of(self)


@dataclass(frozen=True)
class Weapon:
    """A weapon type: its reach and speed. Figures no source gives are ``None``."""

    name: str
    aliases: tuple[str, ...]
    kind: str
    launch_platforms: tuple[str, ...]
    range_km: Figure | None
    speed_kmh: Figure | None
    mach: Figure | None
    notes: str | None = None

    def figures(self) -> dict[str, Figure]:
        """The figures that are known, by field name."""
        return _figures_of(self)


def _figures_of(entry: Aircraft | Weapon) -> dict[str, Figure]:
    return {f.name: v for f in fields(entry) if isinstance(v := getattr(entry, f.name), Figure)}


AIRCRAFT_FIGURES = tuple(f.name for f in fields(Aircraft) if "Figure" in str(f.type))
WEAPON_FIGURES = tuple(f.name for f in fields(Weapon) if "Figure" in str(f.type))


# --------------------------------------------------------------------------------------------
# Parsing (pure)
# --------------------------------------------------------------------------------------------

_FIGURE_KEYS = frozenset({"value", "min", "max", "sources", "note", "condition", "derived"})
_SOURCE_KEYS = frozenset({"title", "url", "value", "min", "max", "note"})
_AIRCRAFT_KEYS = frozenset({"aliases", "role", "notes", *AIRCRAFT_FIGURES})
_WEAPON_KEYS = frozenset({"aliases", "kind", "launch_platforms", "notes", *WEAPON_FIGURES})
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


def parse_aircraft_catalog(data: Any, file: str | None = None) -> dict[str, Aircraft]:
    """Aircraft by name from the loaded ``aircraft.yaml`` data (``{"aircraft": {name: entry}}``).

    Raises
    ------
    CatalogError
        A malformed entry, with ``file`` and the dotted ``field`` of the problem.
    """
    catalog: dict[str, Aircraft] = {}
    for name, raw, field in _entries(data, "aircraft", file):
        entry = _mapping(raw, file, field, _AIRCRAFT_KEYS)
        role = _text(entry.get("role"), file, f"{field}.role")
        if role not in ROLES:
            raise CatalogError(
                f"role must be one of {', '.join(ROLES)}, got {role!r}",
                file=file,
                field=f"{field}.role",
                suggestions=difflib.get_close_matches(str(role), ROLES, n=1),
            )
        catalog[name] = Aircraft(
            name=name,
            aliases=_text_list(entry.get("aliases"), file, f"{field}.aliases"),
            role=str(role),
            notes=_text(entry.get("notes"), file, f"{field}.notes", optional=True),
            **_figure_kwargs(entry, AIRCRAFT_FIGURES, file, field),
        )
    _check_names_unique(catalog, "aircraft", file)
    return catalog


def parse_weapons_catalog(data: Any, file: str | None = None) -> dict[str, Weapon]:
    """Weapons by name from the loaded ``weapons.yaml`` data (``{"weapons": {name: entry}}``).

    Raises
    ------
    CatalogError
        A malformed entry, with ``file`` and the dotted ``field`` of the problem.
    """
    catalog: dict[str, Weapon] = {}
    for name, raw, field in _entries(data, "weapons", file):
        entry = _mapping(raw, file, field, _WEAPON_KEYS)
        catalog[name] = Weapon(
            name=name,
            aliases=_text_list(entry.get("aliases"), file, f"{field}.aliases"),
            kind=str(_text(entry.get("kind"), file, f"{field}.kind")),
            launch_platforms=_text_list(entry.get("launch_platforms"), file, f"{field}.launch_platforms"),
            notes=_text(entry.get("notes"), file, f"{field}.notes", optional=True),
            **_figure_kwargs(entry, WEAPON_FIGURES, file, field),
        )
    _check_names_unique(catalog, "weapons", file)
    return catalog


def _check_names_unique(catalog: Mapping[str, Aircraft] | Mapping[str, Weapon], kind: str, file: str | None) -> None:
    owner: dict[str, str] = {}
    for entry in catalog.values():
        for label in (entry.name, *entry.aliases):
            key = normalise_name(label)
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


def _load(path: Path, parse: Callable[[Any, str | None], T]) -> T:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MissionFileError(f"cannot read the catalogue: {exc.strerror}", file=str(path)) from exc
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)  # C parser when built: 4× faster
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


# --------------------------------------------------------------------------------------------
# Lookup
# --------------------------------------------------------------------------------------------


def normalise_name(name: str) -> str:
    """``name`` folded for lookup: no case, diacritics, spaces, hyphens or other punctuation.

    Only letters and digits are kept, after Unicode compatibility decomposition (NFKD) with the
    combining marks dropped and case folding.

    Examples
    --------
    >>> normalise_name("TU 160"), normalise_name("Tu-160"), normalise_name("Vulcan B.2")
    ('tu160', 'tu160', 'vulcanb2')
    >>> normalise_name("Mirage 2000-5 «Élysée»")
    'mirage20005elysee'
    """
    text = name
    for _ in range(4):  # folding can expose new decomposable characters: repeat to a fixpoint
        # upper() before casefold() so that, e.g., dotless "ı" matches "I" as Python's upper() does
        folded = unicodedata.normalize("NFKD", text).upper().casefold()
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in folded if c.isalnum() and not unicodedata.combining(c))
        if folded == text:
            break
        text = folded
    return text


def _index(catalog: Mapping[str, Aircraft] | Mapping[str, Weapon]) -> dict[str, str]:
    index: dict[str, str] = {}
    for entry in catalog.values():
        for label in (entry.name, *entry.aliases):
            index.setdefault(normalise_name(label), entry.name)
    return index


@functools.lru_cache(maxsize=1)
def _default_aircraft_index() -> dict[str, str]:
    return _index(load_aircraft_catalog())


@functools.lru_cache(maxsize=1)
def _default_weapons_index() -> dict[str, str]:
    return _index(load_weapons_catalog())


def _find(name: str, index: Mapping[str, str], what: str) -> str:
    key = normalise_name(name)
    if key in index:
        return index[key]
    suggestions: list[str] = []
    for match in difflib.get_close_matches(key, list(index), n=len(index), cutoff=0.5):
        if index[match] not in suggestions:
            suggestions.append(index[match])
    raise CatalogError(f"the performance catalogue has no {what} {name!r}", suggestions=suggestions[:3])


def find_aircraft(name: str, catalog: Mapping[str, Aircraft] | None = None) -> Aircraft:
    """The aircraft called ``name`` or with that alias, ignoring case, spaces, hyphens, accents.

    Raises
    ------
    CatalogError
        No such aircraft; ``suggestions`` holds up to three close names.

    Examples
    --------
    >>> find_aircraft("TU 160").name
    'Tu-160'
    >>> try:
    ...     find_aircraft("Tu-161")
    ... except CatalogError as e:
    ...     print(e.suggestions[0])
    Tu-160
    """
    if catalog is None:
        return load_aircraft_catalog()[_find(name, _default_aircraft_index(), "aircraft")]
    return catalog[_find(name, _index(catalog), "aircraft")]


def find_weapon(name: str, catalog: Mapping[str, Weapon] | None = None) -> Weapon:
    """The weapon called ``name`` or with that alias, ignoring case, spaces, hyphens, accents.

    Raises
    ------
    CatalogError
        No such weapon; ``suggestions`` holds up to three close names.

    Examples
    --------
    >>> find_weapon("kalibr").name
    'Kalibr 3M-14'
    """
    if catalog is None:
        return load_weapons_catalog()[_find(name, _default_weapons_index(), "weapon")]
    return catalog[_find(name, _index(catalog), "weapon")]


# --------------------------------------------------------------------------------------------
# Plain-text tables
# --------------------------------------------------------------------------------------------


def _table_units(units: str) -> tuple[str, str, float]:
    if units not in TABLE_UNITS:
        raise UnitError(
            f"unknown table units {units!r}; use one of {', '.join(TABLE_UNITS)}",
            suggestions=difflib.get_close_matches(units, list(TABLE_UNITS), n=1),
        )
    return TABLE_UNITS[units]


def _cell(figure: Figure | None, per_unit: float = 1.0, decimals: int = 0) -> str:
    if figure is None:
        return _MISSING
    return figure.format(per_unit, decimals) + ("*" if figure.derived else "")


def _render(headers: list[str], rows: list[list[str]], right_from: int) -> str:
    return "\n".join(text_table(headers, rows, right=set(range(right_from, len(headers)))))


def format_aircraft_table(units: str = "km", catalog: Mapping[str, Aircraft] | None = None) -> str:
    """The aircraft catalogue as a plain-text table (``python -m missions aircraft``).

    Parameters
    ----------
    units:
        ``"km"`` (km, km/h), ``"nm"`` (NM, kn) or ``"mi"`` (mi, mph) for distances and speeds.
        Fuel is always in kg, burn in kg/h, endurance in hours.
    catalog:
        The catalogue to show (default: the packaged one).

    Where sources disagree a cell shows ``min–max``; ``*`` marks a derived figure and ``—`` one no
    source gives. Tanker offloads follow the table.
    """
    dist, speed, per = _table_units(units)
    aircraft = load_aircraft_catalog() if catalog is None else catalog
    headers = [
        "name",
        "role",
        f"cruise {speed}",
        f"max speed {speed}",
        "max Mach",
        f"range {dist}",
        f"radius {dist}",
        "fuel kg",
        "burn kg/h",
        "endurance h",
    ]
    rows = [
        [
            a.name,
            a.role,
            _cell(a.cruise_speed_kmh, per),
            _cell(a.max_speed_kmh, per),
            _cell(a.max_mach, decimals=2),
            _cell(a.unrefuelled_range_km, per),
            _cell(a.combat_radius_km, per),
            _cell(a.internal_fuel_kg),
            _cell(a.cruise_burn_kg_per_h),
            _cell(a.endurance_h, decimals=1),
        ]
        for a in aircraft.values()
    ]
    text = _render(headers, rows, right_from=2)
    offloads = [
        f"  {a.name}: {_cell(a.offload_kg)} kg"
        + (f" at {_cell(a.offload_distance_km, per)} {dist}" if a.offload_distance_km else "")
        for a in aircraft.values()
        if a.offload_kg is not None
    ]
    footer = [f"* derived from other figures; {_MISSING} no source found; range is unrefuelled."]
    if offloads:
        footer += ["Tanker offload:", *offloads]
    return text + "\n\n" + "\n".join(footer)


def format_weapons_table(units: str = "km", catalog: Mapping[str, Weapon] | None = None) -> str:
    """The weapons catalogue as a plain-text table (``python -m missions weapons``).

    Parameters
    ----------
    units:
        ``"km"`` (km, km/h), ``"nm"`` (NM, kn) or ``"mi"`` (mi, mph).
    catalog:
        The catalogue to show (default: the packaged one).
    """
    dist, speed, per = _table_units(units)
    weapons = load_weapons_catalog() if catalog is None else catalog
    headers = ["name", "kind", "launched from", f"range {dist}", f"speed {speed}", "Mach"]
    rows = [
        [
            w.name,
            w.kind,
            ", ".join(w.launch_platforms) or _MISSING,
            _cell(w.range_km, per),
            _cell(w.speed_kmh, per),
            _cell(w.mach, decimals=2),
        ]
        for w in weapons.values()
    ]
    footer = f"* derived from other figures; {_MISSING} no source found."
    return _render(headers, rows, right_from=3) + "\n\n" + footer
