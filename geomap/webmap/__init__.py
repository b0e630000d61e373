"""The interactive incident map: a folium (Leaflet) page, self-contained and offline by default.

One `FeatureGroup` per layer (an event type each, historical incidents, places mentioned,
regions), an offline basemap drawn from the gazetteer (countries, the lines between first-level
divisions, disputed areas, and names of countries, divisions, seas and towns that never overlap)
in panes below the incidents, and `LayerControl` last. Leaflet and Leaflet.markercluster come from npm (package.json,
installed with `npm ci`) and are inlined; `online=True` links them from a CDN instead and adds
OpenStreetMap tiles.

Incident data goes into the page once, as compact JSON (gzipped when large) that the page's
own small script turns into clustered markers, one per place and layer, and builds popups
from on click: one folium `Marker` per incident costs minutes and hundreds of megabytes at
100,000 incidents. Every text from an article is HTML-escaped in Python before it reaches
the page, and never passes through Jinja.

    assets.py    the npm files and the page's CSS, inlined; the offline check
    payload.py   the data the page carries: incident rows and popup fields, places, regions
    layers.py    the basemap as the page carries it: geometry per zoom range, label candidates
    elements.py  the folium elements: data and script, one per layer, the basemap
    page.py      build_map, render_map, write_map: layers in order, title box and legend

Colours, shapes and wordings come from geomap.style, shared with the static map.
"""

from geomap.webmap.assets import ASSETS, AssetsMissing, NotSelfContained, assets_dir, find_remote_references
from geomap.webmap.page import build_map, render_map, write_map
from geomap.webmap.payload import ROW_FIELDS

__all__ = [
    "ASSETS",
    "ROW_FIELDS",
    "AssetsMissing",
    "NotSelfContained",
    "assets_dir",
    "build_map",
    "find_remote_references",
    "render_map",
    "write_map",
]
