"""How incidents look on every map: one style per event type, the historical look, the basemap
colours, the precision wordings and the credits.

The web map (geomap.webmap) and the static map (geomap.staticmap) both draw from these tables;
the event styles are keyed from the one taxonomy, geomap.incidents.taxonomy.TAXONOMY.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from geomap.incidents.taxonomy import (
    BATTLES,
    DISASTERS,
    EXPLOSIONS,
    PROTESTS,
    RIOTS,
    STRATEGIC,
    TAXONOMY,
    VIOLENCE,
)

__all__ = [
    "ADMIN1_LINE",
    "BORDER",
    "CREDITS",
    "CROWDED_PLACES",
    "DISPUTED",
    "EVENT_STYLES",
    "EventStyle",
    "GEO_PRECISION",
    "GLYPHS",
    "Glyph",
    "HISTORICAL",
    "HISTORICAL_COLOUR",
    "HISTORICAL_STATIC_MARKER",
    "LABEL_COLOURS",
    "LAND",
    "MARK_COLOUR",
    "OTHER_EVENT",
    "PLACE_MENTIONED",
    "SEA",
    "SHAPES",
    "TIME_PRECISION",
    "distinct_labels",
    "event_style",
    "icon_svg",
    "place_label",
]


@dataclass(frozen=True)
class EventStyle:
    """How one event type is drawn: colour, shape, and the layer's short name."""

    name: str
    slug: str
    colour: str
    marker: str  # a matplotlib marker code, or a key of GLYPHS; SHAPES draws it for the web


# ACLED Codebook 2023, event types, and geomap's Disasters. Colours after Okabe & Ito (2008),
# readable by colour-blind readers; shapes differ too, so the map survives greyscale printing.
# Disasters take the palette's black and a warning sign, a triangle with a white exclamation
# mark: clearly apart from the grey of historical incidents and from the plain triangle.
_STYLES = [
    EventStyle(BATTLES, "battles", "#d55e00", "X"),
    EventStyle(EXPLOSIONS, "explosions", "#e69f00", "*"),
    EventStyle(VIOLENCE, "civilians", "#cc79a7", "^"),
    EventStyle(PROTESTS, "protests", "#0072b2", "o"),
    EventStyle(RIOTS, "riots", "#56b4e9", "D"),
    EventStyle(STRATEGIC, "strategic", "#009e73", "s"),
    EventStyle(DISASTERS, "disasters", "#000000", "!"),
]
# in the taxonomy's order, which is the order of the layers and the legends
EVENT_STYLES: dict[str, EventStyle] = {s.name: s for s in _STYLES}
if set(EVENT_STYLES) != set(TAXONOMY):
    raise RuntimeError(f"the event styles and geomap.incidents.taxonomy.TAXONOMY differ: "
                       f"{sorted(set(EVENT_STYLES) ^ set(TAXONOMY))}")
EVENT_STYLES = {name: EVENT_STYLES[name] for name in TAXONOMY}

OTHER_EVENT = EventStyle("Other", "other", "#7f7f7f", "P")


def event_style(event_type: str) -> EventStyle:
    """Return the style of an event type; unknown types share OTHER_EVENT's."""
    return EVENT_STYLES.get(event_type, OTHER_EVENT)


# Historical incidents (background events, not the news): grey. The web map draws them in
# their type's shape, in a layer whose control and legend show the Other shape in grey; the
# static map draws them as hollow grey circles.
HISTORICAL_COLOUR = "#6b6b6b"
HISTORICAL = EventStyle("Historical incidents", "historical", HISTORICAL_COLOUR, OTHER_EVENT.marker)
HISTORICAL_STATIC_MARKER = "o"

# The offline basemap: sea, land and borders of the gazetteer's country polygons; the lines
# between first-level divisions; disputed and breakaway areas (Natural Earth's), hatched and
# outlined in dashes; and the colours of the names on it (seas in the sea's own hue).
SEA, LAND, BORDER = "#cfe3ef", "#f4f1ea", "#8d8d8d"
ADMIN1_LINE = "#b9aec8"
DISPUTED = "#a6611a"
LABEL_COLOURS = {
    "country": "#4d4d4d", "admin1": "#7d6d91", "sea": "#3d6f96", "disputed": "#8c4f12",
    "town": "#222222", "capital": "#111111", "incident": "#111111",
}
# places mentioned: a quiet layer of small grey rings under the incidents; off at first once
# there are more of them than a reader can take in beside the incidents
PLACE_MENTIONED = "#6f6f6f"
CROWDED_PLACES = 40


def place_label(written: str, name: str, country_code: str = "") -> str:
    """A place as the article wrote it, then the gazetteer's name and country when the names
    differ: "Stepanakert (Xankandi, AZ)"; the gazetteer's name when the article gave none."""
    written, name = (written or "").strip(), (name or "").strip()
    if not written or not name or written.casefold() == name.casefold():
        return written or name
    return f"{written} ({', '.join(p for p in (name, country_code) if p)})"


def distinct_labels(labels: list[str], areas: list[str]) -> list[str]:
    """The labels of places, each followed by its area (admin-1, else country) where one label
    names places in different areas: two towns called California, "California, Missouri" and
    "California, Maryland"."""
    areas_of: dict[str, set[str]] = {}
    for label, area in zip(labels, areas):
        areas_of.setdefault(label, set()).add(area)
    return [f"{label}, {area}" if area and len(areas_of[label]) > 1 else label for label, area in zip(labels, areas)]


# --- marker shapes -------------------------------------------------------------------------


def _star_path() -> str:
    points = []
    for k in range(10):
        r = 9.0 if k % 2 == 0 else 3.8
        a = math.pi / 2 + k * math.pi / 5
        points.append(f"{10 + r * math.cos(a):.1f} {10.5 - r * math.sin(a):.1f}")
    return "M" + " ".join(points) + "z"


@dataclass(frozen=True)
class Glyph:
    """A marker matplotlib has no code for: an outline filled in the style's colour, and a mark
    on it in MARK_COLOUR; polygons in the web icons' 20 x 20 box, y down."""

    outline: tuple[tuple[float, float], ...]
    mark: tuple[tuple[tuple[float, float], ...], ...] = ()


MARK_COLOUR = "#fff"
GLYPHS: dict[str, Glyph] = {
    # a warning sign: a triangle with an exclamation mark
    "!": Glyph(
        outline=((10, 1.5), (19.2, 18), (0.8, 18)),
        mark=(((8.8, 6.5), (9.3, 12.5), (10.7, 12.5), (11.2, 6.5)), ((8.9, 13.9), (8.9, 16.1), (11.1, 16.1), (11.1, 13.9))),
    ),
}


def _ring(points) -> str:
    return "M" + " ".join(f"{x:g} {y:g}" for x, y in points) + "z"


def _glyph_svg(glyph: Glyph) -> str:
    svg = f'<path d="{_ring(glyph.outline)}"/>'
    if glyph.mark:
        svg += f'<path fill="{MARK_COLOUR}" stroke="none" d="{"".join(_ring(r) for r in glyph.mark)}"/>'
    return svg


# SVG (viewBox 0 0 20 20) of each marker used above.
SHAPES: dict[str, str] = {
    "X": '<path d="M4.5 1.5 10 7 15.5 1.5 18.5 4.5 13 10 18.5 15.5 15.5 18.5 10 13 4.5 18.5 1.5 15.5 7 10 1.5 4.5z"/>',
    "*": f'<path d="{_star_path()}"/>',
    "^": '<path d="M10 1.5 18.8 17.5H1.2z"/>',
    "o": '<circle cx="10" cy="10" r="7.5"/>',
    "D": '<path d="M10 1 19 10 10 19 1 10z"/>',
    "s": '<rect x="3" y="3" width="14" height="14"/>',
    "P": '<path d="M7 2h6v5h5v6h-5v5H7v-5H2V7h5z"/>',
    **{code: _glyph_svg(glyph) for code, glyph in GLYPHS.items()},
}


def icon_svg(style: EventStyle, size: int = 18, colour: str | None = None) -> str:
    """The style's marker as an inline SVG icon, in its colour unless another is given."""
    return (
        f'<svg width="{size}" height="{size}" viewBox="0 0 20 20" fill="{colour or style.colour}" '
        f'stroke="#fff" stroke-width="1.4" aria-hidden="true">{SHAPES[style.marker]}</svg>'
    )


# --- words ---------------------------------------------------------------------------------

# ACLED Codebook 2023, time_precision and geo_precision codes, as a reader would say them.
TIME_PRECISION = {1: "the day is known", 2: "within a week or a span", 3: "the month or vaguer"}
GEO_PRECISION = {
    1: "the place itself",
    2: "near the place, or part of a region",
    3: "a region's or country's centre",
}

# Credits shown on every map: the gazetteer's place names and boundaries.
CREDITS = "Places: GeoNames (CC BY 4.0) | Boundaries: Natural Earth (public domain)"
