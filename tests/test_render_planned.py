"""Planned routes on the map (missions/render/planned.py): planned stretches and the avoided airspace."""

from __future__ import annotations

import pytest
import shapely

from missions.analysis import compute_mission
from missions.parsing import parse_mission
from missions.render.planned import avoided_codes, avoided_records, planned_ranges
from missions.render.records import _Strings, decode_polyline

ROUND_IBERIA = """\
name: Round Iberia
sorties:
  - name: Raid
    aircraft: Tu-160
    takeoff: 2021-06-01T06:00:00Z
    speed: 800 km/h
    route:
      - 51.5, -0.12
      - plan: {to: "32.9, 13.2", avoid: [FRA, ESP, PRT]}
      - 51.5, -0.12
"""


@pytest.fixture(scope="module")
def raid():
    return compute_mission(parse_mission(ROUND_IBERIA))


def test_planned_ranges__the_way_out_not_the_way_back(raid) -> None:
    s = raid.sorties[0]
    ranges = planned_ranges(s, s.waypoint_vertices)
    route = s.sortie.route
    back = len(route) - 2  # the last leg: Libya straight home, no turning point
    assert len(ranges) == 1
    assert ranges[0] == [0, int(s.waypoint_vertices[back])]


def test_avoided_codes__the_planned_stretches_units(raid) -> None:
    assert set(avoided_codes(raid)) >= {"FRA", "ESP", "PRT"}


def test_avoided_records__one_light_area_per_unit_over_its_airspace(raid) -> None:
    text = _Strings()
    records = avoided_records(("FRA", "ESP"), 3, text)
    assert [r["group"] for r in records] == [3, 3] and all(r["fill"] < 0.2 for r in records)
    # Spain's area is its sovereign airspace: off Málaga (coast at 36.72° N) 13 km out is Spanish
    # (12 nm = 22 km), 35 km out is not
    spain = records[1]
    area = shapely.union_all(
        [shapely.Polygon(decode_polyline(p[0]), [decode_polyline(r) for r in p[1:]]) for p in spain["polygons"]]
    )
    assert area.contains(shapely.Point(-4.42, 36.60)) and not area.contains(shapely.Point(-4.42, 36.40))
    assert "Spain (ESP)" in text.table()[spain["tooltip"]]


def test_map_payload__planned_legs_and_the_avoided_layer(raid) -> None:
    from missions.render.payload import map_payload

    payload = map_payload(raid)
    record = payload.data["sorties"][0]
    assert record["planned"] == planned_ranges(raid.sorties[0], record["waypoint_vertex"])
    labels = [g.label for g in payload.groups]
    g = next(i for i, label in enumerate(labels) if "Airspace avoided by the planned route" in label)
    avoided = [a for a in payload.data["areas"] if a["group"] == g]
    assert len(avoided) >= 3 and payload.groups[g].show
    assert "planned legs (the shortest permitted route)" in payload.legend_html


def test_map_payload__no_planned_layer_without_a_plan() -> None:
    from missions.render.payload import map_payload

    plain = ROUND_IBERIA.replace('      - plan: {to: "32.9, 13.2", avoid: [FRA, ESP, PRT]}\n', "      - 32.9, 13.2\n")
    payload = map_payload(compute_mission(parse_mission(plain)))
    assert "planned" not in payload.data["sorties"][0]
    assert not any("Airspace avoided" in g.label for g in payload.groups)
    assert "planned legs" not in payload.legend_html
