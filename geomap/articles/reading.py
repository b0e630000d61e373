"""Reading article files: folders, encodings, front matter, catalogues, JSON lines, standard input."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from geomap.articles.article import (ARTICLE_SUFFIXES, CATALOGUE_NAMES, HTML_SUFFIXES,
                                     JSONL_SUFFIXES, LONE_SURROGATE, MARKDOWN_SUFFIXES,
                                     MAX_ARTICLE_BYTES, MAX_CATALOGUE_BYTES,
                                     MAX_FRONT_MATTER_CHARS, MAX_JSON_INT_DIGITS,
                                     NOT_ARTICLE_STEMS, SURROGATE_RE, Article, ArticleUnreadable,
                                     BadField, check_length, read_metadata, with_published)
from geomap.articles.webpage import read_html
from geomap.articles.yamldata import YamlRefused, load_yaml

def read_articles(path: str | os.PathLike, *, errors: list | None = None,
                  published: dt.date | None = None) -> list[Article]:
    """Return the articles in a file or, recursively and in sorted order, a directory.

    With `errors`, what cannot be read (a file, a JSON line, a catalogue entry, a folder that
    cannot be listed, a link out of the folder) is appended to it and the rest is read;
    without, the first problem is raised.
    """
    root = Path(path)
    collected: list[Article] = []
    report = _reporter(errors)
    if root.is_dir():
        files, catalogues = _list_article_files(root, report, ARTICLE_SUFFIXES)
    elif root.exists() or root.is_symlink():
        files, catalogues = [root], {}
    else:
        report(ArticleUnreadable(root, "no such file or directory"))
        return collected
    for file in files:
        folder = file.parent
        if folder not in catalogues:
            catalogues[folder] = _read_catalogue(folder, report)
        defaults = catalogues[folder].entries.get(file.name, {})
        try:
            for article in _read_file(file, defaults, report):
                collected.append(with_published(article, published))
        except ArticleUnreadable as error:
            report(error)
    return collected


def article_files(root: str | os.PathLike, *, errors: list | None = None,
                  suffixes=ARTICLE_SUFFIXES) -> list[Path]:
    """Return the files under a folder that read_articles reads, in its order (sorted by path
    components); `suffixes` may add other inputs a caller reads (Parquet).

    Hidden files and folders and other files are left out; a link that leads out of the folder,
    a folder that cannot be listed and a catalogue entry whose file is missing are appended to
    `errors` (raised without it).
    """
    return _list_article_files(Path(root), _reporter(errors), frozenset(suffixes))[0]


def _reporter(errors: list | None):
    def report(error: ArticleUnreadable) -> None:
        if errors is None:
            raise error
        errors.append(error)
    return report


def _list_article_files(root: Path, report, suffixes) -> tuple[list[Path], dict[Path, "_Catalogue"]]:
    """The files under root and the catalogues of the folders walked (see article_files)."""
    real_root = Path(os.path.realpath(root))
    found, catalogues = [], {}

    def unlisted(error: OSError) -> None:
        report(ArticleUnreadable(error.filename or root,
                                 f"cannot list the folder: {error.strerror or error}"))

    for folder, dirnames, filenames in os.walk(root, onerror=unlisted):
        kept = []
        for name in dirnames:
            sub = Path(folder, name)
            if name.startswith("."):
                continue
            if sub.is_symlink():
                # os.walk does not follow links; one inside root is read where it points
                if not _inside(sub, real_root):
                    report(ArticleUnreadable(sub, f"a link to a folder outside {root}; not followed"))
                continue
            kept.append(name)
        dirnames[:] = kept
        listed = set()
        for name in filenames:
            file = Path(folder, name)
            if (name.startswith(".") or name in CATALOGUE_NAMES
                    or file.suffix.lower() not in suffixes
                    or file.stem.lower() in NOT_ARTICLE_STEMS):
                continue
            if file.is_symlink() and not _inside(file, real_root):
                report(ArticleUnreadable(file, f"a link to a file outside {root}; not read"))
                continue
            found.append(file)
            listed.add(name)
        catalogue = catalogues[Path(folder)] = _read_catalogue(Path(folder), report)
        # a catalogue entry whose file is not there is a typo or a lost file: say so
        for name, (number, line) in catalogue.lines.items():
            if name not in listed:
                report(ArticleUnreadable(catalogue.path, f"entry {number}: no article file "
                                                         f"{name!r} in {folder}", line))
    # sorted by path components, so the order is the same on every file system
    return sorted(found, key=lambda file: file.relative_to(root).parts), catalogues


def _inside(path: Path, real_root: Path) -> bool:
    """True when a path, its links followed, lies in the folder real_root."""
    return Path(os.path.realpath(path)).is_relative_to(real_root)


@dataclass(frozen=True)
class _Catalogue:
    """A folder's catalogue: metadata by file name, and each entry's number and line."""

    path: Path | None
    entries: dict[str, dict]
    lines: dict[str, tuple[int, int | None]]


_NO_CATALOGUE = _Catalogue(None, {}, {})


def _read_catalogue(folder: Path, report) -> _Catalogue:
    """The catalogue of a folder; bad entries are reported and left out."""
    for name in CATALOGUE_NAMES:
        catalogue = folder / name
        if catalogue.is_file():
            break
    else:
        return _NO_CATALOGUE
    try:
        text = _read_regular(catalogue, MAX_CATALOGUE_BYTES).decode("utf-8-sig")
        entries = load_yaml(text, max_chars=MAX_CATALOGUE_BYTES)
    except UnicodeDecodeError:
        report(ArticleUnreadable(catalogue, "the catalogue is not UTF-8 text"))
        return _NO_CATALOGUE
    except YamlRefused as error:
        report(ArticleUnreadable(catalogue, f"cannot read the catalogue: {error.reason}", error.line))
        return _NO_CATALOGUE
    except ArticleUnreadable as error:
        report(error)
        return _NO_CATALOGUE
    if entries is None:
        return _Catalogue(catalogue, {}, {})
    if not isinstance(entries, list):
        report(ArticleUnreadable(catalogue, "the catalogue must be a list of "
                                            "{file, title, published, source, url}"))
        return _NO_CATALOGUE
    by_file, lines = {}, {}
    for number, (entry, line) in enumerate(zip(entries, entries.lines), start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str) or not entry["file"]:
            report(ArticleUnreadable(catalogue, f"entry {number} has no 'file' field", line))
            continue
        name = Path(entry["file"]).name
        try:
            by_file[name] = read_metadata(entry)
            lines[name] = (number, line)
        except BadField as error:
            report(ArticleUnreadable(catalogue, f"entry {number} ({entry['file'][:80]}): {error}",
                                     entry.lines.get(error.field, line)))
    return _Catalogue(catalogue, by_file, lines)



def read_stdin(kind: str = "text", *, errors: list | None = None,
               published: dt.date | None = None) -> list[Article]:
    """Return the articles on standard input: one text, or JSON lines when kind is 'jsonl'."""
    import sys

    def report(error: ArticleUnreadable) -> None:
        if errors is None:
            raise error
        errors.append(error)

    stdin = Path("-.jsonl" if kind == "jsonl" else "-.txt")
    try:
        raw = sys.stdin.buffer.read(MAX_ARTICLE_BYTES + 1)
        _check_bytes(Path("-"), raw)
        articles = _parse_file(stdin, raw, {}, report)
    except ArticleUnreadable as error:
        report(error)
        return []
    return [with_published(replace(a, id="-" if kind != "jsonl" else a.id, path="-"), published)
            for a in articles]


def _read_file(file: Path, defaults: dict, report) -> list[Article]:
    """The articles in one file (several for JSON lines), catalogue defaults applied."""
    return _parse_file(file, _read_bytes(file), defaults, report)


def _parse_file(file: Path, raw: bytes, defaults: dict, report) -> list[Article]:
    """The articles in the bytes of one file, by its suffix."""
    suffix = file.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return _read_jsonl(file, raw, defaults, report)
    if suffix in HTML_SUFFIXES:
        return [read_html(file, raw, defaults)]
    text, warning = _decode(file, raw)
    metadata, body = _split_front_matter(file, text)
    if not metadata.get("title") and suffix in MARKDOWN_SUFFIXES:
        heading = re.match(r"\s*#\s+(.+)", body)
        if heading:
            metadata["title"] = heading[1].strip()
    if not body.strip():
        raise ArticleUnreadable(file, "no article text after the front matter")
    return [Article(id=file.name, text=check_length(file, body), path=str(file), encoding_warning=warning,
                    **{**defaults, **metadata})]


def _read_bytes(file: Path) -> bytes:
    """The bytes of an article file, refusing empty, binary, oversized and non-regular files."""
    raw = _read_regular(file, MAX_ARTICLE_BYTES)
    _check_bytes(file, raw)
    return raw


def _read_regular(file: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; raise ArticleUnreadable otherwise."""
    try:
        # opened without blocking and checked on the open file: a FIFO would block open() and
        # read(), a device (a link to /dev/zero) never ends, and a check before open() can be
        # raced by swapping the file
        fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError as error:
        raise ArticleUnreadable(file, "no such file") from error
    except PermissionError as error:
        raise ArticleUnreadable(file, "permission denied; check the file's permissions") from error
    except OSError as error:
        raise ArticleUnreadable(file, f"cannot read: {error.strerror or error}") from error
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ArticleUnreadable(file, "is a directory")
        if not stat.S_ISREG(mode):
            raise ArticleUnreadable(file, "not a regular file (a device, FIFO or socket)")
        size = os.fstat(fd).st_size
        if size > limit:
            _too_large(file, size, limit)
        try:
            raw = f.read(limit + 1)
        except OSError as error:
            raise ArticleUnreadable(file, f"cannot read: {error.strerror or error}") from error
    if len(raw) > limit:  # it grew while being read
        _too_large(file, len(raw), limit)
    return raw


def _too_large(file: Path, size: int, limit: int):
    raise ArticleUnreadable(file, f"{size:,} bytes is larger than the {limit // 2**20} MiB "
                                  "geomap reads as one file; split it")


def _check_bytes(file: Path, raw: bytes) -> None:
    """Refuse empty, binary and oversized article bytes."""
    if len(raw) > MAX_ARTICLE_BYTES:
        _too_large(file, len(raw), MAX_ARTICLE_BYTES)
    if not raw.strip():
        raise ArticleUnreadable(file, "empty file")
    if b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ArticleUnreadable(file, "binary file (NUL bytes), not an article")


def _decode(file: Path, raw: bytes) -> tuple[str, str | None]:
    """Text of a file: UTF-8 (or UTF-16 with a byte order mark), else cp1252 with a warning."""
    warning = None
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = raw.decode("utf-16")
        else:
            text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text, warning = raw.decode("cp1252"), "decoded as cp1252"
        except UnicodeDecodeError as error:
            raise ArticleUnreadable(file, "neither UTF-8 nor cp1252 text; convert it to UTF-8") from error
    # cp1252 decodes almost any bytes; many control characters mean it is not text at all
    controls = len(text) - len(CONTROL_RE.sub("", text))
    if controls > len(text) / 20:
        raise ArticleUnreadable(file, "binary file (control bytes), not an article")
    return text, warning


CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f]")
FRONT_MATTER_RE = re.compile(r"---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)


def _split_front_matter(file: Path, text: str) -> tuple[dict, str]:
    """The front matter fields and the text after it; no fields when there is none."""
    match = FRONT_MATTER_RE.match(text)
    if not match:
        return {}, text
    try:
        # the front matter's text starts on the file's second line, after "---"
        fields = load_yaml(match[1], max_chars=MAX_FRONT_MATTER_CHARS, first_line=2)
    except YamlRefused as error:
        raise ArticleUnreadable(file, f"invalid YAML front matter: {error.reason}", error.line) from None
    if fields is None:
        return {}, text[match.end():]
    if not isinstance(fields, dict):
        raise ArticleUnreadable(file, "the front matter must be a mapping of fields", 2)
    try:
        return read_metadata(fields), text[match.end():]
    except BadField as error:
        raise ArticleUnreadable(file, f"front matter: {error}", fields.lines.get(error.field)) from None


def read_json_line(line: str) -> object:
    """Return the value of one line of JSON; raise ValueError saying what is wrong with it.

    Besides invalid JSON, refuses integers longer than MAX_JSON_INT_DIGITS (Python will not
    even convert one of 4,301 digits) and nesting deeper than the interpreter can follow.
    """
    try:
        return json.loads(line, parse_int=_json_int)
    except json.JSONDecodeError as error:
        raise ValueError(f"invalid JSON: {error.msg} (column {error.colno})") from None
    except RecursionError:
        raise ValueError("invalid JSON: nested too deeply") from None


def _json_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_JSON_INT_DIGITS:
        raise json.JSONDecodeError(f"an integer of {len(digits):,} digits", digits, 0)
    return int(digits)


def _read_jsonl(file: Path, raw: bytes, defaults: dict, report) -> list[Article]:
    """One article per non-blank line; a bad line is reported and the others kept."""
    text, _ = _decode(file, raw)
    articles = []
    # lines end at "\n" only: JSON strings may hold U+2028, U+0085... which splitlines() splits at
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            articles.append(article_from_json_line(file, number, line, defaults))
        except ArticleUnreadable as error:
            report(error)
    return articles


def article_from_json_line(file: str | os.PathLike, number: int, line: str,
                           defaults: dict | None = None) -> Article:
    """Return the article of one JSON line (bounded by read_json_line); raise ArticleUnreadable
    naming the file and line."""
    try:
        record = read_json_line(line)
    except ValueError as error:
        raise ArticleUnreadable(file, str(error), number) from None
    if not isinstance(record, dict):
        raise ArticleUnreadable(file, "each line must be a JSON object", number)
    return article_from_record(file, number, record, defaults)


def article_from_record(file: str | os.PathLike, number: int, record: dict,
                        defaults: dict | None = None) -> Article:
    """Return the article of one JSON line or table row: a non-empty 'text', optional 'doc_id'
    or 'id' and metadata fields; raise ArticleUnreadable naming the file and line."""
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ArticleUnreadable(file, "no 'text' field with the article text", number)
    if SURROGATE_RE.search(text):
        raise ArticleUnreadable(file, f"the text {LONE_SURROGATE}", number)
    try:
        metadata = read_metadata(record)
    except BadField as error:
        raise ArticleUnreadable(file, str(error), number) from None
    identifier = record.get("doc_id") or record.get("id") or f"{Path(file).name}#{number}"
    if not isinstance(identifier, (str, int)) or SURROGATE_RE.search(str(identifier)):
        raise ArticleUnreadable(file, "'doc_id' or 'id' must be text or a number", number)
    return Article(id=str(identifier), text=check_length(file, text, number), path=str(file),
                   **{**(defaults or {}), **metadata})
