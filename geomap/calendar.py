"""Month and weekday names (English) and the full-date grammar: one definition for every stage.

Articles take their published date from a full date; the date resolver reads relative dates;
the toponym filters refuse calendar words as places; incident timing looks for date hints.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}


def _month_alternation(names: list[str]) -> str:
    """Regex alternation of month names, capitalised or upper case, longest first."""
    forms = {form for name in names for form in (name.capitalize(), name.upper())}
    return "|".join(sorted(forms, key=len, reverse=True))


# Capitalised or upper case only: "may" and "march" in lower case are words, not months.
# Full names come first so that "March" is never read as "Mar" + "ch".
MONTH_PATTERN = (
    rf"(?:(?:{_month_alternation(list(MONTHS)[:12])})"
    rf"|(?:{_month_alternation([name for name in list(MONTHS)[12:]])})\.?)(?![A-Za-z])"
)
DAY_SUFFIX = r"(?:st|nd|rd|th)?"
FULL_DATE_RE = re.compile(
    rf"(?<![\d-])(?P<iso_y>(?:1[89]|20)\d\d)-(?P<iso_m>[01]\d)-(?P<iso_d>[0-3]\d)(?![\d])"
    rf"|\b(?P<mdy_m>{MONTH_PATTERN})\s+(?P<mdy_d>[0-3]?\d){DAY_SUFFIX},?\s+(?P<mdy_y>(?:1[89]|20)\d\d)\b"
    rf"|(?<![\d,.])(?P<dmy_d>[0-3]?\d){DAY_SUFFIX}\s+(?:of\s+)?(?P<dmy_m>{MONTH_PATTERN}),?\s+"
    rf"(?P<dmy_y>(?:1[89]|20)\d\d)\b"
)

# month names that may stand without a day number ("in July"); other abbreviations may not
FULL_MONTH_NAMES = set(list(MONTHS)[:12]) | {"sept"}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY_ABBREVIATIONS = ("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun")
HOLIDAYS = ("christmas", "easter", "halloween", "thanksgiving", "hanukkah", "ramadan", "eid",
            "passover")
# every calendar word, lower case: months, weekdays, their abbreviations, holidays
CALENDAR_WORDS = frozenset([*MONTHS, *(d.lower() for d in WEEKDAYS), *WEEKDAY_ABBREVIATIONS,
                            *HOLIDAYS])
# the first three letters of each month, capitalised or upper case: a cheap hint that a date may follow
MONTH_PREFIX_PATTERN = "|".join([m[:3].capitalize() for m in list(MONTHS)[:12]]
                                + [m[:3].upper() for m in list(MONTHS)[:12]])


def month_number(name: str) -> int:
    """Return the month number (1-12) of an English month name or abbreviation."""
    return MONTHS[name.rstrip(".").lower()]


def date_from_full_match(match: re.Match) -> dt.date | None:
    """Return the date a FULL_DATE_RE match spells, or None if no such day exists."""
    groups = match.groupdict()
    try:
        if groups["iso_y"]:
            return dt.date(int(groups["iso_y"]), int(groups["iso_m"]), int(groups["iso_d"]))
        if groups["mdy_y"]:
            return dt.date(int(groups["mdy_y"]), month_number(groups["mdy_m"]), int(groups["mdy_d"]))
        return dt.date(int(groups["dmy_y"]), month_number(groups["dmy_m"]), int(groups["dmy_d"]))
    except ValueError:
        return None


def find_full_dates(text: str) -> Iterator[tuple[int, int, dt.date]]:
    """Yield (start, end, date) for every full date (day, month and year) in the text."""
    for match in FULL_DATE_RE.finditer(text):
        day = date_from_full_match(match)
        if day is not None:
            yield match.start(), match.end(), day


def published_from_text(text: str) -> dt.date | None:
    """Return the first full date written in the text, or None."""
    return next((day for _, _, day in find_full_dates(text)), None)
