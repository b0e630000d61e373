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

from geomap.dates.find import find_dates, is_historical
from geomap.dates.grammar import (COUNTED_RE, DAY_MONTH_RE, DAY_RANGE_RE, DECADE_PARTS, DECADE_RE,
                                  HISTORICAL_DAYS, LOOKAHEAD_DAYS, MONTH_PARTS, MONTH_RE, NIGHT_RE,
                                  NUMBER_WORDS, NUMERIC_DATE_RE, ORDINAL_DAY_RE, RECENT_DAYS, RELATIVE_RE,
                                  VAGUE_NUMBERS, WEEK_DAYS, WEEKDAY_NAME_AFTER, WEEKDAY_NAME_BEFORE,
                                  WEEKDAY_RE, YEAR_PARTS, YEAR_RANGE_RE, YEAR_RE, DateMention)

__all__ = [
    "COUNTED_RE", "DAY_MONTH_RE", "DAY_RANGE_RE", "DECADE_PARTS", "DECADE_RE", "HISTORICAL_DAYS",
    "LOOKAHEAD_DAYS", "MONTH_PARTS", "MONTH_RE", "NIGHT_RE", "NUMBER_WORDS", "NUMERIC_DATE_RE",
    "ORDINAL_DAY_RE", "RECENT_DAYS", "RELATIVE_RE", "VAGUE_NUMBERS", "WEEK_DAYS", "WEEKDAY_NAME_AFTER",
    "WEEKDAY_NAME_BEFORE", "WEEKDAY_RE", "YEAR_PARTS", "YEAR_RANGE_RE", "YEAR_RE", "DateMention",
    "find_dates", "is_historical",
]
