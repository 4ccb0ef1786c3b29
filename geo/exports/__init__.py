"""The pack given to other software: GIS files, router avoid-areas, feature collections per
source, and the bundle the browser checks with offline."""

__all__: list[str] = []
