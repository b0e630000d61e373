"""Scoring extracted incidents against the seeds' gold (shared/gold/seeds.json).

The rules are the shared scorer's (shared/tools/geomap_score.py, seeds-incidents): a gold
incident is found when a current (not historical) incident of the same article has its place
within 50 km for a city, or 161 km or the same country code for a region or country; the same
event type; and its date, or its end date, within a day of the gold's.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from geomap.gazetteer import haversine_km

CITY_KM = 50.0
AREA_KM = 161.0
DAY_TOLERANCE = 1
STALE_BEFORE = dt.date(2020, 7, 1)  # a current seed incident before this is history leaking


class GoldError(ValueError):
    """A gold file that cannot be read."""


def place_matches(gold_place: dict, incident) -> bool:
    """True when an incident is at the gold place (distance, or country code for areas)."""
    if incident.latitude is None or incident.longitude is None:
        return False
    distance = haversine_km(gold_place["lat"], gold_place["lon"], incident.latitude, incident.longitude)
    if gold_place["kind"] in ("country", "region"):
        if gold_place["kind"] == "country" and incident.country_code == gold_place["country_code"]:
            return True
        return distance < AREA_KM
    return distance < CITY_KM


def date_matches(gold: dict, incident) -> bool:
    """True when the incident's date, or end date, is within a day of the gold's."""
    want = dt.date.fromisoformat(gold["date"]) if gold.get("date") else None
    if want is None:
        return True
    if incident.event_date is not None and abs((incident.event_date - want).days) <= DAY_TOLERANCE:
        return True
    end = dt.date.fromisoformat(gold["date_end"]) if gold.get("date_end") else None
    return bool(end and incident.end_date and abs((incident.end_date - end).days) <= DAY_TOLERANCE)


def score_seed_incidents(gold: dict, incidents: list) -> dict:
    """Return the matches of incidents against the gold: counts, misses and extras."""
    current = [i for i in incidents if not i.historical]
    total = full = by_place = 0
    misses, matched = [], set()
    for article in gold["articles"]:
        mine = [i for i in current if Path(i.article).name == article["file"]]
        for want in article["incidents"]:
            total += 1
            place = gold["places"][want["place"]]
            near = [i for i in mine if place_matches(place, i)]
            by_place += bool(near)
            hit = next((i for i in near if i.event_type == want["event_type"]
                        and date_matches(want, i)), None)
            if hit is None:
                misses.append(f'{article["file"][:3]}: {want["summary"][:60]}')
            else:
                full += 1
                matched.add(id(hit))
    leaks = [i for i in current if i.event_date is not None and i.event_date < STALE_BEFORE]
    return {"gold": total, "predicted_current": len(current), "matched_full": full,
            "matched_place": by_place, "unmatched_predictions": len(current) - len(matched),
            "historical_leaks": len(leaks), "misses": misses}


def evaluate_seed_incidents(shared: str | Path, gazetteer, seeds: str | Path | None = None) -> dict:
    """Return the incident scores of the seed articles (shared/seeds, or `seeds`) against the gold."""
    from geomap.articles import read_articles
    from geomap.incidents.extract import extract_incidents

    gold_path = Path(shared) / "gold" / "seeds.json"
    try:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GoldError(f"cannot read the seed gold {gold_path}: {exc}") from None
    folder = Path(seeds) if seeds else Path(shared) / "seeds"
    incidents = []
    for entry in gold["articles"]:
        # the gold gives each article's published date; a catalogue beside the file wins
        published = dt.date.fromisoformat(entry["published"]) if entry.get("published") else None
        try:
            articles = read_articles(folder / entry["file"], published=published)
        except Exception as exc:  # ArticleUnreadable and OS errors alike stop the evaluation
            raise GoldError(f"cannot read seed article {folder / entry['file']}: {exc}") from None
        for article in articles:
            incidents.extend(extract_incidents(article, gazetteer=gazetteer))
    return score_seed_incidents(gold, incidents)
