"""``avoid:`` lists: ISO codes and named groups (NATO, EU, CSTO, or the mission's own), by date.

A group's membership is taken on the mission's date (``geodata/groups.yaml``, each date sourced):
NATO on 2015-11-20 has 28 members, without Finland and Sweden. Avoiding a state avoids its
dependencies too (Natural Earth ``SOV_A3``: Greenland and the Faroes with Denmark, Gibraltar with
the United Kingdom), since their airspace is the state's.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from geodata.groups import Group, load_dependencies, load_groups

from ..errors import PlaceError


@dataclass(frozen=True, kw_only=True)
class AvoidSet:
    """What an ``avoid:`` list resolves to on a date."""

    terms: tuple[str, ...]  #: as written, upper-cased (codes and group names)
    day: dt.date | None
    codes: tuple[str, ...]  #: Natural Earth ADM0_A3 units to avoid, dependencies included, sorted

    def label(self) -> str:
        """``NATO (2015-11-20), ESP``: for titles and claims."""
        groups = load_groups()
        parts = [f"{t} ({self.day.isoformat()})" if t in groups and self.day else t for t in self.terms]
        return ", ".join(parts)


def split_terms(text: str | Iterable[str]) -> tuple[str, ...]:
    """``"NATO, fra"`` or ``["NATO", "fra"]`` -> ``("NATO", "FRA")`` (empty items dropped)."""
    items = text.split(",") if isinstance(text, str) else [p for t in text for p in str(t).split(",")]
    return tuple(t.strip().upper() for t in items if t.strip())


def resolve_avoid(
    terms: str | Iterable[str],
    day: dt.date | None,
    *,
    user_groups: Mapping[str, Iterable[str]] | None = None,
    field: str = "avoid",
) -> AvoidSet:
    """Resolve codes and group names to the units to avoid on ``day``.

    Raises :class:`PlaceError` naming ``field`` for an unknown code or group, a group used without
    a date, or a date before the group existed.

    >>> nato = resolve_avoid("NATO", dt.date(2015, 11, 20))
    >>> "NOR" in nato.codes, "FIN" in nato.codes, "GRL" in nato.codes
    (True, False, True)
    >>> "FIN" in resolve_avoid("NATO", dt.date(2025, 1, 1)).codes
    True
    """
    from .index import check_iso3  # here: parsing a file without avoid: never loads the country index

    groups: dict[str, Group] = load_groups()
    mine = {k.strip().upper(): split_terms(list(v)) for k, v in (user_groups or {}).items()}
    words = split_terms(terms)
    deps = load_dependencies()
    codes: set[str] = set()
    for term in words:
        if term in mine:
            members = mine[term]
        elif term in groups:
            if day is None:
                raise PlaceError(
                    f"{term} changes membership over time: give the date whose membership counts (--date YYYY-MM-DD)",
                    field=field,
                )
            try:
                members = groups[term].members_on(day)
            except ValueError as exc:
                raise PlaceError(str(exc), field=field) from None
        else:
            try:
                members = check_iso3([term])
            except PlaceError as exc:
                names = [*groups, *mine]
                hint = difflib.get_close_matches(term, names, n=2) + list(exc.suggestions)
                raise PlaceError(
                    f"unknown country code or group {term!r} (ISO 3166 alpha-3 / Natural Earth ADM0_A3, "
                    f"or one of {', '.join(sorted(names))})",
                    field=field,
                    suggestions=hint[:3],
                ) from None
        for code in check_iso3(members):
            codes.add(code)
            codes.update(deps.get(code, ()))
    return AvoidSet(terms=words, day=day, codes=tuple(sorted(codes)))
