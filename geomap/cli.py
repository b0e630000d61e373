"""The `geomap` command line: a click group whose commands each call one library function."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from geomap import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="geomap")
def cli() -> None:
    """Offline incident mapper: find places and incidents in news articles and map them.

    \b
    Example:
      geomap geocode Stepanakert Gandja Riga
      geomap map seeds/
    """


# --- gazetteer and geocode commands -------------------------------------------------------

DB_OPTION = click.option(
    "--db", "db_path", type=click.Path(dir_okay=False), default=None, envvar="GEOMAP_DB",
    help="Gazetteer database (default: gazetteer/geomap.sqlite in the project; env GEOMAP_DB).")


def _db_path(db_path: str | None):
    from geomap.gazetteer import default_db_path

    return Path(db_path) if db_path else default_db_path()


def _open_gazetteer(db_path: str | None):
    """Open the gazetteer or stop with exit code 2 and one line saying how to build it."""
    from geomap.gazetteer import Gazetteer, GazetteerMissing

    try:
        return Gazetteer(_db_path(db_path))
    except GazetteerMissing as exc:
        raise UsageProblem(str(exc)) from None


class UsageProblem(click.ClickException):
    """A problem the user must fix before the command can run: exit code 2."""

    exit_code = 2


@cli.group()
def gazetteer() -> None:
    """Build and inspect the local gazetteer (GeoNames + Natural Earth in SQLite).

    \b
    Example:
      geomap gazetteer build
      geomap gazetteer info
    """


@gazetteer.command("build")
@DB_OPTION
@click.option("--sources", type=click.Path(file_okay=False, exists=True), default=None,
              help="Folder of committed sources (default: gazetteer/ in the project).")
@click.option("--if-stale", is_flag=True,
              help="Do nothing when the database exists and matches the sources.")
def gazetteer_build(db_path, sources, if_stale) -> None:
    """Build the gazetteer database from the committed sources (atomic: a temp file, then rename).

    \b
    Example:
      geomap gazetteer build --if-stale
    """
    from geomap.gazetteer import GazetteerError, build_gazetteer, is_stale

    path = _db_path(db_path)
    root = Path(sources) if sources else None
    if if_stale and not is_stale(path, root):
        click.echo(f"gazetteer up to date: {path}", err=True)
        return
    click.echo(f"building {path} ...", err=True)
    try:
        report = build_gazetteer(path, root, progress=lambda step: click.echo(f"  {step}", err=True))
    except GazetteerError as exc:
        raise UsageProblem(str(exc)) from None
    click.echo(f"built {report.path}: {report.places:,} places, {report.names:,} names, "
               f"{report.shapes:,} shapes in {report.seconds:.1f} s", err=True)


@gazetteer.command("info")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the facts as JSON.")
def gazetteer_info(db_path, as_json) -> None:
    """Show what the gazetteer holds: counts by kind and source, build date, size, attribution.

    \b
    Example:
      geomap gazetteer info --json
    """
    with _open_gazetteer(db_path) as gaz:
        info = gaz.info()
    if as_json:
        click.echo(json.dumps(info, indent=2))
        return
    click.echo(f"database:    {info['path']} ({info['size_bytes'] / 1e6:.1f} MB)")
    click.echo(f"built:       {info['built']} (sources {info['sources_digest']})")
    click.echo(f"places:      {info['places']:,}  names: {info['names']:,}  shapes: {info['shapes']:,}")
    for label, counts in (("by kind", info["by_kind"]), ("by source", info["by_source"])):
        click.echo(f"{label}:")
        for key, n in sorted(counts.items(), key=lambda kv: -kv[1]):
            click.echo(f"  {key:<24} {n:>9,}")
    click.echo(f"attribution: {info['attribution']}")


@gazetteer.command("import-geonames")
@DB_OPTION
@click.argument("dump", type=click.Path(dir_okay=False))
@click.option("--alternate-names", type=click.Path(dir_okay=False), default=None,
              help="alternateNamesV2.txt (or its zip) to add the places' other names.")
@click.option("--feature-classes", default="APL", show_default=True,
              help="GeoNames feature classes to keep (A admin, P populated, L areas, H water, T terrain...).")
def gazetteer_import(db_path, dump, alternate_names, feature_classes) -> None:
    """Add a GeoNames dump you downloaded (allCountries.txt, cities500.txt, or their .zip).

    The dump is streamed with bounded memory; the database is replaced atomically.

    \b
    Example:
      geomap gazetteer import-geonames ~/Downloads/allCountries.zip \\
          --alternate-names ~/Downloads/alternateNamesV2.zip
    """
    from geomap.gazetteer import GazetteerError, import_geonames

    try:
        report = import_geonames(
            _db_path(db_path), dump, alternate_names=alternate_names,
            feature_classes=feature_classes,
            progress=lambda n: click.echo(f"  {n:,} lines read", err=True))
    except GazetteerError as exc:
        raise UsageProblem(str(exc)) from None
    click.echo(f"imported {dump}: {report.added:,} places added, {report.known:,} already known, "
               f"{report.skipped_class:,} of other feature classes, "
               f"{report.alternate_names:,} alternate names", err=True)
    if report.bad_line_count:
        for line in report.bad_lines:
            click.echo(f"  skipped {line}", err=True)
        raise click.ClickException(f"{report.bad_line_count:,} malformed lines skipped in {dump}")


GEOCODE_COLUMNS = ("query", "status", "name", "kind", "country_code", "admin1", "lat", "lon",
                   "population", "geonames_id", "confidence")


def _read_names(file) -> list[str]:
    raw = (sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes())
    return [line.decode("utf-8", errors="replace").rstrip("\r") for line in raw.split(b"\n")
            if line.strip()]


def _parse_near(value: str | None):
    if value is None:
        return None
    try:
        lat, lon = (float(v) for v in value.split(","))
    except ValueError:
        raise click.BadParameter("expected LAT,LON such as 40.4,49.9", param_hint="--near") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise click.BadParameter("latitude or longitude out of range", param_hint="--near")
    return lat, lon


@cli.command()
@click.argument("names", nargs=-1)
@click.option("-f", "--file", "file", type=click.Path(dir_okay=False, allow_dash=True),
              help="Read names from a file, one per line ('-' for standard input).")
@click.option("--country", metavar="CC", help="Only places in this country (ISO alpha-2, e.g. AZ).")
@click.option("--near", metavar="LAT,LON", help="Prefer places near this point.")
@click.option("--kind", type=click.Choice(["city", "admin1", "country", "region", "continent"]),
              help="Only places of this kind.")
@click.option("--no-fuzzy", is_flag=True, help="Exact names only; no spelling correction.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "geojson"]),
              default="table", show_default=True)
@DB_OPTION
def geocode(names, file, country, near, kind, no_fuzzy, fmt, db_path) -> None:
    """Look place names up in the local gazetteer: a check you can script.

    Exit status: 0 when every name resolved to one place, 1 when any was ambiguous, fuzzy,
    not found or invalid (the output says which and why), 2 on a usage error or a missing
    gazetteer.

    \b
    Example:
      geomap geocode Stepanakert Gandja "Nagorny Karabakh"
      geomap geocode Alexandria --country US --format json
      geomap geocode --file places.txt --format csv > places.csv
    """
    from geomap.lookup import geocode_names, render_results

    if not names and not file:
        raise click.UsageError("give NAMES or --file (see --help)")
    queries = list(names) + (_read_names(file) if file else [])
    near_point = _parse_near(near)
    with _open_gazetteer(db_path) as gaz:
        results = geocode_names(gaz, queries, country=country, near=near_point, kind=kind,
                                fuzzy=not no_fuzzy)
    click.echo(render_results(results, fmt), nl=False)
    problems = [r for r in results if r.status != "resolved"]
    for r in problems:
        click.echo(f"{r.status}: {r.query[:60]!r}: {r.message}", err=True)
    sys.exit(1 if problems else 0)

# --- toponyms and evaluate commands ------------------------------------------------------

NER_OPTION = click.option(
    "--ner", is_flag=True,
    help="Let spaCy's statistical NER veto names inside people's and organisations' names and "
         "add places the gazetteer missed (slower; needs the optional extra: "
         "`uv sync --extra ner`).")


def _load_ner(ner: bool) -> None:
    """Load the NER model up front, or stop with exit code 2 saying how to install it."""
    if not ner:
        return
    from geomap.ner import NerUnavailable, load_model

    try:
        load_model()
    except NerUnavailable as exc:
        raise UsageProblem(str(exc)) from None


# Larger files are refused: split them (find_places itself reads long texts in chunks).
MAX_TOPONYM_FILE_BYTES = 64 * 1024 * 1024
TOPONYM_COLUMNS = ("start", "end", "text", "kind", "role", "name", "country_code", "lat", "lon",
                   "geonames_id", "confidence")


def _read_text_file(file: str) -> str:
    path = Path(file)
    if file != "-" and path.stat().st_size > MAX_TOPONYM_FILE_BYTES:
        raise click.ClickException(
            f"{file}: {path.stat().st_size / 1e6:.0f} MB is more than geomap toponyms reads at "
            f"once ({MAX_TOPONYM_FILE_BYTES // 2**20} MiB); split the file")
    raw = sys.stdin.buffer.read() if file == "-" else path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise ValueError("binary file (NUL bytes), not text")
    return raw.decode("utf-8", errors="replace")


def _write_atomic(path: str, lines) -> None:
    """Write the lines to a file whole or not at all."""
    from geomap.output import atomic_target

    with atomic_target(path) as tmp, open(tmp, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(line)


def _jsonl_toponyms(resolver, source: str, problems: list[str], ner: bool = False):
    """Yield one output line per valid input line; record the bad ones in `problems`."""
    stream = sys.stdin if source == "-" else open(source, encoding="utf-8", errors="replace")
    with stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
                text = doc["text"]
                if not isinstance(text, str):
                    raise TypeError("text is not a string")
            except json.JSONDecodeError as exc:
                problems.append(f"{source}:{number}: invalid JSON ({exc.msg})")
                continue
            except (KeyError, TypeError) as exc:
                problems.append(f"{source}:{number}: expected an object with \"doc_id\" and \"text\" "
                                f"({exc})")
                continue
            mentions = resolver.find_places(text, ner=ner)
            yield json.dumps({"doc_id": doc.get("doc_id"),
                              "toponyms": [m.as_dict() for m in mentions]},
                             ensure_ascii=False) + "\n"


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--jsonl", "jsonl", type=click.Path(dir_okay=False, allow_dash=True),
              help="Read documents {\"doc_id\", \"text\"} one per line; write one line per "
                   "document with its toponyms.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to this file (atomically) instead of standard output.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output for FILES (--jsonl always writes JSON lines).")
@NER_OPTION
@DB_OPTION
def toponyms(files, jsonl, output, fmt, ner, db_path) -> None:
    """Find the place names in articles and resolve each to a gazetteer place.

    Each mention has character offsets into the text, the place it means (name, kind,
    country, coordinates, GeoNames id), its role (literal, or associative when the place
    stands for its government: "Yerevan-backed") and a confidence. Demonyms ("Azerbaijani")
    are reported with kind 'demonym'. Exit status 1 when an input line or file was unreadable.

    \b
    Example:
      geomap toponyms seeds/*.txt
      geomap toponyms article.txt --format json
      geomap toponyms --jsonl corpus.jsonl -o predictions.jsonl
      geomap toponyms article.txt --ner
    """
    from geomap.gazetteer import GazetteerError
    from geomap.resolve import Resolver

    if not files and not jsonl:
        raise click.UsageError("give FILES or --jsonl (see --help)")
    if files and jsonl:
        raise click.UsageError("give FILES or --jsonl, not both")
    _load_ner(ner)
    gaz = _open_gazetteer(db_path)
    try:
        resolver = Resolver(gaz)
    except GazetteerError as exc:
        raise UsageProblem(str(exc)) from None
    problems: list[str] = []
    if jsonl:
        try:
            lines = _jsonl_toponyms(resolver, jsonl, problems, ner)
            if output:
                _write_atomic(output, lines)
            else:
                for line in lines:
                    click.echo(line, nl=False)
        except OSError as exc:
            raise click.ClickException(f"{jsonl}: {exc.strerror or exc}") from None
    else:
        records = []
        for file in files:
            try:
                text = _read_text_file(file)
            except OSError as exc:
                problems.append(f"{file}: {exc.strerror or exc}")
                continue
            except ValueError as exc:
                problems.append(f"{file}: {exc}")
                continue
            records.append((file, [m.as_dict() for m in resolver.find_places(text, ner=ner)]))
        if fmt == "json":
            body = json.dumps([{"file": f, "toponyms": t} for f, t in records], indent=2,
                              ensure_ascii=False) + "\n"
        else:
            from geomap.output import render_table

            body = "".join(f"{f}\n" + (render_table(t, TOPONYM_COLUMNS) if t else "  (no places)\n")
                           for f, t in records)
        if output:
            _write_atomic(output, [body])
        else:
            click.echo(body, nl=False)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if problems:
        sys.exit(1)


@cli.command()
@click.argument("corpus", required=False, type=click.Path(dir_okay=False, exists=True))
@click.option("--seeds", is_flag=True,
              help="Score the seed articles against shared/gold/seeds.json and list traps hit.")
@click.option("--shared", type=click.Path(file_okay=False, exists=True), default=None,
              help="The shared/ folder (default: the sibling of the project root).")
@click.option("--incidents", is_flag=True,
              help="Score the incidents extracted from the seed articles against the seed gold "
                   "(place, event type and date within a day).")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@NER_OPTION
@DB_OPTION
def evaluate(corpus, seeds, incidents, shared, as_json, ner, db_path) -> None:
    """Score toponym recognition and resolution against a gold corpus or the seed gold.

    CORPUS is a JSON-lines file in the format of shared/corpora (text and gold toponyms with
    offsets and coordinates). Reports precision, recall and F1 of recognition; accuracy
    within 161 km on the recognised toponyms and end to end; median and mean error; AUC of
    the error curve; and the gazetteer's coverage of the gold (the ceiling).

    \b
    Example:
      geomap evaluate ../shared/corpora/TR-News/TR-News.normalized.jsonl
      geomap evaluate --seeds
      geomap evaluate --incidents
      geomap evaluate --seeds --ner
    """
    from geomap.evaluate import CorpusError, evaluate_corpus, evaluate_seeds

    if incidents:
        if ner:
            raise click.UsageError("--ner scores the toponyms; it does not apply to --incidents")
        _evaluate_incidents(shared, as_json, db_path)
        return
    if bool(corpus) == bool(seeds):
        raise click.UsageError("give CORPUS or --seeds (see --help)")
    _load_ner(ner)
    gaz = _open_gazetteer(db_path)
    try:
        if seeds:
            folder = _shared_folder(shared)
            if not (folder / "gold" / "seeds.json").is_file():
                raise UsageProblem(f"no seed gold at {folder / 'gold' / 'seeds.json'}: "
                                   "give --shared DIR")
            report = evaluate_seeds(folder, gaz, ner=ner)
        else:
            def progress(docs):
                with click.progressbar(docs, label="documents", file=sys.stderr) as bar:
                    yield from bar

            report = evaluate_corpus(corpus, gaz, progress=progress, ner=ner)
    except CorpusError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    click.echo(f"{report['corpus']}: {report['documents']} documents, {report['gold']} gold "
               f"toponyms, {report['predicted']} predicted, {report['matched']} matched")
    for label, key in (("precision", "precision"), ("recall", "recall"), ("F1", "f1"),
                       ("acc@161 (resolved)", "acc161_resolved"),
                       ("acc@161 (end to end)", "acc161_end_to_end"),
                       ("median error km", "median_km"), ("mean error km", "mean_km"),
                       ("AUC", "auc"), ("coverage", "coverage"), ("traps hit", "trap_hits")):
        click.echo(f"  {label:<22} {report[key]}")
    for trap in report["traps"]:
        click.echo(f"  trap: {trap}")


# --- incidents commands --------------------------------------------------------------------


def _shared_folder(shared: str | None) -> Path:
    """Return the shared/ folder of gold data: --shared, else the sibling of the project."""
    from geomap.gazetteer.store import project_root

    return Path(shared) if shared else project_root().parent / "shared"


def _read_inputs(paths, published: str | None):
    """Return (articles, errors) read from files and folders; --published fills missing dates."""
    from geomap.articles import parse_published, read_articles

    try:
        default_date = parse_published(published) if published else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--published") from None
    errors: list = []
    found = []
    for path in paths:
        found.extend(read_articles(path, errors=errors, published=default_date))
    return found, errors


def _progress(articles):
    """A progress bar over articles on stderr (shown on a terminal, for runs of several)."""
    return click.progressbar(articles, label="articles", file=sys.stderr, show_pos=True,
                             hidden=len(articles) < 5)


def _evaluate_incidents(shared, as_json, db_path) -> None:
    """`geomap evaluate --incidents`: the seed incidents against the gold."""
    from geomap.incidents.scoring import GoldError, evaluate_seed_incidents

    folder = _shared_folder(shared)
    if not (folder / "gold" / "seeds.json").is_file():
        raise UsageProblem(f"no seed gold at {folder / 'gold' / 'seeds.json'}: give --shared DIR")
    with _open_gazetteer(db_path) as gaz:
        try:
            report = evaluate_seed_incidents(folder, gaz)
        except GoldError as exc:
            raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    click.echo(f"incidents: {report['matched_full']}/{report['gold']} matched (place+type+date), "
               f"{report['matched_place']}/{report['gold']} by place, "
               f"{report['unmatched_predictions']} extra, {report['historical_leaks']} historical leaks")
    for miss in report["misses"]:
        click.echo(f"  missed {miss}")


@cli.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "json", "geojson", "csv", "gpkg", "parquet"]),
              help="Output format; gpkg and parquet need -o.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to this file (whole or not at all) instead of standard output.")
@click.option("--published", metavar="DATE",
              help="Publication date (YYYY-MM-DD) for articles whose metadata gives none.")
@click.option("--current-only", is_flag=True,
              help="Leave out historical incidents (background such as earlier wars).")
@DB_OPTION
def incidents(articles, fmt, output, published, current_only, db_path) -> None:
    """Extract incidents (what happened, where, when, who, how many dead) from articles.

    ARTICLES are files (.txt, .md with front matter, .html, .jsonl) or folders read
    recursively; a catalogue.yaml beside the files gives titles and published dates. Each
    incident carries ACLED's fields, the sentence that supports it and a confidence; history
    told as background is kept with historical=true. Relative dates ("Sunday") stay
    unresolved when an article's published date is unknown. Exit status 1 when any file was
    unreadable (the others are processed), 2 on a usage error or a missing gazetteer.

    \b
    Example:
      geomap incidents seeds/
      geomap incidents article.txt --published 2020-10-05 --format json
      geomap incidents seeds/ --format gpkg -o output/incidents.gpkg
    """
    from geomap.frame import BINARY_FORMATS, render_incidents, write_incidents
    from geomap.incidents import extract_incidents

    if fmt in BINARY_FORMATS and not output:
        raise click.UsageError(f"--format {fmt} writes a binary file: give -o FILE")
    found, errors = _read_inputs(articles, published)
    with _open_gazetteer(db_path) as gaz:
        extracted = []
        with _progress(found) as bar:
            for article in bar:
                if article.published is None:
                    click.echo(f"note: {article.path or article.id}: no published date; "
                               "relative dates left unresolved", err=True)
                extracted.extend(i for i in extract_incidents(article, gazetteer=gaz)
                                 if not (current_only and i.historical))
        if output:
            try:
                write_incidents(extracted, output, fmt, gazetteer=gaz)
            except OSError as exc:
                raise click.ClickException(f"{output}: {exc.strerror or exc}") from None
        else:
            click.echo(render_incidents(extracted, fmt), nl=False)
    historical = sum(i.historical for i in extracted)
    click.echo(f"{len(extracted)} incidents ({historical} historical) from {len(found)} "
               f"articles" + (f"; written to {output}" if output else ""), err=True)
    for error in errors:
        click.echo(f"error: {error}", err=True)
    if errors:
        sys.exit(1)


# --- map commands --------------------------------------------------------------------------


@cli.command("map")
@click.argument("articles", nargs=-1, required=True, type=click.Path())
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
@DB_OPTION
def map_command(articles, out_dir, name, title, published, online, png, pdf, screenshot,
                db_path) -> None:
    """Map the incidents in articles: an offline interactive map, PNG, PDF and GeoJSON.

    The HTML is self-contained (every script inlined, a basemap drawn from the gazetteer's
    country polygons), so it opens on an air-gapped laptop and can be attached to a
    briefing. Layers: one per event type, places mentioned, region polygons, and historical
    incidents (off by default). Exit status 1 when any article was unreadable (the others
    are mapped), 2 on a usage error or a missing gazetteer.

    \b
    Example:
      geomap map seeds/
      geomap map articles/ -o briefing --name week42 --title "Week 42"
      geomap map seeds/ --screenshot output/map-screenshot.png
    """
    from geomap.briefing import collect, default_title, write_briefing
    from geomap.webmap import AssetsMissing, NotSelfContained

    found, errors = _read_inputs(articles, published)
    if not found:  # nothing to map: say why rather than write an empty briefing
        for error in errors:
            click.echo(f"error: {error}", err=True)
        raise click.ClickException(f"no readable articles in {', '.join(articles)}; nothing mapped")
    with _open_gazetteer(db_path) as gaz:
        with _progress(found) as bar:
            briefing = collect(bar, gaz)
        try:
            files = write_briefing(briefing, gaz, out_dir, name=name,
                                   title=title or default_title(found, briefing.incidents),
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
    for error in errors:
        click.echo(f"error: {error}", err=True)
    if errors:
        sys.exit(1)


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="geomap")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
