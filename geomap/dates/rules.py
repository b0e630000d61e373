"""Resolving each kind of date expression against the published date (and the anchor): one
handler per expression of geomap.dates.grammar, in RULES."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from geomap.calendar import FULL_DATE_RE, FULL_MONTH_NAMES, WEEKDAYS, date_from_full_match, month_number
from geomap.dates.grammar import (COUNTED_RE, DAY_MONTH_RE, DAY_RANGE_RE, DECADE_PARTS, DECADE_RE,
                                  LOOKAHEAD_DAYS, MONTH_PARTS, MONTH_RE, NEXT_WORD_RE, NIGHT_BEFORE_RE,
                                  NIGHT_RE, NUMBER_WORDS, NUMERIC_DATE_RE, ORDINAL_DAY_RE, LAST_WORD_RE,
                                  RECENT_DAYS, RELATIVE_RE, VAGUE_NUMBERS, WEEK_DAYS, WEEKDAY_NAME_AFTER,
                                  WEEKDAY_NAME_BEFORE, WEEKDAY_RE, YEAR_PARTS, YEAR_RANGE_RE, YEAR_RE,
                                  DateMention)


@dataclass(frozen=True)
class Context:
    """What every rule resolves against: the text, the published date, the anchor day."""

    text: str
    published: dt.date | None
    anchor: dt.date | None


def _mention(match: re.Match | tuple[int, int], context: Context, kind: str, precision: int,
             date: dt.date | None, end_date: dt.date | None = None) -> DateMention:
    """A mention over a match (or a start, end pair); no date means it could not be resolved."""
    start, end = (match.start(), match.end()) if isinstance(match, re.Match) else match
    if end_date == date:
        end_date = None
    return DateMention(start, end, context.text[start:end], date, end_date if date else None,
                       precision, kind, date is not None)


def span_precision(first: dt.date, last: dt.date) -> int:
    """ACLED precision of a span of days: 2 up to a week, else 3."""
    return 2 if (last - first).days + 1 <= WEEK_DAYS else 3


def _place_year(month: int, day: int, published: dt.date) -> int:
    """The year of a day written without one (see the module docstring)."""
    following = _safe_date(published.year + 1, month, day)
    if following and 0 < (following - published).days <= LOOKAHEAD_DAYS:
        return published.year + 1
    current = _safe_date(published.year, month, day)
    if month <= published.month or (current and (current - published).days <= LOOKAHEAD_DAYS):
        return published.year
    return published.year - 1


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when there is no such day (February 30)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> int:
    """The last day number of a month."""
    return calendar.monthrange(year, month)[1]


def _on_full_date(match: re.Match, context: Context) -> DateMention | None:
    day = date_from_full_match(match)
    return _mention(match, context, "absolute", 1, day) if day else None


def _on_day_month(match: re.Match, context: Context) -> DateMention | None:
    month = month_number(match["m1"] or match["m2"])
    day = int(match["d1"] or match["d2"])
    if not 1 <= day <= 31:
        return None
    if context.published is None:
        return _mention(match, context, "absolute", 1, None)
    date = _safe_date(_place_year(month, day, context.published), month, day)
    return _mention(match, context, "absolute", 1, date) if date else None


def _on_numeric_date(match: re.Match, context: Context) -> DateMention | None:
    first, second = int(match["a"] or match["a2"]), int(match["b"] or match["b2"])
    day, month = (second, first) if second > 12 >= first else (first, second)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if match["y"]:
        year = int(match["y"]) if len(match["y"]) == 4 else 2000 + int(match["y"])
    elif context.published is None:
        return None  # a day and month with no year to place them in
    else:
        year = _place_year(month, day, context.published)
    date = _safe_date(year, month, day)
    span = (match.start("a") if match["a"] else match.start("a2"), match.end())
    return _mention(span, context, "absolute", 1, date) if date else None


def _on_ordinal_day(match: re.Match, context: Context) -> DateMention | None:
    day = int(match["d"])
    if not 1 <= day <= 31:
        return None
    start = match.start("d") - len("the ")
    if context.published is None:
        return _mention((start, match.end()), context, "absolute", 1, None)
    year, month = context.published.year, context.published.month
    if day > context.published.day + LOOKAHEAD_DAYS:  # still to come this month: the month before
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    date = _safe_date(year, month, day)
    return _mention((start, match.end()), context, "absolute", 1, date) if date else None


def _on_day_range(match: re.Match, context: Context) -> DateMention | None:
    separator = (match["sep"] or match["sep2"]).lower()
    if separator == "and" and (match["pre"] or "").lower() != "between":
        return None  # "on 3 and 5 October" names two days, not the days between them
    month = month_number(match["m1"] or match["m2"])
    first, last = int(match["a1"] or match["a2"]), int(match["b1"] or match["b2"])
    if not 1 <= first < last <= 31:
        return None
    if match["y"]:
        year = int(match["y"])
    elif context.published is None:
        return _mention(match, context, "range", 2, None)
    else:
        year = _place_year(month, first, context.published)
    start, end = _safe_date(year, month, first), _safe_date(year, month, last)
    if not (start and end):
        return None
    if last == first + 1 and NIGHT_BEFORE_RE.search(context.text, max(0, match.start() - 16), match.start()):
        return _mention(match, context, "range", 1, start, end)  # "the night of 8-9 October"
    return _mention(match, context, "range", span_precision(start, end), start, end)


def _weekday_on_or_before(day: dt.date, weekday: int) -> dt.date:
    """The most recent date with that weekday (0 Monday) on or before day."""
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)


def _is_weekday_name(match: re.Match, context: Context) -> bool:
    """True when the weekday is part of a name or holiday ("Bloody Sunday", "Sunday Times")."""
    before = LAST_WORD_RE.search(context.text, max(0, match.start("wd") - 24), match.start("wd"))
    after = NEXT_WORD_RE.match(context.text, match.end("wd"))
    return bool((before and before[1].lower() in WEEKDAY_NAME_BEFORE)
                or (after and after[1].lower() in WEEKDAY_NAME_AFTER))


def _on_weekday(match: re.Match, context: Context) -> DateMention | None:
    if _is_weekday_name(match, context):
        return None
    if context.published is None:
        return _mention(match, context, "weekday", 1, None)
    weekday = WEEKDAYS.index(match["wd"])
    modifier = " ".join((match["mod"] or "").lower().split())
    published = context.published
    if modifier in ("next", "coming", "this coming"):
        date = _weekday_on_or_before(published, weekday) + dt.timedelta(days=7)
    elif modifier in ("last", "past", "previous"):
        date = _weekday_on_or_before(published - dt.timedelta(days=1), weekday)
    elif modifier == "this":  # the day of the publication's Monday-to-Sunday week
        date = published + dt.timedelta(days=weekday - published.weekday())
    else:
        date = _weekday_on_or_before(published, weekday)
    return _mention(match, context, "weekday", 1, date)


def _on_night(match: re.Match, context: Context) -> DateMention | None:
    if context.published is None:
        return _mention(match, context, "weekday", 1, None)
    first, second = WEEKDAYS.index(match["wd1"]), WEEKDAYS.index(match["wd2"])
    if (second - first) % 7 != 1:
        return None
    end = _weekday_on_or_before(context.published, second)
    return _mention(match, context, "weekday", 1, end - dt.timedelta(days=1), end)


def _on_month(match: re.Match, context: Context) -> DateMention | None:
    pre = (match["pre"] or "").lower()
    part = (match["part"] or "").lower()
    name = match["m"]
    if not (pre or part or match["y"] or match["rel"]):
        return None  # "May" and "March" alone are too often a verb or a protest
    if not match["y"] and name.rstrip(".").lower() not in FULL_MONTH_NAMES:
        return None  # an abbreviation needs a day or a year
    month = month_number(name)
    published = context.published
    if match["y"]:
        year = int(match["y"])
    elif published is None:
        return _mention(_month_span(match), context, "month", 3, None)
    elif match["rel"]:
        year = published.year + {"this": 0, "last": -1, "next": 1}[match["rel"].lower()]
    elif pre == "last":
        year = published.year - 1 if month >= published.month else published.year
    elif pre == "next":
        year = published.year + 1 if month <= published.month else published.year
    else:
        year = _place_year(month, 1, published)
    first, last = 1, _month_end(year, month)
    if part:
        key = part.split()[-2] if part.endswith(" of") else part
        first, last = MONTH_PARTS[key]
        last = min(last, _month_end(year, month))
    return _mention(_month_span(match), context, "month", 3,
                    dt.date(year, month, first), dt.date(year, month, last))


def _month_span(match: re.Match) -> tuple[int, int]:
    """Start and end of a month expression: from its part ("mid-") or the month name."""
    return (match.start("part") if match["part"] else match.start("m")), match.end()


def _on_year(match: re.Match, context: Context) -> DateMention | None:
    part = (match["part"] or "").lower()
    if not (match["pre"] or part):
        return None  # a bare four-digit number is more often a count than a year
    year = int(match["y"])
    first, last = YEAR_PARTS.get(part, (1, 12))
    start = match.start("part") if part else match.start("y")
    return _mention((start, match.end()), context, "year", 3,
                    dt.date(year, first, 1), dt.date(year, last, _month_end(year, last)))


def _on_year_range(match: re.Match, context: Context) -> DateMention | None:
    if match["sep"].lower() == "and" and (match["pre"] or "").lower() != "between":
        return None
    first = int(match["y1"])
    last = int(match["y2"]) if len(match["y2"]) == 4 else first // 100 * 100 + int(match["y2"])
    if last <= first:
        return None
    return _mention(match, context, "year", 3, dt.date(first, 1, 1), dt.date(last, 12, 31))


def _on_decade(match: re.Match, context: Context) -> DateMention | None:
    decade = int(match["y"])
    first, last = DECADE_PARTS.get((match["part"] or "").lower(), (0, 9))
    return _mention(match, context, "decade", 3,
                    dt.date(decade + first, 1, 1), dt.date(decade + last, 12, 31))


def _on_relative(match: re.Match, context: Context) -> DateMention | None:
    phrase = " ".join(match["phrase"].lower().split())
    published, anchor = context.published, context.anchor
    one_day = dt.timedelta(days=1)
    if phrase.endswith(("day before", "previous day", "day prior", "day earlier")) \
            and "yesterday" not in phrase:
        return _mention(match, context, "relative", 1, anchor - one_day if anchor else None)
    if phrase.endswith(("next day", "following day", "day after", "day later")):
        return _mention(match, context, "relative", 1, anchor + one_day if anchor else None)
    if phrase.startswith("the previous"):
        # "the previous week/month/year" counts back from the event told before, like "the day before"
        published = anchor
    if published is None:
        return _mention(match, context, "relative", 3 if "month" in phrase or "year" in phrase else 1, None)
    if phrase in ("today", "earlier today", "tonight") or phrase.startswith("this ") and \
            phrase.split()[1] in ("morning", "afternoon", "evening"):
        return _mention(match, context, "relative", 1, published)
    if phrase == "yesterday":
        return _mention(match, context, "relative", 1, published - one_day)
    if phrase == "the day before yesterday":
        return _mention(match, context, "relative", 1, published - 2 * one_day)
    if phrase in ("last night", "overnight"):
        return _mention(match, context, "relative", 1, published - one_day, published)
    if phrase.endswith("weekend"):
        saturday = _weekday_on_or_before(published, 5)
        return _mention(match, context, "relative", 2, saturday, saturday + one_day)
    if phrase.endswith("days"):
        return _mention(match, context, "relative", 2,
                        published - dt.timedelta(days=RECENT_DAYS), published)
    monday = published - dt.timedelta(days=published.weekday())
    if phrase in ("last week", "the previous week"):
        return _mention(match, context, "relative", 2, monday - 7 * one_day, monday - one_day)
    if phrase.endswith(("past week", "last week")):  # "in the past week": the last seven days
        return _mention(match, context, "relative", 2, published - 6 * one_day, published)
    if phrase.endswith("this week"):
        return _mention(match, context, "relative", 2, monday, published)
    if phrase == "next week":
        return _mention(match, context, "relative", 2, monday + 7 * one_day, monday + 13 * one_day)
    year, month = published.year, published.month
    if phrase in ("last month", "the previous month"):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        return _mention(match, context, "relative", 3, dt.date(year, month, 1),
                        dt.date(year, month, _month_end(year, month)))
    if phrase.endswith(("past month", "last month")):
        return _mention(match, context, "relative", 3, published - dt.timedelta(days=30), published)
    if phrase == "earlier this month":
        return _mention(match, context, "relative", 3, published.replace(day=1), published)
    if phrase == "this month":
        return _mention(match, context, "relative", 3, published.replace(day=1),
                        published.replace(day=_month_end(year, month)))
    if phrase == "next month":
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
        return _mention(match, context, "relative", 3, dt.date(year, month, 1),
                        dt.date(year, month, _month_end(year, month)))
    if phrase in ("last year", "the previous year"):
        return _mention(match, context, "year", 3, dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31))
    if phrase == "earlier this year":
        return _mention(match, context, "year", 3, dt.date(year, 1, 1), published)
    return _mention(match, context, "year", 3, dt.date(year, 1, 1), dt.date(year, 12, 31))


def _on_counted(match: re.Match, context: Context) -> DateMention | None:
    published = context.published
    if match["span"]:
        days = _count(match["span"])
        if published is None or days is None:
            return _mention(match, context, "relative", 2, None)
        first = published - dt.timedelta(days=days)
        return _mention(match, context, "relative", span_precision(first, published), first, published)
    count = _count(match["n"])
    direction = match["dir"].lower()
    if count is None or direction in ("before", "after"):
        return None  # "two days before the vote": the reference is not a date we know
    reference = published if direction == "ago" else context.anchor
    if reference is None:
        return _mention(match, context, "relative", 1, None)
    sign = 1 if direction == "later" else -1
    unit = match["unit"].lower()
    if unit in ("day", "week"):
        days = count * (7 if unit == "week" else 1)
        vague = unit == "week" or " ".join(match["n"].lower().split()) in VAGUE_NUMBERS
        return _mention(match, context, "relative", 2 if vague else 1,
                        reference + sign * dt.timedelta(days=days))
    if unit == "month":
        index = reference.year * 12 + reference.month - 1 + sign * count
        year, month = divmod(index, 12)
        return _mention(match, context, "relative", 3, dt.date(year, month + 1, 1),
                        dt.date(year, month + 1, _month_end(year, month + 1)))
    year = reference.year + sign * count
    return _mention(match, context, "year", 3, dt.date(year, 1, 1), dt.date(year, 12, 31))


def _count(word: str) -> int | None:
    """The number a word or figure stands for."""
    word = " ".join(word.lower().split())
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


# each expression and its handler; where two overlap, find_dates keeps the longer
RULES = (
    (FULL_DATE_RE, _on_full_date),
    (DAY_RANGE_RE, _on_day_range),
    (DAY_MONTH_RE, _on_day_month),
    (NUMERIC_DATE_RE, _on_numeric_date),
    (ORDINAL_DAY_RE, _on_ordinal_day),
    (NIGHT_RE, _on_night),
    (WEEKDAY_RE, _on_weekday),
    (MONTH_RE, _on_month),
    (YEAR_RANGE_RE, _on_year_range),
    (YEAR_RE, _on_year),
    (DECADE_RE, _on_decade),
    (RELATIVE_RE, _on_relative),
    (COUNTED_RE, _on_counted),
)
