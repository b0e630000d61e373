"""Geocoding a list of names (the `geomap geocode` check) and rendering the answers."""

from __future__ import annotations

import json
from collections.abc import Iterable

from geomap.gazetteer import Gazetteer, GeocodeResult
from geomap.output import render_csv, render_table

RESULT_COLUMNS = ("query", "status", "name", "kind", "country_code", "admin1", "lat", "lon",
                  "population", "geonames_id", "confidence", "similarity", "message")


def geocode_names(gazetteer: Gazetteer, names: Iterable[str], **options) -> list[GeocodeResult]:
    """Return one GeocodeResult per name, in order (options as for Gazetteer.geocode)."""
    return [gazetteer.geocode(name, **options) for name in names]


def render_results(results: list[GeocodeResult], fmt: str) -> str:
    """Return the results as table, json, csv or geojson text."""
    records = [r.as_dict() for r in results]
    if fmt == "json":
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return render_csv(records, RESULT_COLUMNS)
    if fmt == "geojson":
        return json.dumps(_feature_collection(records), ensure_ascii=False) + "\n"
    return _table(records)


def _feature_collection(records: list[dict]) -> dict:
    features = []
    for rec in records:
        geometry = None
        if rec["lat"] is not None:
            geometry = {"type": "Point", "coordinates": [rec["lon"], rec["lat"]]}
        props = {k: v for k, v in rec.items() if k not in ("lat", "lon")}
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def _table(records: list[dict]) -> str:
    rows = []
    for rec in records:
        rows.append({**rec, "query": _printable(rec["query"]),
                     "confidence": rec["confidence"] if rec["status"] != "invalid" else None,
                     "message": rec["message"] or ""})
        if rec["status"] in ("ambiguous", "fuzzy"):
            rows.extend({**alt, "query": "", "status": "  or", "confidence": None}
                        for alt in rec["alternatives"])
    columns = ("query", "status", "name", "kind", "country_code", "admin1", "lat", "lon",
               "population", "confidence")
    return render_table(rows, columns)


def _printable(text: str) -> str:
    shown = "".join(ch if ch.isprintable() else "?" for ch in text)
    return shown if len(shown) <= 40 else shown[:37] + "..."
