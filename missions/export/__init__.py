"""Writers of a computed mission: GeoJSON (RFC 7946), CSV legs, self-contained HTML map.

Each writer is a pure function from a :class:`~missions.analysis.MissionResult` to text or a dict;
the CLI (``python -m missions export|map``) writes the files.
"""
