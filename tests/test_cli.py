"""The command line: exit codes, formats and messages, checked through the files and values."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from geomap.cli import cli


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and "geomap, version" in result.output


def test_geocode_resolves_and_exits_0(tiny_db):
    result = run("geocode", "--db", str(tiny_db), "--format", "json", "Gandja", "Khankendi",
                 "Nagorny Karabakh")
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    assert [(r["name"], r["status"]) for r in records] == [
        ("Ganja", "resolved"), ("Xankandi", "resolved"), ("Nagorno-Karabakh", "resolved")]


def test_geocode_ambiguous_exits_1_with_alternatives(tiny_db):
    result = run("geocode", "--db", str(tiny_db), "Springfield")
    assert result.exit_code == 1
    assert [line.split()[0] for line in result.stdout.splitlines()[2:]] == ["Springfield", "or", "or"]
    assert "ambiguous: 'Springfield'" in result.stderr


def test_geocode_not_found_exits_1(tiny_db):
    result = run("geocode", "--db", str(tiny_db), "Xyzzyville")
    assert result.exit_code == 1
    assert "not_found: 'Xyzzyville': no place named 'Xyzzyville'" in result.stderr


def test_geocode_missing_database_exits_2(tmp_path):
    result = run("geocode", "--db", str(tmp_path / "none.sqlite"), "Riga")
    assert result.exit_code == 2
    assert "geomap gazetteer build" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_geocode_usage_errors_exit_2(tiny_db):
    assert run("geocode", "--db", str(tiny_db)).exit_code == 2
    assert run("geocode", "--db", str(tiny_db), "--near", "north", "Riga").exit_code == 2


def test_geocode_file_with_bad_lines(tiny_db):
    stdin = b"Riga\n\n" + b"x" * 10_000 + b"\nBa\x00ku\n\xff\xfe\x00\x01\nBaku\n"
    result = run("geocode", "--db", str(tiny_db), "--file", "-", "--format", "json", input=stdin)
    assert result.exit_code == 1
    records = json.loads(result.stdout)
    assert [r["status"] for r in records] == ["resolved", "invalid", "invalid", "invalid", "resolved"]
    assert "too long" in records[1]["message"]
    assert "control characters" in records[2]["message"]
    assert records[4]["name"] == "Baku"


@pytest.mark.parametrize("fmt", ["csv", "geojson", "table"])
def test_geocode_formats(tiny_db, fmt):
    result = run("geocode", "--db", str(tiny_db), "--format", fmt, "Riga", "Xyzzyville")
    assert result.exit_code == 1
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert (rows[0]["name"], rows[0]["country_code"], rows[1]["status"]) == ("Riga", "LV", "not_found")
    elif fmt == "geojson":
        fc = json.loads(result.stdout)
        assert fc["features"][0]["geometry"]["coordinates"] == [24.10589, 56.946]
        assert fc["features"][1]["geometry"] is None
    else:
        assert result.stdout.splitlines()[2].split()[:3] == ["Riga", "resolved", "Riga"]


def test_gazetteer_info(tiny_db):
    result = run("gazetteer", "info", "--db", str(tiny_db), "--json")
    info = json.loads(result.stdout)
    assert info["by_kind"]["city"] == 14 and info["by_kind"]["country"] == 10
    assert "GeoNames" in info["attribution"] and "Natural Earth" in info["attribution"]
    assert "CC BY 4.0" in run("gazetteer", "info", "--db", str(tiny_db)).stdout


def test_import_geonames_missing_file_exits_2(tiny_db, tmp_path):
    db = tmp_path / "g.sqlite"
    db.write_bytes(tiny_db.read_bytes())
    result = run("gazetteer", "import-geonames", "--db", str(db), str(tmp_path / "none.txt"))
    assert result.exit_code == 2 and "no such file" in result.stderr
