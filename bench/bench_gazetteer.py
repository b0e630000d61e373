"""Benchmark the gazetteer: build time, cold `geomap geocode Riga`, lookups per second.

    .venv/bin/python bench/bench_gazetteer.py [--runs 5] [--names 10000]

Prints medians. The figures in README come from this script.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geomap.gazetteer import Gazetteer, build_gazetteer, geocode  # noqa: E402
from geomap.paths import default_db_path  # noqa: E402


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def median_of(runs: int, fn) -> float:
    return statistics.median(timed(fn) for _ in range(runs))


def sample_names(gaz: Gazetteer, n: int, seed: int = 7) -> list[str]:
    rows = gaz.db.execute("SELECT name FROM places WHERE kind = 'city' ORDER BY id").fetchall()
    rng = random.Random(seed)
    return [name for (name,) in rng.sample(rows, n)]


def misspell(name: str, rng: random.Random) -> str:
    """Swap two inner letters, a typical typo (keeps the first letter, as typos mostly do)."""
    if len(name) < 5:
        return name + "e"
    i = rng.randrange(1, len(name) - 2)
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--names", type=int, default=10_000)
    parser.add_argument("--build-runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "g.sqlite"
        cpu = []

        def build_once():
            started = time.process_time()
            build_gazetteer(db)
            cpu.append(time.process_time() - started)

        build = median_of(args.build_runs, build_once)
        size_mb = db.stat().st_size / 1e6
    print(f"gazetteer build:            {build:6.2f} s wall, {statistics.median(cpu):.2f} s CPU "
          f"(median of {args.build_runs}); database {size_mb:.0f} MB")

    geomap = str(ROOT / ".venv" / "bin" / "geomap")
    python = sys.executable
    cold = median_of(args.runs, lambda: subprocess.run([geomap, "geocode", "Riga"],
                                                       capture_output=True, check=True))
    bare = median_of(args.runs, lambda: subprocess.run([python, "-c", "pass"], check=True))
    print(f"cold `geomap geocode Riga`: {cold:6.3f} s (python -c pass: {bare:.3f} s; "
          f"median of {args.runs})")

    with Gazetteer(default_db_path()) as gaz:
        names = sample_names(gaz, args.names)
        exact = timed(lambda: [geocode(gaz, n, fuzzy=False) for n in names])
        rng = random.Random(11)
        typos = [misspell(n, rng) for n in names]
        fuzzy = timed(lambda: [geocode(gaz, n) for n in typos])
        hits = 0
        for t, n in zip(typos[:1000], names[:1000]):
            place = geocode(gaz, t).place
            hits += place is not None and place.name == n
    print(f"exact lookups:              {len(names) / exact:8.0f} names/s ({len(names)} names)")
    print(f"fuzzy lookups (typos):      {len(names) / fuzzy:8.0f} names/s "
          f"({hits / 10:.1f}% of the first 1000 typos back to the right name)")


if __name__ == "__main__":
    main()
