"""Benchmark `geomap gazetteer import-geonames` on a synthetic dump: rows/s and peak memory.

    .venv/bin/python bench/bench_import.py [--rows 1000000]

Writes a GeoNames-format dump of N synthetic places (19 tab-separated fields, populated
places and admin areas, a few alternate names each) and an alternateNamesV2 file, copies the
project's gazetteer, and imports both in a child process whose peak resident memory is
read from the kernel. allCountries.txt has about 13 million rows: the memory stays flat as
the dump grows (the rows are streamed), which is what this measures.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geomap.gazetteer import default_db_path  # noqa: E402
from geomap.gazetteer.geonames import GEONAME_FIELDS  # noqa: E402

SYLLABLES = ["ka", "ra", "to", "mi", "sa", "na", "lo", "be", "du", "vi", "ze", "an", "or"]


def write_dump(path: Path, alt_path: Path, rows: int, seed: int = 5) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as dump, open(alt_path, "w", encoding="utf-8") as alt:
        for i in range(rows):
            gid = 20_000_000 + i
            name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
            fclass, fcode = ("P", "PPL") if i % 4 else ("A", "ADM3")
            values = dict.fromkeys(GEONAME_FIELDS, "")
            values.update(geonameid=str(gid), name=name, asciiname=name,
                          alternatenames=f"{name}a,{name}o", latitude=f"{rng.uniform(-60, 70):.5f}",
                          longitude=f"{rng.uniform(-180, 180):.5f}", feature_class=fclass,
                          feature_code=fcode, country_code=rng.choice(["NA", "AZ", "FR", "US"]),
                          admin1_code="01", population=str(rng.randint(0, 50_000)),
                          timezone="UTC", modification_date="2024-01-01")
            dump.write("\t".join(values[f] for f in GEONAME_FIELDS) + "\n")
            alt.write(f"{i}\t{gid}\ten\t{name} Town\t\t\t\t\t\t\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        dump, alt, db = tmp / "allCountries.txt", tmp / "alternateNamesV2.txt", tmp / "g.sqlite"
        write_dump(dump, alt, args.rows)
        shutil.copy(default_db_path(), db)
        started = time.perf_counter()
        subprocess.run([str(ROOT / ".venv" / "bin" / "geomap"), "gazetteer", "import-geonames",
                        "--db", str(db), str(dump), "--alternate-names", str(alt)],
                       check=True, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"imported {args.rows:,} rows (+{args.rows:,} alternate names) in {seconds:.1f} s "
              f"({args.rows / seconds:,.0f} rows/s); peak resident memory {peak_mb:.0f} MB; "
              f"database {db.stat().st_size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
