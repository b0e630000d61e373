"""The static map: sizes, what is drawn and labelled, no network, atomic writes."""

from __future__ import annotations

import os
import re
import socket

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from PIL import Image
from builders import make_incidents, sample_basemap, sample_incidents

from geomap import staticmap, style
from geomap.incidents.taxonomy import DISASTERS, TAXONOMY
from geomap.staticmap import write_static_map


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("static")
    real_connect = socket.socket.connect

    def no_network(*args, **kwargs):
        raise AssertionError("the static map tried to use the network")

    socket.socket.connect = no_network
    try:
        paths = write_static_map(
            sample_incidents(),
            folder / "map.png",
            folder / "map.pdf",
            basemap=sample_basemap(),
            title="Caucasus",
        )
    finally:
        socket.socket.connect = real_connect
    return folder, paths


def test_png_is_slide_sized_and_pdf_is_a4(written):
    folder, paths = written
    assert paths == [folder / "map.png", folder / "map.pdf"]
    assert Image.open(folder / "map.png").size == (1600, 1000)
    pdf = (folder / "map.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    width, height = map(float, re.search(rb"/MediaBox \[ 0 0 ([\d.]+) ([\d.]+) \]", pdf).groups())
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (297, 210)  # A4 landscape, mm
    assert sorted(os.listdir(folder)) == ["map.pdf", "map.png"]  # no temporary files left


def test_each_event_type_is_drawn_in_its_colour(written):
    folder, _ = written
    pixels = np.asarray(Image.open(folder / "map.png").convert("RGB")).reshape(-1, 3).astype(int)
    for event_type in sorted(set(sample_incidents()["event_type"])):
        colour = style.event_style(event_type).colour
        rgb = np.array([round(255 * c) for c in to_rgb(colour)])
        assert (np.abs(pixels - rgb).sum(axis=1) < 12).sum() > 20, event_type


def label_boxes(fig: Figure) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(text, box on the canvas) of every name drawn on the map's axes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    out = []
    for text in fig.axes[0].texts:
        if text.get_visible() and text.get_text():
            b = text.get_window_extent(renderer)
            out.append((text.get_text(), (b.x0, b.y0, b.x1, b.y1)))
    return out


def overlapping(boxes) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes overlap."""
    found = []
    for i, (a, (ax0, ay0, ax1, ay1)) in enumerate(boxes):
        for b, (bx0, by0, bx1, by1) in boxes[i + 1:]:
            if ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1:
                found.append((a, b))
    return found


def test_overlapping_finds_overlaps():
    # the check itself, on boxes that do and do not overlap
    assert overlapping([("a", (0, 0, 10, 10)), ("b", (5, 5, 15, 15)), ("c", (20, 0, 30, 10))]) == [("a", "b")]


def test_places_sharing_a_label_are_named_with_their_area():
    california = dict(event_type="Protests", event_date="2007-01-17", location="California", country="United States",
                      country_code="US", place_kind="city")
    frame = make_incidents([dict(california, admin1="Missouri", latitude=38.63, longitude=-92.57),
                            dict(california, admin1="Kentucky", latitude=38.20, longitude=-85.70),
                            dict(california, location="Chicago", admin1="Illinois", latitude=41.85, longitude=-87.65)])
    fig = Figure(figsize=staticmap.SLIDE_SIZE)
    staticmap.draw_map(fig, frame, None, "Two Californias", scale=1.0)
    labels = {text for text, _ in label_boxes(fig)}
    assert {"California, Missouri", "California, Kentucky", "Chicago"} <= labels and "California" not in labels


def test_labels_legend_title_and_credits():
    fig = Figure(figsize=staticmap.SLIDE_SIZE)
    staticmap.draw_map(fig, sample_incidents(), sample_basemap(), "Caucasus", scale=1.0)
    ax = fig.axes[0]
    boxes = label_boxes(fig)
    labels = {text for text, _ in boxes}
    # incident places, the busiest first (Stepanakert, Nagorno-Karabakh...), and no two labels overlap
    assert {"Stepanakert", "Yerevan", "Tbilisi", "Baku", "Goris"} <= labels
    assert {"ARMENIA", "AZERBAIJAN"} <= labels  # country names on the basemap
    assert overlapping(boxes) == []
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [
        "Battles (3)", "Explosions/Remote violence (1)", "Violence against civilians (1)", "Protests (2)",
        "Riots (1)", "Strategic developments (1)", "historical (1)",
    ]  # fmt: skip
    texts = [t.get_text() for t in fig.texts]
    assert fig._suptitle.get_text() == "Caucasus"
    assert "2023-09-19 to 2023-09-23 · 9 incidents" in texts
    assert any("GeoNames" in t and "Natural Earth" in t for t in texts)
    assert any(t.endswith(" km") for t in labels)  # the scale bar
    # the frame holds the current incidents, not the 1992 one nor the whole world
    west, east = ax.get_xlim()
    south, north = ax.get_ylim()
    assert west < 43.85 and east > 49.87 and south < 39.51 and north > 41.72
    assert east - west < 20
    assert len(fig.axes) == 1  # every incident inside the frame: no overview inset


def test_a_far_away_incident_gets_an_overview_not_the_frame():
    far = make_incidents([dict(event_type="Protests", event_date="2023-09-22", location="Ottawa",
                               country="Canada", latitude=45.42, longitude=-75.69)])
    frame = gpd.GeoDataFrame(pd.concat([sample_incidents(), far], ignore_index=True), crs="EPSG:4326")
    fig = Figure(figsize=staticmap.SLIDE_SIZE)
    info = staticmap.draw_map(fig, frame, sample_basemap(), "Caucasus", scale=1.0)
    west, east = fig.axes[0].get_xlim()
    assert west > 40 and east < 55  # still the South Caucasus
    assert info["outside"] == 1 and len(fig.axes) == 2  # the map and its overview inset
    inset = fig.axes[1]
    assert inset.get_xlim()[0] < -75.69 and inset.get_xlim()[1] > 49.87  # Ottawa and the frame
    assert "1 outside this frame" in " ".join(t.get_text() for t in fig.texts)


def test_only_the_pdf_when_asked(tmp_path):
    assert write_static_map(sample_incidents(), None, tmp_path / "a4.pdf") == [tmp_path / "a4.pdf"]
    assert os.listdir(tmp_path) == ["a4.pdf"]


def every_type_and_history():
    """One incident of every event type of the taxonomy, an unknown type, and a historical one."""
    rows = [dict(event_type=name, event_date="2023-09-20", location=f"Place {i}", latitude=40.0 + i / 4,
                 longitude=45.0 + i / 2) for i, name in enumerate(TAXONOMY)]  # fmt: skip
    rows.append(dict(event_type="Locust swarm", event_date="2023-09-21", location="Elsewhere", latitude=41.0,
                     longitude=48.0))  # fmt: skip
    rows.append(dict(event_type=DISASTERS, event_date="1988-12-07", location="Spitak", latitude=40.83,
                     longitude=44.27, historical=True))  # fmt: skip
    return make_incidents(rows)


def test_the_legend_draws_every_type_from_the_style_table():
    fig = Figure(figsize=staticmap.SLIDE_SIZE)
    staticmap.draw_map(fig, every_type_and_history(), None, "Every type", scale=1.0)
    handles = fig.axes[0].get_legend().legend_handles
    legend = [(h.get_label(), h.get_markerfacecolor(), h.get_markeredgecolor()) for h in handles]
    assert legend == [
        *[(f"{name} (1)", style.EVENT_STYLES[name].colour, "white") for name in TAXONOMY],
        ("Locust swarm (1)", style.OTHER_EVENT.colour, "white"),
        ("historical (1)", "none", style.HISTORICAL_COLOUR),
    ]
    # each marker in its colour on the map itself, the disaster's too
    drawn = [c.get_facecolor()[0][:3].round(3).tolist() for c in fig.axes[0].collections if len(c.get_facecolor())]
    for name in TAXONOMY:
        assert [round(v, 3) for v in to_rgb(style.EVENT_STYLES[name].colour)] in drawn, name


def test_disasters_are_drawn_as_a_warning_sign_not_as_history():
    fig = Figure(figsize=staticmap.SLIDE_SIZE)
    staticmap.draw_map(fig, every_type_and_history(), None, "Every type", scale=1.0)

    def rgb(colour):
        return tuple(round(v, 3) for v in to_rgb(colour))

    collections = fig.axes[0].collections
    filled = [c for c in collections if len(c.get_facecolor())]
    by_colour = {tuple(c.get_facecolor()[0][:3].round(3)): c for c in filled}
    sign = by_colour[rgb(style.event_style(DISASTERS).colour)]
    assert sign.get_offsets().tolist() == [[45.0 + 6 / 2, 40.0 + 6 / 4]]
    # what tells it from the plain triangle of violence against civilians: the white exclamation mark on it
    mark = by_colour[rgb(style.MARK_COLOUR)]
    assert mark.get_offsets().tolist() == sign.get_offsets().tolist()
    assert filled.index(mark) == filled.index(sign) + 1
    # the historical disaster is a hollow grey circle, as every historical incident
    history = [c for c in collections if len(c.get_facecolor()) == 0]
    assert len(history) == 1 and tuple(history[0].get_edgecolor()[0][:3].round(3)) == rgb(style.HISTORICAL_COLOUR)
