"""Place names of the pack, resolved offline, accent- and case-insensitively.

An ambiguous name is never guessed: the caller gets every candidate with its department and
province and must say which (``"Santa Rosa, Loreto"`` or a department filter).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.errors import InputFormatError, PackError
from geo.i18n import _
from geo.pack import ZonePack

__all__ = ["DOMINANT", "AmbiguousPlaceError", "Gazetteer", "Place", "Resolution", "normalise"]


def normalise(name: str) -> str:
    """Lower case, no accents, single spaces.

    Examples
    --------
    >>> normalise("  Tingo  MARÍA ")
    'tingo maria'
    """
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


@dataclass(frozen=True)
class Place:
    """A named place with its district; ``approximate`` when placed at the district's centre."""

    name: str
    lon: float
    lat: float
    ubigeo: str
    district: str
    province: str
    department: str
    kind: str
    approximate: bool
    geonameid: int | None
    population: int | None
    #: The country's name as its pack names it ("Peru", "Bolivia"): "Copacabana, Bolivia"
    #: qualifies a name with it.
    country: str = ""

    @property
    def where(self) -> str:
        """Its district, province and department, those known, comma-separated."""
        return ", ".join(filter(None, (self.district, self.province, self.department)))


#: How much more populous a candidate must be than all others together to be chosen.
DOMINANT = 50


@dataclass(frozen=True)
class Resolution:
    """The place a name resolved to, and the smaller places of the same name it was preferred to."""

    place: Place
    passed_over: tuple[Place, ...]


class AmbiguousPlaceError(InputFormatError):
    """A place name that matches several places; ``candidates`` lists them."""

    def __init__(self, message: str, candidates: list[Place], *, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.candidates = candidates


class Gazetteer:
    """Name index over the pack's gazetteer file."""

    def __init__(
        self,
        places: list[Place],
        airports: dict[str, Place] | None = None,
        cities: dict[str, str] | None = None,
    ) -> None:
        self.airports = dict(airports or {})
        #: The city each airport serves, by IATA code.
        self.cities = dict(cities or {})
        self.places = (*places, *self.airports.values())
        self._by_name: dict[str, list[Place]] = {}
        for place in self.places:
            self._by_name.setdefault(normalise(place.name), []).append(place)
        #: The departments of the places, normalised (``normalise``): what "Santa Rosa, Loreto"
        #: qualifies a name with.
        self.departments = frozenset(normalise(p.department) for p in self.places)

    @classmethod
    def of_packs(cls, packs: list[ZonePack]) -> Gazetteer:
        """The gazetteers of ``packs`` (the home pack first) as one (``combined``)."""
        return cls.combined([cls.from_pack(pack) for pack in packs])

    @classmethod
    def combined(cls, gazetteers: list[Gazetteer]) -> Gazetteer:
        """One index over the places and airports of several packs' gazetteers (Peru's and its
        neighbours'): the same search and ambiguity rules over all of them."""
        places = [p for g in gazetteers for p in g.places if p.kind != "airport"]
        airports = {code: p for g in gazetteers for code, p in g.airports.items()}
        cities = {code: city for g in gazetteers for code, city in g.cities.items()}
        return cls(places, airports, cities)

    @classmethod
    def from_pack(cls, pack: ZonePack) -> Gazetteer:
        """Read ``gazetteer.json`` of the pack (checked against its recorded checksum)."""
        path = Path(pack.path) / "gazetteer.json"
        if "gazetteer" not in pack.files:
            return cls([])  # a pack without place names: coordinates only
        raw = pack.read_file("gazetteer")
        try:
            document = json.loads(raw)
            rows, airport_rows = document["places"], document.get("airports", [])
        except (ValueError, KeyError) as exc:
            raise PackError(f"{path}: not a gazetteer ({exc})") from exc
        try:
            cities = {str(row[0]): str(row[2]) for row in airport_rows}
            return cls(_places(rows, pack), _airports(airport_rows, pack), cities)
        except (ValueError, TypeError) as exc:
            raise PackError(f"{path}: a row of the gazetteer is malformed ({exc})") from None

    def search(self, text: str, limit: int = 10) -> list[Place]:
        """Places whose name starts with ``text`` (accents and case ignored), largest first.

        Examples
        --------
        >>> from geo.pack import load_default_pack
        >>> [p.name for p in Gazetteer.from_pack(load_default_pack()).search("tingo mar")][:1]
        ['Tingo María']
        """
        wanted = normalise(text)
        if not wanted:
            return []
        found = [p for name, places in self._by_name.items() if name.startswith(wanted) for p in places]
        found.sort(key=lambda p: (-(p.population or 0), p.approximate, p.name))
        return found[:limit]

    def airport_name(self, code: str) -> str:
        """How a stop at the airport of ``code`` is named: "Cusco airport (CUZ)"."""
        return _(
            "{city} airport ({code})", city=self.cities.get(code.upper(), code.upper()), code=code.upper()
        )

    def airport(self, code: str) -> Place | None:
        """The airport of IATA ``code`` ("CUZ"), or None when Peru has none of that code.

        Examples
        --------
        >>> from geo.pack import load_default_pack
        >>> Gazetteer.from_pack(load_default_pack()).airport("CUZ").district
        'Wanchaq'
        """
        return self.airports.get(code.strip().upper())

    def named_answers(self) -> set[Place]:
        """The places a query of their name alone resolves to (``resolve``): one per name that
        is not ambiguous. What a device that keeps the gazetteer may answer by itself."""
        answers: set[Place] = set()
        for places in self._by_name.values():
            try:
                answers.add(self.resolve(places[0].name).place)
            except InputFormatError:
                continue
        return answers

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_name.values())

    def resolve(self, query: str, *, department: str | None = None, field: str = "place") -> Resolution:
        """The one place called ``query``; "Name, Department" or ``department`` narrows it.

        When one candidate is a town at least ``DOMINANT`` times as populous as all the others
        together ("Cusco", the city, against a village of the same name), it is chosen and the
        others are returned with it, so the answer can say so. Otherwise several matches raise
        ``AmbiguousPlaceError`` with the candidates; none raises ``InputFormatError``.
        """
        name, _comma, qualifier = query.partition(",")
        qualifier = qualifier.strip() or (department or "")
        found = self._by_name.get(normalise(name), [])
        if qualifier:
            wanted = normalise(qualifier)
            found = [
                p
                for p in found
                if wanted
                in (
                    normalise(p.department),
                    normalise(p.province),
                    normalise(p.district),
                    normalise(p.country),
                )
            ]
        # The same town listed twice in one district (GeoNames and the capital list) is one place.
        unique = {(p.ubigeo, round(p.lon, 2), round(p.lat, 2)): p for p in found}
        found = sorted(unique.values(), key=lambda p: (p.department, p.province, p.district))
        if not found:
            raise InputFormatError(
                _(
                    "no place called {query} in the gazetteer; check the spelling or give coordinates "
                    "(lat, lon) instead",
                    query=repr(query),
                ),
                field=field,
            )
        if len(found) > 1:
            populations = [p.population or 0 for p in found]
            top = max(range(len(found)), key=lambda i: populations[i])
            rest = sum(populations) - populations[top]
            # Across countries a town is preferred only to places whose size is known: "Santa
            # Rosa" is a village of unknown size in several Peruvian districts and a town in
            # Brazil, and a trip in Peru must not be sent to Brazil for it.
            unknown = any(p.population is None for i, p in enumerate(found) if i != top)
            abroad = len({p.country for p in found}) > 1
            if populations[top] >= DOMINANT * max(rest, 1) and not (abroad and unknown):
                others = tuple(p for i, p in enumerate(found) if i != top)
                return Resolution(found[top], others)
            countries = len({p.country for p in found}) > 1
            where = "; ".join(
                f"{p.name} ({p.where}{', ' + p.country if countries else ''})" for p in found[:12]
            )
            raise AmbiguousPlaceError(
                _(
                    "{query} matches {count} places: {where}. Name one as '{name}, <department>' or give "
                    "coordinates",
                    query=repr(query),
                    count=len(found),
                    where=where,
                    name=found[0].name,
                ),
                found,
                field=field,
            )
        return Resolution(found[0], ())


def _where(districts: dict[str, Any], ubigeo: str) -> tuple[str, str, str]:
    """District, province and department of ``ubigeo`` (empty when the pack has no such district)."""
    d = districts.get(ubigeo)
    return (d.district, d.province, d.department) if d else ("", "", "")


def _airports(rows: list[Any], pack: ZonePack) -> dict[str, Place]:
    """Airports by IATA code, as places of kind ``airport``."""
    districts = {d.ubigeo: d for d in pack.districts}
    airports = {}
    for code, name, _city, lon, lat, ubigeo in rows:
        airports[str(code)] = Place(
            str(name),
            float(lon),
            float(lat),
            ubigeo,
            *_where(districts, ubigeo),
            "airport",
            False,
            None,
            None,
            pack.name,
        )
    return airports


def _places(rows: list[Any], pack: ZonePack) -> list[Place]:
    districts = {d.ubigeo: d for d in pack.districts}
    places = []
    for name, lon, lat, ubigeo, kind, approximate, geonameid, population in rows:
        where = _where(districts, ubigeo)
        places.append(
            Place(
                str(name),
                float(lon),
                float(lat),
                ubigeo,
                *where,
                kind,
                approximate,
                geonameid,
                population,
                pack.name,
            )
        )
    return places
