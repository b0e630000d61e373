"""GazetteerGeocoder: geopy's interface, and geopandas' geocode round trip, offline."""

from __future__ import annotations

import geopandas
import pytest
from geopy.location import Location

from geomap.geocoder import GazetteerGeocoder


def test_geocode_returns_a_location(tiny_db):
    location = GazetteerGeocoder(path=tiny_db).geocode("Gandja")
    assert isinstance(location, Location)
    assert location.address == "Ganja, Azerbaijan"
    assert (round(location.latitude, 2), round(location.longitude, 2)) == (40.68, 46.36)
    assert location.raw["geonames_id"] == 586523


def test_geocode_no_match_is_none(tiny_db):
    assert GazetteerGeocoder(path=tiny_db).geocode("Xyzzyville") is None


def test_geocode_many_lists_alternatives(tiny_db):
    locations = GazetteerGeocoder(path=tiny_db).geocode("Springfield", exactly_one=False)
    assert len(locations) == 3
    assert all(loc.address.startswith("Springfield") for loc in locations)


def test_reverse_is_the_nearest_city(tiny_db):
    location = GazetteerGeocoder(path=tiny_db).reverse((39.82, 46.75))
    assert location.raw["name"] == "Xankandi"


def test_geopandas_round_trip(tiny_db):
    frame = geopandas.tools.geocode(["Riga", "Khankendi", "Xyzzyville"],
                                    provider=GazetteerGeocoder, path=tiny_db)
    assert frame.crs == "EPSG:4326"
    assert list(frame["address"][:2]) == ["Riga, Latvia", "Xankandi, Azerbaijan"]
    assert frame["address"].isna().iloc[2]
    assert frame.geometry.iloc[0].x == pytest.approx(24.10589)
    assert frame.geometry.iloc[1].y == pytest.approx(39.8177)
    assert frame.geometry.iloc[2].is_empty
    back = geopandas.tools.reverse_geocode(frame.geometry.iloc[:2], provider=GazetteerGeocoder,
                                           path=tiny_db)
    assert list(back["address"]) == ["Riga, Latvia", "Xankandi, Azerbaijan"]


def test_a_name_qualified_by_its_state(tiny_db):
    # "Alexandria, Louisiana": the Alexandria in that state, not Egypt's larger city
    location = GazetteerGeocoder(path=tiny_db).geocode("Alexandria, Louisiana")
    assert location.address == "Alexandria, Louisiana, United States"
    assert location.raw["geonames_id"] == 4314550
    assert GazetteerGeocoder(path=tiny_db).geocode("Alexandria").raw["country_code"] == "EG"
