"""The one event taxonomy: ACLED's event types and sub-event types, and geomap's Disasters extension.

Event types and sub-event types are ACLED's (ACLED Codebook 2023, "Event types and sub-event
types"). ACLED codes political violence, demonstrations and strategic developments only, so
natural hazards get geomap's own event type "Disasters", clearly marked as an extension.
Styles (web map, static map, legend) and the trigger table are keyed from TAXONOMY.
"""

from __future__ import annotations

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
# the ACLED types (everything but the extension): what a conflict map counts
ACLED_TYPES = tuple(t for t in TAXONOMY if t != DISASTERS)
