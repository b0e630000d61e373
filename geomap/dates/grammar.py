"""The date grammar: the expressions geomap.dates reads, the words around them, DateMention."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from geomap.calendar import FULL_DATE_RE, MONTH_PATTERN, WEEKDAYS

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
SINCE_BEFORE_RE = re.compile(r"\b(?i:since|ever\s+since)\s+(?:(?i:on|the)\s+)?$")
NIGHT_BEFORE_RE = re.compile(r"\b(?i:night\s+of|overnight)\s+$")
RANGE_BEFORE_RE = re.compile(r"\b(?i:from|between)\s+(?:(?i:the)\s+)?$")
RANGE_BETWEEN_RE = re.compile(r"\s*(?:-|–|—|\b(?i:to|until|till|through|and)\b)\s*(?:(?i:on|the)\s+)?$")
# names are capitalised: "Bloody Sunday" is a name, "a good Friday for markets" is a date
LAST_WORD_RE = re.compile(r"\b([A-Z][a-z]+) $")
NEXT_WORD_RE = re.compile(r" ([A-Z][a-z]+)\b")

# A word every match of a rule contains: one cheap search skips a rule whose pattern, with its
# optional prefixes, is slow to try at every position of a text that cannot match it.
_MONTH_GATE = re.compile(MONTH_PATTERN)
GATES = {
    FULL_DATE_RE: re.compile(rf"{MONTH_PATTERN}|\d\d\d\d-\d\d-\d\d"),
    DAY_RANGE_RE: _MONTH_GATE, DAY_MONTH_RE: _MONTH_GATE, MONTH_RE: _MONTH_GATE,
    NUMERIC_DATE_RE: re.compile(r"\d[/.][01]?\d"), ORDINAL_DAY_RE: re.compile(r"\d(?:st|nd|rd|th)\b"),
    NIGHT_RE: re.compile(rf"\b(?:{_WD})\b"), WEEKDAY_RE: re.compile(rf"\b(?:{_WD})\b"),
    YEAR_RANGE_RE: re.compile(_YEAR), YEAR_RE: re.compile(_YEAR),
    DECADE_RE: re.compile(r"\d0['’]?s"),
    RELATIVE_RE: re.compile(r"(?i:day|tonight|morning|afternoon|evening|night|week|month|year)"),
    COUNTED_RE: re.compile(r"(?i:day|week|month|year)"),
}
