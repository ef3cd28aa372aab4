"""The NumPy edge clip (missions/airspace/edgeclip.py) against a naive GEOS overlay of the same legs."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Geod

from missions.airspace import CountryIndex, country_index
from missions.airspace.clip import CHORD_TOLERANCE_M, MAX_STEP_M
from missions.airspace.edgeclip import clip_legs
from missions.airspace.sovereign import SovereignPieces, sovereign_pieces
from missions.geodesy import Plane, densify_legs

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def sovereign() -> tuple[CountryIndex, SovereignPieces]:
    index = country_index()
    return index, sovereign_pieces(index)


def naive_lengths_m(pieces: SovereignPieces, lat1: float, lon1: float, lat2: float, lon2: float) -> dict[int, float]:
    """Geodesic metres of the densified leg inside each country's airspace: the same vertices, one
    GEOS intersection with each candidate country's whole airspace, ``Geod.geometry_length`` of the
    parts (the benchmark's naive way)."""
    d = densify_legs([lat1], [lon1], [lat2], [lon2], tolerance_m=CHORD_TOLERANCE_M, max_step_m=MAX_STEP_M,
                     plane=Plane.PLATE_CARREE)  # fmt: skip
    line = shapely.LineString(np.column_stack([d.lon_deg, d.lat_deg]))
    parts: dict[int, list[shapely.Geometry]] = {}
    for shift in (-360.0, 0.0, 360.0):
        moved = shapely.transform(line, lambda xy, s=shift: xy + np.array([s, 0.0]))
        for c in set(pieces.piece_country[pieces.tree.query(moved)].tolist()):
            part = shapely.intersection(moved, pieces.whole[c])
            if not part.is_empty:  # back in the leg's own frame, so a stretch found twice counts once
                parts.setdefault(c, []).append(shapely.transform(part, lambda xy, s=shift: xy - np.array([s, 0.0])))
    # A leg along the antimeridian lies on the country's edge at +180 and, shifted, at -180: the same
    # stretch, found from both sides (the union merges it; a sum would count it twice)
    out = {c: GEOD.geometry_length(shapely.line_merge(shapely.union_all(ps))) for c, ps in parts.items()}
    return {c: v for c, v in out.items() if v > 0.0}


def edge_clip_lengths_m(
    pieces: SovereignPieces, lat1: float, lon1: float, lat2: float, lon2: float
) -> dict[int, float]:
    """Metres of the leg inside each country's airspace by :func:`clip_legs` (its pieces' stretches
    joined: a stretch along the border of two pieces is in both)."""
    runs, _ = clip_legs(*(np.array([v]) for v in (lat1, lon1, lat2, lon2)), pieces.tree, pieces.pieces)
    out: dict[int, float] = {}
    country = pieces.piece_country[runs.country]
    for c in set(country.tolist()):
        mine = country == c
        order = np.argsort(runs.start_m[mine])
        reach = -np.inf
        for a, b in zip(runs.start_m[mine][order].tolist(), runs.end_m[mine][order].tolist(), strict=True):
            out[c] = out.get(c, 0.0) + max(b - max(a, reach), 0.0)
            reach = max(reach, b)
    return out


def assert_same_lengths(mine: dict[int, float], naive: dict[int, float]) -> None:
    """Per country within 50 m + 0.2 % (Geod.geometry_length measures the parts' chords; ours puts
    the cuts on the geodesic through each segment's ends)."""
    for c in set(mine) | set(naive):
        a, b = mine.get(c, 0.0), naive.get(c, 0.0)
        assert abs(a - b) <= 50.0 + 0.002 * max(a, b), (c, a, b)


LEGS = [
    (35.95, -6.0, 35.97, -5.3),  # down the Strait of Gibraltar
    (66.5, 179.0, 65.0, -164.0),  # Chukotka to Alaska across the antimeridian
    (64.73, 177.5, 64.50, -165.4),  # Anadyr to Nome
    (-16.5, 178.0, -17.5, -178.5),  # Fiji across the antimeridian
    (60.0, 5.0, 60.0, 30.0),  # Norway to Russia: fjords, the Baltic
    (89.5, 0.0, 89.5, 180.0),  # over the North Pole
    (-70.0, -60.0, -82.0, 10.0),  # across Antarctica (exactly over a pole, lon/lat chords run along its
    # edge at -90°: the parts' lengths are ill-defined there, old or new)
    (1.0, 103.5, 1.4, 104.2),  # Singapore Strait
    (70.0, 180.0, 85.0, -180.0),  # along the antimeridian (Russia's airspace ends there on both sides)
    (0.0, -180.0, -15.0, -180.0),  # along the antimeridian through the seas of Tuvalu
]


@pytest.mark.parametrize("leg", LEGS)
def test_clip_legs__as_naive_overlay_on_known_legs(sovereign, leg) -> None:
    _, pieces = sovereign
    naive = naive_lengths_m(pieces, *leg)
    assert naive or leg[0] > 89  # the legs do cross airspace (the pole one crosses none)
    assert_same_lengths(edge_clip_lengths_m(pieces, *leg), naive)


def _degrees(low: float, high: float) -> st.SearchStrategy[float]:
    """Floats in [low, high], none nearer zero than 1e-300 but zero itself: GEOS's overlay (the naive
    reference) misplaces a part's end at subnormals and at the smallest normal floats (a leg from
    (0°, 5.4e-308°) to (6°, 0°) gave 67,739 m in Ghana's airspace, against 66,870 m with 0, 1e-300 or
    1e-6 as its longitude, the edge clip's answer at all four)."""
    return st.floats(low, high, allow_subnormal=False).map(lambda x: 0.0 if abs(x) < 1e-300 else x)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lat1=_degrees(-80.0, 85.0), lon1=_degrees(-180.0, 180.0), dlat=_degrees(-15.0, 15.0), dlon=_degrees(-20.0, 20.0))
def test_clip_legs__property_as_naive_overlay(sovereign, lat1: float, lon1: float, dlat: float, dlon: float) -> None:
    """Random legs up to ~2,500 km, anywhere (across the antimeridian too)."""
    _, pieces = sovereign
    lat2, lon2 = float(np.clip(lat1 + dlat, -89.0, 89.0)), lon1 + dlon
    lon2 = (lon2 + 180.0) % 360.0 - 180.0
    if GEOD.inv(lon1, lat1, lon2, lat2)[2] == 0:
        return
    assert_same_lengths(
        edge_clip_lengths_m(pieces, lat1, lon1, lat2, lon2), naive_lengths_m(pieces, lat1, lon1, lat2, lon2)
    )
