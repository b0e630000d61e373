"""Rendering records as text (table, JSON, GeoJSON, CSV) and writing incident files in every format.

Geocode results and incidents share these writers; every file is written atomically, and the
same incidents give the same bytes in every format (GeoPackage included).
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from geomap.files import atomic_target, write_atomic
from geomap.frame import COLUMNS, TABLE_COLUMNS, incident_records, incidents_frame
from geomap.gazetteer.geocode import RESULT_COLUMNS
from geomap.gazetteer.geocode import TABLE_COLUMNS as GEOCODE_TABLE_COLUMNS

FORMATS = ("table", "json", "geojson", "csv", "gpkg", "parquet")
BINARY_FORMATS = ("gpkg", "parquet")
# OWASP, "CSV Injection": a cell starting with one of these is read as a formula by spreadsheets
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# RFC 4180: a field holding one of these is quoted (the csv module leaves a bare CR unquoted
# when rows end with LF, and a bare CR starts a new row in most readers)
CSV_QUOTE_IF = (",", '"', "\r", "\n")
# the largest toll every writer keeps exactly: the largest GeoPackage and Parquet integer
# (64-bit signed); incident frames build their nullable Int64 tolls from the Python integers
TOLL_LIMIT = 2**63 - 1


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def render_table(rows: Iterable[dict], columns: Sequence[str], *, max_width: int = 40) -> str:
    """Return rows as an aligned plain-text table with a header line."""
    cells = [[_cell(r.get(c))[:max_width] for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines) + "\n"


def render_csv(rows: Iterable[dict], columns: Sequence[str], *, safe: bool = True) -> str:
    """Return rows as CSV text with a header line (RFC 4180 quoting, LF line ends).

    With `safe` (the default), a text cell that a spreadsheet would run as a formula ("=1+1",
    "@SUM(...)", "-2+3") gets a leading single quote, as OWASP advises; numbers are left alone.
    """
    return "".join(csv_lines(rows, columns, safe=safe))


def csv_lines(rows: Iterable[dict], columns: Sequence[str], *, safe: bool = True) -> Iterator[str]:
    """Yield the lines of render_csv one at a time."""
    yield ",".join(_csv_field(c) for c in columns) + "\n"
    for r in rows:
        cells = []
        for c in columns:
            value = r.get(c)
            if isinstance(value, str):
                cells.append(_csv_field(_defused(value) if safe else value))
            else:
                cells.append(_csv_field(_cell(value)))
        yield ",".join(cells) + "\n"


def _defused(text: str) -> str:
    return "'" + text if text.startswith(CSV_FORMULA_STARTS) else text


def _csv_field(text: str) -> str:
    if any(ch in text for ch in CSV_QUOTE_IF):
        return '"' + text.replace('"', '""') + '"'
    return text


def feature_collection(records: Iterable[dict], lat: str, lon: str, *, keep_coordinates: bool = True) -> dict:
    """Return records as a GeoJSON FeatureCollection of points (no geometry where `lat` is empty)."""
    features = []
    for rec in records:
        geometry = None
        if rec[lat] is not None:
            geometry = {"type": "Point", "coordinates": [rec[lon], rec[lat]]}
        props = rec if keep_coordinates else {k: v for k, v in rec.items() if k not in (lat, lon)}
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def render_geocode_results(results, fmt: str, *, safe_csv: bool = True) -> str:
    """Return geocode results as table, json, csv or geojson text."""
    return "".join(geocode_result_chunks(results, fmt, safe_csv=safe_csv))


def geocode_result_chunks(results, fmt: str, *, safe_csv: bool = True) -> Iterator[str]:
    """Yield render_geocode_results' text a result at a time (the table at once: it is aligned),
    so that 100,000 names are never held as one string."""
    records = (r.as_dict() for r in results)
    if fmt == "json":
        first = True
        for record in records:
            # the text json.dumps(records, indent=2) gives, one element at a time
            yield ("[\n  " if first else ",\n  ") + json.dumps(record, indent=2, ensure_ascii=False).replace("\n", "\n  ")
            first = False
        yield "[]\n" if first else "\n]\n"
    elif fmt == "csv":
        yield from csv_lines(records, RESULT_COLUMNS, safe=safe_csv)
    elif fmt == "geojson":
        first = True
        for record in records:
            feature = feature_collection([record], "lat", "lon", keep_coordinates=False)["features"][0]
            yield ('{"type": "FeatureCollection", "features": [' if first else ", ") + \
                json.dumps(feature, ensure_ascii=False)
            first = False
        yield '{"type": "FeatureCollection", "features": []}\n' if first else "]}\n"
    else:
        yield _geocode_table(list(records))


def _geocode_table(records: list[dict]) -> str:
    rows = []
    for rec in records:
        rows.append({**rec, "query": _printable(rec["query"]),
                     "confidence": rec["confidence"] if rec["status"] != "invalid" else None,
                     "message": rec["message"] or ""})
        if rec["status"] in ("ambiguous", "fuzzy"):
            rows.extend({**alt, "query": "", "status": "  or", "confidence": None}
                        for alt in rec["alternatives"])
    return render_table(rows, GEOCODE_TABLE_COLUMNS)


def _printable(text: str) -> str:
    shown = "".join(ch if ch.isprintable() else "?" for ch in text)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def render_incidents(incidents, fmt: str, *, safe_csv: bool = True) -> str:
    """Return incidents as text in a text format: table, json, geojson or csv."""
    records = incident_records(storable_tolls(incidents))
    if fmt == "table":
        return render_table(records, TABLE_COLUMNS) if records else "(no incidents)\n"
    if fmt == "json":
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    if fmt == "geojson":
        return json.dumps(feature_collection(records, "latitude", "longitude"),
                          ensure_ascii=False) + "\n"
    if fmt == "csv":
        return render_csv(records, COLUMNS, safe=safe_csv)
    raise ValueError(f"unknown text format {fmt!r}; use one of table, json, geojson, csv")


def write_incidents(incidents, path: str | os.PathLike, fmt: str, gazetteer=None, *,
                    safe_csv: bool = True) -> Path:
    """Write incidents to a file in any of FORMATS, whole or not at all; return the path."""
    path = Path(path)
    if fmt not in BINARY_FORMATS:
        return write_atomic(path, render_incidents(incidents, fmt, safe_csv=safe_csv))
    incidents = storable_tolls(incidents)
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
            _fix_gpkg_timestamps(tmp, incidents)
    return path


def storable_tolls(incidents) -> list:
    """Return the incidents with any toll beyond TOLL_LIMIT left blank and said so in the notes."""
    kept = []
    for incident in incidents:
        record = incident if isinstance(incident, dict) else vars(incident)
        toll = record.get("fatalities")
        if isinstance(toll, int) and not -TOLL_LIMIT <= toll <= TOLL_LIMIT:
            # never str() the figure: Python refuses to print an integer of over 4,300 digits
            digits = int(math.log10(abs(toll))) + 1
            note = f"fatalities: a figure of about {digits:,} digits left out (more than the writers keep exactly)"
            changes = {"fatalities": None, "fatalities_parts": (),
                       "notes": "; ".join(part for part in (record.get("notes"), note) if part)}
            incident = ({**incident, **changes} if isinstance(incident, dict)
                        else dataclasses.replace(incident, **changes))
        kept.append(incident)
    return kept


def _fix_gpkg_timestamps(path: Path, incidents) -> None:
    """Set gpkg_contents.last_change, which GDAL sets to the time of writing, to the newest
    published date of the incidents (the Unix epoch without one), so that the same incidents
    give the same bytes."""
    dates = [str(getattr(i, "published", None) or "") for i in incidents]
    newest = max((d for d in dates if d), default="1970-01-01")
    db = sqlite3.connect(path)
    try:
        with db:
            db.execute("UPDATE gpkg_contents SET last_change = ?", (f"{newest[:10]}T00:00:00.000Z",))
    finally:
        db.close()
