"""The colours of the levels, one table for the interactive map, the trip report's map and
its level chips."""

from __future__ import annotations

__all__ = ["COMPARE_COLOUR", "EXCEPTION_COLOUR", "LEVEL_COLOURS", "NO_LEVEL_COLOUR", "ink", "level_colours"]

#: Fill colours by level (ColorBrewer RdYlBu, red = most serious).
LEVEL_COLOURS = {4: "#b2182b", 3: "#ef8a62", 2: "#fdb863", 1: "#92c5de"}
#: An exception (an area a zone leaves out).
EXCEPTION_COLOUR = "#2166ac"
#: Where governments disagree.
COMPARE_COLOUR = "#762a83"
#: Outside coverage, or no level.
NO_LEVEL_COLOUR = "#bdbdbd"


def ink(level: int | None) -> str:
    """The text colour on a level's colour: white on the darkest (level 4), else near-black."""
    return "#ffffff" if level == 4 else "#111111"


def level_colours() -> dict[str, dict[str, str]]:
    """The table as the map page's scripts receive it: fill and ink by level, and no level."""
    table = {str(level): {"fill": fill, "ink": ink(level)} for level, fill in LEVEL_COLOURS.items()}
    return {**table, "none": {"fill": NO_LEVEL_COLOUR, "ink": ink(None)}}
