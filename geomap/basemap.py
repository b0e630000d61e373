"""What the maps draw under the incidents, and where they look.

The offline basemap comes from what the gazetteer already holds: country polygons (Natural Earth
50m), the lines between first-level divisions and their names (Natural Earth 10m admin-1),
disputed and breakaway areas (the gazetteer's region polygons, from Natural Earth's breakaway and
disputed areas), populated places with their population (GeoNames), and the seas and oceans of
geomap/data/seas.tsv. The world layers cost seconds to derive, so they are cached beside the
database (NAME.basemap.json.gz, rebuilt when the database changes); towns are chosen per map,
around the incidents.

`main_theatre` finds where a map should look: the largest group of incidents that lie close
together, so that one far-away report does not shrink a war to a dot.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from geomap.files import atomic_target
from geomap.geo import haversine_km
from geomap.paths import DATA_DIR

__all__ = [
    "BASEMAP_VERSION",
    "Basemap",
    "Sea",
    "Theatre",
    "Town",
    "area_min_zoom",
    "as_basemap",
    "load_basemap",
    "main_theatre",
    "read_seas",
    "select_towns",
    "town_min_zoom",
    "zoom_of",
]

BASEMAP_VERSION = "2"
CACHE_SUFFIX = ".basemap.json.gz"
# Natural Earth's admin-1 polygons share their vertices along common borders; at this grid two
# polygons' copies of a vertex are the same number
_GRID = 1e-5
# degrees: the admin-1 lines are simplified to this (a pixel at zoom 7 is about 0.005 degrees;
# dashed thin lines hide the difference)
ADMIN1_TOLERANCE = 0.01


@dataclass(frozen=True)
class Sea:
    """A sea or ocean's name and where its label goes; rank 1 oceans, 2 large seas, 3 the rest."""

    name: str
    lat: float
    lon: float
    rank: int


@dataclass(frozen=True)
class Town:
    """A populated place on the basemap (GeoNames): capitals and large cities first."""

    name: str
    lat: float
    lon: float
    country_code: str
    population: int
    capital: bool
    geonames_id: int | None = None


@dataclass
class Basemap:
    """The offline basemap's layers, as GeoDataFrames in EPSG:4326.

    countries: iso2, name, label_lat, label_lon, label_radius (degrees of the largest circle
    inside the country: how much room its name has), geometry.
    admin1_lines: country_code, geometry (the lines between first-level divisions of one
    country; borders between countries are the countries' own).
    admin1: name, country_code, label_lat, label_lon, label_radius, no geometry kept.
    disputed: name, country_code, label_lat, label_lon, label_radius, geometry.
    """

    countries: object
    admin1_lines: object
    admin1: object
    disputed: object
    seas: list[Sea] = field(default_factory=list)
    towns: list[Town] = field(default_factory=list)

    def with_towns(self, towns: list[Town]) -> "Basemap":
        """The same layers with these towns."""
        return Basemap(self.countries, self.admin1_lines, self.admin1, self.disputed, self.seas, towns)


# --- seas ----------------------------------------------------------------------------------


def read_seas(path: Path | None = None) -> list[Sea]:
    """Return the seas and oceans of geomap/data/seas.tsv (comment lines start with #)."""
    path = path or DATA_DIR / "seas.tsv"
    with open(path, encoding="utf-8") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        return [Sea(r["name"], float(r["lat"]), float(r["lon"]), int(r["rank"])) for r in rows]


# --- deriving the world layers ---------------------------------------------------------------


def _labels(geometries) -> tuple[list[float], list[float], list[float]]:
    """Label point and room of each (multi)polygon: the centre and radius of the largest circle
    inside its largest part (the pole of inaccessibility), in degrees."""
    import shapely

    largest = [max(shapely.get_parts(g), key=lambda p: p.area) if g.geom_type == "MultiPolygon" else g
               for g in geometries]
    lats, lons, radii = [], [], []
    for part in largest:
        line = shapely.maximum_inscribed_circle(part, max(math.sqrt(part.area) / 50, 1e-4))
        (x, y), (x2, y2) = line.coords[0], line.coords[-1]
        lats.append(round(y, 4))
        lons.append(round(x, 4))
        radii.append(round(math.hypot(x2 - x, y2 - y), 4))
    return lats, lons, radii


def _admin1_lines(admin1: list[tuple[str, object]]):
    """The lines between first-level divisions of the same country: the polygons' edges that two
    divisions of one country share (an edge of one division only is a coast or a border)."""
    import numpy as np
    import shapely

    chunks, owners = [], []
    codes = sorted({code for code, _ in admin1})
    number = {code: i for i, code in enumerate(codes)}
    for code, geometry in admin1:
        for ring in shapely.get_rings(shapely.get_parts(geometry)):
            xy = np.rint(shapely.get_coordinates(ring) / _GRID).astype(np.int64)
            if len(xy) < 2:
                continue
            chunks.append(np.hstack([xy[:-1], xy[1:]]))
            owners.append(np.full(len(xy) - 1, number[code]))
    if not chunks:
        return [], []
    segments = np.vstack(chunks)
    owner = np.concatenate(owners)
    # the same edge from either side: order each edge's two ends
    first = (segments[:, 0] < segments[:, 2]) | ((segments[:, 0] == segments[:, 2]) & (segments[:, 1] <= segments[:, 3]))
    segments = np.where(first[:, None], segments, segments[:, [2, 3, 0, 1]])
    keys = np.hstack([segments, owner[:, None]])
    unique, counts = np.unique(keys, axis=0, return_counts=True)
    shared = unique[(counts >= 2) & ((unique[:, 0] != unique[:, 2]) | (unique[:, 1] != unique[:, 3]))]
    out_codes, out_lines = [], []
    for i, code in enumerate(codes):
        mine = shared[shared[:, 4] == i][:, :4] * _GRID
        if not len(mine):
            continue
        lines = shapely.linestrings(mine.reshape(-1, 2, 2))
        merged = shapely.line_merge(shapely.multilinestrings(lines))
        merged = shapely.simplify(merged, ADMIN1_TOLERANCE, preserve_topology=False)
        out_codes.append(code)
        out_lines.append(merged)
    return out_codes, out_lines


def _derive(gazetteer) -> dict:
    """The world layers from the gazetteer's shapes, as JSON-ready data."""
    import shapely
    from shapely.geometry import shape

    def layer(kind: str) -> tuple[list, list]:
        rows = gazetteer.shapes(kind)
        geometries = [shapely.make_valid(shape(g)) for _, g in rows]
        keep = [i for i, g in enumerate(geometries) if g.geom_type in ("Polygon", "MultiPolygon")]
        return [rows[i][0] for i in keep], [geometries[i] for i in keep]

    data: dict = {}
    for kind, key in (("country", "countries"), ("admin1", "admin1"), ("region", "disputed")):
        places, geometries = layer(kind)
        lats, lons, radii = _labels(geometries)
        data[key] = {
            "name": [p.name for p in places],
            "code": [p.country_code or "" for p in places],
            "label_lat": lats, "label_lon": lons, "label_radius": radii,
            # countries and disputed areas are drawn; the admin-1 polygons only give lines
            "geometry": [] if kind == "admin1" else
            [json.loads(s) for s in shapely.to_geojson(shapely.set_precision(geometries, 1e-4))],
        }
        if kind == "admin1":
            codes, lines = _admin1_lines(list(zip([p.country_code or "" for p in places], geometries)))
            data["admin1_lines"] = {"code": codes,
                                    "geometry": [json.loads(s) for s in shapely.to_geojson(lines)]}
    return data


def _frame(columns: dict, geometry: list | None):
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import shape

    if geometry is None:
        return pd.DataFrame(columns)
    return gpd.GeoDataFrame(columns, geometry=[shape(g) for g in geometry], crs="EPSG:4326")


def _from_data(data: dict) -> Basemap:
    def labelled(key: str, keep_geometry: bool):
        layer = data[key]
        columns = {"name": layer["name"], "country_code": layer["code"], "label_lat": layer["label_lat"],
                   "label_lon": layer["label_lon"], "label_radius": layer["label_radius"]}
        if key == "countries":
            columns = {"iso2": layer["code"], **columns}
            del columns["country_code"]
        return _frame(columns, layer["geometry"] if keep_geometry else None)

    lines = data["admin1_lines"]
    return Basemap(
        countries=labelled("countries", True),
        admin1_lines=_frame({"country_code": lines["code"]}, lines["geometry"]),
        admin1=labelled("admin1", False),
        disputed=labelled("disputed", True),
        seas=read_seas(),
    )


def as_basemap(countries) -> Basemap:
    """A basemap of a frame of country polygons (iso2, name, geometry) and the seas; no other layers."""
    import geopandas as gpd

    if isinstance(countries, Basemap):
        return countries
    frame = countries.to_crs("EPSG:4326") if countries.crs is not None else countries
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    lats, lons, radii = _labels(list(frame.geometry))
    names = frame["name"].tolist() if "name" in frame else [""] * len(frame)
    codes = frame["iso2"].tolist() if "iso2" in frame else [""] * len(frame)
    empty = {"name": [], "country_code": [], "label_lat": [], "label_lon": [], "label_radius": []}
    return Basemap(
        countries=gpd.GeoDataFrame({"iso2": codes, "name": names, "label_lat": lats, "label_lon": lons,
                                    "label_radius": radii}, geometry=list(frame.geometry), crs="EPSG:4326"),
        admin1_lines=gpd.GeoDataFrame({"country_code": []}, geometry=[], crs="EPSG:4326"),
        admin1=_frame(empty, None),
        disputed=gpd.GeoDataFrame(empty, geometry=[], crs="EPSG:4326"),
        seas=read_seas(),
    )


def _stamp(gazetteer) -> dict:
    return {"basemap": BASEMAP_VERSION, "built": gazetteer.meta.get("built", ""),
            "sources_digest": gazetteer.meta.get("sources_digest", ""),
            "size": gazetteer.path.stat().st_size}


def cache_path(gazetteer) -> Path:
    """Where the basemap derived from a gazetteer database is cached."""
    return gazetteer.path.with_name(gazetteer.path.name + CACHE_SUFFIX)


def load_basemap(gazetteer, *, cache: bool = True) -> Basemap:
    """Return the world layers of the basemap (no towns: see select_towns), cached beside the database."""
    key = "basemap"
    if key in gazetteer.derived:
        return gazetteer.derived[key]
    path, stamp, data = cache_path(gazetteer), _stamp(gazetteer), None
    if cache:
        try:
            with gzip.open(path, "rt", encoding="utf-8") as f:
                stored = json.load(f)
            data = stored["data"] if stored.get("stamp") == stamp else None
        except (OSError, ValueError, KeyError, EOFError):
            data = None
    if data is None:
        data = _derive(gazetteer)
        if cache:
            try:
                with atomic_target(path) as tmp, gzip.open(tmp, "wt", encoding="utf-8", compresslevel=6) as f:
                    json.dump({"stamp": stamp, "data": data}, f, separators=(",", ":"))
            except OSError:
                pass  # a read-only location: derived again next time
    basemap = _from_data(data)
    gazetteer.derived[key] = basemap
    return basemap


# --- towns -----------------------------------------------------------------------------------

# GeoNames feature codes of capitals: PPLC the capital of a country; PPLA the seat of a
# first-level division (GeoNames feature classes, class P)
CAPITAL_CODES = ("PPLC",)
# the world's largest places, shown everywhere on the map; around the incidents, smaller towns
WORLD_POPULATION = 300_000
NEAR_POPULATION = 5_000
NEAR_DEGREES = 4.0  # how far around each incident place the towns reach
MAX_NEAR_TOWNS = 4_000  # in one box around incident places
MAX_TOWNS = 10_000  # on one map, the most populous first: a map of the whole world stays light


def select_towns(gazetteer, points: list[tuple[float, float]]) -> list[Town]:
    """Return the basemap's towns: capitals and large cities everywhere, smaller towns near the points."""
    found = {p.id: p for p in gazetteer.cities(WORLD_POPULATION, feature_codes=CAPITAL_CODES)}
    # boxes around the incident places, merged on a one-degree grid so that a thousand incidents
    # in one province ask once
    cells = {(math.floor(lat), math.floor(lon)) for lat, lon in points}
    for box in _merge_cells(cells, int(NEAR_DEGREES)):
        found.update((p.id, p) for p in gazetteer.cities(NEAR_POPULATION, box=box, limit=MAX_NEAR_TOWNS))
    seen, towns = set(), []
    for p in sorted(found.values(), key=lambda p: (-(p.population or 0), p.name, p.lat, p.lon)):
        key = (p.name, p.country_code, round(p.lat, 1), round(p.lon, 1))
        if key in seen:
            continue  # GeoNames' PPL and PPLX rows of one city
        seen.add(key)
        towns.append(Town(p.name, round(p.lat, 4), round(p.lon, 4), p.country_code or "", int(p.population or 0),
                          p.feature_code in CAPITAL_CODES, p.geonames_id))
    capitals = [t for t in towns if t.capital]
    return capitals + [t for t in towns if not t.capital][:MAX_TOWNS - len(capitals)]


def _merge_cells(cells: set[tuple[int, int]], pad: int) -> list[tuple[float, float, float, float]]:
    """Boxes (south, west, north, east) covering each cell padded by `pad` degrees, one per row of cells."""
    boxes = []
    for lat in sorted({c[0] for c in cells}):
        lons = sorted(c[1] for c in cells if c[0] == lat)
        start = prev = lons[0]
        for lon in lons[1:] + [None]:
            if lon is not None and lon - prev <= 2 * pad:
                prev = lon
                continue
            boxes.append((lat - pad, start - pad, lat + 1 + pad, prev + 1 + pad))
            if lon is not None:
                start = prev = lon
    return boxes


# --- when a name shows ----------------------------------------------------------------------

# pixels a label needs per character (11-13 px sans-serif); Web Mercator tiles are 256 px
CHAR_PX = 7.0
_TILE = 256


def zoom_of(degrees_across: float, pixels_across: float) -> float:
    """The Web Mercator zoom at which `degrees_across` of longitude span `pixels_across` pixels."""
    return math.log2(max(pixels_across, 1) * 360 / (_TILE * max(degrees_across, 1e-6)))


def area_min_zoom(radius: float, text: str, floor: int) -> int:
    """The first zoom at which an area's name fits inside it, about: the diameter of the largest
    circle inside the area is at least half the label's width."""
    need = max(24.0, len(text) * CHAR_PX / 2)
    for zoom in range(floor, 12):
        if 2 * radius * _TILE * 2**zoom / 360 >= need:
            return zoom
    return 12


# GeoNames population of a populated place -> the zoom from which its name may show (the page's
# collision pass then keeps only those that fit): capitals and millions from the world view
_TOWN_ZOOMS = ((5_000_000, 3), (1_000_000, 4), (300_000, 5), (100_000, 6), (30_000, 7), (10_000, 8))


def town_min_zoom(population: int, capital: bool) -> int:
    """The zoom from which a town's name is a label candidate."""
    if capital:
        return 3
    return next((zoom for least, zoom in _TOWN_ZOOMS if population >= least), 9)


# --- where a map looks -----------------------------------------------------------------------

# incidents closer than this to one of a group belong to the group (single linkage): about the
# reach of a front line and its rear, wide enough for a war, narrow enough to leave out
# reports from a neighbouring country's capital
THEATRE_KM = 600.0
# a group is the main theatre when it holds at least this share of the incidents; reports
# spread over the world with no such group (an epidemic's news) are framed whole
THEATRE_SHARE = 0.5


@dataclass(frozen=True)
class Theatre:
    """Where the incidents are: the bounds of the largest close group, and whether others lie outside."""

    south: float
    west: float
    north: float
    east: float
    inside: int  # incidents in the group
    outside: int  # incidents elsewhere

    @property
    def bounds(self) -> list[list[float]]:
        """[[south, west], [north, east]], as Leaflet takes them."""
        return [[self.south, self.west], [self.north, self.east]]


def main_theatre(points: list[tuple[float, float]], *, reach_km: float = THEATRE_KM) -> Theatre | None:
    """Return the largest group of points (lat, lon) lying within reach_km of one another in a
    chain (ties go to the group with the most distinct places) when it holds THEATRE_SHARE of
    the points; else all the points. None without points."""
    if not points:
        return None
    weights: dict[tuple[float, float], int] = {}
    for lat, lon in points:
        key = (round(lat, 2), round(lon, 2))
        weights[key] = weights.get(key, 0) + 1
    places = list(weights)
    if len(places) > 5000:  # a coarser grid keeps the grouping fast for very large maps
        coarse: dict[tuple[float, float], int] = {}
        for (lat, lon), n in weights.items():
            key = (round(lat * 2) / 2, round(lon * 2) / 2)
            coarse[key] = coarse.get(key, 0) + n
        weights, places = coarse, list(coarse)
    parent = list(range(len(places)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    cell = reach_km / 111.0  # degrees of latitude; longitude cells are as wide, which over-counts near the poles
    grid: dict[tuple[int, int], list[int]] = {}
    for i, (lat, lon) in enumerate(places):
        grid.setdefault((math.floor(lat / cell), math.floor(lon / cell)), []).append(i)
    for (gy, gx), members in grid.items():
        stretch = 1 + int(1 / max(math.cos(math.radians(min(abs(gy * cell), 85))), 0.1))
        for dy in (-1, 0, 1):
            for dx in range(-stretch, stretch + 1):
                for j in grid.get((gy + dy, gx + dx), ()):
                    for i in members:
                        if i < j and root(i) != root(j) and haversine_km(*places[i], *places[j]) <= reach_km:
                            parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(places)):
        groups.setdefault(root(i), []).append(i)
    best = max(groups.values(), key=lambda g: (sum(weights[places[i]] for i in g), len(g), -min(g)))
    inside = sum(weights[places[i]] for i in best)
    if inside < THEATRE_SHARE * len(points):
        best = range(len(places))
        inside = len(points)
    lats, lons = [places[i][0] for i in best], [places[i][1] for i in best]
    return Theatre(min(lats), min(lons), max(lats), max(lons), inside, len(points) - inside)
