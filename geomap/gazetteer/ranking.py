"""Ranking the places a name may mean: priors from population and rank, and the namesake rules.

Weights are in log10 units of population: a capital counts as ten times its size.
"""

from __future__ import annotations

import math

from geomap.gazetteer.names import base_key, normalize_name
from geomap.gazetteer.place import Candidate, Place
from geomap.geo import haversine_km

_KIND_PRIOR = {"continent": 3.0, "country": 3.0, "region": 2.0, "admin1": 1.5, "admin2": 0.5,
               "city": 0.0, "feature": 0.0}
# Natural Earth's admin-1 rows, our curated regions and most admin-2 rows carry no population.
_ASSUMED_POPULATION = {"admin1": 1_000_000, "region": 1_000_000, "admin2": 100_000,
                       "continent": 500_000_000}
_FEATURE_BONUS = {"PPLC": 1.0, "PPLA": 0.5, "PPLG": 0.5, "PPLA2": 0.2}
# A place whose own name was written counts ten times one reached through an alternate name
# (a variant spelling, an old or foreign name).
_PRIMARY_NAME_BONUS = 0.6
# A province's label point lies this close to the city it is named after; that city is a seat
# of government or a large town.
NAMESAKE_KM = 100.0
NAMESAKE_POPULATION = 50_000
_SEATS = ("PPLC", "PPLA", "PPLA2", "PPLG")
# what a division yields to when a town shares its name: the town ranks just above it
_NAMESAKE_GAP = 0.01


def importance(place: Place) -> float:
    """Return the prior weight of a place in log10 units (bigger and higher-ranked is likelier)."""
    assumed = _ASSUMED_POPULATION.get(place.kind, 1)
    size = math.log10(max(place.population or assumed, 1))
    if place.kind == "admin2" and place.population:
        # a division's population is a lower bound from its towns (gazetteer/README.md) and
        # says less of how often news names it than a town's: it counts half
        size = (size + math.log10(assumed)) / 2.0
    return size + _KIND_PRIOR.get(place.kind, 0.0) + _FEATURE_BONUS.get(place.feature_code or "", 0.0)


def rank_candidates(cands: list[Candidate], *, near: tuple[float, float] | None = None,
                    city_named: frozenset[int] | set[int] = frozenset(),
                    ) -> list[tuple[Candidate, float]]:
    """Return candidates with their scores (log10 weights), best first.

    `city_named` holds the ids of cities that also go by the name with "City" ("Quebec City",
    "Kuwait City"): where a city is so named, the bare name means the division or country.
    """
    scored = []
    for c in cands:
        score = importance(c.place) + (_PRIMARY_NAME_BONUS if c.primary else 0.0)
        score += (c.similarity - 100.0) / 5.0  # five points of spelling = a factor of ten
        if near:
            km = haversine_km(near[0], near[1], c.place.lat, c.place.lon)
            score -= 2.0 * math.log10(1.0 + km / 25.0)
        scored.append((c, score))
    cities = [(c, s) for c, s in scored if c.place.kind == "city"]
    for i, (c, s) in enumerate(scored):
        if c.place.kind == "admin1":
            # A province named after its capital ("Gaziantep", "Stepanakert") means the city
            # unless asked for the province (or the city is "Quebec City"): rank it just below
            # its namesake city. A country's capital outranks a province that shares its name
            # ("Washington" is the capital before the state).
            namesakes = [cs for d, cs in cities if d.place.id not in city_named and (
                same_place(c.place, d.place) or (d.primary and d.place.feature_code == "PPLC"
                                                 and d.place.country_code == c.place.country_code))]
        elif c.place.kind == "admin2":
            # "Orange" alone is the town, "Orange County" the county; a county or district
            # named like a town of its country (often its seat) yields to the town unless its
            # own full name was written.
            called_so = base_key(c.matched_name) != normalize_name(c.matched_name)
            namesakes = [] if called_so else [
                cs for d, cs in cities if d.primary and d.place.country_code == c.place.country_code]
        else:
            continue
        if namesakes:
            scored[i] = (c, min(s, max(namesakes) - _NAMESAKE_GAP))
    # ties broken by id so the order never depends on SQLite's row order
    scored.sort(key=lambda cs: (-cs[1], cs[0].place.id))
    return scored


def same_place(a: Place, b: Place) -> bool:
    """True when two candidates for one name are one place seen twice: a city and the division
    or country named after it. The division's point lies near its namesake city, or the city
    bears the very name in that division ("Minnesota" as a variant spelling of the town
    Minneota, far from the state's centre, does not count)."""
    if a.country_code != b.country_code:
        return False
    if a.geonames_id and a.geonames_id == b.geonames_id:
        return True
    kinds = {a.kind, b.kind}
    if kinds == {"city", "admin1"}:
        city, province = (a, b) if a.kind == "city" else (b, a)
        if not (city.feature_code in _SEATS or (city.population or 0) >= NAMESAKE_POPULATION):
            return False  # a village named Hunan in Hunan is not what "Hunan" means
        return (haversine_km(a.lat, a.lon, b.lat, b.lon) < NAMESAKE_KM
                or (city.admin1_code == province.admin1_code
                    and normalize_name(city.name) == normalize_name(province.name)))
    if kinds in ({"city", "admin2"}, {"admin1", "admin2"}):
        # Orange (the town) and Orange County; Kabul province and Kabul district
        return (base_key(a.name) == base_key(b.name)
                and haversine_km(a.lat, a.lon, b.lat, b.lon) < NAMESAKE_KM)
    return kinds == {"city", "country"}
