"""Incident files written a batch at a time: text formats, and partitioned GeoParquet folders.

TextStream writes CSV, JSON and GeoJSON with the bytes geomap.formats writes for the same
incidents all at once (event ids numbered across batches), so a run that streams its output
and one that does not give the same file. A ParquetFolder is a folder of GeoParquet parts,
one per partition or batch, all with the same schema; it is written beside the target and
replaces it only when complete.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path
from typing import TextIO

from geomap import __version__
from geomap.files import atomic_target, make_temp_dir, write_atomic
from geomap.formats import feature_collection, render_csv, render_incidents, storable_tolls
from geomap.frame import COLUMNS, incident_records, incidents_frame
from geomap.incidents import Incident

STREAMED_FORMATS = ("csv", "json", "geojson")
# the file that marks a folder as a GeoParquet folder written by geomap (readers skip "_" files)
FOLDER_MARKER = "_geomap.json"


class OutputTaken(Exception):
    """The output path holds something geomap did not write; it is not replaced."""


def incident_field_kinds() -> dict[str, str]:
    """Return {Incident field: 'float', 'int', 'bool', 'date' or 'text'}, read from its annotations."""
    kinds = {}
    for name, field in Incident.__dataclass_fields__.items():
        annotation = str(field.type)
        if annotation.startswith("tuple"):
            kinds[name] = "text"  # written as "3+2", as geomap.frame does
        else:
            kinds[name] = next((kind for kind in ("bool", "float", "int", "date")
                                if kind in annotation), "text")
    return kinds


class TextStream:
    """Incidents written to an open text file a batch at a time, in a text format of geomap.formats.

    CSV, JSON and GeoJSON are written as they come; the table, which needs every row to size
    its columns, is rendered at close.
    """

    def __init__(self, fmt: str, out: TextIO, *, safe_csv: bool = True):
        self.fmt = fmt
        self.out = out
        self.safe_csv = safe_csv  # as geomap.formats.render_csv's `safe`
        self.count = 0
        self._held: list = []  # the table's incidents
        self._numbers: Counter = Counter()  # event id prefix (country) -> incidents so far

    def write(self, incidents) -> None:
        """Write a batch of incidents."""
        incidents = list(incidents)
        if not incidents:
            return
        if self.fmt not in STREAMED_FORMATS:
            self._held.extend(incidents)
            self.count += len(incidents)
            return
        records = self._numbered(incident_records(storable_tolls(incidents)))
        first = self.count == 0
        self.count += len(records)
        if self.fmt == "csv":
            text = render_csv(records, COLUMNS, safe=self.safe_csv)
            self.out.write(text if first else text.split("\n", 1)[1])
        elif self.fmt == "json":
            items = ("\n".join("  " + line for line in
                               json.dumps(r, indent=2, ensure_ascii=False).split("\n"))
                     for r in records)
            self.out.write(("[\n" if first else ",\n") + ",\n".join(items))
        else:
            features = feature_collection(records, "latitude", "longitude")["features"]
            self.out.write(('{"type": "FeatureCollection", "features": [' if first else ", ")
                           + ", ".join(json.dumps(f, ensure_ascii=False) for f in features))

    def close(self) -> None:
        """Write what ends the file (or the whole table, or the empty file's text)."""
        if self.fmt not in STREAMED_FORMATS or self.count == 0:
            self.out.write(render_incidents(self._held, self.fmt, safe_csv=self.safe_csv))
        elif self.fmt == "json":
            self.out.write("\n]\n")
        elif self.fmt == "geojson":
            self.out.write("]}\n")

    def _numbered(self, records: list[dict]) -> list[dict]:
        """The records with event ids numbered on from the batches before (AZ1, AZ2... per country)."""
        batch: Counter = Counter()
        for record in records:
            event_id = record["event_id_cnty"]
            prefix = event_id.rstrip("0123456789")
            number = int(event_id[len(prefix):])
            batch[prefix] = max(batch[prefix], number)
            record["event_id_cnty"] = f"{prefix}{self._numbers[prefix] + number}"
        self._numbers.update(batch)
        return records


def write_part(incidents, path: str | os.PathLike, gazetteer=None) -> int:
    """Write incidents as one GeoParquet part whose schema does not depend on its values; return
    the rows written (no file for none)."""
    incidents = list(incidents)
    if not incidents:
        return 0
    frame = incidents_frame(incidents, gazetteer)
    floats = {name for name, kind in incident_field_kinds().items() if kind == "float"}
    for name in frame.columns:
        if name in ("geometry", "area") or not (frame[name].dtype == object
                                                or str(frame[name].dtype) == "str"):
            continue
        # a column that is empty in this part must still have the type it has in the others
        frame[name] = frame[name].astype("float64" if name in floats else "string")
    with atomic_target(path, suffix=".parquet") as tmp:
        frame.to_parquet(tmp, index=False)
    return len(frame)


def is_parquet_folder(path: Path) -> bool:
    """True for a GeoParquet folder geomap wrote (or an empty folder)."""
    return path.is_dir() and ((path / FOLDER_MARKER).is_file() or not any(path.iterdir()))


class ParquetFolder:
    """A partitioned GeoParquet folder: parts are written to a folder beside the target, which
    replaces the target (an earlier geomap folder, never anything else) when every part is in."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        if self.path.exists() and not is_parquet_folder(self.path):
            raise OutputTaken(f"{self.path} exists and is not a GeoParquet folder geomap wrote; "
                              "give another output folder")
        # a name no other run picks, made with the usual permissions (workers elsewhere write
        # here), that the next write beside it sweeps if this run is killed
        self.staging = make_temp_dir(self.path)

    def part(self, number: int) -> Path:
        """Return the path of part `number` (in the staging folder until published)."""
        return self.staging / f"part-{number:05d}.parquet"

    def publish(self, summary: dict) -> Path:
        """Write the marker with the summary and move the folder into place; return its path."""
        parts = sorted(p.name for p in self.staging.glob("part-*.parquet"))
        write_atomic(self.staging / FOLDER_MARKER, json.dumps(
            {"written_by": f"geomap {__version__}", "format": "GeoParquet parts, one schema",
             "parts": parts, **summary}, indent=2) + "\n")
        old = None
        if self.path.exists():
            old = make_temp_dir(self.path)  # swept too if a kill comes before the rmtree below
            os.replace(self.path, old)
        os.replace(self.staging, self.path)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return self.path

    def discard(self) -> None:
        """Remove the staging folder (a failed run leaves the target as it was)."""
        shutil.rmtree(self.staging, ignore_errors=True)
