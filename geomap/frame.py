"""The one definition of the incident columns, and the incidents as a GeoDataFrame.

Columns follow ACLED's export (ACLED Codebook 2023, "Data columns"), in ACLED's order where
they apply, so CSV written from here loads into tools that read ACLED exports. geomap's own
columns come after ACLED's.
"""

from __future__ import annotations

# (name, meaning). ACLED's names and order first.
ACLED_COLUMNS: list[tuple[str, str]] = [
    ("event_id_cnty", "event id: country ISO code and a running number"),
    ("event_date", "ISO date of the event (the start of a span)"),
    ("year", "year of event_date"),
    ("time_precision", "1 day known, 2 week or span, 3 month or vaguer"),
    ("event_type", "ACLED event type"),
    ("sub_event_type", "ACLED sub-event type"),
    ("actor1", "first actor"),
    ("actor2", "second actor, or the target"),
    ("country", "country name"),
    ("admin1", "first-level administrative division"),
    ("location", "name of the place where it happened"),
    ("latitude", "WGS84 latitude"),
    ("longitude", "WGS84 longitude"),
    ("geo_precision", "1 the town itself, 2 near a town or part of a region, 3 a region's or country's centroid"),
    ("source", "publisher of the article"),
    ("notes", "short description"),
    ("fatalities", "reported deaths (sum of the parts when several sides are counted)"),
]

GEOMAP_COLUMNS: list[tuple[str, str]] = [
    ("end_date", "ISO end date of a span (cumulative tolls), else empty"),
    ("country_code", "ISO 3166-1 alpha-2 code"),
    ("place_kind", "city, admin1, region, country or continent"),
    ("geonames_id", "GeoNames id of the place, when it has one"),
    ("fatalities_parts", "the separate counts that make up fatalities, as text"),
    ("fatalities_qualifier", "exact, at least, about, range"),
    ("article", "article file name or id"),
    ("title", "article title"),
    ("published", "article publication date"),
    ("url", "article link, when known"),
    ("source_sentence", "the sentence that reports the event"),
    ("sentence_start", "character offset of the sentence in the article text"),
    ("sentence_end", "character offset just past the sentence"),
    ("historical", "true for background events (history, earlier episodes)"),
    ("confidence", "0-1: how sure geomap is of the type, place and date together"),
]

COLUMNS: list[str] = [name for name, _ in ACLED_COLUMNS + GEOMAP_COLUMNS]
