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


def test_a_coordinated_list_takes_the_verb_after_it(index):
    # the whole list stands for governments ("... called on"); the same list before a noun
    # phrase is literal (the control), and a list of thousands is read in one pass
    listed = ", ".join(["Baku", "Yerevan", "Gandja"] * 2000)
    mentions = find_toponyms(f"{listed} called on them. Shelling hit Baku, Yerevan and Gandja.", index)
    roles = [m.role for m in mentions]
    assert len(mentions) == 6003
    assert roles[:6000] == ["associative"] * 6000 and roles[6000:] == ["literal"] * 3


# each look-alike stands beside a real place (the positive control): deleting the filter, or
# breaking recognition altogether, fails the test
@pytest.mark.parametrize("text, places", [
    ("The Minsk group never managed to end the clashes in Gandja.", ["Gandja"]),
    ("The “Minsk group”, formed in 1992, met again in Riga.", ["Riga"]),
    ("In Baku, said Foreign Minister François-Philippe Champagne.", ["Baku"]),
    ("Talks in Yerevan under the aegis of the Organization for Security and Cooperation in Europe (OSCE).",
     ["Yerevan"]),
    ("We roasted a turkey on Thursday in March in Brussels.", ["Brussels"]),
    ("US$460 million was paid to Armenia.", ["Armenia"]),
    ("", []),
    ("\x00\x01\xff binary \ufffd\ufffd", []),
    ("no places here at all.", []),
])
def test_ignores_look_alikes(index, text, places):
    assert [m.text for m in find_toponyms(text, index)] == places


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


# --- precision without a model (issue 10): every look-alike stands beside a real place -------

@pytest.fixture(scope="module")
def news_index(tmp_path_factory):
    from geomap.gazetteer import Gazetteer, GazetteerWriter

    path = tmp_path_factory.mktemp("gaz") / "news.sqlite"
    with GazetteerWriter(path) as w:
        w.add_place("Somalia", "country", 6.0, 48.0, country_code="SO", feature_code="PCLI",
                    population=15_000_000, source="test")
        w.add_place("Canada", "country", 60.1, -113.6, country_code="CA", feature_code="PCLI",
                    population=37_000_000, source="test")
        w.add_place("Somali", "admin1", 6.7, 44.3, country_code="ET", feature_code="ADM1",
                    source="test", admin1_code="ET.52")
        w.add_place("Møre og Romsdal", "admin1", 62.8, 7.2, country_code="NO",
                    feature_code="ADM1", source="test", aliases=["More"])
        w.add_place("London", "city", 51.5, -0.13, country_code="GB", feature_code="PPLC",
                    population=8_961_989, source="test")
        for name, cc, pop, aliases in [
                ("Hamm", "DE", 178_967, ["Hamas"]), ("Police", "PL", 33_000, []),
                ("Fargo", "US", 118_523, []), ("Steele", "US", 2_000, []),
                ("Cañadas de Obregón", "MX", 4_000, ["Canadas"]), ("Van", "TR", 353_419, []),
                ("Alma", "US", 9_000, []), ("Innisfail", "CA", 7_800, []),
                ("Ken", "GB", 3_000, []), ("Riga", "LV", 742_572, [])]:
            w.add_place(name, "city", 0.0, 0.0, country_code=cc, feature_code="PPL",
                        population=pop, source="test", aliases=aliases)
        w.add_place("Nelson", "admin1", -41.3, 173.4, country_code="NZ", feature_code="ADM1",
                    source="test", admin1_code="NZ.F8")
        w.add_place("Luís Gomes", "admin2", -6.4, -38.4, country_code="BR", feature_code="ADM2",
                    source="test")
        for demonym, cc in [("Somali", "SO"), ("French", "FR"), ("English", "GB")]:
            w.add_demonym(demonym, cc)
        w.add_place("France", "country", 46.0, 2.0, country_code="FR", feature_code="PCLI",
                    population=67_000_000, source="test")
        w.commit({"sources_digest": "news"})
    with Gazetteer(path) as gaz:
        yield NameIndex.build(gaz)


@pytest.mark.parametrize("text, expected", [
    # organisations named like places (geomap/data/organisations.txt)
    ("Hamas fighters crossed into Riga.", ["Riga"]),
    ("Boko Haram and Hamas were named in Riga.", ["Riga"]),
    # a disease named after a place ("Marburg haemorrhagic fever")
    ("Riga haemorrhagic fever reached London.", ["London"]),
    # page furniture
    ("READ MORE: talks in Riga\nShare this", ["Riga"]),
    # a common word after a place name is its head noun ("London Police")
    ("London Police said a man in Riga was hurt.", ["London", "Riga"]),
    # a people, not its namesake division; the division when written as one
    ("Somali refugees fled the Somali army.", ["Somali", "Somali"]),
    ("Fighting in Somali Region spread.", ["Somali"]),
    # acronyms in capitals are no places; a dateline in capitals is
    ("The African Leaders Malaria Alliance (ALMA) met in Riga.", ["Riga"]),
    ("INNISFAIL - A skater from Riga won.", ["INNISFAIL", "Riga"]),
    # a given name and a surname that form a municipality's name
    ("WHO director Luis Gomes Sambo spoke in Riga.", ["Riga"]),
    # three-letter names: a place in the text's words, not a given name
    ("Ken said the city of Van was calm.", ["Van"]),
])
def test_news_look_alikes(news_index, text, expected):
    assert [m.text for m in find_toponyms(text, news_index)] == expected


def test_a_demonym_as_people_or_place(news_index):
    found = {m.start: m.kind for m in find_toponyms("Somali refugees; fighting in Somali Region.",
                                                    news_index)}
    assert list(found.values()) == ["demonym", ""]


@pytest.mark.parametrize("text, expected", [
    ("She speaks French and teaches English in Riga.", ["Riga"]),
    ("Lessons are in English, said a teacher in Riga.", ["Riga"]),
    ("French troops and English fans reached Riga.", ["French", "English", "Riga"]),
])
def test_languages_are_not_demonyms(news_index, text, expected):
    assert [m.text for m in find_toponyms(text, news_index)] == expected


def test_the_possessive_is_not_part_of_the_name(news_index):
    found = find_toponyms("Canada's prime minister spoke.", news_index)
    assert [(m.text, m.key) for m in found] == [("Canada", "canada")]


def test_a_person_veto_holds_for_that_person_only(news_index):
    # a word of a longer name ("Fargo Moorhead Chamber") does not veto the city elsewhere
    text = "The Fargo Moorhead Chamber met. Flooding hit Fargo on Monday."
    assert [m.start for m in find_toponyms(text, news_index)] == [text.rindex("Fargo")]
    # a surname after a given name is the person wherever the article repeats it alone, but for
    # where the text puts it as a place
    text = "Christopher Steele wrote it. Steele's report reached Riga. He flew to Steele."
    assert [m.text for m in find_toponyms(text, news_index)] == ["Riga"]
    text = "Christopher Steele wrote it. Later he stayed in Steele."
    assert [m.start for m in find_toponyms(text, news_index)] == [text.rindex("Steele")]


def test_a_surname_after_a_middle_initial_is_a_person(news_index):
    text = "Harry S. Steele wrote it. He flew to Riga and later stayed in Steele."
    assert [(m.text, m.start) for m in find_toponyms(text, news_index)] == [
        ("Riga", text.index("Riga")), ("Steele", text.rindex("Steele"))]
    # an initial without a given name before it makes no person
    assert [m.text for m in find_toponyms("Troops reached S. Steele.", news_index)] == ["Steele"]


def test_a_person_veto_reaches_first_level_divisions_but_not_countries(news_index):
    # a councillor's surname that is also a province's name: the person where the article
    # repeats it alone, the province where the text puts it as a place
    text = "Councillor Tom Nelson spoke. Nelson said roads would reopen. Flooding in Nelson."
    assert [m.start for m in find_toponyms(text, news_index)] == [text.rindex("Nelson")]
    # a country keeps its name whatever person shares it
    text = "Councillor Jim Canada spoke. Canada sent aid to Nelson."
    assert [m.text for m in find_toponyms(text, news_index)] == ["Canada", "Nelson"]
