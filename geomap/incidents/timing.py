"""When the event a sentence reports happened: its dates resolved, spans and history told apart."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from geomap.calendar import MONTH_PREFIX_PATTERN
from geomap.dates import WEEK_DAYS, DateMention, find_dates, is_historical

# "since the resumption of conflict on September 27": a since-clause whose date comes later
LOOSE_SINCE_RE = re.compile(r"\b(?:since|ever\s+since)\s+(?:the\s+)?[^,.;:()\"“”]{0,50}?(?:on|in|of)\s+$", re.I)
# what every date expression of geomap.dates contains: a year, a decade, a month or a time word
DATE_HINT_RE = re.compile(
    r"\b(?:1[89]|20)\d\d\b|\d0['’]?s\b|\d-\d|\d/\d|\d(?:st|nd|rd|th)\b|(?i:day|night|week|month|year|decade|ago|earlier|later"
    r"|recent|tonight)|\b(?:" + MONTH_PREFIX_PATTERN + ")")
# "on the same day", "that day": the day of the event told before
SAME_DAY_RE = re.compile(r"\b(?:on\s+)?(?:the\s+same\s+day|that\s+(?:same\s+)?day|the\s+same\s+night)\b", re.I)
# A cumulative toll "since ..." is news when it starts within about a season of publication;
# "has killed 1,000 since 2017" is background.
CUMULATIVE_MAX_DAYS = 92
# words that make two dates of one sentence the start and the end of one event
# ("from Sunday to Tuesday" is already one span in geomap.dates)
CONTINUATION_RE = re.compile(r"\b(?:continu\w*|resum\w*|persist\w*|lasted|lasting|ongoing"
                             r"|went\s+on|carried\s+on|raged)\b", re.I)


@dataclass(frozen=True)
class EventTime:
    """The day or span of an event, ACLED's time precision, and where it was read from."""

    date: dt.date | None
    end_date: dt.date | None = None
    precision: int = 1
    historical: bool = False
    source: str = "sentence"  # sentence | published | previous | unresolved

    @property
    def last(self) -> dt.date | None:
        """The last day of the event."""
        return self.end_date or self.date


def sentence_dates(text: str, published: dt.date | None, anchor: dt.date | None) -> list[DateMention]:
    """Return the date mentions of a sentence, loose "since ..." clauses made into spans."""
    if not DATE_HINT_RE.search(text):
        return []  # no figure, month, weekday or time word: nothing for the date rules to find
    mentions = find_dates(text, published, anchor=anchor)
    for match in SAME_DAY_RE.finditer(text):
        if all(m.end <= match.start() or m.start >= match.end() for m in mentions):
            mentions.append(DateMention(match.start(), match.end(), match[0], anchor, None, 1,
                                        "relative", anchor is not None))
    mentions.sort(key=lambda m: m.start)
    result = []
    for mention in mentions:
        if mention.kind != "since" and mention.date is not None \
                and LOOSE_SINCE_RE.search(text, max(0, mention.start - 70), mention.start):
            end = published if published and published >= mention.date else None
            days = ((end - mention.date).days + 1) if end else 1
            precision = max(2, mention.precision, 2 if days <= WEEK_DAYS else 3)
            mention = DateMention(mention.start, mention.end, mention.text, mention.date, end,
                                  precision, "since", True)
        result.append(mention)
    return result


def event_time(text: str, mentions: list[DateMention], published: dt.date | None) -> EventTime | None:
    """Return the time of the event a sentence reports from its date mentions; None without any."""
    if not mentions:
        return None
    current = [m for m in mentions if m.resolved and not _is_background(m, published)]
    if current:
        if len(current) > 1 and CONTINUATION_RE.search(text):
            first = min(m.date for m in current)
            last = max(m.end_date or m.date for m in current)
            if last > first:
                precision = max(max(m.precision for m in current),
                                2 if (last - first).days < WEEK_DAYS else 3)
                return EventTime(first, last, precision)
        m = current[0]
        return EventTime(m.date, m.end_date, m.precision)
    unresolved = [m for m in mentions if not m.resolved]
    if unresolved:
        return EventTime(None, None, unresolved[0].precision, source="unresolved")
    m = mentions[0]
    return EventTime(m.date, m.end_date, m.precision, historical=True)


def _is_background(mention: DateMention, published: dt.date | None) -> bool:
    """True when a date mention places its event before the current news."""
    if mention.kind == "since" and published is not None and mention.date is not None:
        return (published - mention.date).days > CUMULATIVE_MAX_DAYS
    if published is None:
        # with no publication date a bare year is more often background than news
        return mention.precision == 3 and mention.kind in ("year", "decade", "since")
    return is_historical(mention, published)


def anchor_of(mentions: list[DateMention], published: dt.date | None) -> dt.date | None:
    """The day a later "the day before" counts from: the last current date of a sentence."""
    current = [m for m in mentions if m.resolved and not _is_background(m, published)]
    if not current:
        return None
    # the last day told: a night ("of Wednesday to Thursday") by the morning it ends on, a
    # span ("since early April") by its end
    return current[-1].end_date or current[-1].date
