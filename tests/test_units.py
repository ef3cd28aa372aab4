import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from missions.errors import UnitError
from missions.units import (
    KMH_PER_KN,
    MAX_SPEED_KMH,
    MIN_SPEED_KMH,
    format_duration,
    parse_distance_m,
    parse_duration_s,
    parse_mass_kg,
    parse_speed,
    speed_of_sound_kmh,
)


@pytest.mark.parametrize(
    ("text", "kmh"),
    [
        ("900 km/h", 900.0),
        ("900kmh", 900.0),
        ("480 kn", 480 * 1.852),
        ("480 kts", 480 * 1.852),
        ("560 mph", 560 * 1.609344),
        ("250 m/s", 900.0),
        ("Mach 0.85", 0.85 * 1062.25),
        ("M0.85", 0.85 * 1062.25),
    ],
)
def test_parse_speed__units(text, kmh):
    assert parse_speed(text).kmh == pytest.approx(kmh, rel=1e-4)


def test_parse_speed__range_and_mach_altitude():
    speed = parse_speed("850-950 km/h")
    assert (speed.min_kmh, speed.max_kmh, speed.kmh) == (850.0, 950.0, 900.0)
    assert parse_speed("Mach 1", mach_altitude_m=0).kmh == pytest.approx(1225.06, abs=0.01)
    assert parse_speed("Mach 0.8-0.9").max_kmh == pytest.approx(0.9 * speed_of_sound_kmh(), rel=1e-9)


def test_speed_of_sound__isa_known_values():
    # ICAO standard atmosphere: 340.29 m/s at sea level, 295.07 m/s at and above the tropopause
    assert speed_of_sound_kmh(0) / 3.6 == pytest.approx(340.29, abs=0.01)
    assert speed_of_sound_kmh(11_000) / 3.6 == pytest.approx(295.07, abs=0.01)
    assert speed_of_sound_kmh(15_000) == speed_of_sound_kmh(11_000)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("0 km/h", "above zero"),
        ("-5 km/h", "cannot read"),
        ("Mach 31", "above Mach 30"),
        ("40000 km/h", "above Mach 30"),
        ("900 furlongs", "unknown speed unit"),
        ("fast", "cannot read"),
        ("950-850 km/h", "backwards"),
    ],
)
def test_parse_speed__bad(text, problem):
    with pytest.raises(UnitError, match=problem):
        parse_speed(text)


def test_parse_speed__number_without_unit_names_the_fix():
    with pytest.raises(UnitError, match="no unit"):
        parse_speed(900)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("30 min", 1800),
        ("1 h 30 min", 5400),
        ("1.5 h", 5400),
        ("2h15m", 8100),
        ("90 s", 90),
        ("PT1H30M", 5400),
        ("1:30", 5400),
        ("16 h 20 min", 58800),
    ],
)
def test_parse_duration__forms(text, seconds):
    assert parse_duration_s(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["soon", "30", "1 h and a bit", ""])
def test_parse_duration__bad(text):
    with pytest.raises(UnitError):
        parse_duration_s(text)


def test_parse_distance_and_mass():
    assert parse_distance_m("150 km") == 150_000
    assert parse_distance_m("80 nm") == 80 * 1852
    assert parse_distance_m("50 mi") == pytest.approx(80_467.2)
    assert parse_mass_kg("40 t") == 40_000
    with pytest.raises(UnitError):
        parse_distance_m("far")


@given(st.floats(min_value=MIN_SPEED_KMH / KMH_PER_KN, max_value=MAX_SPEED_KMH / KMH_PER_KN, allow_nan=False))
def test_parse_speed__knots_roundtrip(knots):
    assert parse_speed(f"{knots!r} kn").kmh == pytest.approx(knots * KMH_PER_KN, rel=1e-12)


@given(st.integers(min_value=0, max_value=100 * 3600))
def test_format_duration__rounds_to_minute(seconds):
    text = format_duration(seconds)
    minutes = round(seconds / 60)
    assert text.endswith(f"{minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min")
    assert not math.isnan(seconds)
