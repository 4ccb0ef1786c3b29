"""The zone pack: its model, loading it, its compiled form, its dates' statuses and what changed
between two packs. ``geo.pack`` itself gives the model and the loaders."""

from geo.pack.load import default_pack_dir, load_default_pack, load_pack
from geo.pack.model import (
    KM2_PER_DEG2,
    LEVEL_LABELS,
    PACK_FILES,
    AdvisoryVersion,
    Baseline,
    BaselineText,
    District,
    Government,
    NightRule,
    Period,
    Source,
    Zone,
    ZonePack,
    ZoneText,
    level_label,
)

__all__ = [
    "KM2_PER_DEG2",
    "LEVEL_LABELS",
    "PACK_FILES",
    "AdvisoryVersion",
    "Baseline",
    "BaselineText",
    "District",
    "Government",
    "NightRule",
    "Period",
    "Source",
    "Zone",
    "ZonePack",
    "ZoneText",
    "default_pack_dir",
    "level_label",
    "load_default_pack",
    "load_pack",
]
