"""The colours of the levels, one table for the interactive map, the trip report's map and
its level chips."""

from __future__ import annotations

__all__ = ["COMPARE_COLOUR", "EXCEPTION_COLOUR", "LEVEL_COLOURS", "NO_LEVEL_COLOUR"]

#: Fill colours by level (ColorBrewer RdYlBu, red = most serious).
LEVEL_COLOURS = {4: "#b2182b", 3: "#ef8a62", 2: "#fdb863", 1: "#92c5de"}
#: An exception (an area a zone leaves out).
EXCEPTION_COLOUR = "#2166ac"
#: Where governments disagree.
COMPARE_COLOUR = "#762a83"
#: Outside coverage, or no level.
NO_LEVEL_COLOUR = "#bdbdbd"
