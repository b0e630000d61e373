"""Place, and the SQLite gazetteer: candidates for a name, ranking, fuzzy matching, reverse lookup."""

from __future__ import annotations

import json
import math
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from geomap.gazetteer.names import normalize_name

KINDS = ("continent", "country", "admin1", "region", "city", "feature")
SCHEMA_VERSION = "1"

# Ranking weights, in log10 units of population: a capital counts as ten times its size.
_KIND_PRIOR = {"continent": 3.0, "country": 3.0, "region": 2.0, "admin1": 1.5, "city": 0.0,
               "feature": 0.0}
# Natural Earth's admin-1 rows and our curated regions carry no population.
_ASSUMED_POPULATION = {"admin1": 1_000_000, "region": 1_000_000, "continent": 500_000_000}
_FEATURE_BONUS = {"PPLC": 1.0, "PPLA": 0.5, "PPLG": 0.5, "PPLA2": 0.2}
_PRIMARY_NAME_BONUS = 0.3
# A rival within this factor of the best candidate's weight makes a name ambiguous.
AMBIGUITY_RATIO = 100.0
FUZZY_CUTOFF = 82.0
# A province's label point lies this close to the city it is named after.
NAMESAKE_KM = 100.0
EARTH_KM = 6371.0088


class GazetteerError(Exception):
    """A problem with the gazetteer database that the user can fix."""


class GazetteerMissing(GazetteerError):
    """The database file does not exist or is not a geomap gazetteer."""


def default_db_path() -> Path:
    """Return the gazetteer database path: $GEOMAP_DB, else gazetteer/geomap.sqlite in the project."""
    env = os.environ.get("GEOMAP_DB")
    if env:
        return Path(env)
    return project_root() / "gazetteer" / "geomap.sqlite"


def project_root() -> Path:
    """Return the checkout that holds the geomap package (gazetteer/, seeds/, output/ live there)."""
    return Path(__file__).resolve().parents[2]


def build_hint(path: Path) -> str:
    return f"run `geomap gazetteer build` (or `make gazetteer`) to create {path}"


@dataclass(frozen=True)
class Place:
    """One gazetteer entry."""

    id: int
    name: str
    kind: str
    lat: float
    lon: float
    country_code: str | None = None
    admin1: str | None = None
    feature_code: str | None = None
    population: int | None = None
    geonames_id: int | None = None
    source: str = ""
    admin1_code: str | None = None
    country: str | None = None

    def fields(self) -> dict:
        """Return the place's fields as plain JSON-ready values."""
        return {
            "name": self.name, "kind": self.kind, "country_code": self.country_code,
            "country": self.country, "admin1": self.admin1, "lat": self.lat, "lon": self.lon,
            "population": self.population, "geonames_id": self.geonames_id,
            "feature_code": self.feature_code, "source": self.source,
        }

    def label(self) -> str:
        """Return 'Name, Admin1, Country' for display."""
        parts = [self.name]
        if self.admin1 and self.admin1 != self.name:
            parts.append(self.admin1)
        if self.country and self.country != self.name:
            parts.append(self.country)
        return ", ".join(parts)


@dataclass(frozen=True)
class Candidate:
    """A place that a name may mean, with the evidence for it."""

    place: Place
    matched_name: str
    primary: bool
    similarity: float = 100.0  # rapidfuzz score of the name; 100 for an exact key


@dataclass(frozen=True)
class GeocodeResult:
    """The answer for one query: the best place, how sure, and the alternatives."""

    query: str
    status: str  # resolved | ambiguous | fuzzy | not_found | invalid
    place: Place | None = None
    confidence: float = 0.0
    similarity: float | None = None
    matched_name: str | None = None
    alternatives: tuple[Place, ...] = field(default_factory=tuple)
    message: str | None = None

    def as_dict(self) -> dict:
        """Return the record of geomap's JSON output (one object per query)."""
        fields = self.place.fields() if self.place else {
            k: None for k in ("name", "kind", "country_code", "country", "admin1", "lat", "lon",
                              "population", "geonames_id", "feature_code", "source")}
        return {
            "query": self.query, "status": self.status, **fields,
            "confidence": round(self.confidence, 3),
            "similarity": None if self.similarity is None else round(self.similarity, 1),
            "matched_name": self.matched_name, "message": self.message,
            "alternatives": [p.fields() for p in self.alternatives],
        }


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def importance(place: Place) -> float:
    """Return the prior weight of a place in log10 units (bigger and higher-ranked is likelier)."""
    population = place.population or _ASSUMED_POPULATION.get(place.kind, 1)
    return (math.log10(max(population, 1)) + _KIND_PRIOR.get(place.kind, 0.0)
            + _FEATURE_BONUS.get(place.feature_code or "", 0.0))


_PLACE_COLUMNS = ("id, name, kind, lat, lon, country_code, admin1, feature_code, population, "
                  "geonames_id, source, admin1_code")
# the same columns qualified by the table alias p, for joins
_P_PLACE_COLUMNS = ", ".join("p." + c.strip() for c in _PLACE_COLUMNS.split(","))


class Gazetteer:
    """Read access to a built gazetteer database."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else default_db_path()
        if not self.path.is_file():
            raise GazetteerMissing(f"no gazetteer at {self.path}: {build_hint(self.path)}")
        try:
            self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            self.meta = dict(self.db.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError as exc:
            raise GazetteerMissing(
                f"{self.path} is not a usable gazetteer ({exc}): {build_hint(self.path)}") from None
        if self.meta.get("schema") != SCHEMA_VERSION:
            raise GazetteerMissing(
                f"{self.path} has schema {self.meta.get('schema')!r}, expected {SCHEMA_VERSION}: "
                f"{build_hint(self.path)}")
        self._countries: dict[str, str] | None = None
        self._fuzzy_keys: dict[tuple[str, int], list[str]] = {}

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Gazetteer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- rows to places ----------------------------------------------------------------

    def _country_names(self) -> dict[str, str]:
        if self._countries is None:
            self._countries = dict(self.db.execute(
                "SELECT country_code, name FROM places WHERE kind = 'country'"))
        return self._countries

    def _place(self, row) -> Place:
        return Place(*row[:12], country=self._country_names().get(row[5]))

    def get(self, place_id: int) -> Place | None:
        """Return the place with this id, or None."""
        row = self.db.execute(f"SELECT {_PLACE_COLUMNS} FROM places WHERE id = ?",
                              (place_id,)).fetchone()
        return self._place(row) if row else None

    def country(self, code: str) -> Place | None:
        """Return the country place for an ISO 3166-1 alpha-2 code, or None."""
        row = self.db.execute(f"SELECT {_PLACE_COLUMNS} FROM places WHERE kind = 'country' "
                              "AND country_code = ?", (code.upper(),)).fetchone()
        return self._place(row) if row else None

    # --- candidates -----------------------------------------------------------------------

    def candidates(self, name: str) -> list[Candidate]:
        """Return every place whose name or alternate name has the same lookup key as `name`."""
        return self.candidates_for_key(normalize_name(name))

    def candidates_for_key(self, key: str) -> list[Candidate]:
        """Return every place indexed under a normalised key, best-known first."""
        if not key:
            return []
        rows = self.db.execute(
            f"SELECT {_P_PLACE_COLUMNS}, "
            "n.name, n.is_primary FROM names n JOIN places p ON p.id = n.place_id "
            "WHERE n.key = ?", (key,)).fetchall()
        best: dict[int, Candidate] = {}
        for row in rows:
            cand = Candidate(self._place(row), row[12], bool(row[13]))
            old = best.get(cand.place.id)
            if old is None or (cand.primary and not old.primary):
                best[cand.place.id] = cand
        return sorted(best.values(), key=lambda c: -importance(c.place))

    def fuzzy_candidates(self, name: str, limit: int = 10) -> list[Candidate]:
        """Return places whose names are close in spelling to `name` (rapidfuzz ratio >= cutoff)."""
        from rapidfuzz import fuzz, process

        key = normalize_name(name)
        if len(key) < 4:
            return []
        pool = self._keys_like(key)
        found = process.extract(key, pool, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF,
                                limit=limit)
        best: dict[int, Candidate] = {}
        for other, score, _ in found:  # best first, so a place keeps its closest name
            for c in self.candidates_for_key(other):
                best.setdefault(c.place.id, Candidate(c.place, c.matched_name, c.primary, score))
        return list(best.values())

    def _keys_like(self, key: str) -> list[str]:
        # Misspellings rarely change the first letter or the length by much; that bound keeps
        # the pool to a few thousand keys instead of the whole index.
        slack = max(2, len(key) // 4)
        cache_key = (key[0], len(key))
        if cache_key not in self._fuzzy_keys:
            self._fuzzy_keys[cache_key] = [k for (k,) in self.db.execute(
                "SELECT DISTINCT key FROM names WHERE key >= ? AND key < ? "
                "AND length(key) BETWEEN ? AND ?",
                (key[0], chr(ord(key[0]) + 1), len(key) - slack, len(key) + slack))]
        return self._fuzzy_keys[cache_key]

    # --- geocoding ---------------------------------------------------------------------------

    def geocode(self, query: str, *, country: str | None = None,
                near: tuple[float, float] | None = None, kind: str | None = None,
                fuzzy: bool = True, limit: int = 5) -> GeocodeResult:
        """Return the best place for a name, with alternatives, status and confidence."""
        problem = check_query(query)
        if problem:
            return GeocodeResult(query=query, status="invalid", message=problem)
        cands = _filter(self.candidates(query), country, kind)
        status = "resolved"
        if not cands and fuzzy:
            cands = _filter(self.fuzzy_candidates(query), country, kind)
            status = "fuzzy"
        if not cands:
            where = "".join([f" in {country.upper()}" if country else "",
                             f" of kind {kind}" if kind else ""])
            return GeocodeResult(query=query, status="not_found",
                                 message=f"no place named {query.strip()!r}{where} in the gazetteer")
        ranked = rank_candidates(cands, near=near)
        best, best_score = ranked[0]
        rivals = [(c, s) for c, s in ranked[1:] if not same_place(best.place, c.place)]
        weights = [10 ** (s - best_score) for _, s in rivals]
        confidence = 1.0 / (1.0 + sum(weights))
        if status == "fuzzy":
            confidence *= best.similarity / 100.0
        elif weights and max(weights) >= 1.0 / AMBIGUITY_RATIO:
            status = "ambiguous"
        message = None
        if status == "ambiguous":
            message = f"{len(rivals) + 1} places are named {query.strip()!r}; best guess shown"
        elif status == "fuzzy":
            message = (f"no exact match; closest name {best.matched_name!r} "
                       f"(similarity {best.similarity:.0f}/100)")
        return GeocodeResult(
            query=query, status=status, place=best.place, confidence=confidence,
            similarity=best.similarity if status == "fuzzy" else None,
            matched_name=best.matched_name,
            alternatives=tuple(c.place for c, _ in ranked[1:limit + 1]), message=message)

    def reverse(self, lat: float, lon: float, *, kind: str | None = "city") -> Place | None:
        """Return the nearest place (of `kind`, cities by default) to a point."""
        for radius in (0.25, 1.0, 4.0, 16.0, 90.0):
            sql = (f"SELECT {_PLACE_COLUMNS} FROM places WHERE lat BETWEEN ? AND ? "
                   "AND lon BETWEEN ? AND ?")
            params: list = [lat - radius, lat + radius, lon - radius * 2, lon + radius * 2]
            if kind:
                sql += " AND kind = ?"
                params.append(kind)
            rows = self.db.execute(sql, params).fetchall()
            if rows:
                nearest = min(rows, key=lambda r: haversine_km(lat, lon, r[3], r[4]))
                return self._place(nearest)
        return None

    # --- shapes, names and facts -------------------------------------------------------------

    def shape(self, place_id: int) -> dict | None:
        """Return the GeoJSON geometry of a place, or None when it has none."""
        row = self.db.execute("SELECT geojson FROM shapes WHERE place_id = ?",
                              (place_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def shapes(self, kind: str = "country") -> list[tuple[Place, dict]]:
        """Return (place, GeoJSON geometry) for every place of a kind that has a shape."""
        rows = self.db.execute(
            f"SELECT {_P_PLACE_COLUMNS}, s.geojson "
            "FROM shapes s JOIN places p ON p.id = s.place_id WHERE p.kind = ? ORDER BY p.id",
            (kind,)).fetchall()
        return [(self._place(r), json.loads(r[12])) for r in rows]

    def iter_names(self):
        """Yield (name as written, lookup key, place id, is primary) for every indexed name."""
        yield from self.db.execute("SELECT name, key, place_id, is_primary FROM names")

    def major_places(self, population: int = 1_000_000) -> list[tuple[int, str]]:
        """Return (id, kind) of countries, regions, first-level divisions, capitals, big cities."""
        return list(self.db.execute(
            "SELECT id, kind FROM places WHERE kind IN ('country', 'admin1', 'region', 'continent') "
            "OR feature_code = 'PPLC' OR population >= ?", (population,)))

    def demonyms(self) -> dict[str, str]:
        """Return {demonym lookup key: ISO alpha-2 code ('' for peoples without a state)}."""
        return dict(self.db.execute("SELECT key, country_code FROM demonyms"))

    def info(self) -> dict:
        """Return what the database holds: counts by kind and source, build date, size."""
        by_kind = dict(self.db.execute("SELECT kind, count(*) FROM places GROUP BY kind"))
        by_source = dict(self.db.execute("SELECT source, count(*) FROM places GROUP BY source"))
        return {
            "path": str(self.path), "size_bytes": self.path.stat().st_size,
            "built": self.meta.get("built"), "sources_digest": self.meta.get("sources_digest"),
            "places": sum(by_kind.values()), "by_kind": by_kind, "by_source": by_source,
            "names": self.db.execute("SELECT count(*) FROM names").fetchone()[0],
            "shapes": self.db.execute("SELECT count(*) FROM shapes").fetchone()[0],
            "attribution": self.meta.get("attribution"),
        }


MAX_QUERY_CHARS = 200


def check_query(query: str) -> str | None:
    """Return why a query cannot be looked up, or None when it is fine."""
    if not query.strip():
        return "empty name"
    if len(query) > MAX_QUERY_CHARS:
        return f"name too long ({len(query)} characters; at most {MAX_QUERY_CHARS})"
    if any(ord(ch) < 32 and ch not in "\t" for ch in query) or "\x7f" in query:
        return "name contains control characters"
    if "\ufffd" in query:
        return "name is not valid text (undecodable bytes)"
    if not normalize_name(query):
        return "name has no letters or digits"
    return None


def _filter(cands: list[Candidate], country: str | None, kind: str | None) -> list[Candidate]:
    if country:
        cands = [c for c in cands if (c.place.country_code or "").upper() == country.upper()]
    if kind:
        cands = [c for c in cands if c.place.kind == kind]
    return cands


def rank_candidates(cands: list[Candidate], *, near: tuple[float, float] | None = None,
                    ) -> list[tuple[Candidate, float]]:
    """Return candidates with their scores (log10 weights), best first."""
    scored = []
    for c in cands:
        score = importance(c.place) + (_PRIMARY_NAME_BONUS if c.primary else 0.0)
        score += (c.similarity - 100.0) / 5.0  # five points of spelling = a factor of ten
        if near:
            km = haversine_km(near[0], near[1], c.place.lat, c.place.lon)
            score -= 2.0 * math.log10(1.0 + km / 25.0)
        scored.append((c, score))
    # A province named after its capital ("Gaziantep", "Stepanakert") means the city unless
    # asked for the province: rank it just below its namesake city.
    cities = [(c, s) for c, s in scored if c.place.kind == "city"]
    for i, (c, s) in enumerate(scored):
        if c.place.kind == "admin1":
            namesakes = [cs for d, cs in cities if same_place(c.place, d.place)]
            if namesakes:
                scored[i] = (c, min(s, max(namesakes) - 0.01))
    # ties broken by id so the order never depends on SQLite's row order
    scored.sort(key=lambda cs: (-cs[1], cs[0].place.id))
    return scored


def same_place(a: Place, b: Place) -> bool:
    """True when two candidates for one name are one place seen twice: a city and the province
    or country named after it. The province's label point lies near its namesake city, or the
    city bears the very name in that province ("Minnesota" as a variant spelling of the town
    Minneota, far from the state's centre, does not count)."""
    if a.country_code != b.country_code:
        return False
    if a.geonames_id and a.geonames_id == b.geonames_id:
        return True
    kinds = {a.kind, b.kind}
    if kinds == {"city", "admin1"}:
        city, province = (a, b) if a.kind == "city" else (b, a)
        return (haversine_km(a.lat, a.lon, b.lat, b.lon) < NAMESAKE_KM
                or (city.admin1_code == province.admin1_code
                    and normalize_name(city.name) == normalize_name(province.name)))
    return kinds == {"city", "country"}
