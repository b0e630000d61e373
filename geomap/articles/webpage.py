"""Reading an HTML page: its main text without page furniture, and its metadata."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from geomap.articles.article import (SURROGATE_RE, Article, ArticleUnreadable, check_length,
                                     parse_published)

# HTML elements that are page furniture rather than the article
HTML_DROP_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer",
                  "aside", "form", "iframe", "svg", "button")
HTML_BLOCK_TAGS = ("p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5",
                   "h6", "li", "ul", "ol", "blockquote", "pre", "figure", "figcaption",
                   "table", "tr", "dl", "dt", "dd", "address", "hr")


# a decimal character reference longer than any code point: Python refuses to convert one of
# 4,301 digits, so it becomes U+FFFD (what HTML makes of any out-of-range reference) first
_LONG_CHARREF = re.compile(rb"&#0*+[0-9]{8,}")


def read_html(file: Path, raw: bytes, defaults: dict) -> Article:
    """The article of an HTML page: the main text without page furniture, and its meta tags."""
    from bs4 import BeautifulSoup  # imported here: bs4 is slow to import

    try:
        soup = BeautifulSoup(_LONG_CHARREF.sub(b"&#65533", raw), "html.parser")
    except (ValueError, RecursionError) as error:  # what a hostile page can still make the parser raise
        raise ArticleUnreadable(file, f"cannot parse the HTML: {str(error)[:80]}") from None
    metadata = {
        "title": _meta(soup, "og:title") or (soup.title.get_text(" ", strip=True) if soup.title else None),
        "source": _meta(soup, "og:site_name"),
        "url": _canonical_url(soup) or _meta(soup, "og:url"),
        "published": _html_published(soup),
    }
    parts = _html_parts(soup)
    root = (max(parts.articles, key=lambda pair: pair[1])[0] if parts.articles
            else parts.main or parts.body or soup)
    text = _html_text(root)
    if not text:
        raise ArticleUnreadable(file, "no article text in the HTML page")
    if not metadata["title"]:
        heading = _first_h1(root)
        metadata["title"] = " ".join(s.strip() for s in _html_strings(heading) if s.strip()) \
            if heading else None
    found = {name: SURROGATE_RE.sub("\ufffd", value) if isinstance(value, str) else value
             for name, value in metadata.items() if value}
    return Article(id=file.name, text=check_length(file, SURROGATE_RE.sub("\ufffd", text)), path=str(file),
                   **{**defaults, **found})


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


# The page is walked without changing it and without recursion, each node once: removing or
# inserting nodes in bs4 looks the node up among its siblings (quadratic for a page of many
# paragraphs), and measuring each nested <article> re-reads its descendants (quadratic too).

@dataclass
class _HtmlParts:
    """Where a page's text may be: each <article> with its text length, the first <main>, <body>."""

    articles: list
    main: object = None
    body: object = None


def _html_walk(root) -> Iterator[tuple[str, object]]:
    """Yield ("open", tag), ("text", string) and ("close", tag) in document order below root,
    page furniture (HTML_DROP_TAGS) left out; only text nodes get_text() would read."""
    from bs4 import CData, NavigableString, Tag

    stack = [(None, iter(root.contents))]
    while stack:
        tag, children = stack[-1]
        for node in children:
            if isinstance(node, Tag):
                if node.name in HTML_DROP_TAGS:
                    continue
                yield "open", node
                if node.name == "br":  # a line break, whatever the parser hung below it
                    continue
                stack.append((node, iter(node.contents)))
                break
            if type(node) in (NavigableString, CData):  # not comments, doctypes, scripts
                yield "text", node
        else:
            stack.pop()
            if tag is not None:
                yield "close", tag


def _html_parts(soup) -> _HtmlParts:
    parts = _HtmlParts(articles=[])
    total = 0  # characters of text so far
    opened: dict[int, tuple[int, int]] = {}  # id of an open <article> -> (its index, total then)
    for event, node in _html_walk(soup):
        if event == "text":
            total += len(node)
        elif node.name == "article":
            if event == "open":
                # in the order they open, as find_all() lists them: max() keeps the first longest
                opened[id(node)] = (len(parts.articles), total)
                parts.articles.append([node, 0])
            else:
                index, before = opened.pop(id(node))
                parts.articles[index][1] = total - before
        elif event == "open" and node.name == "main" and parts.main is None:
            parts.main = node
        elif event == "open" and node.name == "body" and parts.body is None:
            parts.body = node
    return parts


def _html_text(root) -> str:
    """Text of an HTML element, one paragraph per block element, spaces collapsed."""
    pieces = []
    for event, node in _html_walk(root):
        if event == "text":
            pieces.append(node)
        elif node.name == "br":
            pieces.append("\n")
        elif node.name in HTML_BLOCK_TAGS:
            pieces.append("\n\n")
    text = "".join(pieces)
    lines = [re.sub(r"[^\S\n]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _first_h1(root):
    """The first <h1> below root that is not page furniture, or None."""
    return next((node for event, node in _html_walk(root) if event == "open" and node.name == "h1"),
                None)


def _html_strings(tag) -> Iterator[str]:
    """The text nodes below a tag, page furniture left out."""
    return (node for event, node in _html_walk(tag) if event == "text")

