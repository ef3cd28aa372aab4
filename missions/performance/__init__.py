"""The performance catalogue: what aircraft and weapons can do, every figure with its sources.

The package: :mod:`~missions.performance.model` (figures, sources, entries, name folding),
:mod:`~missions.performance.loader` (pure parsers and thin file loaders),
:mod:`~missions.performance.lookup` (find by name or alias) and :mod:`~missions.performance.tables`
(the plain-text tables of the CLI). Every public name is importable from ``missions.performance``.

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
('Tu-160', <Role.BOMBER: 'bomber'>)
>>> tu160.max_speed_kmh.min <= tu160.max_speed_kmh.value <= tu160.max_speed_kmh.max
True
>>> find_weapon("3m-14").name
'Kalibr 3M-14'
>>> normalise_name("Tú 160-M")
'tu160m'
"""

from __future__ import annotations

from missions.errors import CatalogError

from .loader import (
    AIRCRAFT_CATALOG_PATH,
    CATALOG_DIR,
    WEAPONS_CATALOG_PATH,
    load_aircraft_catalog,
    load_weapons_catalog,
    parse_aircraft_catalog,
    parse_figure,
    parse_source,
    parse_weapons_catalog,
)
from .lookup import find_aircraft, find_weapon
from .model import (
    AIRCRAFT_FIGURES,
    ROLES,
    WEAPON_FIGURES,
    WEAPON_KINDS,
    Aircraft,
    Figure,
    Role,
    Source,
    Weapon,
    WeaponKind,
    normalise_name,
)
from .tables import TABLE_UNITS, format_aircraft_table, format_weapons_table

__all__ = [
    "AIRCRAFT_CATALOG_PATH",
    "AIRCRAFT_FIGURES",
    "CATALOG_DIR",
    "ROLES",
    "TABLE_UNITS",
    "WEAPONS_CATALOG_PATH",
    "WEAPON_FIGURES",
    "WEAPON_KINDS",
    "Aircraft",
    "CatalogError",
    "Figure",
    "Role",
    "Source",
    "Weapon",
    "WeaponKind",
    "find_aircraft",
    "find_weapon",
    "format_aircraft_table",
    "format_weapons_table",
    "load_aircraft_catalog",
    "load_weapons_catalog",
    "normalise_name",
    "parse_aircraft_catalog",
    "parse_figure",
    "parse_source",
    "parse_weapons_catalog",
]
