"""IncidentStore: adding articles' incidents in transactions, merging reports, reading slices.

Each batch is one SQLite transaction (BEGIN IMMEDIATE ... COMMIT, rollback journal, full
sync): a kill -9 during an ingest leaves the store as it was before the batch or with the
batch complete, and a second ingest into the same store waits for the first's batch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from geomap import __version__
from geomap.articles import Article
from geomap.briefing import Briefing
from geomap.gazetteer import Gazetteer
from geomap.incidents import Incident
from geomap.store.gpkg import (FIELDS, StoreError, add_new_fields, check_format, create_store,
                               decode, encode, point_blob, utc_now)
from geomap.store.merge import (CELL_SQL, MERGE_RULE, Where, cells_near, merged_fields,
                                same_place)

PARAMETERS = 500  # values per IN (...) query, under SQLite's limit


@dataclass
class IngestReport:
    """What an ingest (or one batch of it) did."""

    articles: int = 0  # read from the input
    held: int = 0  # skipped: already in the store, or repeated in the input
    added: int = 0  # articles stored
    reports: int = 0  # incidents extracted from them
    new_events: int = 0  # reports that started an event
    merged: int = 0  # reports that joined an event already stored
    batches: int = 0

    def add(self, other: "IngestReport") -> None:
        """Add another report's counts to this one."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True)
class Slice:
    """Which events to take from a store: dates (inclusive), country, bounding box, event type."""

    since: dt.date | None = None
    until: dt.date | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    event_type: str | None = None  # an event type or a sub-event type, any case


@dataclass
class StoredEvent:
    """An event read from a store: its id there, the incident, and the articles that reported it."""

    fid: int
    incident: Incident
    sources: list[str] = field(default_factory=list)
    reports: int = 1


def content_hash(article: Article) -> str:
    """Return the SHA-256 of an article's text: the same text is the same article, wherever it is."""
    return hashlib.sha256(article.text.encode("utf-8", "surrogatepass")).hexdigest()


class IncidentStore:
    """An incident store (a GeoPackage); `create=True` makes it when missing."""

    def __init__(self, path: str | os.PathLike, *, create: bool = False, readonly: bool = False):
        self.path = Path(path)
        if not self.path.exists():
            if not create:
                raise StoreError(f"no incident store at {self.path}: "
                                 f"`geomap ingest ARTICLES --store {self.path}` makes one")
            create_store(self.path, {"merge_rule": MERGE_RULE})
        elif not self.path.is_file():
            raise StoreError(f"{self.path} is not a file; give the path of a store (.gpkg)")
        uri = f"file:{self.path}?mode={'ro' if readonly else 'rw'}"
        try:
            self.db = sqlite3.connect(uri, uri=True, timeout=600, isolation_level=None)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open ({exc})") from None
        try:
            check_format(self.db, self.path)
            if not readonly:
                self.db.execute("PRAGMA synchronous = FULL")
                add_new_fields(self.db)
            self._columns = {row[1] for row in self.db.execute("PRAGMA table_info(incidents)")}
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise StoreError(f"{self.path} is not an incident store ({exc})") from None
        except StoreError:
            self.db.close()
            raise

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def __enter__(self) -> "IncidentStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def held(self, hashes) -> set[str]:
        """Return which of these content hashes the store holds."""
        hashes = list(hashes)
        found: set[str] = set()
        for start in range(0, len(hashes), PARAMETERS):
            chunk = hashes[start:start + PARAMETERS]
            found.update(h for (h,) in self.db.execute(
                f"SELECT hash FROM articles WHERE hash IN ({','.join('?' * len(chunk))})", chunk))
        return found

    def counts(self) -> dict[str, int]:
        """Return the number of events, reports, articles and batches held."""
        return {table: self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("incidents", "reports", "articles", "batches")}

    # --- adding ------------------------------------------------------------------------------

    def add_batch(self, items: list[tuple[Article, list[Incident]]]) -> IngestReport:
        """Store articles and their incidents in one transaction; return what was added."""
        report = IngestReport(batches=1)
        points: list[tuple[float, float]] = []
        self.db.execute("BEGIN IMMEDIATE")
        try:
            batch = self.db.execute("INSERT INTO batches (started, geomap) VALUES (?, ?)",
                                    (utc_now(), f"geomap {__version__}")).lastrowid
            for article, incidents in items:
                digest = content_hash(article)
                if not self.db.execute(
                        "INSERT OR IGNORE INTO articles (hash, id, path, title, published, batch, "
                        "incidents) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (digest, article.id, article.path, article.title,
                         encode("published", article.published), batch, len(incidents))).rowcount:
                    report.held += 1  # the same text twice in one input
                    continue
                report.added += 1
                for incident in incidents:
                    self._add_report(incident, article, digest, report)
                    if incident.latitude is not None and incident.longitude is not None:
                        points.append((incident.longitude, incident.latitude))
            self.db.execute("UPDATE batches SET finished = ?, articles = ?, incidents = ?, "
                            "merged = ? WHERE fid = ?",
                            (utc_now(), report.added, report.reports, report.merged, batch))
            self._update_contents(points)
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        return report

    def _add_report(self, incident: Incident, article: Article, digest: str,
                    report: IngestReport) -> None:
        values = [encode(n, getattr(incident, n)) for n in FIELDS]
        names = ", ".join(f'"{n}"' for n in FIELDS)
        marks = ", ".join("?" * len(FIELDS))
        event = self._match(incident, digest)
        told_before = event is not None
        if not told_before:
            event = self.db.execute(
                f"INSERT INTO incidents (geom, {names}, sources, reports) VALUES (?, {marks}, ?, 1)",
                [point_blob(incident.latitude, incident.longitude), *values,
                 json.dumps([article.id], ensure_ascii=False)]).lastrowid
        self.db.execute(f"INSERT INTO reports (incident_fid, article_hash, {names}) "
                        f"VALUES (?, ?, {marks})", [event, digest, *values])
        if told_before:
            self._refresh(event)
        report.merged += told_before
        report.new_events += not told_before
        report.reports += 1

    def _match(self, incident: Incident, digest: str) -> int | None:
        """Return the stored event this incident tells again, or None (geomap.store.merge)."""
        if incident.event_date is None or incident.latitude is None:
            return None
        columns = ("fid, place_id, place_kind, latitude, longitude, geo_precision, country_code, "
                   "admin1")
        # the event's type and days, and not told by this article already
        told = ("event_type = ? AND COALESCE(end_date, event_date) >= ? AND event_date <= ? "
                "AND historical = ? AND NOT EXISTS (SELECT 1 FROM reports r "
                "WHERE r.incident_fid = incidents.fid AND r.article_hash = ?)")
        when = [incident.event_type, incident.event_date.isoformat(),
                (incident.end_date or incident.event_date).isoformat(), int(incident.historical),
                digest]
        near = cells_near(incident.latitude, incident.longitude)
        rows = self.db.execute(
            f"SELECT {columns} FROM incidents WHERE {told} "
            f"AND {CELL_SQL} IN ({', '.join('?' * len(near))})", when + near).fetchall()
        if incident.admin1 and incident.country_code:
            # a first-level division and the places in it
            kind = "" if incident.place_kind == "admin1" else "AND place_kind = 'admin1'"
            rows += self.db.execute(
                f"SELECT {columns} FROM incidents WHERE {told} AND country_code = ? "
                f"AND admin1 = ? {kind}", when + [incident.country_code, incident.admin1])
        here = Where.of(incident)
        best = None
        for fid, *where in rows:
            distance = same_place(here, Where(*where))
            if distance is not None and (best is None or (distance, fid) < best):
                best = (distance, fid)
        return best[1] if best else None

    def _refresh(self, event: int) -> None:
        """Set an event's row from all its reports (geomap.store.merge.merged_fields)."""
        names = ", ".join(f'r."{n}"' for n in FIELDS)
        reports = [(row[0], row[1], {n: decode(n, v) for n, v in zip(FIELDS, row[2:])})
                   for row in self.db.execute(
                       f"SELECT r.fid, a.id, {names} FROM reports r JOIN articles a "
                       "ON a.hash = r.article_hash WHERE r.incident_fid = ?", (event,))]
        merged = merged_fields(reports)
        sources = merged["article"].split("; ")
        assignments = ", ".join(f'"{n}" = ?' for n in FIELDS)
        self.db.execute(
            f"UPDATE incidents SET geom = ?, {assignments}, sources = ?, reports = ? WHERE fid = ?",
            [point_blob(merged["latitude"], merged["longitude"]),
             *[encode(n, merged[n]) for n in FIELDS], json.dumps(sources, ensure_ascii=False),
             len(reports), event])

    def _update_contents(self, points: list[tuple[float, float]]) -> None:
        """Widen the layer's extent to the batch's points (lon, lat), not reading the table:
        an event's point is always one of its reports', so the extent of every report is the
        layer's."""
        if points:
            lons, lats = [p[0] for p in points], [p[1] for p in points]
            self.db.execute(
                "UPDATE gpkg_contents SET min_x = min(coalesce(min_x, :w), :w), "
                "min_y = min(coalesce(min_y, :s), :s), max_x = max(coalesce(max_x, :e), :e), "
                "max_y = max(coalesce(max_y, :n), :n) WHERE table_name = 'incidents'",
                {"w": min(lons), "s": min(lats), "e": max(lons), "n": max(lats)})
        self.db.execute("UPDATE gpkg_contents SET last_change = ?", (utc_now(),))

    # --- reading -----------------------------------------------------------------------------

    def iter_events(self, where: Slice = Slice()) -> Iterator[StoredEvent]:
        """Yield the events of a slice, by date, one at a time."""
        sql, params = _slice_sql(where)
        present = [n for n in FIELDS if n in self._columns]  # a newer Incident field: default
        names = ", ".join(f'"{n}"' for n in present)
        for fid, sources, reports, *values in self.db.execute(
                f"SELECT fid, sources, reports, {names} FROM incidents {sql} "
                "ORDER BY event_date, fid", params):
            incident = Incident(**{n: decode(n, v) for n, v in zip(present, values)})
            yield StoredEvent(fid, incident, json.loads(sources or "[]"), reports or 1)

    def events(self, where: Slice = Slice()) -> list[StoredEvent]:
        """Return the events of a slice, by date."""
        return list(self.iter_events(where))

    def incidents(self, where: Slice = Slice()) -> list[Incident]:
        """Return the incidents (one per event, its `article` naming every source) of a slice."""
        return [event.incident for event in self.events(where)]

    def briefing(self, where: Slice, gazetteer: Gazetteer) -> Briefing:
        """Return a Briefing of a slice for geomap.briefing.write_briefing: its events, and their
        places sized by the number of reports."""
        briefing = Briefing()
        sources: set[str] = set()
        for event in self.iter_events(where):
            briefing.incidents.append(event.incident)
            sources.update(event.sources)
            place_id = event.incident.place_id
            place = briefing.places.get(place_id) or (gazetteer.get(place_id) if place_id else None)
            if place is not None:
                briefing.places[place_id] = place
                briefing.place_counts[place_id] += event.reports
        briefing.articles = len(sources)
        return briefing


def _slice_sql(where: Slice) -> tuple[str, list]:
    clauses, params = [], []
    if where.since:
        clauses.append("COALESCE(end_date, event_date) >= ?")
        params.append(where.since.isoformat())
    if where.until:
        clauses.append("event_date <= ?")
        params.append(where.until.isoformat())
    if where.country:
        clauses.append("country_code = ?")
        params.append(where.country.upper())
    if where.event_type:
        clauses.append("(event_type = ? COLLATE NOCASE OR sub_event_type = ? COLLATE NOCASE)")
        params += [where.event_type, where.event_type]
    if where.bbox:
        west, south, east, north = where.bbox
        clauses.append("latitude BETWEEN ? AND ?")
        params += [south, north]
        if west <= east:
            clauses.append("longitude BETWEEN ? AND ?")
            params += [west, east]
        else:  # across the antimeridian
            clauses.append("(longitude >= ? OR longitude <= ?)")
            params += [west, east]
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params
