"""The basemap as the page carries it: geometry simplified for each range of zooms, and labels.

Coordinates are whole multiples of a quantum (0.01 degree, about a pixel at zoom 7), each
point written as the difference from the one before: a country outline costs a few characters
a point. Countries come twice (coarse up to zoom 3, Natural Earth 50m from zoom 4); the lines
between first-level divisions, drawn from zoom 5, come once.

Labels are candidates, not decisions: each has a kind, a text, a point, the zoom from which it
may show, and a priority; the page's script (geomap/data/webmap.js) shows, at every zoom and
pan, those that fit without touching one another or an incident marker, in order of priority.
"""

from __future__ import annotations

import html
import math

import shapely

from geomap.basemap import area_min_zoom, town_min_zoom
from geomap.frame import as_int, as_text
from geomap.style import place_label

__all__ = ["LABEL_KINDS", "QUANTUM", "article_names", "basemap_data", "encode_lines", "encode_polygons"]

QUANTUM = 0.01  # degrees
# country outlines up to zoom 3 are simplified to this (degrees); from zoom 4 they are as stored
COARSE_TOLERANCE = 0.1
# label kinds, in the order the page's CSS styles them (gm-lk-<kind>)
LABEL_KINDS = ("country", "admin1", "sea", "disputed", "town", "capital", "incident")


def _ring(coords) -> list[int]:
    """A ring or line as [x0, y0, dx1, dy1, ...] in quanta (repeated points dropped)."""
    out: list[int] = []
    px = py = 0
    first = True
    for x, y in coords:
        qx, qy = round(x / QUANTUM), round(y / QUANTUM)
        if not first and qx == px and qy == py:
            continue
        out += [qx - px, qy - py]
        px, py, first = qx, qy, False
    return out


def encode_polygons(geometries, tolerance: float = 0.0) -> list[list[list[int]]]:
    """Every polygon part of the geometries as a list of encoded rings (outer ring first)."""
    polygons = []
    for geometry in geometries:
        if geometry is None or geometry.is_empty:
            continue
        if tolerance:
            geometry = shapely.simplify(geometry, tolerance, preserve_topology=True)
        for part in shapely.get_parts(geometry):
            if part.geom_type != "Polygon" or part.is_empty:
                continue
            rings = [_ring(part.exterior.coords)] + [_ring(r.coords) for r in part.interiors]
            rings = [r for r in rings if len(r) >= 6]  # three points at least
            if rings and len(rings[0]) >= 6:
                polygons.append(rings)
    return polygons


def encode_lines(geometries) -> list[list[int]]:
    """Every line part of the geometries, encoded."""
    lines = []
    for geometry in geometries:
        if geometry is None or geometry.is_empty:
            continue
        for part in shapely.get_parts(geometry):
            line = _ring(part.coords)
            if len(line) >= 4:
                lines.append(line)
    return lines


def basemap_data(basemap, named: dict[int, str] | None = None) -> dict:
    """The page's basemap: encoded geometry per zoom range and label candidates, best first.

    named maps a GeoNames id to the name an article gave the place; such towns are labelled
    with it ("Stepanakert (Xankandi, AZ)").
    """
    named = named or {}
    countries, disputed = basemap.countries, basemap.disputed
    data = {
        "q": QUANTUM,
        "c0": encode_polygons(countries.geometry, COARSE_TOLERANCE),
        "c1": encode_polygons(countries.geometry),
        "a1": encode_lines(basemap.admin1_lines.geometry),
        "dz": encode_polygons(disputed.geometry),
    }
    labels: list[tuple] = []  # (priority, kind, text, lat, lon, min zoom)

    def add(priority: float, kind: str, text: str, lat: float, lon: float, min_zoom: int) -> None:
        labels.append((priority, LABEL_KINDS.index(kind), html.escape(text), round(lat, 3), round(lon, 3), min_zoom))

    for name, lat, lon, radius in zip(countries["name"], countries["label_lat"], countries["label_lon"],
                                      countries["label_radius"]):
        add(1 - radius / 100, "country", name, lat, lon, area_min_zoom(radius, name, 2))
    # a country's name also at its divisions' label points (where it fits inside the division):
    # a view over one corner of a large country, or one where its own point is under a box,
    # still names it (the page names a country once in a view)
    admin1 = basemap.admin1
    country_names = dict(zip(countries["iso2"], countries["name"]))
    for code, lat, lon, radius in zip(admin1["country_code"], admin1["label_lat"], admin1["label_lon"],
                                      admin1["label_radius"]):
        if country_names.get(code):
            name = country_names[code]
            add(1.5 - radius / 100, "country", name, lat, lon, area_min_zoom(radius, name, 2))
    for name, lat, lon, radius in zip(disputed["name"], disputed["label_lat"], disputed["label_lon"],
                                      disputed["label_radius"]):
        add(2 - radius / 100, "disputed", name, lat, lon, area_min_zoom(radius, name, 5))
    for sea in basemap.seas:
        add(3 + sea.rank / 10, "sea", sea.name, sea.lat, sea.lon, {1: 1, 2: 3}.get(sea.rank, 5))
    for town in basemap.towns:
        text = named.get(town.geonames_id) or town.name
        population = math.log10(max(town.population, 1)) / 10
        add(4 - population - (0.5 if town.capital else 0), "capital" if town.capital else "town", text,
            town.lat, town.lon, town_min_zoom(town.population, town.capital))
    for name, lat, lon, radius in zip(admin1["name"], admin1["label_lat"], admin1["label_lon"], admin1["label_radius"]):
        add(5 - radius / 100, "admin1", name, lat, lon, area_min_zoom(radius, name, 5))
    labels.sort(key=lambda label: (label[0], label[2]))
    data["lb"] = [list(label[1:]) for label in labels]
    return data


def article_names(frame) -> dict[int, str]:
    """GeoNames id -> how the articles wrote the place, when they wrote it otherwise than the
    gazetteer: "Stepanakert (Xankandi, AZ)". The most common spelling wins."""
    counts: dict[int, dict[str, int]] = {}
    names: dict[int, tuple[str, str]] = {}
    if frame is None or not len(frame) or "geonames_id" not in frame:
        return {}
    columns = [frame[c].tolist() if c in frame else [None] * len(frame)
               for c in ("geonames_id", "location_text", "location", "country_code")]
    for gid, written, name, code in zip(*columns):
        gid, written = as_int(gid), as_text(written)
        if gid is None or not written:
            continue
        spellings = counts.setdefault(gid, {})
        spellings[written] = spellings.get(written, 0) + 1
        names[gid] = (as_text(name), as_text(code))
    out = {}
    for gid, spellings in counts.items():
        written = max(sorted(spellings), key=spellings.get)
        out[gid] = place_label(written, *names[gid])
    return out
