"""Trigger words: the table that maps a sentence's words to ACLED's event types, and finding them.

Each row follows the codebook's definition of its sub-event type (ACLED Codebook 2023, "Event
types and sub-event types"); the words are geomap's own. A trigger counts when it is reported
as happening: not denied, called for, hypothetical or a figure of speech. Which of a sentence's
triggers makes its event is geomap.incidents.classify's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geomap.scan import LiteralStarts, matches_at
from geomap.incidents.taxonomy import (BATTLES, DISASTERS, EXPLOSIONS, PROTESTS, RIOTS, STRATEGIC,
                                       VIOLENCE)


# (family, event type, sub-event type, trigger pattern); earlier rows win within a family.
# Each row follows the codebook's definition of its sub-event type; families rank the events of
# one sentence (see PRIMARY_ORDER). There is no catch-all: words of saying make no event.
TRIGGERS: list[tuple[str, str, str, str]] = [
    # Explosions/Remote violence: one side uses weapons from afar (the weapon names the sub-type)
    ("explosion", EXPLOSIONS, "Chemical weapon", r"chemical\s+(?:attacks?|weapons?|munitions)|sarin|chlorine|nerve\s+agents?|mustard\s+gas"
     r"|(?:toxic|poison(?:ous)?)\s+gas"),
    ("explosion", EXPLOSIONS, "Suicide bomb",
     r"suicide\s+(?:bomb(?:er|ing)?s?|attack(?:er)?s?|blasts?|vests?|car\s+bomb(?:er|ing)?s?)"
     r"|blew\s+(?:himself|herself|themselves)\s+up"),
    ("explosion", EXPLOSIONS, "Air/drone strike",
     r"air\s*strikes?|air[\s-]raids?|airstrikes?|drone\s+(?:strikes?|attacks?)|kamikaze\s+drones?"
     r"|(?:armed|attack|combat|suicide|explosive)\s+drones?|bombing\s+raids?|warplanes?"
     r"|(?:fighter|military|war)\s+(?:jets?|planes?|aircraft)|helicopter\s+gunships?|gunships?"
     r"|jets?\s+(?:\w+\s+)?(?:struck|bombed|hit|pounded|attacked|targeted)"
     r"|(?:dropped|drop|dropping)\s+(?:\w+\s+){0,3}?(?:from|by)\s+(?:an?\s+)?(?:\w+\s+)?drones?"
     r"|(?:struck|hit|targeted|bombed)\s+(?:\w+\s+)?from\s+the\s+air|aerial\s+(?:bombardment|attacks?|strikes?)"),
    ("explosion", EXPLOSIONS, "Remote explosive/landmine/IED",
     r"IEDs?|improvised\s+explosive|roadside\s+(?:bombs?|devices?|explosives?)|car\s+bombs?"
     r"|truck\s+bombs?|land\s*mines?|explosive\s+devices?|bombs?\s+(?:exploded|went\s+off|blast)"
     r"|booby[\s-]trap\w*|(?:land)?mines?\s+(?:exploded|detonated|went\s+off)|planted\s+(?:a\s+|an\s+)?(?:bomb|explosive|device)s?|(?:magnetic|sticky)\s+bombs?"),
    ("explosion", EXPLOSIONS, "Grenade", r"grenades?"),
    ("explosion", EXPLOSIONS, "Shelling/artillery/missile attack",
     r"shell(?:ing|ed)|shells\s+(?:landed|fell|hit|struck|slammed)"
     r"|(?:rocket|artillery|mortar|missile|tank)\s+(?:fire|attacks?|strikes?|barrages?|rounds?|shells?)"
     r"|bombard(?:ment|ed|ing)|barrages?|rocket(?:s)?\s+(?:landed|hit|struck|slammed)"),
    # weapons named without the attack: an event only beside a verb of firing or hitting
    ("weapon", EXPLOSIONS, "Shelling/artillery/missile attack", r"rockets?|artillery|missiles?|mortars?|shells"),
    ("weapon", EXPLOSIONS, "Remote explosive/landmine/IED",
     r"bomb(?:ed|ing|ings|s)?|blasts?|explosions?|explosives?|ripped\s+through|detonat(?:ed|ion)"),
    ("weapon", EXPLOSIONS, "Air/drone strike", r"drones?"),
    # Riots: demonstrators or mobs who use violence or destroy property
    ("riot", RIOTS, "Mob violence",
     r"mobs?|lynch(?:ed|ing)?|vigilantes?|jungle\s+justice|set\s+upon|beat(?:en)?\s+(?:\w+\s+){0,3}?to\s+death"),
    ("riot", RIOTS, "Violent demonstration",
     r"riot(?:s|ing|ed|ers)?(?!\s+(?:police|gear|squad|control|shields?|units?|officers))|rioters"
     r"|(?:set|setting)\s+(?:on\s+)?fire|set(?:ting)?\s+(?:[\w’'-]+\s+){1,4}?(?:on\s+fire|ablaze)|set\s+ablaze|torch(?:ed|ing)|thr(?:ew|owing)\s+(?:stones|rocks|petrol\s+bombs|molotov)"
     r"|hurl(?:ed|ing)\s+(?:stones|rocks|projectiles|petrol\s+bombs)|stone[\s-]throwing|pelt(?:ed|ing)"
     r"|vandali[sz](?:ed|ing)|smash(?:ed|ing)\s+(?:shop|window|car)s?|burn(?:ed|ing|t)\s+tyres|burning\s+(?:tyres|tires|barricades)"
     r"|rampage|ransack(?:ed|ing)|went\s+on\s+the\s+rampage|looted\s+shops|storm(?:ed|ing)\s+(?:a\s+|the\s+)?(?:[\w’'-]+\s+){0,2}?(?:police\s+station|parliament"
     r"|state\s+house|governor'?s\s+office|government\s+(?:building|offices))"),
    # Protests: a public demonstration without violence by the demonstrators
    ("protest", PROTESTS, "Peaceful protest",
     r"protest(?:s|ed|ers|ing|ors)?|demonstrat(?:ion|ions|ors|ed|ing)|rall(?:y|ies|ied)"
     r"|(?-i:march(?:ed|es|ers|ing)?)|sit-ins?|walk(?:ed)?\s+off\s+the\s+job|walked\s+out|took\s+to\s+the\s+streets|picket(?:s|ed|ing)?"
     r"|walk-?outs?|(?:went|go|are|were)\s+on\s+(?:an?\s+)?(?:\w+\s+)?strike|general\s+strike|strike\s+action"
     r"|striking\s+(?:workers|teachers|doctors|nurses|miners|drivers)|downed\s+tools|vigils?"
     r"|gathered\s+(?:\w+\s+){0,6}?to\s+(?:demand|protest|denounce|condemn|call\s+for|mourn|oppose)"
     r"|roadblocks|(?:blocked|blockaded|barricaded)\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,2}?(?:highway|road|roads|street"
     r"|streets|bridge|junction|intersection)s?(?=[^.;]{0,80}\b(?:demand|protest|against|over)\w*)"
     r"|(?:held|holding|waving|carrying|brandishing)\s+(?:\w+\s+)?(?:placards|banners)|chant(?:ed|ing)\s+(?:slogans|against)"
     r"|blocked\s+(?:the\s+|a\s+)?(?:road|highway|street)s?\s+(?:to\s+)?(?:protest|demand|denounce)"),
    # Violence against civilians: an armed group attacks unarmed people
    ("violence", VIOLENCE, "Abduction/forced disappearance",
     r"abduct(?:ed|ion|ions|s|ing)?|kidnap(?:ped|ping|pings|s)?|taken\s+hostage|held\s+hostage"
     r"|forcibly\s+disappeared|seized\s+hostages|taken\s+captive|held\s+captive|whisk(?:ed)?\s+away|carted\s+away|(?:were|was)\s+snatched"),
    ("violence", VIOLENCE, "Sexual violence",
     r"rap(?:ed|e|es)|gang-?raped?|sexual(?:ly)?\s+(?:violence|assault(?:ed)?|abused)"),
    ("violence", VIOLENCE, "Attack",
     r"massacre(?:d|s)?|executed|slaughter(?:ed)?|behead(?:ed|ing)|gunned\s+down|assassinat(?:ed|ion|ions)"
     r"|tortured|shot\s+and\s+killed"
     r"|(?:hacked|clubbed|stoned|burn(?:ed|t))\s+(?:\w+\s+){0,2}?to\s+death|burn(?:ed|t)\s+(?:\w+\s+)?alive|sprayed\s+(?:\w+\s+){0,3}?with\s+bullets"
     r"|opened\s+fire\s+on\s+(?:a\s+|the\s+)?(?:\w+\s+)?(?:civilians?|villagers|worshippers|passengers"
     r"|bus|minibus|market|crowd|farmers|residents|mourners|wedding|students|congregation)"
     r"|attack(?:s|ed|ing)?\s+(?:on\s+)?(?:\w+\s+){0,3}?(?:civilians?|villages?|villagers|worshippers"
     r"|markets?|schools?|churches|church|mosques?|hospitals?|camps?|homes|houses|passengers|farmers"
     r"|residents|communities|community|settlements?|bus|buses|travellers|travelers|mourners)"
     r"|(?:civilians?|villagers|worshippers|passengers|farmers|residents)\s+(?:\w+\s+){0,2}?(?:attacked|targeted)"
     r"|attacks?\s+(?:\w+\s+){0,6}?targeted\s+civilian"),
    # Battles: armed, organised groups fight each other
    ("battle", BATTLES, "Government regains territory",
     r"recaptur(?:ed|ing)|retook|retaken|regain(?:ed)?\s+control|liberated|took\s+back|wrested\s+back"),
    ("battle", BATTLES, "Non-state actor overtakes territory",
     r"(?:seized|took|taken|seize|take)\s+(?:full\s+|complete\s+|total\s+)?control\s+of|overran|overrun"
     r"|(?:seized|captured|taken)\s+(?:most|all|much|parts?|large\s+parts|swathes)\s+of"
     r"|(?:seized|captured)\s+(?:the\s+)?(?:\w+\s+)?(?:town|city|village|base|locality|district|area)\s+of"
     r"|fell\s+to\s+(?:the\s+)?(?:\w+\s+){0,3}?(?:rebels|militants|insurgents|jihadists|fighters|forces|militia)"
     r"|captured\s+(?:the\s+)?(?:\w+\s+)?(?:town|city|village|district|base|county|locality|area)"),
    ("battle", BATTLES, "Armed clash",
     r"fighting|fought|clash(?:es|ed)?|skirmish(?:es)?|battles?|battled|gun\s*battles?|gun\s*fights?"
     r"|firefights?|exchanges?\s+of\s+(?:gun)?fire|exchanged\s+(?:gun)?fire|offensives?|ambush(?:ed|es)?"
     r"|attack(?:s|ed)?|repelled|repulsed|raid(?:s|ed)?|stormed|counter-?attack(?:s|ed)?"
     r"|engaged\s+(?:the\s+)?(?:enemy|militants|rebels|insurgents|troops|soldiers|fighters|gunmen)"
     r"|opened\s+fire|assault(?:s|ed)?(?!\s+(?:rifles?|weapons?|charges?))|shoot-?outs?|routed|fought\s+off"
     r"|counter-?offensives?"),
    ("war", BATTLES, "Armed clash", r"wars?"),
    # Disasters (geomap's extension): natural hazards
    ("disaster", DISASTERS, "Flood", r"flood(?:s|ing|ed|waters)?|flash\s+floods?|torrential\s+rains?"),
    ("disaster", DISASTERS, "Earthquake", r"earthquakes?|quakes?|tremors?|tsunami"),
    ("disaster", DISASTERS, "Landslide", r"landslides?|mudslides?"),
    ("disaster", DISASTERS, "Storm", r"cyclones?|hurricanes?|typhoons?|tornado(?:es)?"),
    ("disaster", DISASTERS, "Wildfire", r"wildfires?|forest\s+fires?|bushfires?"),
    ("disaster", DISASTERS, "Drought", r"droughts?"),
    ("kill", VIOLENCE, "Attack", r"killed|killing|kills|shot\s+dead|murdered|shot|stabbed"),
    # Strategic developments: significant non-violent acts by conflict actors
    ("agreement", STRATEGIC, "Agreement",
     r"sign(?:ed|s|ing)?\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:peace|ceasefire|truce|security|power-?sharing"
     r"|disarmament|non-aggression|reconciliation|surrender|demobili[sz]ation)\s+(?:agreement|accord|deal|treaty|pact)"
     r"|sign(?:ed|s|ing)?\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:ceasefire|truce)"
     r"|peace\s+(?:agreement|accord|deal|treaty)\s+(?:was\s+|has\s+been\s+)?signed"
     r"|agreed\s+(?:\w+\s+){0,3}?(?:to|on)\s+(?:an?\s+|the\s+)?(?:\w+\s+)?(?:ceasefire|truce|peace|prisoner)"
     r"|(?:deal|agreement|truce|ceasefire)\s+brokered\s+by"
     r"|(?:declared|announced|brokered|reached)\s+(?:an?\s+|the\s+)?(?:\w+\s+)?(?:ceasefire|truce|peace\s+deal)"
     r"|(?:ceasefire|truce)\s+(?:was\s+|has\s+been\s+)?(?:declared|agreed|signed|announced|took\s+effect|came\s+into\s+(?:force|effect))"
     r"|(?:prisoner|hostage)s?\s+(?:exchange|swap)|exchanged\s+(?:\w+\s+)?prisoners"),
    # any agreement signed: an event only between conflict actors (classify checks)
    ("pact", STRATEGIC, "Agreement",
     r"sign(?:ed|s|ing)?\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:agreement|accord|deal|memorandum|pact)"),
    ("arrest", STRATEGIC, "Arrests",
     r"arrest(?:ed|s|ing)?|detained|rounded\s+up|taken\s+into\s+custody|apprehended|nabbed"),
    ("disrupted", STRATEGIC, "Disrupted weapons use",
     r"(?:seized|recovered|intercepted|confiscated|found|discovered|uncovered|impounded)\s+(?:[\w,'-]+\s+){0,6}?"
     r"(?:weapons?|arms|rifles|guns|ammunition|explosives|rounds|grenades|rocket\s+launchers|AK-47s?|IEDs?|bomb-making"
     r"|improvised\s+explosive|explosive\s+devices?|bombs?|landmines?|mines)"
     r"|defus(?:ed|ing)|(?:safely|controlled)\s+(?:detonated|destroyed|defused)"
     r"|(?:shot\s+down|intercepted|downed)\s+(?:\w+\s+){0,3}?(?:drones?|missiles?|rockets?|projectiles)"
     r"|(?:detonated|destroyed)\s+"
     r"(?:an?\s+|the\s+)?(?:\w+\s+)?(?:IED|explosive\s+device|landmine|mine)s?\s+(?:safely|in\s+a\s+controlled)"),
    ("base", STRATEGIC, "Headquarters or base established",
     r"(?:set\s+up|established|establish|built|setting\s+up|opened)\s+(?:an?\s+|the\s+|its\s+|their\s+|new\s+)*"
     r"(?:[\w-]+\s+){0,2}?(?:base|camp|headquarters|outpost|command\s+post|training\s+camp)s?"),
    ("looting", STRATEGIC, "Looting/property destruction",
     r"loot(?:ed|ing)|(?:burned|burnt|torched|razed|destroyed|demolished)\s+(?:\w+\s+){0,2}?"
     r"(?:houses|homes|villages?|shops|property|buildings|crops|granaries|huts|vehicles|cars|dormitor(?:y|ies)"
     r"|hostels?|offices?|police\s+stations?|churches|mosques?|schools?|markets?|stalls|lorries|trucks|buses)"),
    ("transfer", STRATEGIC, "Non-violent transfer of territory",
     r"handed\s+over\s+(?:control|the\s+(?:town|city|base|area|territory|district)|(?:\w+\s+){0,2}?to\s+)"
     r"|withdr(?:ew|awn|awal)\s+from|pulled\s+out\s+of|vacated|took\s+over\s+(?:\w+\s+){0,3}?(?:without\s+(?:a\s+fight|resistance)|peacefully)"
     r"|(?:entered|took\s+control\s+of)\s+(?:\w+\s+){0,3}?without\s+(?:a\s+fight|resistance|fighting)"),
    ("movement", STRATEGIC, "Change to group/activity",
     r"pass(?:ed|ing)?\s+through|transit(?:ed|ing)?\s+(?:through|via)|travell?(?:ed|ing)\s+through"
     r"|crossed\s+(?:into|the\s+border)|deploy(?:ed|ment|ing)?|redeploy(?:ed|ment|ing)?"
     r"|mobili[sz](?:ed|ation)|reinforcements|sent\s+(?:\w+\s+)?troops|entered|defect(?:ed|ion|ions)"
     r"|merged|dissol(?:ved|ution)|integrat(?:ed|ion)\s+into|joined\s+forces|pledged\s+allegiance|laid\s+down\s+(?:their\s+|its\s+)?(?:arms|weapons)|disband(?:ed)?"
     r"|surrender(?:ed)?"),
    # government measures of conflict and unrest (arms export bans, curfews, emergency rule)
    ("policy", STRATEGIC, "Other",
     r"suspend(?:ed|s|ing)?\s+(?:\w+\s+){0,3}?(?:arms|weapons?|military|exports?|export\s+permits|flights|operations)"
     r"|(?:arms|weapons?)\s+embargo|curfew|state\s+of\s+emergency|martial\s+law|closed\s+(?:the|its)\s+border"
     r"|shut\s+(?:down\s+)?(?:the\s+)?internet|internet\s+(?:shutdown|blackout)"
     r"|bann?(?:ed|s|ing)\s+(?:all\s+)?(?:protests|rallies|demonstrations|gatherings|the\s+\w+\s+party)"),
]


# The violent or disruptive families, most specific first: the first found is the sentence's event.
PRIMARY_ORDER = ("explosion", "riot", "protest", "violence", "battle", "weapon", "war", "disaster",
                 "kill")


ACTION_FAMILIES = ("agreement", "pact", "arrest", "disrupted", "base", "looting", "transfer", "movement", "policy")


# a hazard or weapon word that names a place, people or gear, not an event ("the quake zone")
NOT_EVENT_AFTER_RE = re.compile(
    r"-(?:hit|affected|stricken|prone)\b"
    r"|[\s-]+(?:zones?|areas?|regions?|survivors|victims|relief|aid|appeal"
    r"|reconstruction|defen[cs]es|barriers|season|risks?|warnings?|preparedness|insurance|shelters?"
    r"|launchers?|systems?|programmes?|programs?|deals?|sales?|exports?|factory|factories"
    r"|technology|industry|makers?|manufacturers?|footage|pilots?|operators?)\b"
    r"|\s+(?:in|of)\s+(?:the\s+)?(?:prices?|demand|growth|interest|popularity|costs?|sales|cases|traffic)\b", re.I)


# A protest that security forces broke up, or fired on (ACLED Codebook 2023, Protests)
INTERVENTION_RE = re.compile(
    r"\b(?:tear\s*gas|teargas|dispers(?:ed|e|ing)|water\s+cannons?|rubber\s+bullets|batons?"
    r"|arrest(?:ed|s)|detained|broke\s+up|baton[\s-]charged)\b", re.I)


# a trigger right after these words is denied, hoped for or called off, not reported
NEGATED_BEFORE_RE = re.compile(
    r"\b(?:end|ends|ending|ended|stop|stopping|halt|halting|cessation\s+of|prevent|preventing|avoid"
    r"|avoiding|no|not|never|without|threat\s+of|risk\s+of|fears?\s+of|possible|potential|any"
    r"|threaten(?:s|ed)?\s+to|plans?\s+to|would|could|might|will|may|resume|call(?:s|ed|ing)?\s+for"
    r"|demand(?:s|ed|ing)?|urg(?:e|es|ed|ing)|claim(?:s|ed|ing)?\s+to\s+have|claim(?:s|ed|ing)?"
    r"|reports?\s+of|allegations?\s+of|alleged|concerns?\s+(?:over|about)|warn(?:s|ed|ing)?\s+(?:that|of)"
    r"|lull\s+in|fle(?:e|es|eing|d)\s+(?:from\s+)?|(?:the\s+first|ever)\s+since|if|unless"
    r"|spread\s+of|rise\s+in|surge\s+in|increase\s+in"
    r"|(?:said|say|says|boasted)\s+(?:that\s+)?(?:they|it|he|she)\s+(?:had|have|has))"
    r"\s+(?:(?:the|a|an|further|new|more|all|any|renewed|fresh)\s+)?(?:[\w-]+\s+){0,3}$"
    r"|\b(?:ruled\s+out|no\s+(?:sign|evidence|indication)\s+of|rather\s+than|not\s+(?:an?|the)|instead\s+of)\s+(?:an?\s+)?$", re.I)


TEAR_GAS_RE = re.compile(r"\btear\s*-?gas|\bteargas|\bstun\s+grenades?|\bflash-?bangs?", re.I)


# an agreement not made
NOT_DONE_BEFORE_RE = re.compile(r"\b(?:without|no|not|never|failed\s+to|refused\s+to|fail\s+to|yet\s+to)\s+(?:\w+\s+){0,2}$", re.I)


# a trigger followed by a modal: what may happen, not what happened
HYPOTHETICAL_AFTER_RE = re.compile(r"\s+(?:\w+\s+)?(?:could|would|might|may)\b", re.I)


# words before a violence word that make it a figure of speech or another field
NOT_EVENT_BEFORE_RE = re.compile(
    r"\b(?:cyber|legal|court|political|electoral|verbal|price|budget|uphill|custody|ratings?|bidding"
    r"|trade|tariff|PR|media|war\s+of|heart|panic|asthma|anxiety)[\s-]+$", re.I)


# figurative objects of "attack", "battle", "fight": "attacked the budget", "battle over tariffs"
FIGURATIVE_AFTER_RE = re.compile(
    r"\s+(?:on\s+|over\s+|against\s+)?(?:the\s+|his\s+|her\s+|their\s+|its\s+)?(?:\w+\s+)?"
    r"(?:[\w’'-]+\s+)?(?:policy|policies|plan|plans|budget|reforms?|law|bill|remarks|comments|critics|record|decision"
    r"|proposal|media|press|tariffs?|prices|inflation|corruption|poverty|disease|cancer|virus|votes?"
    r"|title|trophy|championship|league|cup|nomination|leadership|contract|lawsuit|ruling)\b", re.I)


_COMPILED = [(family, event_type, sub_type, re.compile(rf"\b(?:{pattern})\b", re.I))
             for family, event_type, sub_type, pattern in TRIGGERS]


# where each row's words stand in a sentence: one automaton pass, then each row tried there only
_STARTS = LiteralStarts([pattern for *_, pattern in _COMPILED])


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
    """Return every trigger in text that is reported as happening (not denied, called for or figurative)."""
    calls = []
    starts = _STARTS.starts(text)
    for row in sorted(starts):  # table order: earlier rows win within a family
        family, event_type, sub_type, pattern = _COMPILED[row]
        for match in matches_at(pattern, text, starts[row]):
            if family in ("policy", "agreement"):
                if NOT_DONE_BEFORE_RE.search(text, max(0, match.start() - 40), match.start()):
                    continue  # "without signing a peace treaty"
            elif _negated(text, match.start()) and not (family == "protest" and INTERVENTION_RE.search(text)):
                continue  # (police fired tear gas "to stop students marching": the march happened)
            if HYPOTHETICAL_AFTER_RE.match(text, match.end()):
                continue  # "renewed fighting could trigger an exodus"
            if family in ("explosion", "weapon", "disaster") and NOT_EVENT_AFTER_RE.match(text, match.end()):
                continue
            if family in ("explosion", "weapon") and TEAR_GAS_RE.search(text, max(0, match.start() - 60), match.end() + 20):
                continue  # "tear gas shells dropped from drones": crowd control, not remote violence
            if NOT_EVENT_BEFORE_RE.search(text, max(0, match.start() - 24), match.start()):
                continue
            if family in ("battle", "war", "violence") and FIGURATIVE_AFTER_RE.match(text, match.end()):
                continue
            calls.append(EventCall(event_type, sub_type, family, match.start(), match.end(), match[0]))
    return calls


def _negated(text: str, start: int) -> bool:
    """True when the words just before a trigger deny it or call for it to stop."""
    return bool(NEGATED_BEFORE_RE.search(text, max(0, start - 48), start))
