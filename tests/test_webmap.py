"""The interactive map rendered to a string: layers, escaping, offline assets, determinism."""

from __future__ import annotations

import base64
import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from geomap import webmap
from geomap.frame import COLUMNS
from geomap.webmap import AssetsMissing, NotSelfContained, find_remote_references, render_map, write_map

ROOT = Path(__file__).resolve().parent.parent
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


@pytest.fixture(scope="module")
def page() -> str:
    return sample_map()


def test_one_layer_per_event_type_then_historical_off_by_default(page):
    control = re.search(r"_layers = \{(.*?)\};", page, re.DOTALL).group(1)
    names = [
        re.sub(r"\\u003c.*?\\u003e|<[^>]*>", "", n).strip()
        for n in re.findall(r'^\s*(".*?") :', control, re.MULTILINE)
    ]
    names = [json.loads(n).strip() for n in names]
    assert names == [
        "Countries (offline basemap)",
        "Regions (1 with region-level incidents)",
        "Places mentioned (3)",
        "Battles (3)",
        "Explosions/Remote violence (1)",
        "Violence against civilians (1)",
        "Protests (2)",
        "Riots (1)",
        "Strategic developments (1)",
        "Historical incidents (1)",
    ]
    groups = re.findall(r"var (feature_group_\w+) = L\.featureGroup", page)
    added = set(re.findall(r"(feature_group_\w+)\.addTo\(", page))
    assert len(groups) == 9
    assert [g in added for g in groups] == [True] * 8 + [False]  # historical starts hidden


def test_each_event_type_has_its_own_colour_and_shape():
    styles = list(webmap.EVENT_TYPES.values())
    assert [s.name for s in styles] == [
        "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots", "Strategic developments",
    ]  # fmt: skip
    assert (
        len({s.colour for s in styles})
        == len({s.marker for s in styles})
        == len({s.slug for s in styles})
        == 6
    )
    assert all(s.marker in webmap.SHAPES for s in styles + [webmap.OTHER_EVENT])
    assert webmap.event_style("Looting").name == "Other"


def test_legend_title_date_range_and_credits(page):
    assert "<title>Caucasus</title>" in page
    assert (
        '<h1>Caucasus</h1><div class="gm-sub">2023-09-19 to 2023-09-23 &middot; 9 incidents (+1 historical)'
        in page
    )
    legend = re.search(r'<div class="gm-box gm-legend">(.*?)</div></div>', page, re.DOTALL).group(1)
    for name in [
        "Battles",
        "Explosions/Remote violence",
        "Violence against civilians",
        "Protests",
        "Riots",
        "Strategic developments",
    ]:
        assert html_escape(name) in legend
    assert "GeoNames" in page_data(page)["credits"] and "Natural Earth" in page_data(page)["credits"]


def html_escape(text: str) -> str:
    import html

    return html.escape(text)


def test_article_text_is_escaped_everywhere(page):
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "<b>Hostile" not in page and "<i>Times" not in page and "Baku <b>" not in page
    data = page_data(page)
    assert html_escape(HOSTILE) in data["s"]
    assert html_escape(HOSTILE).startswith(
        "&lt;script&gt;alert(1)&lt;/script&gt; and &lt;img src=x onerror=&quot;"
    )
    # a javascript: URL is shown as a title, never as a link
    hostile_credit = next(a for a in data["a"] if "Hostile" in a)
    assert "href" not in hostile_credit and "javascript:" not in hostile_credit
    assert (
        hostile_credit
        == "&mdash; <cite>&lt;b&gt;Hostile&lt;/b&gt; article</cite>, Evil &lt;i&gt;Times&lt;/i&gt;, 2023-09-21"
    )
    good_credit = next(a for a in data["a"] if "Karabakh" in a)
    assert good_credit.startswith(
        '&mdash; <a href="https://example.org/karabakh" target="_blank" rel="noopener noreferrer">'
    )


def test_popup_fields_carry_what_when_where_fatalities_actors(page):
    data = page_data(page)
    s, fields = data["s"], webmap.ROW_FIELDS
    first = dict(zip(fields, data["r"][0]))
    assert data["t"][first["type"]][0] == "Battles"
    assert data["d"][first["date"]] == "2023-09-19" and first["time_precision"] == 1
    assert data["p"][first["place"]][:2] == [39.8177, 46.7528]
    assert [s[i] for i in data["p"][first["place"]][2:]] == [
        "Stepanakert",
        "Nagorno-Karabakh",
        "Azerbaijan",
        "city",
    ]
    assert first["fatalities"] == 27 and s[first["fatalities_qualifier"]] == "at least"
    assert s[first["fatalities_parts"]] == "20 soldiers; 7 civilians"
    assert (s[first["actor1"]], s[first["actor2"]]) == (
        "Military Forces of Azerbaijan",
        "Artsakh Defence Army",
    )
    assert s[first["source_sentence"]].startswith("Fighting raged around Stepanakert")
    assert data["a"][first["article"]].endswith("Example News, 2023-09-20")


def test_places_sized_by_mentions_and_regions_counted(page):
    data = page_data(page)
    assert [p[3] for p in data["pl"]] == [12, 3, 1]
    assert data["pl"][2][2] == "<b>Baku &lt;b&gt;</b> (city, AZ)<br>1 mention"
    assert [(f["properties"]["name"], f["properties"]["n"]) for f in data["rg"]["features"]] == [
        ("Nagorno-Karabakh", 1),
        ("Nakhchivan", 0),
    ]


def test_basemap_is_one_light_layer_in_a_lower_pane(page):
    assert page.count("var basemap_") == 1
    basemap = re.search(r"var basemap_\w+ = L\.geoJson\(null, \{(.*?)\}\);", page, re.DOTALL).group(1)
    # one static style object, not a style function per feature
    assert (
        'style: {color: "#8d8d8d"' in basemap
        and 'pane: "gm-basemap"' in basemap
        and "function" not in basemap
    )
    features = page_data(page)["bm"]["features"]
    assert len(features) == 3 and features[0]["geometry"]["coordinates"][0][0] == [43.12, 38.65]
    coordinates = re.findall(r"-?\d+\.\d+", json.dumps(features))
    assert coordinates and all(len(c.split(".")[1]) <= 2 for c in coordinates)
    assert re.search(r'createPane\(\s*"gm-basemap"\);\s*\w+\.style\.zIndex = 150;', page)


def test_time_slider_only_when_dates_differ(page):
    assert 'id="gm-slider"' in page
    one_day = make_incidents(
        [dict(event_type="Riots", event_date="2023-09-22", latitude=40.4, longitude=49.9)]
    )
    assert 'id="gm-slider"' not in render_map(one_day)


def test_offline_page_is_self_contained(page):
    assert find_remote_references(page) == []
    assert not re.search(r"<script[^>]*\ssrc=", page) and not re.search(r"<link[^>]*\shref=", page)
    assert "L.MarkerClusterGroup" in page and "Leaflet 1.9.3" in page
    assert "url(images/" not in page and "data:image/png;base64," in page
    assert '"maxZoom": 18' in page  # MarkerCluster needs it; tiles=None sets none


def test_online_page_links_the_cdn_and_osm_tiles():
    page = sample_map(online=True)
    assert '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"></script>' in page
    assert "tile.openstreetmap.org" in page and "OpenStreetMap (online only)" in page
    assert len(find_remote_references(page)) >= 5


@pytest.mark.parametrize(
    "snippet, remote",
    [
        ('<script src="https://cdn.example.org/x.js"></script>', True),
        ('<link rel="stylesheet" href="http://cdn.example.org/x.css"/>', True),
        (".a{background:url(//cdn.example.org/a.png)}", True),
        ('L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png")', True),
        ('<img src="https://example.org/pixel.gif">', True),
        ('<a href="https://example.org/article">title</a>', False),
        ('"\\u003ca href=\\"https://example.org/a\\" target=\\"_blank\\"\\u003e"', False),
        ('document.createElementNS("http://www.w3.org/2000/svg", "svg")', False),
        ("/* Leaflet, https://leafletjs.com */", False),
        ("x = 1;\n// see https://example.org/bug\n", False),
    ],
)
def test_find_remote_references(snippet, remote):
    assert bool(find_remote_references(snippet)) is remote


def test_offline_map_fails_loudly_on_remote_references(monkeypatch):
    # say someone adds a web font to the page's CSS
    monkeypatch.setattr(webmap, "_CSS", webmap._CSS + "@import url(https://fonts.example.org/sans.css);")
    with pytest.raises(NotSelfContained, match="fonts.example.org"):
        render_map(sample_incidents())


def test_missing_assets_say_to_run_npm_ci(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOMAP_ASSETS", str(tmp_path))
    with pytest.raises(AssetsMissing, match="npm ci"):
        render_map(sample_incidents())
    (tmp_path / "leaflet").mkdir()
    (tmp_path / "leaflet" / "package.json").write_text('{"version": "1.9.4"}')
    with pytest.raises(AssetsMissing, match=r"leaflet 1\.9\.4, geomap needs 1\.9\.3"):
        render_map(sample_incidents())
    # an online map needs no assets installed
    assert "cdn.jsdelivr.net" in render_map(sample_incidents(), online=True)


def test_package_json_pins_the_assets_versions():
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    for asset in webmap.ASSETS:
        assert package["dependencies"][asset.package] == asset.version
        assert lock["packages"][f"node_modules/{asset.package}"]["version"] == asset.version


def test_same_input_gives_byte_identical_html(page):
    assert sample_map() == page
    # and in another process, where folium's random ids would differ
    code = "import sys; sys.path.insert(0, sys.argv[1]); import test_webmap; sys.stdout.write(test_webmap.sample_map())"
    other = subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert other.stdout == page


def test_missing_columns_are_named():
    frame = sample_incidents().drop(columns=["actor2", "notes"])
    with pytest.raises(ValueError, match="actor2, notes"):
        render_map(frame)


def test_incidents_without_a_location_are_counted_not_drawn():
    frame = sample_incidents()
    frame.loc[0, "geometry"] = None
    frame.loc[0, ["latitude", "longitude"]] = None
    page = render_map(frame)
    assert len(page_data(page)["r"]) == 9
    assert "1 without a location, not shown" in page


def test_write_map_is_atomic(tmp_path):
    target = tmp_path / "out" / "map.html"
    assert write_map(target, "<p>first</p>") == target
    assert target.read_text() == "<p>first</p>"
    with pytest.raises(UnicodeEncodeError):
        write_map(target, "<p>\ud800</p>")  # cannot be encoded: the write fails half-way
    assert target.read_text() == "<p>first</p>"
    assert os.listdir(target.parent) == ["map.html"]


def test_article_text_is_not_read_as_a_template():
    # branca parses rendered macros as Jinja templates again; article text must not reach it
    frame = sample_incidents()
    frame.loc[3, "source_sentence"] = "Placards read {{ 7*7 }} and {% endmacro %} in Tbilisi."
    data = page_data(render_map(frame))
    assert "Placards read {{ 7*7 }} and {% endmacro %} in Tbilisi." in data["s"]


def test_large_data_is_gzipped(monkeypatch, page):
    monkeypatch.setattr(webmap, "COMPRESS_ABOVE", 1000)
    packed = sample_map()
    assert '<script type="application/gzip+base64" id="gm-data">' in packed
    assert page_data(packed) == page_data(page)
    assert len(packed) < len(page)
    assert find_remote_references(packed) == []


def test_frames_with_nullable_integers_render_the_same(page):
    # geomap.frame.incidents_frame stores counts as pandas' Int64 (missing is pd.NA) and adds an
    # "area" geometry column for region-level incidents
    frame = sample_incidents()
    for name in ("fatalities", "time_precision", "geo_precision"):
        frame[name] = frame[name].astype("Int64")
    frame["area"] = gpd.GeoSeries([None] * len(frame), crs="EPSG:4326", index=frame.index)
    assert frame["fatalities"].isna().sum() == 6
    again = render_map(frame, places=sample_places(), regions=sample_regions(), basemap=sample_basemap(), title="Caucasus")
    assert page_data(again) == page_data(page)
