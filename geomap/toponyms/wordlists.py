"""The word lists of the toponym filters and role rules, each general English usage.

None is taken from an evaluation document; calendar words live in geomap.calendar.
"""

from __future__ import annotations

import gzip
from functools import lru_cache

from geomap.calendar import CALENDAR_WORDS
from geomap.gazetteer.names import normalize_name
from geomap.paths import DATA_DIR

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
virus fever flu influenza disease syndrome strain ebolavirus hemorrhagic haemorrhagic""".split())


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
ash at az ul ur van von y i e en es sur au aux am im bin ibn
""".split())


# Organisations, news agencies, institutions and brands whose names are also gazetteer places
# ("White House", Tennessee; "Xinhua", a town in China; "Hamas", an old name of Hamm): in news
# they name the organisation. The curated list with its sources: geomap/data/organisations.txt.
def _read_names(path) -> frozenset[str]:
    with open(path, encoding="utf-8") as f:
        return frozenset(normalize_name(line) for line in f
                         if line.strip() and not line.startswith("#"))


INSTITUTION_NAMES = _read_names(DATA_DIR / "organisations.txt")


# Web page furniture around news text ("READ MORE:", "Share", "Sign up"): a place name inside
# such a phrase is a button's label. The labels of the share, subscribe and navigation widgets
# of common news page templates.
BOILERPLATE = frozenset("""read more|share|share this|advertisement|sign up|subscribe|follow us
|related|see also|click here|more stories|top stories|most read|log in|sign in|comments
|print|email|tweet|skip to content|back to top|next story|previous story""".replace("\n", "").split("|"))


# Words that make a demonym a language ("speaks French", "translated into Arabic", "in English,",
# "French-language"): a language is no place.
LANGUAGE_VERBS = frozenset("""
speak speaks spoke spoken speaking teach teaches taught teaching learn learns learned learning
translate translates translated translating fluent dubbed subtitled in into
""".split())


LANGUAGE_NOUNS = frozenset("language languages speaker speakers speaking translation "
                           "translations dialect dialects subtitles lessons".split())


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
VERB_FILLERS = frozenset("which who that has have had also will would could may might "
                          "already again then now not never reportedly officially".split())


PREPOSITIONS_BEFORE_ACTOR = frozenset({"by"})


ACTOR_VERBS_BEFORE = frozenset("supported backed armed funded sponsored recognised recognized "
                                "condemned criticised criticized supports backs".split())


_COMMON_WORDS_FILE = DATA_DIR / "common_words.txt.gz"


_GIVEN_NAMES_FILE = DATA_DIR / "given_names.txt"


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


ARABIC_ARTICLES = frozenset("al el ad as ar an ash at az ud ul ur".split())


LOCATIVES = frozenset("in at from of near outside around across to into".split())


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
NOT_SURNAMES = (PLACE_HEADS | ORGANISATION_HEADS | STREET_WORDS | ORGANISATION_LEADS
                 | CALENDAR_WORDS | DIRECTION_WORDS
                 | frozenset("police fire general area metro airport residents".split()))


CONNECTORS = NAME_PARTICLES | {"for", "against", "to", "with"}


TO_VERBS = frozenset("undertake negotiate resume engage agree recognise recognize cease stop "
                      "withdraw respect comply implement".split())
