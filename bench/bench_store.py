"""Benchmark: which engine for the incident store -- GeoPackage (SQLite) or a GeoParquet dataset.

    .venv/bin/python bench/bench_store.py [--incidents 200000] [--batch 1000] [--repeat 0.1]

The store's work without the extraction: batches of incident reports (about what 500 articles
give), a share of them (--repeat) telling again an event already stored, which must then be
updated (its sources, its fatalities). Both engines run the same reports:

- GeoPackage: geomap.store as it is (one SQLite transaction per batch, events updated in place,
  the full merge rule of geomap.store.merge);
- GeoParquet: a dataset of one file per month of events, a manifest renamed into place per
  batch (the crash-safe way to publish files); a batch rewrites every month it touches. Its
  merge is simpler and cheaper (same type, place and day), so it is favoured.

Prints the time to store everything, the time of the last tenth of the batches (how it grows
with the store), a week's slice of one country, the size on disk, and opening in geopandas.
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
from geomap.store import IncidentStore, Slice  # noqa: E402

START = dt.date(2023, 1, 1)


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


def run_geopackage(reports, size: int, folder: Path) -> dict:
    path = folder / "store.gpkg"
    times = []
    with IncidentStore(path, create=True) as store:
        for batch in batches(reports, size):
            started = time.perf_counter()
            store.add_batch(batch)
            times.append(time.perf_counter() - started)
        events = store.counts()["incidents"]
    started = time.perf_counter()
    with IncidentStore(path, readonly=True) as store:
        week = store.incidents(Slice(since=dt.date(2024, 3, 4), until=dt.date(2024, 3, 10),
                                     country="C07"))
    query = time.perf_counter() - started
    import geopandas

    started = time.perf_counter()
    opened = len(geopandas.read_file(path, layer="incidents"))
    return {"times": times, "events": events, "week": len(week), "query": query,
            "size": path.stat().st_size, "open": time.perf_counter() - started, "opened": opened}


def run_geoparquet(reports, size: int, folder: Path) -> dict:
    import geopandas
    import pandas as pd

    root = folder / "dataset"
    root.mkdir()
    manifest: dict[str, str] = {}  # month -> current file
    times = []
    version = 0
    for batch in batches(reports, size):
        started = time.perf_counter()
        version += 1
        frame = incidents_frame([i for _, found in batch for i in found]).drop(columns=["area"])
        frame["sources"] = frame["article"]
        frame["month"] = frame["event_date"].str[:7]
        new_manifest = dict(manifest)
        for month, part in frame.groupby("month"):
            if month in manifest:
                old = geopandas.read_parquet(root / manifest[month])
                both = pd.concat([old, part.drop(columns=["month"])], ignore_index=True)
            else:
                both = part.drop(columns=["month"])
            key = ["event_type", "location", "event_date"]
            merged = both.groupby(key, sort=False, as_index=False).agg(
                {**{c: "first" for c in both.columns if c not in key + ["sources", "fatalities"]},
                 "sources": lambda s: "; ".join(s), "fatalities": "min"})
            merged = geopandas.GeoDataFrame(merged, geometry="geometry", crs="EPSG:4326")
            name = f"{month}-v{version}.parquet"
            merged.to_parquet(root / name, index=False)
            new_manifest[month] = name
        tmp = root / "manifest.json.tmp"
        tmp.write_text(json.dumps(new_manifest))
        os.replace(tmp, root / "manifest.json")  # the commit point
        for month, name in manifest.items():
            if new_manifest[month] != name:
                (root / name).unlink()
        manifest = new_manifest
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    import pyarrow.dataset as ds

    files = [str(root / manifest[m]) for m in ("2024-03",) if m in manifest]
    table = ds.dataset(files, format="parquet").to_table(
        filter=(ds.field("event_date") >= "2024-03-04") & (ds.field("event_date") <= "2024-03-10")
        & (ds.field("country_code") == "C07"))
    query = time.perf_counter() - started
    started = time.perf_counter()
    opened = len(geopandas.read_parquet([str(root / f) for f in manifest.values()]))
    return {"times": times, "events": opened, "week": table.num_rows, "query": query,
            "size": sum(f.stat().st_size for f in root.iterdir()),
            "open": time.perf_counter() - started, "opened": opened}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--repeat", type=float, default=0.1)
    args = parser.parse_args()
    reports = synthetic_reports(args.incidents, args.repeat)
    for label, run in (("GeoPackage", run_geopackage), ("GeoParquet dataset", run_geoparquet)):
        folder = Path(tempfile.mkdtemp(prefix="geomap-store-bench-"))
        try:
            r = run(reports, args.batch, folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        tail = r["times"][-max(1, len(r["times"]) // 10):]
        print(f"{label}: {args.incidents:,} reports in {len(r['times'])} batches: "
              f"{sum(r['times']):.1f} s in all, {1000 * sum(tail) / len(tail):.0f} ms per batch "
              f"in the last tenth; {r['events']:,} events; a week of one country: "
              f"{r['week']} events in {1000 * r['query']:.0f} ms; {r['size'] / 2**20:.0f} MB; "
              f"geopandas opens all {r['opened']:,} in {r['open']:.1f} s")


if __name__ == "__main__":
    main()
