"""The offline map in a real browser (Debian's Chromium), with every network request blocked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from builders import HOSTILE, page_data, sample_map

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
    # the basemap is drawn on canvases in its own pane, under the overlays: land, the lines
    # between first-level divisions, disputed areas
    assert page.locator(".leaflet-gm-basemap-pane canvas").count() == 3
    assert page.locator(".leaflet-overlay-pane canvas").count() == 0


def test_layer_control_lists_the_layers(opened):
    page, _ = opened
    base = page.locator(".leaflet-control-layers-base label").all_inner_texts()
    overlays = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert [t.strip() for t in base] == ["Offline basemap"]
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
    from builders import make_incidents, sample_incidents

    from geomap import webmap
    from geomap.webmap import payload

    monkeypatch.setattr(payload, "COMPRESS_ABOVE", 0)
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


# --- the seed map with the real gazetteer's basemap, as a reader sees it ----------------------------

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
VISIBLE_LABELS = """() => {
  const view = document.querySelector('.leaflet-container').getBoundingClientRect();
  return Array.from(document.querySelectorAll('.gm-label:not(.gm-probe)')).map(el => {
    const b = el.getBoundingClientRect(), style = getComputedStyle(el);
    return {text: el.textContent, kind: el.className.match(/gm-lk-(\\w+)/)[1], box: [b.left, b.top, b.right, b.bottom],
            shown: style.visibility !== 'hidden' && getComputedStyle(el.parentElement).visibility !== 'hidden'
                   && b.width > 0 && b.left >= view.left && b.right <= view.right && b.top >= view.top
                   && b.bottom <= view.bottom};
  }).filter(l => l.shown);
}"""


@pytest.fixture(scope="module")
def seed_map(tmp_path_factory, gazetteer) -> Path:
    from geomap import read_articles
    from geomap.briefing import collect, write_briefing

    found = collect(read_articles(SEEDS), gazetteer)
    out = tmp_path_factory.mktemp("seed-map")
    return write_briefing(found, gazetteer, out, name="seeds", title="Seeds", png=False, pdf=False)[0]


# the boxes over the map: Leaflet's controls in the map's container, the title and legend in the page
OVERLAY_BOXES = """() => Array.from(document.querySelectorAll('.leaflet-control, .gm-box')).map(el => {
  const b = el.getBoundingClientRect();
  return {text: el.className, box: [b.left, b.top, b.right, b.bottom]};
}).filter(b => b.box[2] > b.box[0])"""


def under_boxes(page, labels: list[dict]) -> list[tuple[str, str]]:
    """(label, box) for each label that a box over the map hides, wholly or in part."""
    boxes = page.evaluate(OVERLAY_BOXES)
    assert any("gm-legend" in b["text"] for b in boxes) and any("gm-title" in b["text"] for b in boxes)
    return [pair for label in labels for box in boxes for pair in overlaps([label, box])]


def view(page, lat: float, lon: float, zoom: int) -> list[dict]:
    """Move the map, wait for the label pass that follows, and return the labels on screen."""
    passes = page.evaluate("document.body.dataset.labels")
    # a statement, not an expression: setView returns the map, which Playwright would serialise
    page.evaluate(f"() => {{ window.geomapMap.setView([{lat}, {lon}], {zoom}, {{animate: false}}); }}")
    page.wait_for_function(f"document.body.dataset.labels !== '{passes}'")
    page.wait_for_timeout(400)  # clusters settle, and the pass after them
    page.wait_for_function("document.querySelector('.leaflet-gm-labels-pane').style.visibility !== 'hidden'")
    return page.evaluate(VISIBLE_LABELS)


def overlaps(labels: list[dict]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = a["box"], b["box"]
            if ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1:
                found.append((a["text"], b["text"]))
    return found


def test_overlaps_finds_overlapping_boxes():
    boxes = [{"text": "a", "box": [0, 0, 10, 10]}, {"text": "b", "box": [5, 5, 15, 15]}, {"text": "c", "box": [20, 0, 30, 9]}]
    assert overlaps(boxes) == [("a", "b")]


@pytest.fixture(scope="module")
def seed_page(seed_map):
    with browser.open_page(1400, 900) as (page, log):
        browser.load_map(page, seed_map, log=log)
        yield page, log


def test_the_theatre_at_zoom_7_names_countries_and_towns(seed_page):
    page, log = seed_page
    labels = view(page, 40.2, 46.6, 7)  # the seeds' theatre: Nagorno-Karabakh and Ganja
    texts = [label["text"] for label in labels]
    for name in ("Azerbaijan", "Armenia", "Stepanakert", "Ganja", "Baku", "Yerevan"):
        assert any(name in t for t in texts), (name, texts)
    kinds = {label["text"]: label["kind"] for label in labels}
    assert kinds["Azerbaijan"] == kinds["Armenia"] == "country"
    assert kinds["Baku"] == kinds["Yerevan"] == "capital"
    # the article's spelling leads, with the gazetteer's name beside it
    assert kinds["Stepanakert (Xankandi, AZ)"] == "incident" and kinds["Gandja (Ganja, AZ)"] == "incident"
    assert "Xankandi" not in texts  # the gazetteer's name never stands alone for a place the article named
    assert {"admin1", "town"} <= set(kinds.values())
    # the neighbours whose label points lie outside this view are named at one of their divisions
    assert kinds["Iran"] == kinds["Turkey"] == kinds["Russia"] == kinds["Georgia"] == "country"
    assert texts.count("Iran") == 1 and texts.count("Azerbaijan") == 1
    assert overlaps(labels) == []
    assert under_boxes(page, labels) == []  # nothing hidden under the legend, the title or the controls
    assert log.console_errors == [] and log.page_errors == [] and log.blocked == [] and log.failed == []


def test_zooming_in_adds_town_labels(seed_page):
    page, _ = seed_page
    at_7 = {label["text"] for label in view(page, 40.68, 46.36, 7) if label["kind"] == "town"}
    labels = view(page, 40.68, 46.36, 9)  # Ganja
    at_9 = {label["text"] for label in labels if label["kind"] == "town"}
    assert at_9 - at_7, (at_7, at_9)  # towns too small to name at zoom 7
    assert overlaps(labels) == []
    assert under_boxes(page, labels) == []
    # Ganja is named once, by its incident label in the article's spelling; other towns are named
    texts = [label["text"] for label in labels]
    assert texts.count("Gandja (Ganja, AZ)") == 1 and "Shamkhor" in texts
    world = view(page, 30, 20, 2)
    assert not [label for label in world if label["kind"] == "town"]  # no town at the world view
    assert {"Russia", "Pacific Ocean"} <= {label["text"] for label in world}
    assert overlaps(world) == []


def test_seed_popup_leads_with_the_articles_spelling(seed_page, seed_map):
    page, log = seed_page
    view(page, 39.8177, 46.7528, 10)
    rows = page_data(seed_map.read_text(encoding="utf-8"))
    data = rows
    xankandi = next(i for i, r in enumerate(data["r"])
                    if data["s"][r[-1]].startswith("Stepanakert (Xankandi, AZ)"))
    page.locator(f'.gm-marker[data-row="{xankandi}"]').click()
    text = page.locator(".leaflet-popup-content").inner_text()
    assert "Stepanakert (Xankandi, AZ)" in text
    assert log.page_errors == []
