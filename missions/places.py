"""Finding places: the ``places`` command's search and its table (the index is ``geodata.places``)."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Sequence

from geodata.places import Place, default_index, distance_m

from .coords import parse_coordinates
from .errors import PlaceError
from .units import Units, format_distance


class KindChoices(Collection[str]):
    """What ``--kind`` accepts: the kinds the place index holds and the groups holding one (``airport``
    = every kind of airfield), from the index's own metadata (:meth:`PlaceIndex.kind_names`): a kind
    the index leaves out (heliport, balloonport) could only give "no place matches".

    Read when argparse first checks a ``--kind`` (or prints the choices), not at every command's start.
    """

    def _names(self) -> tuple[str, ...]:
        return default_index().kind_names()

    def __contains__(self, value: object) -> bool:
        return value in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())


KIND_CHOICES = KindChoices()


def find_places(
    query: str, *, near: str | None = None, kind: str | None = None, country: str | None = None, limit: int = 10
) -> tuple[list[Place], tuple[float, float] | None]:
    """Places matching ``query`` (exact names first, then similar ones) and the ``near`` point read.

    ``near`` is coordinates as a mission file writes them (``"33.9, 35.5"``); ``country`` an ISO code
    or an English name. Raises :class:`PlaceError` for an unreadable ``near`` or unknown country.
    """
    index = default_index()
    point = parse_coordinates(near) if near else None
    code = ""
    if country:
        found = index.country_code(country)
        if found is None:
            raise PlaceError(f"unknown country {country!r}; give an ISO code (LY, LBY) or an English name")
        code = found
    places = index.search(query, kind=kind or (), country=code, near=point, limit=limit)
    return places, point


def is_exact(query: str, *, kind: str | None = None, country: str | None = None) -> bool:
    """Whether some place is named ``query`` (of ``kind``, in ``country``), rather than only similar names.

    ``places Barzah`` lists Bārah (Sudan) and Basrah: the most similar names, which must not read as a match.
    """
    index = default_index()
    code = (index.country_code(country) or "") if country else ""
    return bool(index.search(query, kind=kind or (), country=code, limit=1, fuzzy=False))


def places_table(places: Sequence[Place], near: tuple[float, float] | None = None, units: Units = "km") -> str:
    """One line per place: the name to write in a mission, kind, lat/lon, country and source (and the
    distance from ``near`` in ``units``)."""
    header = ["name (as input)", "kind", "lat, lon", "country", "source"]
    rows = [[p.label, p.kind, f"{p.lat_deg:.5f}, {p.lon_deg:.5f}", p.country_code or "-", p.source] for p in places]
    if near is not None:
        header.insert(3, "distance")
        for row, p in zip(rows, places, strict=True):
            row.insert(3, format_distance(distance_m(near, (p.lat_deg, p.lon_deg)), units))
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header) - 1)]
    lines = []
    for r in [header, *rows]:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=False)) + "  " + r[-1])
    return "\n".join(line.rstrip() for line in lines)


def places_json(places: Sequence[Place]) -> str:
    """The places as a JSON list (``name``, ``label``, ``kind``, ``lat``, ``lon``, ``country``, ``source``...)."""
    return json.dumps(
        [
            {"label": p.label, "name": p.name, "kind": p.kind, "lat": p.lat_deg, "lon": p.lon_deg,
             "country": p.country_code, "country_name": p.country_name, "code": p.code, "source": p.source}
            for p in places
        ],
        ensure_ascii=False,
        indent=1,
    )  # fmt: skip
