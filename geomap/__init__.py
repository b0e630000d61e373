"""geomap: offline incident mapper.

The public API is re-exported here lazily, so that `import geomap` (and a cold
`geomap geocode`) does not pay for geopandas or folium until they are used.
"""

from __future__ import annotations

import importlib
import sys

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


def lazy_exports(package: str, exports: dict[str, str]):
    """Return (__getattr__, __dir__) for a package whose public names live in its modules
    (name -> module), each module imported when one of its names is first asked for (PEP 562):
    a command pays only for the modules it uses."""

    def __getattr__(name: str):
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)  # asked once
        return value

    def __dir__() -> list[str]:
        return sorted({*exports, *vars(sys.modules[package])})

    return __getattr__, __dir__


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
