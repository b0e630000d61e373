"""Finding place names: the scan, the filters against look-alikes, roles, offsets, the cache."""

from __future__ import annotations

import pytest

from geomap.toponyms import Mention, NameIndex, cache_path, find_toponyms


@pytest.fixture()
def index(toponym_gazetteer):
    return NameIndex.build(toponym_gazetteer)


def found(text, index):
    return [(m.text, m.kind or "place", m.role) for m in find_toponyms(text, index)]


@pytest.mark.parametrize("text, expected", [
    ("Shelling hit Gandja and Khankendi overnight.",
     [("Gandja", "place", "literal"), ("Khankendi", "place", "literal")]),
    ("Fighting resumed in Nagorny Karabakh.", [("Nagorny Karabakh", "place", "literal")]),
    ("The Nagorno-Karabakh conflict", [("Nagorno-Karabakh", "place", "literal")]),
    ("Azerbaijani forces and Yerevan-backed separatists clashed.",
     [("Azerbaijani", "demonym", "associative"), ("Yerevan", "place", "associative")]),
    ("warlike declarations from Turkey, which supports Baku.",
     [("Turkey", "place", "associative"), ("Baku", "place", "associative")]),
    ("forcing Baku and Yerevan to undertake talks",
     [("Baku", "place", "associative"), ("Yerevan", "place", "associative")]),
    ("Arriving Thursday in Brussels, he spoke.", [("Brussels", "place", "literal")]),
    ("Troops left the U.S. base in Ky. last year.",
     [("U.S.", "place", "literal"), ("Ky.", "place", "literal")]),
])
def test_finds_places(index, text, expected):
    assert found(text, index) == expected


@pytest.mark.parametrize("text", [
    "The Minsk group never managed to end the clashes.",
    "The “Minsk group”, formed in 1992, met again.",
    "said Foreign Minister François-Philippe Champagne.",
    "under the aegis of the Organization for Security and Cooperation in Europe (OSCE).",
    "We roasted a turkey on Thursday in March.",
    "US$460 million was paid.",
    "",
    "\x00\x01\xff binary \ufffd\ufffd",
    "no places here at all.",
])
def test_ignores_look_alikes(index, text):
    assert [m.text for m in find_toponyms(text, index)] == []


@pytest.fixture(scope="module")
def more_index(tmp_path_factory):
    from geomap.gazetteer import Gazetteer, GazetteerWriter

    path = tmp_path_factory.mktemp("gaz") / "more.sqlite"
    with GazetteerWriter(path) as w:
        w.add_place("Ivory Coast", "country", 8.0, -5.5, country_code="CI", source="test",
                    aliases=["Côte d'Ivoire"])
        w.add_place("Port-au-Prince", "city", 18.54, -72.34, country_code="HT", source="test")
        w.add_place("Le Port", "city", -20.94, 55.29, country_code="RE", source="test",
                    aliases=["Port"])
        w.add_place("Donald", "city", 45.22, -122.84, country_code="US", source="test")
        w.add_place("Austin", "city", 30.27, -97.74, country_code="US", source="test")
        w.add_place("White House", "city", 36.47, -86.65, country_code="US", source="test")
        w.commit({"sources_digest": "more"})
    with Gazetteer(path) as gaz:
        yield NameIndex.build(gaz)


@pytest.mark.parametrize("text, expected", [
    ("Cholera reached Côte d'Ivoire and Port-au-Prince.", ["Côte d'Ivoire", "Port-au-Prince"]),
    ("President-elect Donald Trump met officials from the White House.", []),
    ("The Austin Police said a man in Austin was hurt.", ["Austin", "Austin"]),
])
def test_particles_given_names_and_institutions(more_index, text, expected):
    assert [m.text for m in find_toponyms(text, more_index)] == expected


def test_a_surname_stays_a_surname_in_the_whole_article(index):
    text = "Minister Jane Champagne arrived. Champagne said the talks in Riga went well."
    assert [m.text for m in find_toponyms(text, index)] == ["Riga"]


def test_offsets_index_the_original_string(index):
    text = "Xalq: “Gəncə’s mayor” met people from Riga\u0301n streets; Nagorno‑Karabakh too. Baku's port."
    mentions = find_toponyms(text, index)
    assert mentions and all(text[m.start:m.end] == m.text for m in mentions)
    assert "Gəncə" in [m.text for m in mentions] and "Baku" in [m.text for m in mentions]


def test_longest_name_wins(index):
    assert [m.key for m in find_toponyms("in Nagorno-Karabakh", index)] == ["nagorno karabakh"]


def test_mention_record_has_the_jsonl_fields(index):
    record = find_toponyms("Riga", index)[0].as_dict()
    assert list(record) == ["start", "end", "text", "lat", "lon", "name", "kind", "country_code",
                            "geonames_id", "role", "confidence"]
    assert (record["start"], record["end"], record["text"]) == (0, 4, "Riga")


def test_index_is_cached_beside_the_database(toponym_db, tmp_path):
    from geomap.gazetteer import Gazetteer

    db = tmp_path / "g.sqlite"
    db.write_bytes(toponym_db.read_bytes())
    with Gazetteer(db) as gaz:
        NameIndex.load(gaz)
        assert cache_path(gaz).is_file()
        again = NameIndex.load(gaz)
        assert [m.text for m in find_toponyms("Gandja", again)] == ["Gandja"]
        cache_path(gaz).write_bytes(b"not a pickle")  # a broken cache is rebuilt, not fatal
        assert [m.text for m in find_toponyms("Riga", NameIndex.load(gaz))] == ["Riga"]


def test_mention_is_frozen():
    m = Mention(0, 4, "Riga")
    with pytest.raises(AttributeError):
        m.start = 1
