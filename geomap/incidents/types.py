"""Event types: ACLED's taxonomy and the trigger words that map a sentence to it.

The event types and sub-event types are ACLED's (ACLED Codebook 2023, "Event types and
sub-event types"). The trigger words are geomap's own, chosen from the codebook's definitions.
One extension is clearly marked: ACLED codes political violence and protest only, so floods,
earthquakes and other natural hazards get geomap's own event type "Disasters" (not ACLED).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BATTLES = "Battles"
EXPLOSIONS = "Explosions/Remote violence"
VIOLENCE = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
STRATEGIC = "Strategic developments"
DISASTERS = "Disasters"  # geomap extension, not in ACLED's taxonomy

# ACLED Codebook 2023, event types and their sub-event types (+ geomap's Disasters extension)
TAXONOMY: dict[str, tuple[str, ...]] = {
    BATTLES: ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    EXPLOSIONS: ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                 "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"),
    VIOLENCE: ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    PROTESTS: ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    RIOTS: ("Violent demonstration", "Mob violence"),
    STRATEGIC: ("Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                "Headquarters or base established", "Looting/property destruction",
                "Non-violent transfer of territory", "Other"),
    DISASTERS: ("Flood", "Earthquake", "Landslide", "Storm", "Wildfire", "Drought", "Other hazard"),
}

# (family, event type, sub-event type, trigger pattern); earlier rows win within a family.
# Families rank the events of one sentence: see PRIMARY_ORDER.
TRIGGERS: list[tuple[str, str, str, str]] = [
    ("explosion", EXPLOSIONS, "Chemical weapon", r"chemical\s+(?:attacks?|weapons?)|sarin|chlorine\s+gas"),
    ("explosion", EXPLOSIONS, "Suicide bomb", r"suicide\s+(?:bomb(?:er|ing)?s?|attack(?:er)?s?|blasts?|vest)"),
    ("explosion", EXPLOSIONS, "Air/drone strike",
     r"air\s*strikes?|air[\s-]raids?|drone\s+(?:strikes?|attacks?)|bombing\s+raids?|warplanes?"
     r"|(?:fighter|military|war)\s+jets?|helicopter\s+gunships?|gunships?"
     r"|(?:struck|hit|targeted)\s+(?:\w+\s+)?from\s+the\s+air"),
    ("explosion", EXPLOSIONS, "Remote explosive/landmine/IED",
     r"IEDs?|improvised\s+explosive|roadside\s+bombs?|car\s+bombs?|truck\s+bombs?|land\s*mines?"
     r"|explosive\s+devices?|bombs?\s+(?:exploded|went\s+off|blast)|booby[\s-]trap\w*"),
    ("explosion", EXPLOSIONS, "Grenade", r"grenades?"),
    ("explosion", EXPLOSIONS, "Shelling/artillery/missile attack",
     r"shell(?:ing|ed)|(?:rocket|artillery|mortar|missile)\s+(?:fire|attacks?|strikes?|barrages?)"
     r"|bombard(?:ment|ed|ing)|barrages?|pounded"),
    # weapons named without the attack: an event only beside a verb of firing or hitting
    ("weapon", EXPLOSIONS, "Shelling/artillery/missile attack", r"rockets?|artillery|missiles?|mortars?|shells"),
    ("weapon", EXPLOSIONS, "Remote explosive/landmine/IED", r"bomb(?:ed|ing|ings|s)?|blasts?|explosions?"),
    ("riot", RIOTS, "Mob violence", r"mobs?|lynch(?:ed|ing)?|vigilantes?"),
    ("riot", RIOTS, "Violent demonstration",
     r"riot(?:s|ing|ed|ers)?(?!\s+(?:police|gear|squad|control|shields?|units?|officers))|rioters"
     r"|(?:set|setting)\s+(?:on\s+)?fire|set\s+ablaze|torch(?:ed|ing)|threw\s+(?:stones|rocks)"
     r"|stone[\s-]throwing|pelted|vandali[sz](?:ed|ing)|smash(?:ed|ing)\s+(?:shop|window|car)s?"),
    ("protest", PROTESTS, "Peaceful protest",
     r"protest(?:s|ed|ers|ing|ors)?|demonstrat(?:ion|ions|ors|ed|ing)|rall(?:y|ies|ied)"
     r"|(?-i:march(?:ed|es|ers)?)|sit-ins?|took\s+to\s+the\s+streets|picket(?:s|ed|ing)?"
     r"|walk-?outs?|went\s+on\s+strike|general\s+strike|vigils?"),
    ("violence", VIOLENCE, "Abduction/forced disappearance",
     r"abduct(?:ed|ion|ions|s|ing)?|kidnap(?:ped|ping|pings|s)?|taken\s+hostage|held\s+hostage"
     r"|forcibly\s+disappeared|seized\s+hostages"),
    ("violence", VIOLENCE, "Sexual violence", r"rap(?:ed|e|es)|sexual(?:ly)?\s+(?:violence|assault(?:ed)?|abused)"),
    ("violence", VIOLENCE, "Attack",
     r"massacre(?:d|s)?|executed|executions?|slaughter(?:ed)?|behead(?:ed|ing)|gunned\s+down"
     r"|attack(?:s|ed|ing)?\s+(?:on\s+)?(?:\w+\s+){0,3}?(?:civilians?|villages?|villagers|worshippers"
     r"|markets?|schools?|churches|church|mosques?|hospitals?|camps?|homes|houses|passengers)"
     r"|(?:civilians?|villagers|worshippers|passengers)\s+(?:\w+\s+){0,2}?(?:attacked|targeted)"
     r"|attacks?\s+(?:\w+\s+){0,6}?targeted\s+civilian"),
    ("battle", BATTLES, "Government regains territory", r"recaptur(?:ed|ing)|retook|regain(?:ed)?\s+control"),
    ("battle", BATTLES, "Non-state actor overtakes territory",
     r"(?:seized|took|taken|seize|take)\s+control\s+of|overran|captured\s+the\s+(?:town|city|village|district|base)"),
    ("battle", BATTLES, "Armed clash",
     r"fighting|fought|clash(?:es|ed)?|skirmish(?:es)?|battles?|battled|gun\s*battles?|firefights?"
     r"|exchanges?\s+of\s+fire|exchanged\s+fire|offensives?|ambush(?:ed|es)?|attack(?:s|ed)?"),
    ("war", BATTLES, "Armed clash", r"wars?"),
    ("disaster", DISASTERS, "Flood", r"flood(?:s|ing|ed|waters)?|flash\s+floods?|torrential\s+rains?"),
    ("disaster", DISASTERS, "Earthquake", r"earthquakes?|quakes?|tremors?|tsunami"),
    ("disaster", DISASTERS, "Landslide", r"landslides?|mudslides?"),
    ("disaster", DISASTERS, "Storm", r"cyclones?|hurricanes?|typhoons?|tornado(?:es)?"),
    ("disaster", DISASTERS, "Wildfire", r"wildfires?|forest\s+fires?|bushfires?"),
    ("kill", VIOLENCE, "Attack", r"killed|killing|kills|shot\s+dead|murdered|shot|stabbed"),
    ("agreement", STRATEGIC, "Agreement",
     r"sign(?:ed|s|ing)?\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,2}?(?:agreement|accord|deal|treaty|ceasefire|truce)"
     r"|agreed\s+(?:to|on)\s+(?:an?\s+|the\s+)?(?:ceasefire|truce|peace)"),
    ("arrest", STRATEGIC, "Arrests", r"arrest(?:ed|s|ing)?|detained|rounded\s+up|taken\s+into\s+custody"),
    ("looting", STRATEGIC, "Looting/property destruction",
     r"loot(?:ed|ing)|(?:burned|burnt|torched|razed|destroyed|demolished)\s+(?:\w+\s+){0,2}?"
     r"(?:houses|homes|villages?|shops|property|buildings|crops)"),
    ("movement", STRATEGIC, "Change to group/activity",
     r"pass(?:ed|ing)?\s+through|transit(?:ed|ing)?\s+(?:through|via)|travell?(?:ed|ing)\s+through"
     r"|crossed\s+(?:into|the\s+border)|deploy(?:ed|ment|ing)?|redeploy(?:ed|ment|ing)?|withdr(?:ew|awn|awal)|pulled\s+out"
     r"|mobili[sz](?:ed|ation)|reinforcements|sent\s+(?:\w+\s+)?troops|entered"),
    ("policy", STRATEGIC, "Other",
     r"suspend(?:ed|s|ing)?|sanctions?|sanctioned|bann?(?:ed|s|ing)|embargo|curfew|state\s+of\s+emergency"
     r"|martial\s+law|expel(?:led|s)?|recall(?:ed|s)?\s+(?:its\s+|their\s+)?ambassadors?"
     r"|closed\s+(?:the|its)\s+border|shut\s+(?:down\s+)?(?:the\s+)?internet"),
    ("statement", STRATEGIC, "Other",
     r"said|says|told|stated|declared|announced|revealed|warned|stressed|insisted|confirmed"
     r"|expressed\s+(?:\w+\s+)?(?:concern|regret|support)|condemned|called\s+(?:for|on)|urged|denied"
     r"|accused|pledged|promised|vowed"),
]

# The violent or disruptive families, most specific first: the first found is the sentence's event.
PRIMARY_ORDER = ("explosion", "riot", "protest", "violence", "battle", "weapon", "war", "disaster",
                 "kill")
ACTION_FAMILIES = ("agreement", "arrest", "looting", "movement", "policy")

# what turns a named weapon into an attack ("fired three missiles", "a bomb exploded")
ATTACK_VERB_RE = re.compile(
    r"\b(?:fir(?:ed|es|ing)|launch(?:ed|es|ing)|struck|strikes?|hit|landed|fell|kill(?:ed|ing)"
    r"|wound(?:ed|ing)|injur(?:ed|ing)|explod(?:ed|ing)|detonat(?:ed|ing)|went\s+off|rained|pounded"
    r"|slammed|targeted|bombed|destroyed|damaged)\b", re.I)
AIRCRAFT_RE = re.compile(r"\b(?:jets?|warplanes?|aircraft|planes?|helicopters?|drones?|air\s+force)\b", re.I)
# a hazard or weapon word that names a place, people or gear, not an event ("the quake zone")
NOT_EVENT_AFTER_RE = re.compile(
    r"-(?:hit|affected|stricken|prone)\b"
    r"|[\s-]+(?:zones?|areas?|regions?|survivors|victims|relief|aid|appeal"
    r"|reconstruction|defen[cs]es|barriers|season|risks?|warnings?|preparedness|insurance|shelters?"
    r"|launchers?|systems?|programmes?|programs?|deals?|sales?|exports?|factory|factories)\b", re.I)
# A protest that security forces broke up, or fired on (ACLED Codebook 2023, Protests)
INTERVENTION_RE = re.compile(
    r"\b(?:tear\s*gas|teargas|dispers(?:ed|e|ing)|water\s+cannons?|rubber\s+bullets|batons?"
    r"|arrest(?:ed|s)|detained|broke\s+up|baton[\s-]charged)\b", re.I)
FORCE_RE = re.compile(r"\b(?:opened\s+fire|live\s+(?:ammunition|rounds|fire)|shot\s+dead|killed|killing)\b", re.I)
CIVILIAN_RE = re.compile(
    r"\b(?:civilians?|villagers|worshippers|farmers|herders|students|pupils|schoolchildren|children"
    r"|women|residents|passengers|shoppers|aid\s+workers|journalists|teachers|patients|refugees"
    r"|displaced)\b", re.I)
# a trigger right after these words is denied, hoped for or called off, not reported
NEGATED_BEFORE_RE = re.compile(
    r"\b(?:end|ends|ending|ended|stop|stopping|halt|halting|cessation\s+of|prevent|preventing|avoid"
    r"|avoiding|no|not|never|without|threat\s+of|risk\s+of|fears?\s+of|possible|potential|any"
    r"|threaten(?:s|ed)?\s+to|plans?\s+to|would|could|might|will|may|resume|call(?:s|ed|ing)?\s+for"
    r"|demand(?:s|ed|ing)?|urg(?:e|es|ed|ing))"
    r"\s+(?:(?:the|a|an|further|new|more|all|any|renewed|fresh)\s+)?(?:[\w-]+\s+)?$", re.I)

def literal_prefixes(pattern: str) -> tuple[str, ...] | None:
    """Lower-case texts one of which every match of `pattern` starts with; None if unknown.

    A quick substring test with these skips the regular expressions that cannot match, which
    is most of them in most sentences.
    """
    prefixes: list[str] = []
    for alternative in _split_top(pattern):
        found = _prefixes_of(alternative)
        if not found:
            return None
        prefixes.extend(found)
    return tuple(sorted(set(prefixes)))


def _split_top(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _prefixes_of(alternative: str) -> list[str] | None:
    """Literal starts of one alternative (through a leading group), or None."""
    if alternative.startswith("("):
        depth, i = 0, 0
        for i, ch in enumerate(alternative):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0:
                break
        if alternative[i + 1:i + 2] in ("?", "*", "{"):
            return None
        inner = re.sub(r"^\(\?(?:[-a-zA-Z]*:)?", "", alternative[:i + 1])[:-1]
        found = literal_prefixes(inner)
        return list(found) if found else None
    literal = re.match(r"[A-Za-z0-9 '-]*", alternative)[0]
    rest = alternative[len(literal):]
    if rest[:1] in ("?", "*", "{"):
        literal = literal[:-1]  # the last letter is optional
    return [literal.lower()] if len(literal) >= 2 else None


_COMPILED = [(family, event_type, sub_type, re.compile(rf"\b(?:{pattern})\b", re.I),
              literal_prefixes(pattern))
             for family, event_type, sub_type, pattern in TRIGGERS]
_PREFIXES = {p for *_, prefixes in _COMPILED for p in prefixes or ()}
# one pass finds which trigger words may be present; every trigger starts at a word boundary
_PREFIX_RE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(_PREFIXES, key=len, reverse=True)) + ")")


@dataclass(frozen=True)
class EventCall:
    """What a sentence reports: an ACLED type and sub-type, from a trigger at start:end."""

    event_type: str
    sub_event_type: str
    family: str
    start: int
    end: int
    trigger: str


def find_triggers(text: str) -> list[EventCall]:
    """Return every trigger in text that is reported as happening (not denied or called for)."""
    calls = []
    seen = {word[:k] for word in _PREFIX_RE.findall(text.lower()) for k in range(2, len(word) + 1)}
    for family, event_type, sub_type, pattern, prefixes in _COMPILED:
        if prefixes is not None and seen.isdisjoint(prefixes):
            continue
        for match in pattern.finditer(text):
            if family not in ("statement", "policy", "agreement") and _negated(text, match.start()):
                continue
            if family in ("explosion", "weapon", "disaster") and NOT_EVENT_AFTER_RE.match(text, match.end()):
                continue
            calls.append(EventCall(event_type, sub_type, family, match.start(), match.end(), match[0]))
    return calls


def classify(text: str, *, has_toll: bool = False) -> tuple[EventCall | None, list[EventCall], EventCall | None]:
    """Return (the violent or disruptive event, the strategic actions, the statement) of a sentence."""
    calls = find_triggers(text)
    by_family: dict[str, list[EventCall]] = {}
    for call in calls:
        by_family.setdefault(call.family, []).append(call)
    primary = None
    for family in PRIMARY_ORDER:
        if family in by_family:
            if family == "war" and not has_toll:
                continue  # "the war in Ukraine" is context; "a war that left 30,000 dead" is an event
            if family == "kill" and not CIVILIAN_RE.search(text):
                continue  # killing without civilian victims: a toll for the event told around it
            if family == "weapon" and not ATTACK_VERB_RE.search(text):
                continue  # "the army needs more artillery" reports no attack
            primary = min(by_family[family], key=lambda c: c.start)
            break
    if primary is not None:
        primary = _refine(primary, text, by_family)
    actions = [] if primary else [min(by_family[f], key=lambda c: c.start)
                                  for f in ACTION_FAMILIES if f in by_family]
    statements = by_family.get("statement", [])
    return primary, actions, (statements[0] if statements else None)


def _negated(text: str, start: int) -> bool:
    """True when the words just before a trigger deny it or call for it to stop."""
    return bool(NEGATED_BEFORE_RE.search(text, max(0, start - 48), start))


def _refine(call: EventCall, text: str, by_family: dict[str, list[EventCall]]) -> EventCall:
    """Adjust the sub-type from the rest of the sentence (protests broken up, attacks on civilians)."""
    if call.family == "protest":
        if "riot" in by_family:
            riot = by_family["riot"][0]
            return EventCall(RIOTS, "Violent demonstration", "riot", riot.start, riot.end, riot.trigger)
        if FORCE_RE.search(text):
            return _with(call, PROTESTS, "Excessive force against protesters")
        if INTERVENTION_RE.search(text):
            return _with(call, PROTESTS, "Protest with intervention")
    if call.family == "riot" and call.sub_event_type == "Violent demonstration" \
            and "protest" not in by_family and "mob" not in text.lower():
        return _with(call, RIOTS, "Violent demonstration")
    if call.family in ("explosion", "weapon") and call.trigger.lower().startswith("bomb") \
            and AIRCRAFT_RE.search(text):
        return _with(call, EXPLOSIONS, "Air/drone strike")  # "military jets bombed a village"
    if call.family == "battle" and call.trigger.lower().startswith("attack") and CIVILIAN_RE.search(text):
        return _with(call, VIOLENCE, "Attack")
    return call


def _with(call: EventCall, event_type: str, sub_type: str) -> EventCall:
    return EventCall(event_type, sub_type, call.family, call.start, call.end, call.trigger)
