"""Finding a catalogue entry by name or alias, ignoring case, spaces, hyphens and diacritics."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Mapping
from typing import TypeVar

from geodata.names import normalize_name
from missions.errors import CatalogError

from .loader import load_aircraft_catalog, load_weapons_catalog
from .model import Aircraft, Weapon

Entry = TypeVar("Entry", Aircraft, Weapon)


def _index(catalog: Mapping[str, Aircraft] | Mapping[str, Weapon]) -> dict[str, str]:
    index: dict[str, str] = {}
    for entry in catalog.values():
        for label in (entry.name, *entry.aliases):
            index.setdefault(normalize_name(label), entry.name)
    return index


@functools.lru_cache(maxsize=1)
def _default_aircraft_index() -> dict[str, str]:
    return _index(load_aircraft_catalog())


@functools.lru_cache(maxsize=1)
def _default_weapons_index() -> dict[str, str]:
    return _index(load_weapons_catalog())


@functools.lru_cache(maxsize=1024)
def _default_aircraft_name(name: str) -> str:
    """The catalogue name of an aircraft name as written (asked once per name: a mission may have
    thousands of sorties of one type)."""
    return _find(name, _default_aircraft_index(), "aircraft")


@functools.lru_cache(maxsize=1024)
def _default_weapon_name(name: str) -> str:
    return _find(name, _default_weapons_index(), "weapon")


def _find(name: str, index: Mapping[str, str], what: str) -> str:
    key = normalize_name(name)
    if key in index:
        return index[key]
    suggestions: list[str] = []
    for match in difflib.get_close_matches(key, list(index), n=len(index), cutoff=0.5):
        if index[match] not in suggestions:
            suggestions.append(index[match])
    raise CatalogError(f"the performance catalogue has no {what} {name!r}", suggestions=suggestions[:3])


def _lookup(
    name: str,
    catalog: Mapping[str, Entry] | None,
    default_catalog: Callable[[], Mapping[str, Entry]],
    default_name: Callable[[str], str],
    what: str,
) -> Entry:
    """The entry of ``catalog`` (None: the default catalogue, its names cached) called ``name``."""
    if catalog is None:
        return default_catalog()[default_name(name)]
    return catalog[_find(name, _index(catalog), what)]


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
    return _lookup(name, catalog, load_aircraft_catalog, _default_aircraft_name, "aircraft")


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
    return _lookup(name, catalog, load_weapons_catalog, _default_weapon_name, "weapon")
