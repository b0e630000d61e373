"""Incidents from articles: event type, place, date, actors and fatalities, sentence by sentence.

Modules by concern: sentences (splitting with offsets), taxonomy and triggers (ACLED's event
types and the trigger words), classify, casualties (death tolls), actors, timing (event dates),
location and extract (Incident and the assembly of the parts).
"""

from geomap import lazy_exports

# public name -> the module that defines it, imported when the name is first used
_EXPORTS = {
    **dict.fromkeys(["Incident", "extract_incidents"], "geomap.incidents.extract"),
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = ["Incident", "extract_incidents"]
