"""avoid: lists (missions/airspace/groups.py, geodata/groups.py): groups by date, codes, dependencies."""

from __future__ import annotations

import datetime as dt

import pytest

from geodata.groups import load_groups, parse_groups
from missions.airspace.groups import resolve_avoid
from missions.errors import PlaceError

NOV_2015 = dt.date(2015, 11, 20)


def test_resolve_avoid__nato_2015_has_28_members_without_finland_and_sweden() -> None:
    members = load_groups()["NATO"].members_on(NOV_2015)
    assert len(members) == 28
    assert {"FIN", "SWE", "MNE", "MKD"}.isdisjoint(members)
    assert {"NOR", "GBR", "TUR", "ALB", "HRV"} <= set(members)


def test_resolve_avoid__nato_2025_has_finland_and_sweden() -> None:
    codes = resolve_avoid("NATO", dt.date(2025, 1, 1)).codes
    assert {"FIN", "SWE", "MNE", "MKD"} <= set(codes)
    assert len(load_groups()["NATO"].members_on(dt.date(2025, 1, 1))) == 32


def test_resolve_avoid__finland_joined_on_4_april_2023() -> None:
    assert "FIN" not in resolve_avoid("NATO", dt.date(2023, 4, 3)).codes
    assert "FIN" in resolve_avoid("NATO", dt.date(2023, 4, 4)).codes


def test_resolve_avoid__dependencies_come_with_their_state() -> None:
    codes = resolve_avoid("NATO", NOV_2015).codes
    assert {"GRL", "FRO", "GIB", "PRI"} <= set(codes)  # Denmark's, the UK's, the USA's


def test_resolve_avoid__eu_without_britain_after_brexit_and_uzbekistan_in_and_out_of_csto() -> None:
    assert "GBR" in resolve_avoid("EU", dt.date(2020, 1, 31)).codes
    assert "GBR" not in resolve_avoid("EU", dt.date(2020, 2, 1)).codes
    assert "UZB" in resolve_avoid("CSTO", dt.date(2010, 1, 1)).codes
    assert "UZB" not in resolve_avoid("CSTO", dt.date(2003, 1, 1)).codes


def test_resolve_avoid__codes_and_groups_mixed_lower_case() -> None:
    got = resolve_avoid("nato, fra , dza", NOV_2015)
    assert got.terms == ("NATO", "FRA", "DZA")
    assert "DZA" in got.codes and got.label() == "NATO (2015-11-20), FRA, DZA"


def test_resolve_avoid__user_group() -> None:
    got = resolve_avoid("IBERIA,MAR", None, user_groups={"iberia": ["ESP", "PRT"]})
    assert set(got.codes) == {"ESP", "PRT", "MAR"}


@pytest.mark.parametrize(
    ("terms", "day", "message"),
    [
        ("NATTO", NOV_2015, "unknown country code or group 'NATTO'"),
        ("XXQ", NOV_2015, "unknown country code or group 'XXQ'"),
        ("EU", dt.date(1990, 1, 1), "EU did not exist on 1990-01-01 (founded 1993-11-01)"),
        ("NATO", None, "give the date whose membership counts (--date YYYY-MM-DD)"),
    ],
)
def test_resolve_avoid__bad_input_is_one_line_naming_the_field(terms: str, day: dt.date | None, message: str) -> None:
    with pytest.raises(PlaceError) as err:
        resolve_avoid(terms, day)
    line = err.value.one_line()
    assert line.startswith("avoid: ") and message in line and "\n" not in line


def test_resolve_avoid__unknown_group_suggests_the_close_one() -> None:
    with pytest.raises(PlaceError) as err:
        resolve_avoid("NATTO", NOV_2015)
    assert "NATO" in err.value.suggestions


def test_parse_groups__a_group_without_source_is_refused() -> None:
    with pytest.raises(ValueError, match=r"groups\.X\.source"):
        parse_groups({"groups": {"X": {"founded": "2000-01-01", "members": []}}})
