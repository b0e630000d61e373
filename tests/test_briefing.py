"""`geomap map`: articles in, the briefing's files out, checked through what they contain."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from geomap.cli import cli
from geomap.webmap import find_remote_references

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
HOSTILE = ("---\ntitle: Shelling <script>alert(1)</script> report\npublished: 2023-05-04\n---\n"
           "Artillery shelled Kharkiv on Thursday, killing 3 civilians <img src=x onerror=alert(2)>.\n")


@pytest.fixture(scope="module")
def briefing(tmp_path_factory, real_db):
    folder = tmp_path_factory.mktemp("articles")
    for path in SEEDS.iterdir():
        shutil.copy(path, folder / path.name)
    (folder / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00\x01binary")
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(cli, ["map", str(folder), "-o", str(out), "--name", "brief"])
    return result, out


def test_writes_the_four_files_and_reports_the_bad_one(briefing):
    result, out = briefing
    assert result.exit_code == 1  # broken.txt is reported, the rest is mapped
    assert "broken.txt: binary file" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "brief.geojson", "brief.html", "brief.pdf", "brief.png"]
    assert (out / "brief.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (out / "brief.pdf").read_bytes()[:5] == b"%PDF-"


def test_geojson_has_the_seed_incidents(briefing):
    _, out = briefing
    features = json.loads((out / "brief.geojson").read_text())["features"]
    current = {(f["properties"]["location"], f["properties"]["event_type"])
               for f in features if not f["properties"]["historical"]}
    assert {("Ganja", "Explosions/Remote violence"), ("Canada", "Strategic developments"),
            ("Nagorno-Karabakh", "Battles"), ("Kharkiv", "Explosions/Remote violence")} <= current
    # what leaders said in Riga and Brussels is no event (the seed gold's not_incidents)
    assert not {place for place, _ in current} & {"Riga", "Brussels"}
    kharkiv = next(f for f in features if f["properties"]["location"] == "Kharkiv")
    assert kharkiv["properties"]["event_date"] == "2023-05-04"
    assert kharkiv["properties"]["fatalities"] == 3


def test_html_is_offline_and_escapes_article_text(briefing):
    _, out = briefing
    page = (out / "brief.html").read_text(encoding="utf-8")
    assert find_remote_references(page) == []
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x onerror" not in page
    assert "GeoNames" in page and "Natural Earth" in page


@pytest.mark.parametrize("make", [lambda p: p, lambda p: p / "missing"])
def test_nothing_readable_writes_nothing(tmp_path, real_db, make):
    source = make(tmp_path / "in")
    (tmp_path / "in").mkdir()
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["map", str(source), "-o", str(out)])
    assert result.exit_code == 1
    assert "nothing mapped" in result.stderr
    assert not out.exists()


# --- what an analyst attaches: the PDF, the PNG's frame and labels --------------------------------

def test_pdf_has_the_map_page_then_the_incident_table(briefing):
    pypdf = pytest.importorskip("pypdf", reason="pypdf is a dev dependency: uv sync --group dev")
    _, out = briefing
    pages = pypdf.PdfReader(out / "brief.pdf").pages
    assert len(pages) >= 2
    first = pages[0].extract_text()
    assert "Incidents reported in 3 articles" in first and "2020-09-27 to 2023-05-04" in first
    assert "Places: GeoNames (CC BY 4.0) | Boundaries: Natural Earth (public domain)" in first
    assert len(pages[0].images) == 1  # the map
    table = " ".join(page.extract_text() for page in pages[1:])
    for header in ("Date", "Type", "Place (as written)", "Admin-1", "Country", "Fatalities", "Source"):
        assert header in table
    # places as the articles wrote them, with the gazetteer's name when it differs
    assert "Stepanakert (Xankandi, AZ)" in table and "Gandja (Ganja, AZ)" in table
    assert "Kharkiv" in table
    # sorted by date: the 1990s war first, the Kharkiv shelling of 2023 last
    order = [table.index(d) for d in ("1990-01-01", "2016-04-01", "2020-07-01", "2020-09-27")]
    assert order == sorted(order)
    assert table.index("Stepanakert (Xankandi, AZ)") < table.index("Kharkiv")


def test_table_rows_continue_over_pages(tmp_path):
    pypdf = pytest.importorskip("pypdf", reason="pypdf is a dev dependency: uv sync --group dev")
    from builders import make_incidents

    from geomap.report import write_briefing_pdf

    rows = [dict(event_type="Protests", event_date=f"2023-09-{1 + i % 28:02d}", location=f"Town {i:03d}",
                 location_text=f"Town {i:03d}", country="Armenia", country_code="AM",
                 latitude=40 + i / 100, longitude=44 + i / 100, title=f"Report {i:03d}") for i in range(120)]
    path = write_briefing_pdf(make_incidents(rows), tmp_path / "long.pdf", title="Long")
    pages = pypdf.PdfReader(path).pages
    assert len(pages) >= 4  # the map, then 120 rows at about 40 a page
    text = " ".join(page.extract_text() for page in pages[1:])
    assert all(f"Town {i:03d}" in text for i in range(120))
    assert all("Place (as written)" in page.extract_text() for page in pages[1:])  # the header repeats


def seed_figure(gazetteer, paths):
    """The static map of articles, drawn as the PNG is, with the real gazetteer's basemap."""
    from matplotlib.figure import Figure

    from geomap import read_articles, staticmap
    from geomap.briefing import basemap_layers, collect, places_frame
    from geomap.frame import incidents_frame

    found = collect([a for p in paths for a in read_articles(p)], gazetteer)
    frame = incidents_frame(found.incidents, gazetteer)
    fig = Figure(figsize=staticmap.SLIDE_SIZE, dpi=staticmap.SLIDE_DPI)
    info = staticmap.draw_map(fig, frame, basemap_layers(gazetteer, frame, places_frame(found)), "Seeds", 1.25)
    return fig, info


def test_the_seed_png_frames_the_south_caucasus(gazetteer):
    from test_staticmap import label_boxes, overlapping

    fig, info = seed_figure(gazetteer, [SEEDS])
    west, east = fig.axes[0].get_xlim()
    south, north = fig.axes[0].get_ylim()
    # Yerevan, Tbilisi, Ganja, Stepanakert and Baku in the frame; Gaziantep and Canada are not
    assert west < 44.5 and east > 49.9 and south < 39.8 and north > 41.7
    assert west > 38 and east < 56 and south > 35 and north < 46
    assert info["outside"] == 2 and len(fig.axes) == 2  # the overview inset locates the two
    boxes = label_boxes(fig)
    names = {text for text, _ in boxes}
    assert {"Stepanakert (Xankandi, AZ)", "Gandja (Ganja, AZ)", "Nagorno-Karabakh", "ARMENIA", "AZERBAIJAN",
            "Yerevan", "Baku"} <= names
    # Georgia's and Turkey's own label points lie outside the frame: each is named at a division's point
    assert {"GEORGIA", "TURKEY"} <= names and [text for text, _ in boxes].count("AZERBAIJAN") == 1
    assert overlapping(boxes) == []


@pytest.mark.slow
def test_the_geovirus_png_has_no_overlapping_labels(gazetteer):
    from test_staticmap import label_boxes, overlapping

    corpus = SEEDS.parent.parent / "shared" / "corpora" / "GeoVirus" / "GeoVirus.normalized.jsonl"
    if not corpus.is_file():
        pytest.skip(f"{corpus} is missing (shared/ corpora)")
    fig, info = seed_figure(gazetteer, [corpus])
    boxes = label_boxes(fig)
    assert len(boxes) >= 10  # a labelled map, not an empty one
    assert overlapping(boxes) == []
