"""A checked disk cache of overflight results: the crossings of a set of legs, computed once.

Computing a mission's crossings needs the country index and the sovereign airspace in memory
(~0.1 s to load, more than the computation itself for a catalogue mission); a report of the same
legs again reads the crossings back instead (a few milliseconds). One JSON file per set of legs
and airspace rule, written by :func:`missions.checkedcache.save_json` (source version and SHA-256;
a damaged file is recomputed and replaced with one notice).

The key is the legs' coordinates, bit for bit, and the rule; the file name also carries a digest of
the source version below, so that checkouts of different versions sharing the cache folder do not
overwrite each other's results. The source version the file must
names everything the result depends on: both embedded data files, the source code of
:mod:`missions.airspace` and :mod:`missions.geodesy` (and the ``geodata`` modules that build
pieces), each by its size and CRC-32 (:func:`missions.checkedcache.file_version`, read again only
when the file's stat changes), and the NumPy, Shapely/GEOS and pyproj/PROJ versions. Changing any
of them makes every stored result stale: it is computed again, never served. At most :data:`MAX_FILES` results are
kept (the least recently written are removed).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from missions.checkedcache import Damaged, cache_dir, file_version, load_json, save_json

if TYPE_CHECKING:
    from .crossing import Crossing

_log = logging.getLogger(__name__)

#: bump when the stored form changes
_FORMAT = 1
#: results kept on disk; older ones are removed when a new one is written
MAX_FILES = 64
#: a result file larger than this is not read (a 300-sortie mission's is well under 1 MB)
MAX_BYTES = 32 * 1024 * 1024

_ROOT = Path(__file__).resolve().parents[2]
#: the code an overflight result depends on (every module of the package, whatever its layout)
_CODE_GLOBS = ("missions/airspace/**/*.py", "missions/geodesy.py", "geodata/airspace.py", "geodata/countries.py")


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    import pyproj
    import shapely

    sha = hashlib.sha256(f"numpy {np.__version__} shapely {shapely.__version__} geos {shapely.geos_version_string} "
                         f"pyproj {pyproj.__version__} proj {pyproj.proj_version_str}".encode())  # fmt: skip
    for pattern in _CODE_GLOBS:
        for path in sorted(_ROOT.glob(pattern)):
            sha.update(f"\0{path.relative_to(_ROOT).as_posix()}\0{file_version(path)}".encode())
    return sha.hexdigest()


def _source() -> str | None:
    """The version of everything a result depends on (None when a data file cannot be read)."""
    from geodata.embedded import FINE_PATH, SOVEREIGN_PATH

    try:
        data = [f"{p.name} {file_version(p)}" for p in (FINE_PATH, SOVEREIGN_PATH)]
        code = _code_digest()
    except OSError:
        return None
    return f"overflight-results format:{_FORMAT} {' '.join(data)} code:{code}"


def _key(arrays: list[np.ndarray], territorial_sea_nm: float | None) -> str:
    sha = hashlib.sha256(f"rule:{territorial_sea_nm!r} legs:{len(arrays[0])}".encode())
    for a in arrays:
        sha.update(np.ascontiguousarray(a, dtype=np.float64).tobytes())
    return sha.hexdigest()[:32]


def _is_crossing(c: Any) -> bool:
    """Whether ``c`` is a stored crossing: [iso3 or None, name, six finite floats]."""
    if not (isinstance(c, list) and len(c) == 8 and isinstance(c[1], str)):
        return False
    return (c[0] is None or isinstance(c[0], str)) and all(isinstance(v, float) and math.isfinite(v) for v in c[2:])


def _from_json(data: Any, n_legs: int) -> list[list[Crossing]] | None:
    """The crossings stored by :func:`cached_legs_crossings`, or None if they are not in that form."""
    from .crossing import Crossing

    if not isinstance(data, list) or len(data) != n_legs:
        return None
    out = []
    for leg in data:
        if not isinstance(leg, list):
            return None
        crossings = []
        for c in leg:
            if not _is_crossing(c):
                return None
            crossings.append(Crossing(*c))
        out.append(crossings)
    return out


def _prune(directory: Path, keep: int) -> None:
    """Remove the oldest result files beyond ``keep``."""
    with contextlib.suppress(OSError):
        files = [(e.stat().st_mtime_ns, e.path) for e in os.scandir(directory) if e.name.endswith(".json")]
        for _, path in sorted(files, reverse=True)[keep:]:
            with contextlib.suppress(OSError):
                os.unlink(path)


def _computed(arrays: list[np.ndarray], territorial_sea_nm: float | None) -> list[list[Crossing]]:
    from .overflight import legs_crossings  # here: a cached result never loads the overflight code

    return legs_crossings(*arrays, territorial_sea_nm=territorial_sea_nm)


def cached_legs_crossings(
    lat1_deg: ArrayLike, lon1_deg: ArrayLike, lat2_deg: ArrayLike, lon2_deg: ArrayLike, *,
    territorial_sea_nm: float | None = None,
) -> list[list[Crossing]]:  # fmt: skip
    """:func:`~missions.airspace.overflight.legs_crossings` over the embedded countries, read from the
    disk cache when the same legs were computed under the same rule, data and code (a cached result
    loads neither the overflight code nor the country index)."""
    arrays = [np.atleast_1d(np.asarray(v, dtype=np.float64)) for v in (lat1_deg, lon1_deg, lat2_deg, lon2_deg)]
    source = _source()
    if source is None or len({len(a) for a in arrays}) != 1 or not len(arrays[0]):
        return _computed(arrays, territorial_sea_nm)
    directory = cache_dir() / "overflight"
    # the source's digest in the name: checkouts of other versions sharing the folder keep their own
    # results instead of overwriting each other's (the file still names its source, checked on reading)
    version = hashlib.sha256(source.encode()).hexdigest()[:8]
    path = directory / f"crossings-{_key(arrays, territorial_sea_nm)}-{version}.json"
    stored = load_json(path, source=source, max_bytes=MAX_BYTES)
    if stored is not None and not isinstance(stored, Damaged):
        crossings = _from_json(stored, len(arrays[0]))
        stored = crossings if crossings is not None else Damaged(reason="its contents are not crossings")
        if crossings is not None:
            return crossings
    if isinstance(stored, Damaged) and stored.reason != "it was built from other source data":
        _log.warning("note: the overflight result cache %s was not used (%s); recomputing it", path, stored.reason)
    crossings = _computed(arrays, territorial_sea_nm)
    with contextlib.suppress(OSError, ValueError):  # a read-only home: the result is still given
        # not flushed to the disk (no fsync, 8-20 ms): a result lost in a crash is computed again
        save_json(path, [[list(c) for c in leg] for leg in crossings], source=source, durable=False)
        _prune(directory, MAX_FILES)
    return crossings
