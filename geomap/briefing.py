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
_MAPPED_KINDS = ("city", "admin2", "admin1", "region", "country")


@dataclass
class Briefing:
    """What one run found and the files it wrote."""

    articles: int = 0
    incidents: list = field(default_factory=list)
    place_counts: Counter = field(default_factory=Counter)  # place id -> literal mentions
    places: dict = field(default_factory=dict)  # place id -> Place
    written: Counter = field(default_factory=Counter)  # (place id, the name as written) -> mentions
    files: list[Path] = field(default_factory=list)

    @property
    def historical(self) -> int:
        return sum(i.historical for i in self.incidents)

    def add(self, other: "Briefing") -> None:
        """Add what another run over other articles found."""
        self.articles += other.articles
        self.incidents.extend(other.incidents)
        self.place_counts.update(other.place_counts)
        self.places.update(other.places)
        self.written.update(other.written)

    def spelling(self, place_id: int) -> str:
        """How the articles wrote a place most often ("" when they never did)."""
        spellings = [(n, text) for (pid, text), n in self.written.items() if pid == place_id]
        return max(spellings, key=lambda s: (s[0], s[1]))[1] if spellings else ""


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
                briefing.written[(m.place.id, m.text)] += 1
        briefing.incidents.extend(extract_incidents(article, gazetteer=gazetteer,
                                                    mentions=mentions))
        briefing.articles += 1
        if progress:
            progress(article)
    return briefing


def places_frame(briefing: Briefing):
    """Return the places mentioned as a GeoDataFrame (name, written, kind, country_code,
    geonames_id, mentions): written is how the articles wrote the place most often."""
    import geopandas as gpd
    from shapely.geometry import Point

    ids = sorted(briefing.place_counts, key=lambda i: (-briefing.place_counts[i], i))
    rows = [briefing.places[i] for i in ids]
    # a place the incidents name but no mention counted (a store's slice): the incidents' spelling
    from_incidents = {getattr(i, "place_id", None): getattr(i, "location_text", None) or ""
                      for i in briefing.incidents}
    return gpd.GeoDataFrame(
        {"name": [p.name for p in rows],
         "written": [briefing.spelling(i) or from_incidents.get(i, "") for i in ids],
         "kind": [p.kind for p in rows],
         "country_code": [p.country_code for p in rows],
         "geonames_id": [p.geonames_id for p in rows],
         "mentions": [briefing.place_counts[i] for i in ids]},
        geometry=[Point(p.lon, p.lat) for p in rows], crs="EPSG:4326")


def regions_frame(incidents_gdf):
    """Return the polygons of region-level incidents' places (name, geometry), one per place."""
    import geopandas as gpd

    areas = incidents_gdf[incidents_gdf["area"].notna()]
    areas = areas.drop_duplicates(subset=["location"])
    return gpd.GeoDataFrame({"name": list(areas["location"])},
                            geometry=list(areas["area"]), crs="EPSG:4326")


def basemap_layers(gazetteer: Gazetteer, incidents_gdf, places_gdf=None):
    """Return the offline basemap (geomap.basemap.Basemap) with towns around the incidents and
    the places mentioned."""
    from geomap.basemap import load_basemap, select_towns
    from geomap.frame import frame_points

    points = [p for p in frame_points(incidents_gdf) if p is not None]
    if places_gdf is not None and len(places_gdf):
        points += [p for p in frame_points(places_gdf) if p is not None]
    return load_basemap(gazetteer).with_towns(select_towns(gazetteer, points))


def default_title(articles: list[Article], incidents: list) -> str:
    """Return a map title: the single article's title, else a count of articles."""
    if len(articles) == 1 and articles[0].title:
        return articles[0].title
    return f"Incidents reported in {len(articles)} article{'s' if len(articles) != 1 else ''}"


def write_briefing(briefing: Briefing, gazetteer: Gazetteer, out_dir: str | Path, *,
                   name: str = "map", title: str = "Incidents", online: bool = False,
                   png: bool = True, pdf: bool = True) -> list[Path]:
    """Write NAME.html (interactive), NAME.png, NAME.pdf and NAME.geojson; return the paths."""
    from geomap.files import output_set, plain_name
    from geomap.formats import write_incidents
    from geomap.frame import incidents_frame
    from geomap.staticmap import write_static_map
    from geomap.webmap import render_map, write_map

    out = Path(out_dir)
    plain_name(name)  # "../x" would write outside out_dir
    frame = incidents_frame(briefing.incidents, gazetteer)
    places = places_frame(briefing)
    basemap = basemap_layers(gazetteer, frame, places)
    html = render_map(frame, places=places, regions=regions_frame(frame),
                      basemap=basemap, title=title, online=online)
    # the files appear together or not at all: a kill cannot leave a new HTML beside an old PNG
    with output_set(out) as staging:
        files = [write_map(staging / f"{name}.html", html)]
        files += write_static_map(frame, staging / f"{name}.png" if png else None,
                                  staging / f"{name}.pdf" if pdf else None, basemap=basemap, title=title)
        files.append(write_incidents(briefing.incidents, staging / f"{name}.geojson", "geojson"))
    files = [out / file.name for file in files]
    briefing.files = files
    return files
