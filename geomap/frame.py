"""The one definition of the incident columns, the incidents as a GeoDataFrame, and reading its cells.

Columns follow ACLED's export (ACLED Codebook 2023, "Data columns"), in ACLED's order where
they apply, so CSV written from here loads into tools that read ACLED exports. geomap's own
columns come after ACLED's.
"""

from __future__ import annotations

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
    ("location_text", "the place as the article writes it (a town the gazetteer lacks included)"),
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
# place kinds whose polygon stands for the incident's area (a point there is only a centroid)
AREA_KINDS = ("region", "admin1", "admin2")


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


def region_shapes(incidents, gazetteer) -> dict[int, object]:
    """Return {place id: shapely polygon} for the region- and admin1-level incidents' places
    (none without a gazetteer)."""
    from shapely.geometry import shape

    if gazetteer is None:
        return {}
    wanted = {i.place_id for i in incidents
              if getattr(i, "place_kind", None) in AREA_KINDS and getattr(i, "place_id", None)}
    shapes = {}
    for place_id in sorted(wanted):
        geometry = gazetteer.shape(place_id)
        if geometry:
            shapes[place_id] = shape(geometry)
    return shapes


def incidents_frame(incidents, gazetteer=None):
    """Return a GeoDataFrame of incidents in EPSG:4326: point geometry, and 'area' polygons
    for region-level incidents (None elsewhere, and everywhere without a gazetteer)."""
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    incidents = list(incidents)
    records = incident_records(incidents)
    frame = pd.DataFrame.from_records(records, columns=COLUMNS)
    for name in ("fatalities", "time_precision", "geo_precision", "year", "sentence_start",
                 "sentence_end", "geonames_id"):
        # from the Python integers, not through float64 (exact only up to 2**53)
        frame[name] = pd.array([r[name] for r in records], dtype="Int64")
    frame["historical"] = frame["historical"].astype(bool)
    points = [Point(r["longitude"], r["latitude"]) if r["latitude"] is not None else None
              for r in records]
    shapes = region_shapes(incidents, gazetteer)
    areas = [shapes.get(getattr(i, "place_id", None)) for i in incidents]
    geo = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points, crs="EPSG:4326"))
    geo["area"] = gpd.GeoSeries(areas, crs="EPSG:4326", index=geo.index)
    return geo


# --- reading a frame's cells for drawing -------------------------------------------------------
# Frames reach the maps from incidents_frame (nullable Int64 counts, dates as text), from files
# (numbers and flags as text) or from a caller's own GeoDataFrame; both maps read cells through
# these, whatever their dtype.

def is_missing(value) -> bool:
    """True for None, NaN, NaT and pandas' NA."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):
        return str(value) == "<NA>"  # pandas' NA (nullable integer columns) refuses bool()


def as_text(value) -> str:
    """A cell as text: stripped, dates as ISO dates, missing values as ""."""
    if type(value) is str:
        return value.strip()
    if is_missing(value):
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


def as_texts(column) -> list[str]:
    """A column as text: dates as ISO dates, missing values as ""."""
    return [as_text(v) for v in column.tolist()]


def as_int(value) -> int | None:
    """A cell as a whole number (3, 3.0, "3"), else None."""
    if is_missing(value) or value == "":
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def as_number(value) -> float | None:
    """A cell as a float, else None (NaN included)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None


def as_flag(value) -> bool:
    """A cell as a flag: true, "true", "1", "yes", "t"; missing is False."""
    if is_missing(value):
        return False
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes", "t"}
    return bool(value)


def frame_points(frame) -> list[tuple[float, float] | None]:
    """(lat, lon) of each row from its geometry (a point), else its latitude/longitude columns."""
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    geometry = frame.geometry
    if not (geometry.dropna().geom_type == "Point").all():
        geometry = geometry.representative_point()
    xs, ys = geometry.x.tolist(), geometry.y.tolist()
    n = len(frame)
    lats = frame["latitude"].tolist() if "latitude" in frame else [None] * n
    lons = frame["longitude"].tolist() if "longitude" in frame else [None] * n
    points = []
    for x, y, lat, lon in zip(xs, ys, lats, lons):
        if x == x and y == y:  # not NaN: a point
            points.append((y, x))
        else:
            lat, lon = as_number(lat), as_number(lon)
            points.append((lat, lon) if lat is not None and lon is not None else None)
    return points
