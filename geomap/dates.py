"""Finding date expressions in text and resolving them against an article's published date.

Precision follows ACLED's time_precision (ACLED Codebook 2023): 1 the day is known, 2 a span of
at most a week, 3 a month or vaguer. Choices made here, so callers can rely on them:

- A weekday means the most recent such day on or before the published date ("Thursday" in a
  Thursday article is that day); "next"/"this coming" look forward, "last" looks strictly back.
- A night ("the night of Wednesday to Thursday", "the night of 8-9 October", "last night") is a
  two-day span at precision 1: one event that straddles midnight, not a vague date.
- A span of days ("3-5 October", "since Sunday", "in recent days") is precision 2 when it
  covers at most seven days and 3 beyond; month, year and decade expressions are always 3.
- A day or month written without a year is placed in the published year, or in the previous
  year when it would otherwise start in a later month (more than LOOKAHEAD_DAYS ahead); it is
  placed in the next year when that puts it within LOOKAHEAD_DAYS after publication.
- "The day before", "the previous week/month/year", "N days later" count from the anchor (the
  caller's date of the event told before; the published date by default), "N days ago" and
  "last week" from the published date.
- Without a published date, relative expressions come back unresolved (date None) rather
  than guessed; expressions that carry their year still resolve.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace

from geomap.calendar import (FULL_DATE_RE, FULL_MONTH_NAMES, MONTH_PATTERN, WEEKDAYS,
                             date_from_full_match, month_number)

# A mention whose last day is more than this many days before publication is background.
HISTORICAL_DAYS = 60
# "in recent days", "these last days": the published day and this many days before it
RECENT_DAYS = 3
# A year-less date up to this many days after publication is read as upcoming, not last year.
LOOKAHEAD_DAYS = 7
# A span of days up to this long is ACLED precision 2 ("within a week"), longer is 3.
WEEK_DAYS = 7

# Words that make a weekday part of a name or a holiday: "Bloody Sunday", "Sunday Times".
WEEKDAY_NAME_BEFORE = {"bloody", "good", "black", "ash", "palm", "easter", "holy", "maundy",
                       "super", "cyber", "man", "girl", "whit", "shrove", "giving", "small",
                       "manic", "blue", "cheap"}
WEEKDAY_NAME_AFTER = {"times", "telegraph", "express", "mirror", "post", "herald", "school",
                      "tribune", "mail", "sport", "star", "independent", "observer", "magazine"}
# "a few days ago" is vaguer than "three days ago"
VAGUE_NUMBERS = {"a few", "few", "several", "a couple of"}
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a couple of": 2,
                "a few": RECENT_DAYS, "few": RECENT_DAYS, "several": RECENT_DAYS}
# parts of a month (days) and of a year or decade (years or months from the start)
MONTH_PARTS = {"early": (1, 10), "beginning": (1, 10), "start": (1, 10), "mid": (11, 20),
               "middle": (11, 20), "late": (21, 31), "end": (21, 31)}
YEAR_PARTS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
DECADE_PARTS = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}


@dataclass(frozen=True)
class DateMention:
    """A date expression in a text, and the day or span it means."""

    start: int
    end: int
    text: str
    date: dt.date | None
    end_date: dt.date | None
    precision: int
    kind: str  # absolute, weekday, relative, since, range, month, year, decade
    resolved: bool = True


_WD = "|".join(WEEKDAYS)
_YEAR = r"(?:1[89]|20)\d\d"
_DAY = r"(?P<{}>[0-3]?\d)(?:st|nd|rd|th)?"
_NUMBER = r"(?P<n>\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
_RANGE_SEP = r"\s*(?P<sep>-|–|—|\b(?i:to|until|till|through|and)\b)\s*"

WEEKDAY_RE = re.compile(
    rf"(?:\b(?P<mod>(?i:this\s+coming|next|last|past|previous|coming|this))\s+)?"
    rf"\b(?P<wd>{_WD})\b"
)
NIGHT_RE = re.compile(
    rf"\b(?i:(?:the\s+)?night|overnight)\s+(?i:of\s+|from\s+)?(?P<wd1>{_WD})\s+"
    rf"(?i:to|into|and|-|–)\s+(?i:the\s+)?(?P<wd2>{_WD})\b"
)
DAY_MONTH_RE = re.compile(
    rf"\b(?P<m1>{MONTH_PATTERN})\s+{_DAY.format('d1')}\b"
    rf"|(?<![\d,.])(?:(?i:the)\s+)?{_DAY.format('d2')}\s+(?i:of\s+)?(?P<m2>{MONTH_PATTERN})"
)
DAY_RANGE_RE = re.compile(
    rf"(?:\b(?P<pre>(?i:between|from))\s+)?"
    rf"(?:(?<![\d,.]){_DAY.format('a1')}{_RANGE_SEP}{_DAY.format('b1')}\s+(?i:of\s+)?(?P<m1>{MONTH_PATTERN})"
    rf"|\b(?P<m2>{MONTH_PATTERN})\s+{_DAY.format('a2')}{_RANGE_SEP.replace('sep', 'sep2')}"
    rf"{_DAY.format('b2')}\b)"
    rf"(?:,?\s+(?P<y>{_YEAR})\b)?"
)
MONTH_RE = re.compile(
    rf"(?:\b(?P<pre>(?i:in|since|during|throughout|until|till|by|from|to|before|after|last|next"
    rf"|through))\s+)?"
    rf"(?:\b(?P<part>(?i:early|mid|middle|late|(?:the\s+)?(?:beginning|start|middle|end)\s+of))"
    rf"(?:\s*-\s*|\s+))?"
    rf"\b(?P<m>{MONTH_PATTERN})"
    rf"(?:,?\s+(?i:of\s+)?(?P<y>{_YEAR})\b|\s+(?P<rel>(?i:this|last|next))\s+(?i:year)\b)?"
)
YEAR_RE = re.compile(
    rf"(?:\b(?P<pre>(?i:in|since|during|throughout|until|till|by|from|of|before|after|around"
    rf"|through|circa|the\s+year|year|summer|winter|spring|autumn|fall))\s+)?"
    rf"(?:\b(?P<part>(?i:early|mid|late))(?:\s*-\s*|\s+))?"
    rf"(?<![\d,.])(?P<y>{_YEAR})\b(?![,.]?\d|['’]?s\b)"
)
YEAR_RANGE_RE = re.compile(
    rf"(?:\b(?P<pre>(?i:between|from))\s+)?(?<![\d,.])(?P<y1>{_YEAR}){_RANGE_SEP}"
    rf"(?P<y2>{_YEAR}|\d\d)\b(?![-,.]?\d)"
)
DECADE_RE = re.compile(
    r"(?:\b(?i:the)\s+)?(?:\b(?P<part>(?i:early|mid|late))(?:\s*-\s*|\s+))?"
    r"(?<![\d,.])(?P<y>(?:1[5-9]|20)\d0)['’]?s\b"
)
RELATIVE_RE = re.compile(
    r"(?i:\b(?P<phrase>the\s+day\s+before\s+yesterday|today|earlier\s+today|tonight"
    r"|this\s+(?:morning|afternoon|evening)|yesterday|last\s+night|overnight"
    r"|(?:the|that)\s+(?:day\s+before|previous\s+day|day\s+prior)|a\s+day\s+(?:earlier|before)"
    r"|(?:the|that)\s+(?:next|following)\s+day|the\s+day\s+after|a\s+day\s+later"
    r"|last\s+week|the\s+previous\s+week|(?:earlier\s+)?this\s+week|next\s+week"
    r"|(?:(?:in|over|during)\s+)?the\s+(?:past|last)\s+week"
    r"|last\s+month|the\s+previous\s+month|earlier\s+this\s+month|this\s+month|next\s+month"
    r"|(?:(?:in|over|during)\s+)?the\s+(?:past|last)\s+month"
    r"|last\s+year|the\s+previous\s+year|earlier\s+this\s+year|this\s+year"
    r"|(?:(?:over|during|at)\s+)?(?:the|this|last)\s+weekend"
    r"|(?:(?:in|over|during)\s+)?(?:recent\s+days|(?:the|these)\s+(?:last|past)\s+"
    r"(?:(?:few|several|couple\s+of)\s+)?days))\b)"
)
COUNTED_RE = re.compile(
    rf"(?i:(?:\b(?:in|over|during)\s+the\s+(?:past|last)\s+{_NUMBER.replace('?P<n>', '?P<span>')}"
    rf"\s+days\b)"
    rf"|\b{_NUMBER}\s+(?P<unit>day|week|month|year)s?\s+(?P<dir>ago|earlier|later|before|after)\b)"
)

# "on 20/06", "20/06/2023", "20.06.2023": day first, as most of the world writes it (month first
# only when the first number cannot be a month); two numbers alone need a preposition before them
NUMERIC_DATE_RE = re.compile(
    rf"(?<![\d/.,])(?P<a>[0-3]?\d)(?P<s>[/.])(?P<b>[01]?\d)(?P=s)(?P<y>{_YEAR}|\d\d)(?![\d/.]\d)"
    rf"|\b(?i:on|since|from|dated|until|till|by)\s+(?P<a2>[0-3]?\d)/(?P<b2>[0-3]?\d)(?![\d/])"
)
# "on the 19th": a day of the published month (of the month before when that is still to come)
ORDINAL_DAY_RE = re.compile(
    r"\b(?i:on|since|from|by|until)\s+the\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)\b"
    r"(?!\s+(?:(?i:of)\s+)?(?:[A-Z][a-z]+|(?i:century|anniversary|floor|time|round|day|minute|hour)))"
)
_SINCE_BEFORE = re.compile(r"\b(?i:since|ever\s+since)\s+(?:(?i:on|the)\s+)?$")
_NIGHT_BEFORE = re.compile(r"\b(?i:night\s+of|overnight)\s+$")
_RANGE_BEFORE = re.compile(r"\b(?i:from|between)\s+(?:(?i:the)\s+)?$")
_RANGE_BETWEEN = re.compile(r"\s*(?:-|–|—|\b(?i:to|until|till|through|and)\b)\s*(?:(?i:on|the)\s+)?$")
# names are capitalised: "Bloody Sunday" is a name, "a good Friday for markets" is a date
_LAST_WORD = re.compile(r"\b([A-Z][a-z]+) $")
_NEXT_WORD = re.compile(r" ([A-Z][a-z]+)\b")


def find_dates(text: str, published: dt.date | None, *,
               anchor: dt.date | None = None) -> list[DateMention]:
    """Return the date expressions in text, in order, resolved against published (and anchor)."""
    context = _Context(text, published, anchor or published)
    candidates = [mention for pattern, handler in _RULES if _GATES[pattern].search(text)
                  for match in pattern.finditer(text)
                  if (mention := handler(match, context)) is not None]
    chosen: list[DateMention] = []
    # the longest expression wins where several overlap: "October 1, 2020" over "October 1"
    taken = bytearray(len(text) if candidates else 0)  # characters chosen (linear, not pairwise)
    for mention in sorted(candidates, key=lambda m: (m.start - m.end, m.start)):
        if taken.find(1, mention.start, mention.end) == -1:
            chosen.append(mention)
            taken[mention.start:mention.end] = b"\x01" * (mention.end - mention.start)
    chosen.sort(key=lambda m: m.start)
    return _apply_since(_merge_ranges(_merge_weekday_dates(chosen, text), text), context)


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


@dataclass(frozen=True)
class _Context:
    text: str
    published: dt.date | None
    anchor: dt.date | None


def _mention(match: re.Match | tuple[int, int], context: _Context, kind: str, precision: int,
             date: dt.date | None, end_date: dt.date | None = None) -> DateMention:
    """A mention over a match (or a start, end pair); no date means it could not be resolved."""
    start, end = (match.start(), match.end()) if isinstance(match, re.Match) else match
    if end_date == date:
        end_date = None
    return DateMention(start, end, context.text[start:end], date, end_date if date else None,
                       precision, kind, date is not None)


def _span_precision(first: dt.date, last: dt.date) -> int:
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


def _on_full_date(match: re.Match, context: _Context) -> DateMention | None:
    day = date_from_full_match(match)
    return _mention(match, context, "absolute", 1, day) if day else None


def _on_day_month(match: re.Match, context: _Context) -> DateMention | None:
    month = month_number(match["m1"] or match["m2"])
    day = int(match["d1"] or match["d2"])
    if not 1 <= day <= 31:
        return None
    if context.published is None:
        return _mention(match, context, "absolute", 1, None)
    date = _safe_date(_place_year(month, day, context.published), month, day)
    return _mention(match, context, "absolute", 1, date) if date else None


def _on_numeric_date(match: re.Match, context: _Context) -> DateMention | None:
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


def _on_ordinal_day(match: re.Match, context: _Context) -> DateMention | None:
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


def _on_day_range(match: re.Match, context: _Context) -> DateMention | None:
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
    if last == first + 1 and _NIGHT_BEFORE.search(context.text, max(0, match.start() - 16), match.start()):
        return _mention(match, context, "range", 1, start, end)  # "the night of 8-9 October"
    return _mention(match, context, "range", _span_precision(start, end), start, end)


def _weekday_on_or_before(day: dt.date, weekday: int) -> dt.date:
    """The most recent date with that weekday (0 Monday) on or before day."""
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)


def _is_weekday_name(match: re.Match, context: _Context) -> bool:
    """True when the weekday is part of a name or holiday ("Bloody Sunday", "Sunday Times")."""
    before = _LAST_WORD.search(context.text, max(0, match.start("wd") - 24), match.start("wd"))
    after = _NEXT_WORD.match(context.text, match.end("wd"))
    return bool((before and before[1].lower() in WEEKDAY_NAME_BEFORE)
                or (after and after[1].lower() in WEEKDAY_NAME_AFTER))


def _on_weekday(match: re.Match, context: _Context) -> DateMention | None:
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


def _on_night(match: re.Match, context: _Context) -> DateMention | None:
    if context.published is None:
        return _mention(match, context, "weekday", 1, None)
    first, second = WEEKDAYS.index(match["wd1"]), WEEKDAYS.index(match["wd2"])
    if (second - first) % 7 != 1:
        return None
    end = _weekday_on_or_before(context.published, second)
    return _mention(match, context, "weekday", 1, end - dt.timedelta(days=1), end)


def _on_month(match: re.Match, context: _Context) -> DateMention | None:
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


def _on_year(match: re.Match, context: _Context) -> DateMention | None:
    part = (match["part"] or "").lower()
    if not (match["pre"] or part):
        return None  # a bare four-digit number is more often a count than a year
    year = int(match["y"])
    first, last = YEAR_PARTS.get(part, (1, 12))
    start = match.start("part") if part else match.start("y")
    return _mention((start, match.end()), context, "year", 3,
                    dt.date(year, first, 1), dt.date(year, last, _month_end(year, last)))


def _on_year_range(match: re.Match, context: _Context) -> DateMention | None:
    if match["sep"].lower() == "and" and (match["pre"] or "").lower() != "between":
        return None
    first = int(match["y1"])
    last = int(match["y2"]) if len(match["y2"]) == 4 else first // 100 * 100 + int(match["y2"])
    if last <= first:
        return None
    return _mention(match, context, "year", 3, dt.date(first, 1, 1), dt.date(last, 12, 31))


def _on_decade(match: re.Match, context: _Context) -> DateMention | None:
    decade = int(match["y"])
    first, last = DECADE_PARTS.get((match["part"] or "").lower(), (0, 9))
    return _mention(match, context, "decade", 3,
                    dt.date(decade + first, 1, 1), dt.date(decade + last, 12, 31))


def _on_relative(match: re.Match, context: _Context) -> DateMention | None:
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


def _on_counted(match: re.Match, context: _Context) -> DateMention | None:
    published = context.published
    if match["span"]:
        days = _count(match["span"])
        if published is None or days is None:
            return _mention(match, context, "relative", 2, None)
        first = published - dt.timedelta(days=days)
        return _mention(match, context, "relative", _span_precision(first, published), first, published)
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
            before = _RANGE_BEFORE.search(text, max(0, previous.start - 16), previous.start)
            between = _RANGE_BETWEEN.fullmatch(text, previous.end, mention.start)
            if before and between and (before[0].lower().startswith("between")
                                        or "and" not in between[0].lower()):
                start = before.start()
                first = previous.date
                last = mention.end_date or mention.date
                resolved = first is not None and last is not None and last >= first
                precision = max(previous.precision, mention.precision,
                                _span_precision(first, last) if resolved else 2)
                merged[-1] = DateMention(start, mention.end, text[start:mention.end],
                                         first if resolved else None, last if resolved else None,
                                         precision, "range", resolved)
                continue
        merged.append(mention)
    return merged


def _apply_since(mentions: list[DateMention], context: _Context) -> list[DateMention]:
    """Turn "since X" into a span from X up to publication."""
    result = []
    for mention in mentions:
        since = _SINCE_BEFORE.search(context.text, max(0, mention.start - 20), mention.start)
        if not since or mention.kind == "range":
            result.append(mention)
            continue
        start = since.start()
        end_date = context.published if mention.date and context.published \
            and context.published >= mention.date else None
        precision = mention.precision
        if mention.date and end_date:
            precision = max(precision, _span_precision(mention.date, end_date))
        result.append(DateMention(start, mention.end, context.text[start:mention.end],
                                  mention.date, end_date, max(2, precision), "since",
                                  mention.resolved))
    return result


_RULES = (
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
# A word every match of a rule contains: one cheap search skips a rule whose pattern, with its
# optional prefixes, is slow to try at every position of a text that cannot match it.
_MONTH_GATE = re.compile(MONTH_PATTERN)
_GATES = {
    FULL_DATE_RE: re.compile(rf"{MONTH_PATTERN}|\d\d\d\d-\d\d-\d\d"),
    DAY_RANGE_RE: _MONTH_GATE, DAY_MONTH_RE: _MONTH_GATE, MONTH_RE: _MONTH_GATE,
    NUMERIC_DATE_RE: re.compile(r"\d[/.][01]?\d"), ORDINAL_DAY_RE: re.compile(r"\d(?:st|nd|rd|th)\b"),
    NIGHT_RE: re.compile(rf"\b(?:{_WD})\b"), WEEKDAY_RE: re.compile(rf"\b(?:{_WD})\b"),
    YEAR_RANGE_RE: re.compile(_YEAR), YEAR_RE: re.compile(_YEAR),
    DECADE_RE: re.compile(r"\d0['’]?s"),
    RELATIVE_RE: re.compile(r"(?i:day|tonight|morning|afternoon|evening|night|week|month|year)"),
    COUNTED_RE: re.compile(r"(?i:day|week|month|year)"),
}
