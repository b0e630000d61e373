"""Test data built by code: the tiny gazetteer's rows and the builder that writes them with the
real build's writer. Test modules import from here, never from each other or from conftest."""

from __future__ import annotations

from pathlib import Path

import base64
import gzip
import json
import re

import geopandas as gpd
from shapely.geometry import Point, box

from geomap.frame import COLUMNS
from geomap.gazetteer import GazetteerWriter
from geomap.webmap import render_map

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# name, kind, lat, lon, country, admin1 code, feature code, population, geonames id, aliases
TINY_PLACES = [
    ("Azerbaijan", "country", 40.5, 47.5, "AZ", None, "PCLI", 10_000_000, 587116, ["Azərbaycan"]),
    ("Armenia", "country", 40.25, 45.0, "AM", None, "PCLI", 3_000_000, 174982, []),
    ("Turkey", "country", 39.0, 35.0, "TR", None, "PCLI", 82_000_000, 298795, ["Türkiye"]),
    ("United States", "country", 39.76, -98.5, "US", None, "PCLI", 327_000_000, 6252001,
     ["USA", "U.S.", "United States of America"]),
    ("Latvia", "country", 57.0, 25.0, "LV", None, "PCLI", 1_900_000, 458258, []),
    ("Belgium", "country", 50.75, 4.5, "BE", None, "PCLI", 11_400_000, 2802361, []),
    ("Egypt", "country", 27.0, 30.0, "EG", None, "PCLI", 98_000_000, 357994, []),
    ("Russia", "country", 60.0, 100.0, "RU", None, "PCLI", 144_000_000, 2017370,
     ["Russian Federation"]),
    ("France", "country", 46.0, 2.0, "FR", None, "PCLI", 67_000_000, 3017382, []),
    ("Canada", "country", 60.11, -113.64, "CA", None, "PCLI", 37_000_000, 6251999, []),
    ("Gaziantep", "admin1", 37.07, 37.38, "TR", "TR.83", "ADM1", None, 314829, []),
    ("Louisiana", "admin1", 31.0, -92.0, "US", "US.LA", "ADM1", None, 4331987, ["La."]),
    ("Virginia", "admin1", 37.5, -78.8, "US", "US.VA", "ADM1", None, 6254928, ["Va."]),
    ("Nagorno-Karabakh", "region", 39.89, 46.69, "AZ", None, None, None, None,
     ["Nagorny Karabakh", "Artsakh", "Karabakh"]),
    ("Caucasus", "region", 42.5, 44.5, None, None, None, None, None, []),
    ("Ganja", "city", 40.68157, 46.36134, "AZ", "AZ.20", "PPLA", 330_663, 586523,
     ["Gandja", "Gəncə", "Gence", "Kirovabad"]),
    ("Xankandi", "city", 39.8177, 46.7528, "AZ", "AZ.61", "PPL", 53_100, 146970,
     ["Stepanakert", "Khankendi", "Xankəndi"]),
    ("Baku", "city", 40.37767, 49.89201, "AZ", "AZ.09", "PPLC", 1_116_513, 587084, ["Baki"]),
    ("Yerevan", "city", 40.18111, 44.51361, "AM", "AM.11", "PPLC", 1_093_485, 616052, ["Erevan"]),
    ("Gaziantep", "city", 37.05944, 37.3825, "TR", "TR.83", "PPLA", 1_065_975, 314830,
     ["Antep"]),
    ("Riga", "city", 56.946, 24.10589, "LV", "LV.25", "PPLC", 742_572, 456172, []),
    ("Brussels", "city", 50.85045, 4.34878, "BE", "BE.11", "PPLC", 1_019_022, 2800866,
     ["Bruxelles"]),
    ("Alexandria", "city", 31.20176, 29.91582, "EG", "EG.06", "PPLA", 3_811_516, 361058, []),
    ("Alexandria", "city", 38.80484, -77.04692, "US", "US.VA", "PPL", 159_428, 4744091, []),
    ("Alexandria", "city", 31.31129, -92.44514, "US", "US.LA", "PPLA2", 47_723, 4314550, []),
    ("Springfield", "city", 39.80172, -89.64371, "US", "US.IL", "PPLA", 116_565, 4250542, []),
    ("Springfield", "city", 37.21533, -93.29824, "US", "US.MO", "PPLA2", 166_810, 4409896, []),
    ("Springfield", "city", 42.10148, -72.58981, "US", "US.MA", "PPLA2", 153_606, 4951788, []),
    ("Windhoek", "city", -22.55941, 17.08323, "NA", "NA.21", "PPLC", 268_132, 3352136, []),
]

# More rows for the toponym tests: namesakes ("Georgia", "Paris") and look-alikes ("Minsk"
# group, minister Champagne, "Europe" in the OSCE).
TOPONYM_PLACES = [
    ("Georgia", "country", 42.0, 43.5, "GE", None, "PCLI", 3_700_000, 614540, []),
    ("Georgia", "admin1", 32.75, -83.5, "US", "US.GA", "ADM1", None, 4197000, ["Ga."]),
    ("Kentucky", "admin1", 37.5, -85.0, "US", "US.KY", "ADM1", None, 6254925, ["Ky."]),
    ("Tbilisi", "city", 41.69411, 44.83368, "GE", "GE.51", "PPLC", 1_049_498, 611717, []),
    ("Atlanta", "city", 33.749, -84.38798, "US", "US.GA", "PPLA", 498_715, 4180439, []),
    ("Minsk", "city", 53.9, 27.56667, "BY", "BY.HM", "PPLC", 1_742_124, 625144, []),
    ("Europe", "continent", 48.69096, 9.14062, None, None, "CONT", None, 6255148, []),
    ("Champagne", "city", 45.76, 5.75, "FR", "FR.84", "PPL", 2_300, 3027311, []),
    ("Paris", "city", 48.85341, 2.3488, "FR", "FR.11", "PPLC", 2_138_551, 2988507, []),
    ("Paris", "city", 33.66094, -95.55551, "US", "US.TX", "PPLA2", 24_782, 4717560, []),
]

TINY_DEMONYMS = [("Azerbaijani", "AZ"), ("Azeri", "AZ"), ("Armenian", "AM"),
                 ("Armenians", "AM"), ("Turkish", "TR"), ("Syrian", "SY"), ("Canadian", "CA")]

NK_SQUARE = {"type": "Polygon", "coordinates": [[[46.2, 39.4], [47.2, 39.4], [47.2, 40.3],
                                                [46.2, 40.3], [46.2, 39.4]]]}


def build_tiny_gazetteer(path: Path, extra: list[tuple] = ()) -> Path:
    """Write the tiny gazetteer (plus `extra` rows) to `path` with the real build's writer."""
    rows = TINY_PLACES + list(extra)
    admin1_names = {row[5]: row[0] for row in rows if row[1] == "admin1"}
    with GazetteerWriter(path) as w:
        for name, kind, lat, lon, cc, a1, fcode, pop, gid, aliases in rows:
            pid = w.add_place(name, kind, lat, lon, country_code=cc,
                              admin1=admin1_names.get(a1), feature_code=fcode, population=pop,
                              geonames_id=gid, source="test", admin1_code=a1, aliases=aliases)
            if name == "Nagorno-Karabakh":
                w.add_shape(pid, NK_SQUARE)
        for demonym, cc in TINY_DEMONYMS:
            w.add_demonym(demonym, cc)
        w.commit({"sources_digest": "tiny"})
    return path


# --- frames for the map tests -------------------------------------------------------------------

HOSTILE = '<script>alert(1)</script> and <img src=x onerror="window.__pwned=1"> were reported in Yerevan.'


def make_incidents(rows: list[dict]) -> gpd.GeoDataFrame:
    """Incidents with every column of frame.COLUMNS; rows give the fields that matter to a test."""
    full = []
    for r in rows:
        row = {c: "" for c in COLUMNS}
        row.update(
            time_precision=1,
            geo_precision=1,
            fatalities=None,
            historical=False,
            confidence=0.8,
            place_kind="city",
        )
        row.update(r)
        full.append(row)
    geometry = [Point(r["longitude"], r["latitude"]) for r in full]
    return gpd.GeoDataFrame(full, columns=COLUMNS, geometry=geometry, crs="EPSG:4326")


def sample_incidents() -> gpd.GeoDataFrame:
    """Ten incidents in the South Caucasus: every event type, one historical, one region-level, one hostile."""
    karabakh = dict(
        title="Fighting in Karabakh",
        published="2023-09-20",
        url="https://example.org/karabakh",
        source="Example News",
    )
    return make_incidents(
        [
            dict(event_type="Battles", sub_event_type="Armed clash", event_date="2023-09-19", location="Stepanakert",
                 admin1="Nagorno-Karabakh", country="Azerbaijan", latitude=39.8177, longitude=46.7528, fatalities=27,
                 fatalities_qualifier="at least", fatalities_parts="20 soldiers; 7 civilians",
                 actor1="Military Forces of Azerbaijan", actor2="Artsakh Defence Army", notes="Clashes around Stepanakert",
                 source_sentence="Fighting raged around Stepanakert on Tuesday, killing at least 27.", **karabakh),
            dict(event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack",
                 event_date="2023-09-19", location="Shusha", country="Azerbaijan", latitude=39.7583, longitude=46.7486,
                 fatalities=2, source_sentence="Shells hit Shusha.", **karabakh),
            dict(event_type="Violence against civilians", event_date="2023-09-20", location="Yerevan", country="Armenia",
                 latitude=40.1811, longitude=44.5136, source_sentence=HOSTILE, title="<b>Hostile</b> article",
                 published="2023-09-21", url="javascript:alert(2)", source="Evil <i>Times</i>"),
            dict(event_type="Protests", event_date="2023-09-21", location="Tbilisi", country="Georgia", latitude=41.7151,
                 longitude=44.8271, source_sentence="Hundreds protested in Tbilisi.", title="Protests", published="2023-09-21"),
            dict(event_type="Riots", event_date="2023-09-22", location="Baku", country="Azerbaijan", latitude=40.4093,
                 longitude=49.8671, fatalities=1, source_sentence="Rioters clashed with police in Baku.", title="Riots",
                 published="2023-09-22"),
            dict(event_type="Strategic developments", event_date="2023-09-23", location="Goris", country="Armenia",
                 latitude=39.5111, longitude=46.3417, source_sentence="Refugees arrived in Goris.", title="Refugees",
                 published="2023-09-23"),
            dict(event_type="Battles", event_date="1992-05-08", location="Shusha", country="Azerbaijan", latitude=39.7583,
                 longitude=46.7486, historical=True, source_sentence="Shusha fell in May 1992.", **karabakh),
            dict(event_type="Battles", event_date="2023-09-20", location="Nagorno-Karabakh", place_kind="region",
                 geo_precision=3, country="Azerbaijan", latitude=39.9, longitude=46.6,
                 source_sentence="Fighting spread across Nagorno-Karabakh.", **karabakh),
            dict(event_type="Protests", event_date="2023-09-22", location="Gyumri", country="Armenia", latitude=40.7894,
                 longitude=43.8475, source_sentence="A protest was held in Gyumri.", title="Protests", published="2023-09-22"),
            dict(event_type="Battles", event_date="2023-09-21", location="Martakert", country="Azerbaijan",
                 latitude=40.2153, longitude=46.8106, fatalities=5, source_sentence="Clashes near Martakert killed five.",
                 **karabakh),
        ]
    )  # fmt: skip


def sample_places() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "name": ["Stepanakert", "Yerevan", "Baku <b>"],
            "kind": ["city"] * 3,
            "country_code": ["AZ", "AM", "AZ"],
            "mentions": [12, 3, 1],
        },
        geometry=[Point(46.7528, 39.8177), Point(44.5136, 40.1811), Point(49.8671, 40.4093)],
        crs="EPSG:4326",
    )


def sample_regions() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["Nagorno-Karabakh", "Nakhchivan"]},
        geometry=[box(46.2, 39.4, 47.2, 40.3), box(44.8, 38.8, 46.0, 39.7)],
        crs="EPSG:4326",
    )


def sample_basemap() -> gpd.GeoDataFrame:
    """Three made-up 'countries' with over-precise coordinates."""
    shapes = [box(43.123456, 38.654321, 46.5, 41.3), box(46.5, 38.4, 50.7, 42.0), box(40.0, 41.3, 46.7, 43.6)]
    return gpd.GeoDataFrame(
        {"iso2": ["AM", "AZ", "GE"], "name": ["Armenia", "Azerbaijan", "Georgia"]},
        geometry=shapes,
        crs="EPSG:4326",
    )


def sample_map(**kwargs) -> str:
    return render_map(
        sample_incidents(),
        places=sample_places(),
        regions=sample_regions(),
        basemap=sample_basemap(),
        title="Caucasus",
        **kwargs,
    )


def page_data(page: str) -> dict:
    """The data a map page carries, as JSON or gzipped JSON in base64."""
    kind, text = re.search(
        r'<script type="application/([\w+-]+)" id="gm-data">(.*?)</script>', page, re.DOTALL
    ).groups()
    if kind == "gzip+base64":
        text = gzip.decompress(base64.b64decode(text)).decode("utf-8")
    return json.loads(text)
