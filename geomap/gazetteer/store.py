"""The SQLite gazetteer: the places a name may mean, fuzzy keys, reverse lookup, shapes and facts.

Only SQL and rows-to-places here; ranking is geomap.gazetteer.ranking, geocoding geomap.gazetteer.geocode.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from geomap.gazetteer.names import normalize_name
from geomap.gazetteer.place import Candidate, Place
from geomap.gazetteer.ranking import importance
from geomap.geo import haversine_km
from geomap.paths import default_db_path

SCHEMA_VERSION = "1"
FUZZY_CUTOFF = 82.0  # rapidfuzz ratio a misspelt name must reach


def build_hint(path: Path) -> str:
    """Return what to run to create the database at `path`."""
    return f"run `geomap gazetteer build` (or `make gazetteer`) to create {path}"


_PLACE_COLUMNS = ("id, name, kind, lat, lon, country_code, admin1, feature_code, population, "
                  "geonames_id, source, admin1_code")
# the same columns qualified by the table alias p, for joins
_P_PLACE_COLUMNS = ", ".join("p." + c.strip() for c in _PLACE_COLUMNS.split(","))


class GazetteerError(Exception):
    """A problem with the gazetteer database that the user can fix."""


class GazetteerMissing(GazetteerError):
    """The database file does not exist or is not a geomap gazetteer."""


class GazetteerDamaged(GazetteerMissing):
    """The database file is a geomap gazetteer with missing tables or damaged pages."""


# the tables this reader queries
TABLES = ("meta", "places", "names", "shapes", "demonyms")


class Gazetteer:
    """Read access to a built gazetteer database."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else default_db_path()
        if not self.path.is_file():
            raise GazetteerMissing(f"no gazetteer at {self.path}: {build_hint(self.path)}")
        try:
            self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            self.meta = dict(self.db.execute("SELECT key, value FROM meta"))
            # a cheap check at open (a table dropped, a damaged catalogue of tables); a page
            # damaged deep inside is found by verify(), which reads the whole file
            tables = {name for (name,) in self.db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise GazetteerMissing(
                f"{self.path} is not a usable gazetteer ({exc}): {build_hint(self.path)}") from None
        missing = [name for name in TABLES if name not in tables]
        if missing:
            self.db.close()
            raise GazetteerDamaged(f"{self.path} is damaged (no {', '.join(missing)} table): "
                                   f"{build_hint(self.path)}")
        if self.meta.get("schema") != SCHEMA_VERSION:
            self.db.close()
            raise GazetteerMissing(
                f"{self.path} has schema {self.meta.get('schema')!r}, expected {SCHEMA_VERSION}: "
                f"{build_hint(self.path)}")
        self._countries: dict[str, str] | None = None
        self._fuzzy_keys: dict[tuple[str, int], list[str]] = {}
        # what later stages derive from this database (the name index, the resolver), built
        # once per open handle and dropped with it
        self.derived: dict[str, object] = {}

    def verify(self) -> None:
        """Raise GazetteerDamaged unless SQLite's quick_check finds every page sound (reads the whole file)."""
        try:
            problems = [row[0] for row in self.db.execute("PRAGMA quick_check(3)")]
        except sqlite3.DatabaseError as exc:
            problems = [str(exc)]
        if problems != ["ok"]:
            found = " ".join("; ".join(problems).split())[:200]  # one line
            raise GazetteerDamaged(f"{self.path} is damaged ({found}): "
                                   f"{build_hint(self.path)}")

    def close(self) -> None:
        """Close the database and drop what was derived from it."""
        self.db.close()
        self.derived.clear()

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

    def city_named(self, key: str, cands: list[Candidate]) -> set[int]:
        """Return the ids of the cities among `cands` (the candidates of `key`) that also go by
        the name with "City" ("Quebec City"); asked only where a province shares the name."""
        kinds = {c.place.kind for c in cands}
        if "city" not in kinds or "admin1" not in kinds:
            return set()
        return {c.place.id for c in self.candidates_for_key(f"{key} city") if c.place.kind == "city"}

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

    def cities(self, population: int, *, feature_codes: tuple[str, ...] = (),
               box: tuple[float, float, float, float] | None = None, limit: int | None = None) -> list[Place]:
        """Return the cities of at least `population` people or with one of `feature_codes`, inside
        box (south, west, north, east) when given, the most populous first (at most `limit`)."""
        wanted = "population >= ?" + (f" OR feature_code IN ({','.join('?' * len(feature_codes))})"
                                      if feature_codes else "")
        sql = f"SELECT {_PLACE_COLUMNS} FROM places WHERE kind = 'city' AND ({wanted})"
        params: list = [population, *feature_codes]
        if box is not None:
            sql += " AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?"
            params += [box[0], box[2], box[1], box[3]]
        sql += " ORDER BY population DESC, id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [self._place(row) for row in self.db.execute(sql, params)]

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


