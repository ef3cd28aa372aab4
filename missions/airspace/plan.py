"""Planning requests as people write them: places by name, ``avoid`` lists, a date, vias.

One place for the logic the CLI (``python -m missions plan``) and the dashboard's planning panel
share: resolve the places and the avoid list, plan each stretch (start -> via -> ... -> end) with
:func:`missions.airspace.planner.plan_leg`, name the turning points ``planned 1…n``, and write
the result as an ordinary, editable route.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from geodata.places import PlaceIndex, UnknownPlaceError, default_index

from ..coords import looks_like_coordinates, parse_coordinates
from ..errors import MissionError, PlaceError
from ..geodesy import inverse
from ..units import Units, format_count, format_distance
from .groups import AvoidSet, resolve_avoid
from .obstacles import build_obstacles
from .planner import NoRouteError, plan_leg


@dataclass(frozen=True, kw_only=True)
class PlannedPoint:
    """A waypoint of a planned route: a given place, or a turning point (``planned``)."""

    name: str
    lat_deg: float
    lon_deg: float
    planned: bool  #: True for the turning points the planner chose


@dataclass(frozen=True, kw_only=True)
class PlannedRoute:
    """The shortest permitted route through the given places."""

    points: tuple[PlannedPoint, ...]
    avoid: AvoidSet
    distance_m: float
    direct_m: float  #: the direct geodesic from the first to the last point
    territorial_sea_nm: float | None  #: None: the default breadths (12 nm and the sourced exceptions)
    transit: bool  #: straits used for international navigation open

    @property
    def excess(self) -> float:
        """Fraction by which the route is longer than the direct geodesic."""
        return self.distance_m / self.direct_m - 1.0 if self.direct_m > 0 else 0.0

    def summary(self, units: Units = "km") -> str:
        """One line: what was avoided, the length and the excess (in ``units``)."""
        what = self.avoid.label() or "nothing"
        turns = sum(p.planned for p in self.points)
        return (
            f"shortest route avoiding {what}: {format_distance(self.distance_m, units)}, "
            f"{self.excess * 100:+.1f} % over the direct geodesic ({format_distance(self.direct_m, units)}), "
            + format_count(turns, "turning point")
        )

    def compare(self, claimed_m: float, units: Units = "km") -> str:
        """``the shortest route avoiding NATO (2015-11-20) is X km; the claimed Y km is Z % longer`` (in ``units``)."""
        diff = claimed_m / self.distance_m - 1.0
        word = "longer" if diff >= 0 else "shorter"
        return (
            f"the shortest route avoiding {self.avoid.label() or 'nothing'} "
            f"is {format_distance(self.distance_m, units)}; "
            f"the claimed {format_distance(claimed_m, units)} is {abs(diff) * 100:.1f} % {word}"
        )


def resolve_place(text: str, field: str, gazetteer: PlaceIndex | None = None) -> tuple[str, float, float]:
    """``(name, lat, lon)`` of a place name, an ICAO code or ``lat, lon`` text (the world index)."""
    label = text.strip()
    try:
        if looks_like_coordinates(label):
            lat, lon = parse_coordinates(label)
            return label, lat, lon
        place = (gazetteer or default_index()).resolve(label)
    except MissionError as exc:
        raise exc.with_location(field=field) from None
    except UnknownPlaceError as exc:
        raise PlaceError(exc.message, field=field, suggestions=exc.suggestions) from None
    return place.label, place.lat_deg, place.lon_deg


def plan_route(
    origin: str,
    destination: str,
    *,
    via: Sequence[str] = (),
    avoid: str | Sequence[str] = (),
    day: dt.date | None = None,
    territorial_sea_nm: float | None = None,
    transit: bool = True,
    user_groups: Mapping[str, Sequence[str]] | None = None,
    gazetteer: PlaceIndex | None = None,
) -> PlannedRoute:
    """Plan from ``origin`` through ``via`` to ``destination`` avoiding ``avoid`` on ``day``.

    Errors are :class:`MissionError` naming the field (``from``, ``to``, ``via[i]``, ``avoid``,
    ``territorial_sea``): unknown place or code, a group before it existed, a place inside avoided
    airspace, no permitted route.
    """
    if territorial_sea_nm is not None and not (0.0 <= territorial_sea_nm <= 200.0):
        raise PlaceError(
            f"must be between 0 and 200 nautical miles, not {territorial_sea_nm:g}", field="territorial_sea"
        )
    fields = ["from", *(f"via[{i}]" for i in range(len(via))), "to"]
    places = [resolve_place(t, f, gazetteer) for t, f in zip([origin, *via, destination], fields, strict=True)]
    avoided = resolve_avoid(avoid, day, user_groups=user_groups)
    return plan_through(places, fields, avoided, territorial_sea_nm=territorial_sea_nm, transit=transit)


def plan_through(
    places: Sequence[tuple[str, float, float]],
    fields: Sequence[str],
    avoided: AvoidSet,
    *,
    territorial_sea_nm: float | None = None,
    transit: bool = True,
) -> PlannedRoute:
    """Plan through resolved ``(name, lat, lon)`` places in order; errors name ``fields[i]``.

    Used by :func:`plan_route` and by mission files' ``plan:`` route items (:mod:`.mission_plan`).
    """
    obstacles = build_obstacles(avoided.codes, territorial_sea_nm=territorial_sea_nm, transit=transit)
    for (name, lat, lon), field in zip(places, fields, strict=True):
        inside = obstacles.containing(lat, lon)
        if inside is not None:
            raise NoRouteError(f"{name} ({lat:.4f}, {lon:.4f}) lies in avoided airspace ({inside})", field=field)
    points = [PlannedPoint(name=places[0][0], lat_deg=places[0][1], lon_deg=places[0][2], planned=False)]
    total = 0.0
    for (_, lat1, lon1), (name2, lat2, lon2), field in zip(places[:-1], places[1:], fields[1:], strict=True):
        try:
            leg = plan_leg(obstacles, lat1, lon1, lat2, lon2)
        except NoRouteError as exc:
            raise NoRouteError(f"{exc.message} (to {name2})", field=field) from None
        total += leg.distance_m
        for lat, lon in zip(leg.lat_deg[1:-1], leg.lon_deg[1:-1], strict=True):
            points.append(PlannedPoint(name="", lat_deg=lat, lon_deg=lon, planned=True))
        points.append(PlannedPoint(name=name2, lat_deg=lat2, lon_deg=lon2, planned=False))
    k = 0
    named = []
    for p in points:
        if p.planned:
            k += 1
            p = PlannedPoint(name=f"planned {k}", lat_deg=p.lat_deg, lon_deg=p.lon_deg, planned=True)
        named.append(p)
    direct = float(inverse(places[0][1], places[0][2], places[-1][1], places[-1][2]).distance_m)
    return PlannedRoute(
        points=tuple(named),
        avoid=avoided,
        distance_m=total,
        direct_m=direct,
        territorial_sea_nm=territorial_sea_nm,
        transit=transit,
    )


def route_yaml(route: PlannedRoute) -> str:
    """The planned route as a mission file's ``route:`` list (editable; paste it into a sortie)."""
    import yaml

    items: list[object] = []
    for p in route.points:
        if p.planned:
            items.append(
                {
                    "name": p.name,
                    "lat": round(p.lat_deg, 4),
                    "lon": round(p.lon_deg, 4),
                    "source": f"planned: {route.summary()}",
                }
            )
        else:
            items.append({"name": p.name, "lat": round(p.lat_deg, 4), "lon": round(p.lon_deg, 4)})
    header = f"# {route.summary()}\n# written by python -m missions plan; edit freely\n"
    return header + yaml.safe_dump({"route": items}, sort_keys=False, allow_unicode=True)
