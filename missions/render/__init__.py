"""Map rendering: the only part of the package that imports folium.

``missions.render.offline`` makes folium output self-contained (every script, stylesheet, font and
image inlined from the vendored ``assets/`` directory) so that maps open with no network.
"""
