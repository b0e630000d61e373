"""The incidents as a static image: the PNG for slides and the map on the briefing PDF's first page.

The frame is the main theatre (geomap.basemap.main_theatre), not every far-away report; when
incidents also fall outside it, a small overview inset locates the frame and shows them. Under
the incidents: the gazetteer's countries, the lines between first-level divisions, disputed and
breakaway areas hatched; over them the names geomap.maplabels places without overlaps.

Colours, shapes and credits come from geomap.style, as the interactive map's do. The Agg canvas
is used directly, so no pyplot state and no backend switch for the caller.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.patches import Patch, Rectangle
from matplotlib.path import Path as MarkerPath
from matplotlib.transforms import Affine2D

from geomap.basemap import Basemap, Theatre, as_basemap, main_theatre
from geomap.files import atomic_target
from geomap.frame import as_flag, as_text, frame_points
from geomap.maplabels import TakenBoxes, label_map, web_zoom
from geomap.style import (
    ADMIN1_LINE,
    BORDER,
    CREDITS,
    DISPUTED,
    EVENT_STYLES,
    GLYPHS,
    HISTORICAL_COLOUR,
    HISTORICAL_STATIC_MARKER,
    LAND,
    MARK_COLOUR,
    SEA,
    event_style,
)

__all__ = ["A4_LANDSCAPE", "SLIDE_SIZE", "draw_map", "frame_extent", "map_png", "write_static_map"]

SLIDE_SIZE = (16.0, 10.0)  # inches at 100 dpi: 1600 x 1000 px
SLIDE_DPI = 100
A4_LANDSCAPE = (297 / 25.4, 210 / 25.4)  # ISO 216 A4, 297 x 210 mm, in inches
MIN_SPAN = 3.0  # degrees of latitude a frame shows at least: a town and its surroundings
PAD = 0.25  # share of the theatre's size added around it


def _markers(code: str) -> tuple:
    """A style's shape as matplotlib markers: (its marker, None), or for a glyph (the outline,
    the mark), scaled alike (matplotlib scales a path marker to fill the marker's box)."""
    glyph = GLYPHS.get(code)
    if glyph is None:
        return code, None
    # the web icon's 20 x 20 box, y down, to matplotlib's y up around the outline's centre
    xs, ys = [x for x, _ in glyph.outline], [y for _, y in glyph.outline]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2

    def path(rings) -> MarkerPath:
        vertices, codes = [], []
        for ring in rings:
            vertices += [(x - cx, cy - y) for x, y in ring] + [(0.0, 0.0)]
            codes += [MarkerPath.MOVETO] + [MarkerPath.LINETO] * (len(ring) - 1) + [MarkerPath.CLOSEPOLY]
        return MarkerPath(vertices, codes)

    outline = path([glyph.outline])
    if not glyph.mark:
        return MarkerStyle(outline), None
    mark = path(glyph.mark)
    ratio = abs(mark.vertices).max() / abs(outline.vertices).max()
    return MarkerStyle(outline), MarkerStyle(mark, transform=Affine2D().scale(ratio))


def _stretch(lat: float) -> float:
    """Degrees of longitude per degree of latitude on the page at a latitude (plate carrée drawn
    with the aspect of that latitude: true shapes there)."""
    return 1 / max(math.cos(math.radians(lat)), 0.2)


def frame_extent(theatre: Theatre | None, aspect: float) -> tuple[float, float, float, float]:
    """(west, east, south, north) around the theatre, padded, at least MIN_SPAN tall, with the
    axes' aspect ratio (width / height on the page)."""
    if theatre is None:
        return -180.0, 180.0, -60.0, 85.0
    mid_lat = (theatre.south + theatre.north) / 2
    stretch = _stretch(mid_lat)
    height = max((theatre.north - theatre.south) * (1 + 2 * PAD), MIN_SPAN)
    width = max((theatre.east - theatre.west) * (1 + 2 * PAD), MIN_SPAN * stretch)
    # widen whichever side is short so the frame has the axes' shape
    if width / stretch < height * aspect:
        width = height * aspect * stretch
    else:
        height = width / stretch / aspect
    cx, cy = (theatre.west + theatre.east) / 2, mid_lat
    south, north = max(cy - height / 2, -85.0), min(cy + height / 2, 85.0)
    return max(cx - width / 2, -180.0), min(cx + width / 2, 180.0), south, north


# the first zoom at which the lines between first-level divisions are drawn, as on the web map
ADMIN1_ZOOM = 5


def _draw_basemap(ax, layers: Basemap, extent, scale: float, zoom: float) -> bool:
    """Draw the basemap's layers in view; return whether a disputed area is among them."""
    west, east, south, north = extent
    margin_x, margin_y = (east - west) * 0.1, (north - south) * 0.1
    view = (west - margin_x, east + margin_x, south - margin_y, north + margin_y)

    def clip(frame):
        if frame is None or not len(frame):
            return frame
        return frame.cx[view[0]:view[1], view[2]:view[3]]

    countries = clip(layers.countries)
    if countries is not None and len(countries):
        countries.plot(ax=ax, facecolor=LAND, edgecolor=BORDER, linewidth=0.6 * scale, zorder=1)
    lines = clip(layers.admin1_lines) if zoom >= ADMIN1_ZOOM else None
    if lines is not None and len(lines):
        lines.plot(ax=ax, color=ADMIN1_LINE, linewidth=0.5 * scale, linestyle=(0, (4, 3)), zorder=1.2)
    disputed = clip(layers.disputed)
    if disputed is not None and len(disputed):
        disputed.plot(ax=ax, facecolor="none", edgecolor=DISPUTED, hatch="////", linewidth=0.8 * scale,
                      linestyle=(0, (5, 4)), zorder=1.4, alpha=0.6)
        return True
    return False


def _scale_bar(ax, extent, scale: float):
    """A scale bar at the lower right (true at the frame's middle latitude); return its artists."""
    west, east, south, north = extent
    km_across = (east - west) * 111.32 * math.cos(math.radians((south + north) / 2))
    target = km_across / 5
    magnitude = 10 ** math.floor(math.log10(target))
    length = max(m * magnitude for m in (1, 2, 5) if m * magnitude <= target)
    share = length / km_across
    x1, y = 0.975, 0.035
    x0 = x1 - share
    artists = [
        ax.add_patch(Rectangle((x0 - 0.006, y - 0.018), share + 0.012, 0.062, transform=ax.transAxes,
                               facecolor="white", alpha=0.85, edgecolor="none", zorder=6)),
        ax.plot([x0, x1], [y, y], transform=ax.transAxes, color="#222", linewidth=2.5 * scale,
                solid_capstyle="butt", zorder=7)[0],
        ax.text((x0 + x1) / 2, y + 0.012, f"{length:,.0f} km", transform=ax.transAxes, ha="center",
                va="bottom", fontsize=8 * scale, zorder=7),
    ]
    return artists


def _inset(fig, ax, layers: Basemap, extent, others: list[tuple[float, float]], scale: float):
    """A small overview in the upper right: where the frame lies, and the incidents outside it."""
    pos = ax.get_position()
    width = pos.width * 0.24
    height = width * fig.get_figwidth() / fig.get_figheight() * 0.62
    inset = fig.add_axes((pos.x1 - width - 0.006, pos.y1 - height - 0.01, width, height), zorder=8)
    west, east, south, north = extent
    lats = [p[0] for p in others] + [south, north]
    lons = [p[1] for p in others] + [west, east]
    span_lon = max(max(lons) - min(lons), 40.0) * 1.15
    span_lat = max(max(lats) - min(lats), 20.0) * 1.25
    cx, cy = (max(lons) + min(lons)) / 2, (max(lats) + min(lats)) / 2
    # the inset's own shape, at a world map's proportions
    ratio = (width * fig.get_figwidth()) / (height * fig.get_figheight())
    if span_lon < span_lat * ratio:
        span_lon = span_lat * ratio
    else:
        span_lat = span_lon / ratio
    i_west, i_east = max(cx - span_lon / 2, -180), min(cx + span_lon / 2, 180)
    i_south, i_north = max(cy - span_lat / 2, -85), min(cy + span_lat / 2, 85)
    inset.set_facecolor(SEA)
    countries = layers.countries
    if countries is not None and len(countries):
        shown = countries.cx[i_west:i_east, i_south:i_north]
        if len(shown):
            shown.simplify(0.2).plot(ax=inset, facecolor=LAND, edgecolor=BORDER, linewidth=0.3 * scale)
    inset.add_patch(Rectangle((west, south), east - west, north - south, facecolor="none",
                              edgecolor="#c0392b", linewidth=1.4 * scale, zorder=3))
    if others:
        inset.scatter([p[1] for p in others], [p[0] for p in others], s=14 * scale**2, c="#c0392b",
                      edgecolors="white", linewidths=0.5, zorder=4)
    inset.set_xlim(i_west, i_east)
    inset.set_ylim(i_south, i_north)
    inset.set_xlabel("")
    inset.set_ylabel("")
    inset.set_xticks([])
    inset.set_yticks([])
    for spine in inset.spines.values():
        spine.set_edgecolor("#555")
    inset.set_title("overview", fontsize=7 * scale, pad=2, color="#444")
    return inset


def draw_map(fig: Figure, incidents, basemap, title: str, scale: float, *, header: bool = True) -> dict:
    """Draw the map on a figure: frame, basemap, incidents, labels, legend, scale bar, inset (and
    title, date range and credits when header); return what was framed."""
    ax = fig.add_axes((0.02, 0.07, 0.96, 0.83) if header else (0.005, 0.005, 0.99, 0.99))
    ax.set_facecolor(SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    bbox = ax.get_position()
    aspect = (bbox.width * fig.get_figwidth()) / (bbox.height * fig.get_figheight())
    layers = as_basemap(basemap) if basemap is not None and len(getattr(basemap, "countries", basemap)) else None

    points = frame_points(incidents)
    historical = [as_flag(v) for v in incidents["historical"]]
    current = [p for p, h in zip(points, historical) if p and not h]
    theatre = main_theatre(current or [p for p in points if p])
    extent = frame_extent(theatre, aspect)
    west, east, south, north = extent
    mid_lat = (south + north) / 2
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    # the extent already has the axes' shape: let the box, not the limits, absorb rounding
    ax.set_aspect(_stretch(mid_lat), adjustable="box")
    disputed = False
    if layers is not None:
        disputed = _draw_basemap(ax, layers, extent, scale, web_zoom(ax, fig, extent, scale))
        ax.set_xlim(west, east)
        ax.set_ylim(south, north)
        ax.set_xlabel("")  # geopandas names the axes after the CRS: a map needs no axis titles
        ax.set_ylabel("")

    by_type: dict[str, list] = {}
    history: list = []
    for point, hist, event_type in zip(points, historical, incidents["event_type"]):
        if point is None:
            continue
        (history if hist else by_type.setdefault(as_text(event_type), [])).append(point)
    handles, marker_sets = [], []
    for event_type, pts in sorted(
        by_type.items(),
        key=lambda kv: (list(EVENT_STYLES).index(kv[0]) if kv[0] in EVENT_STYLES else 99, kv[0]),
    ):
        style = event_style(event_type)
        marker, mark = _markers(style.marker)
        size = (120 if style.marker == "*" else 70) * scale**2
        lons, lats = [p[1] for p in pts], [p[0] for p in pts]
        marker_sets.append(ax.scatter(lons, lats, s=size, marker=marker, c=style.colour, edgecolors="white",
                                      linewidths=0.8 * scale, zorder=4))  # fmt: skip
        handle = _handle(marker, style.colour, f"{event_type or 'Unknown'} ({len(pts):,})", scale)
        if mark is not None:  # drawn on the outline, in the same size
            ax.scatter(lons, lats, s=size, marker=mark, c=MARK_COLOUR, linewidths=0, zorder=4)
            handle = (handle, _handle(mark, MARK_COLOUR, handle.get_label(), scale, edge="none"))
        handles.append(handle)
    if history:
        marker_sets.append(ax.scatter(
            [p[1] for p in history], [p[0] for p in history], s=55 * scale**2, marker=HISTORICAL_STATIC_MARKER,
            facecolors="none", edgecolors=HISTORICAL_COLOUR, linewidths=1.2 * scale, zorder=3,
        ))  # fmt: skip
        handles.append(_handle(HISTORICAL_STATIC_MARKER, "none", f"historical ({len(history):,})", scale,
                               edge=HISTORICAL_COLOUR))  # fmt: skip
    if disputed:
        handles.append(Patch(facecolor="none", edgecolor=DISPUTED, hatch="////", linestyle=(0, (5, 4)),
                             label="disputed or breakaway area"))

    legend = None
    if handles:
        labels = [(h[0] if isinstance(h, tuple) else h).get_label() for h in handles]
        legend = ax.legend(handles=handles, labels=labels, loc="lower left", fontsize=9 * scale, title="Event type",
                           title_fontsize=10 * scale, framealpha=0.92)  # fmt: skip
        legend.set_zorder(9)
    scale_bar = _scale_bar(ax, extent, scale)
    outside = [p for p in current if not (west <= p[1] <= east and south <= p[0] <= north)]
    inset = _inset(fig, ax, layers or as_basemap_none(), extent, outside, scale) if outside else None

    dates = sorted(
        as_text(d) for d, p, h in zip(incidents["event_date"], points, historical) if p and not h and as_text(d)
    )
    span = "no dates" if not dates else dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"
    if header:
        fig.suptitle(title, x=0.02, y=0.975, ha="left", fontsize=16 * scale, fontweight="bold")
        sub = f"{span} · {len(current):,} incidents"
        if outside:
            sub += f" ({len(outside):,} outside this frame: see the overview)"
        fig.text(0.02, 0.918, sub, fontsize=11 * scale, color="#333")
        fig.text(0.02, 0.025, CREDITS + " | made with geomap", fontsize=8 * scale, color="#555")

    canvas = FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    boxes = TakenBoxes(renderer, pad=1.5 * scale)
    for artist in [legend, inset, *scale_bar]:
        if artist is not None:
            boxes.take(boxes.box(artist))
    label_map(ax, fig, boxes, incidents, points, historical, marker_sets, layers, extent, scale)
    return {"extent": extent, "theatre": theatre, "outside": len(outside), "span": span, "current": len(current)}


def as_basemap_none() -> Basemap:
    """An empty basemap (no countries): the inset still frames the incidents."""
    import geopandas as gpd

    return as_basemap(gpd.GeoDataFrame({"iso2": [], "name": []}, geometry=[], crs="EPSG:4326"))


def _handle(marker, colour: str, label: str, scale: float, edge: str = "white") -> Line2D:
    return Line2D(
        [], [], linestyle="none", marker=marker, markersize=9 * scale, markerfacecolor=colour,
        markeredgecolor=edge, label=label,
    )  # fmt: skip


def _save(fig: Figure, path: Path, **kwargs) -> None:
    """Save whole or not at all: a temporary file beside the target, then a rename."""
    with atomic_target(path, suffix=path.suffix) as tmp:
        FigureCanvasAgg(fig).print_figure(tmp, **kwargs)


def map_png(incidents, basemap, size: tuple[float, float], dpi: int, scale: float) -> tuple[bytes, dict]:
    """The map alone (no title or credits) as PNG bytes, and what draw_map framed."""
    fig = Figure(figsize=size, dpi=dpi)
    info = draw_map(fig, incidents, basemap, "", scale, header=False)
    out = io.BytesIO()
    FigureCanvasAgg(fig).print_figure(out, format="png", dpi=dpi, metadata={"Software": None})
    return out.getvalue(), info


def write_static_map(
    incidents, path_png=None, path_pdf=None, *, basemap=None, title: str = "Incidents"
) -> list[Path]:
    """Draw the incidents as a 1600x1000 PNG and/or the briefing PDF (the map on an A4 landscape
    page, then the table of incidents); return the paths written."""
    written = []
    if path_png is not None:
        fig = Figure(figsize=SLIDE_SIZE, dpi=SLIDE_DPI)
        draw_map(fig, incidents, basemap, title, scale=1.25)
        _save(fig, Path(path_png), format="png", dpi=SLIDE_DPI, metadata={"Software": None})
        written.append(Path(path_png))
    if path_pdf is not None:
        from geomap.report import write_briefing_pdf

        written.append(write_briefing_pdf(incidents, path_pdf, basemap=basemap, title=title))
    return written
