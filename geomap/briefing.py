"""The main job: articles in, a briefing's map files out (HTML, PNG, PDF, GeoJSON).

    read_articles -> find_places -> extract_incidents -> frames -> webmap / staticmap / GeoJSON
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from geomap.articles import Article
from geomap.gazetteer import Gazetteer
from geomap.incidents import extract_incidents
from geomap.resolve import find_places

# place kinds that go on the "places mentioned" layer (continents are too vague to draw)
_MAPPED_KINDS = ("city", "admin1", "region", "country")


@dataclass
class Briefing:
    """What one run found and the files it wrote."""

    articles: int = 0
    incidents: list = field(default_factory=list)
    place_counts: Counter = field(default_factory=Counter)  # place id -> literal mentions
    places: dict = field(default_factory=dict)  # place id -> Place
    files: list[Path] = field(default_factory=list)

    @property
    def historical(self) -> int:
        return sum(i.historical for i in self.incidents)


def collect(articles: Iterable[Article], gazetteer: Gazetteer,
            progress: Callable[[Article], None] | None = None) -> Briefing:
    """Return the incidents and literal place mentions of the articles."""
    briefing = Briefing()
    for article in articles:
        mentions = find_places(article.text, gazetteer=gazetteer)
        for m in mentions:
            if m.place is not None and m.role == "literal" and m.kind in _MAPPED_KINDS:
                briefing.place_counts[m.place.id] += 1
                briefing.places[m.place.id] = m.place
        briefing.incidents.extend(extract_incidents(article, gazetteer=gazetteer,
                                                    mentions=mentions))
        briefing.articles += 1
        if progress:
            progress(article)
    return briefing


def places_frame(briefing: Briefing):
    """Return the places mentioned as a GeoDataFrame (name, kind, country_code, mentions)."""
    import geopandas as gpd
    from shapely.geometry import Point

    ids = sorted(briefing.place_counts, key=lambda i: (-briefing.place_counts[i], i))
    rows = [briefing.places[i] for i in ids]
    return gpd.GeoDataFrame(
        {"name": [p.name for p in rows], "kind": [p.kind for p in rows],
         "country_code": [p.country_code for p in rows],
         "mentions": [briefing.place_counts[i] for i in ids]},
        geometry=[Point(p.lon, p.lat) for p in rows], crs="EPSG:4326")


def regions_frame(incidents_gdf):
    """Return the polygons of region-level incidents' places (name, geometry), one per place."""
    import geopandas as gpd

    areas = incidents_gdf[incidents_gdf["area"].notna()]
    areas = areas.drop_duplicates(subset=["location"])
    return gpd.GeoDataFrame({"name": list(areas["location"])},
                            geometry=list(areas["area"]), crs="EPSG:4326")


def basemap_frame(gazetteer: Gazetteer):
    """Return the gazetteer's country polygons (iso2, name, geometry) for an offline basemap."""
    import geopandas as gpd
    from shapely.geometry import shape

    rows = gazetteer.shapes("country")
    return gpd.GeoDataFrame({"iso2": [p.country_code for p, _ in rows],
                             "name": [p.name for p, _ in rows]},
                            geometry=[shape(g) for _, g in rows], crs="EPSG:4326")


def default_title(articles: list[Article], incidents: list) -> str:
    """Return a map title: the single article's title, else a count of articles."""
    if len(articles) == 1 and articles[0].title:
        return articles[0].title
    return f"Incidents reported in {len(articles)} article{'s' if len(articles) != 1 else ''}"


def write_briefing(briefing: Briefing, gazetteer: Gazetteer, out_dir: str | Path, *,
                   name: str = "map", title: str = "Incidents", online: bool = False,
                   png: bool = True, pdf: bool = True) -> list[Path]:
    """Write NAME.html (interactive), NAME.png, NAME.pdf and NAME.geojson; return the paths."""
    from geomap.frame import incidents_frame, write_incidents
    from geomap.staticmap import write_static_map
    from geomap.webmap import render_map, write_map

    out = Path(out_dir)
    frame = incidents_frame(briefing.incidents, gazetteer)
    basemap = basemap_frame(gazetteer)
    html = render_map(frame, places=places_frame(briefing), regions=regions_frame(frame),
                      basemap=basemap, title=title, online=online)
    files = [write_map(out / f"{name}.html", html)]
    files += write_static_map(frame, out / f"{name}.png" if png else None,
                              out / f"{name}.pdf" if pdf else None, basemap=basemap, title=title)
    files.append(write_incidents(briefing.incidents, out / f"{name}.geojson", "geojson"))
    briefing.files = files
    return files
