"""The static map: sizes, what is drawn and labelled, no network, atomic writes."""

from __future__ import annotations

import os
import re
import socket

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from PIL import Image
from test_webmap import sample_basemap, sample_incidents

from geomap import staticmap
from geomap.staticmap import write_static_map
from geomap.webmap import EVENT_TYPES


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
    for style in EVENT_TYPES.values():
        rgb = np.array([round(255 * c) for c in to_rgb(style.colour)])
        assert (np.abs(pixels - rgb).sum(axis=1) < 12).sum() > 20, style.name


def test_labels_legend_title_and_credits():
    fig = Figure(figsize=staticmap.SLIDE_SIZE)
    staticmap._draw(fig, sample_incidents(), sample_basemap(), "Caucasus", scale=1.0)
    ax = fig.axes[0]
    labels = {t.get_text() for t in ax.texts}
    # places close together share a label ("Stepanakert, Nagorno-Karabakh")
    named = {name for label in labels for name in label.split(", ")}
    assert {"Stepanakert", "Yerevan", "Tbilisi", "Baku", "Goris", "Nagorno-Karabakh"} <= named
    assert {"Armenia", "Azerbaijan"} <= labels  # country names on the basemap
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [
        "Battles (3)", "Explosions/Remote violence (1)", "Violence against civilians (1)", "Protests (2)",
        "Riots (1)", "Strategic developments (1)", "historical (1)",
    ]  # fmt: skip
    texts = [t.get_text() for t in fig.texts]
    assert fig._suptitle.get_text() == "Caucasus"
    assert "2023-09-19 to 2023-09-23 · 9 incidents" in texts
    assert any("GeoNames" in t and "Natural Earth" in t for t in texts)
    # the frame holds the current incidents, not the 1992 one nor the whole world
    west, east = ax.get_xlim()
    south, north = ax.get_ylim()
    assert west < 43.85 and east > 49.87 and south < 39.51 and north > 41.72
    assert east - west < 20


def test_only_the_pdf_when_asked(tmp_path):
    assert write_static_map(sample_incidents(), None, tmp_path / "a4.pdf") == [tmp_path / "a4.pdf"]
    assert os.listdir(tmp_path) == ["a4.pdf"]
