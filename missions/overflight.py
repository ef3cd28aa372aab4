"""Former home of the overflight code, now in :mod:`missions.airspace` (kept so old imports work).

Import from :mod:`missions.airspace` (or its modules) in new code.
"""

from .airspace import *  # noqa: F403
from .airspace import __all__ as _public
from .airspace.bands import band_piece
from .airspace.index import MAX_PIECE_VERTICES, _default_index
from .airspace.overflight import CHORD_TOLERANCE_M, MAX_STEP_M

__all__ = [*_public, "CHORD_TOLERANCE_M", "MAX_PIECE_VERTICES", "MAX_STEP_M", "_default_index", "band_piece"]
