"""Incidents of a stream of articles (or of a store's slice) written in any format as they come.

CSV, JSON and GeoJSON are written a batch at a time (the same bytes as writing them whole), a
Parquet folder one part per PART_INCIDENTS incidents, so memory stays flat however many
articles; the table, a single Parquet file and a GeoPackage hold the incidents until the end.
Files appear whole or not at all.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from geomap.articles import Article
from geomap.files import atomic_target
from geomap.formats import BINARY_FORMATS, write_incidents
from geomap.gazetteer import Gazetteer
from geomap.parallel import extract_all
from geomap.stream.writing import ParquetFolder, TextStream, write_part

PART_INCIDENTS = 50_000  # incidents per part of a Parquet folder


@dataclass
class ExportReport:
    """What an export wrote."""

    articles: int = 0
    incidents: int = 0
    historical: int = 0
    output: Path | None = None


def is_folder_output(output: str | os.PathLike | None) -> bool:
    """True when a Parquet output names a folder (an existing one, or a path ending in '/')."""
    return output is not None and (str(output).endswith(("/", os.sep)) or Path(output).is_dir())


def export_incidents(articles: Iterable[Article], output: str | os.PathLike | None, fmt: str, *,
                     gazetteer: Gazetteer, jobs: int = 1, errors: list, notes: list | None = None,
                     current_only: bool = False, safe_csv: bool = True,
                     progress: Callable[[Article], None] | None = None) -> ExportReport:
    """Extract the incidents of the articles on `jobs` processes and write them to `output`
    (standard output when None) in `fmt`; return the counts. `safe_csv` as in
    geomap.formats.render_csv (cells that a spreadsheet would run are quoted with ')."""
    report = ExportReport(output=Path(output) if output is not None else None)

    def batches():
        for article, found in extract_all(articles, gazetteer=gazetteer, jobs=jobs, errors=errors,
                                          notes=notes, current_only=current_only):
            report.articles += 1
            report.incidents += len(found)
            report.historical += sum(i.historical for i in found)
            if progress:
                progress(article)
            yield found

    if fmt == "parquet" and is_folder_output(output):
        _write_folder(batches(), ParquetFolder(output), gazetteer, report)
    else:
        _write_batches(batches(), output, fmt, gazetteer=gazetteer, safe_csv=safe_csv)
    return report


def _write_batches(batches, output, fmt: str, *, gazetteer, safe_csv: bool) -> None:
    """Write batches of incidents to `output` (standard output when None) in `fmt`: a binary
    format whole, a text format a batch at a time."""
    if fmt in BINARY_FORMATS:
        write_incidents([i for batch in batches for i in batch], output, fmt, gazetteer=gazetteer)
    elif output is None:
        _write_text(batches, TextStream(fmt, sys.stdout, safe_csv=safe_csv))
    else:
        with atomic_target(output) as tmp, open(tmp, "w", encoding="utf-8") as out:
            _write_text(batches, TextStream(fmt, out, safe_csv=safe_csv))


def _write_text(batches, stream: TextStream) -> None:
    for found in batches:
        stream.write(found)
    stream.close()


def _write_folder(batches, folder: ParquetFolder, gazetteer: Gazetteer,
                  report: ExportReport) -> None:
    held, number = [], 0
    try:
        for found in batches:
            held.extend(found)
            if len(held) >= PART_INCIDENTS:
                write_part(held, folder.part(number), gazetteer)
                held, number = [], number + 1
        write_part(held, folder.part(number), gazetteer)
        folder.publish({"articles": report.articles, "incidents": report.incidents})
    except BaseException:
        folder.discard()
        raise


def export_store(store, where, output: str | os.PathLike | None, fmt: str, *,
                 gazetteer: Gazetteer | None = None, current_only: bool = False,
                 safe_csv: bool = True) -> int:
    """Write the events of a store's slice (geomap.store) to `output` (standard output when
    None) in `fmt`, a thousand at a time where the format allows; return how many."""
    events = (e.incident for e in store.iter_events(where)
              if not (current_only and e.incident.historical))
    count = 0

    def batches():
        nonlocal count
        while batch := list(islice(events, 1000)):
            count += len(batch)
            yield batch

    _write_batches(batches(), output, fmt, gazetteer=gazetteer, safe_csv=safe_csv)
    return count
