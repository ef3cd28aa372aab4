"""The mission dashboard: ``streamlit run app.py``.

Only the wiring of the page, top to bottom: sidebar widgets -> the core's cached results -> views.
Everything else lives in the dashboard package :mod:`missions.dashboard` (the one place under
``missions/`` that imports Streamlit): the sidebar (:mod:`~missions.dashboard.sidebar`), the mission
on screen (:mod:`~missions.dashboard.working`), the sortie editor (:mod:`~missions.dashboard.editor`),
the core calls cached by ``st.cache_data`` / ``st.cache_resource`` (:mod:`~missions.dashboard.cached`),
the views (:mod:`~missions.dashboard.ui`) and the mounted map (:mod:`~missions.dashboard.map`).

The map is sent first: what it needs imports no pandas or pyarrow; the editor, the tables and the
downloads (which do) follow it, filling their places on the page. Only when the sortie editor may
hold edits does it run before the map. In a browser, the first run of a session sends the map page
before anything else, without a mission (so the browser loads it while the server imports and
computes), then reruns; that run sends only the sidebar, the head and the map's mission; the rest
comes with the run the map starts once it has drawn the mission (README, "Where the first map's
time goes").
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from missions.dashboard.map import end_early_run, first_map_pending, mount_early, show_map


def main() -> None:
    st.set_page_config(page_title="Strike missions", layout="wide")
    # laid out top to bottom; filled once it is known which mission to show
    head, error_box, metrics_box = st.container(), st.container(key="errors"), st.container()
    map_box, tables_box = st.container(key="map-box"), st.container(key="tables")
    editor_box = st.container(key="editor")
    with map_box:
        clicks_box, map_slot = st.container(), st.container()
    with map_slot:
        early = mount_early()  # a browser's first run: the map page now, the mission in the next run

    # the core (numpy, shapely, pyproj) and what the sidebar and the map need: after the early map
    from missions.dashboard import cached, sidebar, working
    from missions.dashboard import track_upload_ui as tracks_ui
    from missions.dashboard.page import catalog_missions, plain
    from missions.dashboard.plan import plan_panel

    catalog = catalog_missions()
    sidebar.init_state(list(catalog))
    source, errors = sidebar.read_source(catalog)
    units, land_only = sidebar.units(), sidebar.land_only()
    good_source = st.session_state.get("good_source")
    rest = True  # the editor, tables, downloads and help: in this run, or once the first map is drawn
    if good_source is not None:
        source_text, source_label = good_source
        unedited = working.unedited_view(source_text, source_label)  # None: the editor may hold edits
        if unedited is None:
            from missions.dashboard import editor

            with editor_box:
                text, label, edited = editor.edit_view(source_text, source_label)
        else:
            text, label, edited = unedited
        view = cached.computed(text, label)
        with head:
            working.show_head(view, source, text, edited)
        track, upload, track_error = tracks_ui.shown_upload(tracks_ui.upload_widgets(view), text, label)
        errors += [track_error] if track_error else []
        with map_box:
            with clicks_box:
                clicks = working.map_clicks(view, text, label)
            ring_at = sidebar.ring_choice(view)
            page = cached.map_data(text, label, units, ring_at, upload, land_only)
            if early:  # computed while the browser loaded the map page: the next run sends it
                end_early_run(page)
            rest = not first_map_pending()
            with map_slot:
                show_map(page, clicks=clicks, on_click=working.add_clicked_waypoint)
            planned = plan_panel(text, view.mission, units, [s.sortie.name for s in view.sorties])
            if planned is not None:
                working.use_edited_text(planned)
        if rest:  # after the map: the modules of the editor and tables (pandas, pyarrow)
            from missions.dashboard import editor, ui

            if unedited is not None:
                with editor_box:
                    editor.edit_view(source_text, source_label)
            data = cached.tables(text, label, units, land_only)
            with metrics_box:
                ui.show_metrics(data.metrics, data.headline)
            with tables_box:
                ui.show_tables(data)
                ui.show_observed(cached.observed_shown(text, label, upload), view, units)
                tracks_ui.show_upload_note(track)
                stem = "mission" if source_label.startswith("<") else Path(source_label).stem
                ui.show_downloads(
                    text, units, stem + ("-edited" if edited else ""),
                    lambda kind: cached.export(kind, text, label, units, land_only),
                    lambda kind: cached.export_earth(kind, text, label, units, upload),
                    lambda fmt, layers: cached.figure_download(fmt, text, label, units, layers, land_only),
                )  # fmt: skip
    if early:  # no mission to show: the next run leaves the map page out
        end_early_run()
    for error in errors:
        error_box.error(plain(error), icon="⚠")
    if rest:
        from missions.dashboard import ui

        ui.show_help()
        st.set_page_config(page_icon="✈")  # not before the map: Streamlit's emoji check imports its emoji table


main()
