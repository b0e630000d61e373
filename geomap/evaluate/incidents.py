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

from geomap.articles import read_json_line
from geomap.geo import haversine_km

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
    except (OSError, ValueError, RecursionError) as exc:  # bad UTF-8 and bad JSON are ValueErrors
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


# --- event reports: a dev set of short reports with the fields a coder gives --------------------

NEAR_KM = 25.0
REGION_KM = 161.0
FIELDS = ("incident", "event_type", "sub_event_type", "within_25km", "within_161km", "country",
          "date", "fatalities")


def read_event_reports(path: str | Path) -> list[dict]:
    """Return the records of an event-report gold file (JSON lines; tests/fixtures/devset/README.md)."""
    records = []
    try:
        # lines end at "\n" only, as geomap.articles reads JSON lines
        lines = Path(path).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"cannot read {path}: {exc}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = read_json_line(line)
            if (not isinstance(record, dict) or not isinstance(record.get("text"), str)
                    or not isinstance(record.get("events"), list)):
                raise ValueError("needs 'text' and an 'events' list")
        except ValueError as exc:
            raise GoldError(f"{path}:{number}: {exc}") from None
        records.append(record)
    return records


def score_event_report(record: dict, incidents: list) -> dict:
    """Return per-field hits of one report: each gold event against its best current incident."""
    current = [i for i in incidents if not i.historical]
    acled = [i for i in current if i.event_type != "Disasters"]
    result = {"events": len(record["events"]), "non_event": not record["events"],
              "false_positive": not record["events"] and bool(acled), "hits": dict.fromkeys(FIELDS, 0),
              "asked": dict.fromkeys(FIELDS, 0)}
    for gold in record["events"]:
        pick = _best_incident(gold, current)
        checks = {"incident": pick is not None}
        if pick is not None:
            km = (haversine_km(gold["latitude"], gold["longitude"], pick.latitude, pick.longitude)
                  if pick.latitude is not None and gold.get("latitude") is not None else None)
            checks.update({
                "event_type": pick.event_type == gold["event_type"],
                "sub_event_type": pick.sub_event_type == gold.get("sub_event_type"),
                "within_25km": km is not None and km <= NEAR_KM,
                "within_161km": km is not None and km <= REGION_KM,
                "country": (pick.country_code or "") == (gold.get("country_code") or ""),
                "date": pick.event_date is not None and pick.event_date.isoformat() == gold.get("event_date"),
            })
        if gold.get("fatalities") is not None:
            checks["fatalities"] = pick is not None and pick.fatalities == gold["fatalities"]
        for field in FIELDS:
            if field in checks or field != "fatalities":
                result["asked"][field] += 1
                result["hits"][field] += bool(checks.get(field))
    return result


def _best_incident(gold: dict, incidents: list):
    """The incident that tells a gold event best: the same type first, then the nearest."""
    if not incidents:
        return None

    def rank(i):
        km = (haversine_km(gold["latitude"], gold["longitude"], i.latitude, i.longitude)
              if i.latitude is not None and gold.get("latitude") is not None else 1e9)
        return (i.event_type != gold["event_type"], km)

    return min(incidents, key=rank)


def evaluate_event_reports(path: str | Path, gazetteer, *, progress=None, split: str | None = None) -> dict:
    """Return per-field accuracy of incidents extracted from event reports, and the non-event
    false-positive rate (non-event texts that became an ACLED-type incident)."""
    from geomap.articles import Article
    from geomap.incidents.extract import extract_incidents

    records = [r for r in read_event_reports(path) if split is None or r.get("split") == split]
    hits = dict.fromkeys(FIELDS, 0)
    asked = dict.fromkeys(FIELDS, 0)
    non_events = false_positives = 0
    misses: list[str] = []
    for record in (progress(records) if progress else records):
        published = dt.date.fromisoformat(record["published"]) if record.get("published") else None
        article = Article(id=str(record.get("id")), text=record["text"], title=record.get("title"),
                          published=published)
        result = score_event_report(record, extract_incidents(article, gazetteer=gazetteer))
        non_events += result["non_event"]
        false_positives += result["false_positive"]
        for field in FIELDS:
            hits[field] += result["hits"][field]
            asked[field] += result["asked"][field]
        if result["events"] and result["hits"]["event_type"] < result["events"]:
            misses.append(str(record.get("id")))
    return {
        "file": str(path), "split": split or "all", "reports": len(records) - non_events,
        "events": asked["incident"], "non_events": non_events,
        "accuracy": {f: round(hits[f] / asked[f], 3) if asked[f] else None for f in FIELDS},
        "counts": {f: f"{hits[f]}/{asked[f]}" for f in FIELDS},
        "non_event_false_positive_rate": round(false_positives / non_events, 3) if non_events else None,
        "false_positives": false_positives, "type_misses": misses,
    }
