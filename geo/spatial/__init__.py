"""Geometry that knows nothing of packs: the point grid, geodesic nearest boundaries and the
km intervals of a line inside polygons."""

__all__: list[str] = []
