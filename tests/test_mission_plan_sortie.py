"""A whole sortie planned (``plan: {from, to, via, avoid}`` instead of ``route``). The README's example,
run as written, is checked by ``test_readme_commands`` ("planned sortie")."""

from __future__ import annotations

import pytest

from missions.errors import MissionError
from missions.parsing import parse_mission


def sortie(plan: str, extra: str = "") -> str:
    return (
        "name: t\nsorties:\n  - name: s\n    aircraft: Tu-160\n    takeoff: 2021-06-01T06:00:00Z\n"
        f"    speed: 800 km/h\n{extra}    plan: {plan}\n"
    )


def test_sortie_plan__is_the_route_from_then_the_planned_stretch() -> None:
    """The same as a route ``[from, plan: {to, ...}]``: same waypoints, same planned flags."""
    planned = parse_mission(sortie('{from: "51.5, -0.12", to: "32.9, 13.2", avoid: [EU]}')).sorties[0]
    route = (
        "name: t\nsorties:\n  - name: s\n    aircraft: Tu-160\n    takeoff: 2021-06-01T06:00:00Z\n"
        '    speed: 800 km/h\n    route:\n      - "51.5, -0.12"\n      - plan: {to: "32.9, 13.2", avoid: [EU]}\n'
    )
    same = parse_mission(route).sorties[0]
    assert [(w.point.lat_deg, w.point.lon_deg, w.point.planned) for w in planned.route] == [
        (w.point.lat_deg, w.point.lon_deg, w.point.planned) for w in same.route
    ]
    assert sum(w.point.planned for w in planned.route) >= 3


def test_sortie_plan__avoid_defaults_to_the_sorties() -> None:
    text = sortie('{from: "51.5, -0.12", to: "32.9, 13.2"}', extra="    avoid: [EU]\n")
    assert sum(w.point.planned for w in parse_mission(text).sorties[0].route) >= 3


@pytest.mark.parametrize(
    ("plan", "extra", "message"),
    [
        ("{from: Paris, to: Olenya, avoid: [NATO]}", "", "sorties[0].plan.from: Paris (48.8566, 2.3522) lies in"),
        ("{to: Olenya}", "", "sorties[0].plan: a sortie's plan needs 'from' and 'to'"),
        ("{from: Minsk, to: Olenya, avoid: [NATTO]}", "", "sorties[0].plan.avoid"),
        ("{from: Minsk, to: Olenya, sped: 3}", "", "sorties[0].plan.sped: unknown field 'sped' in a sortie's plan"),
        ("{from: Minsk, to: Olenya}", "    route: [Minsk, Olenya]\n", "a sortie has a route or a plan, not both"),
        ("{from: Minsk, to: Atlantiss}", "", "sorties[0].plan.to: unknown place 'Atlantiss'"),
    ],
)
def test_sortie_plan__bad_input_names_the_field(plan: str, extra: str, message: str) -> None:
    with pytest.raises(MissionError) as err:
        parse_mission(sortie(plan, extra), file="p.yaml")
    assert message in "\n".join(err.value.lines())
