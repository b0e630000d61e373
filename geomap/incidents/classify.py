"""Classifying a sentence: which of its triggers is the event, by the codebook's distinctions.

Demonstrators who use violence riot; an attack on unarmed people is violence against civilians,
a fight between armed sides a battle; deaths in crashes, of disease or on a pitch, words in a
court or at a parade, are no political violence; an ordinary arrest is no strategic development
(ACLED Codebook 2023, event type definitions).
"""

from __future__ import annotations

import re
from functools import cached_property

from geomap.incidents.taxonomy import BATTLES, EXPLOSIONS, PROTESTS, RIOTS, STRATEGIC, VIOLENCE
from geomap.incidents.triggers import (ACTION_FAMILIES, INTERVENTION_RE, PRIMARY_ORDER, EventCall,
                                       find_triggers)
from geomap.scan import LiteralStarts, search_at


# what turns a named weapon into an attack ("fired three missiles", "a bomb exploded")
ATTACK_VERB_RE = re.compile(
    r"\b(?:fir(?:ed|es|ing)|launch(?:ed|es|ing)|struck|strikes?|hit|landed|fell|kill(?:ed|ing)|dropped"
    r"|wound(?:ed|ing)|injur(?:ed|ing)|explod(?:ed|ing)|detonat(?:ed|ing)|went\s+off|rained|pounded|rocked"
    r"|slammed|targeted|bombed|destroyed|damaged)\b", re.I)


AIRCRAFT_RE = re.compile(r"\b(?:jets?|warplanes?|aircraft|planes?|helicopters?|drones?|air\s+force)\b", re.I)


FORCE_RE = re.compile(r"\b(?:opened\s+fire|live\s+(?:ammunition|rounds|fire)|shot\s+dead|killed|killing)\b", re.I)


CIVILIAN_RE = re.compile(
    r"\b(?:civilians?|villagers|worshippers|farmers|herders|students|pupils|schoolchildren|children"
    r"|women|residents|passengers|shoppers|aid\s+workers|journalists|teachers|patients|refugees"
    r"|displaced|migrants|mourners|travell?ers|traders|herdsmen|fishermen|miners|worshipers"
    r"|villages?|homes|houses|markets?)\b", re.I)


# animals slaughtered or killed, and the places they are killed in: no violence against people
ANIMAL_RE = re.compile(r"\b(?:animals?|livestock|cattle|cows?|sheep|goats?|pigs?|poultry|chickens?|birds|ducks"
                       r"|herds?|flocks?|carcass\w*|slaughter\s*house\w*|abattoirs?|culled|culling|horses?)\b", re.I)


# a court, a law or a trial: what a sentence tells there is a legal matter
JUDICIAL_RE = re.compile(r"\b(?:convicted|trial|prosecuted|prosecutors?|sentenced|court|charged\s+with|pleaded"
                         r"|acquitted|jury|verdict|Act\s+(?:of\s+)?\d{4}|lawsuit|indicted)\b", re.I)


_SAYING = r"said|says|told|reported|confirmed|added"
ATTRIBUTION_RE = re.compile(
    r",?\s*(?:(?:a|the)\s+)?(?:[\w-]+\s+){0,2}?(?:police|army|military|officials?|spokes(?:man|woman|person)|sources?"
    r"|commanders?|authorities|residents|witnesses|survivors|locals|activists|monitors?|rescuers|medics"
    rf"|doctors|organi[sz]ers)\s+(?:{_SAYING})\b"
    r"|\baccording\s+to\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:police|army|military|officials?|authorities)\b", re.I)
# every attribution holds one of these words: the slow expression above is tried only where one is
SAYING_RE = re.compile(rf"\b(?:{_SAYING}|according)\b", re.I)


# contexts in which deaths and violence words report something other than political violence:
# accidents, disease, sport (ACLED codes none of them)
ACCIDENT_RE = re.compile(
    r"\b(?:crash(?:ed|es)?|collision|collided|accident|capsiz(?:ed|ing)|derail(?:ed|ment)"
    r"|(?:building|bridge|mine|wall|roof|dam)\s+collaps\w*|collaps(?:ed|e)\b|electrocut\w*|lightning"
    r"|plunged|overturned|skidded|fire\s+broke\s+out|blaze\s+(?:broke|started)|gas\s+(?:leak|explosion)"
    r"|boiler|stampede|food\s+poisoning|heatwave|heat\s+wave|lost\s+control|plough?ed\s+into|plowed\s+into"
    r"|ammonium\s+nitrate|fuel\s+tanker|gas\s+cylinder|accidental\w*|caused\s+by\s+(?:a\s+)?(?:\w+\s+){0,3}?"
    r"(?:leak|fault|fire|chemicals?|negligence|short\s+circuit))", re.I)


# troops and jets on parade or in an exercise: armed forces, and no violence
CEREMONY_RE = re.compile(r"\b(?:parade[sd]?|anniversary|ceremon(?:y|ies)|commemorat\w*|air\s+show|fly-?past"
                         r"|(?:military|joint|naval|live-fire)\s+(?:exercises?|drills?))\b", re.I)


DISEASE_RE = re.compile(
    r"\b(?:cholera|ebola|measles|malaria|covid(?:-19)?|coronavirus|virus|viral|disease|outbreak|epidemic"
    r"|pandemic|infect\w*|dengue|influenza|flu|mpox|monkeypox|tuberculosis|lassa|anthrax|plague"
    r"|meningitis|polio|zika|hiv|aids|sars|mers|bird\s+flu|swine\s+flu|h[157]n[1-9])\b", re.I)


SPORT_RE = re.compile(
    r"\b(?:match|goals?|striker|league|tournament|championship|stadium|penalty|fixture|midfielder"
    r"|defender|goalkeeper|scored|innings|wicket|semi-?finals?|quarter-?finals?|olympic\w*|coach"
    r"|rugby|cricket|football|soccer|basketball|tennis|boxing|squad|derby|aggregate|lap|champions?"
    r"|trials|medal|metres|marathon|fans|flanker|tackle|boxer|bout|knock-?out|opponent|home\s+side"
    r"|visitors|scrum|heavyweight|title\s+fight|Six\s+Nations|World\s+Cup)\b", re.I)


# trigger words that are figures of speech as often as events ("a bitter battle over tax", "attacked
# the plan"): an event only with an armed side, an armed target or a toll in the sentence
FIGURATIVE_PRONE = frozenset("battle battles battled attack attacks attacked fought engaged raid raids "
                             "raided stormed".split())


# an arrest ACLED records: of people acting in politics or conflict, not of ordinary suspects
POLITICAL_ARREST_RE = re.compile(
    r"\b(?:activists?|protesters?|protestors?|demonstrators?|opposition|journalists?|reporters?"
    r"|dissidents?|leaders?|members?|supporters?|militants?|insurgents?|rebels?|fighters?|jihadists?"
    r"|separatists?|bandits?|militia\w*|terrorists?|extremists?|politicians?|lawmakers?|mps?|candidates?"
    r"|students?|strikers?|unionists?|trade\s+union\w*|bloggers?|critics?|commanders?|soldiers?|officers?"
    r"|clerics?|organi[sz]ers?|collaborat\w*|spies|spy|espionage|treason|sedition|coup|plot\w*"
    r"|Islamic\s+State|IS|ISIS|Daesh|al[- ]Qaeda|Boko\s+Haram|Shabaab|Taliban|ISWAP|JNIM|PKK|Hamas"
    r"|mayors?|governors?|ministers?|senators?|deputies|councill?ors?|rectors?|editors?)\b", re.I)


# where the victims are armed, a killing or an attack is a fight, not violence against civilians
ARMED_TARGET_RE = re.compile(
    r"\b(?:soldiers?|troops?|military|army|police(?:men|man|women)?|officers?|gendarmes?|security\s+forces"
    r"|militants?|insurgents?|rebels?|fighters?|jihadists?|militia(?:men|s)?|guards?|commandos?"
    r"|(?:army|military|police)\s+(?:base|post|camp|station|checkpoint|convoy|patrol|barracks)"
    r"|base|barracks|checkpoint|convoy|patrol|outpost|positions?)\b", re.I)


# who does the killing: an armed actor (a killing with none named is not coded from the word alone)
ARMED_ACTOR_RE = re.compile(
    r"\b(?:gunmen|gunman|militants?|insurgents?|rebels?|fighters?|jihadists?|militia(?:men|s)?|bandits?"
    r"|attackers?|assailants?|soldiers?|troops?|army|police|security\s+forces|forces|armed\s+men"
    r"|herders?|herdsmen|terrorists?|extremists?|kidnappers?|mercenaries|paramilitar\w*|guerrillas?"
    r"|(?:suspected|unknown|unidentified)\s+\w+|Boko\s+Haram|Al[- ]Shabaab|Taliban|ISIS|ISWAP|JNIM|Hamas"
    r"|Hezbollah|Houthis?|Wagner|cartel|gangs?|gangsters?|settlers|reinforcements|battalions?|contingents?"
    r"|peacekeepers|peacekeeping|brigades?|regiments?|units)\b", re.I)


# armed groups that burn and destroy as an armed group, not as demonstrators (police are left out:
# they are the other side of most riots)
ARMED_GROUP_RE = re.compile(
    r"\b(?:gunmen|militants?|insurgents?|rebels?|fighters?|jihadists?|militia(?:men|s)?|bandits?|soldiers?"
    r"|troops?|army|settlers|herders?|herdsmen|terrorists?|extremists?|mercenaries|paramilitar\w*"
    r"|guerrillas?|separatists?|attackers?|assailants?|guards?|gunmen|gunman)\b", re.I)


# strategic developments that only an armed group makes (ACLED Codebook 2023)
ARMED_ACTIONS = frozenset({"movement", "base", "transfer"})


# the families of violent events, which accidents, disease and sport can imitate
VIOLENT_FAMILIES = frozenset({"explosion", "weapon", "violence", "battle", "war", "kill"})


# "arrested ... for organising demonstrations": the protest is the reason for the arrest
FOR_PROTEST_RE = re.compile(r"\b(?:for|over)\s+(?:organi[sz]ing|leading|joining|taking\s+part\s+in|participating\s+in|calling)\s+$", re.I)


# a raid or storming to make arrests is an arrest, not a battle (when no one died)
RAID_TRIGGERS = frozenset("raid raids raided stormed".split())
# unorganised attackers: an attack by them is mob violence (ACLED Codebook 2023, Riots)
MOB_ATTACKER_RE = re.compile(r"\b(?:residents|villagers|youths|crowds?|locals|mobs?|angry\s+\w+|vigilantes"
                             r"|(?:hundreds|dozens|thousands|scores|groups?)\s+of\s+(?:young\s+)?(?:men|people|youths|locals|residents))\b", re.I)


PROTESTER_RE = re.compile(r"\b(?:protesters|protestors|demonstrators|rioters|students|strikers|crowds?|youths)\b", re.I)


PASSIVE_BEFORE_RE = re.compile(r"\b(?:was|were|been|being|are|is)\s+(?:\w+\s+)?$", re.I)


# the contexts of no political violence, tried where their words stand
_MUNDANE = LiteralStarts([ACCIDENT_RE, DISEASE_RE, SPORT_RE, JUDICIAL_RE, ANIMAL_RE])


class _Facts:
    """What the codebook's distinctions turn on in one sentence, each looked up once, when asked."""

    def __init__(self, text: str, has_toll: bool):
        self.text, self.has_toll = text, has_toll

    @cached_property
    def acting(self) -> str:
        """The sentence without its attributions ("police said"): who reports is not who acts."""
        return without_attributions(self.text)

    @cached_property
    def mundane(self) -> bool:
        """Deaths in a crash, of a disease or on a pitch: no political violence is told."""
        starts = _MUNDANE.starts(self.text)
        return any(search_at(pattern, self.text, starts.get(row, ()))
                   for row, pattern in enumerate(_MUNDANE.patterns))

    @cached_property
    def ceremony(self) -> bool:
        return bool(CEREMONY_RE.search(self.text))

    @cached_property
    def armed_actor(self) -> bool:
        return bool(ARMED_ACTOR_RE.search(self.acting))

    @cached_property
    def civilians(self) -> bool:
        return bool(CIVILIAN_RE.search(self.text))

    @cached_property
    def physical(self) -> bool:
        """Someone armed, someone hurt or an unarmed target: "attack" and "battle" are meant literally."""
        return self.armed_actor or self.has_toll or self.civilians or bool(ARMED_TARGET_RE.search(self.text))

    def allows(self, family: str, calls: list[EventCall]) -> list[EventCall]:
        """The calls of a violent or disruptive family that the sentence bears out."""
        if family == "war" and not self.has_toll:
            return []  # "the war in Ukraine" is context; "a war that left 30,000 dead" is an event
        if family == "kill" and ((self.mundane and not (self.armed_actor and self.has_toll))
                                 or not (self.civilians or self.armed_actor)):
            return []  # a death with no one who killed: a toll for the event told around it
        if family == "weapon" and not ATTACK_VERB_RE.search(self.text):
            return []  # "the army needs more artillery" reports no attack
        if family in VIOLENT_FAMILIES and ((self.mundane and not (self.armed_actor and self.has_toll))
                                           or (self.ceremony and not self.has_toll)):
            return []  # "a striker's attack", "a crash killed", "cattle slaughtered", "jets on parade"
        if family == "battle" and not self.physical:
            return [c for c in calls if c.trigger.lower() not in FIGURATIVE_PRONE]
        return calls


def classify(text: str, *, has_toll: bool = False) -> tuple[EventCall | None, list[EventCall]]:
    """Return (the violent or disruptive event, the strategic actions) a sentence reports."""
    calls = find_triggers(text)
    if not calls:
        return None, []
    # "recovered 12 hand grenades": the weapon is the object of a seizure, not an explosion
    seized = [c for c in calls if c.family == "disrupted"]
    if seized and not has_toll:  # "seized forty rifles, two hundred grenades": all seized
        calls = [c for c in calls if c.family not in ("explosion", "weapon") or c.start < seized[0].start]
    by_family: dict[str, list[EventCall]] = {}
    for call in calls:
        by_family.setdefault(call.family, []).append(call)
    facts = _Facts(text, has_toll)
    primary = next((min(allowed, key=lambda c: c.start) for family in PRIMARY_ORDER
                    if family in by_family and (allowed := facts.allows(family, by_family[family]))),
                   None)
    if primary is not None and _arrest_comes_first(text, primary, by_family, has_toll):
        primary = None  # "arrested members of a kidnapping ring in a raid": the arrest is the event
    if primary is not None:
        return _refine(primary, text, by_family, facts), []
    if "looting" in by_family and (PROTESTER_RE.search(text) or MOB_ATTACKER_RE.search(text)) \
            and not ARMED_GROUP_RE.search(text):
        return _with(by_family["looting"][0], RIOTS, "Violent demonstration"), []  # "students burned dormitories"
    actions = []
    for family in ACTION_FAMILIES:
        if family not in by_family:
            continue
        if family == "arrest" and not (_political_arrest(text, by_family[family][0])
                                       or ARMED_GROUP_RE.search(text, 0, by_family[family][0].start)):
            continue  # an ordinary criminal arrest is not a strategic development
        if family == "pact" and ("agreement" in by_family or not facts.armed_actor):
            continue  # a business deal; an agreement already found
        if family in ARMED_ACTIONS and (facts.mundane or not facts.armed_actor
                                        or (family == "movement" and facts.ceremony)):
            continue  # an armed group's act: not doses mobilised, staff deployed, camps set up for the displaced
        if family == "looting" and not (facts.armed_actor or PROTESTER_RE.search(text)
                                        or MOB_ATTACKER_RE.search(text)):
            continue  # "deliveries stopped by looting": no one is said to loot
        if family == "policy" and facts.mundane:
            continue  # a state of emergency over a flu outbreak
        actions.append(min(by_family[family], key=lambda c: c.start))
    return None, actions


def _political_arrest(text: str, call: EventCall) -> bool:
    """True when who was arrested (after the verb, or before it in the passive) is political."""
    after = re.split(r"[.;]", text[call.end:call.end + 100])[0]
    before = text[max(0, call.start - 100):call.start] if PASSIVE_BEFORE_RE.search(
        text, max(0, call.start - 20), call.start) else ""
    return bool(POLITICAL_ARREST_RE.search(after) or POLITICAL_ARREST_RE.search(before))


def _arrest_comes_first(text: str, primary: EventCall, by_family: dict, has_toll: bool) -> bool:
    """True when the sentence reports an arrest and its violence or protest is only its reason."""
    if "arrest" not in by_family or has_toll or by_family["arrest"][0].start > primary.start:
        return False
    if primary.trigger.lower() in RAID_TRIGGERS:
        return True  # "arrested a scam boss in a raid": an arrest (or nothing), not a battle
    return primary.family in ("battle", "violence") or (
        primary.family == "protest" and bool(FOR_PROTEST_RE.search(text, 0, primary.start)))


def _refine(call: EventCall, text: str, by_family: dict[str, list[EventCall]], facts: _Facts) -> EventCall:
    """Adjust the type from the rest of the sentence, by the codebook's distinctions: demonstrators
    who use violence riot; an attack on unarmed people is violence against civilians, a fight
    between armed sides a battle; force against protesters is its own sub-type."""
    if call.family == "protest":
        if "battle" in by_family and any(c.trigger.lower().startswith("clash") for c in by_family["battle"]):
            return _with(call, RIOTS, "Violent demonstration")  # protesters clashed with police
        if FORCE_RE.search(text) and not ANIMAL_RE.search(text):
            return _with(call, PROTESTS, "Excessive force against protesters")
        if INTERVENTION_RE.search(text):
            return _with(call, PROTESTS, "Protest with intervention")
    if call.family in ("explosion", "weapon") and call.trigger.lower().startswith("bomb") \
            and AIRCRAFT_RE.search(text):
        return _with(call, EXPLOSIONS, "Air/drone strike")  # "military jets bombed a village"
    after = text[call.end:]
    before = text[max(0, call.start - 80):call.start]
    by_mob = re.search(r"\bby\s+(?:an?\s+|the\s+)?(?:angry\s+)?(?:crowd|mob|residents|villagers|youths|locals)\b",
                       text[call.end:call.end + 60], re.I)
    if call.family in ("battle", "violence", "kill") and call.sub_event_type in ("Armed clash", "Attack") \
            and ((MOB_ATTACKER_RE.search(before) and not ARMED_ACTOR_RE.search(before)) or by_mob):
        if re.match(r"\s+(?:with\s+)?(?:the\s+)?(?:riot\s+)?(?:police|security\s+forces|officers|soldiers|troops)", after):
            return _with(call, RIOTS, "Violent demonstration")  # "youths clashed with police"
        return _with(call, RIOTS, "Mob violence")  # "residents armed with sticks attacked migrants"
    if call.family == "riot" and call.sub_event_type == "Violent demonstration" \
            and ARMED_GROUP_RE.search(before) and not PROTESTER_RE.search(text):
        # an armed group burning and destroying: not demonstrators
        if has_victims(text):
            return _with(call, VIOLENCE, "Attack")
        return _with(call, STRATEGIC, "Looting/property destruction")
    if call.family == "battle" and call.sub_event_type == "Armed clash" and CIVILIAN_RE.search(facts.acting) \
            and not ARMED_TARGET_RE.search(without_attributions(after)):
        return _with(call, VIOLENCE, "Attack")  # "gunmen stormed the village, killing farmers"
    if call.family == "kill":
        passive = PASSIVE_BEFORE_RE.search(text, max(0, call.start - 20), call.start)
        victims = text[max(0, call.start - 60):call.start] if passive else re.split(r"[,;.]", text[call.end:call.end + 60])[0]
        if ARMED_TARGET_RE.search(victims) and not CIVILIAN_RE.search(victims) and ARMED_ACTOR_RE.search(text):
            return _with(call, BATTLES, "Armed clash")  # soldiers or fighters killed by another armed side
    return call


def without_attributions(text: str) -> str:
    """Return text with its attributions ("police said") blanked: who reports is not who acts."""
    return ATTRIBUTION_RE.sub(" ", text) if SAYING_RE.search(text) else text


def has_victims(text: str) -> bool:
    """True when people were killed or hurt in the sentence."""
    return bool(re.search(r"\b(?:killed|killing|shot\s+dead|wounded|injured|dead|died|hurt)\b", text, re.I)) \
        and not re.search(r"\bno\s+one\s+was\s+(?:hurt|killed|injured)|\bnobody\s+was\b", text, re.I)


def _with(call: EventCall, event_type: str, sub_type: str) -> EventCall:
    return EventCall(event_type, sub_type, call.family, call.start, call.end, call.trigger)
