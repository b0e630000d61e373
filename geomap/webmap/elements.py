"""The folium (branca) elements of the page: the data and script, one per layer, the basemap.

Each layer's element only calls the page's script (geomap/data/webmap.js), which draws the
layer from the data once it is parsed. Article text never passes through Jinja: branca would
parse a rendered macro as a template once more.
"""

from __future__ import annotations

import json

import folium
from branca.element import Element, MacroElement
from folium.map import Layer
from folium.template import Template

from geomap.paths import DATA_DIR
from geomap.style import ADMIN1_LINE, BORDER, DISPUTED, LAND
from geomap.webmap.layers import LABEL_KINDS
from geomap.webmap.payload import ROW_INDEX, data_block

__all__ = ["PAGE_SCRIPT", "Basemap", "Incidents", "MapData", "Places", "Raw", "Ready", "Regions", "fix_ids"]

# Layers are created at once (the layer control needs them); they are filled once the data is
# parsed, which for gzipped data happens asynchronously. gm.ready() runs the queue.
PAGE_SCRIPT = (DATA_DIR / "webmap.js").read_text(encoding="utf-8").replace(
    "__ROW_FIELDS__", json.dumps(ROW_INDEX, separators=(",", ":"))).replace(
    "__LABEL_KINDS__", json.dumps(LABEL_KINDS))


class Raw(Element):
    """Markup put in the page as it is. branca would parse a rendered macro as a Jinja
    template once more, so article text such as "{{ x }}" would break the page."""

    def __init__(self, markup: str):
        super().__init__()
        self._markup = markup

    def render(self, **kwargs) -> str:
        return self._markup


class MapData(MacroElement):
    """The data block and the overlays (title, legend) in the body; the page's script."""

    def __init__(self, data: dict, overlay: str):
        super().__init__()
        self._name = "MapData"
        self.data, self.overlay = data, overlay

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        figure.html.add_child(Raw(data_block(self.data) + "\n" + self.overlay), name=self.get_name())
        figure.script.add_child(Raw(PAGE_SCRIPT), name=self.get_name())


class Incidents(MacroElement):
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


class Places(MacroElement):
    """Circles at the places mentioned, sized by mentions, added to the parent FeatureGroup."""

    _template = Template(
        "{% macro script(this, kwargs) %}gm.addPlaces({{ this._parent.get_name() }});{% endmacro %}"
    )


class Regions(MacroElement):
    """The regions' polygons, shaded by region-level incidents, added to the parent FeatureGroup."""

    _template = Template(
        "{% macro script(this, kwargs) %}gm.addRegions({{ this._parent.get_name() }});{% endmacro %}"
    )


class Basemap(Layer):
    """The offline basemap: land, the lines between first-level divisions and disputed areas drawn
    on one canvas in their own pane (simplified per zoom), and the names on it."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        gm.addBasemap({{ this._parent.get_name() }}, {{ this.get_name() }}, {{ this.style|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, name: str):
        super().__init__(name=name, overlay=False, control=True, show=True)
        self._name = "Basemap"
        # one static style per layer: a style function per feature would cost a call per shape
        self.style = {
            "land": {"color": BORDER, "weight": 0.7, "fillColor": LAND, "fillOpacity": 1},
            "admin1": {"color": ADMIN1_LINE, "weight": 0.8, "dashArray": "4 3", "fill": False},
            "disputed": {"color": DISPUTED, "weight": 1.2, "dashArray": "5 4", "fillColor": DISPUTED,
                         "fillOpacity": 0.12},
        }


class Ready(MacroElement):
    """The last script: fills the layers once the page's data is parsed."""

    _template = Template(
        "{% macro script(this, kwargs) %}gm.ready({{ this._parent.get_name() }});{% endmacro %}"
    )


def fix_ids(root: Element) -> None:
    """Number every element in order: folium's random ids would make each page differ."""
    counter = 0

    def walk(element: Element) -> None:
        nonlocal counter
        element._id = f"{counter:04d}"
        counter += 1
        for child in element._children.values():
            walk(child)

    walk(root)
