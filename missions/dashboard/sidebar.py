"""The dashboard's sidebar: where the mission comes from, the units, "Land only", the range ring.

The mission's *source* is the catalogue, an upload, pasted text, a news article's draft or a shared
link; the last source that parses is kept in ``st.session_state["good_source"]`` and stays on screen
while a new one does not parse. The chosen catalogue mission and the units live in the URL
(``?mission=...&units=nm``), a shared mission in ``?m=...``.

The widgets whose values the page sets itself (the catalogue mission, the units, the source and the
pasted text: from the URL, a shared link or "New mission") are drawn with that value as their
default, on every run. Streamlit sends a value set from code only with the run that set it; a
browser that first draws the widget from a later run's page (the first run of a session is
replaced at once by the rerun that sends the map's mission, see :func:`.map.end_early_run`) would
otherwise show the widget's default (the first mission, km) and send it back with the next rerun:
the page would switch to the first mission on a click elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ..analysis import MissionResult
from ..errors import MissionFileError
from ..units import Units
from . import page
from .cached import analyse, article_draft, catalogue_titles

SOURCES = ("Catalogue", "Upload", "Paste", "From article")
PASTE_HINT = "name: My mission\nsorties:\n  - name: One\n    aircraft: Tu-160\n    takeoff: 2015-11-20T03:00:00Z\n"


def held_index(options: list[str] | tuple[str, ...], key: str) -> int:
    """The position among ``options`` of the value session state holds for the widget ``key`` (the
    first option when it holds none): the widget's default, so that a browser drawing it afresh shows
    what the server holds (see the module's docstring)."""
    value = st.session_state.get(key)
    return options.index(value) if isinstance(value, str) and value in options else 0


def init_state(catalog: list[str]) -> None:
    """First run of a session: the mission and units from the URL (``?mission=...&units=nm``, or a
    shared mission ``?m=...``)."""
    state, params = st.session_state, st.query_params
    if "started" not in state:
        state["started"] = True
        name = params.get("mission", page.DEFAULT_MISSION)
        state["mission"] = name if name in catalog else page.DEFAULT_MISSION
        shared = page.read_share(params["m"]) if "m" in params else None
        if shared is not None:
            state["source"], state["paste"] = "Paste", shared
        units = params.get("units", "km")
        state["units"] = units if units in page.UNITS else "km"
        state["edit_gen"] = 0
    state.setdefault("mission", page.DEFAULT_MISSION)  # its selectbox's state goes while hidden


def sync_url(source: str) -> None:
    """Keep the chosen catalogue mission and the units in the URL, so a shared link opens this view."""
    params, state = st.query_params, st.session_state
    wanted = {"units": state["units"]}
    if source == "Catalogue":
        wanted["mission"] = state["mission"]
    elif "mission" in params:
        del params["mission"]
    for key, value in wanted.items():
        if params.get(key) != value:
            params[key] = value


def new_mission() -> None:
    """The "New mission" button: the template in the paste box."""
    st.session_state["source"] = "Paste"
    st.session_state["paste"] = page.NEW_MISSION


def article_source() -> tuple[str, str | None, str, str | None]:
    """ "From article": paste a news report; its draft (every value with its sentence) is the mission."""
    article = st.text_area("News article (plain text)", height=300, key="article")
    if not article.strip():
        st.info("Paste a news report: the draft mission marks every guess 'review:' and every filled value 'filled:'.")
        return "From article", None, "<article>", None
    draft, error = article_draft(article)
    if draft is not None:
        st.download_button("Download the draft (YAML)", draft, file_name="draft.yaml", key="article-draft")
        with st.expander("Draft mission (YAML): edit it under Paste"):
            st.code(draft, language="yaml")
    return "From article", draft, "<article draft>", error


def source_widgets(catalog: dict[str, Path]) -> tuple[str, str | None, str, str | None]:
    """The sidebar's mission source: (which source, text or None, file label, error reading it)."""
    with st.sidebar:
        st.header("Mission", anchor=False)
        source = st.radio("Source", SOURCES, index=held_index(SOURCES, "source"), horizontal=True, key="source")
        st.button("New mission", on_click=new_mission, help="Start from a complete example mission (pasted text).")
        if source == "Catalogue":
            titles, names = catalogue_titles(), list(catalog)
            name = st.selectbox(
                "Catalogue mission", names, index=held_index(names, "mission"), key="mission",
                format_func=lambda n: titles.get(n, n),
            )  # fmt: skip
            if name is None:  # no mission chosen (an empty catalogue)
                return source, None, "<catalogue>", None
            return source, catalog[name].read_text(encoding="utf-8"), catalog[name].name, None
        if source == "Upload":
            upload = st.file_uploader("Mission file (YAML or JSON)", type=["yaml", "yml", "json"], key="upload")
            if upload is None:
                return source, None, "<upload>", None
            try:
                return source, upload.getvalue().decode("utf-8-sig"), upload.name, None
            except UnicodeDecodeError:
                error = MissionFileError("not UTF-8 text; save the mission file as UTF-8", file=upload.name)
                return source, None, upload.name, error.one_line()
        if source == "From article":
            return article_source()
        text = st.text_area(
            "Mission text (YAML or JSON)", str(st.session_state.get("paste", "")), height=300, key="paste",
            placeholder=PASTE_HINT,
        )  # fmt: skip
        return source, (text if text.strip() else None), "<pasted>", None


def read_source(catalog: dict[str, Path]) -> tuple[str, list[str]]:
    """The sidebar: mission source and units. A source that parses becomes ``good_source``.

    Returns the source kind and the errors to show (one line each); the last good source stays.
    """
    source, text, label, read_error = source_widgets(catalog)
    st.sidebar.radio(
        "Units", page.UNITS, index=held_index(page.UNITS, "units"), horizontal=True, key="units",
        format_func=lambda u: page.UNIT_NAMES[u],
    )  # fmt: skip
    st.sidebar.toggle(
        "Land only",
        key="land_only",
        help="Overflight by land alone. Off (the default): sovereign airspace, i.e. land, internal waters "
        "(bays up to 24 nm, the White Sea) and the territorial sea (12 nm; Greece 10 nm).",
    )
    sync_url(source)
    errors = [read_error] if read_error else []
    if text is not None:
        _, error = analyse(text, label)
        if error is None:
            st.session_state["good_source"] = (text, label)
        else:
            errors.append(error)
    elif source == "Paste" and not errors:
        st.sidebar.info("Paste a mission in YAML or JSON; the last good mission stays on screen meanwhile.")
    return source, errors


def units() -> Units:
    """The distance unit chosen in the sidebar."""
    chosen: Units = st.session_state["units"]
    return chosen


def land_only() -> bool:
    """Whether the sidebar's "Land only" is on (overflight by land alone)."""
    return bool(st.session_state.get("land_only", False))


def ring_choice(result: MissionResult) -> tuple[str, int] | None:
    """The sidebar's choice of a waypoint where the map draws the sortie's remaining range."""
    if not result.sorties:
        return None
    options: list[tuple[str, int] | None] = [None]
    options += [(s.sortie.name, i) for s in result.sorties for i in range(len(s.sortie.route))]
    names = {(s.sortie.name, i): f"{s.sortie.name} · {i + 1}. {wp.point.name}"
             for s in result.sorties for i, wp in enumerate(s.sortie.route)}  # fmt: skip
    choice = st.sidebar.selectbox(
        "Range left at",
        options,
        format_func=lambda o: "— (only where the range runs out)" if o is None else names[o],
        help="Draws on the map (Feasibility layer) the geodesic ring of the range the sortie has left "
        "when it leaves this waypoint, refuelling included.",
        key="ring_at",
    )
    return choice if choice in names else None
