"""The per-article pipeline on a Dask cluster: partitions of a large input in, GeoParquet parts out.

The input (JSON-lines files, folders of articles, Parquet files with a text column) is cut into
partitions (geomap.stream.reading); each is a task that a worker reads, extracts (the same
geomap.parallel.extract_all as one core runs) and writes as one GeoParquet part into a folder
beside the output, which replaces the output when every part is in (geomap.stream.writing).
Each worker process opens the gazetteer once, through a worker plugin, and keeps it for all its
tasks. Workers therefore need: the same geomap version, the gazetteer database at the path
given (its name-index cache beside it saves 5 s per worker start), and the input and output
paths as the client sees them (a shared file system).

A worker that dies while running a partition is reported and the partition is run again once
(the scheduler's allowed-failures set to 1; `--scheduler local` sets it, a cluster of your own
needs DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES=1 on its scheduler); a partition whose
workers die twice is reported and skipped.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dask
from distributed import Client, LocalCluster, WorkerPlugin, as_completed, get_worker
from distributed.scheduler import KilledWorker

from geomap.gazetteer import Gazetteer
from geomap.parallel import default_jobs, extract_all
from geomap.stream.reading import PARTITION_BYTES, Partition, plan_partitions, read_partition
from geomap.stream.writing import ParquetFolder, write_part
from geomap.toponyms import name_index

PLUGIN_NAME = "geomap-gazetteer"
# how often a task may be running on a worker that dies before it counts as bad: once retried
ALLOWED_FAILURES = 1
CONNECT_TIMEOUT_S = 30


class ClusterError(Exception):
    """The cluster could not be used: the scheduler unreachable, a worker without the gazetteer."""


@dataclass
class PartResult:
    """What one partition gave: its articles and incidents, what could not be read, where it ran."""

    number: int
    articles: int = 0
    incidents: int = 0
    errors: list[str] = field(default_factory=list)
    worker: str = ""
    seconds: float = 0.0  # CPU time of the task


@dataclass
class ClusterReport:
    """What a run on a cluster did."""

    partitions: int = 0
    articles: int = 0
    incidents: int = 0
    workers: int = 0
    output: Path | None = None
    parts: list[PartResult] = field(default_factory=list)


class GazetteerPlugin(WorkerPlugin):
    """The gazetteer of a worker process: checked when the worker starts, opened once per thread
    that runs tasks (a SQLite connection serves the thread that made it), its name index loaded once."""

    name = PLUGIN_NAME

    def __init__(self, path: str):
        self.path = path
        self.handles: dict[int, Gazetteer] = {}
        self.index = None
        self.stamp = None

    def setup(self, worker) -> None:
        with Gazetteer(self.path) as gazetteer:  # a worker without the database fails here
            self.index = name_index(gazetteer)  # now, not in the worker's first task
        self.stamp = _stamp(self.path)

    def gazetteer(self) -> Gazetteer:
        """Return this thread's handle on the gazetteer, sharing the worker's name index."""
        thread = threading.get_ident()
        if thread not in self.handles:
            gazetteer = Gazetteer(self.path)
            gazetteer.derived["name_index"] = self.index
            self.handles[thread] = gazetteer
        return self.handles[thread]

    def teardown(self, worker) -> None:
        self.handles.clear()  # each connection closes with its thread's last reference


def run_partition(partition: Partition, part: str, published: dt.date | None,
                  current_only: bool) -> PartResult:
    """Extract the incidents of one partition on this worker and write them as the GeoParquet
    part at `part`."""
    worker = get_worker()
    gazetteer = worker.plugins[PLUGIN_NAME].gazetteer()
    started = time.process_time()
    errors: list = []
    articles = read_partition(partition, errors=errors, published=published)
    incidents, count = [], 0
    for _, found in extract_all(articles, gazetteer=gazetteer, errors=errors,
                                current_only=current_only):
        incidents.extend(found)
        count += 1
    rows = write_part(incidents, part, gazetteer)
    # messages, not exceptions: they cross back to the client as text
    return PartResult(partition.number, count, rows, [str(e) for e in errors], worker.address,
                      time.process_time() - started)


@contextmanager
def connect(scheduler: str, workers: int | None = None):
    """Yield a Client: of a LocalCluster on this machine for 'local', else of the scheduler at an address."""
    if scheduler == "local":
        # a worker is sent a task when it is free, not one to queue behind its current task
        with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES,
                              "distributed.scheduler.worker-saturation": 1.0}):
            # one single-threaded process per core: extraction is pure Python, bound by the GIL
            cluster = LocalCluster(n_workers=workers or default_jobs(), threads_per_worker=1,
                                   processes=True, host="127.0.0.1", dashboard_address=":0",
                                   silence_logs=logging.ERROR)
        try:
            with Client(cluster) as client:
                yield client
        finally:
            cluster.close()
        return
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        yield client
    finally:
        client.close()


def extract_on_cluster(paths: Iterable[str | os.PathLike], output: str | os.PathLike, *,
                       client, db_path: str | os.PathLike, errors: list, notes: list,
                       published: dt.date | None = None, current_only: bool = False,
                       target_bytes: int = PARTITION_BYTES,
                       progress: Callable[[int, int], None] | None = None) -> ClusterReport:
    """Extract the incidents of large inputs on a Dask cluster into a partitioned GeoParquet folder.

    Unreadable articles and failed partitions go to `errors`, workers' deaths to `notes`; the
    folder is published with the parts that succeeded.
    """
    partitions = plan_partitions(paths, errors=errors, target_bytes=target_bytes)
    folder = ParquetFolder(output)
    report = ClusterReport(partitions=len(partitions))
    try:
        _register_gazetteer(client, db_path)
        run = uuid.uuid4().hex[:8]
        waiting = iter(partitions)
        futures: dict = {}

        def submit_next(running: int) -> list:
            # no more partitions out than threads to run them: a worker holds one partition at
            # a time, so its death concerns that partition only, and the scheduler holds a few
            # tasks however large the input
            started = []
            while running + len(started) < max(1, sum(client.nthreads().values())):
                partition = next(waiting, None)
                if partition is None:
                    break
                future = client.submit(run_partition, partition, str(folder.part(partition.number)),
                                       published, current_only, pure=False,
                                       key=f"geomap-partition-{run}-{partition.number}")
                futures[future] = partition
                started.append(future)
            return started

        if progress:
            progress(0, len(partitions))
        running = as_completed(submit_next(0))
        for done, future in enumerate(running, start=1):
            partition = futures[future]
            try:
                result = future.result()
            except KilledWorker:
                errors.append(f"{partition.describe()}: the workers running this partition died "
                              f"{ALLOWED_FAILURES + 1} times; skipped")
            except Exception as exc:  # noqa: BLE001 - one failed partition must not stop the rest
                errors.append(f"{partition.describe()}: {type(exc).__name__}: {exc}")
            else:
                if _deaths(client, future.key):
                    notes.append(f"a worker died while it held partition {partition.number} "
                                 f"({partition.describe()}); the partition was run again")
                report.parts.append(result)
                report.articles += result.articles
                report.incidents += result.incidents
                errors.extend(result.errors)
            if progress:
                progress(done, len(partitions))
            running.update(submit_next(running.count()))
            del futures[future]  # the result is read: let the scheduler forget the task
        report.workers = len({p.worker for p in report.parts})
        report.parts.sort(key=lambda p: p.number)
        report.output = folder.publish({"partitions": report.partitions,
                                        "articles": report.articles,
                                        "incidents": report.incidents,
                                        "errors": len(errors)})
    except BaseException:
        folder.discard()
        raise
    return report


def _stamp(path: str) -> tuple[int, int]:
    """The database file's size and modification time: a rebuilt gazetteer is another one."""
    info = os.stat(path)
    return info.st_size, info.st_mtime_ns


def _holds_gazetteer(dask_worker, path: str) -> bool:
    """Whether this worker has the gazetteer at `path` open, and that file is unchanged."""
    plugin = dask_worker.plugins.get(PLUGIN_NAME)
    try:
        stamp = _stamp(path)
    except OSError:
        return False
    return getattr(plugin, "path", None) == path and getattr(plugin, "stamp", None) == stamp


def _register_gazetteer(client, db_path) -> None:
    """Open the gazetteer on every worker (and on workers that join later), or raise ClusterError.

    Workers that hold it already (an earlier run on the same cluster) keep it, with its name
    index and its warm caches: registering again would load them all anew."""
    path = str(Path(db_path).resolve())
    try:
        held = client.run(_holds_gazetteer, path=path)
    except Exception:  # noqa: BLE001 - a worker gone since the scheduler listed it: register anew
        held = {}
    if held and all(held.values()):
        return
    try:
        client.register_plugin(GazetteerPlugin(path), name=PLUGIN_NAME)
    except Exception as exc:  # noqa: BLE001 - whatever a worker raised while opening it
        raise ClusterError(f"a worker could not open the gazetteer at {path}: {exc}; every "
                           "worker needs the database at that path (--db)") from None


def _deaths(client, key: str) -> int:
    """How many workers died while running a task (0 when the scheduler does not say)."""
    try:
        return client.run_on_scheduler(
            lambda dask_scheduler: getattr(dask_scheduler.tasks.get(key), "suspicious", 0))
    except Exception:  # noqa: BLE001 - a scheduler that forbids run_on_scheduler: no note
        return 0
