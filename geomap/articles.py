"""Article; reading .txt/.md/.html/.jsonl files, their encodings and metadata.

Text is kept exactly as decoded, because mention offsets point into it; only HTML is
converted to text. Metadata comes, first to last: the file itself (front matter, HTML meta
tags, JSON fields), the directory's catalogue.yaml, the caller's ``published`` default, and
last the first full date written in the text.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

CATALOGUE_NAMES = ("catalogue.yaml", "catalogue.yml")
TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
ARTICLE_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
# files a directory of articles often holds besides the articles
NOT_ARTICLE_STEMS = {"readme", "license", "licence", "notice", "changelog", "copying"}
METADATA_FIELDS = ("title", "published", "source", "url")

# HTML elements that are page furniture rather than the article
HTML_DROP_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer",
                  "aside", "form", "iframe", "svg", "button")
HTML_BLOCK_TAGS = ("p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5",
                   "h6", "li", "ul", "ol", "blockquote", "pre", "figure", "figcaption",
                   "table", "tr", "dl", "dt", "dd", "address", "hr")

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}


def _month_alternation(names: list[str]) -> str:
    """Regex alternation of month names, capitalised or upper case, longest first."""
    forms = {form for name in names for form in (name.capitalize(), name.upper())}
    return "|".join(sorted(forms, key=len, reverse=True))


# Capitalised or upper case only: "may" and "march" in lower case are words, not months.
# Full names come first so that "March" is never read as "Mar" + "ch".
MONTH_PATTERN = (
    rf"(?:(?:{_month_alternation(list(MONTHS)[:12])})"
    rf"|(?:{_month_alternation([name for name in list(MONTHS)[12:]])})\.?)(?![A-Za-z])"
)
DAY_SUFFIX = r"(?:st|nd|rd|th)?"
FULL_DATE_RE = re.compile(
    rf"(?<![\d-])(?P<iso_y>(?:1[89]|20)\d\d)-(?P<iso_m>[01]\d)-(?P<iso_d>[0-3]\d)(?![\d])"
    rf"|\b(?P<mdy_m>{MONTH_PATTERN})\s+(?P<mdy_d>[0-3]?\d){DAY_SUFFIX},?\s+(?P<mdy_y>(?:1[89]|20)\d\d)\b"
    rf"|(?<![\d,.])(?P<dmy_d>[0-3]?\d){DAY_SUFFIX}\s+(?:of\s+)?(?P<dmy_m>{MONTH_PATTERN}),?\s+"
    rf"(?P<dmy_y>(?:1[89]|20)\d\d)\b"
)


class ArticleUnreadable(Exception):
    """An article file (or one line of a JSON lines file) that cannot be read."""

    def __init__(self, path: str | os.PathLike, reason: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Article:
    """One news article: its text and what is known about where and when it appeared."""

    id: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None
    path: str | None = None
    encoding_warning: str | None = None


def month_number(name: str) -> int:
    """Return the month number (1-12) of an English month name or abbreviation."""
    return MONTHS[name.rstrip(".").lower()]


def date_from_full_match(match: re.Match) -> dt.date | None:
    """Return the date a FULL_DATE_RE match spells, or None if no such day exists."""
    groups = match.groupdict()
    try:
        if groups["iso_y"]:
            return dt.date(int(groups["iso_y"]), int(groups["iso_m"]), int(groups["iso_d"]))
        if groups["mdy_y"]:
            return dt.date(int(groups["mdy_y"]), month_number(groups["mdy_m"]), int(groups["mdy_d"]))
        return dt.date(int(groups["dmy_y"]), month_number(groups["dmy_m"]), int(groups["dmy_d"]))
    except ValueError:
        return None


def find_full_dates(text: str) -> Iterator[tuple[int, int, dt.date]]:
    """Yield (start, end, date) for every full date (day, month and year) in the text."""
    for match in FULL_DATE_RE.finditer(text):
        day = date_from_full_match(match)
        if day is not None:
            yield match.start(), match.end(), day


def published_from_text(text: str) -> dt.date | None:
    """Return the first full date written in the text, or None."""
    return next((day for _, _, day in find_full_dates(text)), None)


def parse_published(value: object) -> dt.date | None:
    """Return a date from a metadata value (date, datetime, ISO or written string); raise ValueError."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        iso = re.match(r"((?:1[89]|20)\d\d)-(\d\d)-(\d\d)(?:$|[T ])", text)
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        match = FULL_DATE_RE.fullmatch(text)
        if match and (day := date_from_full_match(match)):
            return day
    raise ValueError(f"cannot read {value!r} as a date (use YYYY-MM-DD)")


def read_articles(path: str | os.PathLike, *, errors: list | None = None,
                  published: dt.date | None = None) -> list[Article]:
    """Return the articles in a file or, recursively and in sorted order, a directory."""
    root = Path(path)
    collected: list[Article] = []

    def report(error: ArticleUnreadable) -> None:
        if errors is None:
            raise error
        errors.append(error)

    if root.is_dir():
        files = _list_article_files(root)
    elif root.exists() or root.is_symlink():
        files = [root]
    else:
        report(ArticleUnreadable(root, "no such file or directory"))
        return collected
    catalogues: dict[Path, dict[str, dict]] = {}
    for file in files:
        folder = file.parent
        if folder not in catalogues:
            try:
                catalogues[folder] = _read_catalogue(folder)
            except ArticleUnreadable as error:
                catalogues[folder] = {}
                report(error)
        defaults = catalogues[folder].get(file.name, {})
        try:
            for article in _read_file(file, defaults, report):
                collected.append(_fill_published(article, published))
        except ArticleUnreadable as error:
            report(error)
    return collected


def _list_article_files(root: Path) -> list[Path]:
    """Article files under root, hidden files and folders and non-article files left out."""
    found = []
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        for name in filenames:
            file = Path(folder, name)
            if (name.startswith(".") or name in CATALOGUE_NAMES
                    or file.suffix.lower() not in ARTICLE_SUFFIXES
                    or file.stem.lower() in NOT_ARTICLE_STEMS):
                continue
            found.append(file)
    # sorted by path components, so the order is the same on every file system
    return sorted(found, key=lambda file: file.relative_to(root).parts)


def _read_catalogue(folder: Path) -> dict[str, dict]:
    """The catalogue of a folder, keyed by file name; empty when it has none."""
    for name in CATALOGUE_NAMES:
        catalogue = folder / name
        if catalogue.is_file():
            break
    else:
        return {}
    try:
        entries = yaml.safe_load(catalogue.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ArticleUnreadable(catalogue, f"cannot read the catalogue: {error}") from error
    if entries is None:
        return {}
    if not isinstance(entries, list):
        raise ArticleUnreadable(catalogue, "the catalogue must be a list of {file, title, published, source, url}")
    by_file = {}
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("file"):
            raise ArticleUnreadable(catalogue, f"entry {number} has no 'file' field")
        try:
            by_file[Path(str(entry["file"])).name] = _metadata(entry)
        except ValueError as error:
            raise ArticleUnreadable(catalogue, f"entry {number} ({entry['file']}): {error}") from error
    return by_file


def _metadata(fields: dict) -> dict:
    """The known metadata fields of a mapping, published parsed, empty values dropped."""
    found = {}
    for name in METADATA_FIELDS:
        value = fields.get(name)
        if value is None or value == "":
            continue
        found[name] = parse_published(value) if name == "published" else str(value).strip()
    return found


def _read_file(file: Path, defaults: dict, report) -> list[Article]:
    """The articles in one file (several for JSON lines), catalogue defaults applied."""
    suffix = file.suffix.lower()
    raw = _read_bytes(file)
    if suffix in JSONL_SUFFIXES:
        return _read_jsonl(file, raw, defaults, report)
    if suffix in HTML_SUFFIXES:
        return [_read_html(file, raw, defaults)]
    text, warning = _decode(file, raw)
    metadata, body = _split_front_matter(file, text)
    if not metadata.get("title") and suffix in MARKDOWN_SUFFIXES:
        heading = re.match(r"\s*#\s+(.+)", body)
        if heading:
            metadata["title"] = heading[1].strip()
    if not body.strip():
        raise ArticleUnreadable(file, "no article text after the front matter")
    return [Article(id=file.name, text=body, path=str(file), encoding_warning=warning,
                    **{**defaults, **metadata})]


def _read_bytes(file: Path) -> bytes:
    """The bytes of an article file, refusing empty and binary files."""
    try:
        raw = file.read_bytes()
    except FileNotFoundError as error:
        raise ArticleUnreadable(file, "no such file") from error
    except PermissionError as error:
        raise ArticleUnreadable(file, "permission denied; check the file's permissions") from error
    except IsADirectoryError as error:
        raise ArticleUnreadable(file, "is a directory") from error
    except OSError as error:
        raise ArticleUnreadable(file, f"cannot read: {error.strerror or error}") from error
    if not raw.strip():
        raise ArticleUnreadable(file, "empty file")
    if b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ArticleUnreadable(file, "binary file (NUL bytes), not an article")
    return raw


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
    controls = len(CONTROL_RE.findall(text))
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
        fields = yaml.safe_load(match[1]) or {}
    except yaml.YAMLError as error:
        raise ArticleUnreadable(file, f"invalid YAML front matter: {error}") from error
    if not isinstance(fields, dict):
        raise ArticleUnreadable(file, "the front matter must be a mapping of fields")
    try:
        return _metadata(fields), text[match.end():]
    except ValueError as error:
        raise ArticleUnreadable(file, f"front matter: {error}") from error


def _read_jsonl(file: Path, raw: bytes, defaults: dict, report) -> list[Article]:
    """One article per non-blank line; a bad line is reported and the others kept."""
    text, _ = _decode(file, raw)
    articles = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            articles.append(_article_from_json(file, number, line, defaults))
        except ArticleUnreadable as error:
            report(error)
    return articles


def _article_from_json(file: Path, number: int, line: str, defaults: dict) -> Article:
    """The article of one JSON line."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ArticleUnreadable(file, f"invalid JSON: {error.msg} (column {error.colno})", number) from error
    if not isinstance(record, dict):
        raise ArticleUnreadable(file, "each line must be a JSON object", number)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ArticleUnreadable(file, "no 'text' field with the article text", number)
    try:
        metadata = _metadata(record)
    except ValueError as error:
        raise ArticleUnreadable(file, f"published: {error}", number) from error
    identifier = record.get("doc_id") or record.get("id") or f"{file.name}#{number}"
    return Article(id=str(identifier), text=text, path=str(file), **{**defaults, **metadata})


def _read_html(file: Path, raw: bytes, defaults: dict) -> Article:
    """The article of an HTML page: the main text without page furniture, and its meta tags."""
    from bs4 import BeautifulSoup  # imported here: bs4 is slow to import

    soup = BeautifulSoup(raw, "html.parser")
    metadata = {
        "title": _meta(soup, "og:title") or (soup.title.get_text(" ", strip=True) if soup.title else None),
        "source": _meta(soup, "og:site_name"),
        "url": _canonical_url(soup) or _meta(soup, "og:url"),
        "published": _html_published(soup),
    }
    for tag in soup.find_all(HTML_DROP_TAGS):
        tag.decompose()
    articles = soup.find_all("article")
    root = (max(articles, key=lambda tag: len(tag.get_text())) if articles
            else soup.find("main") or soup.body or soup)
    text = _html_text(root)
    if not text:
        raise ArticleUnreadable(file, "no article text in the HTML page")
    if not metadata["title"]:
        heading = root.find("h1")
        metadata["title"] = heading.get_text(" ", strip=True) if heading else None
    found = {name: value for name, value in metadata.items() if value}
    return Article(id=file.name, text=text, path=str(file), **{**defaults, **found})


def _meta(soup, name: str) -> str | None:
    """Content of a <meta property=...> or <meta name=...> tag."""
    tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
    content = tag.get("content", "").strip() if tag else ""
    return content or None


def _canonical_url(soup) -> str | None:
    """The href of <link rel="canonical">."""
    for link in soup.find_all("link", href=True):
        if "canonical" in (link.get("rel") or []):
            return link["href"].strip() or None
    return None


def _html_published(soup) -> dt.date | None:
    """The publication date from meta tags or the first <time datetime>; None if unreadable."""
    candidates = [_meta(soup, name) for name in
                  ("article:published_time", "og:published_time", "datePublished", "date", "pubdate")]
    item = soup.find(attrs={"itemprop": "datePublished"})
    if item:
        candidates.append(item.get("content") or item.get("datetime"))
    time = soup.find("time", datetime=True)
    if time:
        candidates.append(time["datetime"])
    for candidate in candidates:
        try:
            day = parse_published(candidate)
        except ValueError:
            continue  # web pages carry all sorts of date formats; try the next source
        if day:
            return day
    return None


def _html_text(root) -> str:
    """Text of an HTML element, one paragraph per block element, spaces collapsed."""
    from bs4 import NavigableString

    for tag in root.find_all("br"):
        tag.replace_with(NavigableString("\n"))
    for tag in root.find_all(HTML_BLOCK_TAGS):
        tag.insert_before(NavigableString("\n\n"))
        tag.insert_after(NavigableString("\n\n"))
    text = root.get_text()
    lines = [re.sub(r"[^\S\n]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _fill_published(article: Article, published: dt.date | None) -> Article:
    """The article with a publication date from the caller's default or, last, its text."""
    if article.published is not None:
        return article
    return replace(article, published=published or published_from_text(article.text))
