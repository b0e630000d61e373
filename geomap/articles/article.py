"""Article, the error of an unreadable one, and the metadata fields every reader fills.

The one constructor of published dates is here (parse_published), and the limits the
readers keep to; reading.py reads files, webpage.py HTML pages, yamldata.py YAML.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, replace

from geomap.calendar import FULL_DATE_RE, date_from_full_match, published_from_text

CATALOGUE_NAMES = ("catalogue.yaml", "catalogue.yml")
TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
ARTICLE_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
# files a directory of articles often holds besides the articles
NOT_ARTICLE_STEMS = {"readme", "license", "licence", "notice", "changelog", "copying"}
METADATA_FIELDS = ("title", "published", "source", "url")
# a larger file is refused with a message rather than read into memory whole
MAX_ARTICLE_BYTES = 64 * 1024 * 1024
# one article's text: long news reports run to some 100,000 characters; a text forty times that
# is a book or a dump, refused in a line rather than processed for minutes (about 10 s a MiB)
MAX_ARTICLE_CHARS = 4 * 1024 * 1024
# YAML limits: front matter holds a few fields, a catalogue one entry per article
MAX_FRONT_MATTER_CHARS = 64 * 1024
MAX_CATALOGUE_BYTES = 4 * 1024 * 1024  # some 40,000 entries
MAX_YAML_DEPTH = 16
# JSON lines: an integer longer than any id or count an article record holds is refused
MAX_JSON_INT_DIGITS = 40
# the years calendar.FULL_DATE_RE reads ((?:1[89]|20)\d\d): a published date outside them is refused
FIRST_PUBLISHED = dt.date(1800, 1, 1)
LAST_PUBLISHED = dt.date(2099, 12, 31)

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


def parse_published(value: object) -> dt.date | None:
    """Return a date from a metadata value (date, datetime, ISO or written string); raise ValueError.

    The one constructor of published dates: impossible days (0000-00-00, 2020-02-30) and
    years outside FIRST_PUBLISHED..LAST_PUBLISHED are refused, so that date arithmetic on
    relative dates ("three years ago") cannot leave the calendar.
    """
    if value is None or value == "":
        return None
    day = None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        text = value.strip()[:100]
        iso = re.match(r"(\d{4})-(\d\d)-(\d\d)(?:$|[T ])", text)
        if iso:
            try:
                day = dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
            except ValueError:
                raise ValueError(f"{text[:10]} is not a day of the calendar") from None
        elif match := FULL_DATE_RE.fullmatch(text):
            day = date_from_full_match(match)
    if day is None:
        raise ValueError(f"cannot read {shown(value)} as a date (use YYYY-MM-DD)")
    if not FIRST_PUBLISHED <= day <= LAST_PUBLISHED:
        raise ValueError(f"{day.isoformat()} is outside the years geomap reads "
                         f"({FIRST_PUBLISHED.year}-{LAST_PUBLISHED.year})")
    return day


def shown(value: object, limit: int = 60) -> str:
    """A value as quoted in an error message, cut short."""
    # never repr() a number: a 5,000-digit integer cannot even be turned into text
    text = repr(value) if isinstance(value, str) else f"the {type(value).__name__} value"
    return text if len(text) <= limit else text[:limit - 3] + "..."



def check_length(file: str | os.PathLike, text: str, line: int | None = None) -> str:
    """Return the text of one article, or raise ArticleUnreadable when it is over MAX_ARTICLE_CHARS."""
    if len(text) > MAX_ARTICLE_CHARS:
        raise ArticleUnreadable(file, f"an article of {len(text) / 2**20:,.1f} Mi characters is "
                                      f"longer than the {MAX_ARTICLE_CHARS // 2**20} Mi geomap "
                                      "reads as one article; split it", line)
    return text


class BadField(ValueError):
    """A metadata field that cannot be read; `field` names it."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field = field


def read_metadata(fields: dict) -> dict:
    """The known metadata fields of a mapping, published parsed, empty values dropped; raise BadField."""
    found = {}
    for name in METADATA_FIELDS:
        value = fields.get(name)
        if value is None or value == "":
            continue
        if isinstance(value, (dict, list)):
            raise BadField(name, f"must be text, not a {'list' if isinstance(value, list) else 'mapping'}")
        if isinstance(value, str) and SURROGATE_RE.search(value):
            raise BadField(name, LONE_SURROGATE)
        try:
            found[name] = parse_published(value) if name == "published" else str(value).strip()
        except ValueError as error:
            raise BadField(name, str(error)) from None
    return found


SURROGATE_RE = re.compile("[\ud800-\udfff]")
LONE_SURROGATE = "holds a lone surrogate (an escape such as \\ud800 that is no character); no UTF-8 file can hold it"


def with_published(article: Article, published: dt.date | None) -> Article:
    """The article with a publication date from the caller's default or, last, its text."""
    if article.published is not None:
        return article
    return replace(article, published=published or published_from_text(article.text))
