"""The data a map page carries: incidents, places, regions and the basemap as compact JSON.

Incident data goes into the page once (gzipped when large); the page's own script
(geomap/data/webmap.js) turns it into clustered markers and builds popups from it on click.
Every text from an article is HTML-escaped here, before it reaches the page.
"""

from __future__ import annotations

import base64
import gzip
import html
import json
import re
from dataclasses import dataclass

from geomap.basemap import Theatre, main_theatre
from geomap.frame import COLUMNS, as_flag, as_int, as_text, as_texts, frame_points
from geomap.incidents.taxonomy import ACLED_TYPES
from geomap.style import (
    CREDITS,
    EVENT_STYLES,
    GEO_PRECISION,
    HISTORICAL_COLOUR,
    OTHER_EVENT,
    TIME_PRECISION,
    EventStyle,
    distinct_labels,
    icon_svg,
    place_label,
)

__all__ = [
    "COMPRESS_ABOVE",
    "ROW_FIELDS",
    "ROW_INDEX",
    "Payload",
    "data_block",
    "incident_payload",
    "places_rows",
    "region_counts",
    "shapes_geojson",
    "unplaced_incidents",
]

# Fields of one incident row in the page's JSON ("r"), in order. Text fields hold an index
# into the string table "s"; "place" indexes "p" and "article" indexes "a".
ROW_FIELDS = [
    "place", "type", "date", "end_date", "time_precision", "geo_precision", "historical",
    "fatalities", "fatalities_qualifier", "fatalities_parts", "sub_event_type", "actor1",
    "actor2", "notes", "source_sentence", "article", "event_id_cnty", "place_label",
]  # fmt: skip
# each field's position in a row, as the page's script reads it
ROW_INDEX = {name: i for i, name in enumerate(ROW_FIELDS)}
_TEXT_FIELDS = ROW_FIELDS[8:15] + ["end_date", "event_id_cnty"]
# a place of "p" is [lat, lon, location, admin1, country, place_kind, label]: its label is
# how the articles wrote it (the most common spelling), with the gazetteer's name when it differs
_PLACE_FIELDS = ["location", "admin1", "country", "place_kind", "country_code"]
_ARTICLE_FIELDS = ["title", "published", "url", "source", "article"]  # _article_html's arguments


# Above this size the page carries the JSON gzipped (base64), which the browser unpacks with
# DecompressionStream: 100,000 incidents quote 100,000 sentences. Smaller maps stay readable.
COMPRESS_ABOVE = 2_000_000


def _script_json(value) -> str:
    """JSON safe inside a <script> element: no '<', so no '</script>' and no '<!--'."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def data_block(data: dict) -> str:
    """The map's data as a <script> block: JSON, or gzipped JSON in base64 when it is large."""
    text = _script_json(data)
    if len(text) <= COMPRESS_ABOVE:
        return f'<script type="application/json" id="gm-data">{text}</script>'
    packed = gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)
    text = base64.b64encode(packed).decode("ascii")
    return f'<script type="application/gzip+base64" id="gm-data">{text}</script>'


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


@dataclass
class Payload:
    """The page's data and what the layers, legend and title need to know of it."""

    data: dict
    types: list[EventStyle]  # the styles "t" lists, every event type first, then unknown ones
    counts: dict  # layer key (a type's index, or "h" for historical) -> number of incidents
    dates: list[str]  # distinct dates of current (non-historical) incidents
    theatre: Theatre | None  # where the current incidents are (all incidents when only history)
    unplaced: list[dict]  # incidents the text gave no place for: listed beside the map, not drawn

    @property
    def bounds(self) -> list[list[float]] | None:
        return self.theatre.bounds if self.theatre else None


def incident_payload(incidents) -> Payload:
    """The incidents as the page's data: rows of numbers into tables of places, articles, strings."""
    missing = [c for c in COLUMNS if c not in incidents.columns]
    if missing:
        raise ValueError(f"incidents lack the columns {', '.join(missing)} (see geomap.frame.COLUMNS)")
    points = frame_points(incidents)
    placed = [i for i, pt in enumerate(points) if pt is not None]
    unplaced = unplaced_incidents(incidents, [i for i, pt in enumerate(points) if pt is None])
    everyone = len(placed) == len(points)

    def column(name: str, convert=None) -> list:
        values = incidents[name].tolist()
        if not everyone:
            values = [values[i] for i in placed]
        return [convert(v) for v in values] if convert else values

    text = {
        c: column(c, as_text)
        for c in _TEXT_FIELDS + _PLACE_FIELDS + _ARTICLE_FIELDS + ["event_type", "event_date", "location_text"]
    }
    text["place_label"] = [place_label(w, n, c) for w, n, c in
                           zip(text["location_text"], text["location"], text["country_code"])]
    lats = [round(points[i][0], 5) for i in placed]
    lons = [round(points[i][1], 5) for i in placed]
    historical = column("historical", as_flag)

    # ACLED's types always, so that each keeps its number; then the others as they appear
    styles = [s for name, s in EVENT_STYLES.items() if name in ACLED_TYPES]
    type_index = {s.name: i for i, s in enumerate(styles)}
    for name in dict.fromkeys(text["event_type"]):
        if name not in type_index:
            type_index[name] = len(styles)
            styles.append(
                EVENT_STYLES.get(name)
                or EventStyle(name or "Unknown", f"other{len(styles)}", OTHER_EVENT.colour, OTHER_EVENT.marker)
            )
    types = [type_index[t] for t in text["event_type"]]
    dates = sorted(set(text["event_date"]))
    date_index = {d: i for i, d in enumerate(dates)}

    strings = _Strings()
    places = _Index()
    articles = _Index()
    place_of = places.of(zip(lats, lons, *(text[c] for c in _PLACE_FIELDS)))
    columns = {
        "place": place_of,
        "type": types,
        "date": [date_index[d] for d in text["event_date"]],
        "time_precision": column("time_precision", lambda v: as_int(v) or 0),
        "geo_precision": column("geo_precision", lambda v: as_int(v) or 0),
        "historical": [int(h) for h in historical],
        "fatalities": column("fatalities", as_int),
        "article": articles.of(zip(*(text[c] for c in _ARTICLE_FIELDS))),
        **{f: strings.of(text[f]) for f in _TEXT_FIELDS + ["place_label"]},
    }
    rows = [list(row) for row in zip(*(columns[f] for f in ROW_FIELDS))]

    counts: dict = {}
    for t, h in zip(types, historical):
        key = "h" if h else t
        counts[key] = counts.get(key, 0) + 1
    current = [i for i, h in enumerate(historical) if not h] or range(len(historical))  # only history: that
    theatre = main_theatre([(lats[i], lons[i]) for i in current])
    current_dates = sorted({text["event_date"][i] for i, h in enumerate(historical) if not h})
    # each place's label: the spelling most of its incidents use
    spellings: dict[int, dict[str, int]] = {}
    for place, label in zip(place_of, text["place_label"]):
        counts_here = spellings.setdefault(place, {})
        counts_here[label] = counts_here.get(label, 0) + 1
    labels = distinct_labels([max(sorted(spellings[i]), key=spellings[i].get) for i in range(len(places.keys))],
                             [k[3] or k[4] for k in places.keys])

    data = {
        "t": [
            [html.escape(s.name), s.slug, s.colour, icon_svg(s), icon_svg(s, colour=HISTORICAL_COLOUR)]
            for s in styles
        ],
        "d": dates,
        "p": [[k[0], k[1], *strings.of(k[2:6]), *strings.of([label])] for k, label in zip(places.keys, labels)],
        "a": [_article_html(*key) for key in articles.keys],
        "r": rows,
        "tp": [""] + [TIME_PRECISION[k] for k in (1, 2, 3)],
        "gp": [""] + [GEO_PRECISION[k] for k in (1, 2, 3)],
        "credits": CREDITS,
        # filled in last so that it holds every string the rows and places refer to
        "s": strings.items,
    }
    return Payload(data, styles, counts, current_dates, theatre, unplaced)


def unplaced_incidents(incidents, rows: list[int]) -> list[dict]:
    """The incidents at these rows as {date, type, written, title}: what the page lists of
    incidents it cannot draw (the text named no place the gazetteer knows)."""
    out = []
    for i in rows:
        record = incidents.iloc[i]
        out.append({name: as_text(record.get(column)) for name, column in
                    (("date", "event_date"), ("type", "event_type"), ("written", "location_text"),
                     ("title", "title"), ("article", "article"))})
    return sorted(out, key=lambda r: (r["date"], r["type"], r["written"]))


def places_rows(places) -> list[list]:
    """The places mentioned as [lat, lon, tooltip, mentions], the most mentioned first; the
    tooltip leads with the articles' spelling ("written") when the frame has one."""
    rows = []
    names, kinds, codes, written = (
        as_texts(places[c]) if c in places else [""] * len(places)
        for c in ("name", "kind", "country_code", "written")
    )
    mentions = places["mentions"].tolist() if "mentions" in places else [1] * len(places)
    for name, kind, code, spelling, count, pt in zip(names, kinds, codes, written, mentions, frame_points(places)):
        if pt is None:
            continue
        count = as_int(count) or 1
        about = ", ".join(p for p in (kind, code) if p)
        label = (
            f"<b>{html.escape(place_label(spelling, name, code))}</b>"
            + (f" ({html.escape(about)})" if about else "")
            + f"<br>{count} mention{'s' if count != 1 else ''}"
        )
        rows.append([round(pt[0], 5), round(pt[1], 5), label, count])
    # big circles first, so that small ones stay clickable on top
    rows.sort(key=lambda row: -row[3])
    return rows


def shapes_geojson(frame, properties: list[dict], tolerance: float, digits: int) -> dict:
    """A compact GeoJSON FeatureCollection of a frame's shapes: simplified, coordinates rounded."""
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


def region_counts(incidents, names: list[str]) -> list[int]:
    """Incidents placed at each region (by name) rather than at a town in it."""
    wanted = {n.casefold(): i for i, n in enumerate(names)}
    counts = [0] * len(names)
    for location, kind in zip(as_texts(incidents["location"]), as_texts(incidents["place_kind"])):
        i = wanted.get(location.casefold())
        if i is not None and kind != "city":
            counts[i] += 1
    return counts
