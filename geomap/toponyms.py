"""Mention, and finding place names in text: an Aho-Corasick scan of the gazetteer's names.

The text is cut into words; each word is folded like a gazetteer key ("Gəncə" -> "gence",
"U.S." -> "us") and the keys are joined with single spaces, so one automaton over
" key " patterns finds every whole-word name in one pass.  Filters then drop what only looks
like a place: lower-case words, common words at the start of a sentence, surnames, names
inside organisations and treaties.  Choosing the place a name means is geomap.resolve's job.
"""

from __future__ import annotations

import gzip
import operator
import pickle
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate, compress, repeat
from pathlib import Path
from typing import NamedTuple

from geomap.gazetteer import Gazetteer, Place, normalize_name
from geomap.output import atomic_target

# Bump when the index's layout or the way it is built changes, so old caches are rebuilt.
INDEX_VERSION = "4"

# Refuse texts larger than this rather than risk the memory bound (about 15 million words).
MAX_TEXT_CHARS = 100_000_000

ROLES = ("literal", "associative")


@dataclass(frozen=True)
class Mention:
    """A place name found in a text: where, what it is taken to mean, and how sure."""

    start: int
    end: int
    text: str
    kind: str = ""  # the place's kind (country, admin1, city...) or 'demonym'
    role: str = "literal"  # literal | associative (the place stands for its government)
    place: Place | None = None
    confidence: float = 0.0
    alternatives: tuple[Place, ...] = field(default_factory=tuple)
    key: str = ""  # the gazetteer lookup key of the name as written

    def as_dict(self) -> dict:
        """Return the record of `geomap toponyms --jsonl` for this mention."""
        p = self.place
        return {
            "start": self.start, "end": self.end, "text": self.text,
            "lat": p.lat if p else None, "lon": p.lon if p else None,
            "name": p.name if p else None, "kind": self.kind,
            "country_code": p.country_code if p else None,
            "geonames_id": p.geonames_id if p else None,
            "role": self.role, "confidence": round(self.confidence, 3),
        }


class TextTooLarge(ValueError):
    """The text exceeds what one call processes in bounded memory."""


# --- word lists ------------------------------------------------------------------------------
# Each list is general English usage, not taken from any evaluation document.

# Gregorian months and weekdays (English), and their usual abbreviations.
CALENDAR_WORDS = frozenset("""
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri
sat sun
christmas easter halloween thanksgiving hanukkah ramadan eid passover
""".split())

# Compass words and other modifiers that begin place names but are not places by themselves.
DIRECTION_WORDS = frozenset("""
north south east west northern southern eastern western central northeast northwest southeast
southwest north-east upper lower greater new old great little mid middle inner outer
""".split())

# Honorifics, titles and offices written before a person's name (AP Stylebook usage).
PERSON_TITLES = frozenset("""
mr mrs ms miss mx dr prof sir dame lord lady sen senator rep representative gov governor
president vice premier minister chancellor secretary ambassador envoy mayor judge justice
general gen col colonel lt lieutenant capt captain cmdr commander maj major sgt sergeant
adm admiral officer constable det detective chief king queen prince princess emperor sheikh
imam rev reverend father pope cardinal bishop rabbi ayatollah mullah pastor coach dean
spokesman spokeswoman spokesperson prosecutor attorney sheriff deputy president-elect
""".split())

# Head nouns that make "<Place> X" the name of an organisation, a treaty, a team, a newspaper
# or a disease rather than the place (the list, extended with the usual English
# organisation, treaty, newspaper and sports-club heads, and "West Nile virus"-style diseases).
ORGANISATION_HEADS = frozenset("""
group groups committee commission agreement agreements protocol protocols process format
accord accords treaty treaties convention conventions council declaration charter pact
initiative formula university college institute academy airlines airline airways fc united
rovers wanderers athletic club oilers flames canucks times post herald tribune journal
gazette telegraph chronicle observer daily inc corp corporation ltd llc plc party
virus fever flu influenza disease syndrome strain ebolavirus""".split())

# Organisation words that, leading a capitalised name, make a place inside it part of the name:
# "Organization for Security and Cooperation in Europe", "University of Alberta".
ORGANISATION_LEADS = frozenset("""
organization organisation association union bank institute council committee commission
conference ministry department office agency court university college museum church fund
federation league party front movement army society foundation centre center corporation
company authority board service coalition alliance assembly parliament congress embassy
consulate school academy hospital club team orchestra festival
""".split())

# Lower-case words that may stand inside or before a name ("Gulf of Mexico", "al-Bab").
NAME_PARTICLES = frozenset("""
of the and upon on in de del della der des di do dos da das du la le les el al ad as ar an
ash at az ul ur van von y i e en sur au aux am im bin ibn
""".split())

# Institutions and news agencies whose names are also gazetteer places ("White House",
# Tennessee; "Xinhua", a town in China): in news they name the institution.
INSTITUTION_NAMES = frozenset({"white house", "red cross", "red crescent", "xinhua", "nato",
                               "interpol", "kremlin"})

# Function words that may open a sentence before a place ("In Brussels", "From Baku").
SENTENCE_OPENERS = frozenset("""
in at from to the and but on for by with of as near across outside inside into since both
while when after before during despite through throughout across like unlike about against
between beyond within without including via per than or nor so yet if unless until whereas
""".split())

# Words after a place (joined by a hyphen) that make it stand for its government or people.
METONYMY_SUFFIXES = frozenset("""
backed led supported sponsored brokered allied aligned funded armed controlled dominated
""".split())

# Verbs of speech, diplomacy and policy: "<Country> announced", "Turkey, which supports Baku".
STATE_VERBS = frozenset("""
said says say announced announces announce condemned condemns condemn called calls call
supports support supported backs back backed accused accuses accuse denied denies deny
urged urges urge warned warns warn demanded demands demand insisted insists rejected rejects
recognized recognised recognizes recognises agreed agrees signed signs claimed claims
stated states responded responds protested protests threatened threatens pledged pledges
vowed vows sanctioned sanctions expelled expels declared declares refused refuses
maintains maintain expressed expresses reiterated reiterates welcomed welcomes
criticized criticised criticizes criticises suspended suspends imposed imposes
insist asked asks proposed proposes decided decides intends intend hopes hope wants want
""".split())
# Words that may stand between the subject and its verb ("Russia, which has also expressed").
_VERB_FILLERS = frozenset("which who that has have had also will would could may might "
                          "already again then now not never reportedly officially".split())
_PREPOSITIONS_BEFORE_ACTOR = frozenset({"by"})
_ACTOR_VERBS_BEFORE = frozenset("supported backed armed funded sponsored recognised recognized "
                                "condemned criticised criticized supports backs".split())

_COMMON_WORDS_FILE = Path(__file__).with_name("data") / "common_words.txt.gz"
_GIVEN_NAMES_FILE = Path(__file__).with_name("data") / "given_names.txt"


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Return the given names (lower case) that geomap/data lists."""
    with open(_GIVEN_NAMES_FILE, encoding="utf-8") as f:
        return frozenset(w for line in f if line[:1] != "#" for w in line.split())


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Return the common English words (lower case) shipped in geomap/data."""
    with gzip.open(_COMMON_WORDS_FILE, "rt", encoding="utf-8") as f:
        return frozenset(line.strip() for line in f if line[:1] != "#" and line.strip())


# --- the name index ----------------------------------------------------------------------------

# Bits of the value stored with each key in the automaton.
PLACE = 1
DEMONYM = 2
CAPS_FORM = 4  # the gazetteer writes the name in capitals ("USA", "NSW")
DOTTED_FORM = 8  # the gazetteer writes it with dots ("U.S.", "Ky.")
COMMON = 16  # the key is a common English word ("police", "reading")
MAJOR = 32  # a country, first-level division, region, continent, capital or big city
TOP = 64  # a country or a continent
_LENGTH_SHIFT = 8
_MAJOR_POPULATION = 1_000_000


class NameIndex:
    """The gazetteer's names in an Aho-Corasick automaton, with a few facts per name."""

    def __init__(self, automaton, demonyms: dict[str, str], meta: dict[str, str]):
        self.automaton = automaton
        self.demonyms = demonyms
        self.meta = meta

    @classmethod
    def build(cls, gazetteer: Gazetteer) -> "NameIndex":
        """Return a fresh index of every name and demonym in the gazetteer."""
        import ahocorasick

        majors = dict(gazetteer.major_places(_MAJOR_POPULATION))
        common = common_words()
        flags: dict[str, int] = {}
        for name, key, place_id, _primary in gazetteer.iter_names():
            if not key:
                continue
            bits = flags.get(key, PLACE) | PLACE
            letters = [ch for ch in name if ch.isalpha()]
            if len(letters) >= 2 and all(ch.isupper() for ch in letters):
                bits |= CAPS_FORM
            if "." in name:
                bits |= DOTTED_FORM
            kind = majors.get(place_id)
            if kind is not None:
                bits |= MAJOR | (TOP if kind in ("country", "continent") else 0)
            flags[key] = bits
        demonyms = {k: cc for k, cc in gazetteer.demonyms().items() if k and cc}
        for key in demonyms:
            flags[key] = flags.get(key, 0) | DEMONYM
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for key, bits in flags.items():
            if key in common:
                bits |= COMMON
            automaton.add_word(f" {key} ", bits | (len(key) + 2) << _LENGTH_SHIFT)
        automaton.make_automaton()
        return cls(automaton, demonyms, _cache_stamp(gazetteer))

    @classmethod
    def load(cls, gazetteer: Gazetteer, *, cache: bool = True) -> "NameIndex":
        """Return the index, from the pickle beside the database when it matches, else built."""
        path = cache_path(gazetteer)
        stamp = _cache_stamp(gazetteer)
        if cache:
            try:
                with open(path, "rb") as f:
                    saved_stamp, automaton, demonyms = pickle.load(f)
                if saved_stamp == stamp:
                    return cls(automaton, demonyms, stamp)
            except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
                pass
        index = cls.build(gazetteer)
        if cache:
            index.save(path)
        return index

    def save(self, path: Path) -> None:
        """Pickle the index to `path` atomically (a temporary file, then rename); best effort."""
        try:
            with atomic_target(path) as tmp, open(tmp, "wb") as f:
                pickle.dump((self.meta, self.automaton, self.demonyms), f,
                            protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:
            pass  # a read-only location: the index is simply rebuilt next time


def cache_path(gazetteer: Gazetteer) -> Path:
    """Return where the pickled name index of a gazetteer is kept (beside the database)."""
    return gazetteer.path.with_name(gazetteer.path.name + ".names.pkl")


def _cache_stamp(gazetteer: Gazetteer) -> dict[str, str]:
    return {"index": INDEX_VERSION, "built": gazetteer.meta.get("built", ""),
            "sources_digest": gazetteer.meta.get("sources_digest", ""),
            "size": str(gazetteer.path.stat().st_size)}


_INDEXES: dict[tuple[str, str], NameIndex] = {}


def name_index(gazetteer: Gazetteer) -> NameIndex:
    """Return the name index of a gazetteer, loaded once per process."""
    key = (str(gazetteer.path.resolve()), gazetteer.meta.get("built", ""))
    index = _INDEXES.get(key)
    if index is None:
        _INDEXES.clear()  # one gazetteer at a time keeps memory bounded
        index = _INDEXES[key] = NameIndex.load(gazetteer)
    return index


# --- scanning ------------------------------------------------------------------------------------

# A word: letters and digits, with dots and apostrophes inside it ("U.S", "d'Ivoire").
_WORD = re.compile(r"[^\W_][\w\u0300-\u036f]*(?:[.'’ʼ][^\W_][\w\u0300-\u036f]*)*")
_POSSESSIVE = ("'s", "’s", "ʼs", "'S", "’S")
_POSSESSIVE_MARK = re.compile("|".join(_POSSESSIVE))
# Characters skipped when looking for the start of a sentence.
_QUOTES = " \t\"'“”‘’«»([{*"
_SENTENCE_ENDS = ".!?:;\n•·|–—-"
_HEAD_FOLDS: dict[str, str] = {}
# word as written -> (lookup key, what the scanner sees): words repeat, folding them does not
_PARTS: dict[str, tuple[str, str]] = {}


def _fold(word: str) -> str:
    key = _HEAD_FOLDS.get(word)
    if key is None:
        key = normalize_name(word)
        if len(_HEAD_FOLDS) > 200_000:
            _HEAD_FOLDS.clear()
        _HEAD_FOLDS[word] = key
    return key


def _word_parts(word: str) -> tuple[str, str]:
    """Return (lookup key, what the scanner sees) of a word, cached in _PARTS."""
    known = _PARTS.get(word)
    if known is None:
        key = _fold(word)
        # a lower-case word cannot match (but for particles inside names): "turkey"
        known = (key, key if not _lower(word) or key in NAME_PARTICLES else "~" + key)
        if len(_PARTS) > 200_000:
            _PARTS.clear()
        _PARTS[word] = known
    return known


_MATCH_GROUP, _MATCH_START, _MATCH_END = re.Match.group, re.Match.start, re.Match.end
_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)


def _lower(word: str) -> bool:
    """True for a word written in lower case ("d'Ivoire" and "al-" prefixes aside)."""
    if not word[0].islower():
        return False
    if "'" not in word and "’" not in word:
        return True  # the common case, decided without the loop below
    for mark in "'’":
        head, sep, rest = word.partition(mark)
        if sep and len(head) <= 2 and rest[:1].isupper():
            return False
    return True


def _name_goes_on(automaton, key: str, text: str, end: int) -> bool:
    """True when a possessive-looking word begins a longer name ("People's Republic of ...")."""
    m = _WORD.match(text, end + 1) if text[end:end + 1] == " " else None
    return m is not None and m.group()[0].isupper() and automaton.match(f" {key} ")


class _Words:
    """The words of a text with their folded keys and offsets."""

    __slots__ = ("text", "starts", "ends", "words", "keys", "norm_starts", "norm")

    def __init__(self, text: str, automaton=None):
        self.text = text
        # Each step maps a C function over all the words rather than running Python code per
        # word; what remains is mostly the regex and the dictionary lookups themselves.
        matches = list(_WORD.finditer(text))
        words = list(map(_MATCH_GROUP, matches))
        starts = list(map(_MATCH_START, matches))
        ends = list(map(_MATCH_END, matches))
        # possessives are found in the text (one search), then matched to their words
        marks = [m.end() for m in _POSSESSIVE_MARK.finditer(text)]
        for i in [i for i, end in zip(map(bisect_left, repeat(ends), marks), marks)
                  if i < len(ends) and ends[i] == end and words[i].endswith(_POSSESSIVE)]:
            word = words[i]
            if len(word) > 2 and not (
                    automaton is not None and _name_goes_on(automaton, _fold(word), text, ends[i])):
                words[i] = word[:-2]  # "Canada's" but "People's Republic of China"
                ends[i] -= 2
        parts = list(map(_PARTS.get, words))
        if None in parts:  # words not seen before
            for i in compress(range(len(words)), map(operator.is_, parts, repeat(None))):
                parts[i] = _word_parts(words[i])
        keys = list(map(_FIRST, parts))
        if "" in keys:  # a word that folds to nothing (another script) is no word here
            kept = list(map(bool, keys))
            words, starts, ends, parts, keys = (list(compress(seq, kept))
                                                for seq in (words, starts, ends, parts, keys))
        folded = list(map(_SECOND, parts))
        # word k starts after the leading space, the k words before it and their spaces
        before = accumulate(map(len, folded), initial=0)
        self.starts, self.ends, self.words, self.keys = starts, ends, words, keys
        self.norm_starts = list(map(operator.add, before, range(1, len(folded) + 1)))
        self.norm = " " + " ".join(folded) + " "

    def word_span(self, norm_start: int, norm_end: int) -> tuple[int, int] | None:
        """Return the word range [i, j) of a match in the folded text, or None if misaligned."""
        i = bisect_left(self.norm_starts, norm_start)
        if i >= len(self.norm_starts) or self.norm_starts[i] != norm_start:
            return None
        j = bisect_right(self.norm_starts, norm_end) - 1
        if j < i or self.norm_starts[j] + len(self.keys[j]) != norm_end:
            return None
        return i, j + 1

    def sentence_start(self, i: int) -> bool:
        """True when word i opens a sentence, a line, a heading or a quotation."""
        k = self.starts[i] - 1
        text = self.text
        while k >= 0 and text[k] in _QUOTES:
            k -= 1
        return k < 0 or text[k] in _SENTENCE_ENDS

    def capitalised(self, i: int) -> bool:
        return not _lower(self.words[i])

    def all_caps(self, i: int) -> bool:
        return _all_caps(self.words[i])


# Per-word and per-key facts, cached: the same words come back in every article.
@lru_cache(maxsize=65_536)
def _all_caps(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


@lru_cache(maxsize=65_536)
def _letter_count(key: str) -> int:
    return sum(ch.isalpha() for ch in key)


class _Hit(NamedTuple):
    i: int  # first word
    j: int  # one past the last word
    bits: int


def _scan(words: _Words, index: NameIndex) -> list[_Hit]:
    hits = []
    norm, written = words.norm, words.words
    for end, value in index.automaton.iter(norm):
        length = value >> _LENGTH_SHIFT
        span = words.word_span(end - length + 2, end)
        if span is None:
            continue
        i, j = span
        if j == i + 1 and _lower(written[i]):
            continue  # "of", "in": a lower-case particle alone, which _well_formed refuses
        hits.append(_Hit(i, j, value & 0xFF))
    return hits


def _longest(hits: list[_Hit]) -> list[_Hit]:
    """Keep the longest of overlapping matches ("Nagorno-Karabakh" over "Karabakh")."""
    hits = sorted(hits, key=lambda h: (-(h.j - h.i), h.i))
    taken: set[int] = set()
    kept = []
    for h in hits:
        if any(k in taken for k in range(h.i, h.j)):
            continue
        taken.update(range(h.i, h.j))
        kept.append(h)
    return sorted(kept, key=lambda h: h.i)


# --- filters -----------------------------------------------------------------------------------

def _well_formed(words: _Words, h: _Hit) -> bool:
    """Whether the words are written the way a name is: capitalised, abbreviations as such."""
    if h.j - h.i > 1 and _lower(words.words[h.j - 1]):
        return False  # "Gulf of mexico" is not written as a name (but "Côte d'Ivoire" is)
    first = words.words[h.i]
    if _lower(first):
        # "al-Bab", "as-Sukhnah": the Arabic article joined by a hyphen
        return h.j - h.i > 1 and words.keys[h.i] in _ARTICLES and words.capitalised(h.j - 1) \
            and words.text[words.ends[h.i]:words.ends[h.i] + 1] == "-"
    key = " ".join(words.keys[h.i:h.j])
    letters = _letter_count(key)
    if h.j - h.i == 1 and words.all_caps(h.i):
        # "US", "NSW": only names the gazetteer itself writes in capitals
        return bool(h.bits & CAPS_FORM) or (letters > 3 and not h.bits & DEMONYM
                                             and _line_is_caps(words, h.i) is False)
    if h.j - h.i == 1 and ("." in first or letters <= 3):
        # "U.S", "Ky.", "W.Va.": short names count only as the abbreviations the gazetteer has
        dotted = "." in first or words.text[words.ends[h.i]:words.ends[h.i] + 1] == "."
        return bool(h.bits & DOTTED_FORM) and dotted and letters >= 2
    return True


_ARTICLES = frozenset("al el ad as ar an ash at az ud ul ur".split())


def _line_is_caps(words: _Words, i: int) -> bool:
    start = words.text.rfind("\n", 0, words.starts[i]) + 1
    end = words.text.find("\n", words.ends[i])
    line = words.text[start:end if end >= 0 else len(words.text)]
    letters = [ch for ch in line if ch.isalpha()]
    return sum(ch.isupper() for ch in letters) > 0.8 * len(letters)


def _is_name_word(words: _Words, i: int, places: set[int]) -> bool:
    """True when word i is a capitalised word that is part of a personal or other proper name."""
    if i < 0 or i >= len(words.words) or i in places:
        return False
    word = words.words[i]
    if not word[0].isupper() or words.all_caps(i):
        return False
    key = words.keys[i]
    if key in given_names():
        return True
    if key in common_words() or key in DIRECTION_WORDS or key in SENTENCE_OPENERS:
        return False
    if key in CALENDAR_WORDS:
        return False
    return True


def _next_word(words: _Words, j: int, *, joined: str | None = None) -> str | None:
    """Return the folded word after word j-1 when only spaces (or `joined`) separate them."""
    if j >= len(words.words):
        return None
    gap = words.text[words.ends[j - 1]:words.starts[j]]
    if joined is None:
        ok = gap.strip(" ") == "" and "\n" not in gap
    else:
        ok = gap == joined
    return words.keys[j] if ok else None


def _previous_gap(words: _Words, i: int) -> str:
    return words.text[words.ends[i - 1]:words.starts[i]] if i > 0 else "\n"


def _reject(words: _Words, h: _Hit, places: set[int]) -> str | None:
    """Return why a well-formed match is not a place here, or None when it is one."""
    key = " ".join(words.keys[h.i:h.j])
    single = h.j - h.i == 1
    if single and (key in CALENDAR_WORDS or key in DIRECTION_WORDS):
        return "calendar or compass word"
    if single and (key in PERSON_TITLES or key in ORGANISATION_LEADS or key in STREET_WORDS):
        return "a title or an institution, not a place"
    if key in INSTITUTION_NAMES:
        return "an institution's name"
    starts_sentence = words.sentence_start(h.i)
    if single and h.bits & COMMON and not h.bits & DEMONYM:
        if starts_sentence and not h.bits & TOP:
            return "common word opening a sentence"
        # "State Police", "Police Chief": a common word inside a run of capitalised words
        if not starts_sentence and (_capital_neighbour(words, h.i - 1, places)
                                    or _capital_neighbour(words, h.j, places)) \
                and not h.bits & TOP:
            return "common word inside a capitalised phrase"
    prev_gap = _previous_gap(words, h.i)
    if h.i > 0 and prev_gap.strip(" .") == "" and "\n" not in prev_gap:
        prev = words.keys[h.i - 1]
        if prev in PERSON_TITLES and words.capitalised(h.i - 1):
            return "a person's name after a title"
        if prev_gap.strip() in ("", "-") and _is_name_word(words, h.i - 1, places) \
                and not h.bits & DEMONYM and not _before_place_word(words, h.i - 1) \
                and (not h.bits & MAJOR or words.keys[h.i - 1] in given_names()):
            return "a surname after a given name"
    nxt = _next_word(words, h.j)
    if nxt is not None and nxt in ORGANISATION_HEADS and not h.bits & DEMONYM:
        return "names an organisation or a treaty"
    nxt_joined = _next_word(words, h.j, joined="-")
    if single and not h.bits & DEMONYM and (nxt is not None or nxt_joined is not None) \
            and _is_name_word(words, h.j, places) and words.keys[h.j] not in PLACE_HEADS \
            and words.keys[h.j] not in given_names() \
            and (not h.bits & TOP or key in given_names()):
        return "part of a longer name"  # "Vladimir Poutin", "Jean-Yves", "Georgia Stevens"
    if single and nxt is not None and key in given_names() and not h.bits & (MAJOR | DEMONYM) \
            and words.capitalised(h.j) and not words.all_caps(h.j) and h.j not in places \
            and words.keys[h.j] not in _NOT_SURNAMES:
        return "a given name before a surname"  # "Donald Trump", though "trump" is a word
    if _inside_organisation(words, h):
        return "part of an organisation's name"
    if single and not h.bits & (MAJOR | DEMONYM) and nxt in SPEECH_VERBS and \
            not (h.i > 0 and words.keys[h.i - 1] in _LOCATIVES):
        return "a person who speaks"  # but "a nurse in Austin told"
    after = words.text[words.ends[h.j - 1]:words.ends[h.j - 1] + 1]
    if after == "$" and words.all_caps(h.i):
        return "a currency ('US$')"
    return None


_LOCATIVES = frozenset("in at from of near outside around across to into".split())

# "Hansen said": a small place does not speak; a person with that surname does.
SPEECH_VERBS = frozenset("said says told added asked explained recalled wrote tweeted".split())


# Words naming streets and buildings: alone they are not places ("Archibald Street").
STREET_WORDS = frozenset("""
street st road rd avenue ave lane drive boulevard blvd highway square plaza park farms hall
tower bridge station terrace court crescent place way
""".split())

# Words after a place name that still make a place ("Metcalfe County", "Aleppo province").
PLACE_HEADS = frozenset("""
county province district region state city town village municipality governorate oblast
prefecture territory island islands valley river lake mountains mountain peninsula bay
airport port harbour harbor border
""".split())

# Capitalised words after a given name that make it a place, not a person: "Austin Police",
# "Austin County", "Victoria Street", "Regina General Hospital".
_NOT_SURNAMES = (PLACE_HEADS | ORGANISATION_HEADS | STREET_WORDS | ORGANISATION_LEADS
                 | CALENDAR_WORDS | DIRECTION_WORDS
                 | frozenset("police fire general area metro airport residents".split()))


def _before_place_word(words: _Words, i: int) -> bool:
    """True when word i is a title-case place head-word before a name ("Lake", "Fort", "Mount")."""
    return words.keys[i] in ("lake", "mount", "fort", "port", "cape", "saint", "st", "san",
                             "santa", "sao", "los", "las", "el", "al")


def _capital_neighbour(words: _Words, k: int, places: set[int]) -> bool:
    if k < 0 or k >= len(words.words) or k in places:
        return False
    lo, hi = (k, k + 1) if k < len(words.words) else (k, k)
    gap = words.text[words.ends[k - 1]:words.starts[k]] if k > 0 else ""
    if k > 0 and ("\n" in gap or gap.strip(" ") not in ("", "-")):
        return False
    return words.capitalised(k) and not words.sentence_start(k) and hi > lo


def _inside_organisation(words: _Words, h: _Hit) -> bool:
    """True for "Organization for Security and Cooperation in Europe (OSCE)" and the like."""
    after = words.text[words.ends[h.j - 1]:words.ends[h.j - 1] + 16]
    m = _ACRONYM.match(after)
    if not m:
        return False
    acronym = m.group(1)
    initials = [words.words[h.i][0].upper()]
    k = h.i - 1
    while k >= 0 and len(initials) < len(acronym) + 1:
        gap = words.text[words.ends[k]:words.starts[k + 1]]
        if "\n" in gap or gap.strip(" ") not in ("", "-"):
            break
        if words.capitalised(k):
            initials.append(words.words[k][0].upper())
        elif words.keys[k] not in _CONNECTORS:
            break
        k -= 1
    # the bracketed acronym spells the capitalised words that end with the place
    return len(initials) >= len(acronym) and "".join(reversed(initials[:len(acronym)])) == acronym


_ACRONYM = re.compile(r"\s*\(([A-Z]{3,8})\)")
_CONNECTORS = NAME_PARTICLES | {"for", "against", "to", "with"}


# --- roles -------------------------------------------------------------------------------------

def _role(words: _Words, h: _Hit, places: list[_Hit]) -> str:
    """Return 'associative' when the place stands for its government or people, else 'literal'."""
    after = words.text[words.ends[h.j - 1]:words.ends[h.j - 1] + 1]
    if after == "-" and _next_word(words, h.j, joined="-") in METONYMY_SUFFIXES:
        return "associative"
    # skip a coordinated list of places: "France, Russia and the United States called on"
    by_start = {p.i: p for p in places}
    j = h.j
    while True:
        k = j
        while k < len(words.words) and words.keys[k] in ("and", "the") and \
                words.text[words.ends[k - 1]:words.starts[k]].strip(" ,") == "":
            k += 1
        if k in by_start and words.text[words.ends[j - 1]:words.starts[k]].strip(" ,").lower() \
                in ("", "and", "the", "and the"):
            j = by_start[k].j
            continue
        break
    # "<place>, which supports", "<place> announced", "<place> to undertake"
    k = j
    gap = words.text[words.ends[j - 1]:words.starts[j]] if j < len(words.words) else ""
    if "\n" in gap or gap.strip(" ,") != "":
        return _role_before(words, h)
    steps = 0
    while k < len(words.words) and words.keys[k] in _VERB_FILLERS and steps < 3:
        k += 1
        steps += 1
    if k < len(words.words):
        word = words.keys[k]
        passive = k + 1 < len(words.words) and words.keys[k + 1] == "by"
        if word in STATE_VERBS and words.words[k][0].islower() and not passive:
            return "associative"
        if word == "to" and k + 1 < len(words.words) and words.keys[k + 1] in _TO_VERBS:
            return "associative"
    return _role_before(words, h)


_TO_VERBS = frozenset("undertake negotiate resume engage agree recognise recognize cease stop "
                      "withdraw respect comply implement".split())


def _role_before(words: _Words, h: _Hit) -> str:
    """'associative' for "supported by Yerevan", "Turkey, which supports Baku"."""
    if h.i >= 2 and words.keys[h.i - 1] in _PREPOSITIONS_BEFORE_ACTOR and \
            words.keys[h.i - 2] in _ACTOR_VERBS_BEFORE:
        return "associative"
    if h.i >= 1 and words.keys[h.i - 1] in ("supports", "backs", "between") and \
            words.words[h.i - 1][0].islower():
        if words.keys[h.i - 1] != "between":
            return "associative"
        before = words.keys[max(0, h.i - 3):h.i - 1]
        if any(w in ("relations", "talks", "tension", "tensions", "relation", "dispute",
                     "negotiations", "conflict") for w in before):
            return "associative"
    if h.i >= 3 and words.keys[h.i - 1] == "and" and words.keys[h.i - 2] and \
            words.keys[h.i - 3] == "between" and \
            any(w in ("relations", "talks", "tension", "tensions", "dispute", "negotiations")
                for w in words.keys[max(0, h.i - 5):h.i - 3]):
        return "associative"
    return "literal"


# --- finding -----------------------------------------------------------------------------------

_PERSON_REASONS = frozenset({"a person's name after a title", "a surname after a given name",
                             "a person who speaks", "part of a longer name",
                             "a given name before a surname"})


def find_toponyms(text: str, index: NameIndex) -> list[Mention]:
    """Return the place names and demonyms in `text`, unresolved (place None), in order."""
    if len(text) > MAX_TEXT_CHARS:
        raise TextTooLarge(f"text of {len(text):,} characters is larger than the "
                           f"{MAX_TEXT_CHARS:,} geomap processes at once; split it")
    words = _Words(text, index.automaton)
    if not words.words:
        return []
    hits = [h for h in _scan(words, index) if _well_formed(words, h)]
    hits = _longest(hits)
    # words of names that are surely places (countries, capitals, demonyms...) or multiword
    place_words = {k for h in hits if h.bits & (MAJOR | DEMONYM) or h.j - h.i > 1
                   for k in range(h.i, h.j)}
    kept, people = [], set()
    for h in hits:
        why = _reject(words, h, place_words)
        if why is None:
            kept.append(h)
        elif why in _PERSON_REASONS:
            people.add(" ".join(words.keys[h.i:h.j]))
    # one sense per article: "Christopher Steele ... Steele said" is a person throughout
    kept = [h for h in kept if h.bits & MAJOR or " ".join(words.keys[h.i:h.j]) not in people]
    mentions = []
    for h in kept:
        start, end = words.starts[h.i], words.ends[h.j - 1]
        last = words.words[h.j - 1]
        if text[end:end + 1] == "." and ("." in last or (h.bits & DOTTED_FORM and len(last) <= 4)):
            end += 1  # "U.S." and "Ky." keep their last dot
        key = " ".join(words.keys[h.i:h.j])
        if h.bits & DEMONYM and not (h.bits & PLACE and h.bits & MAJOR):
            mentions.append(Mention(start, end, text[start:end], kind="demonym",
                                    role="associative", key=key))
            continue
        mentions.append(Mention(start, end, text[start:end], role=_role(words, h, kept),
                                key=key))
    return mentions


def with_place(mention: Mention, place: Place | None, **changes) -> Mention:
    """Return the mention resolved to `place` (its kind follows the place unless a demonym)."""
    kind = mention.kind if mention.kind == "demonym" else (place.kind if place else "")
    if changes.keys() <= {"confidence", "alternatives"}:
        # what the resolver changes, built directly: dataclasses.replace costs several times more
        return Mention(start=mention.start, end=mention.end, text=mention.text, kind=kind,
                       role=mention.role, place=place,
                       confidence=changes.get("confidence", mention.confidence),
                       alternatives=changes.get("alternatives", mention.alternatives),
                       key=mention.key)
    return replace(mention, place=place, kind=kind, **changes)
