"""Tests for missions.rings: the one choice of range rings that the map and the KML export draw."""

from __future__ import annotations

import pytest

from missions.analysis import compute_mission
from missions.export.rings import range_rings
from missions.parsing import parse_mission
from missions.performance import find_aircraft, find_weapon
from missions.rings import RingKind, ring_choices
from tests.equator import equator_yaml

MISSION = equator_yaml(
    """
    launch:
      - {weapon: Kh-101, targets: ["0, 15", "5, 12"]}
      - {weapon: Test missile, target: "0, 12", speed: 720 km/h, range: 400 km, source: a test}
      - {weapon: Unknown missile, target: "0, 11", speed: 720 km/h}
    """,
    name="Rings",
    sorties="""
    - name: B
      aircraft: Tu-160
      takeoff: 2015-11-20T00:00:00Z
      speed: 900 km/h
      route: ["0, 0", "0, 5"]
    - name: C
      aircraft: Zeppelin LZ 129
      range: 10000 km
      takeoff: 2015-11-20T00:00:00Z
      speed: 100 km/h
      route: ["0, 1", "0, 5"]
    """,
)


@pytest.fixture(scope="module")
def choices():
    return ring_choices(compute_mission(parse_mission(MISSION)))


def test_ring_choices__one_ring_per_weapon_and_point_then_per_type_and_base(choices) -> None:
    """Two Kh-101 tracks from one point make one ring; B shares A's type and base; C's type is unknown."""
    assert [(c.kind, c.name, c.centre.name) for c in choices] == [
        (RingKind.WEAPON, "Kh-101", "0, 10"),
        (RingKind.WEAPON, "Test missile", "0, 10"),
        (RingKind.AIRCRAFT, "Tu-160", "0, 0"),
    ]


def test_ring_choices__radii_from_the_catalogue_maximum_or_the_file(choices) -> None:
    kh101, own, tu160 = choices
    assert kh101.radius_m == find_weapon("Kh-101").range_km.max * 1000.0
    assert own.radius_m == 400_000.0 and own.figure is None and own.file_source == "a test"
    assert tu160.radius_m == find_aircraft("Tu-160").unrefuelled_range_km.max * 1000.0 / 2.0
    assert tu160.sortie == "A"


def test_range_rings__export_draws_the_same_rings(choices) -> None:
    rings = range_rings(compute_mission(parse_mission(MISSION)))
    assert [(r.centre_name, r.radius_m) for r in rings] == [(c.centre.name, c.radius_m) for c in choices]
    assert rings[1].source == "mission file: a test"
    assert rings[2].label == "Tu-160: half its unrefuelled range from 0, 0"
