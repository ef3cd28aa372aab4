"""The dashboard's mounted map (``missions.dashboard.map``): what is sent and what comes back."""

from __future__ import annotations

import pytest

from missions.dashboard.map import MapClick, map_page, read_click


def test_map_page__digest_follows_the_payload() -> None:
    a, b = map_page('{"data": 1}'), map_page('{"data": 2}')
    assert a.digest == map_page('{"data": 1}').digest and a.digest != b.digest  # the page redraws on a change
    assert len(a.digest) == 16 and a.payload_json == '{"data": 1}'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"lat": 14.5, "lng": -3.25, "id": "s-1"}, MapClick(lat_deg=14.5, lon_deg=-3.25, click_id="s-1")),
        (None, None),
        ({"lat": "north", "lng": 0, "id": "x"}, None),  # not a number: no click
        ({"lat": 1.0}, None),  # incomplete
        ("a string", None),
        ({"drawn": "cf15880c1cd0701b"}, None),  # the page's report of its first mission drawn
    ],
)
def test_read_click__only_a_complete_click(value: object, expected: MapClick | None) -> None:
    assert read_click(value) == expected
