"""GazetteerGeocoder: geopy's Geocoder interface over the local gazetteer, with no network.

    geopandas.tools.geocode(["Riga", "Gandja"], provider=GazetteerGeocoder)

geopandas passes the class and its keyword settings (`path=...`), not an instance.
"""

from __future__ import annotations

import os

from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from geomap.gazetteer import Gazetteer, GeocodeResult, Place, geocode


class GazetteerGeocoder(Geocoder):
    """A geopy geocoder that answers from geomap's SQLite gazetteer."""

    def __init__(self, path: str | os.PathLike | None = None, *, country: str | None = None,
                 fuzzy: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.gazetteer = Gazetteer(path)
        self.country = country
        self.fuzzy = fuzzy

    def geocode(self, query: str, *, exactly_one: bool = True, country: str | None = None,
                kind: str | None = None, near: tuple[float, float] | None = None, limit: int = 5):
        """Return a Location (or a list of them when exactly_one is False), or None."""
        result = geocode(self.gazetteer, str(query), country=country or self.country, kind=kind,
                         near=near, fuzzy=self.fuzzy, limit=limit)
        return self._parse_result(result, exactly_one)

    def reverse(self, query, *, exactly_one: bool = True, kind: str | None = "city"):
        """Return the nearest gazetteer place to a point as a Location, or None."""
        point = Point(query)
        place = self.gazetteer.reverse(point.latitude, point.longitude, kind=kind)
        if place is None:
            return None
        location = _location(place)
        return location if exactly_one else [location]

    def _parse_result(self, result: GeocodeResult, exactly_one: bool):
        if result.place is None:
            return None
        if exactly_one:
            return _location(result.place, result)
        return [_location(result.place, result), *(_location(p) for p in result.alternatives)]


def _location(place: Place, result: GeocodeResult | None = None) -> Location:
    raw = place.fields()
    if result is not None:
        raw.update(status=result.status, confidence=result.confidence, query=result.query)
    return Location(place.label(), (place.lat, place.lon), raw)
