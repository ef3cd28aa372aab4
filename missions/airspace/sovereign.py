"""Sovereign airspace for the overflight report: land, internal waters and territorial sea.

The airspace is embedded (``geodata/airspace_sovereign.wkb.gz``, built by
``python -m geodata.build_airspace --only sovereign``; the rules are in :mod:`geodata.airspace`):
per Natural Earth unit, its land, its internal waters (bays whose mouth is at most 24 nm, the
listed historic bays such as the White Sea) and its territorial sea (12 nm, or the sourced breadth
of territorial airspace: Greece 10 nm, Gibraltar and Jordan 3 nm), minus other units' land, cut
into pieces of at most 128 vertices. Where two units' seas overlap (a strait narrower than both
seas), both hold the band; the overflight code gives each stretch to the nearer land.

A unit of a :class:`~missions.airspace.index.CountryIndex` that the embedded data lacks (a custom
frame's made-up code) counts its land only.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

from .index import CountryIndex

#: where sovereign seas overlap, land this far (nm) is looked at to find the nearer coast: a point of
#: internal waters is within 24 nm of its coast (a bay's closing disc has a 12 nm radius), of a
#: territorial sea within 12 nm
NEAREST_LAND_NM = 26.0
#: stretches shorter than this (m) join their neighbour: the data is rounded to 1e-4° (≈ 11 m), so
#: two neighbours' pieces may leave a gap of metres along a land border
SLIVER_M = 25.0


@dataclass(frozen=True, eq=False)
class SovereignPieces:
    """The sovereign airspace of an index's countries, cut into pieces under an STRtree."""

    pieces: NDArray[np.object_]  #: prepared (lon, lat) polygons
    piece_country: NDArray[np.intp]  #: per piece, its country in the index's numbering
    tree: shapely.STRtree
    whole: NDArray[np.object_]  #: per country, its airspace whole (prepared: the containment shortcut)


@functools.lru_cache(maxsize=4)
def sovereign_pieces(index: CountryIndex) -> SovereignPieces:
    """The embedded sovereign airspace of ``index``'s countries (cached per index, ~0.1 s)."""
    from geodata.airspace import load_sovereign_airspace

    units = load_sovereign_airspace()
    parts, owners, whole = [], [], []
    for i, iso3 in enumerate(index.iso3):
        unit = units.get(iso3)
        # a code the embedded data lacks counts its land
        own = index.pieces[index.piece_country == i] if unit is None else shapely.get_parts(unit.airspace)
        parts.append(np.asarray(own, dtype=object))
        owners.append(np.full(len(own), i, dtype=np.intp))
        whole.append(index.land[i] if unit is None else unit.outline)
    pieces = np.concatenate(parts)
    shapely.prepare(pieces)
    wholes = np.array(whole, dtype=object)
    shapely.prepare(wholes)
    return SovereignPieces(
        pieces=pieces, piece_country=np.concatenate(owners), tree=shapely.STRtree(pieces), whole=wholes
    )


#: the avoided-airspace layer of the map is drawn simplified at this tolerance (degrees, ≈ 5 km)
DRAW_TOLERANCE_DEG = 0.05


def avoided_shapes(codes: tuple[str, ...], tolerance_deg: float = DRAW_TOLERANCE_DEG) -> list[tuple[str, str, object]]:
    """``(iso3, name, polygons)`` of each unit's sovereign airspace, simplified for drawing (the map's
    light layer of the airspace a planned route avoided). Unknown codes are skipped."""
    from geodata.airspace import load_sovereign_airspace

    units = load_sovereign_airspace()
    out = []
    for code in codes:
        unit = units.get(code)
        if unit is None or unit.outline.is_empty:
            continue
        out.append((code, unit.name, shapely.simplify(unit.outline, tolerance_deg)))
    return out
