"""Adding a GeoNames dump that a user downloaded (allCountries, cities500...) to the gazetteer.

The dump is streamed: memory stays bounded whatever its size. Fields are split on tabs with no
quoting and kept as text, so Namibia's code "NA" stays "NA".
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from geomap.gazetteer.build import GazetteerWriter, text_stream
from geomap.gazetteer.names import has_latin_letters, normalize_name
from geomap.gazetteer.store import GazetteerError, GazetteerMissing

# GeoNames readme, "The main 'geoname' table has the following fields".
GEONAME_FIELDS = (
    "geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude",
    "feature_class", "feature_code", "country_code", "cc2", "admin1_code", "admin2_code",
    "admin3_code", "admin4_code", "population", "elevation", "dem", "timezone",
    "modification_date",
)
# GeoNames readme, "The table 'alternate names'" (alternateNamesV2.txt).
ALTERNATE_FIELDS = (
    "alternateNameId", "geonameid", "isolanguage", "alternate_name", "isPreferredName",
    "isShortName", "isColloquial", "isHistoric", "from", "to",
)
# isolanguage values that are codes or links, not names people write.
_NOT_NAMES = {"link", "post", "iata", "icao", "faac", "abbr", "wkdt", "unlc", "tcid", "fr_1793"}
_COUNTRY_CODES = {"PCLI", "PCLD", "PCLF", "PCLS", "PCL", "PCLIX", "TERR"}
DEFAULT_FEATURE_CLASSES = "APL"
_BATCH = 50_000


@dataclass
class ImportReport:
    """What an import added and what it skipped."""

    rows: int = 0
    added: int = 0
    known: int = 0
    skipped_class: int = 0
    alternate_names: int = 0
    bad_lines: list[str] = field(default_factory=list)
    bad_line_count: int = 0


def kind_of(feature_class: str, feature_code: str) -> str:
    """Return geomap's kind for a GeoNames feature class and code."""
    if feature_class == "P":
        return "city"
    if feature_code == "ADM1":
        return "admin1"
    if feature_code == "ADM2":
        return "admin2"
    if feature_code in _COUNTRY_CODES:
        return "country"
    if feature_code == "CONT":
        return "continent"
    if feature_class in ("A", "L"):
        return "region"
    return "feature"


@contextmanager
def open_dump(path: Path, member_hint: str | None = None) -> Iterator[io.TextIOWrapper]:
    """Open a GeoNames .txt file, or the .txt inside a GeoNames .zip, as a text stream."""
    if path.suffix.lower() == ".zip":
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise GazetteerError(f"{path}: not a zip file") from None
        with archive:
            members = [n for n in archive.namelist()
                       if n.endswith(".txt") and not n.lower().startswith("readme")
                       and (member_hint is None or member_hint in n)]
            if not members:
                raise GazetteerError(f"{path}: no GeoNames .txt file inside")
            with archive.open(members[0]) as raw:
                yield text_stream(raw)
    else:
        with open(path, "rb") as raw:
            yield text_stream(raw)


def import_geonames(db_path: str | os.PathLike, dump: str | os.PathLike, *,
                    alternate_names: str | os.PathLike | None = None,
                    feature_classes: str = DEFAULT_FEATURE_CLASSES,
                    progress: Callable[[int], None] | None = None) -> ImportReport:
    """Add the places of a GeoNames dump (and optionally its alternate names) to the database."""
    db_path, dump = Path(db_path), Path(dump)
    if not db_path.is_file():
        raise GazetteerMissing(f"no gazetteer at {db_path}: build it first with `geomap gazetteer build`")
    for p in (dump, alternate_names):
        if p is not None and not Path(p).is_file():
            raise GazetteerError(f"{p}: no such file")
    report = ImportReport()
    classes = set(feature_classes.upper())
    with GazetteerWriter(db_path, base=db_path) as w:
        db = w.db
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' "
                                  "AND name NOT LIKE 'sqlite_%'").fetchall():
            db.execute(f"DROP INDEX {name}")  # rebuilt once at the end: far faster than per row
        known = {gid for (gid,) in db.execute(
            "SELECT geonames_id FROM places WHERE geonames_id IS NOT NULL")}
        admin1 = dict(db.execute(
            "SELECT admin1_code, name FROM places WHERE kind = 'admin1' AND admin1_code IS NOT NULL"))
        with open_dump(dump) as lines:
            for lineno, line in enumerate(lines, 1):
                _import_line(w, line, lineno, dump, report, known, admin1, classes)
                if progress and lineno % _BATCH == 0:
                    progress(lineno)
        if alternate_names is not None:
            report.alternate_names = _import_alternate_names(w, Path(alternate_names), report)
        w.commit({"imported": str(dump.name)})
    return report


def _import_line(w: GazetteerWriter, line: str, lineno: int, dump: Path, report: ImportReport,
                 known: set[int], admin1: dict[str, str], classes: set[str]) -> None:
    line = line.rstrip("\r\n")
    if not line:
        return
    report.rows += 1
    parts = line.split("\t")
    try:
        if len(parts) != len(GEONAME_FIELDS):
            raise ValueError(f"{len(parts)} fields, expected {len(GEONAME_FIELDS)}")
        row = dict(zip(GEONAME_FIELDS, parts))
        gid = int(row["geonameid"])
        lat, lon = float(row["latitude"]), float(row["longitude"])
        population = int(row["population"]) if row["population"] else None
    except ValueError as exc:
        report.bad_line_count += 1
        if len(report.bad_lines) < 5:
            report.bad_lines.append(f"{dump}:{lineno}: {exc}")
        return
    if row["feature_class"] not in classes:
        report.skipped_class += 1
        return
    if gid in known:
        report.known += 1
        return
    cc = row["country_code"] or None
    a1 = f"{cc}.{row['admin1_code']}" if cc and row["admin1_code"] else None
    w.add_place(row["name"], kind_of(row["feature_class"], row["feature_code"]), lat, lon,
                country_code=cc, admin1=admin1.get(a1 or ""), feature_code=row["feature_code"],
                population=population, geonames_id=gid, source="geonames-import",
                admin1_code=a1,
                aliases=[row["asciiname"], *row["alternatenames"].split(",")])
    report.added += 1


def _import_alternate_names(w: GazetteerWriter, path: Path, report: ImportReport) -> int:
    """Stream alternateNamesV2 into a scratch table, then join it to the places by GeoNames id."""
    w.flush()
    db = w.db
    db.execute("CREATE TEMP TABLE alt (geonameid INTEGER, name TEXT, key TEXT)")
    batch: list[tuple] = []
    with open_dump(path, member_hint="alternateNames") as lines:
        for lineno, line in enumerate(lines, 1):
            parts = line.rstrip("\r\n").split("\t")
            if len(parts) < 4:
                if line.strip():
                    report.bad_line_count += 1
                    if len(report.bad_lines) < 5:
                        report.bad_lines.append(f"{path}:{lineno}: {len(parts)} fields")
                continue
            lang, name = parts[2], parts[3]
            if lang in _NOT_NAMES or not has_latin_letters(name) or not parts[1].isdigit():
                continue
            key = normalize_name(name)
            if key:
                batch.append((int(parts[1]), name, key))
            if len(batch) >= _BATCH * 4:
                db.executemany("INSERT INTO alt VALUES (?, ?, ?)", batch)
                batch.clear()
    db.executemany("INSERT INTO alt VALUES (?, ?, ?)", batch)
    db.execute("CREATE INDEX temp.alt_gid ON alt(geonameid)")
    before = db.execute("SELECT count(*) FROM names").fetchone()[0]
    db.execute("CREATE INDEX IF NOT EXISTS names_place ON names(place_id)")
    db.execute("CREATE INDEX IF NOT EXISTS places_geonames ON places(geonames_id)")
    db.execute("""
        INSERT INTO names (key, name, place_id, is_primary)
        SELECT DISTINCT alt.key, alt.name, p.id, 0 FROM alt JOIN places p ON p.geonames_id = alt.geonameid
        WHERE NOT EXISTS (SELECT 1 FROM names n WHERE n.place_id = p.id AND n.key = alt.key)""")
    added = db.execute("SELECT count(*) FROM names").fetchone()[0] - before
    db.execute("DROP TABLE alt")
    return added
