"""Every local core: the pool gives what one process gives, in order, sharing the loaded index;
streamed input and output; failures and dead workers reported. Checked on values and files."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from geomap.articles import Article, read_articles
from geomap.cli import cli
from geomap.formats import render_incidents
from geomap.gazetteer import Gazetteer
from geomap.incidents import extract_incidents
from geomap.parallel import ArticleFailed, extract_all, map_articles
from geomap.stream import TextStream, iter_articles, plan_partitions
from geomap.stream import reading
from geomap.toponyms import name_index

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = [
    "Artillery shelled {city} on Sunday, killing {n} civilians, officials said.",
    "Hundreds of protesters marched in {city} on Saturday against rising prices.",
    "Police arrested {n} activists in {city} on Monday.",
    "An air strike hit a market in {city} on Friday, killing {n} people.",
]
CITIES = ["Ganja", "Baku", "Yerevan", "Riga", "Brussels", "Gaziantep", "Stepanakert", "Windhoek"]


def news(count: int, start: int = 0) -> list[Article]:
    """Short news articles about the tiny gazetteer's cities, every one with an incident."""
    return [Article(f"a{k}.txt", TEMPLATES[k % 4].format(city=CITIES[k % 8], n=k + 2)
                    + " The ministry said more details would follow.",
                    published=dt.date(2020, 10, 5 + k % 3), path=f"feed/a{k}.txt")
            for k in range(start, start + count)]


def write_jsonl(path: Path, articles: list[Article], bad_lines: dict[int, str] = {}) -> Path:
    lines = [json.dumps({"doc_id": a.id, "text": a.text, "published": a.published.isoformat()})
             for a in articles]
    for number, text in sorted(bad_lines.items()):
        lines.insert(number - 1, text)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def incident_rows(results) -> list[tuple]:
    return [(a.id, i.event_type, i.location, i.event_date, i.fatalities)
            for a, found in results for i in found]


# --- the pool ---------------------------------------------------------------------------------

def test_two_workers_give_what_one_process_gives_in_input_order(tiny_gazetteer):
    articles = news(40)
    errors: list = []
    one = list(extract_all(articles, gazetteer=tiny_gazetteer, jobs=1, errors=errors))
    two = list(map_articles(articles, lambda a, g: extract_incidents(a, gazetteer=g),
                            gazetteer=tiny_gazetteer, jobs=2, errors=errors, batch_size=3))
    assert errors == []
    assert [a.id for a, _ in two] == [f"a{k}" + ".txt" for k in range(40)]
    assert incident_rows(two) == incident_rows(one)
    assert ("a0.txt", "Explosions/Remote violence", "Ganja", dt.date(2020, 10, 4), 2) in incident_rows(two)
    assert ("a1.txt", "Protests", "Baku", dt.date(2020, 10, 3), 0) in incident_rows(two)


def test_workers_run_elsewhere_on_the_parents_loaded_name_index(tiny_gazetteer):
    parent_index = id(name_index(tiny_gazetteer))
    seen = list(map_articles(news(12), lambda a, g: (os.getpid(), id(name_index(g)), g is tiny_gazetteer),
                             gazetteer=tiny_gazetteer, jobs=2, errors=[], batch_size=2))
    pids = {pid for _, (pid, _, _) in seen}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2
    # the same object at the same address: inherited through the fork, not loaded again
    assert {index for _, (_, index, _) in seen} == {parent_index}
    # ... through a handle of the worker's own (its own SQLite connection)
    assert {own for _, (_, _, own) in seen} == {False}


def test_a_small_input_runs_in_this_process(tiny_gazetteer):
    seen = list(map_articles(news(3), lambda a, g: os.getpid(), gazetteer=tiny_gazetteer,
                             jobs=2, errors=[]))
    assert [pid for _, pid in seen] == [os.getpid()] * 3


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_article_that_fails_is_reported_and_the_others_go_on(tiny_gazetteer, jobs):
    def work(article, gazetteer):
        if article.id == "a5.txt":
            raise RecursionError("maximum recursion depth exceeded")
        return article.id.upper()

    errors: list = []
    done = list(map_articles(news(12), work, gazetteer=tiny_gazetteer, jobs=jobs, errors=errors,
                             batch_size=2))
    assert [r for _, r in done] == [f"A{k}.TXT" for k in range(12) if k != 5]
    assert [str(e) for e in errors] == [
        "feed/a5.txt: could not be processed (RecursionError: maximum recursion depth exceeded)"]
    assert isinstance(errors[0], ArticleFailed)


def test_a_worker_that_dies_is_reported_and_its_batch_retried_once(tiny_gazetteer, tmp_path):
    marker = tmp_path / "died"

    def work(article, gazetteer):
        if article.id == "a7.txt" and not marker.exists():
            marker.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return article.id

    errors: list = []
    notes: list = []
    done = list(map_articles(news(20), work, gazetteer=tiny_gazetteer, jobs=2, errors=errors,
                             notes=notes, batch_size=2))
    assert [r for _, r in done] == [f"a{k}.txt" for k in range(20)]
    assert errors == [] and marker.exists()
    assert len(notes) == 1 and "a worker process died" in notes[0] and "retrying" in notes[0]


def test_a_batch_that_kills_its_worker_twice_is_skipped_and_reported(tiny_gazetteer):
    def work(article, gazetteer):
        if article.id == "a7.txt":
            os.kill(os.getpid(), signal.SIGKILL)
        return article.id

    errors: list = []
    notes: list = []
    done = list(map_articles(news(20), work, gazetteer=tiny_gazetteer, jobs=2, errors=errors,
                             notes=notes, batch_size=2))
    # a6 and a7 share a batch: both are lost, every other article is there
    assert [r for _, r in done] == [f"a{k}.txt" for k in range(20) if k not in (6, 7)]
    assert [str(e) for e in errors] == [
        "feed/a6.txt to feed/a7.txt: a worker process died twice on these 2 articles; skipped"]
    assert len(notes) == 1


def test_the_input_is_read_as_it_is_used_not_ahead(tiny_gazetteer):
    pulled = itertools.count()

    def endless():
        for k in itertools.count():
            next(pulled)
            yield news(1, start=k)[0]

    results = map_articles(endless(), lambda a, g: a.id, gazetteer=tiny_gazetteer, jobs=2,
                           errors=[], batch_size=4)
    first = [r for _, r in itertools.islice(results, 30)]
    results.close()  # stops the workers
    assert first == [f"a{k}.txt" for k in range(30)]
    # at most the batches in flight (2 workers x 4 batches x 4 articles) ahead of what was used
    assert next(pulled) <= 30 + 2 * 4 * 4 + 4


# --- streamed input ---------------------------------------------------------------------------------

def test_folders_stream_in_the_order_and_with_the_metadata_of_read_articles():
    paths = [ROOT / "seeds", ROOT / "tests" / "fixtures" / "articles"]
    streamed = list(iter_articles(paths, errors=[]))
    assert streamed == [a for p in paths for a in read_articles(p)]
    assert streamed[0].title.startswith("US, Russia and France")
    assert len(streamed) == 14


def test_a_large_jsonl_file_is_read_a_line_at_a_time_with_its_line_numbers(tmp_path, monkeypatch):
    path = write_jsonl(tmp_path / "feed.jsonl", news(30),
                       bad_lines={4: '{"text": "cut off', 21: '{"doc_id": "x", "text": ""}'})
    whole = list(read_articles(path, errors=(whole_errors := [])))
    monkeypatch.setattr(reading, "WHOLE_FILE_BYTES", 100)  # this file counts as large now
    errors: list = []
    partitions = plan_partitions([path], errors=errors, target_bytes=700)
    assert len(partitions) >= 4 and all(p.path == str(path) for p in partitions)
    streamed = list(iter_articles([path], errors=errors))
    assert streamed == whole and len(streamed) == 30
    assert [(e.line, e.reason) for e in errors] == [
        (4, "invalid JSON: Unterminated string starting at (column 10)"),
        (21, "no 'text' field with the article text")]
    assert [(e.line, e.reason) for e in whole_errors] == [
        (4, "invalid JSON: Unterminated string starting at (column 10)"),
        (21, "no 'text' field with the article text")]


def test_a_folder_streams_with_the_problems_read_articles_reports_once(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    for a in news(3):
        (folder / a.id).write_text(a.text, encoding="utf-8")
    (folder / "catalogue.yaml").write_text("- file: a0.txt\n  title: [unclosed\n", encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00\x01binary")
    expected: list = []
    whole = read_articles(folder, errors=expected)
    errors: list = []
    assert list(iter_articles([folder], errors=errors)) == whole and len(whole) == 3
    assert sorted(map(str, errors)) == sorted(map(str, expected))
    assert len(errors) == 2 and {Path(e.path).name for e in errors} == {"catalogue.yaml", "broken.txt"}


def test_a_line_over_the_limit_is_reported_and_the_next_one_read(tmp_path, monkeypatch):
    path = write_jsonl(tmp_path / "feed.jsonl", news(3),
                       bad_lines={2: json.dumps({"doc_id": "long", "text": "x " * 400})})
    monkeypatch.setattr(reading, "WHOLE_FILE_BYTES", 100)
    monkeypatch.setattr(reading, "MAX_ARTICLE_BYTES", 300)
    errors: list = []
    assert [a.id for a in iter_articles([path], errors=errors)] == ["a0.txt", "a1.txt", "a2.txt"]
    assert [(e.line, e.reason) for e in errors] == [(2, "a line over 300 bytes; not read")]


def test_parquet_with_a_text_column_is_read_by_row_groups(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    articles = news(10)
    table = pa.table({"doc_id": [a.id for a in articles], "text": [a.text for a in articles],
                      "published": [a.published for a in articles]})
    table = table.set_column(1, "text", pa.array([a.text if k != 6 else "" for k, a in
                                                 enumerate(articles)]))
    pq.write_table(table, tmp_path / "feed.parquet", row_group_size=3)
    errors: list = []
    assert len(plan_partitions([tmp_path], errors=errors, target_bytes=1)) == 4
    streamed = list(iter_articles([tmp_path], errors=errors))
    assert [a.id for a in streamed] == [a.id for k, a in enumerate(articles) if k != 6]
    assert streamed[0].published == dt.date(2020, 10, 5)
    assert [(Path(e.path).name, e.line) for e in errors] == [("feed.parquet", 7)]


# --- streamed output ------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "json", "geojson", "table"])
def test_text_written_in_batches_is_the_text_written_whole(tiny_gazetteer, fmt, tmp_path):
    found = [i for a in news(16) for i in extract_incidents(a, gazetteer=tiny_gazetteer)]
    assert len({i.country_code for i in found}) > 3  # event ids numbered per country
    with open(tmp_path / "out", "w", encoding="utf-8") as out:
        stream = TextStream(fmt, out)
        for start in (0, 3, 4, 11):
            stream.write(found[start:{0: 3, 3: 4, 4: 11, 11: 16}[start]])
        stream.close()
    assert (tmp_path / "out").read_text(encoding="utf-8") == render_incidents(found, fmt)
    if fmt == "csv":
        assert "\nAZ6," in render_incidents(found, fmt)  # ids run on across batches


@pytest.mark.parametrize("fmt", ["csv", "json", "geojson"])
def test_no_incidents_streamed_is_the_empty_file(fmt, tmp_path):
    with open(tmp_path / "out", "w", encoding="utf-8") as out:
        stream = TextStream(fmt, out)
        stream.write([])
        stream.close()
    assert (tmp_path / "out").read_text(encoding="utf-8") == render_incidents([], fmt)


# --- the commands -----------------------------------------------------------------------------------

def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("fmt", ["csv", "json", "geojson"])
def test_incidents_command_gives_the_same_file_for_any_jobs(tiny_db, tmp_path, fmt):
    feed = write_jsonl(tmp_path / "feed.jsonl", news(40), bad_lines={13: "not json"})
    outputs = []
    for jobs in (1, 2):
        result = run("incidents", feed, "--db", tiny_db, "--format", fmt, "--jobs", jobs,
                     "-o", tmp_path / f"out{jobs}.{fmt}")
        assert result.exit_code == 1  # the bad line
        assert f"error: {feed}:13: invalid JSON" in result.stderr
        assert "40 incidents (0 historical) from 40 articles" in result.stderr
        outputs.append((tmp_path / f"out{jobs}.{fmt}").read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    with Gazetteer(tiny_db) as gaz:
        expected = [i for a in read_articles(feed, errors=[])
                    for i in extract_incidents(a, gazetteer=gaz)]
    assert outputs[1] == render_incidents(expected, fmt)


def test_incidents_to_a_parquet_folder(tiny_db, tmp_path):
    import geopandas

    feed = write_jsonl(tmp_path / "feed.jsonl", news(40))
    result = run("incidents", feed, "--db", tiny_db, "--format", "parquet", "--jobs", 2,
                 "-o", f"{tmp_path / 'out'}/")
    assert result.exit_code == 0, result.output
    frame = geopandas.read_parquet(tmp_path / "out")
    assert len(frame) == 40 and frame.crs.to_epsg() == 4326
    assert list(frame["location"][:2]) == ["Ganja", "Baku"]
    assert json.loads((tmp_path / "out" / "_geomap.json").read_text())["incidents"] == 40


def test_toponyms_command_gives_the_same_lines_for_any_jobs(tiny_db, tmp_path):
    feed = write_jsonl(tmp_path / "feed.jsonl", news(40))
    lines = []
    for jobs in (1, 2):
        result = run("toponyms", "--jsonl", feed, "--db", tiny_db, "--jobs", jobs)
        assert result.exit_code == 0
        lines.append(result.stdout)
    assert lines[0] == lines[1]
    first = json.loads(lines[1].splitlines()[0])
    assert first["doc_id"] == "a0.txt"
    assert [t["name"] for t in first["toponyms"]] == ["Ganja"]


def test_map_command_maps_the_same_incidents_for_any_jobs(tiny_db, tmp_path):
    feed = write_jsonl(tmp_path / "feed.jsonl", news(40))
    features = []
    for jobs in (1, 2):
        result = run("map", feed, "--db", tiny_db, "--jobs", jobs, "-o", tmp_path / f"map{jobs}",
                     "--no-png", "--no-pdf")
        assert result.exit_code == 0, result.output
        assert "40 incidents (0 historical) and 8 places from 40 articles" in result.stderr
        features.append((tmp_path / f"map{jobs}" / "map.geojson").read_text(encoding="utf-8"))
    assert features[0] == features[1]
    assert "Incidents reported in 40 articles" in (tmp_path / "map2" / "map.html").read_text(
        encoding="utf-8")


def test_workers_end_with_a_parent_killed_with_kill_9(tiny_db, tmp_path):
    import subprocess
    import sys
    import time

    import psutil

    script = f"""
import itertools, os, sys, time
sys.path.insert(0, {str(ROOT / 'tests')!r})
from test_parallel import news
from geomap.gazetteer import Gazetteer
from geomap.parallel import map_articles

def endless():
    for k in itertools.count():
        yield news(1, start=k)[0]

with Gazetteer({str(tiny_db)!r}) as gaz:
    for _ in map_articles(endless(), lambda a, g: time.sleep(0.01), gazetteer=gaz, jobs=2,
                          errors=[], batch_size=2):
        print("running", flush=True)
        time.sleep(60)
"""
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert parent.stdout.readline() == "running\n"
        workers = [c for c in psutil.Process(parent.pid).children()
                   if c.cmdline() == psutil.Process(parent.pid).cmdline()]
        assert len(workers) == 2
    finally:
        parent.kill()
        parent.wait()
    gone, alive = psutil.wait_procs(workers, timeout=10)
    assert alive == [] and len(gone) == 2
