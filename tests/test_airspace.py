import datetime as dt
import itertools
import json
from pathlib import Path

import pytest

from missions.__main__ import main
from missions.airspace import mission_airspace
from missions.analysis import compute_mission
from missions.errors import MissionError
from missions.parsing import load_mission, parse_mission

CATALOG = Path(__file__).resolve().parents[1] / "missions" / "catalog"


@pytest.fixture(scope="module")
def tu160():
    result = compute_mission(load_mission(CATALOG / "tu160-2015-11-20.yaml"))
    return result, mission_airspace(result)


def test_airspace__tu160_return_over_syria_iraq_iran_then_caspian(tu160):
    _, air = tu160
    passages = air.sorties["Blackjack pair"].passages
    codes = [p.iso3 for p in passages]
    syr = codes.index("SYR")
    assert codes[syr : syr + 4] == ["SYR", "IRQ", "IRN", None]  # then the Caspian: no country's
    caspian = passages[syr + 3]
    assert 37.5 < caspian.entry_lat_deg < 39.5 and 48.5 < caspian.entry_lon_deg < 50.5
    # the hand-built way round Europe (inferred sea points) stays off every NATO member's land, but
    # under the sovereign rule clips Spain's sea off Cape Trafalgar and Italy's south of Sicily
    nato = {"NOR", "GBR", "FRA", "ESP", "PRT", "ITA", "GRC", "TUR", "FRO", "ISL"}
    assert nato & set(codes) == {"ESP", "ITA"}
    (italy,) = [p for p in passages if p.iso3 == "ITA"]
    assert 36.0 < italy.entry_lat_deg < 37.0 and 13.5 < italy.entry_lon_deg < 15.0
    result, _ = tu160
    land = mission_airspace(result, territorial_sea_nm=0).sorties["Blackjack pair"].passages
    assert not nato & {p.iso3 for p in land}


def test_airspace__passages_cover_each_leg_with_times(tu160):
    result, air = tu160
    sortie = result.sortie("Blackjack pair")
    for leg, passages in zip(sortie.legs, air.sorties["Blackjack pair"].legs, strict=True):
        assert sum(p.distance_m for p in passages) == pytest.approx(leg.distance_m, rel=1e-3)
        assert passages[0].entry_time == leg.start_time
        assert abs((passages[-1].exit_time - leg.end_time).total_seconds()) < 5
        for a, b in itertools.pairwise(passages):
            assert a.exit_time <= b.entry_time + dt.timedelta(seconds=1)
    totals = {t.iso3: t for t in air.sorties["Blackjack pair"].totals}
    assert sum(t.distance_m for t in totals.values()) == pytest.approx(sortie.distance_m, rel=1e-3)


def test_airspace__kalibr_tracks_cross_iran_and_iraq():
    result = compute_mission(load_mission(CATALOG / "kalibr-caspian-2015-10-07.yaml"))
    air = mission_airspace(result)
    for track, route in zip(result.weapons, air.weapons, strict=True):
        countries = route.countries()
        assert countries[:2] == ["IRN", "IRQ"] and countries[-1] == "SYR", track.target.name
        assert "AZE" not in countries


AVOID = """\
name: Avoid test
sorties:
  - name: Evora to Madrid
    aircraft: Tu-160
    takeoff: 2015-11-20T00:00:00Z
    speed: 900 km/h
    avoid: [esp, FRA]
    route:
      - 38.57, -7.91
      - 40.42, -3.70
"""


def test_airspace__avoid_flags_the_leg_with_where_and_when():
    result = compute_mission(parse_mission(AVOID))
    air = mission_airspace(result)
    findings = air.sorties["Evora to Madrid"].findings
    assert len(findings) == 1
    hit = findings[0]
    assert hit.kind == "avoid" and hit.severity == "error" and hit.leg_index == 0
    assert "enters Spain (ESP)" in hit.message
    # Spain begins at the Portuguese border, about 100 km from Évora on this leg
    leg = result.sorties[0].legs[0]
    minutes = (hit.time - leg.start_time).total_seconds() / 60
    assert 3 < minutes < 12
    assert -7.5 < hit.lon_deg < -6.5


def test_airspace__avoid_unknown_code_suggests():
    result = compute_mission(parse_mission(AVOID.replace("[esp, FRA]", "[ESP, FRX]")))
    with pytest.raises(MissionError) as info:
        mission_airspace(result)
    assert info.value.field == "avoid" and "FRA" in info.value.suggestions


def test_report__json_countries(capsys):
    assert main(["report", str(CATALOG / "kalibr-caspian-2015-11-20.yaml"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    countries = doc["launches"][0]["countries"]
    assert {"iso3", "name", "distance_km", "entry", "exit"} <= set(countries[0])
    assert [c["iso3"] for c in countries] == [None, "IRN", "IRQ", "SYR"]
    assert countries[1]["entry"].endswith("Z")


def test_report__json_avoid_makes_sortie_not_ok(tmp_path, capsys):
    path = tmp_path / "avoid.yaml"
    path.write_text(AVOID)
    assert main(["report", str(path), "--json"]) == 0
    sortie = json.loads(capsys.readouterr().out)["sorties"][0]
    assert sortie["feasibility"]["ok"] is False
    assert [c["iso3"] for c in sortie["countries"]] == ["PRT", "ESP"]
    assert sortie["legs"][0]["countries"][1]["name"] == "Spain"
