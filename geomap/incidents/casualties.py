"""Fatality counts in a sentence: qualifiers, ranges, per-side counts and vague numbers.

Vague numbers follow ACLED's fatality coding (ACLED Codebook 2023, "Fatalities"): a report
of "several" or "many" deaths is coded 10, "dozens" 12, "hundreds" 100; a range is coded
with its lower figure. geomap keeps what was written (the parts and the range) beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from geomap.scan import LiteralStarts, fold, search_at

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a dozen": 12, "a hundred": 100, "a thousand": 1000,
}
# ACLED Codebook 2023, "Fatalities": conservative codes for vague reports
VAGUE_COUNTS = {"several": 10, "many": 10, "scores of": 20, "dozens of": 12, "dozens": 12,
                "hundreds of": 100, "hundreds": 100, "thousands of": 1000, "thousands": 1000}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
# no count of people exceeds the people alive (UN World Population Prospects 2024: 8.2 billion)
MAX_COUNT = 10_000_000_000
# words before a figure that qualify it
QUALIFIERS = {"at least": "at least", "more than": "at least", "over": "at least",
              "upwards of": "at least", "no fewer than": "at least", "nearly": "about",
              "almost": "about", "about": "about", "around": "about", "some": "about",
              "approximately": "about", "roughly": "about", "an estimated": "about",
              "close to": "about", "up to": "about", "as many as": "about"}
# nouns for the dead and verbs for dying; wounded and injured are not fatalities
DEATH_WORDS = (r"(?:killed|dead|died|deaths?|fatalities|lost\s+their\s+lives|lives\s+lost"
               r"|shot\s+dead|murdered|massacred|executed|slain|perished|bodies|drowned"
               r"|beheaded|burned\s+to\s+death)")
# every death word above starts with one of these (a quick test before the expressions)
DEATH_STEMS = ("kill", "dead", "died", "death", "fatalit", "lives", "murder", "massacr", "execut",
               "slain", "perish", "bodies", "drown", "behead", "burned to", "toll", "balance", "nobody",
               "no one", "casualt", "injur")
# a report of what one side says it did to the other ("claim to have killed") is not a count
CLAIM_RE = re.compile(r"\b(?:claim(?:s|ed|ing)?|boast(?:s|ed)?|said|say|says)\s+(?:to\s+have\s+|(?:that\s+)?(?:they|it|he|she)\s+(?:had\s+|have\s+|has\s+)?)?"
                      r"(?:killed|destroyed|eliminated|neutrali[sz]ed)", re.I)
# a count after these is part of one already given
SUBSET_RE = re.compile(r"\b(?:including|among\s+(?:them|whom)|of\s+(?:whom|them|which)"
                       r"|among\s+the\s+dead)\b", re.I)

# "a policeman was killed": a lone victim counts 1 only when the noun is a person
PERSON_NOUNS = frozenset("""
man woman boy girl child baby person civilian villager resident farmer herder trader vendor
businessman student pupil teacher pastor priest imam cleric worker driver passenger pedestrian
journalist reporter nurse doctor official councillor activist protester demonstrator policeman
policewoman officer soldier trooper gendarme guard fighter militant rebel insurgent commander
leader chief member suspect youth teenager elder herdsman miner fisherman motorist rider
volunteer employee engineer contractor chairman lawmaker politician candidate peacekeeper
""".split())
# the text says nobody died
NO_DEATHS_RE = re.compile(
    r"\b(?:no\s+(?:one|body|deaths?|fatalities|casualties|lives\s+were\s+lost)|nobody|none)\s+"
    r"(?:\w+\s+){0,2}?(?:killed|died|dead|hurt|injured|reported|recorded)\b"
    r"|\bno\s+(?:deaths|fatalities|casualties|injuries|loss\s+of\s+life)\b|\bwithout\s+(?:casualties|loss\s+of\s+life)\b",
    re.I)
# a toll told after these words is of an earlier event: "comes a week after 30 were killed"
EARLIER_BEFORE_RE = re.compile(r"\b(?:after|since|following)\s+(?:(?:the|a|an)\s+)?$", re.I)
# the attacker among the dead: "killing four soldiers and himself"
SELF_AFTER_RE = re.compile(r"(?:\s+(?!and\b)[\w’'-]+){0,3}?\s+and\s+(?:himself|herself)\b", re.I)
# one victim named by a pronoun or an age: "killing him", "a 17-year-old was shot dead"
PRONOUN_VICTIM_RE = re.compile(r"\b(?:killing|killed|kill)\s+(?:him|her)\b", re.I)
# more victims listed after a count: "killed a teacher and two pupils"
MORE_SIDES_RE = None  # compiled below, once _COUNT exists

_WORD_NUMBERS = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
_VAGUE = "|".join(sorted((re.escape(w) for w in VAGUE_COUNTS), key=len, reverse=True))
_FIGURE = (rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?(?:\s+(?:hundred|thousand|million))?"
           rf"|(?:{_WORD_NUMBERS})(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?"
           rf"(?:\s+(?:hundred|thousand|million))?)")
_QUALIFIER = "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True))
_COUNT = (rf"(?:(?P<q>{_QUALIFIER})\s+)?(?:(?:between\s+)?(?P<n>{_FIGURE})"
          rf"(?:\s*(?:-|–|to|and)\s*(?P<n2>{_FIGURE}))?|(?P<vague>{_VAGUE}))")
# up to four words between a count and the death word: "44 Azeri civilians have been killed"
_NOUNS = r"(?:\s+(?!and\b|including\b)[\w’'-]+){0,4}?"
_VERB = r"(?:\s+(?:were|was|have|has|had|are|is|been|being|reportedly|now|also|confirmed)){0,3}"

COUNT_BEFORE_RE = re.compile(rf"\b{_COUNT}(?P<who>{_NOUNS}){_VERB}\s+{DEATH_WORDS}\b", re.I)
COUNT_AFTER_RE = re.compile(
    rf"\b(?:killed|killing|kill|left|leaving|claimed|claiming|beheaded|beheading|massacred|massacring"
    rf"|executed|executing|slaughtered|lynched|murdered|murdering|shot\s+dead"
    rf"|(?:shot|shooting|hacked|hacking|stabbed|stabbing|beat|beaten|beating|burned|burnt|clubbed)"
    rf"(?:\s+and\s+\w+)?\s+to\s+death|death\s+toll\s+(?:\w+\s+){{0,3}}?"
    rf"(?:to|of|at)|toll\s+(?:\w+\s+){{0,2}}?(?:to|of|at)|balance\s+of)"
    rf"\s+{_COUNT}(?P<who>{_NOUNS})(?:\s+(?:dead|deaths|lives|people|civilians|soldiers))?\b", re.I)
# "19 Armenians and 44 Azeri civilians have been killed": the other sides of a count
SIDE_RE = re.compile(rf"\b{_COUNT}(?P<who>(?:\s+(?!and\b)[\w’'-]+){{1,3}}?)\s*(?:,|and)\s*$", re.I)
MORE_SIDES_RE = re.compile(rf"(?:\s+(?!and\b)[\w’'-]+){{0,5}}?\s*(?:,\s*(?:and\s+)?|\s+and\s+){_COUNT}(?P<who>(?:\s+(?!and\b)[\w’'-]+){{1,2}})", re.I)
BODIES_RE = re.compile(rf"\bbodies\s+of\s+{_COUNT}(?P<who>{_NOUNS})\b", re.I)


DEATH_WORD_RE = re.compile(rf"\b{DEATH_WORDS}\b", re.I)
# the death stems in one automaton: most sentences have none and are done with one pass
_STEMS = ahocorasick.Automaton()
for _stem in DEATH_STEMS:
    _STEMS.add_word(_stem, _stem)
_STEMS.make_automaton()
# where the words that start each count pattern stand: the patterns are tried there only
_ROWS = [NO_DEATHS_RE, SUBSET_RE, DEATH_WORD_RE, COUNT_AFTER_RE, BODIES_RE, PRONOUN_VICTIM_RE]
_NO_DEATHS, _SUBSET, _DEATH_WORD, _COUNT_AFTER, _BODIES, _PRONOUN = range(len(_ROWS))
_STARTS = LiteralStarts(_ROWS)


_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
           r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
MONTH_NEAR_BEFORE_RE = re.compile(rf"\b{_MONTHS}\s+$")
MONTH_NEAR_AFTER_RE = re.compile(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\b")


@dataclass(frozen=True)
class Fatalities:
    """A reported death toll: the figure ACLED would code, and how it was written."""

    count: int
    qualifier: str = "exact"  # exact, at least, about, range
    parts: tuple[int, ...] = ()  # per-side counts summed into count
    high: int | None = None  # the upper figure of a range
    start: int = 0
    end: int = 0
    victims: str = ""  # the words between the figure and the death word ("Azeri civilians")

    def describe(self) -> str:
        """Return the toll as written in geomap's output ("63 (19+44)", "2000-3000")."""
        if self.high is not None:
            return f"{self.count}-{self.high}"
        text = "+".join(str(p) for p in self.parts) if len(self.parts) > 1 else str(self.count)
        return text if self.qualifier == "exact" else f"{self.qualifier} {text}"


def parse_number(text: str) -> int | None:
    """Return the integer a figure or number words stand for ("2,000", "a dozen", "twenty-five")."""
    words = " ".join(text.lower().replace("-", " ").split())
    if not words:
        return None
    scale = 1
    for name, factor in SCALES.items():
        if words.endswith(" " + name) and words not in NUMBER_WORDS:
            words, scale = words[: -len(name) - 1], factor
            break
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?", words):
        whole = words.replace(",", "").partition(".")[0].lstrip("0")
        if len(whole) > len(str(MAX_COUNT)):  # before float(): 309 digits are infinite
            return None
        return _people(int(float(words.replace(",", "")) * scale))
    if words in NUMBER_WORDS:
        return _people(NUMBER_WORDS[words] * scale)
    tens, _, unit = words.partition(" ")
    if tens in NUMBER_WORDS and unit in NUMBER_WORDS and NUMBER_WORDS[unit] < 10:
        return _people((NUMBER_WORDS[tens] + NUMBER_WORDS[unit]) * scale)
    return None


def _people(value: int) -> int | None:
    """The value when it can count people, else None."""
    return value if value <= MAX_COUNT else None


def find_fatalities(text: str) -> Fatalities | None:
    """Return the death toll a sentence reports, or None (claims and subsets are not counted)."""
    if next(_STEMS.iter(text.lower()), None) is None:
        return None
    starts = _STARTS.starts(text)
    if (none := search_at(NO_DEATHS_RE, text, starts.get(_NO_DEATHS, ()))) is not None:
        return Fatalities(0, start=none.start(), end=none.end())
    subset = search_at(SUBSET_RE, text, starts.get(_SUBSET, ()))
    limit = subset.start() if subset else len(text)
    found: list[Fatalities] = []
    # a count before a death word (its start unknown: tried everywhere, and only if there is one)
    before = None if search_at(DEATH_WORD_RE, text, starts.get(_DEATH_WORD, ()), 0, limit) else ()
    for pattern, positions in ((COUNT_BEFORE_RE, before), (COUNT_AFTER_RE, starts.get(_COUNT_AFTER, ())),
                               (BODIES_RE, starts.get(_BODIES, ()))):
        position = 0
        while (match := search_at(pattern, text, positions, position, limit)) is not None:
            position = match.start() + 1  # overlapping: "September 27 two people" tries "two"
            if _is_claim(text, match) or _is_date_number(text, match) \
                    or EARLIER_BEFORE_RE.search(text, max(0, match.start() - 30), match.start()):
                continue
            toll = _toll(match)
            if toll is None:
                continue
            if pattern is COUNT_BEFORE_RE:
                toll = _add_other_sides(text, match, toll)
            else:
                toll = _add_sides_after(text, match, toll, limit)
            found.append(toll)
            position = match.end()
    pronoun = None if found else search_at(PRONOUN_VICTIM_RE, text, starts.get(_PRONOUN, ()), 0, limit)
    if pronoun is not None:
        found.append(Fatalities(1, start=pronoun.start(), end=pronoun.end()))
    if not found:
        return None
    # the first toll in the sentence is its main one; a later one usually restates a part
    return min(found, key=lambda t: t.start)


def _is_claim(text: str, match: re.Match) -> bool:
    """True when the count is what a side claims to have inflicted."""
    window = text[max(0, match.start() - 40):match.end()]
    return bool(CLAIM_RE.search(window))


def _is_date_number(text: str, match: re.Match) -> bool:
    """True when the figure is a day of a month or a year ("September 27", "in 2019, 40")."""
    if not match["n"]:
        return False
    before = text[max(0, match.start("n") - 12):match.start("n")]
    after = text[match.end("n"):match.end("n") + 12]
    return bool(MONTH_NEAR_BEFORE_RE.search(before) or MONTH_NEAR_AFTER_RE.match(after)
                or re.fullmatch(r"(?:1[89]|20)\d\d", match["n"]) and not match["q"])


def _toll(match: re.Match) -> Fatalities | None:
    """The toll of one count match."""
    qualifier = QUALIFIERS.get(" ".join(fold(match["q"] or "").split()), "exact")
    if match["vague"]:
        return Fatalities(VAGUE_COUNTS[" ".join(fold(match["vague"]).split())], "about",
                          start=match.start(), end=match.end(), victims=match["who"].strip())
    low = parse_number(match["n"])
    if low is None or low == 0 or not _counts_people(match["n"], match.string[match.end("n"):match.end("n") + 40]):
        return None
    high = parse_number(match["n2"]) if match["n2"] else None
    if high is not None and high > low:
        return Fatalities(low, "range", high=high, start=match.start(), end=match.end(),
                          victims=match["who"].strip())
    return Fatalities(low, qualifier, start=match.start(), end=match.end(),
                      victims=match["who"].strip())


def _counts_people(figure: str, following: str) -> bool:
    """False for "a" or "an" before anything but a person ("a bomb killed", "a car was hit")."""
    if figure.lower() not in ("a", "an"):
        return True
    words = re.findall(r"[\w’'-]+", following)[:3]
    return any(word.lower().strip("’'") in PERSON_NOUNS or word.endswith("-year-old") for word in words)


def _add_sides_after(text: str, match: re.Match, toll: Fatalities, limit: int) -> Fatalities:
    """Sum the counts listed after this one ("killed a teacher and two pupils")."""
    if toll.qualifier == "range" or match.re is COUNT_BEFORE_RE:
        return toll
    parts, end = [toll.count], match.end()
    while (side := MORE_SIDES_RE.match(text, end, limit)) is not None:
        if side["vague"] or side["n2"] or not _counts_people(side["n"], side.string[side.end("n"):side.end("n") + 40]):
            break
        value = parse_number(side["n"])
        if value is None:
            break
        parts.append(value)
        end = side.end()
    if SELF_AFTER_RE.match(text, end, limit):
        parts.append(1)  # "killing four soldiers and himself": the bomber died too
    if len(parts) == 1:
        return toll
    return Fatalities(sum(parts), toll.qualifier, parts=tuple(parts), start=toll.start, end=end,
                      victims=toll.victims)


def _add_other_sides(text: str, match: re.Match, toll: Fatalities) -> Fatalities:
    """Sum the counts listed before this one ("19 Armenians and 44 Azeri civilians ... killed")."""
    parts = [toll.count]
    start = match.start()
    while True:
        side = SIDE_RE.search(text, max(0, start - 60), start)
        if side is None or side["vague"] or side["n2"] or not _counts_people(side["n"], side.string[side.end("n"):side.end("n") + 40]):
            break
        value = parse_number(side["n"])
        if value is None:
            break
        parts.insert(0, value)
        start = side.start()
    if len(parts) == 1:
        return toll
    return Fatalities(sum(parts), toll.qualifier, parts=tuple(parts), start=start, end=toll.end,
                      victims=toll.victims)
