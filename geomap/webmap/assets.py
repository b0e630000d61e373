"""What the page inlines, and the check that an offline page fetches nothing.

Leaflet and Leaflet.markercluster come from npm (package.json, installed with `npm ci`) and are
inlined, images included; `online=True` links them from a CDN instead. geomap's own CSS
(geomap/data/webmap.css) always goes inline.
"""

from __future__ import annotations

import base64
import json
import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from geomap.paths import DATA_DIR, assets_dir, project_root
from geomap.style import DISPUTED, LABEL_COLOURS, SEA

__all__ = [
    "ASSETS",
    "Asset",
    "AssetsMissing",
    "NotSelfContained",
    "PAGE_CSS",
    "asset_tags",
    "assets_dir",
    "find_remote_references",
]


class AssetsMissing(Exception):
    """The npm packages an offline map inlines are not installed."""


class NotSelfContained(Exception):
    """An offline map would still fetch something over the network."""


@dataclass(frozen=True)
class Asset:
    """One JS or CSS file from an npm package, pinned to the version package.json installs."""

    package: str
    version: str
    file: str

    @property
    def url(self) -> str:
        """The same file on the jsDelivr CDN, for online maps."""
        return f"https://cdn.jsdelivr.net/npm/{self.package}@{self.version}/{self.file}"


# The versions folium 0.20 links to; package.json pins the same (a test checks).
ASSETS: list[Asset] = [
    Asset("leaflet", "1.9.3", "dist/leaflet.css"),
    Asset("leaflet.markercluster", "1.1.0", "dist/MarkerCluster.css"),
    Asset("leaflet", "1.9.3", "dist/leaflet.js"),
    Asset("leaflet.markercluster", "1.1.0", "dist/leaflet.markercluster.js"),
]

# The page's own stylesheet, written for geomap; its colours that the static map shares come from geomap.style.
_CSS_COLOURS = {
    "__SEA__": SEA, "__DISPUTED__": DISPUTED, "__TOWN__": LABEL_COLOURS["town"],
    "__COUNTRY__": LABEL_COLOURS["country"], "__ADMIN1__": LABEL_COLOURS["admin1"], "__SEAL__": LABEL_COLOURS["sea"],
    "__DISPUTEDL__": LABEL_COLOURS["disputed"], "__CAPITAL__": LABEL_COLOURS["capital"],
    "__INCIDENT__": LABEL_COLOURS["incident"],
}


def _page_css() -> str:
    css = (DATA_DIR / "webmap.css").read_text(encoding="utf-8")
    for key, colour in _CSS_COLOURS.items():
        css = css.replace(key, colour)
    return css


PAGE_CSS = _page_css()


def _read_asset(asset: Asset) -> str:
    root = assets_dir()
    package_dir = root / asset.package
    hint = (
        f"run the set-up command `npm ci` in {project_root()} "
        "(or set GEOMAP_ASSETS to a node_modules folder)"
    )
    try:
        installed = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))["version"]
        if installed != asset.version:
            raise AssetsMissing(
                f"{root} has {asset.package} {installed}, geomap needs {asset.version}: {hint}"
            )
        text = (package_dir / asset.file).read_text(encoding="utf-8")
    except (OSError, KeyError, ValueError) as e:
        raise AssetsMissing(f"{asset.package} {asset.version} is not installed in {root}: {hint}") from e
    if asset.file.endswith(".css"):
        text = _inline_css_images(text, (package_dir / asset.file).parent)
    # an inline script ends at the first "</script", wherever it is
    return text.replace("</script", "<\\/script")


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _inline_css_images(css: str, folder: Path) -> str:
    """Replace relative url(...) images in a stylesheet with data: URIs."""

    def inline(m: re.Match) -> str:
        ref = m.group(1).strip("'\"")
        if ref.startswith(("#", "data:")) or not ref.endswith(".png"):
            return m.group(0)
        return f"url({_data_uri(folder / ref)})"

    return re.sub(r"url\(([^)]*)\)", inline, css)


def asset_tags(online: bool) -> str:
    """The <link>/<script> tags (online) or inline <style>/<script> blocks (offline), then the page's CSS."""
    tags = []
    for asset in ASSETS:
        css = asset.file.endswith(".css")
        if online:
            tags.append(
                f'<link rel="stylesheet" href="{asset.url}"/>'
                if css
                else f'<script src="{asset.url}"></script>'
            )
        else:
            body = _read_asset(asset)
            tags.append(f"<style>{body}</style>" if css else f"<script>{body}</script>")
    if not online:
        # Leaflet finds its default marker images from the stylesheet's URL, which an inlined
        # stylesheet does not have: hand it the images themselves.
        images = assets_dir() / "leaflet" / "dist" / "images"
        tags.append(
            "<script>L.Icon.Default.imagePath='';L.Icon.Default.mergeOptions("
            + json.dumps(
                {
                    "iconUrl": _data_uri(images / "marker-icon.png"),
                    "iconRetinaUrl": _data_uri(images / "marker-icon-2x.png"),
                    "shadowUrl": _data_uri(images / "marker-shadow.png"),
                }
            )
            + ");</script>"
        )
    tags.append(f"<style>{PAGE_CSS}</style>")
    return "\n".join(tags)


# --- the offline check -----------------------------------------------------------------------

# What may legitimately contain an http(s) address in an offline page: a link the reader
# clicks (an article's URL, Leaflet's credit), an XML namespace, or a comment line.
_ANCHOR_BEFORE = re.compile(r"""(?:<|\\u003c)a\s[^<>]{0,400}?href=\\?["']$""", re.IGNORECASE)
_COMMENT_LINE = re.compile(r"^\s*(?:\*|//|/\*)", re.MULTILINE)
# each starts with a literal, which keeps the scan of a large page fast
_PROTOCOL_RELATIVE = [
    re.compile(p)
    for p in (
        r"""src\s*=\s*\\?["']?//[\w.-]""",
        r"""href\s*=\s*\\?["']?//[\w.-]""",
        r"""url\(\s*["']?//[\w.-]""",
    )
]
_DATA_BLOCK = re.compile(r'(<script type="application/[\w+-]+" id="gm-data">).*?(</script>)', re.DOTALL)
# a comment or a tag; what lies between them is text content, except inside <script> and <style>
_MARKUP = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][\w:-]*)\b[^>]*>", re.DOTALL)
_RAW_TEXT_END = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in ("script", "style")}


def _text_spans(page: str) -> list[tuple[int, int]]:
    """(start, end) of the runs of text content outside <script> and <style>: what a browser
    shows (a title, a caption), never fetches."""
    spans, position = [], 0
    while (m := _MARKUP.search(page, position)) is not None:
        if m.start() > position:
            spans.append((position, m.start()))
        position = m.end()
        name = (m.group(2) or "").lower()
        if not m.group(1) and name in _RAW_TEXT_END:  # raw text runs to its end tag
            end = _RAW_TEXT_END[name].search(page, position)
            position = end.end() if end else len(page)
    if position < len(page):
        spans.append((position, len(page)))
    return spans


def find_remote_references(page: str) -> list[str]:
    """Return the places in a page that would make a browser fetch something over the network."""
    # the incident data is inert JSON text (escaped article text, quoted URLs included)
    page = _DATA_BLOCK.sub(r"\1\2", page, count=1)
    spans = _text_spans(page)
    starts = [start for start, _ in spans]
    found = []
    for m in re.finditer(r"[hH][tT][tT][pP][sS]?://", page):
        start = m.start()
        i = bisect_right(starts, start) - 1
        if i >= 0 and spans[i][0] <= start < spans[i][1]:
            continue  # shown as text
        if page.startswith("http://www.w3.org/", start):
            continue
        if _ANCHOR_BEFORE.search(page, max(0, start - 450), start):
            continue
        line_start = page.rfind("\n", max(0, start - 2000), start) + 1
        if _COMMENT_LINE.match(page, line_start, start):
            continue
        opened = page.rfind("/*", max(0, start - 2000), start)
        if opened != -1 and page.find("*/", opened, start) == -1:  # inside a block comment
            continue
        found.append(page[max(0, start - 40) : start + 80])
    for pattern in _PROTOCOL_RELATIVE:
        found += [page[max(0, m.start() - 40) : m.end() + 60] for m in pattern.finditer(page)]
    return found
