"""Planning inside mission files: group names in ``avoid:`` and ``plan:`` route items.

A sortie's ``avoid:`` takes ISO codes and group names (``NATO``, ``EU``, ``CSTO`` or a group the
file defines under ``groups:``), taken on the sortie's takeoff date. A route item
``plan: {to: PLACE, via: [...], avoid: [...]}`` is expanded, right after parsing, into the
shortest permitted route from the waypoint before it: the turning points (``planned 1…n``,
numbered through the sortie, marked ``planned``), the vias and the ``to`` waypoint. Everything
downstream (timings, overflight, report, map) sees ordinary waypoints.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..errors import MissionError, PlaceError
from ..model import Point, Waypoint
from .groups import AvoidSet, resolve_avoid, split_terms

if TYPE_CHECKING:  # the planner (obstacles, airspace data) is imported only when a file plans a route
    from .plan import PlannedRoute

PLAN_KEYS = ("to", "via", "avoid", "transit", "source")


def parse_user_groups(raw: object, field: str = "groups") -> dict[str, tuple[str, ...]]:
    """A mission file's ``groups: {NAME: [ISO3, ...]}``, names upper-cased, members checked."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise PlaceError("groups must be a mapping of a group name to a list of ISO 3166 alpha-3 codes", field=field)
    out: dict[str, tuple[str, ...]] = {}
    for key, members in raw.items():
        name = str(key).strip().upper()
        if not re.fullmatch(r"[A-Z][A-Z0-9_-]{0,31}", name):
            raise PlaceError(f"a group name is a word such as BALTIC, not {str(key)!r}", field=f"{field}.{key}")
        items = members if isinstance(members, list) else [members]
        codes = split_terms([str(m) for m in items])
        if not codes:
            raise PlaceError(f"group {name} has no members", field=f"{field}.{key}")
        # members must be ISO codes: resolve them now so an unknown one names this group
        resolve_avoid(codes, None, field=f"{field}.{key}")
        out[name] = codes
    return out


def is_group(term: str, user_groups: Mapping[str, Sequence[str]]) -> bool:
    """Whether ``term`` names a group (the file's own or a built-in one)."""
    from geodata.groups import load_groups

    return term.upper() in user_groups or term.upper() in load_groups()


def sortie_avoid(
    terms: Sequence[str], day: dt.date, user_groups: Mapping[str, Sequence[str]], field: str
) -> tuple[str, ...]:
    """A sortie's ``avoid:`` as ISO codes: groups expanded on ``day``, codes kept as written."""
    codes: list[str] = []
    for i, term in enumerate(terms):
        if is_group(term, user_groups):
            found = resolve_avoid([term], day, user_groups=user_groups, field=f"{field}[{i}]").codes
        else:
            if not re.fullmatch(r"[A-Z0-9]{3}", term):
                names = ", ".join(sorted({*user_groups, "NATO", "EU", "CSTO"}))
                raise PlaceError(
                    f"avoid takes ISO 3166 alpha-3 codes such as FRA or a group ({names}), not {term!r}",
                    field=f"{field}[{i}]",
                )
            found = (term,)
        codes.extend(c for c in found if c not in codes)
    return tuple(codes)


def plan_stretch(
    start: Point,
    via: Sequence[Point],
    end: Point,
    avoid_terms: Sequence[str],
    day: dt.date,
    user_groups: Mapping[str, Sequence[str]],
    *,
    field: str,
    transit: bool = True,
    start_field: str | None = None,
) -> PlannedRoute:
    """The shortest permitted route ``start -> via... -> end``; errors name ``field.plan.*`` (the start:
    ``start_field``, default the waypoint before ``field``)."""
    from .plan import plan_through

    avoided: AvoidSet = resolve_avoid(avoid_terms, day, user_groups=user_groups, field=f"{field}.plan.avoid")
    places = [(p.name, p.lat_deg, p.lon_deg) for p in (start, *via, end)]
    fields = [
        start_field or f"{field} (the waypoint before)",
        *(f"{field}.plan.via[{i}]" for i in range(len(via))),
        f"{field}.plan.to",
    ]
    try:
        return plan_through(places, fields, avoided, transit=transit)
    except MissionError as exc:
        raise exc.with_location(field=field) from None


def expand_stretch(
    route: PlannedRoute, given: Sequence[Waypoint], first_number: int, line: int | None
) -> list[Waypoint]:
    """The waypoints after the start of ``route``: turning points as ``planned k`` (from
    ``first_number``, marked planned) interleaved with ``given`` (the vias and the ``to`` waypoint)."""
    out: list[Waypoint] = []
    rest = list(given)
    k = first_number
    for p in route.points[1:]:
        if p.planned:
            name = f"planned {k}"
            point = Point(label=name, name=name, lat_deg=p.lat_deg, lon_deg=p.lon_deg,
                          source=f"planned: {route.summary()}", line=line, planned=True)  # fmt: skip
            out.append(Waypoint(point=point))
            k += 1
        else:
            out.append(rest.pop(0))
    return out
