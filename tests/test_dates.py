"""Date expressions resolved against the published date: sentence in, dates out."""

import datetime as dt
from pathlib import Path

import pytest

from geomap.articles import read_articles
from geomap.dates import HISTORICAL_DAYS, DateMention, find_dates, is_historical

D = dt.date
THU = D(2020, 10, 1)  # the first seed article: Thursday 1 October 2020
MON = D(2020, 10, 5)  # the second seed article: Monday 5 October 2020
SUN = D(2020, 10, 4)
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def only_mention(sentence: str, published: dt.date | None, **options) -> DateMention:
    """The single date mention of a sentence."""
    mentions = find_dates(sentence, published, **options)
    assert len(mentions) == 1, mentions
    return mentions[0]


# (sentence, published, date, end_date, precision)
CASES = [
    # weekdays: the most recent such day on or before publication
    ("The statement was released on Thursday.", THU, D(2020, 10, 1), None, 1),
    ("Arriving Thursday in Brussels, he spoke.", THU, D(2020, 10, 1), None, 1),
    ("Fighting resumed Sunday.", THU, D(2020, 9, 27), None, 1),
    ("They condemned Monday's attacks.", THU, D(2020, 9, 28), None, 1),
    ("They condemned Monday’s attacks.", MON, D(2020, 10, 5), None, 1),
    ("Talks will open next Sunday.", THU, D(2020, 10, 4), None, 1),
    ("Talks will open this coming Sunday.", THU, D(2020, 10, 4), None, 1),
    ("He had spoken last Thursday.", THU, D(2020, 9, 24), None, 1),
    ("On the night of Wednesday to Thursday, shells fell.", THU, D(2020, 9, 30), D(2020, 10, 1), 1),
    ("Shelling overnight Sunday into Monday hit Ganja.", MON, D(2020, 10, 4), D(2020, 10, 5), 1),
    ("She fell ill on the night of October 8-9.", D(2020, 10, 12), D(2020, 10, 8), D(2020, 10, 9), 1),
    # since: a span up to publication
    ("Five were killed since Sunday.", THU, D(2020, 9, 27), D(2020, 10, 1), 2),
    ("Five were killed since Sunday.", MON, D(2020, 10, 4), D(2020, 10, 5), 2),
    ("Killed since September 27.", THU, D(2020, 9, 27), D(2020, 10, 1), 2),
    ("Killed since September 27.", MON, D(2020, 9, 27), D(2020, 10, 5), 3),
    ("It has mediated since 1992.", MON, D(1992, 1, 1), D(2020, 10, 5), 3),
    # calendar days
    ("The war resumed on September 27.", THU, D(2020, 9, 27), None, 1),
    ("The war resumed September 27.", THU, D(2020, 9, 27), None, 1),
    ("The war resumed 27 September.", THU, D(2020, 9, 27), None, 1),
    ("Rocket fire, October 1, 2020.", THU, D(2020, 10, 1), None, 1),
    ("Filed 1 October 2020.", THU, D(2020, 10, 1), None, 1),
    ("Filed 2020-10-01.", THU, D(2020, 10, 1), None, 1),
    ("Talks were held on Jan. 3.", D(2021, 1, 10), D(2021, 1, 3), None, 1),
    ("The offensive began Sept. 27.", THU, D(2020, 9, 27), None, 1),
    ("It happened on the 5th of October.", D(2020, 10, 10), D(2020, 10, 5), None, 1),
    ("Elections are due on October 25.", THU, D(2020, 10, 25), None, 1),
    ("Sunday, September 27 was the first day.", THU, D(2020, 9, 27), None, 1),
    # year boundaries
    ("Shelling on December 30 killed two.", D(2021, 1, 2), D(2020, 12, 30), None, 1),
    ("Talks are set for January 3.", D(2020, 12, 30), D(2021, 1, 3), None, 1),
    ("The vote is in January.", D(2020, 12, 28), D(2021, 1, 1), D(2021, 1, 31), 3),
    ("The attack in November was condemned.", THU, D(2019, 11, 1), D(2019, 11, 30), 3),
    # ranges of days
    ("Clashes on 3-5 October killed ten.", D(2020, 10, 10), D(2020, 10, 3), D(2020, 10, 5), 2),
    ("Clashes between 3 and 5 October.", D(2020, 10, 10), D(2020, 10, 3), D(2020, 10, 5), 2),
    ("Clashes from October 3 to 5.", D(2020, 10, 10), D(2020, 10, 3), D(2020, 10, 5), 2),
    ("Shelling from Sunday to Tuesday.", THU, D(2020, 9, 27), D(2020, 9, 29), 2),
    ("Between September 27 and October 1, 2020 over 100 died.", MON, D(2020, 9, 27), D(2020, 10, 1), 2),
    ("From 1 to 20 October roads were shut.", D(2020, 10, 25), D(2020, 10, 1), D(2020, 10, 20), 3),
    # relative to the published date
    ("Yesterday the city was hit.", THU, D(2020, 9, 30), None, 1),
    ("The city was hit today.", THU, D(2020, 10, 1), None, 1),
    ("More strikes are expected tonight.", THU, D(2020, 10, 1), None, 1),
    ("Sirens sounded last night.", THU, D(2020, 9, 30), D(2020, 10, 1), 1),
    ("The day before, in Riga, he spoke.", THU, D(2020, 9, 30), None, 1),
    ("The day before yesterday it was calm.", THU, D(2020, 9, 29), None, 1),
    ("Two days ago a drone fell.", THU, D(2020, 9, 29), None, 1),
    ("A few days ago a drone fell.", THU, D(2020, 9, 28), None, 2),
    ("Talks stalled last week.", THU, D(2020, 9, 21), D(2020, 9, 27), 2),
    ("In the past week 40 died.", THU, D(2020, 9, 25), D(2020, 10, 1), 2),
    ("Earlier this week Baku warned.", THU, D(2020, 9, 28), D(2020, 10, 1), 2),
    ("Clashes over the weekend.", MON, D(2020, 10, 3), D(2020, 10, 4), 2),
    ("Attacks in recent days.", THU, D(2020, 9, 28), D(2020, 10, 1), 2),
    ("He spoke these last days.", THU, D(2020, 9, 28), D(2020, 10, 1), 2),
    ("In the past 10 days 40 died.", THU, D(2020, 9, 21), D(2020, 10, 1), 3),
    ("Talks failed last month.", THU, D(2020, 9, 1), D(2020, 9, 30), 3),
    ("Talks failed last month.", D(2021, 1, 15), D(2020, 12, 1), D(2020, 12, 31), 3),
    ("Earlier this month talks failed.", D(2020, 10, 20), D(2020, 10, 1), D(2020, 10, 20), 3),
    ("Trade fell last year.", THU, D(2019, 1, 1), D(2019, 12, 31), 3),
    # months, years, decades
    ("In July this year, 20 died.", MON, D(2020, 7, 1), D(2020, 7, 31), 3),
    ("Fighting in July left 20 dead.", MON, D(2020, 7, 1), D(2020, 7, 31), 3),
    ("Fighting in July last year.", MON, D(2019, 7, 1), D(2019, 7, 31), 3),
    ("The fighting of April 2016 left 110 dead.", MON, D(2016, 4, 1), D(2016, 4, 30), 3),
    ("The first case was in December of 2003.", MON, D(2003, 12, 1), D(2003, 12, 31), 3),
    ("Troops arrived in mid-October.", D(2020, 10, 25), D(2020, 10, 11), D(2020, 10, 20), 3),
    ("Troops arrived in late September.", THU, D(2020, 9, 21), D(2020, 9, 30), 3),
    ("By the end of February the town fell.", THU, D(2020, 2, 21), D(2020, 2, 29), 3),
    ("Protests since May have grown.", THU, D(2020, 5, 1), D(2020, 10, 1), 3),
    ("A ceasefire was signed in 1994.", MON, D(1994, 1, 1), D(1994, 12, 31), 3),
    ("It was integrated in 1921.", MON, D(1921, 1, 1), D(1921, 12, 31), 3),
    ("Elections in early 2019 were calm.", THU, D(2019, 1, 1), D(2019, 4, 30), 3),
    ("The war lasted from 1992 to 1994.", THU, D(1992, 1, 1), D(1994, 12, 31), 3),
    ("A war in the early 1990s left 30,000 dead.", THU, D(1990, 1, 1), D(1993, 12, 31), 3),
    ("A war in the 1990s left 30,000 dead.", THU, D(1990, 1, 1), D(1999, 12, 31), 3),
    ("Refugees since the mid-1990s.", THU, D(1994, 1, 1), THU, 3),
    # numeric dates (day first unless the first number cannot be a month) and ordinal days
    ("Gunmen attacked the village on 20/09.", THU, D(2020, 9, 20), None, 1),
    ("Gunmen attacked the village on 09/25.", THU, D(2020, 9, 25), None, 1),
    ("The raid of 28.09.2020 killed two.", THU, D(2020, 9, 28), None, 1),
    ("On the 19th, troops clashed.", THU, D(2020, 9, 19), None, 1),
    ("On the 1st, troops clashed.", THU, D(2020, 10, 1), None, 1),
]


@pytest.mark.parametrize("sentence, published, date, end_date, precision", CASES)
def test_find_dates(sentence, published, date, end_date, precision):
    mention = only_mention(sentence, published)
    assert (mention.date, mention.end_date, mention.precision) == (date, end_date, precision)
    assert mention.resolved
    assert sentence[mention.start:mention.end] == mention.text


@pytest.mark.parametrize("sentence, published, texts", [
    ("Protesters march on the capital.", THU, []),
    ("A March for peace gathered on Sunday.", THU, ["Sunday"]),
    ("May God protect them, she said.", THU, []),
    ("The ceasefire of May 12, 1994 held.", THU, ["May 12, 1994"]),
    ("Bloody Sunday is remembered.", THU, []),
    ("The Sunday Times reported it on Monday.", THU, ["Monday"]),
    ("Mondays are quiet; Sundayland is a name.", THU, []),
    ("A good Friday for markets.", D(2020, 10, 2), ["Friday"]),
    ("They killed between 2,000 and 3,000 soldiers.", THU, []),
    ("Some 1994 people fled.", THU, []),
    ("It was in 1994 and 1995 that he left.", THU, ["1994"]),
    ("Armed skirmishes since the war in 1994.", THU, ["1994"]),
    ("On 3 and 5 October shells fell.", D(2020, 10, 10), ["5 October"]),
])
def test_what_is_and_is_not_a_date(sentence, published, texts):
    assert [m.text for m in find_dates(sentence, published)] == texts


@pytest.mark.parametrize("sentence, kind", [
    ("on Thursday", "weekday"),
    ("the night of Wednesday to Thursday", "weekday"),
    ("on September 27", "absolute"),
    ("since Sunday", "since"),
    ("since 1992", "since"),
    ("yesterday", "relative"),
    ("in recent days", "relative"),
    ("3-5 October", "range"),
    ("in July", "month"),
    ("in 1994", "year"),
    ("the 1990s", "decade"),
])
def test_kinds(sentence, kind):
    assert only_mention(sentence, THU).kind == kind


@pytest.mark.parametrize("sentence, date, end_date, resolved", [
    ("Fighting resumed Sunday.", None, None, False),
    ("Yesterday the city was hit.", None, None, False),
    ("Killed since Sunday.", None, None, False),
    ("On September 27 the war resumed.", None, None, False),
    ("In July, 20 died.", None, None, False),
    ("Talks failed last month.", None, None, False),
    ("Rocket fire, October 1, 2020.", D(2020, 10, 1), None, True),
    ("A ceasefire was signed in 1994.", D(1994, 1, 1), D(1994, 12, 31), True),
    ("The fighting of April 2016.", D(2016, 4, 1), D(2016, 4, 30), True),
    ("It has mediated since 1992.", D(1992, 1, 1), None, True),
])
def test_without_published_date_nothing_is_guessed(sentence, date, end_date, resolved):
    mention = only_mention(sentence, None)
    assert (mention.date, mention.end_date, mention.resolved) == (date, end_date, resolved)


@pytest.mark.parametrize("sentence, published, anchor, date", [
    ("The day before, in Riga, he spoke.", THU, D(2020, 9, 29), D(2020, 9, 28)),
    ("The previous day he was in Riga.", None, D(2020, 9, 29), D(2020, 9, 28)),
    ("The next day he flew home.", THU, D(2020, 9, 29), D(2020, 9, 30)),
    ("Three days later talks began.", THU, D(2020, 9, 20), D(2020, 9, 23)),
    ("Cases were up from the previous year.", THU, D(2004, 6, 1), D(2003, 1, 1)),
    ("Two days ago a drone fell.", THU, D(2020, 9, 20), D(2020, 9, 29)),  # "ago" is from publication
])
def test_anchor_resolves_expressions_relative_to_the_previous_event(sentence, published, anchor, date):
    assert only_mention(sentence, published, anchor=anchor).date == date


def test_offsets_point_into_the_text():
    text = "Large-scale fighting resumed Sunday and continued on Thursday."
    mentions = find_dates(text, THU)
    assert [(m.start, m.end, m.text, m.date) for m in mentions] == [
        (29, 35, "Sunday", D(2020, 9, 27)),
        (53, 61, "Thursday", D(2020, 10, 1)),
    ]


@pytest.mark.parametrize("sentence, published, historical", [
    ("A ceasefire was signed in 1994.", MON, True),
    ("A war in the early 1990s.", THU, True),
    ("It has mediated since 1992.", MON, True),
    ("In July this year, 20 died.", MON, True),
    ("Fighting in August.", THU, False),
    ("Talks failed last month.", THU, False),
    ("Killed since September 27.", MON, False),
    ("Five were killed since Sunday.", THU, False),
    ("Yesterday the city was hit.", THU, False),
    ("Trade fell last year.", D(2021, 1, 10), True),
    ("Clashes in 2020 were fierce.", D(2021, 1, 10), True),
    ("Clashes in 2020 were fierce.", THU, False),
    ("Fighting resumed Sunday.", None, False),
])
def test_is_historical(sentence, published, historical):
    assert is_historical(only_mention(sentence, published), published) is historical


@pytest.mark.parametrize("days_before, historical", [(HISTORICAL_DAYS, False), (HISTORICAL_DAYS + 1, True)])
def test_historical_threshold(days_before, historical):
    day = THU - dt.timedelta(days=days_before)
    mention = only_mention(f"It happened on {day:%B} {day.day}, {day.year}.", THU)
    assert is_historical(mention, THU) is historical


def test_seed_articles():
    found = {a.id: [(m.text, m.date, m.end_date) for m in find_dates(a.text, a.published)]
             for a in read_articles(SEEDS)}
    assert found["000_35d328bcbf14c099.txt"][-6:] == [
        ("the early 1990s", D(1990, 1, 1), D(1993, 12, 31)),
        ("Sunday", D(2020, 9, 27), None),
        ("Thursday", D(2020, 10, 1), None),
        ("the night of Wednesday to Thursday", D(2020, 9, 30), D(2020, 10, 1)),
        ("The day before", D(2020, 9, 30), None),
        ("since 1988", D(1988, 1, 1), D(2020, 10, 1)),
    ]
    assert ("since Sunday", D(2020, 10, 4), D(2020, 10, 5)) in found["002_0160a945d90cc96f.txt"]
    assert ("Monday", D(2020, 10, 5), None) in found["002_0160a945d90cc96f.txt"]



@pytest.mark.parametrize("sentence, published", [
    ("It happened the day before.", D(1, 1, 1)),
    ("It happened on Sunday.", D(1, 1, 1)),
    ("It happened last year.", D(1, 1, 1)),
    ("It will happen next month.", D(9999, 12, 31)),
    ("It will happen next week.", D(9999, 12, 31)),
])
def test_a_day_outside_the_calendar_is_no_date(sentence, published):
    # near the year 1 or 9999 a relative date can fall outside the calendar: no date, no error
    assert find_dates(sentence, published) == []
    # the positive control: the same words a year inside the calendar resolve
    assert len(find_dates(sentence, D(2020, 10, 5))) == 1


def test_a_full_date_beside_one_outside_the_calendar_is_kept():
    mentions = find_dates("On 3 October 2020, a day after the day before.", D(1, 1, 1))
    assert [(m.text, m.date) for m in mentions] == [("3 October 2020", D(2020, 10, 3))]
