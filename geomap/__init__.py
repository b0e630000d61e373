"""geomap: offline incident mapper.

The public API is re-exported here lazily, so that `import geomap` (and a cold
`geomap geocode`) does not pay for geopandas or folium until they are used.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "Place": "geomap.gazetteer",
    "Gazetteer": "geomap.gazetteer",
    "GazetteerError": "geomap.gazetteer",
    "GazetteerMissing": "geomap.gazetteer",
    "GeocodeResult": "geomap.gazetteer",
    "build_gazetteer": "geomap.gazetteer",
    "import_geonames": "geomap.gazetteer",
    "normalize_name": "geomap.gazetteer",
    "GazetteerGeocoder": "geomap.geocoder",
    "read_articles": "geomap.articles",
    "Incident": "geomap.incidents",
    "extract_incidents": "geomap.incidents",
    "incidents_frame": "geomap.frame",
    "Mention": "geomap.toponyms",
    "geocode": "geomap.gazetteer",
    "find_places": "geomap.resolve",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'geomap' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
