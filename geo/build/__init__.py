"""Build the zone pack from the research sources (``make zones``).

Needs geopandas and the sources directory; the rest of ``geo`` only reads built packs.
"""

from geo.build.pipeline import DEFAULT_SOURCES, BuildResult, build_pack, default_output_root

__all__ = ["DEFAULT_SOURCES", "BuildResult", "build_pack", "default_output_root"]
