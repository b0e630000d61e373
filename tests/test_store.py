"""The incident store: merging one event told by several articles, skipping what it holds,
surviving kill -9, refusing other formats, slices, and opening in geopandas."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from geomap.articles import Article
from geomap.cli import cli
from geomap.store import IncidentStore, Slice, StoreError, ingest
from geomap.store.merge import Where, merged_fields, same_place

ROOT = Path(__file__).resolve().parents[1]
SUNDAY = dt.date(2020, 10, 4)


def article(name: str, text: str, published=dt.date(2020, 10, 5), source=None) -> Article:
    return Article(name, text, published=published, source=source, path=f"news/{name}")


# Three articles tell of the shelling of Ganja on Sunday with different tolls; one tells of a
# shelling of Xankandi the same day (another event); one of a protest in Ganja (another type).
GANJA = [
    article("azernews.txt", "Armenian forces shelled Ganja on Sunday, killing 7 civilians, officials said.",
            source="AzerNews"),
    article("reuters.txt", "Shelling of Ganja on Sunday killed 5 people and wounded 20, the ministry said.",
            published=dt.date(2020, 10, 6), source="Reuters"),
    article("bbc.txt", "Artillery hit Ganja on Sunday; the number of dead was not immediately known.",
            source="BBC"),
]
OTHERS = [
    article("xankandi.txt", "Artillery shelled Xankandi on Sunday, killing 2 people."),
    article("protest.txt", "Hundreds of protesters marched in Ganja on Sunday against the war."),
]


def ingested(tmp_path, gazetteer, articles, name="store.gpkg", **options):
    with IncidentStore(tmp_path / name, create=True) as store:
        report = ingest(articles, store, gazetteer=gazetteer, errors=[], **options)
        events = store.events()
    return report, events


# --- the merge rule, as data --------------------------------------------------------------------------

def where(place_id=None, kind="city", lat=None, lon=None, precision=1, cc="AZ", admin1="Ganja"):
    return Where(place_id, kind, lat, lon, precision, cc, admin1)


@pytest.mark.parametrize("a, b, same", [
    (where(1, lat=40.68, lon=46.36), where(1, lat=40.68, lon=46.36), True),  # the same place
    (where(1, lat=40.68, lon=46.36), where(2, lat=40.70, lon=46.40), True),  # 4 km apart, towns
    (where(1, lat=40.68, lon=46.36), where(2, lat=40.90, lon=46.36), False),  # 24 km apart
    (where(1, lat=40.68, lon=46.36), where(2, lat=40.70, lon=46.40, precision=3), False),  # a centroid
    (where(9, kind="admin1", lat=40.6, lon=46.3, precision=3), where(1, lat=40.68, lon=46.36), True),
    (where(9, kind="admin1", lat=40.6, lon=46.3, precision=3),
     where(3, lat=40.37, lon=49.89, admin1="Baku"), False),  # a town in another division
    (where(7, kind="country", lat=40.5, lon=47.5, precision=3, admin1=None),
     where(1, lat=40.68, lon=46.36), False),  # a country is not "the same admin unit" as its town
])
def test_same_place(a, b, same):
    assert (same_place(a, b) is not None) is same
    assert (same_place(b, a) is not None) is same


def report(order, article_id, **fields):
    base = dict(event_date=SUNDAY, end_date=None, time_precision=1, geo_precision=1,
                confidence=0.9, fatalities=None, fatalities_parts=(), fatalities_qualifier=None,
                source=None, location="Ganja", latitude=40.68, longitude=46.36)
    return order, article_id, {**base, **fields}


def test_merged_event_takes_the_lowest_toll_and_the_best_located_report():
    merged = merged_fields([
        report(1, "a", fatalities=7, fatalities_qualifier="exact", geo_precision=2,
               location="near Ganja", source="AzerNews"),
        report(2, "b", fatalities=None, source="BBC"),
        report(3, "c", fatalities=5, fatalities_parts=(3, 2), fatalities_qualifier="at least",
               end_date=SUNDAY + dt.timedelta(days=2), time_precision=2, source="Reuters"),
    ])
    assert merged["fatalities"] == 5 and merged["fatalities_parts"] == (3, 2)
    assert merged["fatalities_qualifier"] == "at least"
    assert merged["location"] == "Ganja"  # geo_precision 1 beats 2
    assert (merged["event_date"], merged["end_date"]) == (SUNDAY, dt.date(2020, 10, 6))
    assert merged["time_precision"] == 2
    assert merged["article"] == "a; b; c" and merged["source"] == "AzerNews; BBC; Reuters"


def test_a_report_that_mentions_no_deaths_does_not_undercut_a_stated_toll():
    none_reported = dict(fatalities=0, fatalities_qualifier="none reported")
    merged = merged_fields([report(1, "a", **none_reported), report(2, "b", fatalities=4)])
    assert merged["fatalities"] == 4
    # an explicit zero ("nobody was killed") is a figure, and the lowest
    assert merged_fields([report(1, "a", fatalities=0, fatalities_qualifier="exact"),
                          report(2, "b", fatalities=4)])["fatalities"] == 0
    assert merged_fields([report(1, "a", **none_reported), report(2, "b")])["fatalities"] == 0
    assert merged_fields([report(1, "a"), report(2, "b")])["fatalities"] is None


# --- ingesting ---------------------------------------------------------------------------------------

def test_one_event_told_three_times_is_one_event_with_three_sources(tmp_path, tiny_gazetteer):
    result, events = ingested(tmp_path, tiny_gazetteer, GANJA + OTHERS)
    assert (result.added, result.reports, result.new_events, result.merged) == (5, 5, 3, 2)
    by_place = {(e.incident.location, e.incident.event_type): e for e in events}
    shelling = by_place[("Ganja", "Explosions/Remote violence")]
    assert shelling.sources == ["azernews.txt", "reuters.txt", "bbc.txt"]
    assert shelling.reports == 3
    assert shelling.incident.fatalities == 5  # ACLED: the most conservative figure
    assert shelling.incident.event_date == SUNDAY
    assert shelling.incident.source == "AzerNews; Reuters; BBC"
    # the positive controls: a shelling elsewhere the same day, a protest in the same town
    assert by_place[("Xankandi", "Explosions/Remote violence")].sources == ["xankandi.txt"]
    assert by_place[("Ganja", "Protests")].sources == ["protest.txt"]
    assert len(events) == 3


def test_a_report_of_another_day_is_another_event(tmp_path, tiny_gazetteer):
    later = article("later.txt", "Armenian forces shelled Ganja on Thursday, killing 3 civilians.",
                    published=dt.date(2020, 10, 9))
    _, events = ingested(tmp_path, tiny_gazetteer, GANJA[:2] + [later])
    assert sorted((e.incident.event_date, len(e.sources)) for e in events) == [
        (SUNDAY, 2), (dt.date(2020, 10, 8), 1)]


def test_ingesting_again_adds_nothing(tmp_path, tiny_gazetteer):
    first, events = ingested(tmp_path, tiny_gazetteer, GANJA + OTHERS)
    moved = [Article(a.id, a.text, path=f"elsewhere/{a.id}") for a in GANJA]  # same text
    again, events_again = ingested(tmp_path, tiny_gazetteer, GANJA + OTHERS + moved)
    assert (first.added, again.added, again.held, again.reports) == (5, 0, 8, 0)
    assert events_again == events
    with IncidentStore(tmp_path / "store.gpkg") as store:
        assert store.counts() == {"incidents": 3, "reports": 5, "articles": 5, "batches": 1}


def test_batches_are_transactions_a_kill_9_inside_one_leaves_the_batch_out(tmp_path, tiny_db):
    # a child ingests 2 articles a batch and kills itself (SIGKILL) half way through its
    # second batch: the first batch must be stored, nothing of the second
    script = f"""
import os, signal, sys
sys.path.insert(0, {str(ROOT / 'tests')!r})
from test_store import GANJA, OTHERS
from geomap.gazetteer import Gazetteer
from geomap.store import IncidentStore, ingest
from geomap.store import database

calls = []
original = database.IncidentStore._add_report
def add_report(self, *args):
    calls.append(1)
    original(self, *args)
    if len(calls) == 3:
        os.kill(os.getpid(), signal.SIGKILL)
database.IncidentStore._add_report = add_report
with Gazetteer({str(tiny_db)!r}) as gaz, IncidentStore({str(tmp_path / 'store.gpkg')!r}, create=True) as store:
    ingest(GANJA + OTHERS, store, gazetteer=gaz, errors=[], batch_articles=2)
"""
    child = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert child.returncode == -9, child.stderr
    with IncidentStore(tmp_path / "store.gpkg") as store:
        assert store.counts() == {"incidents": 1, "reports": 2, "articles": 2, "batches": 1}
        assert [e.sources for e in store.events()] == [["azernews.txt", "reuters.txt"]]
    # the next ingest completes it, as if nothing had happened
    from geomap.gazetteer import Gazetteer

    with Gazetteer(tiny_db) as gaz:
        _, resumed = ingested(tmp_path, gaz, GANJA + OTHERS)
        _, clean = ingested(tmp_path, gaz, GANJA + OTHERS, name="clean.gpkg")
    assert [(e.incident, e.sources) for e in resumed] == [(e.incident, e.sources) for e in clean]


# --- formats, slices, readers --------------------------------------------------------------------

def test_a_store_of_another_format_is_refused_and_left_as_it_was(tmp_path, tiny_db):
    ingested_path = tmp_path / "store.gpkg"
    IncidentStore(ingested_path, create=True).close()
    with sqlite3.connect(ingested_path) as db:
        db.execute("UPDATE geomap_store SET value = '2' WHERE key = 'format'")
        db.execute("UPDATE geomap_store SET value = 'geomap 0.9.0' WHERE key = 'created_by'")
    before = hashlib.sha256(ingested_path.read_bytes()).hexdigest()
    with pytest.raises(StoreError, match="format '2' \\(written by geomap 0.9.0\\)"):
        IncidentStore(ingested_path)
    feed = tmp_path / "a.txt"
    feed.write_text(GANJA[0].text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(feed), "--store", str(ingested_path),
                                      "--db", str(tiny_db)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "reads and writes format '1' only" in result.stderr
    assert hashlib.sha256(ingested_path.read_bytes()).hexdigest() == before
    # the positive control: format 1 opens
    with sqlite3.connect(ingested_path) as db:
        db.execute("UPDATE geomap_store SET value = '1' WHERE key = 'format'")
    IncidentStore(ingested_path).close()


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    other = tmp_path / "other.gpkg"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="not a GeoPackage incident store"):
        IncidentStore(other)
    with pytest.raises(StoreError, match="no incident store at"):
        IncidentStore(tmp_path / "missing.gpkg")


def test_slices(tmp_path, tiny_gazetteer):
    riga = article("riga.txt", "Police arrested 4 activists in Riga on Monday.",
                   published=dt.date(2020, 10, 13))
    ingested(tmp_path, tiny_gazetteer, GANJA + OTHERS + [riga])
    with IncidentStore(tmp_path / "store.gpkg", readonly=True) as store:
        def places(**where):
            return sorted(i.location for i in store.incidents(Slice(**where)))

        assert places() == ["Ganja", "Ganja", "Riga", "Xankandi"]
        assert places(since=dt.date(2020, 10, 5)) == ["Riga"]
        assert places(until=dt.date(2020, 10, 4)) == ["Ganja", "Ganja", "Xankandi"]
        assert places(country="lv") == ["Riga"]
        assert places(bbox=(46.0, 40.0, 47.0, 41.0)) == ["Ganja", "Ganja"]
        assert places(bbox=(170.0, -10.0, 47.0, 41.0)) == ["Ganja", "Ganja", "Xankandi"]  # across 180
        assert places(event_type="protests") == ["Ganja"]
        assert places(event_type="Shelling/artillery/missile attack") == ["Ganja", "Xankandi"]


def test_the_store_opens_in_geopandas_as_a_geopackage(tmp_path, tiny_gazetteer):
    import geopandas
    import pyogrio

    ingested(tmp_path, tiny_gazetteer, GANJA + OTHERS)
    layers = dict(pyogrio.list_layers(tmp_path / "store.gpkg"))
    assert layers == {"incidents": "Point", "reports": None, "articles": None, "batches": None}
    frame = geopandas.read_file(tmp_path / "store.gpkg", layer="incidents")
    assert frame.crs.to_epsg() == 4326 and len(frame) == 3
    shelling = frame[frame["sources"].str.contains("reuters")].iloc[0]
    assert json.loads(shelling["sources"]) == ["azernews.txt", "reuters.txt", "bbc.txt"]
    assert (shelling.geometry.x, shelling.geometry.y) == pytest.approx((46.36134, 40.68157))
    assert shelling["fatalities"] == 5


def test_the_layer_extent_covers_every_event_batch_after_batch(tmp_path, tiny_gazetteer):
    # Ganja's events in a first batch, then Xankandi's: the extent grows to take it in
    ingested(tmp_path, tiny_gazetteer, GANJA)
    ingested(tmp_path, tiny_gazetteer, OTHERS)
    db = sqlite3.connect(tmp_path / "store.gpkg")
    extent = db.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents "
                        "WHERE table_name = 'incidents'").fetchone()
    points = db.execute("SELECT min(longitude), min(latitude), max(longitude), max(latitude), "
                        "count(DISTINCT location) FROM incidents").fetchone()
    db.close()
    assert points[4] == 2 and points[0] != points[2]  # two places: an extent, not a point
    assert extent == pytest.approx(points[:4])


# --- the commands ----------------------------------------------------------------------------------

def test_ingest_map_and_export_commands(tmp_path, tiny_db):
    folder = tmp_path / "news"
    folder.mkdir()
    for a in GANJA + OTHERS:
        (folder / a.id).write_text(f"---\npublished: {a.published}\n---\n{a.text}\n", encoding="utf-8")
    (folder / "broken.jsonl").write_text('{"text": "Police arrested 4 activists in Riga on Monday.", '
                                         '"published": "2020-10-13"}\n{oops\n', encoding="utf-8")
    store = tmp_path / "store.gpkg"
    invoke = CliRunner().invoke
    result = invoke(cli, ["ingest", str(folder), "--store", str(store), "--db", str(tiny_db)])
    assert result.exit_code == 1
    assert f"error: {folder / 'broken.jsonl'}:2: invalid JSON" in result.stderr
    assert result.stdout.startswith("6 new articles (0 already held), 6 incidents: 4 new events, "
                                    "2 merged")
    again = invoke(cli, ["ingest", str(folder), "--store", str(store), "--db", str(tiny_db)])
    assert again.stdout.startswith("0 new articles (6 already held)")

    out = tmp_path / "week"
    mapped = invoke(cli, ["map", "--store", str(store), "--since", "2020-10-04", "--until",
                          "2020-10-10", "--country", "AZ", "-o", str(out), "--db", str(tiny_db),
                          "--no-png", "--no-pdf"])
    assert mapped.exit_code == 0, mapped.output
    features = json.loads((out / "map.geojson").read_text())["features"]
    assert sorted(f["properties"]["location"] for f in features) == ["Ganja", "Ganja", "Xankandi"]
    assert "Incidents in AZ, 2020-10-04 to 2020-10-10" in (out / "map.html").read_text()

    exported = invoke(cli, ["incidents", "--store", str(store), "--type", "Protests",
                            "--format", "json", "--db", str(tiny_db)])
    assert exported.exit_code == 0
    assert [r["location"] for r in json.loads(exported.stdout)] == ["Ganja"]
    wrong = invoke(cli, ["map", str(folder), "--store", str(store), "--db", str(tiny_db)])
    assert wrong.exit_code == 2 and "ARTICLES or --store, not both" in wrong.stderr
