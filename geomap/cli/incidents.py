"""`geomap incidents` and `geomap map`."""

from __future__ import annotations

import sys

import click

from geomap.cli.common import (DB_OPTION, RAW_CSV_OPTION, UsageProblem, cli, note_undated,
                               open_gazetteer)
from geomap.cli.store import (JOBS_OPTION, ArticleCounter, first_kept, jobs_or_default,
                              open_store, published_option_date, report_problems, slice_options,
                              slice_title, store_slice, track_undated)


@cli.command()
@click.argument("articles", nargs=-1, type=click.Path())
@click.option("--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "json", "geojson", "csv", "gpkg", "parquet"]),
              help="Output format; gpkg and parquet need -o.")
@click.option("-o", "--output", type=click.Path(),
              help="Write to this file (whole or not at all) instead of standard output. With "
                   "--format parquet, a folder (a path ending in /) gets GeoParquet parts.")
@click.option("--published", metavar="DATE",
              help="Publication date (YYYY-MM-DD) for articles whose metadata gives none.")
@click.option("--current-only", is_flag=True,
              help="Leave out historical incidents (background such as earlier wars).")
@JOBS_OPTION
@click.option("--scheduler", metavar="ADDRESS",
              help="Run on a Dask cluster: its scheduler's address (tcp://host:8786), or 'local' "
                   "for --jobs workers on this machine. Writes a GeoParquet folder: -o DIR.")
@slice_options
@RAW_CSV_OPTION
@DB_OPTION
def incidents(articles, fmt, output, published, current_only, jobs, scheduler, store_path,
              since, until, country, bbox, event_type, raw_csv, db_path) -> None:
    """Extract incidents (what happened, where, when, who, how many dead) from articles.

    ARTICLES are files (.txt, .md with front matter, .html, .jsonl, .parquet with a text
    column) or folders read recursively; a catalogue.yaml beside the files gives titles and
    published dates. Each incident carries ACLED's fields, the sentence that supports it and
    a confidence; history told as background is kept with historical=true. Relative dates
    ("Sunday") stay unresolved when an article's published date is unknown. Articles stream
    through --jobs processes (the output is the same for any N); --scheduler runs them on a
    Dask cluster; --store exports a slice of an incident store instead. Exit status 1 when
    any file was unreadable (the others are processed), 2 on a usage error or a missing
    gazetteer.

    \b
    Example:
      geomap incidents seeds/
      geomap incidents article.txt --published 2020-10-05 --format json
      geomap incidents seeds/ --format gpkg -o output/incidents.gpkg
      geomap incidents big.jsonl --scheduler local --format parquet -o output/incidents/
      geomap incidents --store incidents.gpkg --since 2024-05-06 --country UA --format csv
    """
    from geomap.formats import BINARY_FORMATS

    if fmt in BINARY_FORMATS and not output:
        raise click.UsageError(f"--format {fmt} writes a binary file: give -o FILE")
    if store_path and scheduler:
        raise click.UsageError("give ARTICLES or --store, not both")
    where = store_slice(articles, store_path, since, until, country, bbox, event_type)
    if store_path:
        _export_store(store_path, where, fmt, output, current_only, not raw_csv, db_path)
        return
    default_date = published_option_date(published)
    if scheduler:
        _run_on_cluster(articles, scheduler, fmt, output, default_date, current_only, jobs,
                        db_path)
        return
    from geomap.export import export_incidents
    from geomap.stream import iter_articles
    from geomap.stream.writing import OutputTaken

    errors: list = []
    notes: list = []
    undated: list = []
    counter = ArticleCounter()
    with open_gazetteer(db_path) as gaz:
        stream = track_undated(iter_articles(articles, errors=errors, published=default_date),
                               undated)
        try:
            report = export_incidents(stream, output, fmt, gazetteer=gaz,
                                      jobs=jobs_or_default(jobs), errors=errors, notes=notes,
                                      current_only=current_only, safe_csv=not raw_csv,
                                      progress=counter)
        except OSError as exc:
            raise click.ClickException(f"{output}: {exc.strerror or exc}") from None
        except OutputTaken as exc:
            raise UsageProblem(str(exc)) from None
        counter.close()
    note_undated(undated)
    click.echo(f"{report.incidents} incidents ({report.historical} historical) from "
               f"{report.articles} articles" + (f"; written to {output}" if output else ""),
               err=True)
    report_problems(errors, notes)
    if errors:
        sys.exit(1)


def _export_store(store_path, where, fmt, output, current_only, safe_csv, db_path) -> None:
    """`geomap incidents --store`: a slice of the store in any format."""
    from geomap.export import export_store
    from geomap.formats import BINARY_FORMATS

    with open_store(store_path, readonly=True) as store:
        try:
            if fmt in BINARY_FORMATS:  # region polygons come from the gazetteer
                with open_gazetteer(db_path) as gaz:
                    count = export_store(store, where, output, fmt, gazetteer=gaz,
                                         current_only=current_only)
            else:
                count = export_store(store, where, output, fmt, current_only=current_only,
                                     safe_csv=safe_csv)
        except OSError as exc:
            raise click.ClickException(f"{output}: {exc.strerror or exc}") from None
    click.echo(f"{count} incidents from {store_path}" + (f"; written to {output}" if output else ""),
               err=True)


def _run_on_cluster(articles, scheduler, fmt, output, published, current_only, jobs,
                    db_path) -> None:
    """`geomap incidents --scheduler`: partitions on a Dask cluster, a GeoParquet folder out."""
    from click.core import ParameterSource

    from geomap.cli.common import db_path_of

    chosen = click.get_current_context().get_parameter_source("fmt") is not ParameterSource.DEFAULT
    if not output or (chosen and fmt != "parquet"):
        raise click.UsageError("--scheduler writes a partitioned GeoParquet folder: give "
                               "--format parquet -o DIR")
    from geomap.cluster import ClusterError, connect, extract_on_cluster
    from geomap.stream.writing import OutputTaken

    open_gazetteer(db_path).close()  # this machine's copy, before starting a cluster
    errors: list = []
    notes: list = []
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="partitions", file=sys.stderr,
                                    show_pos=True, hidden=total < 2)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        with connect(scheduler, workers=jobs) as client:
            report = extract_on_cluster(articles, output, client=client,
                                        db_path=db_path_of(db_path), errors=errors, notes=notes,
                                        published=published, current_only=current_only,
                                        progress=progress)
    except ClusterError as exc:
        raise UsageProblem(str(exc)) from None
    except OutputTaken as exc:
        raise UsageProblem(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"{output}: {exc.strerror or exc}") from None
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    click.echo(f"{report.incidents} incidents from {report.articles} articles in "
               f"{report.partitions} partitions on {report.workers} workers; written to "
               f"{report.output}", err=True)
    report_problems(errors, notes)
    if errors:
        sys.exit(1)


@cli.command("map")
@click.argument("articles", nargs=-1, type=click.Path())
@click.option("-o", "--out-dir", default="output", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the files.")
@click.option("--name", default="map", show_default=True,
              help="File name stem: NAME.html, NAME.png, NAME.pdf, NAME.geojson.")
@click.option("--title", help="Map title (default: the article's title, or a count of articles).")
@click.option("--published", metavar="DATE",
              help="Publication date (YYYY-MM-DD) for articles whose metadata gives none.")
@click.option("--online", is_flag=True,
              help="Load Leaflet from a CDN and offer OpenStreetMap tiles (needs a network to view).")
@click.option("--png/--no-png", default=True, show_default=True, help="Static image for slides (1600x1000).")
@click.option("--pdf/--no-pdf", default=True, show_default=True, help="Static A4 page.")
@click.option("--screenshot", type=click.Path(dir_okay=False),
              help="Also save a PNG of the interactive map as headless Chromium draws it offline.")
@JOBS_OPTION
@slice_options
@DB_OPTION
def map_command(articles, out_dir, name, title, published, online, png, pdf, screenshot, jobs,
                store_path, since, until, country, bbox, event_type, db_path) -> None:
    """Map the incidents in articles: an offline interactive map, PNG, PDF and GeoJSON.

    The HTML is self-contained (every script inlined, a basemap drawn from the gazetteer's
    country polygons), so it opens on an air-gapped laptop and can be attached to a
    briefing. Layers: one per event type, places mentioned, region polygons, and historical
    incidents (off by default). Articles stream through --jobs processes; --store maps a
    slice of an incident store instead (--since, --until, --country, --bbox, --type). Exit
    status 1 when any article was unreadable (the others are mapped), 2 on a usage error or
    a missing gazetteer.

    \b
    Example:
      geomap map seeds/
      geomap map articles/ -o briefing --name week42 --title "Week 42"
      geomap map seeds/ --screenshot output/map-screenshot.png
      geomap map --store incidents.gpkg --since 2024-05-06 --until 2024-05-12 --country UA
    """
    from geomap.files import UnsafeName, plain_name

    try:  # before any article is read: a bad name is a usage error, not the end of a long run
        plain_name(name)
    except UnsafeName as exc:
        raise UsageProblem(f"--name: {exc.strerror}") from None
    from geomap.briefing import default_title, write_briefing
    from geomap.parallel import collect_all
    from geomap.stream import iter_articles
    from geomap.webmap import AssetsMissing, NotSelfContained

    errors: list = []
    notes: list = []
    where = store_slice(articles, store_path, since, until, country, bbox, event_type)
    if store_path:
        title = title or slice_title(where)
    default_date = published_option_date(published)
    with open_gazetteer(db_path) as gaz:
        if store_path:
            with open_store(store_path, readonly=True) as store:
                briefing = store.briefing(where, gaz)
        else:
            seen: list = []  # the first article, for the title of a one-article map
            stream = iter_articles(articles, errors=errors, published=default_date)
            counter = ArticleCounter()
            briefing = collect_all(first_kept(stream, seen), gazetteer=gaz,
                                   jobs=jobs_or_default(jobs), errors=errors, notes=notes,
                                   progress=counter)
            counter.close()
            if not briefing.articles:  # nothing to map: say why rather than write an empty briefing
                report_problems(errors, notes)
                raise click.ClickException(f"no readable articles in {', '.join(articles)}; "
                                           "nothing mapped")
            # default_title reads the number of articles and the only one's title
            title = title or default_title(seen * briefing.articles, briefing.incidents)
        try:
            files = write_briefing(briefing, gaz, out_dir, name=name, title=title,
                                   online=online, png=png, pdf=pdf)
        except (AssetsMissing, NotSelfContained) as exc:
            raise UsageProblem(str(exc)) from None
        except OSError as exc:
            raise click.ClickException(f"{out_dir}: {exc.strerror or exc}") from None
    if screenshot:
        from geomap.browser import BrowserMissing, MapNotReady, screenshot as take_screenshot

        try:
            files.append(take_screenshot(files[0], screenshot))
        except (BrowserMissing, MapNotReady) as exc:
            raise click.ClickException(f"screenshot: {exc}") from None
    click.echo(f"{len(briefing.incidents)} incidents ({briefing.historical} historical) and "
               f"{len(briefing.place_counts)} places from {briefing.articles} articles", err=True)
    for path in files:
        click.echo(f"wrote {path}", err=True)
    report_problems(errors, notes)
    if errors:
        sys.exit(1)
