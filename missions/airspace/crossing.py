"""One stretch of a leg inside one country: the record :mod:`.overflight` computes.

Kept apart from the overflight machinery so that reading crossings back from their cache
(:mod:`.crossings_cache`) and timing them (:mod:`.passages`) import neither the clipping code nor the
country index.
"""

from __future__ import annotations

from typing import NamedTuple

#: the label of a stretch that is in no country
INTERNATIONAL_WATERS = "International waters"


class Crossing(NamedTuple):
    """One stretch of a leg inside one country (or in none: ``iso3 is None``).

    Distances are geodesic metres from the start of the leg; points are in degrees (WGS84).
    """

    iso3: str | None  #: Natural Earth ADM0_A3 code; None = international waters / no country
    name: str  #: country name, or "International waters"
    start_m: float  #: distance along the leg where the stretch begins
    end_m: float  #: distance along the leg where it ends
    entry_lat_deg: float
    entry_lon_deg: float
    exit_lat_deg: float
    exit_lon_deg: float

    @property
    def distance_m(self) -> float:
        """Length of the stretch (m)."""
        return self.end_m - self.start_m
