"""A Dask cluster of two local workers: partitions in, a GeoParquet folder out, the same incidents
as one process; a worker that dies is reported and its partition run again once."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from geomap.articles import read_articles
from geomap.cli import cli
from geomap.gazetteer import Gazetteer
from geomap.incidents import extract_incidents

distributed = pytest.importorskip("distributed", reason="the cluster needs dask.distributed")

from geomap.cluster import connect, extract_on_cluster  # noqa: E402

CITIES = ["Ganja", "Baku", "Yerevan", "Riga", "Brussels", "Gaziantep", "Stepanakert", "Windhoek"]


def feed(path: Path, count: int = 48) -> Path:
    """A JSON-lines feed: a shelling in each of the tiny gazetteer's cities, and one broken line."""
    lines = [json.dumps({"doc_id": f"d{k}", "published": "2020-10-05",
                         "text": f"Artillery shelled {CITIES[k % 8]} on Sunday, killing {k + 1} "
                                 "civilians, officials said."}) for k in range(count)]
    lines.insert(9, '{"doc_id": "broken", "text": ')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def rows(frame) -> list[tuple]:
    return sorted(zip(frame["article"], frame["location"], frame["event_date"].astype(str),
                      frame["fatalities"].astype(int)))


def cluster(workers: int):
    """A LocalCluster's client, able to send this module's plugins to its workers."""
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the plugins below, on workers
    return connect("local", workers=workers)


@pytest.fixture(scope="module")
def client():
    with cluster(2) as client:
        yield client


class DieOnPartition(distributed.WorkerPlugin):
    """Makes a worker kill itself (SIGKILL) when it starts reading partition `number`: once in
    all (the first worker to claim `marker`), or every time."""

    def __init__(self, number: int, marker: str | None):
        self.number, self.marker = number, marker

    def setup(self, worker):
        import geomap.cluster

        self.original = original = geomap.cluster.read_partition

        def read_partition(partition, **options):
            if partition.number == self.number and self._claim():
                os.kill(os.getpid(), signal.SIGKILL)
            return original(partition, **options)

        geomap.cluster.read_partition = read_partition

    def teardown(self, worker):
        import geomap.cluster

        geomap.cluster.read_partition = self.original

    def _claim(self) -> bool:
        if self.marker is None:
            return True
        try:
            os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL))
            return True
        except FileExistsError:
            return False


@pytest.fixture(autouse=True)
def small_files_count_as_large(monkeypatch):
    """Feeds of a few kilobytes are cut into partitions as a large file would be."""
    from geomap.stream import reading

    monkeypatch.setattr(reading, "WHOLE_FILE_BYTES", 100)


def test_partitions_on_two_workers_give_the_incidents_of_one_process(client, tiny_db, tmp_path):
    import geopandas

    source = feed(tmp_path / "feed.jsonl")
    errors: list = []
    notes: list = []
    done = []
    report = extract_on_cluster([source, source.parent], tmp_path / "out", client=client,
                                db_path=tiny_db, errors=errors, notes=notes, target_bytes=1500,
                                progress=lambda n, total: done.append((n, total)))
    assert report.partitions >= 4 and done[-1] == (report.partitions, report.partitions)
    assert report.workers == 2 and notes == []
    assert report.articles == 96 and report.incidents == 96  # the feed, given twice
    # the broken line, reported once per reading, with its file and line
    assert errors == [f"{source}:10: invalid JSON: Expecting value (column 30)"] * 2
    frame = geopandas.read_parquet(tmp_path / "out")
    with Gazetteer(tiny_db) as gaz:
        alone = [i for a in read_articles(source, errors=[]) for i in extract_incidents(a, gazetteer=gaz)]
    expected = sorted((i.article, i.location, str(i.event_date), i.fatalities) for i in alone) * 2
    assert rows(frame) == sorted(expected)
    assert ("d0", "Ganja", "2020-10-04", 1) in rows(frame)
    marker = json.loads((tmp_path / "out" / "_geomap.json").read_text())
    assert marker["incidents"] == 96 and len(marker["parts"]) == report.partitions


# The worker-kill tests run on a cluster of their own with a worker more than will die: they
# must not wait on dask's nanny to restart the killed workers (a new Python process importing
# dask and geomap: minutes on a loaded 2-core machine, and when a restart failed, as it once
# did under load, the module's shared cluster was left with no workers and the run hung).


@pytest.mark.slow  # a cluster of its own: 150-200 s at a load average of 14 on 2 cores
def test_a_worker_that_dies_is_reported_and_its_partition_run_again(tiny_db, tmp_path):
    import geopandas

    source = feed(tmp_path / "feed.jsonl")
    with cluster(2) as client:
        client.register_plugin(DieOnPartition(1, str(tmp_path / "died")), name="die-once")
        errors: list = []
        notes: list = []
        report = extract_on_cluster([source], tmp_path / "out", client=client, db_path=tiny_db,
                                    errors=errors, notes=notes, target_bytes=1500)
    assert (tmp_path / "died").exists()
    assert len(notes) == 1 and notes[0].startswith("a worker died while it held partition 1 (")
    assert report.incidents == 48 and len(errors) == 1  # only the broken line
    assert len(geopandas.read_parquet(tmp_path / "out")) == 48


@pytest.mark.slow  # a cluster of its own: 150-200 s at a load average of 14 on 2 cores
def test_a_partition_whose_workers_die_twice_is_skipped_and_reported(tiny_db, tmp_path):
    import geopandas

    source = feed(tmp_path / "feed.jsonl")
    with cluster(3) as client:  # two die on partition 2, the third does the rest
        client.register_plugin(DieOnPartition(2, None), name="die-always")
        errors: list = []
        report = extract_on_cluster([source], tmp_path / "out", client=client, db_path=tiny_db,
                                    errors=errors, notes=[], target_bytes=1500)
    skipped = [e for e in errors if "died 2 times; skipped" in e]
    assert len(skipped) == 1 and skipped[0].startswith(f"{source} (lines from ")
    assert 0 < report.incidents < 48
    assert len(geopandas.read_parquet(tmp_path / "out")) == report.incidents


def test_incidents_command_on_a_scheduler_address(client, tiny_db, tmp_path):
    import geopandas

    source = feed(tmp_path / "feed.jsonl", count=12)
    result = CliRunner().invoke(cli, ["incidents", str(source), "--db", str(tiny_db),
                                      "--scheduler", client.scheduler.address, "--format",
                                      "parquet", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output  # the broken line
    assert "12 incidents from 12 articles in 1 partitions on 1 workers" in result.stderr  # 2 kB
    assert f"error: {source}:10: invalid JSON" in result.stderr
    assert len(geopandas.read_parquet(tmp_path / "out")) == 12
    refused = CliRunner().invoke(cli, ["incidents", str(source), "--db", str(tiny_db),
                                       "--scheduler", "local", "--format", "csv", "-o", "x"])
    assert refused.exit_code == 2 and "--format parquet -o DIR" in refused.stderr
