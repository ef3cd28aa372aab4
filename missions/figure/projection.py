"""The map projection of a figure, chosen for the mission's extent (no matplotlib here: pyproj only).

``choose_projection(lines, kind)`` looks at every drawn line (the core's densified geodesics, in
(lon, lat) with continuous longitudes) and returns a :class:`Projection`: a PROJ definition and the
view (projected bounds, metres) that holds the whole mission.

``auto`` picks, in this order:

- ``polar``: the mission reaches beyond 75° of latitude: azimuthal equidistant on the nearer pole,
  so a route over the pole is one straight-ish line and no meridian cut crosses it;
- ``aeqd``: every sortie takes off from one base (or the mission has a single launch point):
  azimuthal equidistant on that point, where distances and bearings from the base read true;
- ``conic``: a mid-latitude span (the whole mission between 20° and 75° of one hemisphere):
  equidistant conic with standard parallels at 1/6 and 5/6 of the latitude span, true along meridians;
- ``aeqd`` on the centre of the mission otherwise (tropics, crossing the equator).

Central meridians are taken from the continuous longitudes, so a trans-Pacific mission is centred
on the Pacific and the projection's cut (the antipodal meridian) is on the far side of the globe.
``mercator`` and ``plate-carree`` are there on request (the latter makes long lines look bent).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import shapely
from pyproj import CRS, Transformer

ProjectionKind = Literal["auto", "aeqd", "conic", "polar", "mercator", "plate-carree"]
PROJECTIONS: tuple[ProjectionKind, ...] = get_args(ProjectionKind)

#: beyond this |latitude| (deg) ``auto`` chooses a polar projection
POLAR_LAT_DEG = 75.0
#: a conic needs the mission between these |latitudes| (deg), in one hemisphere
CONIC_LAT_DEG = (20.0, 75.0)
#: margin round the mission, as a fraction of its projected size
MARGIN = 0.08
#: smallest view (m): a one-point mission still shows its surroundings
MIN_VIEW_M = 400_000.0


@dataclass(frozen=True, kw_only=True)
class Projection:
    """The chosen projection and view.

    ``proj4`` is the PROJ definition (WGS84 ellipsoid, metres); ``bounds_m`` the projected view
    ``(xmin, xmax, ymin, ymax)`` holding every line with a margin, before it is fitted to the axes.
    """

    kind: ProjectionKind  #: what was chosen (never ``auto``)
    proj4: str
    bounds_m: tuple[float, float, float, float]
    lat0_deg: float
    lon0_deg: float
    #: for ``conic``: the standard parallels
    parallels_deg: tuple[float, float] = (0.0, 0.0)

    def crs(self) -> CRS:
        return CRS.from_proj4(self.proj4)

    def transformer(self) -> Transformer:
        """(lon, lat) degrees on WGS84 to projected metres."""
        return Transformer.from_crs("EPSG:4326", self.crs(), always_xy=True)

    def project(self, lon_deg: np.ndarray, lat_deg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x, y = _transformer(self.proj4).transform(np.asarray(lon_deg, float), np.asarray(lat_deg, float))
        return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)

    def project_line(self, lon_deg: np.ndarray, lat_deg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A line's vertices (continuous longitudes) in metres, continuous too on cylindrical maps.

        PROJ wraps longitudes to within 180° of the central meridian; on Mercator and plate carrée a
        line that goes past that edge is unwrapped (drawn on beyond the edge, never back across).
        Mercator latitudes are capped at ±89°.
        """
        lat = np.asarray(lat_deg, dtype=np.float64)
        if self.kind == "mercator":
            lat = np.clip(lat, -89.0, 89.0)
        x, y = self.project(np.asarray(lon_deg, dtype=np.float64), lat)
        if self.kind in ("mercator", "plate-carree") and len(x) > 1:
            x = np.unwrap(x, period=2 * np.pi * _EQUATOR_M)
        return x, y

    def unproject(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lon, lat = _transformer(self.proj4, inverse=True).transform(np.asarray(x, float), np.asarray(y, float))
        return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


#: WGS84 equatorial radius (m): one turn of longitude is 2π times this on Mercator and plate carrée
_EQUATOR_M = 6_378_137.0
_TRANSFORMERS: dict[tuple[str, bool], Transformer] = {}


def _transformer(proj4: str, *, inverse: bool = False) -> Transformer:
    key = (proj4, inverse)
    if key not in _TRANSFORMERS:
        crs = CRS.from_proj4(proj4)
        source, target = ("EPSG:4326", crs) if not inverse else (crs, "EPSG:4326")
        _TRANSFORMERS[key] = Transformer.from_crs(source, target, always_xy=True)
    return _TRANSFORMERS[key]


def _wrap(lon_deg: float) -> float:
    return float((lon_deg + 180.0) % 360.0 - 180.0)


def proj4_string(kind: ProjectionKind, lat0_deg: float, lon0_deg: float, parallels: tuple[float, float]) -> str:
    """The PROJ definition of a projection kind centred at (lat0, lon0)."""
    lon0 = _wrap(lon0_deg)
    common = "+ellps=WGS84 +units=m +no_defs +type=crs"
    if kind in ("aeqd", "polar"):
        return f"+proj=aeqd +lat_0={lat0_deg:.6f} +lon_0={lon0:.6f} +x_0=0 +y_0=0 {common}"
    if kind == "conic":
        return (
            f"+proj=eqdc +lat_0={lat0_deg:.6f} +lon_0={lon0:.6f} +lat_1={parallels[0]:.6f} "
            f"+lat_2={parallels[1]:.6f} +x_0=0 +y_0=0 {common}"
        )
    if kind == "mercator":
        return f"+proj=merc +lon_0={lon0:.6f} +k=1 +x_0=0 +y_0=0 {common}"
    return f"+proj=eqc +lon_0={lon0:.6f} +x_0=0 +y_0=0 {common}"


def _all_coords(lines: Sequence[shapely.LineString]) -> np.ndarray:
    parts = [np.asarray(line.coords, dtype=np.float64)[:, :2] for line in lines if not line.is_empty]
    return np.concatenate(parts) if parts else np.zeros((0, 2))


def _centre_lon(lon: np.ndarray) -> float:
    """The middle of the longitudes' smallest covering arc (continuous longitudes may exceed ±180)."""
    wrapped = np.sort(np.mod(lon, 360.0))
    gaps = np.diff(np.concatenate([wrapped, [wrapped[0] + 360.0]]))
    i = int(np.argmax(gaps))  # the arc covering every longitude starts after the widest gap
    start = wrapped[(i + 1) % len(wrapped)]
    span = 360.0 - gaps[i]
    return _wrap(start + span / 2.0)


def choose_projection(
    lines: Sequence[shapely.LineString],
    kind: ProjectionKind = "auto",
    *,
    bases: Sequence[tuple[float, float]] = (),
) -> Projection:
    """The projection and view for lines in (lon, lat); ``bases``: distinct (lat, lon) take-off points."""
    coords = _all_coords(lines)
    if len(coords) == 0:
        coords = np.array([[0.0, 0.0]])
    lon, lat = coords[:, 0], coords[:, 1]
    if kind == "auto":
        if np.max(np.abs(lat)) > POLAR_LAT_DEG:
            kind = "polar"
        elif len(bases) == 1:
            kind = "aeqd"
        elif (
            (np.all(lat > 0) or np.all(lat < 0))
            and CONIC_LAT_DEG[0] <= np.min(np.abs(lat))
            and np.max(np.abs(lat)) <= CONIC_LAT_DEG[1]
        ):
            kind = "conic"
        else:
            kind = "aeqd"
    lon0 = _centre_lon(lon)
    lat_lo, lat_hi = float(np.min(lat)), float(np.max(lat))
    parallels = (0.0, 0.0)
    if kind == "polar":
        lat0 = 90.0 if abs(lat_hi) >= abs(lat_lo) else -90.0
        if lat0 < 0:
            lat0 = -90.0
    elif kind == "aeqd":
        if len(bases) == 1:
            lat0, lon0 = bases[0][0], _wrap(bases[0][1])
        else:
            lat0 = (lat_lo + lat_hi) / 2.0
    elif kind == "conic":
        span = lat_hi - lat_lo
        parallels = (lat_lo + span / 6.0, lat_hi - span / 6.0)
        if abs(parallels[1] - parallels[0]) < 1.0:  # an east-west mission: keep the cone well defined
            parallels = (parallels[0] - 1.0, parallels[1] + 1.0)
        lat0 = (lat_lo + lat_hi) / 2.0
    else:
        lat0 = 0.0
    proj4 = proj4_string(kind, lat0, lon0, parallels)
    probe = Projection(kind=kind, proj4=proj4, bounds_m=(0, 0, 0, 0), lat0_deg=lat0, lon0_deg=lon0)
    xy = [probe.project_line(*np.asarray(line.coords)[:, :2].T) for line in lines if not line.is_empty]
    x = np.concatenate([p[0] for p in xy]) if xy else np.zeros(1)
    y = np.concatenate([p[1] for p in xy]) if xy else np.zeros(1)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if x.size == 0:
        x, y = np.zeros(1), np.zeros(1)
    xmin, xmax, ymin, ymax = float(x.min()), float(x.max()), float(y.min()), float(y.max())
    width, height = max(xmax - xmin, MIN_VIEW_M), max(ymax - ymin, MIN_VIEW_M)
    cx, cy = (xmin + xmax) / 2.0, (ymin + ymax) / 2.0
    width, height = width * (1 + 2 * MARGIN), height * (1 + 2 * MARGIN)
    bounds = (cx - width / 2.0, cx + width / 2.0, cy - height / 2.0, cy + height / 2.0)
    return Projection(
        kind=kind, proj4=proj4, bounds_m=bounds, lat0_deg=float(lat0), lon0_deg=float(lon0), parallels_deg=parallels
    )


def fit_bounds(bounds_m: tuple[float, float, float, float], aspect: float) -> tuple[float, float, float, float]:
    """Bounds grown (never shrunk) about their centre to ``aspect`` = width / height."""
    xmin, xmax, ymin, ymax = bounds_m
    width, height = xmax - xmin, ymax - ymin
    if width / height < aspect:
        width = height * aspect
    else:
        height = width / aspect
    cx, cy = (xmin + xmax) / 2.0, (ymin + ymax) / 2.0
    return (cx - width / 2.0, cx + width / 2.0, cy - height / 2.0, cy + height / 2.0)
