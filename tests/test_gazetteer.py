"""The gazetteer: names, lookup, ranking, fuzzy matching, reverse, build and import."""

from __future__ import annotations

import sqlite3
import zipfile

import pytest

from geomap.gazetteer import (Gazetteer, GazetteerMissing, GazetteerWriter, haversine_km,
                              import_geonames, normalize_name)
from geomap.gazetteer.geonames import GEONAME_FIELDS, kind_of


@pytest.mark.parametrize("name, key", [
    ("Gəncə", "gence"), ("Gence", "gence"), ("GENCE", "gence"),
    ("Nagorno-Karabakh", "nagorno karabakh"), ("Nagorno  Karabakh", "nagorno karabakh"),
    ("U.S.", "us"), ("Xankəndi", "xankendi"), ("Côte d'Ivoire", "cote divoire"),
    ("Łódź", "lodz"), ("São Paulo", "sao paulo"), ("  Riga ", "riga"), ("!!", ""),
])
def test_normalize_name(name, key):
    assert normalize_name(name) == key


@pytest.mark.parametrize("query, name, country", [
    ("Gandja", "Ganja", "AZ"), ("Gəncə", "Ganja", "AZ"), ("Khankendi", "Xankandi", "AZ"),
    ("Stepanakert", "Xankandi", "AZ"), ("Nagorny Karabakh", "Nagorno-Karabakh", "AZ"),
    ("riga", "Riga", "LV"), ("Türkiye", "Turkey", "TR"), ("U.S.", "United States", "US"),
])
def test_geocode_resolves_variants(tiny_gazetteer, query, name, country):
    result = tiny_gazetteer.geocode(query)
    assert result.status == "resolved"
    assert (result.place.name, result.place.country_code) == (name, country)
    assert result.confidence > 0.9


def test_city_and_its_province_are_not_ambiguous(tiny_gazetteer):
    result = tiny_gazetteer.geocode("Gaziantep")
    assert result.status == "resolved"
    assert result.place.kind == "city"
    assert [p.kind for p in result.alternatives] == ["admin1"]


def test_ambiguous_name_lists_alternatives(tiny_gazetteer):
    result = tiny_gazetteer.geocode("Springfield")
    assert result.status == "ambiguous"
    assert result.place.admin1_code == "US.IL"  # a state capital (PPLA) outranks larger towns
    assert {p.admin1_code for p in result.alternatives} == {"US.MO", "US.MA"}
    assert result.confidence < 0.5


def test_filters_and_bias(tiny_gazetteer):
    assert tiny_gazetteer.geocode("Alexandria", country="US").place.admin1_code == "US.VA"
    near_la = tiny_gazetteer.geocode("Alexandria", near=(31.0, -92.0))
    assert near_la.place.admin1_code == "US.LA"
    assert tiny_gazetteer.geocode("Gaziantep", kind="admin1").place.kind == "admin1"
    assert tiny_gazetteer.geocode("Riga", country="AZ").status == "not_found"


def test_fuzzy_is_never_silent(tiny_gazetteer):
    result = tiny_gazetteer.geocode("Gaziantepp")
    assert result.status == "fuzzy"
    assert result.place.name == "Gaziantep"
    assert 82 <= result.similarity < 100
    assert "similarity" in result.message
    assert tiny_gazetteer.geocode("Gaziantepp", fuzzy=False).status == "not_found"


@pytest.mark.parametrize("query, reason", [
    ("", "empty"), ("   ", "empty"), ("x" * 10_000, "too long"), ("Ri\x00ga", "control"),
    ("\ufffd\ufffd", "not valid text"), ("--", "no letters"),
])
def test_bad_queries_are_reported(tiny_gazetteer, query, reason):
    result = tiny_gazetteer.geocode(query)
    assert result.status == "invalid"
    assert reason in result.message


def test_not_found(tiny_gazetteer):
    result = tiny_gazetteer.geocode("Xyzzyville")
    assert result.status == "not_found" and result.place is None
    assert "Xyzzyville" in result.message


def test_as_dict_has_the_documented_fields(tiny_gazetteer):
    record = tiny_gazetteer.geocode("Springfield").as_dict()
    for key in ("query", "status", "name", "kind", "country_code", "admin1", "lat", "lon",
                "population", "geonames_id", "confidence", "alternatives"):
        assert key in record
    assert record["alternatives"][0]["name"] == "Springfield"
    assert set(record["alternatives"][0]) >= {"name", "lat", "lon", "country_code", "kind"}


def test_reverse_finds_nearest_city(tiny_gazetteer):
    assert tiny_gazetteer.reverse(40.7, 46.4).name == "Ganja"
    assert tiny_gazetteer.reverse(39.8, 46.7).name == "Xankandi"


def test_shapes_and_demonyms(tiny_gazetteer):
    nk = tiny_gazetteer.geocode("Artsakh").place
    assert tiny_gazetteer.shape(nk.id)["type"] == "Polygon"
    assert tiny_gazetteer.demonyms()["azeri"] == "AZ"


def test_haversine():
    assert haversine_km(40.18, 44.51, 40.18, 44.51) == 0
    assert 3_000 < haversine_km(40.18, 44.51, 50.85, 4.35) < 3_300  # Yerevan to Brussels


def test_missing_and_corrupt_database(tmp_path):
    with pytest.raises(GazetteerMissing, match="gazetteer build"):
        Gazetteer(tmp_path / "none.sqlite")
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(GazetteerMissing, match="gazetteer build"):
        Gazetteer(bad)


def test_interrupted_build_leaves_old_database(tmp_path, tiny_db):
    target = tmp_path / "g.sqlite"
    target.write_bytes(tiny_db.read_bytes())
    with pytest.raises(RuntimeError):
        with GazetteerWriter(target) as w:
            w.add_place("Half", "city", 0, 0, source="test")
            raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind
    with Gazetteer(target) as gaz:
        assert gaz.geocode("Riga").status == "resolved"


def _geonames_line(gid, name, alt, lat, lon, fclass, fcode, cc, a1, pop):
    values = dict.fromkeys(GEONAME_FIELDS, "")
    values.update(geonameid=str(gid), name=name, asciiname=name, alternatenames=alt,
                  latitude=str(lat), longitude=str(lon), feature_class=fclass,
                  feature_code=fcode, country_code=cc, admin1_code=a1, population=str(pop),
                  timezone="UTC", modification_date="2024-01-01")
    return "\t".join(values[f] for f in GEONAME_FIELDS)


def test_import_geonames_dump(tmp_path, tiny_db):
    db = tmp_path / "g.sqlite"
    db.write_bytes(tiny_db.read_bytes())
    lines = [
        _geonames_line(3352137, "Rehoboth", "Rehobot,\"Quoted\"", -23.32, 17.08, "P", "PPL", "NA", "04", 28_843),
        _geonames_line(3355338, "Namibia", "", -22.0, 17.0, "A", "PCLI", "NA", "00", 2_448_255),
        _geonames_line(9999991, "Some Peak", "", 1.0, 1.0, "T", "MT", "NA", "", 0),
        _geonames_line(456172, "Riga", "", 56.9, 24.1, "P", "PPLC", "LV", "25", 742_572),
        "broken line\twith too few fields",
    ]
    dump = tmp_path / "NA.txt"
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    alt = tmp_path / "alternateNamesV2.txt"
    alt.write_text("1\t3352137\ten\tRehoboth Town\t\t\t\t\t\t\n"
                   "2\t3352137\tlink\thttps://en.wikipedia.org/wiki/Rehoboth\t\t\t\t\t\t\n",
                   encoding="utf-8")
    zipped = tmp_path / "NA.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        z.write(dump, "NA.txt")
    report = import_geonames(db, zipped, alternate_names=alt)
    assert (report.added, report.known, report.skipped_class, report.bad_line_count) == (2, 1, 1, 1)
    assert report.alternate_names == 1
    assert "NA.zip:5" in report.bad_lines[0]
    with Gazetteer(db) as gaz:
        rehoboth = gaz.geocode("Rehoboth Town").place
        assert (rehoboth.country_code, rehoboth.population) == ("NA", 28_843)
        assert gaz.geocode('"Quoted"').place.name == "Rehoboth"  # no quoting in GeoNames dumps
        assert gaz.geocode("Namibia").place.kind == "country"
        assert gaz.geocode("https://en.wikipedia.org/wiki/Rehoboth", fuzzy=False).status != "resolved"
    assert sqlite3.connect(db).execute("SELECT count(*) FROM places WHERE country_code = 'NA'").fetchone()[0] == 3


@pytest.mark.parametrize("fclass, fcode, kind", [
    ("P", "PPLC", "city"), ("A", "ADM1", "admin1"), ("A", "PCLI", "country"),
    ("L", "CONT", "continent"), ("A", "ADM2", "region"), ("T", "MT", "feature"),
])
def test_kind_of(fclass, fcode, kind):
    assert kind_of(fclass, fcode) == kind
