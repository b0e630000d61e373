"""The `geomap` click group and what its commands share: options, errors, reading inputs, progress."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import click

from geomap import __version__


class _Commands(click.Group):
    """The geomap group: a database found damaged in the middle of a command (a page of the
    gazetteer that SQLite cannot read) is one line and exit 2, like a missing one."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except sqlite3.DatabaseError as exc:
            raise UsageProblem(f"a database is damaged ({exc}): check the gazetteer with "
                               "`geomap gazetteer info` and rebuild it with `geomap gazetteer build`") from None


@click.group(cls=_Commands,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="geomap")
def cli() -> None:
    """Offline incident mapper: find places and incidents in news articles and map them.

    \b
    Example:
      geomap geocode Stepanakert Gandja Riga
      geomap map seeds/
    """



DB_OPTION = click.option(
    "--db", "db_path", type=click.Path(dir_okay=False), default=None, envvar="GEOMAP_DB",
    help="Gazetteer database (default: gazetteer/geomap.sqlite in the project; env GEOMAP_DB).")


def db_path_of(db_path: str | None):
    from geomap.paths import default_db_path

    return Path(db_path) if db_path else default_db_path()


def open_gazetteer(db_path: str | None):
    """Open the gazetteer or stop with exit code 2 and one line saying how to build it."""
    from geomap.gazetteer import Gazetteer, GazetteerMissing

    try:
        return Gazetteer(db_path_of(db_path))
    except GazetteerMissing as exc:
        raise UsageProblem(str(exc)) from None


class UsageProblem(click.ClickException):
    """A problem the user must fix before the command can run: exit code 2."""

    exit_code = 2



NER_OPTION = click.option(
    "--ner", is_flag=True,
    help="Let spaCy's statistical NER veto names inside people's and organisations' names and "
         "add places the gazetteer missed (slower; needs the optional extra: "
         "`uv sync --extra ner`).")


def load_ner(ner: bool) -> None:
    """Load the NER model up front, or stop with exit code 2 saying how to install it."""
    if not ner:
        return
    from geomap.toponyms.ner import NerUnavailable, load_model

    try:
        load_model()
    except NerUnavailable as exc:
        raise UsageProblem(str(exc)) from None



def write_output(path: str, lines) -> None:
    """Write the lines to a file whole or not at all; an unwritable path is one line, exit 1."""
    from geomap.files import atomic_target

    try:
        with atomic_target(path) as tmp, open(tmp, "w", encoding="utf-8") as f:
            for line in lines:
                f.write(line)
    except OSError as exc:
        raise click.ClickException(f"{path}: {exc.strerror or exc}") from None


RAW_CSV_OPTION = click.option(
    "--raw-csv", is_flag=True,
    help="Write CSV cells as they are; by default a text cell starting with = + - @ (a formula "
         "to a spreadsheet) gets a leading single quote.")


def read_one(path: str, kind: str, problems: list[str]):
    """Return the articles of one input (a file, or - for standard input); record what was unreadable."""
    from geomap.articles import read_articles, read_stdin

    errors: list = []
    found = read_stdin(kind, errors=errors) if path == "-" else read_articles(path, errors=errors)
    problems.extend(str(e) for e in errors)
    if not found and not errors:
        problems.append(f"{path}: {_NO_ARTICLES}")
    return found


_NO_ARTICLES = "no articles in it (.txt, .md, .html or .jsonl with text)"




def shared_folder(shared: str | None) -> Path:
    """Return the shared/ folder of gold data: --shared, else the sibling of the project."""
    from geomap.paths import shared_dir

    return Path(shared) if shared else shared_dir()


def read_inputs(paths, published: str | None):
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


def progress_bar(items, label: str = "articles"):
    """A progress bar over items on stderr (shown on a terminal, for runs of several)."""
    return click.progressbar(items, label=label, file=sys.stderr, show_pos=True,
                             hidden=len(items) < 5)


def tracked(label: str):
    """Return a function that yields items with a progress bar (for library `progress=` hooks)."""
    def track(items):
        items = list(items)
        with progress_bar(items, label) as bar:
            yield from bar
    return track


def note_undated(articles) -> None:
    """Say once per file how many of its articles have no published date."""
    from collections import Counter

    undated = Counter(a.path or a.id for a in articles if a.published is None)
    for path, count in undated.items():
        what = "no published date" if count == 1 else f"{count} articles have no published date"
        click.echo(f"note: {path}: {what}; relative dates left unresolved", err=True)


def main() -> None:
    """Entry point of the console script."""
    try:
        cli(prog_name="geomap")
    except BrokenPipeError:  # `geomap ... | head`: the reader left; no traceback
        sys.stderr.close()
        sys.exit(1)

