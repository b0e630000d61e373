"""The optional statistical-NER mode: spaCy's vetoes and additions, and the CLI without the extra.

The rules are tested with entities written by hand (no spaCy needed); the model itself only
where the optional extra 'ner' is installed (`uv sync --extra ner`).
"""

from __future__ import annotations

import sys

import pytest
from click.testing import CliRunner

from builders import TOPONYM_PLACES, build_tiny_gazetteer
from geomap.toponyms import ner
from geomap.cli import cli
from geomap.gazetteer import Gazetteer
from geomap.toponyms.ner import Entity, refine_mentions
from geomap.resolve import Resolver
from geomap.toponyms import NameIndex, find_toponyms

# places whose names are also people's names, beside the toponym tests' rows
NER_PLACES = TOPONYM_PLACES + [
    ("Regina", "city", 50.45008, -104.6178, "CA", "CA.11", "PPLA", 176_183, 6119109, []),
    ("Truman", "city", 43.82774, -94.43719, "US", "US.MN", "PPL", 1_100, 5049970, []),
    ("Victoria", "city", 48.43294, -123.3693, "CA", "CA.02", "PPLA", 289_625, 6174041, []),
]


@pytest.fixture(scope="module")
def ner_gazetteer(tmp_path_factory):
    path = build_tiny_gazetteer(tmp_path_factory.mktemp("gaz") / "ner.sqlite", NER_PLACES)
    with Gazetteer(path) as gaz:
        yield gaz


@pytest.fixture(scope="module")
def index(ner_gazetteer):
    return NameIndex.build(ner_gazetteer)


def refined(text, index, entities):
    """Return (text, kind) of the mentions after spaCy's entities (given by hand) have spoken.

    The entities are (name, label) in the order of the text: each is looked for after the last.
    """
    spans, at = [], 0
    for name, label in entities:
        at = text.index(name, at)
        spans.append(Entity(at, at + len(name), label))
        at += len(name)
    mentions = refine_mentions(text, find_toponyms(text, index), index, spans)
    return [(m.text, m.kind or "place") for m in mentions]


@pytest.mark.parametrize("text, entities, expected", [
    # a place inside a person's, a product's or a work's name is part of that name
    ("The library of Harry S. Truman in Atlanta was closed.",
     [("Harry S. Truman", "PERSON"), ("Atlanta", "GPE")], [("Atlanta", "place")]),
    ("Officers drove a Crown Victoria to Atlanta.",
     [("Crown Victoria", "PRODUCT"), ("Atlanta", "GPE")], [("Atlanta", "place")]),
    # ... but not a country ("Sri Lanka - approximately" is the model's slip)
    ("She sang The Georgia Rhapsody in Minsk.",
     [("The Georgia Rhapsody", "WORK_OF_ART"), ("Minsk", "GPE")],
     [("Georgia", "place"), ("Minsk", "place")]),
    ("She sang The Atlanta Rhapsody in Minsk.",
     [("The Atlanta Rhapsody", "WORK_OF_ART"), ("Minsk", "GPE")], [("Minsk", "place")]),
    # organisations are not vetoed: corpora count "Manitoba" in "University of Manitoba"
    ("The Atlanta Police Department said", [("The Atlanta Police Department", "ORG")],
     [("Atlanta", "place")]),
    # a lone place that the model calls a person stays, unless it is a given name
    ("Truman was quiet.", [("Truman", "PERSON")], [("Truman", "place")]),
    ("Victoria was quiet.", [("Victoria", "PERSON")], []),
    ("Victoria was quiet.", [], [("Victoria", "place")]),
    ("Regina Victoria spoke. Later Victoria said no.",
     [("Regina Victoria", "PERSON"), ("Victoria", "PERSON")], []),
    # an entity across a line break or a dash is not trusted
    ("Truman - Atlanta", [("Truman - Atlanta", "PERSON")], [("Truman", "place"),
                                                            ("Atlanta", "place")]),
])
def test_vetoes(index, text, entities, expected):
    assert refined(text, index, entities) == expected


@pytest.mark.parametrize("text, entities, expected", [
    # NORP is what a demonym is: it never vetoes one
    ("Azerbaijani and Turkish officials met.", [("Azerbaijani", "NORP"), ("Turkish", "NORP")],
     [("Azerbaijani", "demonym"), ("Turkish", "demonym")]),
    # a demonym inside an organisation's name does not name the people of a country
    ("The Canadian Food Inspection Agency said", [("The Canadian Food Inspection Agency", "ORG")],
     []),
    # ... but an embassy is the country's
    ("outside the Turkish Embassy", [("the Turkish Embassy", "FAC")], [("Turkish", "demonym")]),
])
def test_demonyms(index, text, entities, expected):
    assert refined(text, index, entities) == expected


@pytest.mark.parametrize("text, entities, expected", [
    # a place the gazetteer's filters refused, which the model reads as a place
    ("A Regina teenager was arrested in Minsk.", [("Regina", "LOC"), ("Minsk", "GPE")],
     [("Regina", "place"), ("Minsk", "place")]),
    # "X County" with no county of that name: the gazetteer's namesake, found by the filters now
    ("A Regina County man was arrested.", [("Regina County", "GPE")],
     [("Regina", "place")]),
    # not: a name the gazetteer lacks, a compass word
    ("A Kfraya man and the South met.", [("Kfraya", "GPE"), ("South", "LOC")], []),
    # not a person named in full elsewhere in the article
    ("Anna Regina spoke. Regina left.", [("Anna Regina", "PERSON"), ("Regina", "GPE")], []),
])
def test_additions(index, text, entities, expected):
    assert refined(text, index, entities) == expected


def test_added_places_are_resolved(ner_gazetteer, monkeypatch):
    text = "Regina Jones was arrested."
    monkeypatch.setattr(ner, "find_entities", lambda t: [Entity(0, 6, "LOC")])
    resolver = Resolver(ner_gazetteer)
    assert resolver.find_places(text) == []  # the gazetteer alone reads a given name here
    (regina,) = resolver.find_places(text, ner=True)
    assert (regina.start, regina.end, regina.place.geonames_id) == (0, 6, 6119109)


# --- without the extra ---------------------------------------------------------------------------

@pytest.fixture()
def no_spacy(monkeypatch):
    """Make `import spacy` fail, as it does without the extra."""
    monkeypatch.setitem(sys.modules, "spacy", None)
    ner.load_model.cache_clear()
    yield
    ner.load_model.cache_clear()


def test_load_model_says_how_to_install(no_spacy):
    with pytest.raises(ner.NerUnavailable, match="uv sync --extra ner"):
        ner.load_model()


@pytest.mark.parametrize("command", [["toponyms", "FILE"], ["evaluate", "--seeds"]])
def test_cli_ner_without_the_extra(no_spacy, tiny_db, tmp_path, command):
    article = tmp_path / "a.txt"
    article.write_text("Shelling hit Gandja.", encoding="utf-8")
    args = [str(article) if a == "FILE" else a for a in command]
    result = CliRunner().invoke(cli, [*args, "--ner", "--db", str(tiny_db)])
    assert result.exit_code == 2
    assert "uv sync --extra ner" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


# --- with the model --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def spacy_model():
    pytest.importorskip("spacy", reason="statistical NER is the optional extra 'ner'")
    return ner.load_model()


def test_model_vetoes_a_person_and_adds_a_place(spacy_model, ner_gazetteer):
    resolver = Resolver(ner_gazetteer)
    text = "The library of Harry S. Truman in Atlanta was closed. A Regina teenager was held."
    plain = [m.text for m in resolver.find_places(text)]
    with_ner = [m.text for m in resolver.find_places(text, ner=True)]
    assert plain == ["Truman", "Atlanta"]
    assert with_ner == ["Atlanta", "Regina"]


def test_model_keeps_demonyms(spacy_model, ner_gazetteer):
    text = "Azerbaijani and Turkish officials met in Baku."
    got = [(m.text, m.kind) for m in Resolver(ner_gazetteer).find_places(text, ner=True)]
    assert got == [("Azerbaijani", "demonym"), ("Turkish", "demonym"), ("Baku", "city")]


def test_cli_toponyms_ner(spacy_model, ner_gazetteer, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("The library of Harry S. Truman in Atlanta was closed.", encoding="utf-8")
    args = ["toponyms", str(article), "--format", "json", "--db", str(ner_gazetteer.path)]
    plain = CliRunner().invoke(cli, args)
    with_ner = CliRunner().invoke(cli, [*args, "--ner"])
    assert plain.exit_code == with_ner.exit_code == 0
    assert "Truman" in plain.output and "Truman" not in with_ner.output
    assert "Atlanta" in with_ner.output


@pytest.mark.slow
def test_seeds_with_ner(spacy_model, gazetteer):
    from geomap.evaluate.toponyms import evaluate_seeds
    from builders import SHARED

    if not (SHARED / "gold" / "seeds.json").is_file():
        pytest.skip("no shared seed gold")
    report = evaluate_seeds(SHARED, gazetteer, ner=True)
    assert report["recall"] == 1.0 and report["trap_hits"] == 0
