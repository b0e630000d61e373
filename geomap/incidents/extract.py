"""Incident, and extracting incidents from an article: one sentence at a time.

Each sentence gets an event type from its trigger words, a place from the place names in it
(the literal place of the event; the article's main place when it names none), a date from
its date expressions (the publication date when it has none), actors and a death toll.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace

from geomap.articles import Article
from geomap.incidents.actors import find_actors, find_speaker
from geomap.incidents.casualties import Fatalities, find_fatalities
from geomap.incidents.sentences import Sentence, split_sentences
from geomap.incidents.timing import EventTime, anchor_of, event_time, sentence_dates
from geomap.incidents.types import (BATTLES, DISASTERS, EXPLOSIONS, PROTESTS, RIOTS, STRATEGIC,
                                    EventCall, classify)

# ACLED geo_precision (ACLED Codebook 2023): 1 the town, 2 near a town or part of a region,
# 3 a region's or country's centroid
KIND_PRECISION = {"city": 1, "admin1": 3, "region": 3, "country": 3, "continent": 3}
KIND_SPECIFICITY = {"city": 3, "admin1": 2, "region": 2, "country": 1, "continent": 0}
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
# words that make a date count from the event told before ("the day before", "that day")
ANCHOR_NEEDED_RE = re.compile(r"\b(?:before|after|previous|following|next|same|that\s+day|later"
                              r"|earlier|prior)\b", re.I)
QUOTE_CHARS = "\"“”«»"
STATEMENT_PLACE_AFTER = 24  # "said in Paris", "told reporters in Kyiv": the place follows the verb


@dataclass(frozen=True)
class Incident:
    """Something that happened at a place and a time, with the sentence that supports it."""

    article: str
    event_type: str
    sub_event_type: str
    event_date: dt.date | None = None
    end_date: dt.date | None = None
    time_precision: int = 1
    actor1: str | None = None
    actor2: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    country: str | None = None
    country_code: str | None = None
    admin1: str | None = None
    geo_precision: int | None = None
    place_kind: str | None = None
    place_id: int | None = None
    geonames_id: int | None = None
    fatalities: int | None = None
    fatalities_parts: tuple[int, ...] = ()
    fatalities_qualifier: str | None = None
    notes: str = ""
    source_sentence: str = ""
    sentence_start: int = 0
    sentence_end: int = 0
    historical: bool = False
    confidence: float = 0.0
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None

    def as_record(self) -> dict:
        """Return the incident as a JSON-ready dict with the column names of geomap.frame."""
        record = {name: getattr(self, name) for name in self.__dataclass_fields__}
        for name in ("event_date", "end_date", "published"):
            record[name] = record[name].isoformat() if record[name] else None
        record["year"] = self.event_date.year if self.event_date else None
        record["fatalities_parts"] = "+".join(map(str, self.fatalities_parts)) or None
        return record


@dataclass(frozen=True)
class _Where:
    """A place chosen for an incident and how it was chosen."""

    mention: object  # a geomap.toponyms.Mention, or any object with its fields
    precision: int
    fallback: bool = False
    actor: bool = False  # the place is the actor: a country that acts


def extract_incidents(article: Article, *, gazetteer=None, mentions: list | None = None) -> list:
    """Return the incidents an article reports, in text order (background marked historical).

    `gazetteer` is an open Gazetteer to reuse across articles (the default database when None);
    `mentions` are the article's place mentions when already found (geomap.resolve.find_places).
    """
    if mentions is None:
        from geomap.resolve import find_places

        mentions = find_places(article.text, gazetteer=gazetteer)
    places = [_prefer_city(m, article.text)
              for m in mentions if m.place is not None and m.kind != "demonym"]
    focus = _focus_place(places)
    published = article.published
    incidents: list[Incident] = []
    headlines: set[int] = set()  # indexes of incidents told by headline lines
    told: list[int] = []  # indexes of the incidents of the sentence before
    told_where: _Where | None = None
    told_time: EventTime | None = None
    anchor = published
    pending: list[Sentence] = []  # sentences not yet read for dates, for "the day before"
    starts = [m.start for m in places]
    for sentence in split_sentences(article.text):
        in_sentence = places[bisect_left(starts, sentence.start):bisect_left(starts, sentence.end)]
        toll = find_fatalities(sentence.text)
        calls = classify(sentence.text, has_toll=toll is not None)
        if toll is None and not _may_report(calls, sentence, in_sentence):
            # nothing to date: reading dates is the slowest step, so it waits until needed
            pending.append(sentence)
            told, told_where, told_time = [], None, None
            continue
        if pending and ANCHOR_NEEDED_RE.search(sentence.text):
            anchor = _anchor_before(pending, published) or anchor
        pending = []
        dates = sentence_dates(sentence.text, published, anchor)
        when = event_time(sentence.text, dates, published)
        # a sentence that names neither a day nor a place goes on with the event told before it
        follows = told_where if (when is None and told and not _has_literal(in_sentence, sentence)) else None
        if when is None:
            if follows is not None and told_time is not None:
                when = replace(told_time, source="previous")
            elif published is not None:
                when = EventTime(published, None, 2, source="published")
            else:
                when = EventTime(None, None, 2, source="unresolved")
        before = incidents[told[0]] if told else None
        found = _sentence_incidents(article, sentence, calls, in_sentence, focus, when, toll,
                                    follows, before)
        if not found and toll is not None and told and not when.historical:
            # "According to partial reports, they killed at least 128 people.": the toll of the
            # event told just before
            for index in told:
                if incidents[index].fatalities is None and not incidents[index].historical:
                    incidents[index] = _with_toll(incidents[index], toll, sentence)
                    break
        if found:
            start = len(incidents)
            incidents.extend(found)
            told = list(range(start, len(incidents)))
            if sentence.headline:
                headlines.update(told)
            told_where, told_time = _where_of(found[0], in_sentence, focus, follows), when
        elif sentence.headline or toll is None:
            told, told_where, told_time = [], None, None
        anchor = anchor_of(dates, published) or anchor
    # a headline restates the story: drop its incidents when the body tells the same
    kept = [i for n, i in enumerate(incidents)
            if n not in headlines or not any(_restates(i, other) for m, other in enumerate(incidents)
                                             if m not in headlines)]
    return _merge(kept)


def _may_report(calls, sentence: Sentence, mentions: list) -> bool:
    """True when a sentence's triggers can make an incident (a statement needs a located speaker)."""
    primary, actions, statement = calls
    return bool(primary or actions or (statement and _speaker_place(statement, sentence.text,
                                                                    sentence, mentions)))


def _anchor_before(pending: list[Sentence], published: dt.date | None) -> dt.date | None:
    """The last day told by the latest of the sentences not yet read for dates."""
    for sentence in reversed(pending):
        day = anchor_of(sentence_dates(sentence.text, published, published), published)
        if day is not None:
            return day
    return None


def _has_literal(mentions: list, sentence: Sentence) -> bool:
    """True when the sentence names a place where something happened (not only where it was said)."""
    return any(m.role == "literal" and not _said_at(sentence.text, m.start - sentence.start)
               for m in mentions)


def _said_at(text: str, start: int) -> bool:
    """True when the place at `start` is where a report was made ("told reporters in Aden")."""
    return bool(SPEECH_BEFORE_RE.search(text, max(0, start - 48), start))


def _restates(headline: Incident, body: Incident) -> bool:
    """True when a body incident tells what a headline incident says."""
    return headline.event_type == body.event_type and (
        headline.country_code == body.country_code or headline.place_kind != "city")


def _where_of(incident: Incident, mentions: list, focus, follows: _Where | None) -> _Where | None:
    """The place an incident was put at, to carry over to a sentence that goes on with it."""
    for m in mentions:
        if m.place.id == incident.place_id:
            return _Where(m, incident.geo_precision or 3)
    if follows is not None and follows.mention.place.id == incident.place_id:
        return follows
    if focus is not None and focus.place.id == incident.place_id:
        return _Where(focus, incident.geo_precision or 3, fallback=True)
    return None


def _prefer_city(mention, text: str):
    """The city of the same name when a mention was read as a province but is not called one."""
    if mention.kind != "admin1":
        return mention
    if REGION_WORD_AFTER_RE.match(text, mention.end):
        return mention
    for other in getattr(mention, "alternatives", ()):
        if other.kind == "city" and other.country_code == mention.place.country_code \
                and other.name == mention.place.name:
            return replace(mention, place=other, kind="city")
    return mention


def _sentence_incidents(article: Article, sentence: Sentence, calls, mentions: list, focus,
                        when: EventTime, toll: Fatalities | None, follows: _Where | None,
                        before: Incident | None) -> list[Incident]:
    """The incidents one sentence reports (follows: the place of the event it goes on with)."""
    text = sentence.text
    primary, actions, statement = calls
    found: list[Incident] = []
    if follows is not None:
        focus = follows.mention  # the event told before is where this one happened
    if primary is not None:
        for call, where in _primary_places(primary, text, sentence, mentions, focus):
            if follows is not None and where.fallback:
                where = follows
            found.append(_incident(article, sentence, call, where, when, toll if len(found) == 0 else None))
        return found
    for call in actions:
        if follows is not None and before is not None and call.family == "arrest" \
                and before.event_type in (PROTESTS, RIOTS):
            continue  # arrests at a protest are its intervention, told already
        where = _action_place(call, text, sentence, mentions, focus)
        if where is not None and follows is not None and where.fallback:
            where = follows
        if where is not None:
            found.append(_incident(article, sentence, call, where, when, None))
    if statement is not None:
        where = _speaker_place(statement, text, sentence, mentions)
        if where is not None and all(i.place_id != where.mention.place.id for i in found):
            found.append(_incident(article, sentence, statement, where, when, None))
    return found


def _primary_places(call: EventCall, text: str, sentence: Sentence, mentions: list,
                    focus) -> list[tuple[EventCall, _Where]]:
    """(event, place) pairs of a violent or disruptive event: one per city shelled, else one."""
    urban = URBAN_AREAS_RE.search(text) if call.event_type in (BATTLES, EXPLOSIONS) else None
    if urban:
        cities = [m for m in mentions if m.start - sentence.start >= urban.end()
                  and m.kind == "city" and m.role == "literal"]
        if cities:
            shelling = EventCall(EXPLOSIONS, "Shelling/artillery/missile attack", "explosion",
                                 urban.start(), urban.end(), urban[0])
            return [(shelling, _Where(m, 1)) for m in cities]
    if call.event_type in (EXPLOSIONS, DISASTERS):
        listed = _listed_cities(text, sentence, mentions)
        if len(listed) > 1:
            return [(call, _Where(m, _precision(text, sentence, m))) for m in listed]
    where = _best_literal(call, text, sentence, mentions)
    if where is None and focus is not None:
        where = _Where(focus, KIND_PRECISION.get(focus.kind, 3), fallback=True)
    return [(call, where)] if where is not None else []


def _action_place(call: EventCall, text: str, sentence: Sentence, mentions: list, focus) -> _Where | None:
    """The place of a strategic development: the acting country, or where it happened."""
    if call.family in ("policy", "agreement"):
        subject = _country_subject(call, text, sentence, mentions)
        if subject is not None:
            return _Where(subject, 3, actor=True)
    where = _best_literal(call, text, sentence, mentions)
    if where is None and focus is not None:
        where = _Where(focus, KIND_PRECISION.get(focus.kind, 3), fallback=True)
    return where


def _speaker_place(call: EventCall, text: str, sentence: Sentence, mentions: list) -> _Where | None:
    """Where a statement was made, when the sentence says so ("In Riga, Macron said...")."""
    quoted = _quoted_spans(text)
    best = None
    for m in mentions:
        start = m.start - sentence.start
        if m.role != "literal" or any(a <= start < b for a, b in quoted):
            continue
        prep = PLACE_PREPOSITION_RE.search(text, max(0, start - 40), start)
        if not prep or prep["prep"].lower() not in ("in", "at", "from"):
            continue
        if start < call.start or 0 <= start - call.end <= STATEMENT_PLACE_AFTER:
            score = KIND_SPECIFICITY.get(m.kind, 0)
            if best is None or score > best[0]:
                best = (score, m)
    return _Where(best[1], _precision(text, sentence, best[1])) if best else None


def _country_subject(call: EventCall, text: str, sentence: Sentence, mentions: list):
    """The country that acts ("Canada announced ... it will suspend"), any role, or None."""
    for m in mentions:
        start = m.start - sentence.start
        if start >= call.start:
            break
        if m.kind == "country" and CLAUSE_START_RE.search(text, 0, start):
            return m
    return None


def _best_literal(call: EventCall, text: str, sentence: Sentence, mentions: list) -> _Where | None:
    """The most likely place of the event among the literal places of the sentence."""
    preferred = PREFERRED_PREPOSITIONS.get(call.family, set())
    best, best_score = None, None
    coordinated_with_prep = False
    for m in mentions:
        if m.role != "literal":
            continue
        start = m.start - sentence.start
        if _said_at(text, start):
            continue  # "a resident told reporters in Mandalay": where it was said
        prep = PLACE_PREPOSITION_RE.search(text, max(0, start - 48), start)
        joined = re.search(r"(?:,|\band)\s*$", text[max(0, start - 6):start])
        has_prep = bool(prep) or (joined is not None and coordinated_with_prep)
        coordinated_with_prep = has_prep
        score = KIND_SPECIFICITY.get(m.kind, 0) + (3 if has_prep else 0)
        if prep and prep["prep"].lower() in preferred:
            score += 4
        score -= min(abs(start - call.start), 400) / 400  # nearer the trigger breaks ties
        if best_score is None or score > best_score:
            best, best_score = m, score
    if best is None:
        return None
    return _Where(best, _precision(text, sentence, best))


def _listed_cities(text: str, sentence: Sentence, mentions: list) -> list:
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


def _precision(text: str, sentence: Sentence, mention) -> int:
    """ACLED geo_precision of an event placed at a mention."""
    precision = KIND_PRECISION.get(mention.kind, 3)
    start = mention.start - sentence.start
    if precision == 1 and NEAR_RE.search(text, max(0, start - 40), start):
        return 2
    return precision


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans between quotation marks (any quote character opens or closes)."""
    spans, opened = [], None
    for i, ch in enumerate(text):
        if ch in QUOTE_CHARS:
            if opened is None:
                opened = i
            else:
                spans.append((opened, i + 1))
                opened = None
    return spans


def _focus_place(places: list):
    """The article's main place: its most named literal city or region, else country."""
    literal = [m for m in places if m.role == "literal"]
    for kinds in (("city", "admin1", "region"), ("country",)):
        counts = Counter(m.place.id for m in literal if m.kind in kinds)
        if counts:
            top = max(counts.values())
            return next(m for m in literal if m.kind in kinds and counts[m.place.id] == top)
    return None


def _incident(article: Article, sentence: Sentence, call: EventCall, where: _Where,
              when: EventTime, toll: Fatalities | None) -> Incident:
    """An incident from its parts; the confidence says how much of it was inferred."""
    place = where.mention.place
    if call.family == "statement":
        actor1, actor2 = find_speaker(sentence.text, call.start), None
    elif where.actor:
        actor1, actor2 = where.mention.text, None
    else:
        actor1, actor2 = find_actors(sentence.text, event_type=call.event_type)
    remarks = [f"{call.sub_event_type} ({call.trigger.lower()})"]
    confidence = 0.9 if call.event_type != STRATEGIC else 0.75
    confidence *= getattr(where.mention, "confidence", 1.0) or 1.0
    if where.fallback:
        remarks.append(f"place: the article's main place, {place.name} (none named in the sentence)")
        confidence -= 0.25
    if when.source == "published":
        remarks.append("date: the publication date (none in the sentence)")
        confidence -= 0.1
    elif when.source == "previous":
        remarks.append("date: from the sentence before")
        confidence -= 0.05
    elif when.source == "unresolved":
        remarks.append("date unresolved: the publication date is unknown")
        confidence *= 0.5
    if toll is not None:
        remarks.append(f"fatalities: {toll.describe()}")
    if when.historical:
        remarks.append("historical: background to the news, not a current event")
    return Incident(
        article=article.id, event_type=call.event_type, sub_event_type=call.sub_event_type,
        event_date=when.date, end_date=when.end_date, time_precision=when.precision,
        actor1=actor1, actor2=actor2, location=place.name, latitude=place.lat,
        longitude=place.lon, country=place.country, country_code=place.country_code,
        admin1=place.admin1, geo_precision=where.precision, place_kind=place.kind,
        place_id=place.id, geonames_id=place.geonames_id,
        fatalities=toll.count if toll else None, fatalities_parts=toll.parts if toll else (),
        fatalities_qualifier=toll.qualifier if toll else None, notes="; ".join(remarks),
        source_sentence=sentence.text, sentence_start=sentence.start, sentence_end=sentence.end,
        historical=when.historical, confidence=round(max(0.05, min(confidence, 1.0)), 2),
        title=article.title, published=article.published, source=article.source, url=article.url)


def _with_toll(incident: Incident, toll: Fatalities, sentence: Sentence) -> Incident:
    """The incident with a toll reported in the sentence after it."""
    note = f"fatalities: {toll.describe()} (from the next sentence: {sentence.text[:80]})"
    return replace(incident, fatalities=toll.count, fatalities_parts=toll.parts,
                   fatalities_qualifier=toll.qualifier, notes=f"{incident.notes}; {note}")


def _merge(incidents: list[Incident]) -> list[Incident]:
    """One incident per type, place and day (ACLED's unit); a day inside a span joins the span."""
    kept: list[Incident] = []
    for incident in incidents:
        duplicate = next((k for k in kept if _same_event(k, incident)), None)
        if duplicate is None:
            kept.append(incident)
            continue
        # the span is kept (a cumulative toll); else the first telling
        span, other = (incident, duplicate) if _covers(incident, duplicate) \
            and not _covers(duplicate, incident) else (duplicate, incident)
        fatalities = max((x for x in (span.fatalities, other.fatalities) if x is not None), default=None)
        merged = span if fatalities == span.fatalities else replace(
            span, fatalities=other.fatalities, fatalities_parts=other.fatalities_parts,
            fatalities_qualifier=other.fatalities_qualifier)
        kept[kept.index(duplicate)] = merged
    return kept


def _same_event(a: Incident, b: Incident) -> bool:
    """True when two incidents are one event told twice."""
    if (a.event_type, a.place_id, a.historical) != (b.event_type, b.place_id, b.historical):
        return False
    if a.event_date is None or b.event_date is None:
        return a.event_date == b.event_date and a.sub_event_type == b.sub_event_type
    if a.event_date == b.event_date and a.end_date == b.end_date:
        return True
    return _covers(a, b) or _covers(b, a)


def _covers(a: Incident, b: Incident) -> bool:
    """True when a's span holds all of b's days."""
    if a.event_date is None or b.event_date is None or a.end_date is None:
        return False
    return a.event_date <= b.event_date and (b.end_date or b.event_date) <= a.end_date
