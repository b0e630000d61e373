"""The store's file: a GeoPackage (OGC 12-128r15, version 1.2) written with SQLite directly.

The GeoPackage tables (spatial reference systems, contents, geometry columns) make the file
open in QGIS, GDAL and geopandas; geomap's tables hold Incident fields as columns, typed from
the Incident type's annotations, so a field added to Incident becomes a column.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import struct
from pathlib import Path

from geomap import __version__
from geomap.files import atomic_target
from geomap.store.merge import CELL_SQL
from geomap.stream.writing import incident_field_kinds

STORE_FORMAT = "1"
# the SQLite application id "GPKG" and the GeoPackage version, as the standard asks
GPKG_APPLICATION_ID = 0x47504B47
GPKG_USER_VERSION = 10200
SRS_ID = 4326
SQL_TYPES = {"float": "DOUBLE", "int": "INTEGER", "bool": "BOOLEAN", "date": "DATE", "text": "TEXT"}
FIELD_KINDS = incident_field_kinds()
FIELDS = list(FIELD_KINDS)
# the tables GIS tools list, with what they hold
TABLES = {"incidents": "one row per event, its sources and the ACLED-conservative fatalities",
          "reports": "every incident as one article reported it",
          "articles": "every article ingested, by content hash",
          "batches": "every ingest batch"}


class StoreError(Exception):
    """A store that cannot be used: missing, not a store, or written in another format."""


def encode(name: str, value):
    """Return an Incident field's value as stored (ISO dates, 0/1 flags, "3+2" parts)."""
    kind = FIELD_KINDS[name]
    if value is None:
        return None
    if kind == "date":
        return value.isoformat()
    if kind == "bool":
        return int(value)
    if name == "fatalities_parts":
        return "+".join(map(str, value)) or None
    return value


def decode(name: str, value):
    """Return an Incident field's value from its stored form."""
    if name == "fatalities_parts":
        return tuple(int(part) for part in value.split("+")) if value else ()
    if value is None:
        return None
    kind = FIELD_KINDS[name]
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "bool":
        return bool(value)
    return value


def point_blob(lat: float | None, lon: float | None) -> bytes | None:
    """Return a GeoPackage point: the 'GP' header (version 0, little-endian, no envelope), then WKB."""
    if lat is None or lon is None:
        return None
    return b"GP\x00\x01" + struct.pack("<i", SRS_ID) + struct.pack("<BIdd", 1, 1, lon, lat)


def utc_now() -> str:
    """Return the time as GeoPackage writes it (gpkg_contents.last_change)."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def create_store(path: Path, meta: dict[str, str]) -> None:
    """Write an empty store beside `path` and rename it into place."""
    from pyproj import CRS

    with atomic_target(path, suffix=".gpkg") as tmp:
        db = sqlite3.connect(tmp, isolation_level=None)
        try:
            db.execute(f"PRAGMA application_id = {GPKG_APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {GPKG_USER_VERSION}")
            db.executescript(_GPKG_SCHEMA)
            db.executemany(
                "INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
                [("Undefined cartesian SRS", -1, "NONE", -1, "undefined", None),
                 ("Undefined geographic SRS", 0, "NONE", 0, "undefined", None),
                 ("WGS 84 geodetic", SRS_ID, "EPSG", SRS_ID,
                  CRS.from_epsg(SRS_ID).to_wkt("WKT1_GDAL"),
                  "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid")])
            fields = ", ".join(f'"{n}" {SQL_TYPES[FIELD_KINDS[n]]}' for n in FIELDS)
            db.executescript(f"""
                CREATE TABLE incidents (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT,
                    {fields}, sources TEXT, reports INTEGER);
                CREATE TABLE reports (fid INTEGER PRIMARY KEY AUTOINCREMENT,
                    incident_fid INTEGER NOT NULL, article_hash TEXT NOT NULL, {fields});
                CREATE TABLE articles (fid INTEGER PRIMARY KEY AUTOINCREMENT,
                    hash TEXT NOT NULL UNIQUE, id TEXT, path TEXT, title TEXT, published DATE,
                    batch INTEGER, incidents INTEGER);
                CREATE TABLE batches (fid INTEGER PRIMARY KEY AUTOINCREMENT, started DATETIME,
                    finished DATETIME, articles INTEGER, incidents INTEGER, merged INTEGER,
                    geomap TEXT);
                CREATE TABLE geomap_store (key TEXT PRIMARY KEY, value TEXT);
                CREATE INDEX incidents_near ON incidents (event_type, {CELL_SQL},
                    COALESCE(end_date, event_date));
                CREATE INDEX incidents_admin1 ON incidents (event_type, country_code, admin1,
                    COALESCE(end_date, event_date));
                CREATE INDEX incidents_span ON incidents (COALESCE(end_date, event_date));
                CREATE INDEX reports_incident ON reports (incident_fid);
            """)
            now = utc_now()
            for table, description in TABLES.items():
                kind = "features" if table == "incidents" else "attributes"
                db.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, "
                           "description, last_change, srs_id) VALUES (?, ?, ?, ?, ?, ?)",
                           (table, kind, table, description, now,
                            SRS_ID if kind == "features" else None))
            db.execute("INSERT INTO gpkg_geometry_columns VALUES "
                       "('incidents', 'geom', 'POINT', ?, 0, 0)", (SRS_ID,))
            db.executemany("INSERT INTO geomap_store VALUES (?, ?)",
                           [("format", STORE_FORMAT), ("created_by", f"geomap {__version__}"),
                            ("created", now), *meta.items()])
        finally:
            db.close()


def check_format(db: sqlite3.Connection, path: Path) -> None:
    """Raise StoreError unless the database is an incident store in this geomap's format."""
    if db.execute("PRAGMA application_id").fetchone()[0] != GPKG_APPLICATION_ID:
        raise StoreError(f"{path} is not a GeoPackage incident store; give another --store path")
    try:
        meta = dict(db.execute("SELECT key, value FROM geomap_store"))
    except sqlite3.OperationalError:
        raise StoreError(f"{path} is a GeoPackage but not a geomap incident store; "
                         "give another --store path") from None
    if meta.get("format") != STORE_FORMAT:
        raise StoreError(
            f"{path} is an incident store of format {meta.get('format')!r} (written by "
            f"{meta.get('created_by', 'an unknown geomap')}); this geomap ({__version__}) reads "
            f"and writes format {STORE_FORMAT!r} only and has left it untouched: use the geomap "
            "that wrote it, or ingest the articles into a new store")


def add_new_fields(db: sqlite3.Connection) -> None:
    """Add a column for each Incident field the store's tables lack (empty in older rows)."""
    for table in ("incidents", "reports"):
        have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        for name in FIELDS:
            if name not in have:
                db.execute(f'ALTER TABLE {table} ADD COLUMN "{name}" {SQL_TYPES[FIELD_KINDS[name]]}')


_GPKG_SCHEMA = """
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
    organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
    definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
    identifier TEXT UNIQUE, description TEXT DEFAULT '',
    last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
    CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
    geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL,
    m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
    CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
    CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
"""
