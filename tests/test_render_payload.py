"""The map's content as data (``missions.render.payload``): what the exported map and the mounted map share."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from missions.analysis import compute_mission
from missions.parsing import load_mission
from missions.render import elements as render_elements
from missions.render.map import build_map
from missions.render.payload import CLOCK_CONTROL, map_payload, overflight_codes

CATALOG = Path(__file__).resolve().parents[1] / "missions" / "catalog"


@pytest.fixture(scope="module")
def tu160():
    return compute_mission(load_mission(CATALOG / "tu160-2015-11-20.yaml"))


def _child(m, kind):
    (child,) = [c for c in m._children.values() if isinstance(c, kind)]
    return child


def test_map_payload__is_what_the_exported_map_embeds(tu160):
    """One meaning: the HTML export draws exactly the payload the dashboard's mounted map receives."""
    payload = map_payload(tu160, units="nm")
    m = build_map(tu160, units="nm")
    assert json.loads(_child(m, render_elements._MissionLayers).data_json) == payload.data
    assert json.loads(_child(m, render_elements._Legend).html_json) == payload.legend_html
    assert json.loads(_child(m, render_elements._FitView).bounds_json) == payload.bounds
    assert [g.layer_name for g in m._children.values() if isinstance(g, render_elements._Group)] == [
        g.label for g in payload.groups
    ]
    assert json.loads(_child(m, render_elements._MissionClock).control_json) == CLOCK_CONTROL


def test_map_payload__page_json_round_trips(tu160):
    payload = map_payload(tu160)
    page = json.loads(payload.page_json())
    assert page["data"] == payload.data and page["bounds"] == payload.bounds
    names = ["Blackjack pair", "Flanker escort", "Weapons", "Feasibility", "Countries overflown"]
    assert len(page["groups"]) == 3  # no feasibility or airspace given: only the sorties and the weapons
    for group, name in zip(page["groups"], names, strict=False):
        assert group["label"].startswith('<span class="msn-swatch"') and group["label"].endswith(f"</span>{name}")
    assert page["labelled_groups"] == 3  # both sorties and the weapons get waypoint names
    assert page["clock"]["period"].startswith("PT") and page["clock"]["control"] == CLOCK_CONTROL
    assert "distances in km" in page["legend"]


def test_map_payload__units_reach_the_legend_not_the_geometry(tu160):
    km, nm = map_payload(tu160, units="km"), map_payload(tu160, units="nm")
    assert "distances in NM" in nm.legend_html and " km," not in nm.legend_html
    assert [s["line"] for s in km.data["sorties"]] == [s["line"] for s in nm.data["sorties"]]
    assert km.bounds == nm.bounds  # the mounted map keeps its view when only the units change


def test_map_payload__unknown_units_raise(tu160):
    with pytest.raises(ValueError, match="units must be one of"):
        map_payload(tu160, units="furlongs")


def test_overflight_codes__codes_and_crossings():
    class Crossing:
        def __init__(self, iso3):
            self.iso3 = iso3

    assert overflight_codes(["NOR", Crossing("SYR"), Crossing(None), "NOR"]) == ("NOR", "SYR")


def test_map_payload__overflown_countries_drawn_from_the_basemap(tu160):
    """The "Countries overflown" layer shades each country crossed with the basemap's own outline
    (encoded once per country and reused by every later map)."""
    from missions.airspace import mission_airspace
    from missions.render.records import decode_polyline

    air = mission_airspace(tu160)
    payload = map_payload(tu160, airspace=air)
    (group,) = [i for i, g in enumerate(payload.groups) if g.label.endswith("Countries overflown")]
    areas = [a for a in payload.data["areas"] if a["group"] == group]
    crossed = {p.iso3 for route in air.sorties.values() for p in route.passages if p.iso3}
    assert len(areas) == len(crossed & set(payload.flown)) > 0
    for area in areas:
        ring = decode_polyline(area["polygons"][0][0])
        assert len(ring) > 3 and ring[0] == ring[-1]  # a closed outline


def test_map_payload__basemap_countries_named_by_code(tu160):
    """For the dashboard's mounted map, whose page holds the basemap, an overflown country is sent as its
    code, and its rings in the page's basemap are the very outline the exported map draws."""
    from missions.airspace import mission_airspace
    from missions.render.common import _BASEMAP_DECIMALS
    from missions.render.elements import _basemap_json
    from missions.render.records import decode_polyline

    air = mission_airspace(tu160)
    drawn, named = map_payload(tu160, airspace=air), map_payload(tu160, airspace=air, basemap_countries=True)
    (group,) = [i for i, g in enumerate(named.groups) if g.label.endswith("Countries overflown")]
    by_code = [a for a in named.data["areas"] if a["group"] == group]
    by_polygons = [a for a in drawn.data["areas"] if a["group"] == group]
    crossed = [p.iso3 for route in air.sorties.values() for p in route.passages if p.iso3]
    assert [a["basemap"] for a in by_code] == list(dict.fromkeys(crossed))
    assert len(by_code) == len(by_polygons) > 3 and not any("polygons" in a for a in by_code)
    strip = {"basemap", "polygons"}
    assert [{k: v for k, v in a.items() if k not in strip} for a in by_code] == [
        {k: v for k, v in a.items() if k not in strip} for a in by_polygons
    ]
    assert named.data["strings"] == drawn.data["strings"]
    basemap = dict(json.loads(_basemap_json()))
    for a, b in zip(by_code, by_polygons, strict=True):
        page_rings = [decode_polyline(r, _BASEMAP_DECIMALS) for p in basemap[a["basemap"]] for r in p]
        drawn_rings = [decode_polyline(r) for p in b["polygons"] for r in p]
        assert len(page_rings) == len(drawn_rings)
        for page_ring, drawn_ring in zip(page_rings, drawn_rings, strict=True):
            assert np.allclose(page_ring, drawn_ring, rtol=0, atol=1e-9)
    assert len(named.page_json()) < len(drawn.page_json()) / 2  # the bulk of the payload was these outlines
