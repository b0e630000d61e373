"""Articles through every local core: worker processes that share one loaded gazetteer.

The parent opens the gazetteer and loads its name index (the large part, some 110 MB) before
the workers start; they are forked from it, so the index's pages are shared copy-on-write
rather than copied once per worker. Each worker opens its own SQLite connection (a connection
must not cross a fork). Articles go out and results come back in batches, a few batches per
worker in flight, so memory stays flat however long the input; results come back in input
order, and are the same as one process's.

A worker that dies (killed, out of memory) is reported; the batches it may have held are
retried once, one at a time, and a batch that kills its worker again is skipped and reported.
An article whose processing raises is reported with its file and skipped.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, TypeVar

from geomap.articles import Article
from geomap.gazetteer import Gazetteer
from geomap.resolve import find_places
from geomap.toponyms import name_index

if TYPE_CHECKING:
    from geomap.briefing import Briefing

# The incident and briefing modules (their expressions take a few tenths of a second to compile)
# are imported where used, so that `geomap toponyms` never loads them; the functions that start a
# pool import them first, so that the forked workers inherit them compiled.

T = TypeVar("T")

BATCH_SIZE = 16  # articles per task: about 0.1 s of work, against a millisecond of messaging
IN_FLIGHT = 4  # batches per worker sent ahead, so no worker waits for the next
# an input shorter than this many batches runs in this process: forking would cost more
MIN_POOL_BATCHES = 2


class ArticleFailed(Exception):
    """An article (or a batch of articles) that could not be processed; the others went on."""

    def __init__(self, where: str, reason: str):
        super().__init__(where, reason)  # both in args, so it crosses a process boundary
        self.where = where
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


def default_jobs() -> int:
    """Return the number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def where(article: Article) -> str:
    """Return the file and the article in it, for messages ("docs.jsonl: article 17", "a.txt")."""
    if article.path and article.id != os.path.basename(article.path):
        return f"{article.path}: article {article.id}"
    return article.path or article.id


def map_articles(articles: Iterable[Article], work: Callable[[Article, Gazetteer], T], *,
                 gazetteer: Gazetteer, jobs: int = 1, errors: list,
                 notes: list | None = None, batch_size: int = BATCH_SIZE,
                 ) -> Iterator[tuple[Article, T]]:
    """Yield (article, work(article, gazetteer)) for each article, in input order, on `jobs` processes.

    `work` runs in the workers with their own handle on the same gazetteer. Articles that fail
    go to `errors` (ArticleFailed) and are not yielded; a worker's death goes to `notes`.
    """
    articles = iter(articles)
    head = list(islice(articles, batch_size * MIN_POOL_BATCHES))
    if jobs <= 1 or len(head) < batch_size * MIN_POOL_BATCHES:
        for article in _chain(head, articles):
            result = _run_one(work, article, gazetteer)
            if isinstance(result, ArticleFailed):
                errors.append(result)
            else:
                yield article, result
        return
    pool = _Pool(work, gazetteer, jobs, errors, notes if notes is not None else [])
    try:
        yield from pool.run(_batches(_chain(head, articles), batch_size))
    finally:
        pool.close()


def _chain(head: list, rest: Iterator) -> Iterator:
    yield from head
    yield from rest


def _batches(items: Iterator, size: int) -> Iterator[list]:
    while batch := list(islice(items, size)):
        yield batch


def _run_one(work, article: Article, gazetteer: Gazetteer):
    """work(article, gazetteer), or an ArticleFailed saying why not."""
    try:
        return work(article, gazetteer)
    except sqlite3.DatabaseError:  # a damaged gazetteer fails every article: one error, exit 2
        raise
    except Exception as exc:  # noqa: BLE001 - one bad article must not stop a million
        return ArticleFailed(where(article), f"could not be processed ({type(exc).__name__}: {exc})")


# --- the worker processes -------------------------------------------------------------------

# What a worker process keeps between its tasks: its gazetteer handle and the work to do, set
# once by _start_worker from the arguments the parent forked it with.
_WORKER: dict = {}


def _start_worker(parent: int, path, index, work) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the pool on Ctrl-C
    _die_with(parent)
    gazetteer = Gazetteer(path)
    # the parent's name index, inherited through the fork: shared pages, not a second copy
    gazetteer.derived["name_index"] = index
    _WORKER.update(gazetteer=gazetteer, work=work)


def _die_with(parent: int) -> None:
    """Have the kernel end this worker when its parent ends (Linux), so that a parent killed
    with kill -9 leaves no worker waiting on its pipe for ever."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return  # not Linux: the pool's own shutdown is all there is
    if os.getppid() != parent:  # the parent ended before the request took effect
        os._exit(1)


def _run_batch(batch: list[Article]) -> list:
    return [_run_one(_WORKER["work"], article, _WORKER["gazetteer"]) for article in batch]


class _Pool:
    """Worker processes forked from a parent that holds the loaded gazetteer; batches in order."""

    def __init__(self, work, gazetteer: Gazetteer, jobs: int, errors: list, notes: list):
        self.work = work
        self.gazetteer = gazetteer
        self.index = name_index(gazetteer)  # loaded before the fork, so every worker shares it
        self.jobs = jobs
        self.errors = errors
        self.notes = notes
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        # objects that exist now are never collected in the workers, so their pages stay shared
        gc.freeze()
        try:
            executor = ProcessPoolExecutor(
                self.jobs, mp_context=multiprocessing.get_context("fork"),
                initializer=_start_worker,
                initargs=(os.getpid(), self.gazetteer.path, self.index, self.work))
            executor.submit(int).result()  # forks the workers now, while everything is frozen
        finally:
            gc.unfreeze()
        return executor

    def run(self, batches: Iterator[list[Article]]) -> Iterator[tuple[Article, object]]:
        pending: deque = deque()
        for batch in batches:
            pending.append((batch, self.executor.submit(_run_batch, batch)))
            while len(pending) >= self.jobs * IN_FLIGHT:
                yield from self._finish(pending)
        while pending:
            yield from self._finish(pending)

    def _finish(self, pending: deque) -> Iterator[tuple[Article, object]]:
        batch, future = pending.popleft()
        try:
            results = future.result()
        except BrokenProcessPool:
            suspects = [batch] + [b for b, _ in pending]
            pending.clear()
            yield from self._recover(suspects)
            return
        yield from self._deliver(batch, results)

    def _deliver(self, batch, results) -> Iterator[tuple[Article, object]]:
        for article, result in zip(batch, results):
            if isinstance(result, ArticleFailed):
                self.errors.append(result)
            else:
                yield article, result

    def _recover(self, suspects: list[list[Article]]) -> Iterator[tuple[Article, object]]:
        """Retry once, one batch at a time, the batches a dead worker may have held."""
        self.notes.append(
            f"a worker process died (killed, or out of memory) while {len(suspects)} batches of "
            f"articles from {where(suspects[0][0])} on were in progress; retrying them once, "
            "one at a time")
        self._restart()
        for batch in suspects:
            try:
                results = self.executor.submit(_run_batch, batch).result()
            except BrokenProcessPool:
                self.errors.append(ArticleFailed(
                    f"{where(batch[0])} to {where(batch[-1])}",
                    f"a worker process died twice on these {len(batch)} articles; skipped"))
                self._restart()
                continue
            yield from self._deliver(batch, results)

    def _restart(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = self._start()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


# --- what the commands run on each article ------------------------------------------------------

def _incidents_of(article: Article, gazetteer: Gazetteer, *, current_only: bool = False) -> list:
    from geomap.incidents import extract_incidents

    found = extract_incidents(article, gazetteer=gazetteer)
    return [i for i in found if not (current_only and i.historical)]


def extract_all(articles: Iterable[Article], *, gazetteer: Gazetteer, jobs: int = 1,
                errors: list, notes: list | None = None, current_only: bool = False,
                ) -> Iterator[tuple[Article, list]]:
    """Yield (article, its incidents) in input order, extracted on `jobs` processes."""
    import geomap.incidents.extract  # noqa: F401  (before the workers fork)

    work = partial(_incidents_of, current_only=current_only)
    return map_articles(articles, work, gazetteer=gazetteer, jobs=jobs, errors=errors, notes=notes)


def _places_of(article: Article, gazetteer: Gazetteer, *, ner: bool = False) -> list:
    return find_places(article.text, gazetteer=gazetteer, ner=ner)


def find_all(articles: Iterable[Article], *, gazetteer: Gazetteer, jobs: int = 1, errors: list,
             notes: list | None = None, ner: bool = False) -> Iterator[tuple[Article, list]]:
    """Yield (article, its resolved place mentions) in input order, found on `jobs` processes."""
    work = partial(_places_of, ner=ner)
    return map_articles(articles, work, gazetteer=gazetteer, jobs=jobs, errors=errors, notes=notes)


def _briefing_of(article: Article, gazetteer: Gazetteer) -> Briefing:
    from geomap.briefing import collect

    return collect([article], gazetteer)


def collect_all(articles: Iterable[Article], *, gazetteer: Gazetteer, jobs: int = 1,
                errors: list, notes: list | None = None,
                progress: Callable[[Article], None] | None = None) -> Briefing:
    """Return what geomap.briefing.collect returns for the articles, collected on `jobs` processes."""
    from geomap.briefing import Briefing

    total = Briefing()
    for article, part in map_articles(articles, _briefing_of, gazetteer=gazetteer, jobs=jobs,
                                      errors=errors, notes=notes):
        total.add(part)
        if progress:
            progress(article)
    return total
