"""Inputs cut into partitions, and the articles of a partition one at a time.

A partition is a piece of the input that a worker can read by itself, on this machine or
another one that sees the same files: a run of whole article files (read by
geomap.articles, the reader of every file format), a range of lines of a large JSON-lines
file, or a range of row groups of a Parquet file with a text column. Reading the whole input
is reading its partitions in order, so a run on one core, on several and on a cluster read the
same articles in the same order.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from geomap.articles import (ARTICLE_SUFFIXES, CATALOGUE_NAMES, JSONL_SUFFIXES, METADATA_FIELDS,
                             NOT_ARTICLE_STEMS, Article, ArticleUnreadable, parse_published,
                             read_articles)
from geomap.calendar import published_from_text

PARQUET_SUFFIXES = {".parquet"}
# A JSON-lines file up to this size is read whole by geomap.articles; a larger one a line at a
# time (geomap.articles refuses files over its own limit rather than hold them in memory).
WHOLE_FILE_BYTES = 8 * 2**20
# about 1,300 news articles: some 10 s of work for one core
PARTITION_BYTES = 4 * 2**20
# the fields of a JSON line or a Parquet row that make an article (as in geomap.articles)
TEXT_FIELD = "text"
ID_FIELDS = ("doc_id", "id")


@dataclass(frozen=True)
class Partition:
    """A piece of the input: whole article files, or a range of one large JSONL or Parquet file."""

    number: int
    files: tuple[str, ...] = ()
    path: str | None = None  # the large file, when not whole files
    start: int = 0  # first byte (JSONL) or row group (Parquet)
    stop: int = 0  # byte or row group just past the range
    first_line: int = 1  # line (JSONL) or row (Parquet) number of `start`, for messages
    size: int = 0  # bytes, for progress and planning

    def describe(self) -> str:
        """Return where the partition's articles come from, for messages."""
        if self.path is None:
            head = self.files[0] if self.files else "(nothing)"
            return head if len(self.files) == 1 else f"{head} and {len(self.files) - 1} more files"
        unit = "rows" if Path(self.path).suffix.lower() in PARQUET_SUFFIXES else "lines"
        return f"{self.path} ({unit} from {self.first_line})"


def plan_partitions(paths: Iterable[str | os.PathLike], *, errors: list,
                    target_bytes: int = PARTITION_BYTES) -> list[Partition]:
    """Return the partitions of files and folders, in input order, each about target_bytes."""
    pieces: list[dict] = []
    group: list[str] = []
    group_size = 0

    def close_group() -> None:
        nonlocal group, group_size
        if group:
            pieces.append({"files": tuple(group), "size": group_size})
        group, group_size = [], 0

    for path in paths:
        root = Path(path)
        files = article_files(root) if root.is_dir() else [root]
        for file in files:
            suffix = file.suffix.lower()
            size = _size(file)
            if suffix in PARQUET_SUFFIXES:
                close_group()
                pieces.extend(_parquet_ranges(file, target_bytes, errors))
            elif suffix in JSONL_SUFFIXES and size > WHOLE_FILE_BYTES:
                close_group()
                pieces.extend(_line_ranges(file, target_bytes, errors))
            else:
                group.append(str(file))
                group_size += size
                if group_size >= target_bytes:
                    close_group()
    close_group()
    return [Partition(number, **piece) for number, piece in enumerate(pieces)]


def article_files(root: Path) -> list[Path]:
    """Return the article files (and Parquet files) under a folder, sorted by path components.

    The same files, in the same order, as geomap.articles reads from a folder, plus Parquet.
    """
    found = []
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        for name in filenames:
            file = Path(folder, name)
            if (name.startswith(".") or name in CATALOGUE_NAMES
                    or file.suffix.lower() not in ARTICLE_SUFFIXES | PARQUET_SUFFIXES
                    or file.stem.lower() in NOT_ARTICLE_STEMS):
                continue
            found.append(file)
    return sorted(found, key=lambda file: file.relative_to(root).parts)


def _size(file: Path) -> int:
    try:
        return file.stat().st_size
    except OSError:
        return 0  # the reader reports it


def _line_ranges(file: Path, target_bytes: int, errors: list) -> list[dict]:
    """Byte ranges of a JSON-lines file, cut after a line end every target_bytes or so."""
    pieces = []
    try:
        total = file.stat().st_size
        with open(file, "rb") as f:
            start, line = 0, 1
            while start < total:
                f.seek(min(start + target_bytes, total))
                f.readline()  # on to the end of the line the cut falls in
                stop = min(f.tell(), total)
                f.seek(start)
                pieces.append({"path": str(file), "start": start, "stop": stop,
                               "first_line": line, "size": stop - start})
                start, line = stop, line + _count_lines(f, stop - start)
    except OSError as exc:
        errors.append(ArticleUnreadable(file, f"cannot read: {exc.strerror or exc}"))
    return pieces


def _count_lines(f, length: int, block: int = 2**20) -> int:
    count = 0
    while length > 0:
        data = f.read(min(block, length))
        if not data:
            break
        count += data.count(b"\n")
        length -= len(data)
    return count


def _parquet_ranges(file: Path, target_bytes: int, errors: list) -> list[dict]:
    """Runs of row groups of a Parquet file with a text column, about target_bytes each."""
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(file).metadata
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        errors.append(ArticleUnreadable(file, f"not a readable Parquet file: {exc}"))
        return []
    if TEXT_FIELD not in meta.schema.names:
        errors.append(ArticleUnreadable(file, f"no '{TEXT_FIELD}' column with the article text"))
        return []
    pieces, start, row, size = [], 0, 1, 0
    first_row = 1
    for group in range(meta.num_row_groups):
        size += meta.row_group(group).total_byte_size
        row += meta.row_group(group).num_rows
        if size >= target_bytes or group == meta.num_row_groups - 1:
            pieces.append({"path": str(file), "start": start, "stop": group + 1,
                           "first_line": first_row, "size": size})
            start, size, first_row = group + 1, 0, row
    return pieces


def read_partition(partition: Partition, *, errors: list,
                   published: dt.date | None = None) -> Iterator[Article]:
    """Yield the articles of a partition in order; unreadable ones go to `errors` (file and line)."""
    if partition.path is None:
        for file in partition.files:
            yield from read_articles(file, errors=errors, published=published)
    elif Path(partition.path).suffix.lower() in PARQUET_SUFFIXES:
        yield from _parquet_articles(partition, errors, published)
    else:
        yield from _jsonl_articles(partition, errors, published)


def iter_articles(paths: Iterable[str | os.PathLike], *, errors: list,
                  published: dt.date | None = None) -> Iterator[Article]:
    """Yield the articles of files and folders one at a time, in the order geomap.articles reads them."""
    for partition in plan_partitions(paths, errors=errors):
        yield from read_partition(partition, errors=errors, published=published)


def _jsonl_articles(partition: Partition, errors: list, published) -> Iterator[Article]:
    file = Path(partition.path)
    try:
        with open(file, "rb") as f:
            f.seek(partition.start)
            position, number = partition.start, partition.first_line
            for raw in f:
                if position >= partition.stop:
                    break
                if position == 0:
                    raw = raw.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark
                position += len(raw)
                if raw.strip():
                    try:
                        yield article_from_record(file, number, _json_record(file, number, raw),
                                                  published)
                    except ArticleUnreadable as error:
                        errors.append(error)
                number += 1
    except OSError as exc:
        errors.append(ArticleUnreadable(file, f"cannot read: {exc.strerror or exc}"))


def _json_record(file: Path, number: int, raw: bytes) -> dict:
    try:
        line = raw.rstrip(b"\r\n").decode("utf-8")
    except UnicodeDecodeError as error:
        raise ArticleUnreadable(file, "not UTF-8 text; convert the file to UTF-8", number) from error
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ArticleUnreadable(file, f"invalid JSON: {error.msg} (column {error.colno})",
                                number) from error
    except (RecursionError, ValueError) as error:  # nesting too deep, a number too long
        raise ArticleUnreadable(file, f"invalid JSON: {error}", number) from error
    if not isinstance(record, dict):
        raise ArticleUnreadable(file, "each line must be a JSON object", number)
    return record


def _parquet_articles(partition: Partition, errors: list, published) -> Iterator[Article]:
    import pyarrow.parquet as pq

    file = Path(partition.path)
    try:
        parquet = pq.ParquetFile(file)
        wanted = [TEXT_FIELD, *ID_FIELDS, *METADATA_FIELDS]
        columns = [name for name in wanted if name in parquet.schema_arrow.names]
        number = partition.first_line
        for batch in parquet.iter_batches(row_groups=range(partition.start, partition.stop),
                                          columns=columns):
            for record in batch.to_pylist():
                try:
                    yield article_from_record(file, number, record, published)
                except ArticleUnreadable as error:
                    errors.append(error)
                number += 1
    except (OSError, ValueError) as exc:
        errors.append(ArticleUnreadable(file, f"cannot read the Parquet file: {exc}"))


def article_from_record(file: Path, number: int, record: dict,
                        published: dt.date | None = None) -> Article:
    """Return the article of one JSON line or Parquet row, by the rules geomap.articles reads
    JSON lines with: a non-empty 'text', optional doc_id or id, title, published, source, url."""
    text = record.get(TEXT_FIELD)
    if not isinstance(text, str) or not text.strip():
        raise ArticleUnreadable(file, f"no '{TEXT_FIELD}' field with the article text", number)
    metadata = {}
    for name in METADATA_FIELDS:
        value = record.get(name)
        if value is None or value == "":
            continue
        if name == "published":
            try:
                value = parse_published(value)
            except ValueError as error:
                raise ArticleUnreadable(file, f"published: {error}", number) from error
        else:
            value = str(value).strip()
        metadata[name] = value
    identifier = next((record[f] for f in ID_FIELDS if record.get(f)), None) or f"{file.name}#{number}"
    if metadata.get("published") is None:
        metadata["published"] = published or published_from_text(text)
    return Article(id=str(identifier), text=text, path=str(file), **metadata)
