"""Building the SQLite gazetteer from the committed sources in gazetteer/, atomically.

The same `GazetteerWriter` serves the real build and the tests' dozen-row fixtures.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from geomap.files import make_temp
from geomap.gazetteer.names import base_key, has_latin_letters, normalize_name
from geomap.gazetteer.store import SCHEMA_VERSION, GazetteerError
from geomap.paths import gazetteer_dir

ATTRIBUTION = ("Contains data from GeoNames (geonames.org), CC BY 4.0; "
               "Natural Earth (naturalearthdata.com), public domain.")
# Bump when the build logic changes in a way that should rebuild existing databases.
BUILDER_VERSION = "3"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE places (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    country_code TEXT,
    admin1 TEXT,
    feature_code TEXT,
    population INTEGER,
    geonames_id INTEGER,
    source TEXT NOT NULL,
    admin1_code TEXT
);
CREATE TABLE names (key TEXT NOT NULL, name TEXT NOT NULL, place_id INTEGER NOT NULL,
                    is_primary INTEGER NOT NULL);
CREATE TABLE shapes (place_id INTEGER PRIMARY KEY, geojson TEXT NOT NULL);
CREATE TABLE demonyms (key TEXT PRIMARY KEY, demonym TEXT NOT NULL, country_code TEXT NOT NULL);
"""
_INDEXES = """
CREATE INDEX names_key ON names(key);
CREATE INDEX names_place ON names(place_id);
CREATE INDEX places_latlon ON places(lat, lon);
CREATE INDEX places_kind ON places(kind, country_code);
CREATE INDEX places_geonames ON places(geonames_id);
"""


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote."""

    path: Path
    places: int
    names: int
    shapes: int
    seconds: float


class GazetteerWriter:
    """Writes a gazetteer to a temporary file beside `path`; `commit()` renames it into place."""

    def __init__(self, path: str | os.PathLike, *, base: str | os.PathLike | None = None):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # the usual permissions (0666 less the umask), not mkstemp's 0600, and a name that the
        # next write into the folder recognises and sweeps if this build is killed
        self.tmp = make_temp(self.path, suffix=".sqlite")
        if base is not None:  # extend an existing database (import) rather than start afresh
            src = sqlite3.connect(base)
            dst = sqlite3.connect(self.tmp)
            src.backup(dst)
            src.close()
            self.db = dst
            self.next_id = (self.db.execute("SELECT max(id) FROM places").fetchone()[0] or 0) + 1
        else:
            self.db = sqlite3.connect(self.tmp)
            self.db.executescript(_SCHEMA)
            self.next_id = 1
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self._places: list[tuple] = []
        self._names: list[tuple] = []
        self.n_places = self.n_names = self.n_shapes = 0

    def add_place(self, name: str, kind: str, lat: float, lon: float, *,
                  country_code: str | None = None, admin1: str | None = None,
                  feature_code: str | None = None, population: int | None = None,
                  geonames_id: int | None = None, source: str, admin1_code: str | None = None,
                  aliases: Iterable[str] = ()) -> int:
        """Add a place and its names; return its id."""
        place_id = self.next_id
        self.next_id += 1
        self._places.append((place_id, name, kind, lat, lon, country_code or None, admin1,
                             feature_code, population, geonames_id, source, admin1_code))
        self.add_names(place_id, [name], primary=True)
        self.add_names(place_id, aliases)
        self.n_places += 1
        if len(self._places) >= 50_000:
            self.flush()
        return place_id

    def add_names(self, place_id: int, names: Iterable[str], *, primary: bool = False) -> None:
        """Index more names (aliases, translations) of a place."""
        seen = set()
        for name in names:
            name = name.strip()
            key = normalize_name(name)
            if key and key not in seen and has_latin_letters(name):
                seen.add(key)
                self._names.append((key, name, place_id, int(primary)))
        self.n_names += len(seen)
        if len(self._names) >= 200_000:
            self.flush()

    def add_shape(self, place_id: int, geometry: dict) -> None:
        """Store the GeoJSON geometry of a place."""
        self.db.execute("INSERT OR REPLACE INTO shapes VALUES (?, ?)",
                        (place_id, json.dumps(geometry, separators=(",", ":"))))
        self.n_shapes += 1

    def add_demonym(self, demonym: str, country_code: str) -> None:
        """Record an adjective or people name ('Azerbaijani', 'Azeris') and its country."""
        key = normalize_name(demonym)
        if key:
            self.db.execute("INSERT OR IGNORE INTO demonyms VALUES (?, ?, ?)",
                            (key, demonym, country_code or ""))

    def flush(self) -> None:
        self.db.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", self._places)
        self.db.executemany("INSERT INTO names VALUES (?,?,?,?)", self._names)
        self._places.clear()
        self._names.clear()

    def commit(self, meta: dict[str, str] | None = None) -> None:
        """Finish the database (indexes, metadata) and move it into place."""
        self.flush()
        for statement in _INDEXES.strip().splitlines():
            self.db.execute(statement.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS"))
        values = {"schema": SCHEMA_VERSION, "attribution": ATTRIBUTION,
                  "built": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                  **(meta or {})}
        self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", values.items())
        self.db.commit()
        self.db.execute("ANALYZE")
        self.db.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        """Drop the temporary file; the database in place, if any, is untouched."""
        try:
            self.db.close()
        finally:
            self.tmp.unlink(missing_ok=True)

    def __enter__(self) -> "GazetteerWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.abort()


# --- reading the committed sources ----------------------------------------------------------

# Where the build is reading, so that a bad source row is reported as FILE:LINE.
_position = {"path": None, "line": 0}


def read_tsv(path: Path) -> Iterator[dict[str, str]]:
    """Yield the rows of a (gzipped) TSV file with a header line, fields kept as text."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in reader:
            _position.update(path=path, line=reader.line_num)
            yield row


def read_geojson(path: Path) -> dict:
    """Return a (gzipped) GeoJSON FeatureCollection."""
    opener = gzip.open if path.suffix == ".gz" else open
    _position.update(path=path, line=0)
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def split_names(value: str | None, sep: str = "|") -> list[str]:
    return [v for v in (value or "").split(sep) if v.strip()]


def _int(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


SOURCE_FILES = (
    "sources/countries.tsv.gz", "sources/countries.geojson.gz", "sources/continents.tsv",
    "sources/admin1.tsv.gz", "sources/admin1.geojson.gz", "sources/cities.tsv.gz",
    "sources/us_counties.tsv.gz", "sources/us_counties.geojson.gz", "sources/admin2.tsv.gz",
    "curated/regions.tsv", "curated/regions.geojson", "curated/country_aliases.tsv",
    "curated/admin1_aliases.tsv", "curated/demonyms.tsv",
)


def sources_digest(root: Path) -> str:
    """Return a digest of the source files and the builder version (to tell a stale database)."""
    h = hashlib.sha256(f"{BUILDER_VERSION}/{SCHEMA_VERSION}".encode())
    for rel in SOURCE_FILES:
        p = root / rel
        h.update(rel.encode())
        if p.is_file():
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()[:16]


def is_stale(db_path: Path, root: Path | None = None) -> bool:
    """Return True when the database is missing, unreadable or built from other sources."""
    root = root or gazetteer_dir()
    try:
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'sources_digest'").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return True
    return row is None or row[0] != sources_digest(root)


def build_gazetteer(db_path: str | os.PathLike, root: str | os.PathLike | None = None, *,
                    progress: Callable[[str], None] | None = None) -> BuildReport:
    """Build the database at `db_path` from the sources under `root`; return what was written."""
    root = Path(root) if root else gazetteer_dir()
    missing = [rel for rel in SOURCE_FILES if not (root / rel).is_file()]
    if missing:
        raise GazetteerError(f"gazetteer sources missing under {root}: {', '.join(missing)}")
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    try:
        return _build(Path(db_path), root, say, started)
    except (ValueError, KeyError, TypeError) as exc:
        where = f"{_position['path']}:{_position['line']}" if _position["path"] else str(root)
        raise GazetteerError(f"bad gazetteer source row at {where}: {exc!r}") from None


def _build(db_path: Path, root: Path, say: Callable[[str], None], started: float) -> BuildReport:
    _position.update(path=None, line=0)
    with GazetteerWriter(db_path) as w:
        say("countries")
        country_ids = _add_countries(w, root)
        say("continents")
        for row in read_tsv(root / "sources/continents.tsv"):
            w.add_place(row["name"], "continent", float(row["lat"]), float(row["lon"]),
                        geonames_id=_int(row["geonameid"]), source="geonames",
                        aliases=split_names(row["aliases"]))
        say("admin-1 regions")
        admin1 = _add_admin1(w, root)
        say("curated regions")
        _add_regions(w, root)
        cities = list(read_tsv(root / "sources/cities.tsv.gz"))
        say("US counties")
        _add_us_counties(w, root, cities)
        say("admin-2 units")
        _add_admin2(w, root, admin1, cities)
        say("cities")
        _add_cities(w, cities, admin1)
        say("demonyms")
        for row in read_tsv(root / "curated/demonyms.tsv"):
            w.add_demonym(row["demonym"], row["iso2"])
        say("indexes")
        w.commit({"sources_digest": sources_digest(root), "countries": str(len(country_ids))})
        return BuildReport(db_path, w.n_places, w.n_names, w.n_shapes,
                           time.perf_counter() - started)


def _add_countries(w: GazetteerWriter, root: Path) -> dict[str, int]:
    aliases: dict[str, list[str]] = {}
    for row in read_tsv(root / "curated/country_aliases.tsv"):
        aliases.setdefault(row["iso2"], []).append(row["alias"])
    ids = {}
    for row in read_tsv(root / "sources/countries.tsv.gz"):
        code = row["iso2"]
        ids[code] = w.add_place(
            row["name"], "country", float(row["lat"]), float(row["lon"]), country_code=code,
            feature_code="PCLI", population=_int(row["population"]),
            geonames_id=_int(row["geonameid"]), source="geonames+naturalearth",
            aliases=split_names(row["aliases"]) + aliases.get(code, []))
    for feature in read_geojson(root / "sources/countries.geojson.gz")["features"]:
        place_id = ids.get(feature["properties"]["iso2"])
        if place_id is not None:
            w.add_shape(place_id, feature["geometry"])
    return ids


def _add_admin1(w: GazetteerWriter, root: Path) -> "Admin1Index":
    aliases: dict[str, list[str]] = {}
    for row in read_tsv(root / "curated/admin1_aliases.tsv"):
        aliases.setdefault(row["code"], []).append(row["alias"])
    ids, names = {}, {}
    for row in read_tsv(root / "sources/admin1.tsv.gz"):
        code = row["code"]
        names[code] = (row["name"], row["country_code"])
        ids[code] = w.add_place(
            row["name"], "admin1", float(row["lat"]), float(row["lon"]),
            country_code=row["country_code"], admin1=row["name"], feature_code="ADM1",
            geonames_id=_int(row["geonameid"]), source="naturalearth", admin1_code=code,
            aliases=split_names(row["aliases"]) + aliases.get(code, []))
    shapes = []
    for feature in read_geojson(root / "sources/admin1.geojson.gz")["features"]:
        code = feature["properties"]["code"]
        if code in ids:
            w.add_shape(ids[code], feature["geometry"])
            shapes.append((code, feature["geometry"]))
    return Admin1Index(names, shapes)


class Admin1Index:
    """Finds the admin-1 region of a point: by polygon, else by the GeoNames admin-1 code.

    Natural Earth's GeoNames codes are out of date for some countries (France's regions were
    renumbered in 2016), so the polygon that contains a city is the better witness.
    """

    def __init__(self, names: dict[str, tuple[str, str]], shapes: list[tuple[str, dict]]):
        import shapely

        self.names = names
        self.codes = [code for code, _ in shapes]
        self.tree = shapely.STRtree([shapely.geometry.shape(g) for _, g in shapes])

    def locate(self, rows: list[tuple[float, float, str, str | None]]) -> list[str | None]:
        """Return the admin-1 name for each (lat, lon, country code, GeoNames admin-1 code)."""
        import shapely

        points = shapely.points([(lon, lat) for lat, lon, _, _ in rows])
        found: dict[int, str] = {}
        for i, j in zip(*self.tree.query(points, predicate="within")):
            name, country = self.names[self.codes[j]]
            if country == rows[i][2]:
                found.setdefault(int(i), name)
        out = []
        for i, (_, _, _, code) in enumerate(rows):
            out.append(found.get(i) or self.names.get(code or "", (None, None))[0])
        return out


def _add_regions(w: GazetteerWriter, root: Path) -> None:
    ids = {}
    for row in read_tsv(root / "curated/regions.tsv"):
        ids[row["name"]] = w.add_place(
            row["name"], row.get("kind") or "region", float(row["lat"]), float(row["lon"]),
            country_code=row["country_code"] or None, source="curated",
            aliases=split_names(row["aliases"]))
    for feature in read_geojson(root / "curated/regions.geojson")["features"]:
        place_id = ids.get(feature["properties"]["name"])
        if place_id is not None:
            w.add_shape(place_id, feature["geometry"])


def _add_us_counties(w: GazetteerWriter, root: Path, cities: list[dict[str, str]]) -> None:
    """US counties, parishes, boroughs and Puerto Rico's municipios, with their Census outlines.

    Names are the ones news writes ("Laurel County", "Avoyelles Parish", "City of Baltimore"),
    with the type word: the bare name ("Laurel", "Christian", "Jack") is a town's or a person's
    far more often than the county's. The population is that of the GeoNames places (cities500)
    inside the outline: a lower bound that ranks the eight Orange Counties.
    """
    shapes = {f["properties"]["fips"]: f["geometry"]
              for f in read_geojson(root / "sources/us_counties.geojson.gz")["features"]}
    population = _population_inside(shapes, [r for r in cities if r["country_code"] in ("US", "PR")])
    ids = {}
    for row in read_tsv(root / "sources/us_counties.tsv.gz"):
        cc, state = row["country_code"], row["state_code"]
        # GeoNames codes Puerto Rico's municipios as admin-1 units of the country PR
        admin1_code = f"PR.{row['fips'][2:]}" if cc == "PR" else f"US.{state}"
        ids[row["fips"]] = w.add_place(
            row["full_name"], "admin2", float(row["lat"]), float(row["lon"]), country_code=cc,
            admin1=row["state_name"] if cc == "US" else row["name"], feature_code="ADM2",
            population=population.get(row["fips"]) or None, geonames_id=_int(row["geonames_id"]),
            source="census", admin1_code=admin1_code,
            aliases=[a for a in split_names(row["aliases"]) if base_key(a) != normalize_name(a)])
    for fips, geometry in shapes.items():
        if fips in ids:
            w.add_shape(ids[fips], geometry)


def _population_inside(shapes: dict[str, dict], places: list[dict[str, str]]) -> dict[str, int]:
    """Return {shape key: summed population of the GeoNames places that lie inside it}."""
    import shapely

    keys = list(shapes)
    if not keys or not places:  # shapely.points([]) refuses an empty list of coordinates
        return {}
    tree = shapely.STRtree([shapely.geometry.shape(shapes[k]) for k in keys])
    points = shapely.points([(float(r["longitude"]), float(r["latitude"])) for r in places])
    total: dict[str, int] = {}
    for i, j in zip(*tree.query(points, predicate="within")):
        key = keys[j]
        total[key] = total.get(key, 0) + (_int(places[i]["population"]) or 0)
    return total


def _add_admin2(w: GazetteerWriter, root: Path, admin1: "Admin1Index",
                cities: list[dict[str, str]]) -> None:
    """GeoNames' second-level divisions outside the US, at a point derived from their places.

    The population is that of the place chosen as the unit's point (its most central, mostly its
    largest): a lower bound, so that a Norwegian municipality does not outrank a Swedish city.
    """
    population = {r["geonameid"]: _int(r["population"]) for r in cities}
    for row in read_tsv(root / "sources/admin2.tsv.gz"):
        cc = row["country_code"]
        admin1_code = f"{cc}.{row['admin1_code']}" if row["admin1_code"] else None
        w.add_place(
            row["name"], "admin2", float(row["lat"]), float(row["lon"]), country_code=cc,
            admin1=admin1.names.get(admin1_code or "", (None, None))[0], feature_code="ADM2",
            population=population.get(row["point_geonameid"]) or None,
            geonames_id=_int(row["geonames_id"]), source="geonames", admin1_code=admin1_code,
            aliases=[row["ascii_name"], *split_names(row["aliases"])])


def _add_cities(w: GazetteerWriter, rows: list[dict[str, str]], admin1: Admin1Index) -> None:
    located = admin1.locate([
        (float(r["latitude"]), float(r["longitude"]), r["country_code"],
         f"{r['country_code']}.{r['admin1_code']}" if r["admin1_code"] else None) for r in rows])
    for row, admin1_name in zip(rows, located):
        cc = row["country_code"]
        w.add_place(
            row["name"], "city", float(row["latitude"]), float(row["longitude"]),
            country_code=cc, admin1=admin1_name, feature_code=row["feature_code"],
            population=_int(row["population"]), geonames_id=_int(row["geonameid"]),
            source="geonames",
            admin1_code=f"{cc}.{row['admin1_code']}" if row["admin1_code"] else None,
            aliases=[row["asciiname"], *split_names(row["alternatenames"])])


def text_stream(raw: io.BufferedIOBase) -> io.TextIOWrapper:
    """Wrap a binary stream as UTF-8 text with no newline translation (GeoNames dumps)."""
    return io.TextIOWrapper(raw, encoding="utf-8", newline="")
