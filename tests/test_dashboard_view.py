"""missions.dashboard.view: what the dashboard shows, as people read it (no Streamlit)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from missions.analysis import compute_mission
from missions.dashboard.frames import catalog_missions, claims_frame, legs_frame
from missions.dashboard.view import (
    MAX_SHARE_CHARS,
    NEW_MISSION,
    VERDICTS,
    add_waypoint,
    catalogue_titles,
    claims_view,
    editor_message,
    headline,
    read_share,
    share_value,
    short_times,
)
from missions.feasibility import assess
from missions.parsing import load_mission, parse_mission


@pytest.fixture(scope="module")
def tu160():
    return compute_mission(load_mission(catalog_missions()["tu160-2015-11-20"]))


def test_short_times__iso_columns_read_as_day_month_time_utc(tu160) -> None:
    frame = short_times(legs_frame(tu160, "km"))
    assert "departure" in frame.columns and "departure (UTC)" not in frame.columns
    assert frame["departure"].iloc[0] == "19 Nov 18:00 UTC"
    assert all(v.endswith(" UTC") and "T" not in v.removesuffix(" UTC") for v in frame["arrival"])
    assert frame["sortie"].iloc[0] == "Blackjack pair"  # other text is left alone


def test_findings_frame__no_km_left_in_any_catalogue_finding() -> None:
    """With NM chosen, no finding, rendezvous or claim reason of the catalogue reads " km": the core writes
    its sentences in the unit it is asked for (missions.units.message_units), as the dashboard asks."""
    from missions.airspace import mission_airspace
    from missions.dashboard.frames import claims_frame, findings_frame
    from missions.units import message_units

    seen = 0
    for path in catalog_missions().values():
        result = compute_mission(load_mission(path))
        with message_units("nm"):
            air = mission_airspace(result)
            feasibility = assess(result, air)
        findings = findings_frame(feasibility, air)
        seen += len(findings)
        assert not findings["finding"].str.contains(" km").any(), findings["finding"].tolist()
        claims = claims_frame(result, "nm", feasibility)
        for column in ("claim", "reason"):
            if column in claims:
                assert not claims[column].str.contains(" km").any(), claims[column].tolist()
    assert seen > 10  # the catalogue's findings were read (in km they name distances)


def test_catalogue_titles__mission_names_not_file_names() -> None:
    titles = catalogue_titles(catalog_missions())
    assert titles["tu160-2015-11-20"] == "Tu-160 strike around Europe, 20 November 2015"
    assert all(title != stem for stem, title in titles.items())


def test_claims_view__verdict_and_reason_lead_with_the_compared_figure(tu160) -> None:
    frame = claims_view(claims_frame(tu160, "km", assess(tu160)), tu160, "km")
    assert list(frame.columns[:2]) == ["verdict", "reason"]
    assert set(frame["verdict"]) <= set(VERDICTS)
    assert (frame["compared with"] == "Blackjack pair: 14,581 km").sum() == 3  # the three distance claims
    assert claims_view(pd.DataFrame(), tu160, "km").empty


def test_headline__claims_figure_and_per_sortie_totals(tu160) -> None:
    line = headline(tu160, "km")
    assert line.checked_against == "14,581 km, 16 h 37 min (Blackjack pair)"
    assert len(line.per_sortie) == len(tu160.sorties) and line.per_sortie[0].startswith("Blackjack pair (2 × Tu-160)")


def test_editor_message__names_the_visible_row_and_column() -> None:
    names = ["Blackjack pair", "Escort"]
    assert editor_message("x.yaml (edited):40: sorties[0].route[3]: unknown place 'Atlantis'", names) == (
        "Blackjack pair, row 4, place: unknown place 'Atlantis'"
    )
    assert editor_message("x:9: sorties[1].route[0].speed: bad speed", names) == "Escort, row 1, speed: bad speed"
    assert editor_message("x:5: sorties[1].takeoff: no zone", names) == "Escort, takeoff: no zone"


def test_share_value__round_trip_and_size() -> None:
    assert read_share(share_value(NEW_MISSION)) == NEW_MISSION
    assert len(share_value(NEW_MISSION)) < MAX_SHARE_CHARS
    assert read_share("not-a-mission!") is None


def test_new_mission__complete_and_valid() -> None:
    result = compute_mission(parse_mission(NEW_MISSION))
    assert result.sorties and result.weapons and result.claims and result.mission.sources
    assert NEW_MISSION.count("#") >= 3  # it explains itself


def test_add_waypoint__at_the_end_or_after_a_row_keeping_comments() -> None:
    mission = parse_mission(NEW_MISSION)
    text = add_waypoint(NEW_MISSION, mission, 0, 45.5, 10.25)
    route = parse_mission(text).sorties[0].route
    assert (route[-1].point.lat_deg, route[-1].point.lon_deg) == (45.5, 10.25)
    assert "# a gazetteer name, an ICAO code" in text
    text = add_waypoint(NEW_MISSION, mission, 0, 45.5, 370.25, after_row=1)  # a wrapped longitude
    route = parse_mission(text).sorties[0].route
    assert (route[1].point.lat_deg, route[1].point.lon_deg) == (45.5, 10.25)


def test_timeline_spec__every_leg_and_weapon_in_utc() -> None:
    from missions.dashboard.frames import timeline_frame
    from missions.dashboard.view import timeline_spec

    result = compute_mission(load_mission(catalog_missions()["tu160-2015-11-20"]))
    frame = timeline_frame(result)
    spec = timeline_spec(frame)
    values = spec["data"]["values"]
    assert len(values) == len(frame) == sum(len(s.legs) for s in result.sorties) + len(result.weapons)
    assert values[0]["start"].endswith("Z") and spec["encoding"]["x"]["scale"] == {"type": "utc"}
    assert spec["encoding"]["x2"] == {"field": "end"} and spec["mark"]["type"] == "bar"
    json.dumps(spec)  # plain data, as st.vega_lite_chart takes it


def test_table_display__short_times_and_whole_figures() -> None:
    from missions.dashboard.view import table_display

    frame = pd.DataFrame({"leg": ["A → B"], "distance (km)": [1234.56], "start (UTC)": ["2015-11-19T18:33:17.490581Z"]})
    shown = table_display(frame, ("distance",))
    assert shown["distance (km)"].tolist() == [1235.0]
    assert shown["start"].tolist() == ["19 Nov 18:33 UTC"]  # the header loses "(UTC)": the cell says it
    assert frame["distance (km)"].tolist() == [1234.56]  # the core's frame is left as it was
