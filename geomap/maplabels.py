"""Names on the static map: the incident places as the articles wrote them, then the basemap's.

adjustText spreads the incident places' names apart (it moves labels off the markers and each
other, and draws a leader line when it moves one far); a name that still touches an earlier one
goes. Then countries, disputed areas, seas, towns and first-level divisions, each only where it
touches no earlier label, marker or box over the map (legend, inset, scale bar).
"""

from __future__ import annotations

import math
from collections import Counter

import matplotlib.patheffects as pe

from geomap.basemap import area_min_zoom, town_min_zoom, zoom_of
from geomap.frame import as_text
from geomap.style import LABEL_COLOURS, distinct_labels, place_label

__all__ = ["MAX_LABELS", "MAX_TOWNS", "TakenBoxes", "label_map", "web_zoom"]

MAX_LABELS = 20  # the most-reported incident places get a name on the map
MAX_TOWNS = 60  # town names tried on one map, the largest first


class TakenBoxes:
    """Boxes taken on the figure (display coordinates): labels, markers, legend, inset."""

    def __init__(self, renderer, pad: float):
        self.renderer, self.pad, self.boxes = renderer, pad, []

    def box(self, artist) -> tuple[float, float, float, float]:
        b = artist.get_window_extent(self.renderer)
        return b.x0 - self.pad, b.y0 - self.pad, b.x1 + self.pad, b.y1 + self.pad

    def free(self, box, within) -> bool:
        x0, y0, x1, y1 = box
        if within is not None and not (within.x0 <= x0 and x1 <= within.x1 and within.y0 <= y0 and y1 <= within.y1):
            return False
        return not any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in self.boxes)

    def take(self, box) -> None:
        self.boxes.append(box)


def _place(ax, boxes: TakenBoxes, text: str, x: float, y: float, offsets, **style) -> bool:
    """Put a label at the first offset (points) where it touches nothing taken; keep it there."""
    within = ax.get_window_extent(boxes.renderer)
    artist = ax.annotate(text, (x, y), xytext=(0, 0), textcoords="offset points", **style)
    for dx, dy, ha, va in offsets:
        artist.set_position((dx, dy))
        artist.set_ha(ha)
        artist.set_va(va)
        box = boxes.box(artist)
        if boxes.free(box, within):
            boxes.take(box)
            return True
    artist.remove()
    return False


def _incident_places(incidents, points, historical) -> list[tuple[str, tuple[float, float], int]]:
    """(label as the articles wrote it, point, current incidents) per place, the busiest first;
    places that share a label are told apart by their area (geomap.style.distinct_labels)."""
    counts: Counter = Counter()
    areas: dict = {}
    columns = [incidents[c].tolist() if c in incidents else [""] * len(incidents)
               for c in ("location_text", "location", "country_code", "admin1", "country")]
    for written, name, code, admin1, country, point, hist in zip(*columns, points, historical):
        if point is None or hist:
            continue
        label = place_label(as_text(written), as_text(name), as_text(code))
        if label:
            counts[(label, point)] += 1
            areas.setdefault((label, point), as_text(admin1) or as_text(country))
    keys = list(counts)
    labels = distinct_labels([label for label, _ in keys], [areas[k] for k in keys])
    ranked = sorted(zip(labels, keys), key=lambda lk: (-counts[lk[1]], lk[0]))
    return [(label, key[1], counts[key]) for label, key in ranked]


def web_zoom(ax, fig, extent, scale: float) -> float:
    """The web map's zoom that shows as much as the frame (at the figure's type size)."""
    width = ax.get_position().width * fig.get_figwidth() * 96 / scale  # CSS pixels at scale 1
    return zoom_of(extent[1] - extent[0], width)


def label_map(ax, fig, boxes: TakenBoxes, incidents, points, historical, marker_sets, layers, extent, scale) -> None:
    """Name the incident places, then what the basemap has room for, each where it touches nothing taken."""
    from adjustText import adjust_text

    west, east, south, north = extent
    halo = [pe.withStroke(linewidth=2.5 * scale, foreground="white")]
    size = 9 * scale
    places = [p for p in _incident_places(incidents, points, historical)
              if west <= p[1][1] <= east and south <= p[1][0] <= north][:MAX_LABELS]
    texts = [ax.text(point[1], point[0], label, fontsize=size, fontweight="bold", zorder=8, path_effects=halo,
                     color=LABEL_COLOURS["incident"], ha="left", va="bottom") for label, point, _ in places]
    if texts:
        # adjustText moves the labels off the markers and one another; a leader line shows where
        # a moved label belongs
        xs = [x for c in marker_sets for x, _ in c.get_offsets()]
        ys = [y for c in marker_sets for _, y in c.get_offsets()]
        adjust_text(texts, x=xs, y=ys, ax=ax, expand=(1.1, 1.3), time_lim=2,
                    arrowprops={"arrowstyle": "-", "color": "#555", "lw": 0.6 * scale})
    within = ax.get_window_extent(boxes.renderer)
    dropped = []
    for text in texts:  # most reported first: a label that still touches an earlier one goes
        box = boxes.box(text)
        if boxes.free(box, within):
            boxes.take(box)
        else:
            dropped.append(text)
            text.remove()
    for patch in list(ax.patches):  # and the leader lines adjustText drew to those
        if any(getattr(patch, "patchA", None) is text for text in dropped):
            patch.remove()
    for collection in marker_sets:  # the markers themselves: no basemap name on them
        for (x, y) in ax.transData.transform(collection.get_offsets()):
            r = 6 * scale * fig.dpi / 72
            boxes.take((x - r, y - r, x + r, y + r))
    if layers is None:
        return
    zoom = web_zoom(ax, fig, extent, scale)
    centred = [(0, 0, "center", "center")]

    def inside(lat, lon) -> bool:
        return west <= lon <= east and south <= lat <= north

    countries = layers.countries.sort_values("label_radius", ascending=False)
    anchors = list(zip(countries["name"], countries["label_lat"], countries["label_lon"], countries["label_radius"]))
    # a country whose own label point lies outside the frame is named at one of its divisions'
    # points, largest first: a frame over one corner of a large country still names it
    outside = {name for name, lat, lon, _ in anchors if not inside(lat, lon)}
    admin1 = layers.admin1.sort_values("label_radius", ascending=False)
    names = dict(zip(countries["iso2"], countries["name"]))
    anchors += [(names[code], lat, lon, radius) for code, lat, lon, radius in zip(
        admin1["country_code"], admin1["label_lat"], admin1["label_lon"], admin1["label_radius"])
        if names.get(code) in outside]
    named = {t.get_text() for t in texts if t not in dropped}  # an incident label may name a country
    for name, lat, lon, radius in anchors:
        if name not in named and inside(lat, lon) and area_min_zoom(radius, name, 2) <= zoom + 1 and _place(
                ax, boxes, name.upper(), lon, lat, centred, fontsize=8.5 * scale, color=LABEL_COLOURS["country"],
                fontweight="bold", zorder=5, path_effects=halo):  # fmt: skip
            named.add(name)
    for name, lat, lon, radius in zip(layers.disputed["name"], layers.disputed["label_lat"],
                                      layers.disputed["label_lon"], layers.disputed["label_radius"]):
        if inside(lat, lon) and area_min_zoom(radius, name, 4) <= zoom + 1:
            _place(ax, boxes, name, lon, lat, centred, fontsize=8 * scale, color=LABEL_COLOURS["disputed"],
                   style="italic", fontweight="bold", zorder=5, path_effects=halo)  # fmt: skip
    seas_named: dict[str, float] = {}  # a sea's name once within half the frame's width (two anchors)
    for sea in layers.seas:
        if (inside(sea.lat, sea.lon) and {1: 1, 2: 3}.get(sea.rank, 5) <= zoom + 1
                and abs(seas_named.get(sea.name, math.inf) - sea.lon) >= (east - west) / 2
                and _place(ax, boxes, sea.name, sea.lon, sea.lat, centred, fontsize=8.5 * scale,
                           color=LABEL_COLOURS["sea"], style="italic", zorder=5)):  # fmt: skip
            seas_named[sea.name] = sea.lon
    gap = 4 * scale
    around = [(gap, 0, "left", "center"), (-gap, 0, "right", "center"), (0, gap, "center", "bottom"),
              (0, -gap, "center", "top")]
    tried = 0
    for town in sorted(layers.towns, key=lambda t: (not t.capital, -t.population, t.name)):
        if tried >= MAX_TOWNS:
            break
        if not inside(town.lat, town.lon) or town_min_zoom(town.population, town.capital) > zoom + 1:
            continue
        tried += 1
        capital = town.capital
        if _place(ax, boxes, town.name, town.lon, town.lat, around, fontsize=(8 if capital else 7.5) * scale,
                  color=LABEL_COLOURS["capital" if capital else "town"], zorder=5, path_effects=halo,
                  fontweight="bold" if capital else "normal"):  # fmt: skip
            ax.scatter([town.lon], [town.lat], s=(14 if capital else 8) * scale**2, marker="s" if capital else "o",
                       c="#333", edgecolors="white", linewidths=0.5, zorder=4.5)  # fmt: skip
    admin1 = layers.admin1
    for name, lat, lon, radius in zip(admin1["name"], admin1["label_lat"], admin1["label_lon"], admin1["label_radius"]):
        if inside(lat, lon) and area_min_zoom(radius, name, 5) <= zoom:
            _place(ax, boxes, name, lon, lat, centred, fontsize=7 * scale, color=LABEL_COLOURS["admin1"],
                   style="italic", zorder=5)  # fmt: skip
