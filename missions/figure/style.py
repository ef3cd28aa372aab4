"""Sizes, layers, colours and fonts of the figures (no matplotlib import here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from ..render.common import REFUEL_COLOUR, SORTIE_COLOURS, WEAPON_COLOUR

SizeName = Literal["web", "print", "square"]
SIZES: tuple[SizeName, ...] = get_args(SizeName)
Format = Literal["png", "svg", "pdf"]
FORMATS: tuple[Format, ...] = get_args(Format)
Layer = Literal["countries", "routes", "arrows", "weapons", "markers", "places", "country-names", "seas",
                "graticule", "legend", "scale", "credits", "claims"]  # fmt: skip
LAYERS: tuple[Layer, ...] = get_args(Layer)
#: drawn unless asked otherwise (the claims box is an option: ``--claims``)
DEFAULT_LAYERS: frozenset[Layer] = frozenset(LAYERS) - {"claims"}


@dataclass(frozen=True, kw_only=True)
class Size:
    """A figure size: inches and dots per inch (raster outputs), and a font scale."""

    width_in: float
    height_in: float
    dpi: float
    font_scale: float

    @property
    def pixels(self) -> tuple[int, int]:
        return round(self.width_in * self.dpi), round(self.height_in * self.dpi)


#: web 1600×1000 px; print A4 landscape (297×210 mm) at 300 dpi; square 1080×1080 px
SIZE: dict[str, Size] = {
    "web": Size(width_in=16.0, height_in=10.0, dpi=100.0, font_scale=1.0),
    "print": Size(width_in=297 / 25.4, height_in=210 / 25.4, dpi=300.0, font_scale=0.8),
    "square": Size(width_in=10.8, height_in=10.8, dpi=100.0, font_scale=1.0),
}

LAND = "#efece4"
SEA = "#d6e6f0"
BORDER = "#a8a39a"
COUNTRY_TEXT = "#6f6a60"
SEA_TEXT = "#4a7391"
PLACE_TEXT = "#222222"
GRID = "#8a9aa6"
MARKER_EDGE = "#1a1a1a"
VERDICT_COLOUR = {"consistent": "#1a7f37", "inconsistent": "#b35900", "impossible": "#c0152f"}
FONT = "DejaVu Sans"
__all__ = ["REFUEL_COLOUR", "SORTIE_COLOURS", "WEAPON_COLOUR"]


def plain(text: object) -> str:
    """Mission text made safe for matplotlib: every ``$`` escaped, so no mathtext is ever parsed.

    Matplotlib reads text between two unescaped ``$`` as math (and would fail or typeset it); with
    every ``$`` escaped there is none, and ``\\$`` is drawn as ``$``. Used where matplotlib makes
    the text object itself (legend entries); texts we make get ``parse_math=False`` as well.
    """
    return str(text).replace("$", r"\$")
