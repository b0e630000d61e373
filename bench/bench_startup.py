"""Benchmark start-up: CPU time of short commands against `python -c pass` in the same run.

    .venv/bin/python bench/bench_startup.py [--runs 9] [--db PATH] [--as-is]

Each command runs --runs times, interleaved with the reference `python -c pass`, so a load
that comes and goes on a shared machine hits both alike; the figures are medians of the CPU
time (user + system) of each child process, and the ratio to the reference's median. The
targets (issue 13): `geomap toponyms` on one paragraph <= 5x, `geomap geocode Riga` <= 4x.

Python's bytecode is cached in a temporary folder, as an installed package has it; --as-is
runs with the environment as it is (PYTHONDONTWRITEBYTECODE=1 compiles every module at each
start). One more run per command under `-X importtime` lists the heavy libraries it imports.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARAGRAPH = ("Fighting broke out near Riga on Sunday, officials said, and shelling was reported "
             "in Baku and Yerevan; three civilians were killed, the ministry said on Monday.\n")
HEAVY = ("numpy", "pandas", "geopandas", "matplotlib", "folium", "shapely", "dask")
TARGETS = {"geomap toponyms (one paragraph)": 5.0, "geomap geocode Riga": 4.0}


def cpu_seconds(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """CPU time (user + system) and wall time of one run of argv."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited with {child.returncode}")
    return usage.ru_utime + usage.ru_stime, time.perf_counter() - started


def heavy_imports(argv: list[str], env: dict[str, str]) -> list[str]:
    """The heavy libraries a run of argv imports (read from -X importtime)."""
    done = subprocess.run([argv[0], "-X", "importtime", *argv[1:]], env=env, capture_output=True,
                          text=True)
    top = {line.rsplit("|", 1)[1].strip().split(".")[0]
           for line in done.stderr.splitlines() if line.startswith("import time:")}
    return [name for name in HEAVY if name in top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--db", default=None, help="gazetteer database (default: the project's)")
    parser.add_argument("--as-is", action="store_true",
                        help="keep the environment's bytecode setting (no cache folder)")
    args = parser.parse_args()
    env = dict(os.environ)
    cache = tempfile.TemporaryDirectory(prefix="geomap-bench-pyc-")
    if not args.as_is:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = cache.name
    python = sys.executable
    paragraph = Path(cache.name) / "paragraph.txt"
    paragraph.write_text(PARAGRAPH, encoding="utf-8")
    db = ["--db", args.db] if args.db else []
    commands = {
        "python -c pass": [python, "-c", "pass"],
        "python -c 'import click'": [python, "-c", "import click"],
        "geomap --help": [python, "-m", "geomap", "--help"],
        "geomap geocode Riga": [python, "-m", "geomap", "geocode", "Riga", *db],
        "geomap toponyms (one paragraph)": [python, "-m", "geomap", "toponyms", str(paragraph), *db],
    }
    for argv in commands.values():  # warm: bytecode written, files in the page cache
        cpu_seconds(argv, env)
    times: dict[str, list[float]] = {label: [] for label in commands}
    walls: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(args.runs):
        for label, argv in commands.items():
            cpu, wall = cpu_seconds(argv, env)
            times[label].append(cpu)
            walls[label].append(wall)
    reference = statistics.median(times["python -c pass"])
    print(f"{args.runs} runs each, interleaved; bytecode "
          f"{'as the environment has it' if args.as_is else 'cached'}; CPU medians "
          f"(wall medians in brackets)")
    for label, argv in commands.items():
        cpu = statistics.median(times[label])
        ratio = cpu / reference
        target = TARGETS.get(label)
        verdict = f"; target <= {target:g}x: {'met' if ratio <= target else 'NOT met'}" if target else ""
        heavy = heavy_imports(argv, env) if label.startswith("geomap") else []
        print(f"  {label:34s} {cpu:6.3f} s ({statistics.median(walls[label]):6.3f} s)  "
              f"{ratio:5.1f}x{verdict}" + (f"; imports {', '.join(heavy)}" if heavy else ""))
    cache.cleanup()


if __name__ == "__main__":
    main()
