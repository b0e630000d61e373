"""Kill -9 during writes (issue 14): `geomap map`, `geomap incidents -o` and `geomap gazetteer build`.

    .venv/bin/python bench/fuzz_kills.py [--kills 100] [--seed 14] [--out /tmp/geomap-kills]

Each round starts a command, kills it (SIGKILL, its whole process group) after a random part of
how long the command takes, and then looks at what is on disk:
- corrupt: an output that is not whole (a PNG without its end chunk, a PDF without %%EOF, HTML
  without </html>, GeoJSON that does not parse, a GeoPackage or gazetteer that fails SQLite's
  quick_check);
- mixed: the map's four files not all from the same run (two runs alternate: different
  articles and titles, so each file tells which run wrote it);
- left over: geomap's temporary files and folders (.geomap-tmp-*) and their size, which the
  next write into the folder removes.
After the last kill, one complete run of each command must leave no temporary file behind.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GEOMAP = str(ROOT / ".venv" / "bin" / "geomap")
TEMP_PREFIX = ".geomap-tmp-"
MAP_FILES = ("map.html", "map.png", "map.pdf", "map.geojson")


def variants(work: Path) -> dict[str, Path]:
    """Two article folders that give different maps: the seeds, and the first seed alone."""
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    folders = {}
    for name, chosen in (("A", seeds), ("B", seeds[:1])):
        folder = work / f"articles-{name}"
        folder.mkdir(parents=True, exist_ok=True)
        for path in chosen:
            shutil.copy(path, folder / path.name)
        shutil.copy(ROOT / "seeds" / "catalogue.yaml", folder / "catalogue.yaml")
        folders[name] = folder
    return folders


def command(kind: str, variant: str, folders: dict, out: Path, db: str | None) -> list[str]:
    db_args = ["--db", db] if db else []
    if kind == "map":
        return [GEOMAP, "map", str(folders[variant]), "-o", str(out), "--title", f"Run {variant}",
                "--jobs", "1", *db_args]
    if kind == "incidents":
        return [GEOMAP, "incidents", str(folders[variant]), "--format", "gpkg", "-o",
                str(out / "incidents.gpkg"), "--jobs", "1", *db_args]
    return [GEOMAP, "gazetteer", "build", "--db", str(out / "built.sqlite")]


def run(cmd: list[str], kill_after: float | None) -> float:
    """Run a command; kill its process group after kill_after seconds; return the seconds it ran."""
    started = time.monotonic()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        process.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    return time.monotonic() - started


def sqlite_sound(path: Path) -> bool:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            db.close()
    except sqlite3.Error:
        return False


def whole(path: Path) -> bool:
    data = path.read_bytes()
    if path.suffix == ".png":
        return data.startswith(b"\x89PNG\r\n\x1a\n") and data[-12:-4] == b"\x00\x00\x00\x00IEND"
    if path.suffix == ".pdf":
        return data.startswith(b"%PDF-") and b"%%EOF" in data[-64:]
    if path.suffix == ".html":
        return data.rstrip().endswith(b"</html>")
    if path.suffix == ".geojson":
        try:
            return json.loads(data).get("type") == "FeatureCollection"
        except ValueError:
            return False
    return sqlite_sound(path)


def map_variant(out: Path, references: dict) -> dict[str, str]:
    """Which run (A or B) wrote each of the map's files; '?' when no reference matches."""
    found = {}
    for name in MAP_FILES:
        path = out / name
        if not path.exists():
            found[name] = "-"
            continue
        data = path.read_bytes()
        if name == "map.html":
            found[name] = "A" if b"<title>Run A</title>" in data else "B" if b"<title>Run B</title>" in data else "?"
        else:
            digest = hashlib.sha256(data).hexdigest()
            found[name] = next((v for v, ref in references.items() if ref.get(name) == digest), "?")
    return found


def leftovers(folder: Path) -> tuple[int, int]:
    count = size = 0
    for entry in folder.iterdir() if folder.exists() else ():
        if entry.name.startswith(TEMP_PREFIX):
            count += 1
            size += sum(p.stat().st_size for p in ([entry] if entry.is_file() else entry.rglob("*"))
                        if p.is_file())
    return count, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--out", type=Path, default=Path("/tmp/geomap-kills"))
    parser.add_argument("--db", default=None, help="gazetteer for map and incidents")
    parser.add_argument("--kinds", default="map,incidents,build",
                        help="commands to kill, in turn (map, incidents, build)")
    parser.add_argument("--window", default=None, metavar="FROM,TO",
                        help="kill only within this part of a run's duration (0.9,1.02: while "
                             "writing); by default 70%% of kills land in its second half")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    shutil.rmtree(args.out, ignore_errors=True)
    folders = variants(args.out)
    kinds = args.kinds.split(",")
    outs = {kind: args.out / f"out-{kind}" for kind in kinds}
    # how long each command takes, and the map's files as each run writes them
    durations, references = {}, {}
    for kind in kinds:
        ref = args.out / f"reference-{kind}"
        for variant in ("A", "B") if kind != "build" else ("A",):
            seconds = run(command(kind, variant, folders, ref, args.db), None)
            durations[kind] = max(durations.get(kind, 0), seconds)
            if kind == "map":
                references[variant] = {name: hashlib.sha256((ref / name).read_bytes()).hexdigest()
                                       for name in MAP_FILES if name != "map.html"}
        print(f"reference {kind}: {durations[kind]:.1f} s", file=sys.stderr, flush=True)
    report = {kind: {"kills": 0, "corrupt": 0, "mixed": 0, "unknown": 0, "max_leftovers": 0,
                     "max_leftover_bytes": 0, "states": {}} for kind in kinds}
    for number in range(args.kills):
        kind = kinds[number % len(kinds)]
        variant = "AB"[(number // len(kinds)) % 2]
        out = outs[kind]
        out.mkdir(parents=True, exist_ok=True)
        # most kills land late, while the files are written; some anywhere
        if args.window:
            low, high = (float(x) for x in args.window.split(","))
            kill_after = rng.uniform(low * durations[kind], high * durations[kind])
        else:
            kill_after = (rng.uniform(0.5 * durations[kind], 1.05 * durations[kind])
                          if rng.random() < 0.7 else rng.uniform(0.5, durations[kind]))
        run(command(kind, variant, folders, out, args.db), kill_after)
        entry = report[kind]
        entry["kills"] += 1
        files = [p for p in out.iterdir() if not p.name.startswith(TEMP_PREFIX)]
        entry["corrupt"] += sum(not whole(p) for p in files)
        if kind == "map" and files:
            found = map_variant(out, references)
            present = {run_ for run_ in found.values() if run_ != "-"}
            # a file missing beside the others, or files of both runs: not one run's set
            entry["mixed"] += len(present - {"?"}) > 1 or "-" in found.values()
            entry["unknown"] += "?" in present
            state = "".join(found[name] for name in MAP_FILES)
        else:
            state = "written" if files else "empty"
        entry["states"][state] = entry["states"].get(state, 0) + 1
        count, size = leftovers(out)
        entry["max_leftovers"] = max(entry["max_leftovers"], count)
        entry["max_leftover_bytes"] = max(entry["max_leftover_bytes"], size)
        print(f"kill {number + 1:3d} {kind:9s} after {kill_after:5.1f} s: {state}, "
              f"{count} temporary ({size:,} bytes)", file=sys.stderr, flush=True)
    for kind in kinds:  # the next run sweeps what the kills left
        run(command(kind, "A", folders, outs[kind], args.db), None)
        count, size = leftovers(outs[kind])
        report[kind]["after_next_run"] = {"temporary": count, "bytes": size,
                                          "whole": all(whole(p) for p in outs[kind].iterdir())}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
