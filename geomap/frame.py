"""The one definition of the incident columns, and the incidents as a GeoDataFrame.

Columns follow ACLED's export (ACLED Codebook 2023, "Data columns"), in ACLED's order where
they apply, so CSV written from here loads into tools that read ACLED exports. geomap's own
columns come after ACLED's.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

# (name, meaning). ACLED's names and order first.
ACLED_COLUMNS: list[tuple[str, str]] = [
    ("event_id_cnty", "event id: country ISO code and a running number"),
    ("event_date", "ISO date of the event (the start of a span)"),
    ("year", "year of event_date"),
    ("time_precision", "1 day known, 2 week or span, 3 month or vaguer"),
    ("event_type", "ACLED event type"),
    ("sub_event_type", "ACLED sub-event type"),
    ("actor1", "first actor"),
    ("actor2", "second actor, or the target"),
    ("country", "country name"),
    ("admin1", "first-level administrative division"),
    ("location", "name of the place where it happened"),
    ("latitude", "WGS84 latitude"),
    ("longitude", "WGS84 longitude"),
    ("geo_precision", "1 the town itself, 2 near a town or part of a region, 3 a region's or country's centroid"),
    ("source", "publisher of the article"),
    ("notes", "short description"),
    ("fatalities", "reported deaths (sum of the parts when several sides are counted)"),
]

GEOMAP_COLUMNS: list[tuple[str, str]] = [
    ("end_date", "ISO end date of a span (cumulative tolls), else empty"),
    ("country_code", "ISO 3166-1 alpha-2 code"),
    ("place_kind", "city, admin1, region, country or continent"),
    ("geonames_id", "GeoNames id of the place, when it has one"),
    ("fatalities_parts", "the separate counts that make up fatalities, as text"),
    ("fatalities_qualifier", "exact, at least, about, range"),
    ("article", "article file name or id"),
    ("title", "article title"),
    ("published", "article publication date"),
    ("url", "article link, when known"),
    ("source_sentence", "the sentence that reports the event"),
    ("sentence_start", "character offset of the sentence in the article text"),
    ("sentence_end", "character offset just past the sentence"),
    ("historical", "true for background events (history, earlier episodes)"),
    ("confidence", "0-1: how sure geomap is of the type, place and date together"),
]

COLUMNS: list[str] = [name for name, _ in ACLED_COLUMNS + GEOMAP_COLUMNS]

# columns of the plain-text table: what a reader scans first
TABLE_COLUMNS: list[str] = ["event_date", "end_date", "event_type", "sub_event_type", "location",
                            "country_code", "geo_precision", "fatalities", "historical",
                            "confidence", "article"]
FORMATS = ("table", "json", "geojson", "csv", "gpkg", "parquet")
BINARY_FORMATS = ("gpkg", "parquet")
# place kinds whose polygon stands for the incident's area (a point there is only a centroid)
AREA_KINDS = ("region", "admin1")


def incident_records(incidents) -> list[dict]:
    """Return one dict per incident with every column of COLUMNS, numbered per country."""
    counters: dict[str, int] = {}
    records = []
    for incident in incidents:
        record = incident.as_record() if hasattr(incident, "as_record") else dict(incident)
        code = record.get("country_code") or "XX"
        counters[code] = counters.get(code, 0) + 1
        record["event_id_cnty"] = f"{code}{counters[code]}"
        records.append({name: record.get(name) for name in COLUMNS})
    return records


def region_shapes(incidents, gazetteer=None) -> dict[int, object]:
    """Return {place id: shapely polygon} for the region- and admin1-level incidents' places."""
    from shapely.geometry import shape

    wanted = {i.place_id for i in incidents
              if getattr(i, "place_kind", None) in AREA_KINDS and getattr(i, "place_id", None)}
    if not wanted:
        return {}
    gaz, opened = _gazetteer(gazetteer)
    if gaz is None:
        return {}
    try:
        shapes = {}
        for place_id in sorted(wanted):
            geometry = gaz.shape(place_id)
            if geometry:
                shapes[place_id] = shape(geometry)
        return shapes
    finally:
        if opened:
            gaz.close()


def incidents_frame(incidents, gazetteer=None):
    """Return a GeoDataFrame of incidents in EPSG:4326: point geometry, and 'area' polygons
    for region-level incidents (None elsewhere)."""
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    incidents = list(incidents)
    records = incident_records(incidents)
    frame = pd.DataFrame.from_records(records, columns=COLUMNS)
    frame["fatalities"] = frame["fatalities"].astype("Int64")
    for name in ("time_precision", "geo_precision", "year", "sentence_start", "sentence_end",
                 "geonames_id"):
        frame[name] = frame[name].astype("Int64")
    frame["historical"] = frame["historical"].astype(bool)
    points = [Point(r["longitude"], r["latitude"]) if r["latitude"] is not None else None
              for r in records]
    shapes = region_shapes(incidents, gazetteer)
    areas = [shapes.get(getattr(i, "place_id", None)) for i in incidents]
    geo = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points, crs="EPSG:4326"))
    geo["area"] = gpd.GeoSeries(areas, crs="EPSG:4326", index=geo.index)
    return geo


def render_incidents(incidents, fmt: str) -> str:
    """Return incidents as text in a text format: table, json, geojson or csv."""
    from geomap.output import render_csv, render_table

    records = incident_records(incidents)
    if fmt == "table":
        return render_table(records, TABLE_COLUMNS) if records else "(no incidents)\n"
    if fmt == "json":
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    if fmt == "geojson":
        features = [{"type": "Feature", "properties": r,
                     "geometry": ({"type": "Point", "coordinates": [r["longitude"], r["latitude"]]}
                                  if r["latitude"] is not None else None)} for r in records]
        return json.dumps({"type": "FeatureCollection", "features": features},
                          ensure_ascii=False) + "\n"
    if fmt == "csv":
        return render_csv(records, COLUMNS)
    raise ValueError(f"unknown text format {fmt!r}; use one of table, json, geojson, csv")


def write_incidents(incidents, path: str | os.PathLike, fmt: str, gazetteer=None) -> Path:
    """Write incidents to a file in any of FORMATS, whole or not at all; return the path."""
    from geomap.output import atomic_target, write_atomic

    path = Path(path)
    if fmt not in BINARY_FORMATS:
        return write_atomic(path, render_incidents(incidents, fmt))
    frame = incidents_frame(incidents, gazetteer)
    with atomic_target(path, suffix=f".{fmt}") as tmp:
        if fmt == "parquet":
            frame.to_parquet(tmp, index=False)
        else:
            # a GeoPackage layer has one geometry column: the areas go in a layer of their own
            tmp.unlink()
            frame.drop(columns=["area"]).to_file(tmp, layer="incidents", driver="GPKG")
            areas = frame[frame["area"].notna()].drop(columns=["geometry"]).set_geometry("area")
            if len(areas):
                areas.to_file(tmp, layer="incident_areas", driver="GPKG")
    return path


def _gazetteer(gazetteer):
    """(gazetteer, opened here): the given one, else the default database if it exists."""
    if gazetteer is not None:
        return gazetteer, False
    from geomap.gazetteer import Gazetteer, GazetteerMissing

    try:
        return Gazetteer(), True
    except GazetteerMissing:
        return None, False
