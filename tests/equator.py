"""The equator mission the known-answer tests share: sortie A, a Tu-160 at 900 km/h, 0,0 → 0,10 → 0,20.

10° of longitude on the equator is 6,378,137 m × π/18 = 1,113,194.908 m on WGS84 (:data:`LEG_M`); at
900 km/h (250 m/s) that is 4,452.78 s. Each test file adds what it checks to the waypoint at 0, 10
(events, a speed), further waypoints, sorties and claims.
"""

from __future__ import annotations

import math
import textwrap

#: one leg of the equator mission: 10° of longitude on the WGS84 equator (m)
LEG_M = 6_378_137.0 * math.pi / 18


def _block(yaml: str, indent: int) -> str:
    """``yaml`` (any indentation) re-indented by ``indent`` spaces, one line each, or nothing."""
    return textwrap.indent(textwrap.dedent(yaml).strip("\n"), " " * indent) + "\n" if yaml.strip() else ""


def equator_yaml(
    at_10: str = "",
    *,
    name: str = "Equator test",
    sortie: str = "",
    after_10: str = "",
    sorties: str = "",
    claims: str = "",
) -> str:
    """The mission file: sortie A flies 0, 0 → 0, 10 (with ``at_10``: that waypoint's fields) → 0, 20.

    ``sortie``: more fields of sortie A (``count: 2``); ``after_10``: waypoints (list items) between
    0, 10 and 0, 20; ``sorties``: more sorties (list items); ``claims``: claim items.
    """
    return (
        f"name: {name}\n"
        "sorties:\n"
        "  - name: A\n"
        "    aircraft: Tu-160\n"
        f"{_block(sortie, 4)}"
        "    takeoff: 2015-11-20T00:00:00Z\n"
        "    speed: 900 km/h\n"
        "    route:\n"
        "      - 0, 0\n"
        "      - place: 0, 10\n"
        f"{_block(at_10, 8)}"
        f"{_block(after_10, 6)}"
        "      - 0, 20\n"
        f"{_block(sorties, 2)}" + (f"claims:\n{_block(claims, 2)}" if claims.strip() else "")
    )
