"""Metrics against gold corpora, the seed scorecard, and the toponyms/evaluate commands."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from geomap.cli import cli
from geomap.evaluate.toponyms import Scores, error_auc, evaluate_corpus, evaluate_seeds, score_document


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


RIGA = {"start": 9, "end": 13, "lat": 56.946, "lon": 24.106, "geonameid": "456172"}


def test_scores_follow_the_shared_definitions():
    scores = Scores()
    gold = [RIGA, {"start": 20, "end": 24, "lat": 40.0, "lon": 45.0}]
    preds = [{"start": 9, "end": 13, "lat": 0.0, "lon": 0.0, "geonames_id": 456172},
             {"start": 20, "end": 24, "lat": 42.0, "lon": 45.0},
             {"start": 30, "end": 34, "lat": 1.0, "lon": 1.0}]
    score_document(scores, gold, preds)
    record = scores.as_dict()
    assert (record["gold"], record["predicted"], record["matched"]) == (2, 3, 2)
    assert record["acc161_resolved"] == 0.5  # Riga exact by GeoNames id; 222 km off for the other
    assert record["precision"] == round(2 / 3, 4) and record["recall"] == 1.0


def test_traps_and_neutral_mentions():
    scores = Scores()
    trap = {"start": 0, "end": 5, "text": "Minsk", "label": "not_place"}
    neutral = {"start": 10, "end": 17, "text": "Syrian", "label": "demonym"}
    score_document(scores, [], [{"start": 0, "end": 5, "lat": 1, "lon": 1},
                                {"start": 10, "end": 17, "lat": 1, "lon": 1}],
                   neutral=[neutral], traps=[trap])
    assert (scores.trap_hits, scores.predicted) == (1, 1) and "Minsk" in scores.traps[0]


def test_error_auc():
    assert error_auc([0.0, 0.0, 0.0]) == 0.0
    assert error_auc([20039.0, 20039.0]) == pytest.approx(math.log(20040) / math.log(20039))


def _corpus(tmp_path):
    docs = [{"doc_id": "a", "text": "Shelling hit Gandja. Riga was calm.",
             "toponyms": [{"start": 13, "end": 19, "phrase": "Gandja", "lat": 40.68,
                           "lon": 46.36, "geonameid": "586523"},
                          {"start": 21, "end": 25, "phrase": "Riga", "lat": 56.95, "lon": 24.1}]},
            {"doc_id": "b", "text": "Nothing here.", "toponyms": []}]
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def test_evaluate_corpus(toponym_gazetteer, tmp_path):
    report = evaluate_corpus(_corpus(tmp_path), toponym_gazetteer)
    assert (report["documents"], report["gold"], report["matched"]) == (2, 2, 2)
    assert report["acc161_end_to_end"] == 1.0 and report["coverage"] == 1.0


def _shared(tmp_path):
    shared = tmp_path / "shared"
    (shared / "seeds").mkdir(parents=True)
    (shared / "gold").mkdir()
    text = "The Minsk group met in Riga; Yerevan-backed forces."
    (shared / "seeds" / "a.txt").write_text(text, encoding="utf-8")
    gold = {"places": {"RIX": {"kind": "city", "country_code": "LV", "lat": 56.946,
                               "lon": 24.106, "geonames_id": 456172},
                       "AM": {"kind": "country", "country_code": "AM", "lat": 40.25,
                              "lon": 45.0, "geonames_id": 174982}},
            "articles": [{"file": "a.txt", "toponyms": [
                {"start": 4, "end": 9, "text": "Minsk", "label": "not_place", "place": None},
                {"start": 23, "end": 27, "text": "Riga", "label": "literal", "place": "RIX"},
                {"start": 29, "end": 36, "text": "Yerevan", "label": "metonymic", "place": "AM"}]}]}
    (shared / "gold" / "seeds.json").write_text(json.dumps(gold), encoding="utf-8")
    return shared


def test_evaluate_seeds(toponym_gazetteer, tmp_path):
    report = evaluate_seeds(_shared(tmp_path), toponym_gazetteer)
    assert (report["gold"], report["matched"], report["trap_hits"]) == (2, 2, 0)
    assert report["acc161_end_to_end"] == 1.0


def test_cli_evaluate(toponym_db, tmp_path):
    result = run("evaluate", str(_corpus(tmp_path)), "--db", str(toponym_db), "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["f1"] == 1.0
    result = run("evaluate", "--seeds", "--shared", str(_shared(tmp_path)), "--db", str(toponym_db))
    assert result.exit_code == 0 and "traps hit              0" in result.stdout


def test_cli_toponyms_jsonl_reports_bad_lines_and_goes_on(toponym_db, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"doc_id": 1, "text": "Riots in Riga."}\n{oops\n'
                   '{"doc_id": 3, "text": ""}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run("toponyms", "--jsonl", str(src), "-o", str(out), "--db", str(toponym_db))
    assert result.exit_code == 1 and "in.jsonl:2: invalid JSON" in result.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    # one reader for every command: ids are text, and a line without text is a bad line
    assert [d["doc_id"] for d in lines] == ["1"] and "in.jsonl:3: no 'text' field" in result.stderr
    assert lines[0]["toponyms"][0]["geonames_id"] == 456172


def test_cli_toponyms_files(toponym_db, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Shelling hit Gandja.", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("toponyms", str(article), str(empty), "--format", "json", "--db", str(toponym_db))
    # the same reader as `incidents` and `map`: an empty file is reported, the others processed
    assert result.exit_code == 1 and "empty.txt: empty file" in result.stderr
    records = json.loads(result.stdout)
    assert [r["file"] for r in records] == [str(article)]
    assert records[0]["toponyms"][0]["name"] == "Ganja"
    table = run("toponyms", str(article), "--db", str(toponym_db)).stdout
    assert "Ganja" in table and "586523" in table


def test_cli_commands_have_examples():
    for name in ("toponyms", "evaluate"):
        assert "Example:" in run(name, "--help").stdout
