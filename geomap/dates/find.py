"""Finding the date expressions of a text: every rule's matches, the longest kept where they
overlap, then weekdays joined to their dates, ranges and "since" spans."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from geomap.dates.grammar import (GATES, HISTORICAL_DAYS, RANGE_BEFORE_RE, RANGE_BETWEEN_RE,
                                  SINCE_BEFORE_RE, DateMention)
from geomap.dates.rules import RULES, Context, span_precision
from geomap.scan import LiteralStarts, matches_at

# where the words that start the rules' expressions stand: each is tried there only
_STARTS = LiteralStarts([pattern for pattern, _ in RULES])


def find_dates(text: str, published: dt.date | None, *,
               anchor: dt.date | None = None) -> list[DateMention]:
    """Return the date expressions in text, in order, resolved against published (and anchor)."""
    context = Context(text, published, anchor or published)
    starts = _STARTS.starts(text)
    candidates = [mention for row, (pattern, handler) in enumerate(RULES)
                  if row in starts and GATES[pattern].search(text)
                  for match in matches_at(pattern, text, starts[row])
                  if (mention := _resolved(handler, match, context)) is not None]
    chosen: list[DateMention] = []
    # the longest expression wins where several overlap: "October 1, 2020" over "October 1"
    taken = bytearray(len(text) if candidates else 0)  # characters chosen (linear, not pairwise)
    for mention in sorted(candidates, key=lambda m: (m.start - m.end, m.start)):
        if taken.find(1, mention.start, mention.end) == -1:
            chosen.append(mention)
            taken[mention.start:mention.end] = b"\x01" * (mention.end - mention.start)
    chosen.sort(key=lambda m: m.start)
    return _apply_since(_merge_ranges(_merge_weekday_dates(chosen, text), text), context)


def _resolved(handler, match: re.Match, context: Context) -> DateMention | None:
    """The handler's mention; none where its day falls outside the calendar (a published date
    near the year 1 or 9999 with "the day before" or "next year")."""
    try:
        return handler(match, context)
    except (OverflowError, ValueError):
        return None


def is_historical(mention: DateMention, published: dt.date | None) -> bool:
    """Return True when the mention lies before the current news cycle.

    Historical means its last day (its first day for "since" spans, which run up to
    publication) is more than HISTORICAL_DAYS before published, or it is a year or decade
    that ended before the published year began.
    """
    if published is None or mention.date is None:
        return False
    last = mention.date if mention.kind == "since" else (mention.end_date or mention.date)
    if mention.kind in ("year", "decade") and last.year < published.year:
        return True
    return (published - last).days > HISTORICAL_DAYS


def _merge_weekday_dates(mentions: list[DateMention], text: str) -> list[DateMention]:
    """Join "Sunday, September 27" into one mention dated by the calendar day."""
    merged: list[DateMention] = []
    for mention in mentions:
        previous = merged[-1] if merged else None
        if (previous and previous.kind == "weekday" and previous.end_date is None
                and mention.kind == "absolute"
                and re.fullmatch(r",?\s+(?:(?i:the)\s+)?", text[previous.end:mention.start])):
            merged[-1] = replace(mention, start=previous.start,
                                 text=text[previous.start:mention.end])
        else:
            merged.append(mention)
    return merged


def _merge_ranges(mentions: list[DateMention], text: str) -> list[DateMention]:
    """Join "from Sunday to Tuesday", "between September 27 and October 1" into one span."""
    merged: list[DateMention] = []
    for mention in mentions:
        previous = merged[-1] if merged else None
        if previous:
            before = RANGE_BEFORE_RE.search(text, max(0, previous.start - 16), previous.start)
            between = RANGE_BETWEEN_RE.fullmatch(text, previous.end, mention.start)
            if before and between and (before[0].lower().startswith("between")
                                        or "and" not in between[0].lower()):
                start = before.start()
                first = previous.date
                last = mention.end_date or mention.date
                resolved = first is not None and last is not None and last >= first
                precision = max(previous.precision, mention.precision,
                                span_precision(first, last) if resolved else 2)
                merged[-1] = DateMention(start, mention.end, text[start:mention.end],
                                         first if resolved else None, last if resolved else None,
                                         precision, "range", resolved)
                continue
        merged.append(mention)
    return merged


def _apply_since(mentions: list[DateMention], context: Context) -> list[DateMention]:
    """Turn "since X" into a span from X up to publication."""
    result = []
    for mention in mentions:
        since = SINCE_BEFORE_RE.search(context.text, max(0, mention.start - 20), mention.start)
        if not since or mention.kind == "range":
            result.append(mention)
            continue
        start = since.start()
        end_date = context.published if mention.date and context.published \
            and context.published >= mention.date else None
        precision = mention.precision
        if mention.date and end_date:
            precision = max(precision, span_precision(mention.date, end_date))
        result.append(DateMention(start, mention.end, context.text[start:mention.end],
                                  mention.date, end_date, max(2, precision), "since",
                                  mention.resolved))
    return result
