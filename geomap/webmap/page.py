"""The map page: layers in order, the title box and legend, rendering and writing the HTML.

One `FeatureGroup` per layer (an event type each, historical incidents, places mentioned,
regions), the offline basemap (geomap.basemap) in panes below the incidents, and `LayerControl`
last. The page opens on the main theatre (geomap.basemap.main_theatre); incidents the text gave
no place for are listed in the title box, not drawn.
"""

from __future__ import annotations

import html
from pathlib import Path

import folium

from geomap.files import write_atomic
from geomap.frame import as_int, as_text, as_texts
from geomap.basemap import Basemap as BasemapLayers
from geomap.basemap import as_basemap
from geomap.style import CROWDED_PLACES, HISTORICAL, PLACE_MENTIONED, EventStyle, icon_svg, place_label
from geomap.webmap.assets import NotSelfContained, asset_tags, find_remote_references
from geomap.webmap.elements import Basemap, Incidents, MapData, Places, Raw, Ready, Regions, fix_ids
from geomap.webmap.layers import article_names, basemap_data
from geomap.webmap.payload import Payload, incident_payload, places_rows, region_counts, shapes_geojson

__all__ = ["build_map", "render_map", "write_map"]


def _layer_label(style: EventStyle, count: int) -> str:
    icon = icon_svg(style, 14)
    return f'<span class="gm-lc">{icon}</span> {html.escape(style.name)} ({count:,})'


def _date_range(dates: list[str]) -> str:
    dates = [d for d in dates if d]
    if not dates:
        return "no dates"
    return dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"


def _unplaced_html(unplaced: list[dict]) -> str:
    """The incidents the map cannot draw, listed: date, type, the place as written, the article."""
    if not unplaced:
        return ""
    items = []
    for u in unplaced[:MAX_UNPLACED]:
        where = f"&ldquo;{html.escape(u['written'])}&rdquo; (not in the gazetteer)" if u["written"] else "no place named"
        source = html.escape(u["title"] or u["article"])
        items.append(f"<li>{html.escape(u['date'] or 'undated')} &middot; {html.escape(u['type'] or 'Unknown')}"
                     f" &middot; {where}{' &mdash; <cite>' + source + '</cite>' if source else ''}</li>")
    more = len(unplaced) - MAX_UNPLACED
    if more > 0:
        items.append(f"<li>and {more:,} more (see the GeoJSON or the PDF's table)</li>")
    n = len(unplaced)
    return (f'<details class="gm-unplaced"><summary>{n:,} incident{"s" if n != 1 else ""} without a place '
            f'on the map</summary><ol>{"".join(items)}</ol></details>')


# the page lists at most this many incidents it cannot draw (all are in the PDF's table)
MAX_UNPLACED = 200


def _overlay_html(title: str, payload: Payload, with_places: bool, with_regions: bool,
                  with_disputed: bool) -> str:
    """The title box (with the time slider and the incidents not drawn) and the legend."""
    current = sum(v for k, v in payload.counts.items() if k != "h")
    sub = f"{_date_range(payload.dates)} &middot; {current:,} incident{'s' if current != 1 else ''}"
    if payload.counts.get("h"):
        sub += f" (+{payload.counts['h']:,} historical)"
    if payload.unplaced:
        sub += f" &middot; {len(payload.unplaced):,} without a location, not shown"
    parts = [f'<div class="gm-box gm-title"><h1>{html.escape(title)}</h1><div class="gm-sub">{sub}</div>']
    if len(payload.dates) > 1:
        date_index = {d: i for i, d in enumerate(payload.data["d"])}
        lo, hi = date_index[payload.dates[0]], date_index[payload.dates[-1]]
        parts.append(
            f'<div class="gm-time"><label for="gm-slider">Time</label>'
            f'<input type="range" id="gm-slider" min="{lo}" max="{hi}" value="{hi}" step="1">'
            f'<span id="gm-slider-label">all dates</span></div>'
        )
    parts.append(_unplaced_html(payload.unplaced))
    parts.append("</div>")
    legend = ['<div class="gm-box gm-legend"><h2>Event type</h2>']
    for i, style in enumerate(payload.types):
        if payload.counts.get(i):
            legend.append(f"<div>{icon_svg(style, 16)} {html.escape(style.name)}</div>")
    if payload.counts.get("h"):
        legend.append(f"<div>{icon_svg(HISTORICAL, 16)} historical (layer off at first)</div>")
    if with_places:
        legend.append('<div><span class="gm-dot"></span> place mentioned (size: mentions)</div>')
    if with_regions:
        legend.append('<div><span class="gm-swatch"></span> region-level incidents</div>')
    if with_disputed:
        legend.append('<div><span class="gm-disputed"></span> disputed or breakaway area</div>')
    legend.append("</div>")
    return "".join(parts + legend)


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
    payload = incident_payload(incidents)
    data = payload.data
    m = folium.Map(location=[20, 0], zoom_start=2, tiles=None, max_bounds=True, control_scale=True,
                   zoom_snap=1)
    # with tiles=None folium passes no zoom limits to Leaflet, and MarkerCluster needs a max zoom
    m.options.update(max_zoom=18, min_zoom=1)
    # JS and CSS come from asset_tags, inline or from npm's CDN
    m.default_js, m.default_css = [], []
    root = m.get_root()
    root.title = html.escape(title)
    root.header.add_child(Raw(asset_tags(online)), name="geomap_assets")

    has_places, has_regions = places is not None and len(places) > 0, regions is not None and len(regions) > 0
    layers = as_basemap(basemap) if basemap is not None and len(_countries(basemap)) else None
    has_disputed = layers is not None and len(layers.disputed) > 0
    # first: its script defines what the layers' scripts call
    MapData(data, _overlay_html(title, payload, has_places, has_regions, has_disputed)).add_to(m)
    # an opaque basemap below the tile pane (200) leaves every overlay visible; places mentioned
    # above the regions' shading, then the basemap's names, all under the incident markers (600)
    folium.map.CustomPane("gm-basemap", z_index=150, pointer_events=False).add_to(m)
    folium.map.CustomPane("gm-places", z_index=420).add_to(m)
    folium.map.CustomPane("gm-labels", z_index=450, pointer_events=False).add_to(m)
    if layers is not None:
        named = article_names(incidents)
        if has_places and "geonames_id" in places:
            named = {**_place_names(places), **named}
        data["bm"] = basemap_data(layers, named)
        Basemap("Offline basemap").add_to(m)
    if online:
        folium.TileLayer(
            "OpenStreetMap", name="OpenStreetMap (online only)", overlay=False, show=False
        ).add_to(m)

    if has_regions:
        names = as_texts(regions["name"])
        counts = region_counts(incidents, names)
        props = [{"name": html.escape(n), "n": c} for n, c in zip(names, counts)]
        data["rg"] = shapes_geojson(regions, props, tolerance=0.002, digits=4)
        shaded = sum(c > 0 for c in counts)
        label = f'<span class="gm-swatch"></span> Regions ({shaded} with region-level incidents)'
        folium.FeatureGroup(name=label).add_child(Regions()).add_to(m)
    if has_places:
        data["pl"] = places_rows(places)
        data["plc"] = PLACE_MENTIONED
        label = f'<span class="gm-dot"></span> Places mentioned ({len(data["pl"]):,})'
        # off at first once there are more than a reader takes in beside the incidents
        shown = len(data["pl"]) <= CROWDED_PLACES
        folium.FeatureGroup(name=label, show=shown).add_child(Places()).add_to(m)
    for i, style in enumerate(payload.types):
        if payload.counts.get(i):
            group = folium.FeatureGroup(name=_layer_label(style, payload.counts[i]))
            group.add_child(Incidents(m, i, style.colour)).add_to(m)
    if payload.counts.get("h"):
        group = folium.FeatureGroup(name=_layer_label(HISTORICAL, payload.counts["h"]), show=False)
        group.add_child(Incidents(m, "h", HISTORICAL.colour)).add_to(m)

    if payload.bounds:
        # the main theatre, not every far-away report: the reader zooms out for those
        m.fit_bounds(payload.bounds, padding=(60, 60), max_zoom=8)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    Ready().add_to(m)
    fix_ids(root)
    return m


def _countries(basemap):
    return basemap.countries if isinstance(basemap, BasemapLayers) else basemap


def _place_names(places) -> dict[int, str]:
    """GeoNames id -> the articles' spelling of the places mentioned, where the frame has one."""
    out = {}
    columns = [places[c].tolist() if c in places else [""] * len(places)
               for c in ("geonames_id", "written", "name", "country_code")]
    for gid, written, name, code in zip(*columns):
        gid = as_int(gid)
        if gid is not None and as_text(written):
            out[gid] = place_label(as_text(written), as_text(name), as_text(code))
    return out


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
