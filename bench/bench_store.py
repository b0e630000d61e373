"""Benchmark: the engine for the incident store -- GeoPackage, a GeoParquet dataset, DuckDB.

    .venv/bin/python bench/bench_store.py            # 50,000 reports (about 20 minutes)
    .venv/bin/python bench/bench_store.py --quick    # 10,000 reports
        [--incidents 50000] [--batch 250] [--repeat 0.1]

The defaults are what geomap ingest of the 100,000 synthetic articles of bench_scale.py gives:
some 46,000 incident reports, in batches of 500 articles (about 230 reports).

The store's work without the extraction: batches of incident reports, a share of them
(--repeat) telling again an event already stored, which must then be updated (its sources, its
fatalities). Every engine runs the same reports:

- GeoPackage: geomap.store as it is (one SQLite transaction per batch, events updated in place,
  the full merge rule of geomap.store.merge);
- GeoParquet, a part per batch: each batch appends one file of its reports (written beside
  and renamed into place: a part is there whole or not at all), and events are merged when
  read (same type, place and day);
- GeoParquet, a file per month: events merged as they come in (same type, place and day), a
  batch rewrites every month it touches, and a manifest renamed into place publishes them;
- DuckDB with its spatial extension, when `duckdb` imports and its spatial extension loads
  without a download (the `duckdb-extension-spatial` package ships it): one transaction per
  batch, events merged in place by INSERT ... ON CONFLICT (same type, place and day).

The merges of the last three are simpler and cheaper than the GeoPackage's, so they are
favoured. Each engine also keeps the content hashes of the articles (a table, or a part of
hashes per batch). Prints, per engine: the time to store everything, the time per batch in the
last tenth of the batches (how it grows with the store), a re-ingest (every article's hash
looked up: nothing new to add), a week's slice of one country, the size on disk, and opening
the whole store in geopandas, as CPU time of the process; then the same as a summary ready to
paste.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geomap.articles import Article  # noqa: E402
from geomap.frame import incidents_frame  # noqa: E402
from geomap.incidents import Incident  # noqa: E402
from geomap.incidents.taxonomy import TAXONOMY  # noqa: E402
from geomap.store import IncidentStore, Slice, content_hash  # noqa: E402

START = dt.date(2023, 1, 1)
WEEK = (dt.date(2024, 3, 4), dt.date(2024, 3, 10), "C07")  # since, until, country
# CPU time of this process: the figures hold however loaded the machine (each engine's wall
# time, its waits for the disk included, is printed beside them)
clock = time.process_time
HASH_CHUNK = 500  # hashes looked up at a time, as geomap ingest does
MERGE_KEY = ["event_type", "location", "event_date"]  # the simpler rule of the other engines


def synthetic_reports(count: int, repeat: float, seed: int = 5) -> list[Incident]:
    """Incident reports at 3,000 towns over two years; `repeat` of them retell an earlier one."""
    rng = random.Random(seed)
    towns = [(n, f"Town {n}", rng.uniform(-30, 55), rng.uniform(-20, 120), f"C{n % 60:02d}")
             for n in range(3000)]
    types = list(TAXONOMY)
    reports: list[Incident] = []
    for n in range(count):
        if reports and rng.random() < repeat:
            told = rng.choice(reports[-5000:])
            reports.append(Incident(**{**told.__dict__, "article": f"a{n}",
                                       "fatalities": rng.randrange(0, 20)}))
            continue
        place_id, name, lat, lon, cc = rng.choice(towns)
        event_type = rng.choice(types)
        reports.append(Incident(
            article=f"a{n}", event_type=event_type, sub_event_type=TAXONOMY[event_type][0],
            event_date=START + dt.timedelta(days=rng.randrange(730)), location=name,
            latitude=lat, longitude=lon, country_code=cc, geo_precision=1, place_kind="city",
            place_id=place_id, fatalities=rng.randrange(0, 20), confidence=0.8,
            source_sentence=f"Report {n}: something happened in {name} and was reported."))
    return reports


def batches(reports: list[Incident], size: int):
    for start in range(0, len(reports), size):
        yield [(Article(r.article, f"text of {r.article}"), [r]) for r in reports[start:start + size]]


def hashes_of(reports, size: int):
    """The content hashes of every article, in chunks as an ingest looks them up."""
    digests = [content_hash(article) for batch in batches(reports, size) for article, _ in batch]
    return [digests[n:n + HASH_CHUNK] for n in range(0, len(digests), HASH_CHUNK)]


def run_geopackage(reports, size: int, folder: Path) -> dict:
    path = folder / "store.gpkg"
    times = []
    with IncidentStore(path, create=True) as store:
        for batch in batches(reports, size):
            started = clock()
            store.add_batch(batch)
            times.append(clock() - started)
        events = store.counts()["incidents"]
    chunks = hashes_of(reports, size)
    started = clock()
    with IncidentStore(path) as store:
        held = sum(len(store.held(chunk)) for chunk in chunks)
    reingest = clock() - started
    started = clock()
    with IncidentStore(path, readonly=True) as store:
        week = store.incidents(Slice(since=WEEK[0], until=WEEK[1], country=WEEK[2]))
    query = clock() - started
    import geopandas

    started = clock()
    opened = len(geopandas.read_file(path, layer="incidents"))
    return {"times": times, "events": events, "week": len(week), "query": query,
            "size": path.stat().st_size, "open": clock() - started, "opened": opened,
            "reingest": reingest, "held": held}


def report_frame(batch):
    """The batch's reports as a frame, with each report's article as its sources."""
    frame = incidents_frame([i for _, found in batch for i in found]).drop(columns=["area"])
    frame["sources"] = frame["article"]
    return frame


def write_hashes(batch, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    tmp = path.with_suffix(".tmp")
    pq.write_table(pa.table({"hash": [content_hash(a) for a, _ in batch]}), tmp)
    os.replace(tmp, path)


def held_in_parts(files, chunks) -> int:
    """How many of the hashes the parts of hashes hold: all read into a set, then looked up."""
    import pyarrow.parquet as pq

    stored = set()
    for file in files:
        stored.update(pq.read_table(file, columns=["hash"]).column("hash").to_pylist())
    return sum(h in stored for chunk in chunks for h in chunk)


def merge_events(frame):
    """Reports of the same type, place and day as one event: every source, the lowest toll."""
    import geopandas

    merged = frame.groupby(MERGE_KEY, sort=False, as_index=False).agg(
        {**{c: "first" for c in frame.columns if c not in MERGE_KEY + ["sources", "fatalities"]},
         "sources": lambda s: "; ".join(s), "fatalities": "min"})
    return geopandas.GeoDataFrame(merged, geometry="geometry", crs="EPSG:4326")


def run_parquet_parts(reports, size: int, folder: Path) -> dict:
    import geopandas
    import pyarrow.dataset as ds

    root = folder / "dataset"
    root.mkdir()
    times = []
    for number, batch in enumerate(batches(reports, size)):
        started = clock()
        tmp = root / f"part-{number:06d}.parquet.tmp"
        report_frame(batch).to_parquet(tmp, index=False)
        write_hashes(batch, root / f"hashes-{number:06d}.parquet")
        os.replace(tmp, root / f"part-{number:06d}.parquet")  # the commit point
        times.append(clock() - started)
    parts = sorted(str(f) for f in root.glob("part-*.parquet"))
    chunks = hashes_of(reports, size)
    started = clock()
    held = held_in_parts(sorted(root.glob("hashes-*.parquet")), chunks)
    reingest = clock() - started
    started = clock()
    table = ds.dataset(parts, format="parquet").to_table(
        filter=(ds.field("event_date") >= WEEK[0].isoformat())
        & (ds.field("event_date") <= WEEK[1].isoformat()) & (ds.field("country_code") == WEEK[2]))
    week = merge_events(geopandas.GeoDataFrame.from_arrow(table))
    query = clock() - started
    started = clock()
    opened = len(merge_events(geopandas.read_parquet(parts)))
    return {"times": times, "events": opened, "week": len(week), "query": query,
            "size": sum(f.stat().st_size for f in root.iterdir()),
            "open": clock() - started, "opened": opened, "reingest": reingest,
            "held": held}


def run_geoparquet(reports, size: int, folder: Path) -> dict:
    import geopandas
    import pandas as pd

    root = folder / "dataset"
    root.mkdir()
    manifest: dict[str, str] = {}  # month -> current file
    times = []
    version = 0
    for batch in batches(reports, size):
        started = clock()
        version += 1
        frame = report_frame(batch)
        frame["month"] = frame["event_date"].str[:7]
        new_manifest = dict(manifest)
        for month, part in frame.groupby("month"):
            if month in manifest:
                old = geopandas.read_parquet(root / manifest[month])
                both = pd.concat([old, part.drop(columns=["month"])], ignore_index=True)
            else:
                both = part.drop(columns=["month"])
            merged = merge_events(both)
            name = f"{month}-v{version}.parquet"
            merged.to_parquet(root / name, index=False)
            new_manifest[month] = name
        write_hashes(batch, root / f"hashes-{version:06d}.parquet")
        new_manifest[f"hashes-{version:06d}"] = f"hashes-{version:06d}.parquet"
        tmp = root / "manifest.json.tmp"
        tmp.write_text(json.dumps(new_manifest))
        os.replace(tmp, root / "manifest.json")  # the commit point
        for month, name in manifest.items():
            if new_manifest[month] != name:
                (root / name).unlink()
        manifest = new_manifest
        times.append(clock() - started)
    months = {k: v for k, v in manifest.items() if not k.startswith("hashes-")}
    chunks = hashes_of(reports, size)
    started = clock()
    held = held_in_parts([root / v for k, v in manifest.items() if k not in months], chunks)
    reingest = clock() - started
    started = clock()
    import pyarrow.dataset as ds

    files = [str(root / months[m]) for m in {WEEK[0].isoformat()[:7], WEEK[1].isoformat()[:7]}
             if m in months]
    table = ds.dataset(files, format="parquet").to_table(
        filter=(ds.field("event_date") >= WEEK[0].isoformat())
        & (ds.field("event_date") <= WEEK[1].isoformat()) & (ds.field("country_code") == WEEK[2]))
    query = clock() - started
    started = clock()
    opened = len(geopandas.read_parquet([str(root / f) for f in months.values()]))
    return {"times": times, "events": opened, "week": table.num_rows, "query": query,
            "size": sum(f.stat().st_size for f in root.iterdir()),
            "open": clock() - started, "opened": opened, "reingest": reingest,
            "held": held}


def duckdb_spatial():
    """A DuckDB connection with the spatial extension loaded from a package, or None and why not."""
    try:
        import duckdb
    except ImportError:
        return None, "duckdb is not installed"
    con = duckdb.connect(":memory:")
    try:
        con.execute("LOAD spatial")  # installed already: no download
        return duckdb, None
    except duckdb.Error:
        pass
    try:
        from duckdb_extensions import import_extension  # a package that ships the extension

        import_extension("spatial", con=con)
        con.execute("LOAD spatial")
        return duckdb, None
    except (ImportError, duckdb.Error) as exc:
        return None, (f"duckdb {duckdb.__version__} imports, but its spatial extension is not "
                      f"here and `INSTALL spatial` downloads it ({type(exc).__name__})")


COLUMNS = ["event_type", "sub_event_type", "event_date", "location", "country_code", "latitude",
           "longitude", "geo_precision", "fatalities", "source_sentence", "sources"]


def run_duckdb(reports, size: int, folder: Path) -> dict:
    import pandas as pd

    duckdb, _ = duckdb_spatial()
    path = folder / "store.duckdb"
    con = duckdb.connect(str(path))
    con.execute("LOAD spatial")
    con.execute("CREATE TABLE articles (hash VARCHAR PRIMARY KEY)")
    con.execute("CREATE TABLE incidents (event_type VARCHAR, sub_event_type VARCHAR, "
                "event_date DATE, location VARCHAR, country_code VARCHAR, latitude DOUBLE, "
                "longitude DOUBLE, geo_precision INTEGER, fatalities INTEGER, "
                "source_sentence VARCHAR, sources VARCHAR, geom GEOMETRY, "
                "PRIMARY KEY (event_type, location, event_date))")
    times = []
    for batch in batches(reports, size):
        started = clock()
        frame = report_frame(batch)[COLUMNS]  # noqa: F841 - read by the SQL below
        hashes = pd.DataFrame({"hash": [content_hash(a) for a, _ in batch]})  # noqa: F841
        con.execute("BEGIN")
        # from a frame: executemany is DuckDB's slow path, a statement per row
        con.execute("INSERT OR IGNORE INTO articles SELECT hash FROM hashes")
        # a batch may tell an event twice: merge within it first, then into the table
        con.execute("""
            INSERT INTO incidents
            SELECT event_type, first(sub_event_type), CAST(event_date AS DATE), location,
                   first(country_code), first(latitude), first(longitude),
                   first(geo_precision), min(fatalities), first(source_sentence),
                   string_agg(sources, '; '), ST_Point(first(longitude), first(latitude))
            FROM frame GROUP BY event_type, location, event_date
            ON CONFLICT DO UPDATE SET sources = incidents.sources || '; ' || excluded.sources,
                fatalities = least(incidents.fatalities, excluded.fatalities)""")
        con.execute("COMMIT")
        times.append(clock() - started)
    events = con.execute("SELECT count(*) FROM incidents").fetchone()[0]
    con.close()
    chunks = hashes_of(reports, size)
    started = clock()
    con = duckdb.connect(str(path))
    held = 0
    for chunk in chunks:
        held += con.execute("SELECT count(*) FROM articles WHERE hash IN (SELECT unnest(?))",
                            [chunk]).fetchone()[0]
    reingest = clock() - started
    started = clock()
    week = con.execute("SELECT * FROM incidents WHERE event_date BETWEEN ? AND ? AND "
                       "country_code = ?", list(WEEK)).fetchall()
    query = clock() - started
    con.close()
    size_on_disk = path.stat().st_size
    import pyogrio

    started = clock()
    try:
        opened = len(pyogrio.read_dataframe(path))
    except Exception as exc:  # noqa: BLE001 - what GDAL says about the file is the figure
        opened = f"not by geopandas.read_file ({type(exc).__name__}: {str(exc)[:80]})"
    return {"times": times, "events": events, "week": len(week), "query": query,
            "size": size_on_disk, "open": clock() - started, "opened": opened,
            "reingest": reingest, "held": held}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 reports")
    parser.add_argument("--incidents", type=int)
    parser.add_argument("--batch", type=int, default=250)
    parser.add_argument("--repeat", type=float, default=0.1)
    parser.add_argument("--engines", default="GeoPackage,GeoParquet,DuckDB",
                        help="the engines to run (their names' first words), comma-separated")
    args = parser.parse_args()
    count = args.incidents or (10_000 if args.quick else 50_000)
    reports = synthetic_reports(count, args.repeat)
    engines = [("GeoPackage", run_geopackage), ("GeoParquet, a part per batch", run_parquet_parts),
               ("GeoParquet, a file per month", run_geoparquet)]
    duckdb, why_not = duckdb_spatial()
    if duckdb:
        engines.append((f"DuckDB {duckdb.__version__} + spatial", run_duckdb))
    chosen = args.engines.split(",")
    engines = [(label, run) for label, run in engines if label.split(",")[0].split()[0] in chosen]
    summary = []
    for label, run in engines:
        folder = Path(tempfile.mkdtemp(prefix="geomap-store-bench-"))
        wall = time.perf_counter()
        try:
            r = run(reports, args.batch, folder)
            wall = time.perf_counter() - wall
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        tail = r["times"][-max(1, len(r["times"]) // 10):]
        opened = (f"geopandas opens all {r['opened']:,} in {r['open']:.1f} s"
                  if isinstance(r["opened"], int) else r["opened"])
        summary.append(f"{label}: {count:,} reports in {len(r['times'])} batches: "
                       f"{sum(r['times']):.1f} s in all, {1000 * sum(tail) / len(tail):.0f} ms "
                       f"per batch in the last tenth; re-ingest (every hash looked up, "
                       f"{r['held']:,} held) {r['reingest']:.2f} s; {r['events']:,} events; a week "
                       f"of one country: {r['week']} events in {1000 * r['query']:.0f} ms; "
                       f"{r['size'] / 2**20:.0f} MB; {opened} (CPU times; {wall:.0f} s wall "
                       f"for all of it)")
        print(summary[-1], flush=True)
    if why_not:
        summary.append(f"DuckDB: not measured: {why_not}")
    print(f"\n--- summary, ready to paste (bench_store.py {' '.join(sys.argv[1:])}) ---")
    print("\n".join(summary))


if __name__ == "__main__":
    main()
