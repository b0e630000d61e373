"""`geomap toponyms` and `geomap evaluate`."""

from __future__ import annotations

import json
import sys

import click

from geomap.cli.common import (DB_OPTION, NER_OPTION, UsageProblem, cli, load_ner, open_gazetteer,
                               read_one, shared_folder, tracked, write_output)
from geomap.cli.store import JOBS_OPTION, jobs_or_default

TOPONYM_COLUMNS = ("start", "end", "text", "kind", "role", "name", "country_code", "lat", "lon",
                   "geonames_id", "confidence")



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
@JOBS_OPTION
@DB_OPTION
def toponyms(files, jsonl, output, fmt, ner, jobs, db_path) -> None:
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
    from geomap.parallel import find_all
    from geomap.resolve import resolver_for
    from geomap.stream import iter_articles

    if not files and not jsonl:
        raise click.UsageError("give FILES or --jsonl (see --help)")
    if files and jsonl:
        raise click.UsageError("give FILES or --jsonl, not both")
    load_ner(ner)
    gaz = open_gazetteer(db_path)
    try:
        resolver_for(gaz)  # the name index, loaded (or built) once, before any worker starts
    except GazetteerError as exc:
        raise UsageProblem(str(exc)) from None
    problems: list = []
    jobs = jobs_or_default(jobs)
    if jsonl:
        documents = (read_one(jsonl, "jsonl", problems) if jsonl == "-"
                     else iter_articles([jsonl], errors=problems))
        lines = (json.dumps({"doc_id": article.id, "toponyms": [m.as_dict() for m in mentions]},
                            ensure_ascii=False) + "\n"
                 for article, mentions in find_all(documents, gazetteer=gaz, jobs=jobs,
                                                   errors=problems, ner=ner))
        if output:
            write_output(output, lines)
        else:
            for line in lines:
                click.echo(line, nl=False)
    else:
        from geomap.formats import render_table

        read = [(file, article) for file in files for article in read_one(file, "text", problems)]
        file_of = {id(article): file for file, article in read}
        records = [(file_of[id(article)], [m.as_dict() for m in mentions])
                   for article, mentions in find_all([a for _, a in read], gazetteer=gaz,
                                                     jobs=jobs, errors=problems, ner=ner)]
        if fmt == "json":
            body = json.dumps([{"file": f, "toponyms": t} for f, t in records], indent=2,
                              ensure_ascii=False) + "\n"
        else:
            body = "".join(f"{f}\n" + (render_table(t, TOPONYM_COLUMNS) if t else "  (no places)\n")
                           for f, t in records)
        if output:
            write_output(output, [body])
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
              help="Score incidents: with CORPUS, an event-report file (per-field accuracy and the "
                   "non-event false-positive rate); without, the seed articles against the seed gold.")
@click.option("--split", type=click.Choice(["dev", "test"]), default=None,
              help="With --incidents CORPUS: only the reports of this split.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@NER_OPTION
@DB_OPTION
def evaluate(corpus, seeds, incidents, split, shared, as_json, ner, db_path) -> None:
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
      geomap evaluate --incidents tests/fixtures/devset/incidents.jsonl --split test
      geomap evaluate --seeds --ner
    """
    from geomap.evaluate.toponyms import CorpusError, evaluate_corpus, evaluate_seeds

    if incidents:
        if ner:
            raise click.UsageError("--ner scores the toponyms; it does not apply to --incidents")
        if corpus:
            _evaluate_event_reports(corpus, split, as_json, db_path)
        else:
            _evaluate_incidents(shared, as_json, db_path)
        return
    if bool(corpus) == bool(seeds):
        raise click.UsageError("give CORPUS or --seeds (see --help)")
    load_ner(ner)
    gaz = open_gazetteer(db_path)
    try:
        if seeds:
            folder = shared_folder(shared)
            if not (folder / "gold" / "seeds.json").is_file():
                raise UsageProblem(f"no seed gold at {folder / 'gold' / 'seeds.json'}: "
                                   "give --shared DIR")
            report = evaluate_seeds(folder, gaz, ner=ner)
        else:
            report = evaluate_corpus(corpus, gaz, progress=tracked("documents"), ner=ner)
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


def _evaluate_event_reports(path, split, as_json, db_path) -> None:
    """`geomap evaluate --incidents FILE`: incidents of event reports against their coded fields."""
    from geomap.evaluate.incidents import GoldError, evaluate_event_reports

    with open_gazetteer(db_path) as gaz:
        try:
            report = evaluate_event_reports(path, gaz, progress=tracked("reports"), split=split)
        except GoldError as exc:
            raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    click.echo(f"{report['file']} ({report['split']}): {report['reports']} event reports with "
               f"{report['events']} events, {report['non_events']} non-events")
    for field, value in report["accuracy"].items():
        click.echo(f"  {field:<16} {value}  ({report['counts'][field]})")
    click.echo(f"  non-events turned into ACLED-type incidents: "
               f"{report['non_event_false_positive_rate']} ({report['false_positives']}/{report['non_events']})")


def _evaluate_incidents(shared, as_json, db_path) -> None:
    """`geomap evaluate --incidents`: the seed incidents against the gold."""
    from geomap.evaluate.incidents import GoldError, evaluate_seed_incidents

    folder = shared_folder(shared)
    if not (folder / "gold" / "seeds.json").is_file():
        raise UsageProblem(f"no seed gold at {folder / 'gold' / 'seeds.json'}: give --shared DIR")
    with open_gazetteer(db_path) as gaz:
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
