"""Incident, and extracting incidents from an article: one sentence at a time.

Each sentence gets an event type from its trigger words, a place from the place names in it
(the literal place of the event; the article's main place when it names none), a date from
its date expressions (the publication date when it has none), actors and a death toll.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass, replace

from geomap.articles import Article
from geomap.focus import DATELINE_RE
from geomap.incidents.actors import acled_actor, find_actors
from geomap.incidents.casualties import Fatalities, find_fatalities
from geomap.incidents.location import (Where, action_place, focus_country, focus_place,
                                       has_literal, prefer_city, primary_places, where_of)
from geomap.incidents.sentences import Sentence, split_sentences
from geomap.incidents.taxonomy import PROTESTS, RIOTS, STRATEGIC
from geomap.incidents.timing import EventTime, anchor_of, event_time, sentence_dates
from geomap.incidents.classify import classify
from geomap.incidents.triggers import EventCall
from geomap.scan import LiteralStarts, search_at

# words that make a date count from the event told before ("the day before", "that day")
ANCHOR_NEEDED_RE = re.compile(r"\b(?:before|after|previous|following|next|same|that\s+day|later"
                              r"|earlier|prior)\b", re.I)
# where one sentence joins two reports: "..., while in Mombasa ...", "...; in Kisumu ..."
CLAUSE_SPLIT_RE = re.compile(r";\s+|,?\s+(?:while|whereas|meanwhile)\s+|,\s+and\s+(?=in\s+[A-Z])")
# a sentence dated this many days after publication tells plans, not events
FUTURE_DAYS = 1


# the report says the toll is not known: fatalities stay blank rather than 0
UNKNOWN_TOLL_RE = re.compile(
    r"\b(?:casualt(?:y|ies)|death\s+toll|fatalities|toll)\s+(?:figures?\s+)?(?:(?:was|were|is|are|remain(?:s|ed)?)\s+)?"
    r"(?:not\s+(?:immediately\s+)?(?:known|clear|available|confirmed)|unknown|unclear|unconfirmed|not\s+yet\s+known)"
    r"|\b(?:no|without)\s+(?:immediate\s+)?(?:word|information|details|figures)\s+(?:on|of|about)\s+(?:casualties|the\s+toll|deaths)"
    r"|\bunclear\s+(?:whether|if|how\s+many)\s+(?:anyone|any|there|people)", re.I)

_UNKNOWN_TOLL = LiteralStarts([UNKNOWN_TOLL_RE])


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
    location_text: str | None = None  # the place as the article writes it
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


def extract_incidents(article: Article, *, gazetteer=None, mentions: list | None = None) -> list:
    """Return the incidents an article reports, in text order (background marked historical).

    `gazetteer` is an open Gazetteer to reuse across articles (the default database when None);
    `mentions` are the article's place mentions when already found (geomap.resolve.find_places).
    """
    if mentions is None:
        from geomap.resolve import find_places

        mentions = find_places(article.text, gazetteer=gazetteer)
    # a dateline ("OUAGADOUGOU —") says where the reporter files from, not where events happened
    dateline = DATELINE_RE.match(article.text)
    dateline_end = dateline.end() if dateline else 0
    # "Nigerian", "Russia's": whose forces an actor phrase names
    demonyms = {m.text.lower().removesuffix("'s").removesuffix("’s"): m.place.name for m in mentions
                if m.place is not None and m.place.kind == "country"}
    located = [prefer_city(m, article.text) for m in mentions if m.place is not None and m.kind != "demonym"]
    places = [m for m in located if m.start >= dateline_end]
    # the fallback place: the article's most named place, else the dateline's, else its country
    focus = (focus_place(places) or focus_place([m for m in located if m.start < dateline_end])
             or focus_country(article.text, mentions, gazetteer))
    published = article.published
    incidents: list[Incident] = []
    headlines: set[int] = set()  # indexes of incidents told by headline lines
    told: list[int] = []  # indexes of the incidents of the sentence before
    told_where: Where | None = None
    told_time: EventTime | None = None
    last_time: EventTime | None = None  # the day of the latest event dated by its own sentence
    anchor = published
    pending: list[Sentence] = []  # sentences not yet read for dates, for "the day before"
    starts = [m.start for m in places]
    for sentence in split_sentences(article.text):
        in_sentence = places[bisect_left(starts, sentence.start):bisect_left(starts, sentence.end)]
        toll = find_fatalities(sentence.text)
        calls = classify(sentence.text, has_toll=toll is not None)
        if toll is None and not (calls[0] or calls[1]):
            # nothing to date: reading dates is the slowest step, so it waits until needed
            pending.append(sentence)
            told, told_where, told_time = [], None, None
            continue
        if pending and ANCHOR_NEEDED_RE.search(sentence.text):
            anchor = _anchor_before(pending, published) or anchor
        pending = []
        dates = sentence_dates(sentence.text, published, anchor)
        when = event_time(sentence.text, dates, published)
        if when is not None and when.date and published and (when.date - published).days > FUTURE_DAYS:
            told, told_where, told_time = [], None, None
            continue  # "the election will be held on 21 September": plans are not events
        # a sentence that names neither a day nor a place goes on with the event told before it
        follows = told_where if (when is None and told and not has_literal(in_sentence, sentence)) else None
        if when is None:
            if follows is not None and told_time is not None:
                when = replace(told_time, source="previous")
            elif last_time is not None:
                # the report dated its events in an earlier sentence: later ones share that day
                when = replace(last_time, source="previous")
            elif published is not None:
                when = EventTime(published, None, 2, source="published")
            else:
                when = EventTime(None, None, 2, source="unresolved")
        before = incidents[told[0]] if told else None
        found = _sentence_incidents(article, sentence, calls, in_sentence, focus, when, toll,
                                    follows, before, demonyms)
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
            told_where, told_time = where_of(found[0].place_id, found[0].geo_precision, in_sentence,
                                             focus, follows), when
            if when.source == "sentence" and not when.historical:
                last_time = when
        elif sentence.headline or toll is None:
            told, told_where, told_time = [], None, None
        anchor = anchor_of(dates, published) or anchor
    # a headline restates the story: drop its incidents when the body tells the same
    kept = [i for n, i in enumerate(incidents)
            if n not in headlines or not any(_restates(i, other) for m, other in enumerate(incidents)
                                             if m not in headlines)]
    merged = _merge(kept)
    toll_unknown = any(i.fatalities is None for i in merged) and search_at(
        UNKNOWN_TOLL_RE, article.text, _UNKNOWN_TOLL.starts(article.text).get(0, ())) is not None
    return [_with_default_toll(i, toll_unknown) for i in merged]


def _with_default_toll(incident: Incident, toll_unknown: bool) -> Incident:
    """ACLED codes 0 fatalities when a report of an event mentions no deaths, and leaves the
    count open only where the report says it is unknown ("casualties were not known")."""
    if incident.fatalities is not None or toll_unknown:
        return incident
    return replace(incident, fatalities=0, fatalities_qualifier="none reported")


def _anchor_before(pending: list[Sentence], published: dt.date | None) -> dt.date | None:
    """The last day told by the latest of the sentences not yet read for dates."""
    for sentence in reversed(pending):
        day = anchor_of(sentence_dates(sentence.text, published, published), published)
        if day is not None:
            return day
    return None


def _restates(headline: Incident, body: Incident) -> bool:
    """True when a body incident tells what a headline incident says."""
    return headline.event_type == body.event_type and (
        headline.country_code == body.country_code or headline.place_kind != "city")


def _sentence_incidents(article: Article, sentence: Sentence, calls, mentions: list, focus,
                        when: EventTime, toll: Fatalities | None, follows: Where | None,
                        before: Incident | None, demonyms: dict[str, str]) -> list[Incident]:
    """The incidents one sentence reports (follows: the place of the event it goes on with)."""
    text = sentence.text
    primary, actions = calls
    found: list[Incident] = []
    if follows is not None:
        focus = follows.mention  # the event told before is where this one happened
    if primary is not None:
        clauses = _event_clauses(sentence, mentions)
        if clauses:  # "police fired tear gas in Nairobi, while in Mombasa rioters torched shops"
            return [_incident(article, clause, call, where, when, find_fatalities(clause.text), demonyms)
                    for clause, clause_mentions, call in clauses
                    for call, where in primary_places(call, clause.text, clause, clause_mentions, focus)]
        for call, where in primary_places(primary, text, sentence, mentions, focus):
            if follows is not None and where.fallback:
                where = follows
            found.append(_incident(article, sentence, call, where, when, toll if len(found) == 0 else None,
                                   demonyms))
        return found
    for call in actions:
        if follows is not None and before is not None and call.family == "arrest" \
                and before.event_type in (PROTESTS, RIOTS):
            continue  # arrests at a protest are its intervention, told already
        where = action_place(call, text, sentence, mentions, focus)
        if where is not None and follows is not None and where.fallback:
            where = follows
        found.append(_incident(article, sentence, call, where, when, None, demonyms))
    return found


def _event_clauses(sentence: Sentence, mentions: list) -> list:
    """(clause, its mentions, its event) for each clause of a sentence that reports an event of its
    own at a place of its own; [] when the sentence tells one event."""
    bounds = [0, *(m.end() for m in CLAUSE_SPLIT_RE.finditer(sentence.text)), len(sentence.text)]
    if len(bounds) < 3:
        return []
    found = []
    for a, b in zip(bounds, bounds[1:]):
        clause = Sentence(sentence.start + a, sentence.start + b, sentence.text[a:b], sentence.paragraph,
                          sentence.headline)
        own = [m for m in mentions if clause.start <= m.start < clause.end and m.role == "literal"]
        primary, _ = classify(clause.text, has_toll=find_fatalities(clause.text) is not None)
        if primary is not None and own:
            found.append((clause, own, primary))
    places = {m.place.id for _, own, _ in found for m in own}
    return found if len(found) > 1 and len(places) > 1 else []


def _incident(article: Article, sentence: Sentence, call: EventCall, where: Where,
              when: EventTime, toll: Fatalities | None, demonyms: dict[str, str]) -> Incident:
    """An incident from its parts; the confidence and the notes say how much of it was inferred."""
    place = where.mention.place if where.mention is not None else None
    if where.actor:
        actor1, actor2 = where.mention.text, None
    else:
        actor1, actor2 = find_actors(sentence.text, event_type=call.event_type)
        country = place.country if place else None
        actor1, actor2 = (acled_actor(a, country, demonyms, call.event_type) for a in (actor1, actor2))
    remarks = [f"{call.sub_event_type} ({call.trigger.lower()})"]
    confidence = 0.9 if call.event_type != STRATEGIC else 0.75
    if place is None:
        remarks.append(f"place: {where.written} (not in the gazetteer), no point" if where.written
                       else "place: none named, no point")
        confidence -= 0.3
    else:
        confidence *= getattr(where.mention, "confidence", 1.0) or 1.0
        if where.written:
            remarks.append(f"place: {where.written} (not in the gazetteer), placed at {place.name}")
            confidence -= 0.15
        elif where.fallback:
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
    written = where.written or (where.mention.text if where.mention is not None and not where.fallback
                                else None)
    return Incident(
        article=article.id, event_type=call.event_type, sub_event_type=call.sub_event_type,
        event_date=when.date, end_date=when.end_date, time_precision=when.precision,
        actor1=actor1, actor2=actor2, location=place.name if place else None,
        location_text=written, latitude=place.lat if place else None,
        longitude=place.lon if place else None, country=place.country if place else None,
        country_code=place.country_code if place else None, admin1=place.admin1 if place else None,
        geo_precision=where.precision, place_kind=place.kind if place else None,
        place_id=place.id if place else None, geonames_id=place.geonames_id if place else None,
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
