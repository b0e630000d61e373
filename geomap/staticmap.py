"""The incidents as a static image: a PNG for slides and an A4 PDF, drawn with matplotlib's Agg backend.

Same event-type colours and shapes as the interactive map (webmap.EVENT_TYPES), over the
gazetteer's country polygons; the Agg canvas is used directly, so no pyplot state and no
backend switch for the caller.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import matplotlib.patheffects as pe
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from geomap.output import atomic_target
from geomap.webmap import CREDITS, EVENT_TYPES, HISTORICAL_COLOUR, _flag, _points, _text, event_style

__all__ = ["SLIDE_SIZE", "A4_LANDSCAPE", "write_static_map"]

SLIDE_SIZE = (16.0, 10.0)  # inches at 100 dpi: 1600 x 1000 px
SLIDE_DPI = 100
A4_LANDSCAPE = (297 / 25.4, 210 / 25.4)  # ISO 216 A4, 297 x 210 mm, in inches
MAX_LABELS = 20  # the most-reported locations get a name on the map
MIN_LABELLED_AREA = 0.002  # a country is named when it covers this share of the view
SEA, LAND, BORDER = "#cfe3ef", "#f4f1ea", "#8d8d8d"


def _extent(points: list[tuple[float, float]], aspect: float) -> tuple[float, float, float, float]:
    """(west, east, south, north) around the points, padded, with the figure's aspect ratio."""
    if not points:
        return -180.0, 180.0, -60.0, 85.0
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    mid_lat = (south + north) / 2
    stretch = 1 / max(math.cos(math.radians(mid_lat)), 0.2)  # degrees of longitude per degree shown
    height = max(north - south, 1.0) * 1.3
    width = max((east - west) * 1.2, 1.0)
    # widen whichever side is short so the frame has the axes' shape
    if width / stretch < height * aspect:
        width = height * aspect * stretch
    else:
        height = width / stretch / aspect
    cx, cy = (west + east) / 2, (south + north) / 2
    return cx - width / 2, cx + width / 2, max(cy - height / 2, -85.0), min(cy + height / 2, 85.0)


def _draw(fig: Figure, incidents, basemap, title: str, scale: float) -> None:
    ax = fig.add_axes((0.02, 0.08, 0.96, 0.82))
    ax.set_facecolor(SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    bbox = ax.get_position()
    aspect = (bbox.width * fig.get_figwidth()) / (bbox.height * fig.get_figheight())

    points = _points(incidents)
    historical = [_flag(v) for v in incidents["historical"]]
    current = [p for p, h in zip(points, historical) if p and not h]
    west, east, south, north = _extent(current or [p for p in points if p], aspect)
    mid_lat = (south + north) / 2

    if basemap is not None and len(basemap):
        frame = basemap.to_crs("EPSG:4326") if basemap.crs is not None else basemap
        frame = frame.cx[west:east, south:north]
        if len(frame):
            frame.plot(ax=ax, facecolor=LAND, edgecolor=BORDER, linewidth=0.6 * scale, zorder=1)
            if "name" in frame:
                _label_countries(ax, frame, (west, east, south, north), fig, scale)

    halo = [pe.withStroke(linewidth=2.5 * scale, foreground="white")]
    by_type: dict[str, list] = {}
    history: list = []
    for point, hist, event_type in zip(points, historical, incidents["event_type"]):
        if point is None:
            continue
        (history if hist else by_type.setdefault(_text(event_type), [])).append(point)
    handles = []
    for event_type, pts in sorted(
        by_type.items(),
        key=lambda kv: (list(EVENT_TYPES).index(kv[0]) if kv[0] in EVENT_TYPES else 99, kv[0]),
    ):
        style = event_style(event_type)
        ax.scatter(
            [p[1] for p in pts], [p[0] for p in pts], s=(120 if style.marker == "*" else 70) * scale**2, marker=style.marker,
            c=style.colour, edgecolors="white", linewidths=0.8 * scale, zorder=4,
        )  # fmt: skip
        handles.append(
            _handle(style.marker, style.colour, f"{event_type or 'Unknown'} ({len(pts):,})", scale)
        )
    if history:
        ax.scatter(
            [p[1] for p in history], [p[0] for p in history], s=55 * scale**2, marker="o",
            facecolors="none", edgecolors=HISTORICAL_COLOUR, linewidths=1.2 * scale, zorder=3,
        )  # fmt: skip
        handles.append(_handle("o", "none", f"historical ({len(history):,})", scale, edge=HISTORICAL_COLOUR))

    counts = Counter(
        (_text(loc), p)
        for loc, p, h in zip(incidents["location"], points, historical)
        if p and not h and _text(loc)
    )
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))[:MAX_LABELS]
    # places closer than a label's height share one label: "Ganja, Xankandi, Nagorno-Karabakh"
    near = (north - south) * 0.03
    groups: list[list[tuple[str, tuple[float, float]]]] = []
    for (location, point), _n in ranked:
        for group in groups:
            if abs(group[0][1][0] - point[0]) < near and abs(group[0][1][1] - point[1]) < near * 2:
                group.append((location, point))
                break
        else:
            groups.append([(location, point)])
    for group in groups:
        lat, lon = group[0][1]
        names = list(dict.fromkeys(name for name, _ in group))
        text = ", ".join(names[:3]) + (f" +{len(names) - 3}" if len(names) > 3 else "")
        right_side = lon > west + (east - west) * 0.75  # keep the label inside the frame
        ax.annotate(
            text, (lon, lat), xytext=((-6 if right_side else 6) * scale, 5 * scale),
            textcoords="offset points", ha="right" if right_side else "left",
            fontsize=9 * scale, zorder=5, path_effects=halo,
        )  # fmt: skip

    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    # the extent already has the axes' shape: let the box, not the limits, absorb rounding
    ax.set_aspect(1 / max(math.cos(math.radians(mid_lat)), 0.2), adjustable="box")
    if handles:
        legend = ax.legend(handles=handles, loc="lower left", fontsize=9 * scale, title="Event type",
                           title_fontsize=10 * scale, framealpha=0.92)  # fmt: skip
        legend.set_zorder(6)

    dates = sorted(
        _text(d) for d, p, h in zip(incidents["event_date"], points, historical) if p and not h and _text(d)
    )
    span = "no dates" if not dates else dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"
    fig.suptitle(title, x=0.02, y=0.975, ha="left", fontsize=16 * scale, fontweight="bold")
    fig.text(0.02, 0.915, f"{span} · {len(current):,} incidents", fontsize=11 * scale, color="#333")
    fig.text(0.02, 0.03, CREDITS + " | made with geomap", fontsize=8 * scale, color="#555")


def _label_countries(ax, frame, extent, fig: Figure, scale: float) -> None:
    """Name the countries big enough in view, largest first, skipping labels that would collide."""
    west, east, south, north = extent
    view_area = (east - west) * (north - south)
    width_px = fig.get_figwidth() * fig.dpi
    char_w = (east - west) / width_px * 8 * scale * 0.62 * fig.dpi / 72  # degrees per character
    char_h = (north - south) / (fig.get_figheight() * fig.dpi) * 8 * scale * 1.4 * fig.dpi / 72
    taken: list[tuple[float, float, float, float]] = []
    shown = frame.assign(_area=[g.area for g in frame.geometry]).sort_values("_area", ascending=False)
    for name, geometry, area in zip(shown["name"], shown.geometry, shown["_area"]):
        if area < view_area * MIN_LABELLED_AREA:
            break
        point = geometry.representative_point()
        label = _text(name)
        half_w, half_h = len(label) * char_w / 2, char_h / 2
        box = (point.x - half_w, point.x + half_w, point.y - half_h, point.y + half_h)
        if not (west < box[0] and box[1] < east and south < box[2] and box[3] < north):
            continue
        if any(box[0] < b[1] and b[0] < box[1] and box[2] < b[3] and b[2] < box[3] for b in taken):
            continue
        taken.append(box)
        ax.annotate(label, (point.x, point.y), ha="center", va="center", zorder=2,
                    fontsize=8 * scale, color="#777", style="italic")


def _handle(marker: str, colour: str, label: str, scale: float, edge: str = "white") -> Line2D:
    return Line2D(
        [], [], linestyle="none", marker=marker, markersize=9 * scale, markerfacecolor=colour,
        markeredgecolor=edge, label=label,
    )  # fmt: skip


def _save(fig: Figure, path: Path, **kwargs) -> None:
    """Save whole or not at all: a temporary file beside the target, then a rename."""
    with atomic_target(path, suffix=path.suffix) as tmp:
        FigureCanvasAgg(fig).print_figure(tmp, **kwargs)


def write_static_map(
    incidents, path_png=None, path_pdf=None, *, basemap=None, title: str = "Incidents"
) -> list[Path]:
    """Draw the incidents as a 1600x1000 PNG and/or an A4 landscape PDF; return the paths written."""
    written = []
    if path_png is not None:
        fig = Figure(figsize=SLIDE_SIZE, dpi=SLIDE_DPI)
        _draw(fig, incidents, basemap, title, scale=1.25)
        _save(fig, Path(path_png), format="png", dpi=SLIDE_DPI, metadata={"Software": None})
        written.append(Path(path_png))
    if path_pdf is not None:
        fig = Figure(figsize=A4_LANDSCAPE)
        _draw(fig, incidents, basemap, title, scale=0.9)
        _save(fig, Path(path_pdf), format="pdf", metadata={"CreationDate": None, "Creator": "geomap"})
        written.append(Path(path_pdf))
    return written
