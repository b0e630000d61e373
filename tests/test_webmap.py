"""The interactive map rendered to a string: layers, escaping, offline assets, determinism."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest

from geomap import style, webmap
from geomap.incidents.taxonomy import DISASTERS, TAXONOMY
from geomap.webmap import AssetsMissing, NotSelfContained, assets, find_remote_references, payload, render_map, write_map

from builders import HOSTILE, make_incidents, page_data, sample_basemap, sample_incidents, sample_map, \
    sample_places, sample_regions

ROOT = Path(__file__).resolve().parent.parent
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
        "Offline basemap",
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
    styles = list(style.EVENT_STYLES.values())
    assert [s.name for s in styles] == [
        "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots", "Strategic developments",
        "Disasters",
    ]  # fmt: skip
    assert (
        len({s.colour for s in styles})
        == len({s.marker for s in styles})
        == len({s.slug for s in styles})
        == 7
    )
    assert all(s.marker in style.SHAPES for s in styles + [style.OTHER_EVENT, style.HISTORICAL])
    assert style.event_style("Looting").name == "Other"


def test_every_event_type_of_the_taxonomy_has_a_style():
    assert set(style.EVENT_STYLES) == set(TAXONOMY)
    assert list(style.EVENT_STYLES) == list(TAXONOMY)  # layers and legends in the taxonomy's order


def test_disasters_have_a_colour_and_shape_of_their_own():
    disasters = style.event_style(DISASTERS)
    assert disasters is not style.OTHER_EVENT
    others = [s for name, s in style.EVENT_STYLES.items() if name != DISASTERS]
    looks = [style.HISTORICAL_COLOUR, style.OTHER_EVENT.colour] + [s.colour for s in others]
    assert disasters.colour.lower() not in {c.lower() for c in looks}
    assert disasters.marker not in {s.marker for s in others + [style.OTHER_EVENT, style.HISTORICAL]}
    assert style.SHAPES[disasters.marker] not in {style.SHAPES[s.marker] for s in others}


def test_a_disaster_gets_its_own_layer_legend_and_popup_colour():
    flood = dict(event_type=DISASTERS, sub_event_type="Flood", event_date="2022-08-30", location="Sukkur",
                 country="Pakistan", latitude=27.7052, longitude=68.8574, source_sentence="Floods swept Sukkur.")
    old_flood = dict(flood, event_date="2010-08-01", historical=True, source_sentence="In 2010, floods swept Sukkur.")
    page = render_map(make_incidents([flood, old_flood, dict(flood, event_type="Locust swarm")]))
    disasters, other = style.event_style(DISASTERS), style.OTHER_EVENT
    data = page_data(page)
    types = {t[0]: t for t in data["t"]}
    assert types["Disasters"][1:4] == ["disasters", disasters.colour, style.icon_svg(disasters)]
    assert types["Disasters"][4] == style.icon_svg(disasters, colour=style.HISTORICAL_COLOUR)
    assert types["Locust swarm"][2] == other.colour  # an unknown type still looks like Other
    legend = re.search(r'<div class="gm-box gm-legend">(.*?)</div></div>', page, re.DOTALL).group(1)
    assert f"<div>{style.icon_svg(disasters, 16)} Disasters</div>" in legend
    assert f"<div>{style.icon_svg(style.HISTORICAL, 16)} historical" in legend
    index = data["t"].index(types["Disasters"])
    assert re.search(rf'gm\.addIncidents\(\w+, \w+, {index}, "{disasters.colour}"\);', page)
    control = re.search(r"_layers = \{(.*?)\};", page, re.DOTALL).group(1)
    label = next(json.loads(n) for n in re.findall(r'^\s*(".*?") :', control, re.MULTILINE) if "Disasters" in n)
    assert label.startswith('<span class="gm-lc"><svg width="14" height="14" viewBox="0 0 20 20" fill="#000000"')
    assert label.endswith("</svg></span> Disasters (1)")


def test_the_page_draws_every_type_from_the_style_table(page):
    data = page_data(page)
    for name, colour, icon in [(t[0], t[2], t[3]) for t in data["t"]]:
        expected = style.event_style(html.unescape(name))
        assert (colour, icon) == (expected.colour, style.icon_svg(expected))
    assert data["tp"][1:] == [style.TIME_PRECISION[k] for k in (1, 2, 3)]
    assert data["gp"][1:] == [style.GEO_PRECISION[k] for k in (1, 2, 3)]
    assert data["credits"] == style.CREDITS


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
        "Stepanakert",  # the label: the article's spelling, which is the gazetteer's here
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


def decode(encoded: list[int], quantum: float) -> list[tuple[float, float]]:
    """A ring or line of the page's basemap as (lon, lat) points (what webmap.js decode does)."""
    points, x, y = [], 0, 0
    for dx, dy in zip(encoded[::2], encoded[1::2]):
        x, y = x + dx, y + dy
        points.append((round(x * quantum, 6), round(y * quantum, 6)))
    return points


def test_basemap_is_one_layer_in_a_lower_pane_simplified_per_zoom(page):
    assert page.count("var basemap_") == 1
    basemap = re.search(r"var (basemap_\w+) = L\.featureGroup\(\);\s*gm\.addBasemap\(\w+, \1, (\{.*?\})\);",
                        page, re.DOTALL)
    # one static style object per layer, not a style function per feature
    styles = json.loads(basemap.group(2))
    assert styles["land"] == {"color": style.BORDER, "weight": 0.7, "fillColor": style.LAND, "fillOpacity": 1}
    assert styles["disputed"]["color"] == style.DISPUTED and styles["disputed"]["dashArray"]
    bm = page_data(page)["bm"]
    # three made-up countries; the coarse outlines (world view) and the stored ones (from zoom 4)
    assert len(bm["c0"]) == len(bm["c1"]) == 3
    armenia = decode(bm["c1"][0][0], bm["q"])
    assert (43.12, 38.65) in armenia and (46.5, 41.3) in armenia  # 43.123456 -> a 0.01 degree grid
    assert all(isinstance(v, int) for ring in bm["c1"][0] for v in ring)
    assert re.search(r'createPane\(\s*"gm-basemap"\);\s*\w+\.style\.zIndex = 150;', page)
    assert re.search(r'createPane\(\s*"gm-labels"\);\s*\w+\.style\.zIndex = 450;', page)


def test_basemap_labels_are_candidates_ranked_with_their_zoom(page):
    kinds = webmap.layers.LABEL_KINDS
    labels = [(kinds[k], text, lat, lon, zoom) for k, text, lat, lon, zoom in page_data(page)["bm"]["lb"]]
    countries = [label for label in labels if label[0] == "country"]
    assert [c[1] for c in countries] == ["Azerbaijan", "Armenia", "Georgia"]  # most room first
    # each at the centre of the largest circle inside it: Armenia's box is 43.12-46.5 E, 38.65-41.3 N
    armenia = countries[1]
    assert 39.9 < armenia[2] < 40.1 and 43.7 < armenia[3] < 45.9
    seas = {label[1]: label for label in labels if label[0] == "sea"}
    assert seas["Caspian Sea"][4] == 3 and seas["Pacific Ocean"][4] == 1 and seas["Sea of Azov"][4] == 5
    # countries before seas: a country's name wins a place a sea's name also wants
    assert labels.index(countries[-1]) < labels.index(seas["Pacific Ocean"])


def test_every_sea_label_lies_at_sea():
    from geomap.basemap import read_seas
    from shapely import unary_union
    from shapely.geometry import Point

    import gzip

    with gzip.open(ROOT / "gazetteer" / "sources" / "countries.geojson.gz") as f:
        countries = gpd.read_file(f)
    land = unary_union(countries.geometry.values)
    seas = read_seas()
    assert {"Black Sea", "Caspian Sea", "Mediterranean Sea", "Atlantic Ocean", "Pacific Ocean"} <= {s.name for s in seas}
    assert [s.name for s in seas if land.distance(Point(s.lon, s.lat)) < 0.2] == []
    # a positive control: the same test finds a point on land
    assert land.distance(Point(47.0, 40.4)) == 0  # Azerbaijan


def test_towns_named_as_the_articles_wrote_them():
    from geomap.basemap import Town, as_basemap

    layers = as_basemap(sample_basemap()).with_towns([
        Town("Xankandi", 39.8177, 46.7528, "AZ", 53_100, False, 146970),
        Town("Ganja", 40.68157, 46.36134, "AZ", 330_663, False, 586523),
        Town("Baku", 40.37767, 49.89201, "AZ", 1_116_513, True, 587084),
    ])
    frame = make_incidents([dict(event_type="Battles", event_date="2020-10-05", location="Xankandi",
                                 location_text="Stepanakert", country="Azerbaijan", country_code="AZ",
                                 geonames_id=146970, latitude=39.8177, longitude=46.7528)])
    data = page_data(render_map(frame, basemap=layers))
    kinds = webmap.layers.LABEL_KINDS
    towns = {text: (kinds[k], zoom) for k, text, _, _, zoom in data["bm"]["lb"] if kinds[k] in ("town", "capital")}
    assert towns == {"Stepanakert (Xankandi, AZ)": ("town", 7), "Ganja": ("town", 5), "Baku": ("capital", 3)}
    # the incident's place and its popup lead with the article's spelling too
    assert data["s"][data["p"][0][6]] == "Stepanakert (Xankandi, AZ)"
    assert data["s"][data["r"][0][webmap.ROW_FIELDS.index("place_label")]] == "Stepanakert (Xankandi, AZ)"


def test_places_sharing_a_label_are_told_apart_by_their_area():
    california = dict(event_type="Protests", event_date="2007-01-17", location="California", country="United States",
                      country_code="US", place_kind="city")
    frame = make_incidents([dict(california, admin1="Missouri", latitude=38.63, longitude=-92.57),
                            dict(california, admin1="Maryland", latitude=38.30, longitude=-76.51),
                            dict(california, location="Baku", country="Azerbaijan", country_code="AZ",
                                 admin1="Baku", latitude=40.38, longitude=49.89)])
    data = page_data(render_map(frame))
    assert sorted(data["s"][p[6]] for p in data["p"]) == ["Baku", "California, Maryland", "California, Missouri"]
    # one place in two rows keeps its label; another label in the same area is left alone
    assert style.distinct_labels(["Baku", "Baku", "Ganja"], ["Baku", "Baku", "Ganja"]) == ["Baku", "Baku", "Ganja"]


def test_places_mentioned_are_quiet_and_off_once_crowded(page):
    added = set(re.findall(r"(feature_group_\w+)\.addTo\(", page))
    places = re.search(r"var (feature_group_\w+) = L\.featureGroup\([^)]*\);\s*gm\.addPlaces", page)
    assert places.group(1) in added  # three places: shown
    many = sample_places().iloc[[0] * (style.CROWDED_PLACES + 1)]
    crowded = render_map(sample_incidents(), places=many)
    group = re.search(r"var (feature_group_\w+) = L\.featureGroup\([^)]*\);\s*gm\.addPlaces", crowded).group(1)
    assert group not in set(re.findall(r"(feature_group_\w+)\.addTo\(", crowded))
    assert page_data(crowded)["plc"] == style.PLACE_MENTIONED
    assert re.search(r'createPane\(\s*"gm-places"\);\s*\w+\.style\.zIndex = 420;', page)  # under the markers (600)


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
        ('<script>L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png")</script>', True),
        ('<style>.a{background:url(https://cdn.example.org/a.png)}</style>', True),
        ('<img src="https://example.org/pixel.gif">', True),
        ('<a href="https://example.org/article">title</a>', False),
        ('"\\u003ca href=\\"https://example.org/a\\" target=\\"_blank\\"\\u003e"', False),
        ('document.createElementNS("http://www.w3.org/2000/svg", "svg")', False),
        ("/* Leaflet, https://leafletjs.com */", False),
        ("<script>x = 1;\n// see https://example.org/bug\n</script>", False),
        # page text is shown, never fetched; the script after it is still read
        ("<title>Report at https://example.com/x</title>", False),
        ('<div>see https://example.org/r</div><script src="https://cdn.example.org/x.js"></script>', True),
        ('<div>see https://example.org/r</div><script>fetch("https://example.org/r")</script>', True),
    ],
)
def test_find_remote_references(snippet, remote):
    assert bool(find_remote_references(snippet)) is remote


def test_offline_map_fails_loudly_on_remote_references(monkeypatch):
    # say someone adds a web font to the page's CSS
    monkeypatch.setattr(assets, "PAGE_CSS", assets.PAGE_CSS + "@import url(https://fonts.example.org/sans.css);")
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
    code = "import sys; sys.path.insert(0, sys.argv[1]); import builders; sys.stdout.write(builders.sample_map())"
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


def test_incidents_without_a_location_are_listed_not_drawn():
    frame = sample_incidents()
    frame.loc[0, "geometry"] = None
    frame.loc[0, ["latitude", "longitude", "location", "geo_precision"]] = None
    frame.loc[0, "location_text"] = "the <b>village</b>"
    page = render_map(frame)
    assert len(page_data(page)["r"]) == 9
    assert "1 without a location, not shown" in page
    listed = re.search(r'<details class="gm-unplaced"><summary>(.*?)</summary><ol>(.*?)</ol>', page).groups()
    assert listed == ("1 incident without a place on the map",
                      "<li>2023-09-19 &middot; Battles &middot; &ldquo;the &lt;b&gt;village&lt;/b&gt;&rdquo; "
                      "(not in the gazetteer) &mdash; <cite>Fighting in Karabakh</cite></li>")
    assert '<details class="gm-unplaced">' not in render_map(sample_incidents())  # all placed: no list


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
    monkeypatch.setattr(payload, "COMPRESS_ABOVE", 1000)
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
