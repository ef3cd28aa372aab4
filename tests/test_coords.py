import pytest
from hypothesis import given
from hypothesis import strategies as st

from missions.coords import parse_coordinates
from missions.errors import PlaceError


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("68.1517, 33.47", 68.1517, 33.47),
        ("68.1517 33.47", 68.1517, 33.47),
        ("-33.9, 151.2", -33.9, 151.2),
        ("68°09'N 033°28'E", 68.15, 33 + 28 / 60),
        ("68 09 N 33 28 E", 68.15, 33 + 28 / 60),
        ("N68 09 E033 28", 68.15, 33 + 28 / 60),
        ("68°09'12\"N, 33°28'12\"E", 68 + 9 / 60 + 12 / 3600, 33.47),
        ("35 57 N 5 29 W", 35.95, -(5 + 29 / 60)),
        ("33 28 E 68 09 N", 68.15, 33 + 28 / 60),
        ("68.15N 33.47E", 68.15, 33.47),
        ("12°30′S 45°15′W", -12.5, -45.25),
    ],
)
def test_parse_coordinates__forms(text, lat, lon):
    got = parse_coordinates(text)
    assert got == pytest.approx((lat, lon), abs=1e-9)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("91, 0", "latitude 91"),
        ("0, 181", "longitude 181"),
        ("68 61 N 33 E", "below 60"),
        ("68 N 33 N", "same kind"),
        ("68 09 33 28", "cannot read"),
        ("95 N 10 E", "latitude 95"),
    ],
)
def test_parse_coordinates__bad(text, problem):
    with pytest.raises(PlaceError, match=problem):
        parse_coordinates(text)


@given(
    st.integers(-89, 89),
    st.integers(0, 59),
    st.integers(0, 59),
    st.integers(-179, 179),
    st.integers(0, 59),
    st.integers(0, 59),
)
def test_parse_coordinates__dms_roundtrip(lat_d, lat_m, lat_s, lon_d, lon_m, lon_s):
    text = (
        f"{abs(lat_d)}°{lat_m:02d}'{lat_s:02d}\"{'S' if lat_d < 0 else 'N'} "
        f"{abs(lon_d):03d}°{lon_m:02d}'{lon_s:02d}\"{'W' if lon_d < 0 else 'E'}"
    )
    lat = (abs(lat_d) + lat_m / 60 + lat_s / 3600) * (-1 if lat_d < 0 else 1)
    lon = (abs(lon_d) + lon_m / 60 + lon_s / 3600) * (-1 if lon_d < 0 else 1)
    assert parse_coordinates(text) == pytest.approx((lat, lon), abs=1e-12)
