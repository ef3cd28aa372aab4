from pathlib import Path

import pytest

from missions.errors import MissionError
from missions.parsing import load_mission, parse_mission

# the minimal mission file of the issue, accepted exactly as written
MINIMAL = (Path(__file__).parent / "data" / "minimal.yaml").read_text(encoding="utf-8")


def test_parse_mission__minimal_example_exactly_as_written():
    mission = parse_mission(MINIMAL, file="minimal.yaml")
    sortie = mission.sorties[0]
    assert (mission.name, sortie.name, sortie.aircraft, sortie.speed.kmh) == (
        "Minimal example",
        "Test sortie",
        "Tu-160",
        900.0,
    )
    assert sortie.takeoff.isoformat() == "2015-11-20T03:00:00+00:00"
    assert [wp.point.name for wp in sortie.route] == [
        "68.1517, 33.47",
        "Strait of Gibraltar",
        "Olenya air base",
    ]
    assert sortie.route[2].point.lat_deg == pytest.approx(68.1517)


def test_parse_mission__json_accepted():
    text = (
        '{"name": "J", "sorties": [{"name": "s", "aircraft": "Tu-160", "takeoff": '
        '"2015-11-20T03:00:00+03:00", "speed": "480 kn", '
        '"route": [[68.15, 33.47], {"place": "Raqqa"}, {"lat": 35, "lon": 36}]}]}'
    )
    mission = parse_mission(text, file="m.json")
    assert mission.sorties[0].takeoff.hour == 0  # converted to UTC
    assert mission.sorties[0].route[1].point.name == "Raqqa"


def test_parse_mission__events_and_overrides():
    text = MINIMAL.replace(
        "      - Strait of Gibraltar\n",
        """\
      - place: Strait of Gibraltar
        speed: Mach 0.8
        refuel: {tanker: Il-78M, duration: 30 min, offload: 40 t}
        hold: 15 min
        launch:
          weapon: Kh-555
          count: 4
          targets: [Idlib, "35 57 N 39 01 E"]
          via: [Off Latakia]
          speed: 800 km/h
""",
    )
    wp = parse_mission(text).sorties[0].route[1]
    assert wp.event_duration_s == 45 * 60
    assert wp.refuels[0].offload_kg == 40_000
    assert wp.launches[0].targets[1].lat_deg == pytest.approx(35.95)
    assert wp.launches[0].via[0].name == "Off Latakia"
    assert wp.speed.kmh == pytest.approx(0.8 * 1062.25, rel=1e-4)


def _error(text: str) -> MissionError:
    with pytest.raises(MissionError) as info:
        parse_mission(text, file="bad.yaml")
    return info.value


@pytest.mark.parametrize(
    ("change", "line", "field", "words"),
    [
        (("    speed: 900 km/h", "    sped: 900 km/h"), 6, "sorties[0].sped", "did you mean 'speed'"),
        (
            ("      - Strait of Gibraltar", "      - Strait of Gibraltor"),
            9,
            "sorties[0].route[1]",
            "unknown place",
        ),
        (("      - 68.1517, 33.47", "      - 98.1517, 33.47"), 8, "sorties[0].route[0]", "latitude 98.1517"),
        (("      - 68.1517, 33.47", "      - 68.1517, 213.47"), 8, "sorties[0].route[0]", "longitude 213.47"),
        (("    speed: 900 km/h", "    speed: 0 km/h"), 6, "sorties[0].speed", "above zero"),
        (("    speed: 900 km/h", "    speed: Mach 40"), 6, "sorties[0].speed", "above Mach 30"),
        (
            ("    takeoff: 2015-11-20T03:00:00Z", "    takeoff: 2015-11-20T03:00:00"),
            5,
            "sorties[0].takeoff",
            "no time zone",
        ),
        (
            ("      - Strait of Gibraltar\n      - XLMO\n", ""),
            7,
            "sorties[0].route",
            "at least two waypoints",
        ),
        (
            ("route:\n      - 68.1517, 33.47\n      - Strait of Gibraltar\n      - XLMO\n", "route: []\n"),
            7,
            "sorties[0].route",
            "at least two waypoints",
        ),
        (("  - name: Test sortie", "  - name: [Test sortie"), 4, None, "malformed YAML"),
    ],
)
def test_parse_mission__bad_input_named(change, line, field, words):
    err = _error(MINIMAL.replace(*change))
    assert err.file == "bad.yaml"
    assert err.line == line
    assert err.field == field
    assert words in err.one_line()
    assert "\n" not in err.one_line()


def test_parse_mission__alias_bomb_refused_at_the_first_alias():
    """Refused on the event stream at the first alias (line 2), before anything is expanded."""
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)
    )
    err = _error(bomb)
    assert "aliases" in err.message and err.line == 2


def test_parse_mission__oversized_text_refused():
    err = _error("name: x\n" + "# padding\n" * 600_000)
    assert "limited to 5 MB" in err.message


def test_load_mission__file_errors(tmp_path):
    with pytest.raises(MissionError, match="no such file"):
        load_mission(tmp_path / "nope.yaml")
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (5 * 1024 * 1024 + 1))
    with pytest.raises(MissionError, match=r"big\.yaml: file is 5\.2 MB"):
        load_mission(big)
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00name")
    with pytest.raises(MissionError, match=r"bin\.yaml"):
        load_mission(binary)


def test_parse_mission__unknown_join_and_duplicate_sortie():
    text = MINIMAL + MINIMAL.split("sorties:\n")[1].replace("Test sortie", "Other").replace(
        "      - XLMO\n", "      - place: XLMO\n        join: Tset sortie\n"
    )
    err = _error(text)
    assert "joins unknown sortie 'Tset sortie'" in err.message and err.suggestions == ("Test sortie",)
    err = _error(MINIMAL + MINIMAL.split("sorties:\n")[1])
    assert "two sorties are called" in err.message


def test_parse_mission__claims_with_qualifiers():
    text = (
        MINIMAL
        + """claims:
  - {quantity: distance, value: "some 16,000 km", source: CNSNews}
  - {value: more than 16 h, source: CNSNews}
  - {value: "900 km/h", qualifier: about}
"""
    )
    claims = parse_mission(text).claims
    assert [(c.quantity, c.value, c.qualifier) for c in claims] == [
        ("distance", 16_000_000.0, "about"),
        ("duration", 16 * 3600.0, "more than"),
        ("speed", 900.0, "about"),
    ]


def test_parse_mission__too_many_points_refused_before_any_work(monkeypatch):
    """The point count is checked before a single waypoint is parsed (no wall-clock limit: it is a count)."""
    from missions import parsing_sortie
    from missions.parsing import MAX_POINTS

    parsed = []
    real = parsing_sortie._parse_point
    monkeypatch.setattr(parsing_sortie, "_parse_point", lambda *a, **k: parsed.append(1) or real(*a, **k))
    route = "".join(f"      - {i % 80}.5, {i % 170}.5\n" for i in range(MAX_POINTS + 1))
    text = MINIMAL.split("    route:\n")[0] + "    route:\n" + route
    err = _error(text)
    assert parsed == []
    assert f"{MAX_POINTS + 1:,} waypoints, targets and via-points" in err.message and err.line == 2


def test_parse_yaml__pure_python_loader_gives_the_same(monkeypatch):
    """Where PyYAML lacks libyaml, the pure-Python loader keeps the same data, lines and refusals."""
    from missions import yamlio

    fast = yamlio.parse_yaml(MINIMAL)
    monkeypatch.setattr(yamlio, "_FastLoader", None)
    slow = yamlio.parse_yaml(MINIMAL)
    assert slow == fast and slow.lines == fast.lines and slow["sorties"][0].lines == fast["sorties"][0].lines
    with pytest.raises(MissionError, match="aliases") as info:
        yamlio.parse_yaml("a: &a [1]\nb: *a\n", file="x.yaml")
    assert info.value.line == 2
    with pytest.raises(MissionError, match="nesting deeper"):
        yamlio.parse_yaml("[" * 100 + "]" * 100)
