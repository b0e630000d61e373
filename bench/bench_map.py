"""Benchmark: the interactive map of 100,000 synthetic incidents.

Prints the medians of a few runs: time to generate the HTML, its size, and the time Chromium
takes to open it (network blocked) until every layer is drawn. Not a test: run it by hand and
put the figures in README.

    .venv/bin/python bench/bench_map.py [--incidents 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import geopandas as gpd
from shapely.geometry import Point

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geomap import webmap  # noqa: E402
from geomap.frame import COLUMNS  # noqa: E402
from geomap.incidents.taxonomy import TAXONOMY  # noqa: E402

ACTORS = [
    f"{side} {unit}"
    for side in ("Government", "Rebel", "Militia", "Police", "Protesters")
    for unit in ("North", "South", "East", "West", "Central", "Coastal", "Highland", "Border")
]
PUBLISHERS = [f"Publisher {c}" for c in "ABCDEFGHIJKLMNOPQRST"]
VERBS = [
    "clashed with",
    "shelled positions of",
    "attacked",
    "marched against",
    "rioted against",
    "negotiated with",
]


def synthetic_incidents(n: int, seed: int = 1) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """n incidents at 2,000 places from n/10 articles; sentences of about 130 characters, all different."""
    rng = random.Random(seed)
    places = [(f"Place {i}", rng.uniform(-35, 60), rng.uniform(-20, 120)) for i in range(2000)]
    types = list(TAXONOMY)
    start = date(2023, 1, 1)
    rows, mentions = [], [0] * len(places)
    for i in range(n):
        p = rng.randrange(len(places))
        mentions[p] += 1
        name, lat, lon = places[p]
        a1, a2 = rng.sample(ACTORS, 2)
        day = start + timedelta(days=rng.randrange(365))
        article = i // 10
        killed = rng.choice([None, 0, 1, 2, 3, 5, 8, 12, 30])
        rows.append({
            "event_id_cnty": f"XX{i}", "event_date": day.isoformat(), "year": day.year, "time_precision": rng.choice([1, 1, 2, 3]),
            "event_type": types[i % len(types)], "sub_event_type": "", "actor1": a1, "actor2": a2,
            "country": f"Country {p % 90}", "admin1": f"Province {p % 400}", "location": name, "latitude": lat,
            "longitude": lon, "geo_precision": rng.choice([1, 1, 2, 3]), "source": PUBLISHERS[article % len(PUBLISHERS)],
            "notes": f"{types[i % len(types)]} in {name}", "fatalities": killed,
            "end_date": "", "country_code": "XX", "place_kind": "city", "geonames_id": p, "fatalities_parts": "",
            "fatalities_qualifier": "exact" if killed is not None else "", "article": f"article-{article}.txt",
            "title": f"Report {article}: unrest in the region continues", "published": (start + timedelta(days=article * 365 // (n // 10 + 1) + 1)).isoformat(),
            "url": f"https://news.example.org/{article}", "historical": i % 33 == 0, "confidence": 0.7,
            "sentence_start": 0, "sentence_end": 130,
            "source_sentence": f"On {day:%A}, {a1} {rng.choice(VERBS)} {a2} near {name}, and witnesses said {killed or 'no'} people were killed in incident {i}.",
        })  # fmt: skip
    incidents = gpd.GeoDataFrame(
        rows, columns=COLUMNS, geometry=[Point(r["longitude"], r["latitude"]) for r in rows], crs="EPSG:4326"
    )
    mentioned = gpd.GeoDataFrame(
        {"name": [p[0] for p in places], "kind": "city", "country_code": "XX", "mentions": mentions},
        geometry=[Point(p[2], p[1]) for p in places],
        crs="EPSG:4326",
    )
    return incidents, mentioned


def offline_basemap(incidents: gpd.GeoDataFrame):
    """The basemap a real map gets (countries, admin-1, disputed areas, seas, towns around the
    incidents) from the built gazetteer; else the committed country polygons alone."""
    from geomap.basemap import load_basemap, select_towns
    from geomap.frame import frame_points
    from geomap.gazetteer import Gazetteer, GazetteerMissing

    try:
        with Gazetteer() as gazetteer:
            points = [p for p in frame_points(incidents) if p is not None]
            return load_basemap(gazetteer).with_towns(select_towns(gazetteer, points))
    except GazetteerMissing:
        path = ROOT / "gazetteer" / "sources" / "countries.geojson.gz"
        if not path.exists():
            return None
        with gzip.open(path) as f:
            return gpd.read_file(f)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    incidents, places = synthetic_incidents(args.incidents)
    basemap = offline_basemap(incidents)
    layers = getattr(basemap, "countries", basemap)
    towns = len(getattr(basemap, "towns", []))
    print(f"{len(incidents):,} incidents, {len(places):,} places, basemap: "
          f"{0 if layers is None else len(layers)} countries, {towns:,} towns")

    times, cpu, page = [], [], ""
    for _ in range(args.runs):
        t, c = time.perf_counter(), time.process_time()
        page = webmap.render_map(incidents, places=places, basemap=basemap, title="Benchmark")
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    size = len(page.encode("utf-8"))
    print(
        f"generate: median {statistics.median(times):.2f} s  (runs: {', '.join(f'{t:.2f}' for t in times)})"
    )
    print(f"generate, CPU time: median {statistics.median(cpu):.2f} s")
    print(f"HTML size: {size / 1e6:.1f} MB")

    from geomap import browser

    with tempfile.TemporaryDirectory() as folder:
        path = webmap.write_map(Path(folder) / "bench.html", page)
        loads, busy, phases = [], [], {}
        steps: dict[str, tuple[list, list]] = {}
        for _ in range(args.runs):
            with browser.open_page() as (tab, log):
                # the page's main-thread time, from Chromium's own counters: on a shared machine
                # it moves less than the wall time, which waits for other work too
                cdp = tab.context.new_cdp_session(tab)
                cdp.send("Performance.enable")
                loads.append(browser.load_map(tab, path, timeout_s=120))
                busy.append(_thread_time(cdp))
                # the page's own laps (webmap.js ready()): where the time until drawn goes
                previous, laps = 0, {}
                for what, at in tab.evaluate("window.geomapTimings"):  # "layer 0", "layer 1"... add up
                    laps[what.split(" ")[0]] = laps.get(what.split(" ")[0], 0) + at - previous
                    previous = at
                for what, ms in laps.items():
                    phases.setdefault(what, []).append(ms)
                for name, action in STEPS:
                    wall, thread = _step(tab, cdp, action)
                    steps.setdefault(name, ([], []))[0].append(wall)
                    steps[name][1].append(thread)
                problems = log.console_errors + log.page_errors + log.blocked + log.failed
                if problems:
                    print("page problems:", problems[:5])
    print(
        f"Chromium load until drawn: median {statistics.median(loads):.2f} s  (runs: {', '.join(f'{t:.2f}' for t in loads)})"
    )
    print(f"Chromium main-thread CPU until drawn: median {statistics.median(busy):.2f} s  "
          f"(runs: {', '.join(f'{t:.2f}' for t in busy)})")
    print("  of which (page laps, wall ms, medians): " + ", ".join(
        f"{what} {statistics.median(ms):.0f}" for what, ms in phases.items()))
    for name, (wall, thread) in steps.items():
        print(f"{name}: median {statistics.median(wall):.2f} s wall, {statistics.median(thread):.2f} s main-thread CPU")
    print(f"load average (1, 5, 15 min): {', '.join(f'{v:.1f}' for v in os.getloadavg())}")


# what a reader does after the page is drawn; each waits for the label pass that follows
STEPS = [
    ("zoom in one level", "() => { var m = window.geomapMap; m.setZoom(m.getZoom() + 1, {animate: false}); }"),
    ("zoom to 7 over a busy area", "() => { window.geomapMap.setView([20, 50], 7, {animate: false}); }"),
    ("back to the whole map", "() => { window.geomapMap.setView([20, 50], 3, {animate: false}); }"),
    ("time slider to mid-year", "() => { var s = document.getElementById('gm-slider'); "
                                "s.value = Math.floor((+s.min + +s.max) / 2); s.dispatchEvent(new Event('change')); }"),
]


def _thread_time(cdp) -> float:
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return metrics.get("ThreadTime", metrics.get("TaskDuration", 0.0))


def _step(tab, cdp, action: str) -> tuple[float, float]:
    """Wall and main-thread CPU seconds from an action until the label pass after it is done."""
    passes = tab.evaluate("document.body.dataset.labels")
    before, t = _thread_time(cdp), time.perf_counter()
    tab.evaluate(action)
    tab.wait_for_function(f"document.body.dataset.labels !== '{passes}'", timeout=120_000, polling=20)
    return time.perf_counter() - t, _thread_time(cdp) - before


if __name__ == "__main__":
    main()
