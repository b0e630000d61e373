"""The interactive incident map: a folium (Leaflet) page, self-contained and offline by default.

One `FeatureGroup` per layer (an event type each, historical incidents, places mentioned,
regions), the gazetteer's country polygons as an offline basemap in a pane below everything
else, and `LayerControl` last. Leaflet and Leaflet.markercluster come from npm (package.json,
installed with `npm ci`) and are inlined; `online=True` links them from a CDN instead and adds
OpenStreetMap tiles.

Incident data goes into the page once, as compact JSON (gzipped when large) that the page's
own small script turns into clustered markers, one per place and layer, and builds popups
from on click: one folium `Marker` per incident costs minutes and hundreds of megabytes at
100,000 incidents. Every text from an article is HTML-escaped in Python before it reaches
the page, and never passes through Jinja.
"""

from __future__ import annotations

import base64
import gzip
import html
import json
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import folium
from branca.element import Element, MacroElement
from folium.map import Layer
from folium.template import Template

from geomap.frame import COLUMNS
from geomap.output import write_atomic

__all__ = [
    "ASSETS",
    "EVENT_TYPES",
    "build_map",
    "AssetsMissing",
    "EventStyle",
    "NotSelfContained",
    "event_style",
    "find_remote_references",
    "render_map",
    "write_map",
]


class AssetsMissing(Exception):
    """The npm packages an offline map inlines are not installed."""


class NotSelfContained(Exception):
    """An offline map would still fetch something over the network."""


# --- event types ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EventStyle:
    """How one event type is drawn: colour, shape, and the layer's short name."""

    name: str
    slug: str
    colour: str
    marker: str  # matplotlib marker code; SHAPES draws the same shape for the web


# ACLED Codebook 2023, event types. Colours after Okabe & Ito (2008), readable by colour-blind
# readers; shapes differ too, so the map survives greyscale printing.
EVENT_TYPES: dict[str, EventStyle] = {
    s.name: s
    for s in [
        EventStyle("Battles", "battles", "#d55e00", "X"),
        EventStyle("Explosions/Remote violence", "explosions", "#e69f00", "*"),
        EventStyle("Violence against civilians", "civilians", "#cc79a7", "^"),
        EventStyle("Protests", "protests", "#0072b2", "o"),
        EventStyle("Riots", "riots", "#56b4e9", "D"),
        EventStyle("Strategic developments", "strategic", "#009e73", "s"),
    ]
}
OTHER_EVENT = EventStyle("Other", "other", "#7f7f7f", "P")
HISTORICAL_COLOUR = "#6b6b6b"


def event_style(event_type: str) -> EventStyle:
    """Return the style of an event type; unknown types share OTHER_EVENT's."""
    return EVENT_TYPES.get(event_type, OTHER_EVENT)


def _star_path() -> str:
    points = []
    for k in range(10):
        r = 9.0 if k % 2 == 0 else 3.8
        a = math.pi / 2 + k * math.pi / 5
        points.append(f"{10 + r * math.cos(a):.1f} {10.5 - r * math.sin(a):.1f}")
    return "M" + " ".join(points) + "z"


# SVG (viewBox 0 0 20 20) of each matplotlib marker used above.
SHAPES: dict[str, str] = {
    "X": '<path d="M4.5 1.5 10 7 15.5 1.5 18.5 4.5 13 10 18.5 15.5 15.5 18.5 10 13 4.5 18.5 1.5 15.5 7 10 1.5 4.5z"/>',
    "*": f'<path d="{_star_path()}"/>',
    "^": '<path d="M10 1.5 18.8 17.5H1.2z"/>',
    "o": '<circle cx="10" cy="10" r="7.5"/>',
    "D": '<path d="M10 1 19 10 10 19 1 10z"/>',
    "s": '<rect x="3" y="3" width="14" height="14"/>',
    "P": '<path d="M7 2h6v5h5v6h-5v5H7v-5H2V7h5z"/>',
}


def _icon_svg(style: EventStyle, size: int = 18, colour: str | None = None) -> str:
    return (
        f'<svg width="{size}" height="{size}" viewBox="0 0 20 20" fill="{colour or style.colour}" '
        f'stroke="#fff" stroke-width="1.4" aria-hidden="true">{SHAPES[style.marker]}</svg>'
    )


# ACLED Codebook 2023, time_precision and geo_precision codes, as a reader would say them.
TIME_PRECISION = {1: "the day is known", 2: "within a week or a span", 3: "the month or vaguer"}
GEO_PRECISION = {
    1: "the place itself",
    2: "near the place, or part of a region",
    3: "a region's or country's centre",
}

# Credits shown on every map: the gazetteer's place names and boundaries.
CREDITS = "Places: GeoNames (CC BY 4.0) | Boundaries: Natural Earth (public domain)"

# --- assets ----------------------------------------------------------------------------------


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


def _project_root() -> Path:
    return Path(__file__).resolve().parent.parent


def assets_dir() -> Path:
    """Return the node_modules folder the offline assets are read from."""
    return Path(os.environ.get("GEOMAP_ASSETS") or _project_root() / "node_modules")


def _read_asset(asset: Asset) -> str:
    root = assets_dir()
    package_dir = root / asset.package
    hint = (
        f"run the set-up command `npm ci` in {_project_root()} "
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


def _asset_tags(online: bool) -> str:
    """The <link>/<script> tags (online) or inline <style>/<script> blocks (offline)."""
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
    tags.append(f"<style>{_CSS}</style>")
    return "\n".join(tags)


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


def find_remote_references(page: str) -> list[str]:
    """Return the places in a page that would make a browser fetch something over the network."""
    # the incident data is inert JSON text (escaped article text, quoted URLs included)
    page = _DATA_BLOCK.sub(r"\1\2", page, count=1)
    found = []
    for m in re.finditer(r"[hH][tT][tT][pP][sS]?://", page):
        start = m.start()
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


# --- the page's own CSS and script ------------------------------------------------------------

# geomap/data/webmap.css and webmap.js: written for geomap, shipped with the package
_DATA = Path(__file__).resolve().parent / "data"

_CSS = (_DATA / "webmap.css").read_text(encoding="utf-8")

# Fields of one incident row in the page's JSON ("r"), in order. Text fields hold an index
# into the string table "s"; "place" indexes "p" and "article" indexes "a".
ROW_FIELDS = [
    "place", "type", "date", "end_date", "time_precision", "geo_precision", "historical",
    "fatalities", "fatalities_qualifier", "fatalities_parts", "sub_event_type", "actor1",
    "actor2", "notes", "source_sentence", "article", "event_id_cnty",
]  # fmt: skip
_TEXT_FIELDS = ROW_FIELDS[8:15] + ["end_date", "event_id_cnty"]
_PLACE_FIELDS = ["location", "admin1", "country", "place_kind"]  # after lat, lon in "p"
_ARTICLE_FIELDS = ["title", "published", "url", "source", "article"]  # _article_html's arguments
_R = {name: i for i, name in enumerate(ROW_FIELDS)}

# Above this size the page carries the JSON gzipped (base64), which the browser unpacks with
# DecompressionStream: 100,000 incidents quote 100,000 sentences. Smaller maps stay readable.
COMPRESS_ABOVE = 2_000_000

# Layers are created at once (the layer control needs them); they are filled once the data is
# parsed, which for gzipped data happens asynchronously. gm.ready() runs the queue.
_SCRIPT = (_DATA / "webmap.js").read_text(encoding="utf-8").replace(
    "__ROW_FIELDS__", json.dumps(_R, separators=(",", ":")))

# --- folium elements -------------------------------------------------------------------------


def _script_json(value) -> str:
    """JSON safe inside a <script> element: no '<', so no '</script>' and no '<!--'."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _data_block(data: dict) -> str:
    """The map's data as a <script> block: JSON, or gzipped JSON in base64 when it is large."""
    text = _script_json(data)
    if len(text) <= COMPRESS_ABOVE:
        return f'<script type="application/json" id="gm-data">{text}</script>'
    packed = gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)
    text = base64.b64encode(packed).decode("ascii")
    return f'<script type="application/gzip+base64" id="gm-data">{text}</script>'


class _Raw(Element):
    """Markup put in the page as it is. branca would parse a rendered macro as a Jinja
    template once more, so article text such as "{{ x }}" would break the page."""

    def __init__(self, markup: str):
        super().__init__()
        self._markup = markup

    def render(self, **kwargs) -> str:
        return self._markup


class _MapData(MacroElement):
    """The data block and the overlays (title, legend) in the body; the page's script."""

    def __init__(self, data: dict, overlay: str):
        super().__init__()
        self._name = "MapData"
        self.data, self.overlay = data, overlay

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        figure.html.add_child(_Raw(_data_block(self.data) + "\n" + self.overlay), name=self.get_name())
        figure.script.add_child(_Raw(_SCRIPT), name=self.get_name())


class _Incidents(MacroElement):
    """Clustered markers of one layer's incidents, added to the parent FeatureGroup."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        gm.addIncidents({{ this.map.get_name() }}, {{ this._parent.get_name() }}, {{ this.key|tojson }}, {{ this.colour|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, map_: folium.Map, key: int | str, colour: str):
        super().__init__()
        self._name = "Incidents"
        self.map, self.key, self.colour = map_, key, colour


class _Places(MacroElement):
    _template = Template(
        "{% macro script(this, kwargs) %}gm.addPlaces({{ this._parent.get_name() }});{% endmacro %}"
    )


class _Regions(MacroElement):
    _template = Template(
        "{% macro script(this, kwargs) %}gm.addRegions({{ this._parent.get_name() }});{% endmacro %}"
    )


class _Basemap(Layer):
    """Country polygons drawn on a canvas in their own pane, with one static style for all."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson(null, {
            pane: "gm-basemap", interactive: false,
            renderer: L.canvas({pane: "gm-basemap", padding: 0.5}),
            style: {color: "#8d8d8d", weight: 0.7, fillColor: "#f4f1ea", fillOpacity: 1}
        });
        gm.addBasemap({{ this.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, name: str):
        super().__init__(name=name, overlay=False, control=True, show=True)
        self._name = "Basemap"


class _Ready(MacroElement):
    _template = Template(
        "{% macro script(this, kwargs) %}gm.ready({{ this._parent.get_name() }});{% endmacro %}"
    )


# --- data ----------------------------------------------------------------------------------


def _is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):
        return str(value) == "<NA>"  # pandas' NA (nullable integer columns) refuses bool()


def _text(value) -> str:
    if type(value) is str:
        return value.strip()
    if _is_missing(value):
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


def _texts(column) -> list[str]:
    """A column as text: dates as ISO dates, missing values as ""."""
    return [_text(v) for v in column.tolist()]


def _int(value) -> int | None:
    if _is_missing(value) or value == "":
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _flag(value) -> bool:
    if _is_missing(value):
        return False
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes", "t"}
    return bool(value)


class _Index:
    """Numbers distinct values in order of appearance; rows refer to them by number."""

    def __init__(self):
        self._numbers: dict = {}

    def of(self, values) -> list[int]:
        """The number of each value, numbering new values as they come."""
        numbers = self._numbers
        return [numbers.setdefault(v, len(numbers)) for v in values]

    @property
    def keys(self) -> list:
        return list(self._numbers)


class _Strings(_Index):
    """A table of distinct strings, HTML-escaped; "" is number 0."""

    def __init__(self):
        super().__init__()
        self._numbers[""] = 0

    @property
    def items(self) -> list[str]:
        return [html.escape(s) for s in self._numbers]


def _article_html(title: str, published: str, url: str, source: str, article: str) -> str:
    """The quoted article's credit line: linked title, publisher, date (all escaped)."""
    name = html.escape(title or article or "untitled article")
    if re.match(r"https?://", url, re.IGNORECASE):
        name = f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">{name}</a>'
    else:
        name = f"<cite>{name}</cite>"
    parts = [name] + [html.escape(p) for p in (source, published) if p]
    return "&mdash; " + ", ".join(parts)


def _points(frame) -> list[tuple[float, float] | None]:
    """(lat, lon) of each row from its geometry (a point), else its latitude/longitude columns."""
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    geometry = frame.geometry
    if not (geometry.dropna().geom_type == "Point").all():
        geometry = geometry.representative_point()
    xs, ys = geometry.x.tolist(), geometry.y.tolist()
    n = len(frame)
    lats = frame["latitude"].tolist() if "latitude" in frame else [None] * n
    lons = frame["longitude"].tolist() if "longitude" in frame else [None] * n
    points = []
    for x, y, lat, lon in zip(xs, ys, lats, lons):
        if x == x and y == y:  # not NaN: a point
            points.append((y, x))
        else:
            lat, lon = _number(lat), _number(lon)
            points.append((lat, lon) if lat is not None and lon is not None else None)
    return points


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None


@dataclass
class _Payload:
    data: dict
    types: list[EventStyle]
    counts: dict  # layer key -> number of incidents
    dates: list[str]  # distinct dates of current (non-historical) incidents
    bounds: list[list[float]] | None
    unplaced: int


def _incident_payload(incidents) -> _Payload:
    missing = [c for c in COLUMNS if c not in incidents.columns]
    if missing:
        raise ValueError(f"incidents lack the columns {', '.join(missing)} (see geomap.frame.COLUMNS)")
    points = _points(incidents)
    placed = [i for i, pt in enumerate(points) if pt is not None]
    unplaced = len(points) - len(placed)
    everyone = len(placed) == len(points)

    def column(name: str, convert=None) -> list:
        values = incidents[name].tolist()
        if not everyone:
            values = [values[i] for i in placed]
        return [convert(v) for v in values] if convert else values

    text = {
        c: column(c, _text)
        for c in _TEXT_FIELDS + _PLACE_FIELDS + _ARTICLE_FIELDS + ["event_type", "event_date"]
    }
    lats = [round(points[i][0], 5) for i in placed]
    lons = [round(points[i][1], 5) for i in placed]
    historical = column("historical", _flag)

    styles = list(EVENT_TYPES.values())
    type_index = {s.name: i for i, s in enumerate(styles)}
    for name in dict.fromkeys(text["event_type"]):
        if name not in type_index:
            type_index[name] = len(styles)
            styles.append(
                EventStyle(name or "Unknown", f"other{len(styles)}", OTHER_EVENT.colour, OTHER_EVENT.marker)
            )
    types = [type_index[t] for t in text["event_type"]]
    dates = sorted(set(text["event_date"]))
    date_index = {d: i for i, d in enumerate(dates)}

    strings = _Strings()
    places = _Index()
    articles = _Index()
    columns = {
        "place": places.of(zip(lats, lons, *(text[c] for c in _PLACE_FIELDS))),
        "type": types,
        "date": [date_index[d] for d in text["event_date"]],
        "time_precision": column("time_precision", lambda v: _int(v) or 0),
        "geo_precision": column("geo_precision", lambda v: _int(v) or 0),
        "historical": [int(h) for h in historical],
        "fatalities": column("fatalities", _int),
        "article": articles.of(zip(*(text[c] for c in _ARTICLE_FIELDS))),
        **{f: strings.of(text[f]) for f in _TEXT_FIELDS},
    }
    rows = [list(row) for row in zip(*(columns[f] for f in ROW_FIELDS))]

    counts: dict = {}
    for t, h in zip(types, historical):
        key = "h" if h else t
        counts[key] = counts.get(key, 0) + 1
    current = [i for i, h in enumerate(historical) if not h] or range(
        len(historical)
    )  # only history: fit that
    bounds = None
    if len(current):
        south, north = min(lats[i] for i in current), max(lats[i] for i in current)
        west, east = min(lons[i] for i in current), max(lons[i] for i in current)
        bounds = [[south, west], [north, east]]
    current_dates = sorted({text["event_date"][i] for i, h in enumerate(historical) if not h})

    data = {
        "t": [
            [html.escape(s.name), s.slug, s.colour, _icon_svg(s), _icon_svg(s, colour=HISTORICAL_COLOUR)]
            for s in styles
        ],
        "d": dates,
        "p": [[k[0], k[1], *strings.of(k[2:])] for k in places.keys],
        "a": [_article_html(*key) for key in articles.keys],
        "r": rows,
        "tp": [""] + [TIME_PRECISION[k] for k in (1, 2, 3)],
        "gp": [""] + [GEO_PRECISION[k] for k in (1, 2, 3)],
        "credits": CREDITS,
        # filled in last so that it holds every string the rows and places refer to
        "s": strings.items,
    }
    return _Payload(data, styles, counts, current_dates, bounds, unplaced)


def _places_rows(places) -> list[list]:
    rows = []
    names, kinds, codes = (
        _texts(places[c]) if c in places else [""] * len(places) for c in ("name", "kind", "country_code")
    )
    mentions = places["mentions"].tolist() if "mentions" in places else [1] * len(places)
    for name, kind, code, count, pt in zip(names, kinds, codes, mentions, _points(places)):
        if pt is None:
            continue
        count = _int(count) or 1
        about = ", ".join(p for p in (kind, code) if p)
        label = (
            f"<b>{html.escape(name)}</b>"
            + (f" ({html.escape(about)})" if about else "")
            + f"<br>{count} mention{'s' if count != 1 else ''}"
        )
        rows.append([round(pt[0], 5), round(pt[1], 5), label, count])
    # big circles first, so that small ones stay clickable on top
    rows.sort(key=lambda row: -row[3])
    return rows


def _geojson(frame, properties: list[dict], tolerance: float, digits: int) -> dict:
    """A compact GeoJSON FeatureCollection: simplified, coordinates rounded."""
    from shapely import set_precision

    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    features = []
    for geom, props in zip(frame.geometry, properties):
        if geom is None or geom.is_empty:
            continue
        if tolerance:
            geom = geom.simplify(tolerance, preserve_topology=True)
        geom = set_precision(geom, 10**-digits)
        if geom.is_empty:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": _round_geometry(geom.__geo_interface__, digits),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _round_geometry(g: dict, digits: int) -> dict:
    def rnd(c):
        if isinstance(c[0], (int, float)):
            return [round(float(c[0]), digits), round(float(c[1]), digits)]
        return [rnd(x) for x in c]

    return {"type": g["type"], "coordinates": rnd(g["coordinates"])}


def _region_counts(incidents, names: list[str]) -> list[int]:
    """Incidents placed at each region (by name) rather than at a town in it."""
    wanted = {n.casefold(): i for i, n in enumerate(names)}
    counts = [0] * len(names)
    for location, kind in zip(_texts(incidents["location"]), _texts(incidents["place_kind"])):
        i = wanted.get(location.casefold())
        if i is not None and kind != "city":
            counts[i] += 1
    return counts


# --- the map --------------------------------------------------------------------------------


def _layer_label(style: EventStyle, count: int, colour: str | None = None, name: str | None = None) -> str:
    icon = _icon_svg(style, 14, colour)
    return f'<span class="gm-lc">{icon}</span> {html.escape(name or style.name)} ({count:,})'


def _date_range(dates: list[str]) -> str:
    dates = [d for d in dates if d]
    if not dates:
        return "no dates"
    return dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"


def _overlay_html(title: str, payload: _Payload, with_places: bool, with_regions: bool) -> str:
    """The title box (with the time slider) and the legend."""
    current = sum(v for k, v in payload.counts.items() if k != "h")
    sub = f"{_date_range(payload.dates)} &middot; {current:,} incident{'s' if current != 1 else ''}"
    if payload.counts.get("h"):
        sub += f" (+{payload.counts['h']:,} historical)"
    if payload.unplaced:
        sub += f" &middot; {payload.unplaced:,} without a location, not shown"
    parts = [f'<div class="gm-box gm-title"><h1>{html.escape(title)}</h1><div class="gm-sub">{sub}</div>']
    if len(payload.dates) > 1:
        date_index = {d: i for i, d in enumerate(payload.data["d"])}
        lo, hi = date_index[payload.dates[0]], date_index[payload.dates[-1]]
        parts.append(
            f'<div class="gm-time"><label for="gm-slider">Time</label>'
            f'<input type="range" id="gm-slider" min="{lo}" max="{hi}" value="{hi}" step="1">'
            f'<span id="gm-slider-label">all dates</span></div>'
        )
    parts.append("</div>")
    legend = ['<div class="gm-box gm-legend"><h2>Event type</h2>']
    for i, style in enumerate(payload.types):
        if payload.counts.get(i):
            legend.append(f"<div>{_icon_svg(style, 16)} {html.escape(style.name)}</div>")
    if payload.counts.get("h"):
        legend.append(
            f"<div>{_icon_svg(OTHER_EVENT, 16, HISTORICAL_COLOUR)} historical (layer off at first)</div>"
        )
    if with_places:
        legend.append('<div><span class="gm-dot"></span> place mentioned (size: mentions)</div>')
    if with_regions:
        legend.append('<div><span class="gm-swatch"></span> region-level incidents</div>')
    legend.append("</div>")
    return "".join(parts + legend)


def _fix_ids(root: Element) -> None:
    """Number every element in order: folium's random ids would make each page differ."""
    counter = 0

    def walk(element: Element) -> None:
        nonlocal counter
        element._id = f"{counter:04d}"
        counter += 1
        for child in element._children.values():
            walk(child)

    walk(root)


def build_map(
    incidents,
    *,
    places=None,
    regions=None,
    basemap=None,
    title: str = "Incidents",
    online: bool = False,
) -> folium.Map:
    """Return the folium map of the incidents (render_map renders it)."""
    payload = _incident_payload(incidents)
    data = payload.data
    m = folium.Map(location=[20, 0], zoom_start=2, tiles=None, max_bounds=True, control_scale=True)
    # with tiles=None folium passes no zoom limits to Leaflet, and MarkerCluster needs a max zoom
    m.options.update(max_zoom=18, min_zoom=1)
    # JS and CSS come from _asset_tags, inline or from npm's CDN
    m.default_js, m.default_css = [], []
    root = m.get_root()
    root.title = html.escape(title)
    root.header.add_child(_Raw(_asset_tags(online)), name="geomap_assets")

    has_places, has_regions = places is not None and len(places) > 0, regions is not None and len(regions) > 0
    # first: its script defines what the layers' scripts call
    _MapData(data, _overlay_html(title, payload, has_places, has_regions)).add_to(m)
    # an opaque basemap below the tile pane (200) leaves every overlay visible
    folium.map.CustomPane("gm-basemap", z_index=150, pointer_events=False).add_to(m)
    if basemap is not None and len(basemap):
        data["bm"] = _geojson(basemap, [{} for _ in range(len(basemap))], tolerance=0.02, digits=2)
        _Basemap("Countries (offline basemap)").add_to(m)
    if online:
        folium.TileLayer(
            "OpenStreetMap", name="OpenStreetMap (online only)", overlay=False, show=False
        ).add_to(m)

    if has_regions:
        names = _texts(regions["name"])
        counts = _region_counts(incidents, names)
        props = [{"name": html.escape(n), "n": c} for n, c in zip(names, counts)]
        data["rg"] = _geojson(regions, props, tolerance=0.002, digits=4)
        shaded = sum(c > 0 for c in counts)
        label = f'<span class="gm-swatch"></span> Regions ({shaded} with region-level incidents)'
        folium.FeatureGroup(name=label).add_child(_Regions()).add_to(m)
    if has_places:
        data["pl"] = _places_rows(places)
        label = f'<span class="gm-dot"></span> Places mentioned ({len(data["pl"]):,})'
        folium.FeatureGroup(name=label).add_child(_Places()).add_to(m)
    for i, style in enumerate(payload.types):
        if payload.counts.get(i):
            group = folium.FeatureGroup(name=_layer_label(style, payload.counts[i]))
            group.add_child(_Incidents(m, i, style.colour)).add_to(m)
    if payload.counts.get("h"):
        label = _layer_label(OTHER_EVENT, payload.counts["h"], HISTORICAL_COLOUR, "Historical incidents")
        group = folium.FeatureGroup(name=label, show=False)
        group.add_child(_Incidents(m, "h", HISTORICAL_COLOUR)).add_to(m)

    if payload.bounds:
        m.fit_bounds(payload.bounds, padding=(40, 40), max_zoom=9)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    _Ready().add_to(m)
    _fix_ids(root)
    return m


def render_map(
    incidents,
    *,
    places=None,
    regions=None,
    basemap=None,
    title: str = "Incidents",
    online: bool = False,
) -> str:
    """Return the map page's HTML: self-contained unless online, byte-identical for the same input."""
    m = build_map(incidents, places=places, regions=regions, basemap=basemap, title=title, online=online)
    page = m.get_root().render()
    if not online:
        remote = find_remote_references(page)
        if remote:
            raise NotSelfContained(
                f"the offline map would fetch {len(remote)} thing(s) over the network, first: {remote[0]!r}"
            )
    return page


def write_map(path, html_text: str) -> Path:
    """Write the page whole or not at all (a temporary file beside it, then a rename); return the path."""
    return write_atomic(path, html_text)
