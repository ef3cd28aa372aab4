"""What the dashboard needs before its map is drawn: pure, light (no Streamlit, no pandas).

The first script run of a session sends the map before the editor and the tables (their pandas and
pyarrow imports come after it; see README, "Where the first map's time goes"), so everything the
sidebar and the map read lives here: the catalogue and its titles, the units offered, the shared
link, the "New mission" template, whether a mission is large, and :func:`plain` for Markdown.
:mod:`.frames`, :mod:`.view` and :mod:`.ui` re-export these names.

>>> read_share(share_value("name: A"))
'name: A'
"""

from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Mapping
from pathlib import Path

from ..analysis import MissionResult
from ..units import UNIT_LABEL, Units
from ..yamlio import parse_yaml

CATALOG_DIR = Path(__file__).resolve().parents[1] / "catalog"
#: the mission the dashboard opens with
DEFAULT_MISSION = "tu160-2015-11-20"
#: distance units offered, in the order shown
UNITS: tuple[Units, ...] = ("nm", "km", "mi")
#: how the units are named on the page
UNIT_NAMES = UNIT_LABEL
#: the longest ``?m=`` value a shared link carries (browsers and servers take far longer URLs; this
#: keeps links usable in mail and chat)
MAX_SHARE_CHARS = 6000
#: above this many sorties the editor edits one chosen sortie instead of one tab per sortie, and
#: the page leaves out the timeline chart (summary, map and tables stay)
LARGE_MISSION_SORTIES = 12
#: ... or more waypoints than this in all
LARGE_MISSION_WAYPOINTS = 400
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def catalog_missions(directory: Path = CATALOG_DIR) -> dict[str, Path]:
    """The catalogue's mission files (``<name>-<year>-...yaml``) by file stem, sorted."""
    return {path.stem: path for path in sorted(directory.glob("*.yaml"))}


def catalogue_titles(catalog: Mapping[str, Path]) -> dict[str, str]:
    """Each catalogue mission's title (its ``name``), by file stem; the stem when the file has none."""
    titles = {}
    for stem, path in catalog.items():
        try:
            name = parse_yaml(path.read_text(encoding="utf-8"), file=path.name).get("name")
        except (OSError, ValueError, AttributeError):
            name = None
        titles[stem] = str(name) if name else stem
    return titles


def is_large(result: MissionResult) -> bool:
    """Whether the page shows the large-mission view (one sortie editor, no timeline chart)."""
    sorties = result.mission.sorties
    return len(sorties) > LARGE_MISSION_SORTIES or sum(len(s.route) for s in sorties) > LARGE_MISSION_WAYPOINTS


def share_value(text: str) -> str:
    """The mission text compressed for a URL (zlib, then URL-safe base64 without padding)."""
    return base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii").rstrip("=")


def read_share(value: str) -> str | None:
    """The mission text of a shared link's ``m`` value; ``None`` when it is not one."""
    try:
        data = zlib.decompressobj().decompress(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), 5_000_000)
        return data.decode("utf-8")
    except (ValueError, zlib.error, UnicodeDecodeError):
        return None


def plain(text: str) -> str:
    """Text shown literally where Streamlit reads Markdown (headers, captions, alerts, tab labels).

    Mission strings are data: every ASCII punctuation character is backslash-escaped, so
    ``sorties[0].mach_altitude``, ``$``, ``*`` or ``#`` in a name or an error read as typed.
    """
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


#: "New mission": a complete, valid mission to start from (every field the format knows, commented)
NEW_MISSION = """\
# A new mission: edit it here, or in the sortie editor below the map. Every field is explained in Help.
name: New mission
date: 2015-11-20
description: What happened, in a sentence or two.
sources:
  - title: Where the figures come from
    url: https://example.org/article
claims:
  - quantity: distance
    value: about 5000 km
    sortie: Bombers
    source: the article's figure
sorties:
  - name: Bombers
    aircraft: Tu-160
    count: 2
    takeoff: 2015-11-20T03:00:00Z   # ISO 8601 with a zone
    speed: 850-960 km/h             # a range: its middle is used for timing
    source: where the takeoff time and speed come from
    route:
      - Olenya                      # a gazetteer name, an ICAO code, or "lat, lon"
      - place: Norwegian Sea
        refuel: {tanker: Il-78M, duration: 30 min}
      - 58.0, -12.0
      - place: Strait of Gibraltar
        launch: {weapon: Kh-555, count: 4, targets: [Aleppo]}
      - Olenya
"""
