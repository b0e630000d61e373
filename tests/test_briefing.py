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
    assert {("Ganja", "Explosions/Remote violence"), ("Riga", "Strategic developments"),
            ("Brussels", "Strategic developments"), ("Canada", "Strategic developments"),
            ("Nagorno-Karabakh", "Battles"), ("Kharkiv", "Explosions/Remote violence")} <= current
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
