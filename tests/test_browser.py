"""The offline map in a real browser (Debian's Chromium), with every network request blocked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_webmap import HOSTILE, page_data, sample_map

from geomap import browser
from geomap.webmap import write_map

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(browser.CHROMIUM).exists(),
        reason=f"{browser.CHROMIUM} is missing (apt-get install -y chromium chromium-driver); CI installs it",
    ),
]
pytest.importorskip("playwright", reason="playwright is a dev dependency: uv sync --group dev")


@pytest.fixture(scope="module")
def map_file(tmp_path_factory) -> Path:
    """The sample map, written in one folder and opened from a copy elsewhere: it must need nothing beside it."""
    made = write_map(tmp_path_factory.mktemp("made") / "map.html", sample_map())
    copy = tmp_path_factory.mktemp("copied") / "briefing map.html"
    shutil.copy(made, copy)
    made.unlink()
    return copy


@pytest.fixture()
def opened(map_file):
    with browser.open_page() as (page, log):
        browser.load_map(page, map_file, log=log)
        yield page, log


def markers(page, event_slug: str) -> int:
    return page.locator(f".gm-marker.gm-ev-{event_slug}").count()


def layer_checkbox(page, name: str):
    return page.locator(".leaflet-control-layers-overlays label", has_text=name).locator("input")


def test_loads_without_errors_or_requests(opened):
    page, log = opened
    page.wait_for_timeout(500)
    assert log.console_errors == [] and log.page_errors == []
    assert log.blocked == [] and log.failed == []
    assert page.locator("#gm-data").count() == 1
    # the basemap is drawn on a canvas in its own pane, under the overlays
    assert page.locator(".leaflet-gm-basemap-pane canvas").count() == 1


def test_layer_control_lists_the_layers(opened):
    page, _ = opened
    base = page.locator(".leaflet-control-layers-base label").all_inner_texts()
    overlays = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert [t.strip() for t in base] == ["Countries (offline basemap)"]
    assert [t.strip() for t in overlays] == [
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
    assert layer_checkbox(page, "Historical incidents").is_checked() is False
    assert page.locator(".gm-legend").inner_text().startswith("Event type")


def test_switching_a_layer_off_hides_its_markers(opened):
    page, _ = opened
    assert markers(page, "protests") == 2 and markers(page, "riots") == 1
    layer_checkbox(page, "Protests").uncheck()
    assert markers(page, "protests") == 0 and markers(page, "riots") == 1
    layer_checkbox(page, "Protests").check()
    assert markers(page, "protests") == 2
    assert page.locator(".gm-hist").count() == 0
    layer_checkbox(page, "Historical incidents").check()
    page.wait_for_timeout(300)
    assert page.locator(".gm-hist").count() + page.locator(".gm-cluster").count() >= 1


def test_popup_shows_the_escaped_sentence_and_the_script_never_runs(opened, map_file):
    page, log = opened
    row = next(
        i for i, r in enumerate(page_data(map_file.read_text())["r"]) if r[1] == 2
    )  # violence against civilians
    page.locator(f'.gm-marker[data-row="{row}"]').click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert HOSTILE in text
    assert "Violence against civilians" in text and "Yerevan, Armenia" in text
    assert "<b>Hostile</b> article, Evil <i>Times</i>, 2023-09-21" in text
    assert popup.locator("script, img, b, i").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert log.dialogs == [] and log.failed == [] and log.blocked == []


def test_popup_gives_when_where_fatalities_actors_and_source(opened):
    page, _ = opened
    page.locator('.gm-marker[data-row="0"], .gm-cluster').first.click()
    page.wait_for_timeout(600)
    page.locator('.gm-marker[data-row="0"]').click()
    text = page.locator(".leaflet-popup-content").inner_text()
    for part in [
        "Battles: Armed clash",
        "Clashes around Stepanakert",
        "2023-09-19 (the day is known)",
        "Stepanakert, Nagorno-Karabakh, Azerbaijan (city; the place itself)",
        "at least 27 (20 soldiers; 7 civilians)",
        "Military Forces of Azerbaijan — Artsakh Defence Army",
        "“Fighting raged around Stepanakert on Tuesday, killing at least 27.”",
        "— Fighting in Karabakh, Example News, 2023-09-20",
    ]:
        assert part in text
    assert page.locator(".leaflet-popup-content a").get_attribute("href") == "https://example.org/karabakh"


def test_time_slider_hides_later_incidents(opened):
    page, log = opened
    assert markers(page, "strategic") == 1  # 2023-09-23, the last day
    slider = page.locator("#gm-slider")
    slider.evaluate(
        "(s) => { s.value = s.min; s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change')); }"
    )
    assert page.locator("#gm-slider-label").inner_text() == "up to 2023-09-19"
    assert markers(page, "strategic") == 0 and markers(page, "protests") == 0
    slider.evaluate("(s) => { s.value = s.max; s.dispatchEvent(new Event('change')); }")
    assert markers(page, "strategic") == 1
    assert log.page_errors == []


def test_screenshot(map_file, tmp_path):
    from PIL import Image

    png = browser.screenshot(map_file, tmp_path / "shot.png", width=1200, height=800)
    image = Image.open(png)
    assert image.size == (1200, 800)
    assert len(image.convert("RGB").getcolors(1 << 16) or []) > 20  # a map, not a blank page


def test_gzipped_map_with_incidents_sharing_a_place(tmp_path, monkeypatch):
    from test_webmap import make_incidents, sample_incidents

    from geomap import webmap

    monkeypatch.setattr(webmap, "COMPRESS_ABOVE", 0)
    extra = make_incidents([dict(event_type="Protests", event_date="2023-09-23", location="Tbilisi", country="Georgia",
                                 latitude=41.7151, longitude=44.8271, source_sentence="A second protest in Tbilisi.")])  # fmt: skip
    frame = sample_incidents()
    frame = type(frame)(list(frame.to_dict("records")) + list(extra.to_dict("records")), crs=frame.crs)
    page_text = webmap.render_map(frame, title="Gzipped")
    assert "application/gzip+base64" in page_text
    path = write_map(tmp_path / "gz.html", page_text)
    with browser.open_page() as (page, log):
        browser.load_map(page, path, log=log)
        tbilisi = page.locator('.gm-ev-protests[data-n="2"]')
        assert tbilisi.count() == 1 and markers(page, "protests") == 2  # Tbilisi (2 incidents) and Gyumri
        tbilisi.click()
        text = page.locator(".leaflet-popup-content").inner_text()
        assert text.startswith("2 incidents at Tbilisi")
        assert text.index("A second protest in Tbilisi.") < text.index(
            "Hundreds protested in Tbilisi."
        )  # latest first
        assert log.clean, log


def test_the_harness_blocks_the_network(tmp_path):
    page_file = tmp_path / "leaky.html"
    page_file.write_text(
        '<img src="https://example.org/pixel.gif"><script>window.geomapReady = true;</script>'
    )
    with browser.open_page() as (page, log):
        browser.load_map(page, page_file, log=log)
        assert log.blocked == ["https://example.org/pixel.gif"] and not log.clean
