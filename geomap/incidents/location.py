"""Where an incident happened: the finest place its sentence names, the article's main place or
country otherwise, ACLED's geo_precision, and a town the gazetteer lacks kept as written."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from geomap.calendar import CALENDAR_WORDS
from geomap.focus import find_focus
from geomap.gazetteer import normalize_name
from geomap.incidents.sentences import Sentence
from geomap.incidents.taxonomy import BATTLES, DISASTERS, EXPLOSIONS
from geomap.incidents.triggers import EventCall
from geomap.toponyms.wordlists import (DIRECTION_WORDS, METONYMY_SUFFIXES, ORGANISATION_LEADS,
                                       PERSON_TITLES)

# ACLED geo_precision (ACLED Codebook 2023): 1 the town, 2 near a town or part of a region,
# 3 a region's or country's centroid
# ACLED geo_precision: 1 the town itself, 2 "part of a region or district" (an admin-2 unit),
# 3 a larger area (admin-1, region, country)
KIND_PRECISION = {"city": 1, "admin2": 2, "admin1": 3, "region": 3, "country": 3, "continent": 3}


KIND_SPECIFICITY = {"city": 3, "admin2": 2.5, "admin1": 2, "region": 2, "country": 1, "continent": 0}


# the preposition before a place that says the event happened there
PLACE_PREPOSITION_RE = re.compile(
    r"\b(?P<prep>in|at|near|outside|around|through|into|across|on|of|inside|within|along|via"
    r"|toward|towards|over|from|to)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,4}$", re.I)


NEAR_RE = re.compile(r"\b(?:near|outside|around|close\s+to|outskirts\s+of|north|south|east|west"
                     r"|km|kilometres|kilometers|miles)\b[^.,;]{0,30}$", re.I)


# prepositions that place each kind of event; others count less
PREFERRED_PREPOSITIONS = {"movement": {"through", "via", "across", "into"}}


# "clashes ... affected the urban areas of A and B": both sides cannot be in both cities,
# so each city was shelled
URBAN_AREAS_RE = re.compile(
    r"\b(?:affect\w*|hit|hitting|struck|striking|reach\w*|target\w*|shell\w*|spread\s+to)\s+"
    r"(?:the\s+)?(?:(?:urban|residential|populated|inhabited)\s+(?:areas?|districts?|neighbou?rhoods?)"
    r"|(?:cities|towns))\s+of\b", re.I)


CLAUSE_START_RE = re.compile(r"(?:^|[,;:–—]\s*)(?:[\w’'-]+\s+){0,3}$")


# where a report was made, not where the event happened
SPEECH_BEFORE_RE = re.compile(
    r"\b(?:said|says|told|reported|stated|announced|speaking|spoke|added)\s+(?:\w+\s+){0,3}?"
    r"(?:in|at|from)\s+(?:the\s+)?$", re.I)


# words after a name that make it a province, not its capital city
REGION_WORD_AFTER_RE = re.compile(
    r"(?:\s+|-)(?:region|province|state|oblast|governorate|department|district|county|prefecture"
    r"|territory|division)\b", re.I)




# a place name the gazetteer did not resolve, after a locative ("in Kukawa village", "near the
# town of Gajiram"): kept as written so the analyst sees where the report says it happened
UNRESOLVED_PLACE_RE = re.compile(
    r"\b(?:(?:in|at|near|outside|around|into)\s+(?:the\s+)?(?:(?:[a-z]+\s+)?(?:village|town|community|locality"
    r"|settlement|hamlet|area|district|commune|city|neighbou?rhood|camp)\s+of\s+)?"
    r"|(?:village|town|community|locality|settlement|hamlet|commune|city)\s+of\s+)"
    r"(?P<name>[A-Z][\w’'-]+(?:[ -](?:[A-Z][\w’'-]+|al|el|de|da|du)){0,3})")


# a place inside the brackets after a name: the admin units that locate it
PARENTHETICAL_RE = re.compile(r"\(\s*(?:[\w’'. -]+,\s*)*$")


# a clause ends between a place and the event's trigger
CLAUSE_BREAK_RE = re.compile(r"[,;:–—(]")


# capitalised words after "in" that are no place: months, titles, institutions
NOT_PLACE_WORDS = CALENDAR_WORDS | DIRECTION_WORDS | PERSON_TITLES | ORGANISATION_LEADS | frozenset(
    "the a an this that these those his her their its our response addition total all both".split())


@dataclass(frozen=True)
class Where:
    """A place chosen for an incident and how it was chosen."""

    mention: object  # a geomap.toponyms.Mention, or any object with its fields; None: no place
    precision: int | None
    fallback: bool = False
    actor: bool = False  # the place is the actor: a country that acts
    written: str | None = None  # the event's place as the text writes it, when not resolved


def has_literal(mentions: list, sentence: Sentence) -> bool:
    """True when the sentence names a place where something happened (not only where it was said)."""
    return any(m.role == "literal" and not said_at(sentence.text, m.start - sentence.start)
               for m in mentions)


def said_at(text: str, start: int) -> bool:
    """True when the place at `start` is where a report was made ("told reporters in Aden")."""
    return bool(SPEECH_BEFORE_RE.search(text, max(0, start - 48), start))


def where_of(place_id: int | None, precision: int | None, mentions: list, focus,
             follows: Where | None) -> Where | None:
    """The place an incident was put at, to carry over to a sentence that goes on with it."""
    if place_id is None:
        return None
    for m in mentions:
        if m.place.id == place_id:
            return Where(m, precision or 3)
    if follows is not None and follows.mention is not None and follows.mention.place.id == place_id:
        return follows
    if focus is not None and focus.place.id == place_id:
        return Where(focus, precision or 3, fallback=True)
    return None


def focus_country(text: str, mentions: list, gazetteer):
    """The country the article is about (its dateline, the places and peoples it names), as a
    mention-like place to fall back on; None when it is about none in particular."""
    code = find_focus(text, mentions).country
    if code is None:
        return None
    from geomap.resolve import resolver_for

    place = resolver_for(gazetteer).country(code)
    return Placed(place, place.kind, place.name) if place is not None else None


@dataclass(frozen=True)
class Placed:
    """A place the article is about without a mention of its own (the focus country)."""

    place: object
    kind: str
    text: str
    role: str = "literal"
    start: int = -1
    confidence: float = 0.8


def prefer_city(mention, text: str):
    """The city of the same name when a mention was read as a province but is not called one."""
    if mention.kind != "admin1":
        return mention
    if REGION_WORD_AFTER_RE.match(text, mention.end):
        return mention
    for other in getattr(mention, "alternatives", ()):
        if other.kind == "city" and other.country_code == mention.place.country_code \
                and (other.name == mention.place.name or normalize_name(other.name) == mention.key):
            return replace(mention, place=other, kind="city")
    return mention


def primary_places(call: EventCall, text: str, sentence: Sentence, mentions: list,
                    focus) -> list[tuple[EventCall, Where]]:
    """(event, place) pairs of a violent or disruptive event: one per city shelled, else one."""
    urban = URBAN_AREAS_RE.search(text) if call.event_type in (BATTLES, EXPLOSIONS) else None
    if urban:
        cities = [m for m in mentions if m.start - sentence.start >= urban.end()
                  and m.kind == "city" and m.role == "literal"]
        if cities:
            shelling = EventCall(EXPLOSIONS, "Shelling/artillery/missile attack", "explosion",
                                 urban.start(), urban.end(), urban[0])
            return [(shelling, Where(m, 1)) for m in cities]
    if call.event_type in (EXPLOSIONS, DISASTERS):
        listed = listed_cities(text, sentence, mentions)
        if len(listed) > 1:
            return [(call, Where(m, precision_of(text, sentence, m))) for m in listed]
    return [(call, place_of(call, text, sentence, mentions, focus))]


def action_place(call: EventCall, text: str, sentence: Sentence, mentions: list, focus) -> Where | None:
    """The place of a strategic development: the acting country, or where it happened."""
    if call.family in ("policy", "agreement"):
        subject = country_subject(call, text, sentence, mentions)
        if subject is not None:
            return Where(subject, 3, actor=True)
    return place_of(call, text, sentence, mentions, focus)


def place_of(call: EventCall, text: str, sentence: Sentence, mentions: list, focus) -> Where:
    """Where an event happened: the finest place the sentence names, else the article's main place
    or country (precision 3), else nowhere; a town the gazetteer lacks is kept as written."""
    written = unresolved_name(text, sentence, mentions)
    where = best_literal(call, text, sentence, mentions)
    if where is not None and where.mention.kind != "city" and written:
        # "in Kukawa village, Borno state": part of the region the sentence names
        return Where(where.mention, 2, written=written)
    if where is None and focus is not None:
        where = Where(focus, KIND_PRECISION.get(focus.kind, 3), fallback=True, written=written)
    return where if where is not None else Where(None, None, fallback=True, written=written)


def unresolved_name(text: str, sentence: Sentence, mentions: list) -> str | None:
    """A capitalised name after a locative that no mention covers: a place the gazetteer lacks."""
    covered = [(m.start - sentence.start, m.end - sentence.start) for m in mentions]
    for match in UNRESOLVED_PLACE_RE.finditer(text):
        start, end = match.span("name")
        if any(a < end and start < b for a, b in covered):
            continue
        name = match["name"]
        if normalize_name(name.split()[0]) in NOT_PLACE_WORDS or \
                name.rpartition("-")[2].lower() in METONYMY_SUFFIXES:
            continue  # "in March", "at the Houthi-controlled port"
        return name
    return None


def country_subject(call: EventCall, text: str, sentence: Sentence, mentions: list):
    """The country that acts ("Canada announced ... it will suspend"), any role, or None."""
    for m in mentions:
        start = m.start - sentence.start
        if start >= call.start:
            break
        if m.kind == "country" and CLAUSE_START_RE.search(text, 0, start):
            return m
    return None


def best_literal(call: EventCall, text: str, sentence: Sentence, mentions: list) -> Where | None:
    """The most likely place of the event among the literal places of the sentence."""
    preferred = PREFERRED_PREPOSITIONS.get(call.family, set())
    best, best_score = None, None
    coordinated_with_prep = False
    for m in mentions:
        if m.role != "literal":
            continue
        start = m.start - sentence.start
        if said_at(text, start):
            continue  # "a resident told reporters in Mandalay": where it was said
        prep = PLACE_PREPOSITION_RE.search(text, max(0, start - 48), start)
        joined = re.search(r"(?:,|\band)\s*$", text[max(0, start - 6):start])
        # "Kolofata (Mayo-Sava, Far North)": the bracket locates the name before it
        bracketed = PARENTHETICAL_RE.search(text, max(0, start - 40), start)
        has_prep = bool(prep) or bool(bracketed) or (joined is not None and coordinated_with_prep)
        coordinated_with_prep = has_prep
        score = KIND_SPECIFICITY.get(m.kind, 0) + (3 if has_prep else 0)
        if prep and prep["prep"].lower() in preferred:
            score += 4
        if start < call.start and CLAUSE_BREAK_RE.search(text, start, call.start):
            score -= 2  # "after a trip to London, bandits abducted...": another clause's place
        score -= min(abs(start - call.start), 400) / 400  # nearer the trigger breaks ties
        if best_score is None or score > best_score:
            best, best_score = m, score
    if best is None:
        return None
    return Where(best, precision_of(text, sentence, best))


def listed_cities(text: str, sentence: Sentence, mentions: list) -> list:
    """Literal cities listed together after a preposition ("in Kharkiv, Sumy and Poltava")."""
    cities = []
    for m in mentions:
        start = m.start - sentence.start
        if m.kind != "city" or m.role != "literal":
            continue
        if cities and re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", text[cities[-1].end - sentence.start:start]):
            cities.append(m)
        elif not cities and PLACE_PREPOSITION_RE.search(text, max(0, start - 48), start):
            cities.append(m)
    return cities


def precision_of(text: str, sentence: Sentence, mention) -> int:
    """ACLED geo_precision of an event placed at a mention."""
    precision = KIND_PRECISION.get(mention.kind, 3)
    start = mention.start - sentence.start
    if precision == 1 and NEAR_RE.search(text, max(0, start - 40), start):
        return 2
    return precision


def focus_place(places: list):
    """The article's main place: its most named literal city or region, else country."""
    literal = [m for m in places if m.role == "literal"]
    for kinds in (("city", "admin1", "region"), ("country",)):
        counts = Counter(m.place.id for m in literal if m.kind in kinds)
        if counts:
            top = max(counts.values())
            return next(m for m in literal if m.kind in kinds and counts[m.place.id] == top)
    return None
