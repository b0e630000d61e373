"""`geomap gazetteer build|info|import-geonames` and `geomap geocode`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from geomap.cli.common import (DB_OPTION, RAW_CSV_OPTION, UsageProblem, cli, db_path_of,
                               open_gazetteer)
from geomap.gazetteer.place import KINDS


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

    path = db_path_of(db_path)
    root = Path(sources) if sources else None
    if if_stale and not is_stale(path, root):
        click.echo(f"gazetteer up to date: {path}", err=True)
        return
    click.echo(f"building {path} ...", err=True)
    try:
        report = build_gazetteer(path, root, progress=lambda step: click.echo(f"  {step}", err=True))
    except GazetteerError as exc:
        raise UsageProblem(str(exc)) from None
    with open_gazetteer(str(report.path)) as built:  # every page written reads back sound
        _verify(built)
    click.echo(f"built {report.path}: {report.places:,} places, {report.names:,} names, "
               f"{report.shapes:,} shapes in {report.seconds:.1f} s", err=True)


def _verify(gazetteer) -> None:
    """Read the whole database (SQLite's quick_check) or stop with exit code 2 saying it is damaged."""
    from geomap.gazetteer.store import GazetteerDamaged

    try:
        gazetteer.verify()
    except GazetteerDamaged as exc:
        raise UsageProblem(str(exc)) from None


@gazetteer.command("info")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the facts as JSON.")
def gazetteer_info(db_path, as_json) -> None:
    """Show what the gazetteer holds: counts by kind and source, build date, size, attribution.

    Reads the whole database first (SQLite's quick_check): a damaged one is exit code 2.

    \b
    Example:
      geomap gazetteer info --json
    """
    with open_gazetteer(db_path) as gaz:
        _verify(gaz)
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
            db_path_of(db_path), dump, alternate_names=alternate_names,
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


def _read_names(file) -> list[str]:
    """The names in a file, one a line (a pipe or standard input too); a missing file is exit 2."""
    try:
        raw = (sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes())
    except OSError as exc:
        raise UsageProblem(f"{file}: {exc.strerror or exc}") from None
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
@click.option("--kind", type=click.Choice(KINDS),
              help="Only places of this kind.")
@click.option("--no-fuzzy", is_flag=True, help="Exact names only; no spelling correction.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "geojson"]),
              default="table", show_default=True)
@RAW_CSV_OPTION
@DB_OPTION
def geocode(names, file, country, near, kind, no_fuzzy, fmt, raw_csv, db_path) -> None:
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
    from geomap.formats import geocode_result_chunks
    from geomap.gazetteer import geocode_names

    if not names and not file:
        raise click.UsageError("give NAMES or --file (see --help)")
    queries = list(names) + (_read_names(file) if file else [])
    near_point = _parse_near(near)
    with open_gazetteer(db_path) as gaz:
        results = geocode_names(gaz, queries, country=country, near=near_point, kind=kind,
                                fuzzy=not no_fuzzy)
    for chunk in geocode_result_chunks(results, fmt, safe_csv=not raw_csv):
        click.echo(chunk, nl=False)
    problems = [r for r in results if r.status != "resolved"]
    for r in problems:
        click.echo(f"{r.status}: {r.query[:60]!r}: {r.message}", err=True)
    sys.exit(1 if problems else 0)
