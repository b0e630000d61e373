"""Actors of an event: noun phrases headed by a word for an armed, political or civilian group.

Phrases are kept as written ("Azerbaijani forces", "Yerevan-backed separatists"); ACLED's
standard actor names need a curated actor list, which geomap does not have yet.
"""

from __future__ import annotations

import re

# Head nouns of actor phrases (after ACLED Codebook 2023, "Actors": state forces, rebel groups,
# political militias, identity militias, rioters, protesters, civilians, external forces).
ACTOR_HEADS = frozenset("""
forces force army armies troops soldiers military militaries police policemen policewomen
gendarmes gendarmerie militants rebels separatists fighters gunmen insurgents jihadists
militia militias militiamen protesters protestors demonstrators rioters mob mobs students
workers farmers herders civilians villagers bandits attackers assailants kidnappers pirates
guards guardsmen youths supporters government authorities opposition residents settlers
mercenaries paramilitaries commandos marines sailors airmen coalition junta regime dissidents
guerrillas guerrilla factions gangs gang cartel extremists terrorists combatants men officers
""".split())
# heads that are actors only with a modifier: "armed men", "police officers"
NEEDS_MODIFIER = frozenset({"men", "officers"})
# words that may stand before a head inside an actor phrase besides capitalised words
ACTOR_MODIFIERS = frozenset("""
armed separatist rebel security government pro-government anti-government unidentified unknown
suspected local federal national state military riot special jihadist islamist militant
opposition police allied foreign enemy border presidential regular paramilitary tribal ethnic
student angry masked hooded provincial regional municipal central interim transitional
""".split())
# words that are capitalised for other reasons and do not belong to an actor's name
SENTENCE_WORDS = frozenset("""
the a an in on at by of for from to with and or but as after before during since while when
according however meanwhile following despite between among about over under near also
""".split())
PROTESTER_HEADS = frozenset({"protesters", "protestors", "demonstrators", "rioters", "students",
                             "workers", "farmers", "supporters", "youths", "mob", "mobs"})
VICTIM_HEADS = frozenset({"civilians", "villagers", "residents", "students", "farmers", "herders"})

# the speaker just before a statement verb: "Emmanuel Macron had also said", "the French President
# revealed"
SPEAKER_RE = re.compile(
    r"(?P<who>(?:the\s+)?(?:[A-Z][\w’'.-]*\s+){0,4}(?:[A-Z][\w’'.-]*|(?i:president|minister|ministry"
    r"|spokesman|spokeswoman|spokesperson|government|officials?|leaders?|chief|commander|army|police"
    r"|governor|mayor)))\s+(?:(?:had|has|have|also|once|again|later|then|reportedly|publicly)\s+)*$")
# "a police spokesman said", ", police said": the source of the report, not an actor
SOURCE_AFTER_RE = re.compile(r"\s+(?:\w+\s+)?(?:said|say|says|told|reported|added|confirmed)\b")
COUNTED_BEFORE_RE = re.compile(r"(?:\d(?:[\d,]*\d)?|one|two|three|four|five|six|seven|eight|nine|ten|dozens\s+of"
                               r"|hundreds\s+of|several)\s+$", re.I)
# a head word used as a modifier of a facility or gear: "a military base", "police vehicles"
FACILITY_AFTER_RE = re.compile(r"[ -](?:base|bases|camp|camps|post|posts|vehicles?|convoys?|checkpoints?"
                               r"|barracks|stations?|installations?|positions?|headquarters|academy|hospital"
                               r"|spokesman|spokeswoman|spokesperson|source|sources|officials?|chief|commander)\b", re.I)
WORD_RE = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][\w’'-]*")
BETWEEN_RE = re.compile(r"\bbetween\s+", re.I)


def find_actors(text: str, *, event_type: str | None = None) -> tuple[str | None, str | None]:
    """Return (actor1, actor2) of a sentence as written, or None where there is none."""
    phrases = _actor_phrases(text)
    if not phrases:
        return None, None
    between = BETWEEN_RE.search(text)
    if between:
        after = [p for p in phrases if p[0] >= between.end()]
        if len(after) >= 2:
            return after[0][2], after[1][2]
    # counted phrases ("killing 11 soldiers") are usually the victims: they go last
    counted = {p[0] for p in phrases if _counted_before(text, p[0])}
    if len(counted) == len(phrases):
        return None, phrases[0][2]  # "killing eight people, among them two soldiers"
    phrases.sort(key=lambda p: (p[0] in counted, p[0]))
    ordered = [p for _, _, p, _ in phrases]
    heads = [h for _, _, _, h in phrases]
    if event_type in ("Protests", "Riots"):
        protesters = [p for p, h in zip(ordered, heads) if h in PROTESTER_HEADS]
        others = [p for p, h in zip(ordered, heads) if h not in PROTESTER_HEADS]
        if protesters:
            return protesters[0], (others[0] if others else None)
    elif event_type == "Violence against civilians":
        order = sorted(range(len(ordered)), key=lambda i: heads[i] in VICTIM_HEADS)
        ordered = [ordered[i] for i in order]
        if heads[order[0]] in VICTIM_HEADS:
            return None, ordered[0]  # the victims are known, the perpetrator is not
    unique = list(dict.fromkeys(ordered))
    return unique[0], (unique[1] if len(unique) > 1 else None)


def _counted_before(text: str, position: int) -> bool:
    """True when a count ("11", "two", "dozens of") stands just before position.

    Only the end of the text before position is searched (the spaces before position and 64
    characters before them), not all of it once per phrase: a long sentence of many actors
    would cost the square of its length.
    """
    end = position
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end < position and COUNTED_BEFORE_RE.search(text, max(0, end - 64), position) is not None


def find_speaker(text: str, verb_start: int) -> str | None:
    """Return who makes the statement whose verb starts at verb_start, as written, or None."""
    match = SPEAKER_RE.search(text, max(0, verb_start - 80), verb_start)
    if not match:
        return None
    words = match["who"].split()
    while words and words[0].lower() in SENTENCE_WORDS and words[0].lower() != "the":
        words.pop(0)
    return " ".join(words) or None


def _actor_phrases(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, phrase, head) for every actor phrase, modifiers included."""
    words = [(m.start(), m.end(), m[0]) for m in WORD_RE.finditer(text)]
    phrases = []
    for i, (start, end, word) in enumerate(words):
        head = word.lower()
        if head not in ACTOR_HEADS:
            continue
        first = i
        while first > 0 and i - first < 4:
            s, e, previous = words[first - 1]
            gap = text[e:words[first][0]]
            if gap.strip() or not _is_modifier(previous, first - 1 == 0):
                break
            first -= 1
        if (head in NEEDS_MODIFIER and first == i) or SOURCE_AFTER_RE.match(text, end) \
                or FACILITY_AFTER_RE.match(text, end):
            continue  # "police said"; "a military base" is a place, not an actor
        phrase = text[words[first][0]:end]
        phrases.append((words[first][0], end, phrase, head))
    return phrases


def _is_modifier(word: str, sentence_start: bool) -> bool:
    """True when a word may modify an actor head ("Azerbaijani", "Yerevan-backed", "armed")."""
    lower = word.lower()
    if lower in SENTENCE_WORDS:
        return False
    if lower in ACTOR_MODIFIERS or "-" in word:
        return True
    # a capitalised word is a name or a demonym, unless it only opens the sentence
    return word[0].isupper() and not (sentence_start and lower in ACTOR_HEADS)


# ACLED's standard names for the generic actors (ACLED Codebook 2023, "Actors"): state forces by
# country, and the unnamed demonstrators, rioters and civilians of a country
STATE_FORCE_HEADS = frozenset("forces force army armies troops soldiers military militaries gendarmes "
                              "gendarmerie commandos marines paratroopers".split())
POLICE_HEADS = frozenset("police policemen policewomen".split())
RIOTER_HEADS = frozenset({"rioters", "mob", "mobs", "youths"})
CIVILIAN_HEADS = frozenset({"civilians", "villagers", "residents", "farmers", "herders", "passengers",
                            "worshippers", "students", "pupils", "migrants", "traders"})
# words that make troops or police someone else's than the country's own
NOT_STATE_WORDS = frozenset("rebel rebels militia separatist separatists opposition foreign peacekeeping "
                            "un african coalition allied".split())


def acled_actor(phrase: str | None, country: str | None, demonyms: dict[str, str],
                event_type: str | None = None) -> str | None:
    """Return ACLED's name for an actor phrase where the codebook has one ("Military Forces of
    Nigeria", "Protesters (Kenya)", "Civilians (Mali)"), else the phrase as written.

    `demonyms` maps a demonym or country name in lower case to its country's name, so that
    "Russian troops" in Ukraine are Russia's forces; `country` is where the event happened.
    """
    if not phrase:
        return phrase
    words = [w.strip("’'").lower() for w in WORD_RE.findall(phrase)]
    if not words:
        return phrase
    head = words[-1]
    named = next((demonyms[w] for w in words[:-1] if w in demonyms), None)
    owner = named or country
    if owner is None or any(w in NOT_STATE_WORDS for w in words[:-1]):
        return phrase
    if head in POLICE_HEADS or (head == "officers" and "police" in words):
        return f"Police Forces of {owner}"
    if head in STATE_FORCE_HEADS and (named or "government" in words or "security" in words
                                      or "state" in words or head in ("army", "military", "soldiers", "troops")):
        return f"Military Forces of {owner}"
    if head in PROTESTER_HEADS - RIOTER_HEADS and event_type in ("Protests", "Riots"):
        return f"{'Rioters' if event_type == 'Riots' else 'Protesters'} ({owner})"
    if head in RIOTER_HEADS and event_type == "Riots":
        return f"Rioters ({owner})"
    if head in CIVILIAN_HEADS and event_type in ("Violence against civilians", "Explosions/Remote violence"):
        return f"Civilians ({owner})"
    return phrase
