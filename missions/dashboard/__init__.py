"""The dashboard (``streamlit run app.py``): the one package under ``missions/`` that may import Streamlit.

The core (every other module of :mod:`missions` but the faces :mod:`missions.render`,
:mod:`missions.figure` and :mod:`missions.export`) imports neither Streamlit nor folium. Here:

- pure, tested without Streamlit: :mod:`.frames` (the tables as DataFrames, the metric cards),
  :mod:`.edit` (the sortie edit on the YAML text, comments kept), :mod:`.view` (how the page presents
  them: short times, the claims led by verdict, the share link, a clicked waypoint),
  :mod:`.track_upload` (an uploaded observed track compared), the pure parts of :mod:`.plan`;
- Streamlit: :mod:`.cached` (the core calls, cached), :mod:`.sidebar` (the mission's source, units),
  :mod:`.editor` (the sortie editor, map clicks, undo), :mod:`.ui` (cards, tables, downloads, help),
  :mod:`.map` (the mounted map component), :mod:`.track_upload_ui`, the panel of :mod:`.plan`.

This module imports nothing, so that ``import missions.dashboard.frames`` costs only what it uses.
"""
