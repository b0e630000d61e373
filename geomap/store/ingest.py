"""Ingesting: articles the store does not hold yet, extracted on every core, stored a batch at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from geomap.articles import Article
from geomap.gazetteer import Gazetteer
from geomap.incidents import Incident
from geomap.parallel import extract_all
from geomap.store.database import IncidentStore, IngestReport, content_hash

BATCH_ARTICLES = 500  # articles per transaction: what a kill -9 can lose
# hashes of articles sent on but perhaps not stored yet, remembered so an input that repeats a
# text does not extract it twice; forgotten past this many (they are in the store by then)
REMEMBERED = 100 * BATCH_ARTICLES


def _new_articles(articles: Iterable[Article], store: IncidentStore,
                  report: IngestReport) -> Iterator[Article]:
    """Yield the articles whose text neither the store nor an earlier article of the input holds."""
    articles = iter(articles)
    seen: set[str] = set()
    while chunk := list(islice(articles, BATCH_ARTICLES)):
        report.articles += len(chunk)
        digests = [content_hash(a) for a in chunk]
        held = store.held(digests)
        for article, digest in zip(chunk, digests):
            if digest in held or digest in seen:
                report.held += 1
            else:
                seen.add(digest)
                yield article
        if len(seen) > REMEMBERED:
            seen.clear()


def ingest(articles: Iterable[Article], store: IncidentStore, *, gazetteer: Gazetteer,
           jobs: int = 1, errors: list, notes: list | None = None,
           batch_articles: int = BATCH_ARTICLES,
           progress: Callable[[Article], None] | None = None) -> IngestReport:
    """Add the incidents of the articles the store does not hold; return what was done.

    Articles are extracted on `jobs` processes and stored `batch_articles` at a time, each
    batch one transaction. Articles that cannot be read or processed go to `errors` and are
    not stored, so the next ingest of the same input tries them again.
    """
    report = IngestReport()
    batch: list[tuple[Article, list[Incident]]] = []
    fresh = _new_articles(articles, store, report)
    for article, incidents in extract_all(fresh, gazetteer=gazetteer, jobs=jobs, errors=errors,
                                          notes=notes):
        batch.append((article, incidents))
        if progress:
            progress(article)
        if len(batch) >= batch_articles:
            report.add(store.add_batch(batch))
            batch.clear()
    if batch:
        report.add(store.add_batch(batch))
    return report
