from pathlib import Path

import pytest

from missions.analysis import compute_mission
from missions.parsing import load_mission

CATALOG = sorted((Path(__file__).resolve().parents[1] / "missions" / "catalog").glob("*.yaml"))


def test_catalog__has_the_seed_missions():
    names = {p.name for p in CATALOG}
    assert {
        "tu160-2015-11-20.yaml",
        "kalibr-caspian-2015-10-07.yaml",
        "kalibr-caspian-2015-11-20.yaml",
        "tu22m3-mozdok-2015-11-17.yaml",
        "engels-2015-11-17.yaml",
    } <= names


@pytest.mark.parametrize("path", CATALOG, ids=lambda p: p.stem)
def test_catalog__validates_and_every_figure_sourced(path):
    mission = load_mission(path)
    result = compute_mission(mission)
    assert mission.sources
    for sortie in mission.sorties:
        assert sortie.source, sortie.name
        for wp in sortie.route:
            assert wp.point.source and wp.point.source != "as given", wp.point.label
    for launch in [ln for s in mission.sorties for wp in s.route for ln in wp.launches] + list(mission.launches):
        assert launch.source
    for claim in mission.claims:
        assert claim.source
    assert result.sorties or result.weapons


def test_catalog__tu160_distance_claims_and_timing():
    result = compute_mission(load_mission(CATALOG[[p.name for p in CATALOG].index("tu160-2015-11-20.yaml")]))
    bomber = result.sortie("Blackjack pair")
    # the modelled route lies between the "more than 13,000" and the "16,000 km" claims
    assert 13_000_000 < bomber.distance_m < 16_000_000
    # 16 h 20 min airborne (MoD): the schedule at catalogue cruise speed lands within 30 min of it
    assert bomber.duration_s == pytest.approx(16 * 3600 + 20 * 60, abs=30 * 60)
    claims = {c.claim.value: c for c in result.claims if c.claim.quantity == "distance"}
    assert set(claims) == {16_000_000.0, 13_000_000.0, 9_500_000.0}
    escort = result.sortie("Flanker escort")
    join = next(j for j in result.joins if j.sortie == "Flanker escort")
    assert abs(join.time_gap_s) < 15 * 60 and escort.sortie.aircraft == "Su-30SM"


def test_catalog__kalibr_tracks_about_1500_km():
    path = CATALOG[[p.name for p in CATALOG].index("kalibr-caspian-2015-10-07.yaml")]
    result = compute_mission(load_mission(path))
    assert len(result.weapons) == 3
    for track in result.weapons:
        assert 1_300_000 < track.distance_m < 1_700_000
