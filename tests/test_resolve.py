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
