"""Everything a request needs, built once by ``create_app`` and shared by every request.

Nothing here is built by a view: a broken pack or gazetteer stops start-up with its reason.
The one thing that changes while serving is the date of the map page; ``MapPages`` renders the
page for a new day once, under a lock, and keeps it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from flask import current_app
from shapely.geometry import mapping

from geo.engine.index import ZoneIndex, default_index
from geo.engine.region import Region
from geo.exports.offline import bundle
from geo.i18n import DEFAULT, speaking
from geo.pack import ZonePack
from geo.pack.load import neighbour_pack_dirs
from geo.trips.gazetteer import Gazetteer
from geo.trips.region_routes import RegionRoutes
from maps import MapPage, page, risk_map
from service.live import LiveAlerts
from service.store import Store, default_url
from service.store.alerts import record_pack

__all__ = ["MapPages", "State", "build_state", "state"]


class MapPages:
    """The interactive map page of one pack, per day: today's is rendered at start-up."""

    def __init__(
        self, index: ZoneIndex, tiles: str, attribution: str, neighbours: tuple[ZoneIndex, ...] = ()
    ) -> None:
        self._index = index
        self._neighbours = neighbours
        pack = index.pack
        self._tiles = tiles or None
        self._attribution = attribution
        self._lock = threading.Lock()
        today = pack.date(None)
        self._pages: dict[tuple[dt.date, str], MapPage] = {(today, DEFAULT): self._render(today, DEFAULT)}

    def _render(self, day: dt.date, code: str) -> MapPage:
        with speaking(code):
            fmap = risk_map(
                self._index,
                date=day,
                tiles=self._tiles,
                attribution=self._attribution,
                neighbours=self._neighbours,
            )
            asked = "" if code == DEFAULT else f"?lang={code}"
            return page(
                fmap,
                script_url=f"/map/init.js{asked}",
                style_url=f"/map/style.css{asked}",
                static_url="/static/maps",
            )

    def on(self, day: dt.date, code: str = DEFAULT) -> MapPage:
        """The page for ``day`` in language ``code`` (rendered once; the pages of the two most
        recent days are kept)."""
        found = self._pages.get((day, code))
        if found is not None:
            return found
        with self._lock:
            if (day, code) not in self._pages:
                rendered = self._render(day, code)
                newest = max(d for d, _ in self._pages)
                kept = {key: p for key, p in self._pages.items() if key[0] in (newest, day)}
                self._pages = {**kept, (day, code): rendered}
            return self._pages[day, code]


@dataclass(frozen=True)
class State:
    """The app's engine objects: one pack, its index, route checker, gazetteer and map pages."""

    pack: ZonePack
    index: ZoneIndex
    #: The home pack's index and the neighbours' (``geo.engine.region``): where a point is answered.
    region: Region
    routes: RegionRoutes
    gazetteer: Gazetteer
    maps: MapPages
    #: Each zone's GeoJSON geometry, converted once.
    geometries: Mapping[str, dict[str, Any]]
    #: The store of keys and alerts, and the alerts being served.
    alerts: LiveAlerts
    #: The offline bundle (``geo.exports.offline.bundle``) as served, and its ETag.
    offline: bytes
    offline_etag: str


def build_state(config: Mapping[str, Any]) -> State:
    """Load, validate and index the configured pack and build everything that serves it."""
    index = ZoneIndex.from_path(config["PACK"]) if config["PACK"] else default_index()
    pack = index.pack
    neighbours = config.get("NEIGHBOURS")
    if neighbours is None:
        neighbours = [] if config["PACK"] else neighbour_pack_dirs()
    region = Region(index, neighbours)
    region.indexes  # noqa: B018 - every neighbour loaded here, once, before the workers fork
    store = Store.open(config["DATABASE_URL"] or default_url())
    record_pack(store, pack.id, pack.version, pack.built)
    # Place names of every country served; the offline bundle carries the home pack's only
    # (device mode checks against the home pack's zones).
    gazetteer = Gazetteer.of_packs([i.pack for i in region.indexes])
    offline = orjson.dumps(
        bundle(index, Gazetteer.from_pack(pack), [i.pack for i in region.indexes[1:]], served=gazetteer)
    )
    return State(
        pack=pack,
        index=index,
        region=region,
        routes=RegionRoutes(region),
        gazetteer=gazetteer,
        maps=MapPages(index, config["TILES"], config["TILES_ATTRIBUTION"], region.indexes[1:]),
        geometries={z.id: mapping(z.geometry) for z in pack.zones},
        alerts=LiveAlerts(store, float(config["ALERTS_REFRESH_S"])),
        offline=offline,
        offline_etag=hashlib.sha256(offline).hexdigest()[:32],
    )


def state() -> State:
    """The state of the app handling the current request."""
    found: State = current_app.extensions["riskzones"]
    return found
