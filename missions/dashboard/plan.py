"""The dashboard's planning panel: from, to, via, what to avoid, the date -> the shortest permitted
route (:func:`missions.airspace.plan.plan_route`), and "Use this route", which writes its waypoints
into the edited mission as an ordinary, editable route.

The pure parts (:func:`default_request`, :func:`run_plan`, :func:`planned_rows`, :func:`use_plan`)
are tested without Streamlit; :func:`plan_panel` draws the widgets. A bad request shows one line and
the last good plan stays on screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import MissionError
from ..model import Mission
from ..units import Units, format_count

if TYPE_CHECKING:
    from ..airspace.plan import PlannedRoute

#: two points closer than this (degrees) are the same waypoint
_SAME_DEG = 1e-6


@dataclass(frozen=True, kw_only=True)
class PlanRequest:
    """What the panel asks the planner (the texts as typed)."""

    origin: str
    destination: str
    via: tuple[str, ...] = ()
    avoid: str = ""
    day: dt.date | None = None
    transit: bool = True


def split_via(text: str) -> tuple[str, ...]:
    """One place per line (a place may hold a comma: ``36.0, -6.0``); blank lines dropped."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def default_request(mission: Mission, sortie_index: int) -> PlanRequest:
    """The sortie's take-off place, its first launch point (else its last waypoint), its ``avoid``
    codes and its take-off date."""
    sortie = mission.sorties[sortie_index]
    route = sortie.route
    launch = next((w for w in route[1:] if w.launches), None)
    end = launch or route[-1]
    return PlanRequest(
        origin=route[0].point.label,
        destination=end.point.label,
        avoid=", ".join(sortie.avoid),
        day=sortie.takeoff.date(),
    )


def run_plan(request: PlanRequest) -> tuple[PlannedRoute | None, str | None]:
    """The planned route, or ``(None, one line)`` naming the field (``from``, ``to``, ``via[i]``, ``avoid``)."""
    from ..airspace.plan import plan_route

    try:
        route = plan_route(
            request.origin,
            request.destination,
            via=list(request.via),
            avoid=request.avoid,
            day=request.day,
            transit=request.transit,
        )
    except MissionError as exc:
        return None, exc.one_line()
    return route, None


def _at(mission: Mission, sortie_index: int, lat_deg: float, lon_deg: float, start: int = 0) -> int | None:
    """The first waypoint of the sortie from ``start`` at this point, or None."""
    for i, w in enumerate(mission.sorties[sortie_index].route[start:], start):
        if abs(w.point.lat_deg - lat_deg) < _SAME_DEG and abs(w.point.lon_deg - lon_deg) < _SAME_DEG:
            return i
    return None


def planned_rows(
    mission: Mission, sortie_index: int, route: PlannedRoute, request: PlanRequest
) -> list[dict[str, Any]]:
    """The sortie editor's rows with the planned route written in.

    If the sortie passes FROM and then TO, the waypoints between them are replaced by the planned
    turning points (as ``lat, lon``) and the vias (as typed); FROM, TO and everything before and
    after stay, with their events (a launch at TO, the way home). Otherwise the route becomes FROM,
    the planned points and TO.
    """
    from .frames import waypoints_frame

    rows: list[dict[str, Any]] = [
        {str(k): v for k, v in row.items()} for row in waypoints_frame(mission, sortie_index).to_dict("records")
    ]
    first, last = route.points[0], route.points[-1]
    vias = iter(request.via)
    places = [f"{p.lat_deg:.4f}, {p.lon_deg:.4f}" if p.planned else next(vias) for p in route.points[1:-1]]
    middle = [{"#": None, "place": place, "speed": "", "events": ""} for place in places]
    i = _at(mission, sortie_index, first.lat_deg, first.lon_deg)
    j = None if i is None else _at(mission, sortie_index, last.lat_deg, last.lon_deg, i + 1)
    if i is not None and j is not None:
        return rows[: i + 1] + middle + rows[j:]
    ends = [{"#": None, "place": text, "speed": "", "events": ""} for text in (request.origin, request.destination)]
    return [ends[0], *middle, ends[1]]


def use_plan(text: str, mission: Mission, sortie_index: int, route: PlannedRoute, request: PlanRequest) -> str:
    """The mission text with the planned route written into sortie ``sortie_index`` (comments and
    layout kept: :func:`missions.dashboard.frames.edit_mission`)."""
    from .frames import SortieEdit, edit_mission

    rows = planned_rows(mission, sortie_index, route, request)
    return edit_mission(text, mission, [SortieEdit(sortie_index, rows)])


def plan_summary(route: PlannedRoute, units: Units) -> str:
    """``8,893 km (+136 % over the direct 3,766 km), 13 turning points``, in ``units``."""
    from ..units import check_units, format_distance

    unit = check_units(units)
    turns = sum(p.planned for p in route.points)
    return (
        f"{format_distance(route.distance_m, unit)} (+{route.excess * 100:.0f} % over the direct "
        f"{format_distance(route.direct_m, unit)}), {format_count(turns, 'turning point')}"
    )


def points_table(route: PlannedRoute) -> list[dict[str, Any]]:
    """The planned route's points for a table: name, latitude, longitude, planned."""
    return [
        {"point": p.name, "lat": round(p.lat_deg, 4), "lon": round(p.lon_deg, 4), "planned": p.planned}
        for p in route.points
    ]


def plan_panel(text: str, mission: Mission, units: Units, sorties: Sequence[str]) -> str | None:
    """The panel (in an expander); returns the mission text with the route used, when asked."""
    import streamlit as st

    from .page import plain

    state = st.session_state
    with st.expander("Plan a route: the shortest way that avoids airspace", expanded=False):
        if not sorties:
            st.info("This mission has no sortie to plan.")
            return None
        index = st.selectbox("Sortie", range(len(sorties)), format_func=lambda i: sorties[i], key="plan_sortie")
        default = default_request(mission, int(index))
        k = f"{int(index)}"  # the fields start from the chosen sortie's
        with st.form(f"plan_form_{k}", border=False):
            left, right = st.columns(2)
            origin = left.text_input(
                "From", value=default.origin, help="Place name, ICAO code or 'lat, lon'", key=f"plan_from_{k}"
            )
            destination = right.text_input("To", value=default.destination, key=f"plan_to_{k}")
            via = st.text_area("Via (one place per line)", value="", height=68, key=f"plan_via_{k}")
            left, right = st.columns([3, 1])
            avoid = left.text_input(
                "Avoid",
                value=default.avoid,
                help="ISO 3166 alpha-3 codes and groups: NATO, EU, CSTO, e.g. NATO, SWE, FIN",
                key=f"plan_avoid_{k}",
            )
            day = right.date_input(
                "On", value=default.day, help="The day whose group membership counts", key=f"plan_day_{k}"
            )
            transit = st.checkbox(
                "Transit passage through straits (Gibraltar, Dover, ...)", value=True, key=f"plan_transit_{k}"
            )
            asked = st.form_submit_button("Plan", key=f"plan_submit_{k}")
        if asked:
            request = PlanRequest(
                origin=origin, destination=destination, via=split_via(via), avoid=avoid, day=day, transit=transit
            )
            route, error = run_plan(request)
            if error is not None:
                state["plan_error"] = error
            else:
                state["plan_good"] = (int(index), request, route)
                state.pop("plan_error", None)
        if state.get("plan_error"):
            st.error(plain(state["plan_error"]), icon="⚠")
        good = state.get("plan_good")
        if good is None:
            st.caption("The planned route shows here; it replaces the sortie's waypoints only when you use it.")
            return None
        at, request, route = good
        st.markdown(f"**Avoiding {plain(route.avoid.label() or 'nothing')}:** {plain(plan_summary(route, units))}")
        st.dataframe(points_table(route), hide_index=True, key="plan_points")
        if at >= len(mission.sorties):
            return None
        if st.button(f"Use this route for {sorties[at]}", key="plan_use"):
            return use_plan(text, mission, at, route, request)
    return None
