"""One event told by several articles: when two reports are the same event, and what the event says.

The rule (MERGE_RULE), applied as each report is stored: the same event type and historical
flag, overlapping dates, and the same place: the same gazetteer place, or places within
MERGE_KM of each other when both are located at a town or near one (ACLED geo_precision 1 or
2), or one located at a first-level division (ACLED admin1) that the other lies in. Reports of
one article are never merged with each other (the extractor already told them apart).

The event takes its place and text from its best-located report (lowest geo_precision, then
highest confidence, then the first stored), spans the dates of all its reports with the vaguest
time precision among them, and takes the lowest fatality figure any report states: ACLED's rule
when reports conflict is to use the most conservative one (ACLED Codebook 2023, "Fatalities").
A report that mentions no deaths (ACLED's default 0, "none reported") or says the toll is
unknown states no figure; an event whose reports state none keeps 0 or unknown as they say.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from geomap.geo import EARTH_KM, haversine_km

MERGE_KM = 10.0
# the qualifier geomap.incidents.extract gives ACLED's default 0 when a report mentions no deaths:
# no figure at all, so it never undercuts a figure another report states
NO_TOLL = "none reported"
# ACLED geo_precision of a place that is a town, or near one (3 is a region's centroid)
TOWN_PRECISION = 2
MERGE_RULE = ("same event type and historical flag; overlapping dates; the same place, or places "
              f"within {MERGE_KM:g} km both at a town or near one (ACLED geo_precision <= "
              f"{TOWN_PRECISION}), or one at a first-level division the other lies in")


# Candidates are found through a grid of 0.1-degree cells (11.1 km between rows, so a place
# within MERGE_KM lies in the next row at most), indexed by the store as this SQL expression;
# cell() computes the same numbers (offsets keep them positive, so truncation is floor).
CELLS_PER_DEGREE = 10
CELL_SQL = ("(CAST(latitude * 10 + 1000 AS INTEGER) * 10000 "
            "+ CAST(longitude * 10 + 2000 AS INTEGER))")


def cell(lat: float, lon: float) -> int:
    """Return the grid cell of a point, as CELL_SQL computes it."""
    return int(lat * CELLS_PER_DEGREE + 1000) * 10000 + int(lon * CELLS_PER_DEGREE + 2000)


def cells_near(lat: float, lon: float) -> list[int]:
    """Return the cells that hold every point within MERGE_KM of a point."""
    row_km = math.radians(1 / CELLS_PER_DEGREE) * EARTH_KM
    widest = max(math.cos(math.radians(min(90.0, abs(lat) + 1 / CELLS_PER_DEGREE))), 1e-3)
    reach = min(1800, math.ceil(MERGE_KM / (row_km * widest)))
    row, column = divmod(cell(lat, lon), 10000)
    return sorted({(row + dr) * 10000 + (column + dc - 200) % 3600 + 200
                   for dr in (-1, 0, 1) for dc in range(-reach, reach + 1)})


@dataclass(frozen=True)
class Where:
    """Where a report or an event is, as the rule reads it."""

    place_id: int | None
    kind: str | None
    lat: float | None
    lon: float | None
    precision: int | None
    country_code: str | None
    admin1: str | None

    @classmethod
    def of(cls, fields) -> "Where":
        """Return where an Incident (or an object with its fields) is."""
        return cls(fields.place_id, fields.place_kind, fields.latitude, fields.longitude,
                   fields.geo_precision, fields.country_code, fields.admin1)


def same_place(a: Where, b: Where) -> float | None:
    """Return the distance in km between two places that count as one place, else None."""
    near = None
    if None not in (a.lat, a.lon, b.lat, b.lon):
        near = haversine_km(a.lat, a.lon, b.lat, b.lon)
    if a.place_id is not None and a.place_id == b.place_id:
        return 0.0
    if (near is not None and near <= MERGE_KM
            and max(a.precision or 3, b.precision or 3) <= TOWN_PRECISION):
        return near
    for area, spot in ((a, b), (b, a)):
        if (area.kind == "admin1" and spot.kind != "admin1" and area.admin1
                and spot.country_code == area.country_code and spot.admin1 == area.admin1):
            return near if near is not None else MERGE_KM
    return None


def merged_fields(reports: list[tuple[int, str, dict]]) -> dict:
    """Return the event's Incident fields from its reports, given as (order, article id, fields)."""
    best = min(reports, key=lambda r: (r[2]["geo_precision"] or 9, -(r[2]["confidence"] or 0), r[0]))
    merged = dict(best[2])
    merged["event_date"] = min(r["event_date"] for _, _, r in reports)
    last = max(r["end_date"] or r["event_date"] for _, _, r in reports)
    merged["end_date"] = last if last > merged["event_date"] else None
    merged["time_precision"] = max(r["time_precision"] or 1 for _, _, r in reports)
    told = [r for _, _, r in reports if r["fatalities"] is not None]
    stated = [r for r in told if r["fatalities_qualifier"] != NO_TOLL]
    lowest = min(stated or told, key=lambda r: r["fatalities"]) if told else None
    merged["fatalities"] = lowest["fatalities"] if lowest else None
    merged["fatalities_parts"] = lowest["fatalities_parts"] if lowest else ()
    merged["fatalities_qualifier"] = lowest["fatalities_qualifier"] if lowest else None
    sources = sources_of(reports)
    publishers = list(dict.fromkeys(r["source"] for _, _, r in reports if r["source"]))
    merged["article"] = "; ".join(sources)
    merged["source"] = "; ".join(publishers) or None
    return merged


def sources_of(reports: list[tuple[int, str, dict]]) -> list[str]:
    """Return the ids of the articles that reported an event, first reported first."""
    return list(dict.fromkeys(article for _, article, _ in sorted(reports, key=lambda r: r[0])))
