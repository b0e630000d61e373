"""Incidents from articles: event type, place, date, actors and fatalities, sentence by sentence.

Modules by concern: sentences (splitting with offsets), types (ACLED's taxonomy and trigger
words), casualties (death tolls), actors, timing (event dates) and extract (Incident and the
assembly of the parts).
"""

from geomap.incidents.extract import Incident, extract_incidents

__all__ = ["Incident", "extract_incidents"]
