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
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from geomap.articles import (ARTICLE_SUFFIXES, CATALOGUE_NAMES, JSONL_SUFFIXES, MAX_ARTICLE_BYTES,
                             METADATA_FIELDS, Article, ArticleUnreadable, article_files,
                             article_from_json_line, article_from_record, read_articles)
from geomap.articles.article import with_published

PARQUET_SUFFIXES = {".parquet"}
# A JSON-lines file up to this size is read whole by geomap.articles; a larger one a line at a
# time (geomap.articles refuses files over its own limit rather than hold them in memory).
WHOLE_FILE_BYTES = 8 * 2**20
# about 1,300 news articles: some 10 s of work for one core
PARTITION_BYTES = 4 * 2**20
# the columns of a Parquet file that make an article (the fields of a JSON line)
TEXT_FIELD = "text"
NO_ARTICLES = "no articles in it (.txt, .md, .html, .jsonl or .parquet with text)"
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
    # the files come from a folder whose catalogues planning read (and reported on)
    walked: bool = False

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
    walked = False

    def close_group() -> None:
        nonlocal group, group_size
        if group:
            pieces.append({"files": tuple(group), "size": group_size, "walked": walked})
        group, group_size = [], 0

    for path in paths:
        root = Path(path)
        if root.is_dir() or walked:  # a folder's files are partitions of their own
            close_group()
        walked = root.is_dir()
        files = (article_files(root, errors=errors, suffixes=ARTICLE_SUFFIXES | PARQUET_SUFFIXES)
                 if walked else [root])
        if walked and not files:
            errors.append(ArticleUnreadable(root, NO_ARTICLES))
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
        problems: list = []
        for file in partition.files:
            yield from read_articles(file, errors=problems, published=published)
            # a folder's catalogue is read for each of its files: its problems were reported once,
            # when the folder was planned, as geomap.articles reports them for a folder
            errors.extend(e for e in problems
                          if not (partition.walked and Path(e.path).name in CATALOGUE_NAMES))
            problems.clear()
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
            while position < partition.stop:
                raw = f.readline(MAX_ARTICLE_BYTES + 1)
                if not raw:
                    break
                first = position == 0
                position += len(raw)
                if len(raw) > MAX_ARTICLE_BYTES and not raw.endswith(b"\n"):
                    position += _skip_line(f)
                    errors.append(ArticleUnreadable(
                        file, f"a line over {MAX_ARTICLE_BYTES:,} bytes; not read", number))
                elif raw.strip():
                    try:
                        article = _article_of_line(file, number, raw, first)
                        yield with_published(article, published)
                    except ArticleUnreadable as error:
                        errors.append(error)
                number += 1
    except OSError as exc:
        errors.append(ArticleUnreadable(file, f"cannot read: {exc.strerror or exc}"))


def _skip_line(f, block: int = 2**20) -> int:
    """Read on to the end of the line; return the bytes skipped."""
    skipped = 0
    while chunk := f.readline(block):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _article_of_line(file: Path, number: int, raw: bytes, first: bool) -> Article:
    if first:
        raw = raw.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark
    try:
        line = raw.rstrip(b"\r\n").decode("utf-8")
    except UnicodeDecodeError:
        raise ArticleUnreadable(file, "not UTF-8 text; convert the file to UTF-8", number) from None
    return article_from_json_line(file, number, line)


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
                    yield with_published(article_from_record(file, number, record), published)
                except ArticleUnreadable as error:
                    errors.append(error)
                number += 1
    except (OSError, ValueError) as exc:
        errors.append(ArticleUnreadable(file, f"cannot read the Parquet file: {exc}"))
