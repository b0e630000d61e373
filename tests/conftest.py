"""Shared fixtures: a gazetteer of a few dozen rows, built by the same writer as the real one."""

from __future__ import annotations

from pathlib import Path

import pytest

from geomap.gazetteer import Gazetteer, GazetteerWriter
from geomap.gazetteer import default_db_path

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


@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory) -> Path:
    """Path of the tiny gazetteer database (built once per test session)."""
    return build_tiny_gazetteer(tmp_path_factory.mktemp("gaz") / "tiny.sqlite")


@pytest.fixture(scope="session")
def toponym_db(tmp_path_factory) -> Path:
    """Path of the tiny gazetteer with the toponym tests' extra rows."""
    return build_tiny_gazetteer(tmp_path_factory.mktemp("gaz") / "toponyms.sqlite", TOPONYM_PLACES)


@pytest.fixture()
def toponym_gazetteer(toponym_db) -> Gazetteer:
    with Gazetteer(toponym_db) as gaz:
        yield gaz


@pytest.fixture()
def tiny_gazetteer(tiny_db) -> Gazetteer:
    with Gazetteer(tiny_db) as gaz:
        yield gaz


@pytest.fixture(scope="session")
def real_db() -> Path:
    """Path of the full gazetteer built from the committed sources (the test command builds it)."""
    path = default_db_path()
    if not path.is_file():
        pytest.fail(f"no gazetteer at {path}: run `make gazetteer` (the README's test command does)")
    return path


@pytest.fixture()
def gazetteer(real_db) -> Gazetteer:
    with Gazetteer(real_db) as gaz:
        yield gaz


# --- golden files (incidents) ------------------------------------------------------------------

def pytest_addoption(parser):
    parser.addoption("--regen-golden", action="store_true", default=False,
                     help="Rewrite the golden files of expected incidents from the current output "
                          "(review the diff like code).")


@pytest.fixture(scope="session")
def regen_golden(request) -> bool:
    """True when the run rewrites golden files instead of comparing with them."""
    return request.config.getoption("--regen-golden")
