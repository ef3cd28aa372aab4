"""The README's mission file format, example by example ("Mission file format"): the minimal file is
valid, and every value the Sortie and Waypoint sections show (speeds, takeoff times, durations,
coordinates, place names, codes and pinned names) reads as the README says, taken from the README as
written so that an example that stops working, or a new one that never did, fails here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from missions.errors import MissionError
from missions.parsing import parse_mission
from missions.units import parse_duration_s, parse_speed

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FORMAT = README.split("## Mission file format", 1)[1].split("\n## ", 1)[0]


def section(start: str, end: str) -> str:
    return FORMAT.split(start, 1)[1].split(end, 1)[0]


def quoted(text: str) -> list[str]:
    return re.findall(r"`([^`]+)`", text)


def sortie_row(field: str) -> str:
    return next(line for line in FORMAT.splitlines() if line.startswith(f"| `{field}` |"))


def mission_with_route(route: list[str], *, takeoff: str = "2015-11-20T03:00:00Z") -> str:
    points = "".join(f"      - {json.dumps(p, ensure_ascii=False)}\n" for p in route)  # JSON strings are YAML
    return (
        "name: t\nsorties:\n  - name: s\n    aircraft: Tu-160\n"
        f"    takeoff: {takeoff}\n    speed: 900 km/h\n    route:\n{points}"
    )


def test_readme_format__minimal_file_is_valid() -> None:
    block = re.search(r"This minimal file is valid:\s*```yaml\n(.*?)```", FORMAT, re.S)
    assert block is not None
    mission = parse_mission(block.group(1), file="minimal.yaml")
    first, gibraltar, olenya = (wp.point for wp in mission.sorties[0].route)
    assert (first.lat_deg, first.lon_deg) == (68.1517, 33.47) and olenya.lat_deg == pytest.approx(68.15, abs=0.05)
    assert 35.5 < gibraltar.lat_deg < 36.5 and -6 < gibraltar.lon_deg < -5


def test_readme_format__speeds_as_written() -> None:
    examples = quoted(sortie_row("speed"))[1:]
    assert examples == ["900 km/h", "480 kn", "560 mph", "250 m/s", "Mach 0.85", "0.85 Mach", "850-960 km/h"]
    kmh = [parse_speed(text).kmh for text in examples]
    assert kmh[:4] == pytest.approx([900, 480 * 1.852, 560 * 1.609344, 900])
    assert kmh[4] == kmh[5]  # "Mach 0.85 (or 0.85 Mach)"
    assert kmh[6] == pytest.approx(905)  # "the middle is used for timing"
    # "ISA: Mach 1 = 1,062.3 km/h there [11000 m]; 1,225.1 km/h at sea level"
    row = sortie_row("mach_altitude")
    there, sea = (float(v.replace(",", "")) for v in re.findall(r"= ([\d,.]+) km/h there; ([\d,.]+) km/h", row)[0])
    assert parse_speed("Mach 1").kmh == pytest.approx(there, abs=0.05)
    assert parse_speed("Mach 1", mach_altitude_m=0).kmh == pytest.approx(sea, abs=0.05)


def test_readme_format__takeoff_examples_are_one_instant() -> None:
    first, second = quoted(sortie_row("takeoff"))[1:]
    times = [
        parse_mission(mission_with_route(["Olenya", "Engels"], takeoff=t)).sorties[0].takeoff for t in (first, second)
    ]
    assert times[0] == times[1]
    with pytest.raises(MissionError, match="zone"):  # "ISO 8601 **with a zone**"
        parse_mission(mission_with_route(["Olenya", "Engels"], takeoff=first.removesuffix("Z")))


def test_readme_format__durations_as_written() -> None:
    line = next(line for line in FORMAT.splitlines() if line.startswith("Durations:"))
    assert [parse_duration_s(d) for d in quoted(line)] == [1800, 5400, 5400, 5400, 5400]


def test_readme_format__every_waypoint_text_example_reads() -> None:
    text = section("Text is any of:", "**Which place a name picks.**")
    examples = [q for q in quoted(text) if q not in ("[lat, lon]", "plan:", "lat, lon")]
    assert len(examples) >= 25, examples
    mission = parse_mission(mission_with_route(examples))
    points = {ex: wp.point for ex, wp in zip(examples, mission.sorties[0].route, strict=True)}
    for coordinates in ("68.1517, 33.47", "68°09'N 033°28'E", "68 09 N 33 28 E", "N68 09 E033 28"):
        assert (points[coordinates].lat_deg, points[coordinates].lon_deg) == pytest.approx((68.15, 33.467), abs=0.005)
    lebanon = (points["Tripoli, Lebanon"].lat_deg, points["Tripoli, Lebanon"].lon_deg)
    assert (points["Tripoli, LBN"].lat_deg, points["Tripoli, LBN"].lon_deg) == lebanon  # alpha-3 or English name
    assert points["Tripoli, LY"].lat_deg < 33.5 < points["Tripoli, Lebanon"].lat_deg  # Libya's, then Lebanon's
    assert points["Stanley (-51.7, -57.9)"].lat_deg == pytest.approx(-51.7, abs=0.2)  # the Falklands' Stanley
    whiteman = [(points[n].lat_deg, points[n].lon_deg) for n in ("Whiteman AFB", "Whiteman Air Force Base")]
    assert whiteman[0] == whiteman[1]
