"""The incident columns, the GeoDataFrame and the writers (checked by reading the files back)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from geomap.articles import Article
from geomap.formats import render_incidents, write_incidents
from geomap.frame import ACLED_COLUMNS, COLUMNS, incident_records, incidents_frame
from geomap.incidents import extract_incidents

THU = dt.date(2020, 10, 1)
TEXT = ("Rocket fire hit Ganja on Sunday, killing three civilians.\n\n"
        "Large-scale fighting in Nagorno-Karabakh resumed on Monday.")


@pytest.fixture()
def incidents(tiny_gazetteer):
    article = Article(id="a.txt", text=TEXT, published=THU)
    found = extract_incidents(article, gazetteer=tiny_gazetteer)
    assert [i.location for i in found] == ["Ganja", "Nagorno-Karabakh"]
    return found


def test_columns_start_with_acled_in_order():
    acled = [name for name, _ in ACLED_COLUMNS]
    assert COLUMNS[:len(acled)] == acled
    assert acled[:3] == ["event_id_cnty", "event_date", "year"]
    assert len(set(COLUMNS)) == len(COLUMNS)


def test_records_are_numbered_per_country(incidents):
    records = incident_records(incidents)
    assert [r["event_id_cnty"] for r in records] == ["AZ1", "AZ2"]
    assert list(records[0]) == COLUMNS


def test_frame_has_points_and_region_areas(incidents, tiny_gazetteer):
    frame = incidents_frame(incidents, tiny_gazetteer)
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry.name == "geometry"
    ganja, region = frame.iloc[0], frame.iloc[1]
    assert (round(ganja.geometry.x, 2), round(ganja.geometry.y, 2)) == (46.36, 40.68)
    assert ganja["area"] is None
    assert region["area"].contains(region.geometry)
    assert frame["fatalities"].tolist()[0] == 3


@pytest.mark.parametrize("fmt", ["json", "geojson", "csv", "table"])
def test_text_formats(incidents, fmt, tmp_path):
    path = write_incidents(incidents, tmp_path / f"out.{fmt}", fmt)
    text = path.read_text(encoding="utf-8")
    assert text == render_incidents(incidents, fmt)
    if fmt == "json":
        assert [r["location"] for r in json.loads(text)] == ["Ganja", "Nagorno-Karabakh"]
    elif fmt == "geojson":
        feature = json.loads(text)["features"][0]
        assert feature["geometry"]["type"] == "Point" and feature["properties"]["fatalities"] == 3
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert list(rows[0]) == COLUMNS and rows[0]["event_date"] == "2020-09-27"
    else:
        assert "Ganja" in text.splitlines()[2]


def test_geopackage_has_points_and_areas(incidents, tiny_gazetteer, tmp_path):
    pyogrio = pytest.importorskip("pyogrio", reason="GeoPackage needs pyogrio")
    path = write_incidents(incidents, tmp_path / "out.gpkg", "gpkg", tiny_gazetteer)
    layers = dict(pyogrio.list_layers(path))
    assert layers == {"incidents": "Point", "incident_areas": "Polygon"}


def test_parquet_round_trip(incidents, tiny_gazetteer, tmp_path):
    gpd = pytest.importorskip("geopandas", reason="GeoParquet needs geopandas")
    path = write_incidents(incidents, tmp_path / "out.parquet", "parquet", tiny_gazetteer)
    back = gpd.read_parquet(path)
    assert back["location"].tolist() == ["Ganja", "Nagorno-Karabakh"]
    assert back["area"].iloc[1].geom_type == "Polygon"


def test_failed_write_leaves_no_file(incidents, tmp_path, monkeypatch):
    import geopandas as gpd

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(gpd.GeoDataFrame, "to_parquet", broken)
    with pytest.raises(OSError):
        write_incidents(incidents, tmp_path / "out.parquet", "parquet")
    assert list(tmp_path.iterdir()) == []
