"""The map of a computed mission as one self-contained HTML page that opens with no network."""

from __future__ import annotations

from typing import Any

from ..analysis import MissionResult
from ..errors import MissionError
from ..units import format_count


def map_html(result: MissionResult, **options: Any) -> str:
    """Render :func:`missions.render.map.build_map` and inline every script, stylesheet and font.

    ``options`` are those of ``build_map`` (``units``, ``tiles``, ``rings``, ``overflight``).
    With an online ``tiles`` choice the page still loads no script or style from the network;
    only the tile layer, when shown, fetches tiles.

    Raises
    ------
    MissionError
        If any external resource would be left in the page (a bug or an unvendored asset).
    """
    from ..render.map import build_map
    from ..render.offline import OfflineAssetError, external_urls, inline_assets

    page = build_map(result, **options).get_root().render()
    try:
        page = inline_assets(page)
    except OfflineAssetError as exc:
        raise MissionError(f"cannot make the map self-contained: {exc}", file=result.mission.file) from None
    left = external_urls(page)
    if left:
        raise MissionError(
            f"the map page still links {format_count(len(left), 'external resource')}: {', '.join(left[:3])}",
            file=result.mission.file,
        )
    return page
