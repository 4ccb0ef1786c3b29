"""The colours of the levels, one table for the interactive map, the trip report's map and
its level chips."""

from __future__ import annotations

__all__ = [
    "COMPARE_COLOUR",
    "EXCEPTION_COLOUR",
    "LEVEL_COLOURS",
    "NO_LEVEL_COLOUR",
    "TEXT_COLOURS",
    "colour_css",
    "ink",
    "level_colours",
]

#: Fill colours by level (ColorBrewer RdYlBu, red = most serious).
LEVEL_COLOURS = {4: "#b2182b", 3: "#ef8a62", 2: "#fdb863", 1: "#92c5de"}
#: Text and line colours by level: the fills darkened until text on white meets WCAG AA
#: (contrast 4.5:1 or more; tests/test_maps.py checks it).
TEXT_COLOURS = {4: "#b2182b", 3: "#a8431e", 2: "#8c4a00", 1: "#1a7340"}
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
    """The table as the map page's scripts receive it: fill, ink (text on the fill) and text
    (text or a line on white) by level, and no level."""
    table = {
        str(level): {"fill": fill, "ink": ink(level), "text": TEXT_COLOURS[level]}
        for level, fill in LEVEL_COLOURS.items()
    }
    return {**table, "none": {"fill": NO_LEVEL_COLOUR, "ink": ink(None), "text": "#333333"}}


def colour_css() -> str:
    """The page's colour rules from the table (the legend's swatches, the answers' level words,
    the compare view's words): served with the page's style sheet, since the page allows no
    inline styles."""
    rules = [f".rz-swatch-{level} {{ background: {fill}; }}" for level, fill in LEVEL_COLOURS.items()]
    rules += [f".rz-level-{level} {{ color: {text}; }}" for level, text in TEXT_COLOURS.items()]
    rules += [
        f".rz-swatch-exception {{ background: {EXCEPTION_COLOUR}; }}",
        f".rz-swatch-compare {{ background: {COMPARE_COLOUR}; }}",
        f".rz-disagree {{ font-weight: bold; color: {COMPARE_COLOUR}; }}",
    ]
    return "\n".join(rules) + "\n"
