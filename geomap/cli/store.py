"""`geomap ingest`, and what the commands share to run at scale: --jobs, --store and its slices."""

from __future__ import annotations

import sys
import time

import click

from geomap.cli.common import DB_OPTION, UsageProblem, cli, open_gazetteer

JOBS_OPTION = click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
    help="Worker processes (default: one per core of this machine). The output is the same "
         "for any N.")


def jobs_or_default(jobs: int | None) -> int:
    from geomap.parallel import default_jobs

    return jobs or default_jobs()


def slice_options(command):
    """Add --store and the options that choose a slice of it (--since, --until, --country, --bbox, --type)."""
    options = [
        click.option("--store", "store_path", type=click.Path(dir_okay=False), metavar="PATH",
                     help="Read incidents from this store (made by `geomap ingest`) instead of "
                          "articles."),
        click.option("--since", metavar="DATE", help="With --store: events on or after this "
                                                      "day (YYYY-MM-DD)."),
        click.option("--until", metavar="DATE", help="With --store: events on or before this "
                                                      "day (YYYY-MM-DD)."),
        click.option("--country", metavar="CC", help="With --store: events in this country "
                                                      "(ISO 3166-1 alpha-2 code)."),
        click.option("--bbox", metavar="W,S,E,N", help="With --store: events inside this box "
                                                        "(longitudes and latitudes in degrees)."),
        click.option("--type", "event_type", metavar="T",
                     help="With --store: events of this event type or sub-event type "
                          "(\"Battles\", \"Air/drone strike\")."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def store_slice(articles, store_path, since, until, country, bbox, event_type):
    """Return the Slice of --store PATH the options describe, or None when ARTICLES are read
    instead; stop with a usage error when both or neither are given, or when slice options come
    without --store."""
    if store_path:
        if articles:
            raise click.UsageError("give ARTICLES or --store, not both")
        return parse_slice(since, until, country, bbox, event_type)
    if not articles:
        raise click.UsageError("give ARTICLES (files or folders) or --store PATH")
    if any(value is not None for value in (since, until, country, bbox, event_type)):
        raise click.UsageError("--since, --until, --country, --bbox and --type choose a slice "
                               "of --store PATH")
    return None


def parse_slice(since, until, country, bbox, event_type):
    """Return the Slice the options describe, or stop with a usage error naming the option."""
    from geomap.articles import parse_published
    from geomap.incidents.taxonomy import TAXONOMY
    from geomap.store import Slice

    days = {}
    for name, value in (("--since", since), ("--until", until)):
        try:
            days[name] = parse_published(value) if value else None
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint=name) from None
    if days["--since"] and days["--until"] and days["--since"] > days["--until"]:
        raise click.BadParameter("is after --until", param_hint="--since")
    if country is not None and not (len(country) == 2 and country.isalpha()):
        raise click.BadParameter("give a two-letter ISO 3166-1 code such as UA",
                                 param_hint="--country")
    box = _parse_bbox(bbox) if bbox is not None else None
    if event_type is not None:
        known = {t.lower() for t in TAXONOMY} | {s.lower() for subs in TAXONOMY.values() for s in subs}
        if event_type.lower() not in known:
            raise click.BadParameter(f"not an event type; one of {', '.join(TAXONOMY)}, or one "
                                     "of their sub-event types", param_hint="--type")
    return Slice(days["--since"], days["--until"], country.upper() if country else None, box,
                 event_type)


def _parse_bbox(text: str) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except ValueError:
        raise click.BadParameter("give four numbers W,S,E,N such as 22,44,41,53",
                                 param_hint="--bbox") from None
    if not (-90 <= south <= north <= 90 and -180 <= west <= 180 and -180 <= east <= 180):
        raise click.BadParameter("latitudes must lie in -90..90 with S <= N, longitudes in "
                                 "-180..180 (W > E crosses the antimeridian)", param_hint="--bbox")
    return west, south, east, north


def open_store(path: str, *, create: bool = False, readonly: bool = False):
    """Open the store or stop with exit code 2 and one line saying why."""
    from geomap.store import IncidentStore, StoreError

    try:
        return IncidentStore(path, create=create, readonly=readonly)
    except StoreError as exc:
        raise UsageProblem(str(exc)) from None


def published_option_date(published: str | None):
    """Return the --published date, or stop with a usage error."""
    from geomap.articles import parse_published

    try:
        return parse_published(published) if published else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--published") from None


def track_undated(articles, undated: list):
    """Yield the articles, keeping those without a published date (their text dropped) in `undated`."""
    from dataclasses import replace

    for article in articles:
        if article.published is None:
            undated.append(replace(article, text=""))
        yield article


def first_kept(articles, seen: list):
    """Yield the articles, keeping the first in `seen`."""
    for article in articles:
        if not seen:
            seen.append(article)
        yield article


def slice_title(where) -> str:
    """Return a map title for a slice of a store: "Incidents in UA, 2024-05-06 to 2024-05-12"."""
    title = f"{where.event_type} events" if where.event_type else "Incidents"
    if where.country:
        title += f" in {where.country}"
    if where.since and where.until:
        title += f", {where.since.isoformat()} to {where.until.isoformat()}"
    elif where.since or where.until:
        title += f", since {where.since.isoformat()}" if where.since else f", until {where.until.isoformat()}"
    return title


class ArticleCounter:
    """Counts articles done on stderr when it is a terminal (the length of a stream is not known)."""

    def __init__(self, label: str = "articles"):
        self.label = label
        self.done = 0
        self.shown = sys.stderr.isatty()
        self._last = 0.0

    def __call__(self, _article=None) -> None:
        self.done += 1
        if self.shown and time.monotonic() - self._last > 0.5:
            self._last = time.monotonic()
            click.echo(f"\r{self.label}: {self.done:,}", err=True, nl=False)

    def close(self) -> None:
        if self.shown and self.done:
            click.echo(f"\r{self.label}: {self.done:,}", err=True)


def report_problems(errors, notes) -> None:
    """Print notes and errors on stderr, one line each."""
    for note in notes:
        click.echo(f"note: {note}", err=True)
    for error in errors:
        click.echo(f"error: {error}", err=True)


@cli.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path())
@click.option("--store", "store_path", required=True, type=click.Path(dir_okay=False),
              metavar="PATH", help="The store (a GeoPackage); made when missing.")
@click.option("--published", metavar="DATE",
              help="Publication date (YYYY-MM-DD) for articles whose metadata gives none.")
@JOBS_OPTION
@DB_OPTION
def ingest(articles, store_path, published, jobs, db_path) -> None:
    """Add the incidents of new articles to a persistent incident store.

    Articles whose text the store already holds are skipped (by a SHA-256 of the text), so
    running it again on the same folder adds nothing. The same event told by several
    articles becomes one event listing every article as a source, with the lowest fatality
    figure any of them gives (ACLED's conservative rule). Each batch of 500 articles is
    stored whole or not at all, so an interrupted ingest can simply be run again. The store
    is a GeoPackage: open its `incidents` layer in QGIS or with geopandas. Exit status 1
    when an article was unreadable (the others are stored), 2 on a usage error, a missing
    gazetteer, or a store written by another geomap format.

    \b
    Example:
      geomap ingest news/ --store incidents.gpkg
      geomap ingest feed-2024-05-*.jsonl --store incidents.gpkg --jobs 8
      geomap map --store incidents.gpkg --since 2024-05-06 --until 2024-05-12 --country UA
    """
    from geomap.store import ingest as ingest_articles
    from geomap.stream import iter_articles

    default_date = published_option_date(published)
    errors: list = []
    notes: list = []
    counter = ArticleCounter("articles ingested")
    with open_gazetteer(db_path) as gaz, open_store(store_path, create=True) as store:
        report = ingest_articles(iter_articles(articles, errors=errors, published=default_date),
                                 store, gazetteer=gaz, jobs=jobs_or_default(jobs), errors=errors,
                                 notes=notes, progress=counter)
        counter.close()
        held = store.counts()
    click.echo(f"{report.added} new articles ({report.held} already held), {report.reports} "
               f"incidents: {report.new_events} new events, {report.merged} merged into events "
               f"already stored; {store_path} holds {held['incidents']} events from "
               f"{held['articles']} articles")
    report_problems(errors, notes)
    if errors:
        sys.exit(1)
