"""Choosing the place a mention means from the article's context."""

from __future__ import annotations

import pytest

import geomap
from geomap.resolve import Resolver, places_only


@pytest.fixture()
def resolver(toponym_gazetteer):
    return Resolver(toponym_gazetteer)


def resolved(resolver, text):
    return {m.text: m for m in resolver.find_places(text)}


@pytest.mark.parametrize("text, name, country_code, admin1_code", [
    ("Flooding in Alexandria, Louisiana, closed roads.", "Alexandria", "US", "US.LA"),
    ("Alexandria is Egypt's second city.", "Alexandria", "EG", "EG.06"),
    ("Paris was calm.", "Paris", "FR", "FR.11"),
    ("Paris, near the Texas line, is small; flights to Atlanta.", "Paris", "FR", "FR.11"),
])
def test_namesakes_follow_the_article(resolver, text, name, country_code, admin1_code):
    place = resolved(resolver, text)[name].place
    assert (place.country_code, place.admin1_code) == (country_code, admin1_code)


@pytest.mark.parametrize("text, kind, country_code", [
    ("Talks in Tbilisi: Georgia wants calm.", "country", "GE"),
    ("Storms hit Atlanta; Georgia declared an emergency.", "admin1", "US"),
])
def test_georgia(resolver, text, kind, country_code):
    place = resolved(resolver, text)["Georgia"].place
    assert (place.kind, place.country_code) == (kind, country_code)


def test_a_capital_standing_for_its_government_is_the_country(resolver):
    found = resolved(resolver, "forcing Baku and Yerevan to undertake talks. Riots in Riga.")
    baku, riga = found["Baku"], found["Riga"]
    assert (baku.role, baku.kind, baku.place.geonames_id) == ("associative", "country", 587116)
    assert baku.alternatives[0].name == "Baku"
    assert (riga.role, riga.kind, riga.place.name) == ("literal", "city", "Riga")


def test_demonyms_carry_their_country_but_are_not_mapped(resolver):
    found = resolver.find_places("Syrian fighters and Azerbaijani forces entered Ganja.")
    demonym = next(m for m in found if m.text == "Azerbaijani")
    assert (demonym.kind, demonym.place.geonames_id) == ("demonym", 587116)
    assert [m.text for m in places_only(found)] == ["Ganja"]  # SY is not in the tiny gazetteer


def test_one_sense_per_article(resolver):
    found = resolver.find_places("Alexandria, Louisiana. Later Alexandria voted.")
    assert {m.place.geonames_id for m in found if m.text == "Alexandria"} == {4314550}


def test_long_text_is_read_in_chunks(resolver, monkeypatch):
    import geomap.resolve as resolve

    monkeypatch.setattr(resolve, "CHUNK_CHARS", 100)
    text = ("Shelling hit Ganja today.\n" * 20) + "Riga"
    found = resolver.find_places(text)
    assert len(found) == 21 and all(text[m.start:m.end] == m.text for m in found)


def test_public_api(toponym_gazetteer):
    found = geomap.find_places("Riots in Riga.", gazetteer=toponym_gazetteer)
    assert isinstance(found[0], geomap.Mention) and found[0].place.geonames_id == 456172


def test_a_misspelling_alias_does_not_demote_the_state(tmp_path):
    # GeoNames lists "Minnesota" as a variant of the town Minneota, in Minnesota
    from geomap.gazetteer import Gazetteer, GazetteerWriter

    path = tmp_path / "mn.sqlite"
    with GazetteerWriter(path) as w:
        w.add_place("Minnesota", "admin1", 46.0, -94.0, country_code="US", admin1_code="US.MN",
                    feature_code="ADM1", source="test")
        w.add_place("Minneota", "city", 44.56, -95.99, country_code="US", admin1_code="US.MN",
                    feature_code="PPL", population=1_400, source="test", aliases=["Minnesota"])
        w.commit({"sources_digest": "mn"})
    with Gazetteer(path) as gaz:
        place = Resolver(gaz).find_places("Flooding hit Minnesota on Monday.")[0].place
    assert (place.kind, place.name) == ("admin1", "Minnesota")


# --- namesakes the text points to (issue 10) --------------------------------------------------

@pytest.fixture(scope="module")
def us_resolver(tmp_path_factory):
    """States, namesake towns, a capital and its state namesake, written with the real writer."""
    from geomap.gazetteer import Gazetteer, GazetteerWriter

    path = tmp_path_factory.mktemp("gaz") / "us.sqlite"
    with GazetteerWriter(path) as w:
        w.add_place("United States", "country", 39.76, -98.5, country_code="US",
                    feature_code="PCLI", population=327_000_000, source="test",
                    aliases=["U.S.", "US"])
        w.add_place("France", "country", 46.0, 2.0, country_code="FR", feature_code="PCLI",
                    population=67_000_000, source="test")
        for name, code, lat, lon, aliases in [
                ("Texas", "US.TX", 31.2, -99.3, ["Tex."]),
                ("Tennessee", "US.TN", 35.8, -86.4, ["Tenn."]),
                ("Washington", "US.WA", 47.5, -120.5, ["Wash."]),
                ("Alabama", "US.AL", 32.8, -86.8, ["Ala."]),
                ("Kentucky", "US.KY", 37.5, -85.0, ["Ky."]),
                ("Missouri", "US.MO", 38.3, -92.4, ["Mo."])]:
            w.add_place(name, "admin1", lat, lon, country_code="US", admin1=name,
                        feature_code="ADM1", source="test", admin1_code=code, aliases=aliases)
        for name, code, fcode, lat, lon, pop in [
                ("Paris", "FR.11", "PPLC", 48.85, 2.35, 2_138_551),
                ("Paris", "US.TX", "PPLA2", 33.66, -95.56, 24_782),
                ("Paris", "US.TN", "PPLA2", 36.30, -88.33, 10_150),
                ("Paris", "US.MO", "PPLA2", 39.48, -92.00, 1_200),
                ("Washington", "US.DC", "PPLC", 38.90, -77.04, 689_545),
                ("Seattle", "US.WA", "PPLA2", 47.61, -122.33, 737_015),
                ("Spokane", "US.WA", "PPLA2", 47.66, -117.43, 228_989),
                ("Arab", "US.AL", "PPL", 34.32, -86.50, 8_300),
                ("Amber", "US.WA", "PPL", 47.61, -122.12, 1_000),
                ("London", "GB.ENG", "PPLC", 51.51, -0.13, 8_961_989),
                ("London", "US.KY", "PPLA2", 37.13, -84.08, 8_126)]:
            w.add_place(name, "city", lat, lon, country_code=code[:2], feature_code=fcode,
                        population=pop, source="test", admin1_code=code)
        w.add_place("Laurel County", "admin2", 37.11, -84.12, country_code="US",
                    feature_code="ADM2", population=10_615, source="census", admin1_code="US.KY")
        w.add_demonym("Arab", "")
        w.commit({"sources_digest": "us"})
    with Gazetteer(path) as gaz:
        yield Resolver(gaz)


@pytest.mark.parametrize("text, name, admin1_code", [
    ("Paris, Texas, is small.", "Paris", "US.TX"),
    ("A man from Paris, Tenn. was hurt.", "Paris", "US.TN"),
    ("PARIS, Mo. — A farm fire.", "PARIS", "US.MO"),
    ("Paris was calm.", "Paris", "FR.11"),  # the control: no state named, the capital
    ("LONDON, Ky. (WKYT) - A crash in Laurel County.", "LONDON", "US.KY"),
    ("Washington was calm.", "Washington", "US.DC"),  # the capital before the state
    ("Seattle and Spokane flooded; Washington declared an emergency.", "Washington", "US.WA"),
    ("Farms in Washington state burned.", "Washington", "US.WA"),  # the type word after it
])
def test_a_state_named_beside_the_city_decides(us_resolver, text, name, admin1_code):
    place = resolved(us_resolver, text)[name].place
    assert place.admin1_code == admin1_code


def test_a_qualifier_binds_the_name_in_the_whole_article_but_one_use_may_differ(us_resolver):
    found = us_resolver.find_places("Paris, Texas, has a fair. Paris is small.")
    assert [m.place.admin1_code for m in found if m.text == "Paris"] == ["US.TX", "US.TX"]
    found = us_resolver.find_places("Paris, France, is big. Paris, Texas, is small.")
    assert [m.place.admin1_code for m in found if m.text == "Paris"] == ["FR.11", "US.TX"]


def test_washington_as_the_government_is_the_capital(us_resolver):
    # an associative capital reports its country (the seed gold's convention), never the state
    found = resolved(us_resolver, "Washington said it would respond.")["Washington"]
    assert (found.role, found.kind, found.place.country_code) == ("associative", "country", "US")
    assert found.alternatives[0].admin1_code == "US.DC"


def test_peoples_and_given_names_are_not_villages(us_resolver):
    found = us_resolver.find_places("The Arab world watched, said Amber. Arab, Alabama, and "
                                    "the town of Amber were quiet.")
    assert [(m.text, m.place.admin1_code) for m in places_only(found)] == [
        ("Arab", "US.AL"), ("Alabama", "US.AL"), ("Amber", "US.WA")]


def test_resolving_does_not_import_numpy():
    import subprocess
    import sys

    code = ("import sys, geomap.resolve, geomap.toponyms; "
            "print('numpy' in sys.modules, 'geomap.resolve' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]
