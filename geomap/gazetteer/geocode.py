"""Geocoding a name: the best place, a status, a confidence and the alternatives.

The `geomap geocode` check and the geopy adapter both answer through `geocode()`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from geomap.gazetteer.names import normalize_name
from geomap.gazetteer.place import PLACE_FIELDS, Candidate, Place
from geomap.gazetteer.ranking import rank_candidates, same_place
from geomap.gazetteer.store import Gazetteer

# what a query can come back as
STATUSES = ("resolved", "ambiguous", "fuzzy", "not_found", "invalid")
# A rival within this factor of the best candidate's weight makes a name ambiguous.
AMBIGUITY_RATIO = 100.0
# the columns of `geomap geocode --format csv`, and of its plain table
RESULT_COLUMNS = ("query", "status", "name", "kind", "country_code", "admin1", "lat", "lon",
                  "population", "geonames_id", "confidence", "similarity", "message")
TABLE_COLUMNS = ("query", "status", "name", "kind", "country_code", "admin1", "lat", "lon",
                 "population", "confidence")


@dataclass(frozen=True)
class GeocodeResult:
    """The answer for one query: the best place, how sure, and the alternatives."""

    query: str
    status: str  # resolved | ambiguous | fuzzy | not_found | invalid
    place: Place | None = None
    confidence: float = 0.0
    similarity: float | None = None
    matched_name: str | None = None
    alternatives: tuple[Place, ...] = field(default_factory=tuple)
    message: str | None = None

    def as_dict(self) -> dict:
        """Return the record of geomap's JSON output (one object per query)."""
        fields = self.place.fields() if self.place else dict.fromkeys(PLACE_FIELDS)
        return {
            "query": self.query, "status": self.status, **fields,
            "confidence": round(self.confidence, 3),
            "similarity": None if self.similarity is None else round(self.similarity, 1),
            "matched_name": self.matched_name, "message": self.message,
            "alternatives": [p.fields() for p in self.alternatives],
        }


def geocode(gazetteer: Gazetteer, query: str, *, country: str | None = None,
            near: tuple[float, float] | None = None, kind: str | None = None,
            fuzzy: bool = True, limit: int = 5) -> GeocodeResult:
    """Return the best place for a name, with alternatives, status and confidence."""
    problem = check_query(query)
    if problem:
        return GeocodeResult(query=query, status="invalid", message=problem)
    cands = _filter(gazetteer.candidates(query), country, kind)
    if not cands and "," in query:
        # "Orange County, California", "Paris, Texas": the name, then where it lies
        cands = _filter(qualified_candidates(gazetteer, *query.rsplit(",", 1)), country, kind)
    status = "resolved"
    if not cands and fuzzy:
        cands = _filter(gazetteer.fuzzy_candidates(query), country, kind)
        status = "fuzzy"
    if not cands:
        where = "".join([f" in {country.upper()}" if country else "",
                         f" of kind {kind}" if kind else ""])
        return GeocodeResult(query=query, status="not_found",
                             message=f"no place named {query.strip()!r}{where} in the gazetteer")
    ranked = rank_candidates(cands, near=near,
                             city_named=gazetteer.city_named(normalize_name(query), cands))
    best, best_score = ranked[0]
    rivals = [(c, s) for c, s in ranked[1:] if not same_place(best.place, c.place)]
    weights = [10 ** (s - best_score) for _, s in rivals]
    confidence = 1.0 / (1.0 + sum(weights))
    if status == "fuzzy":
        confidence *= best.similarity / 100.0
    elif weights and max(weights) >= 1.0 / AMBIGUITY_RATIO:
        status = "ambiguous"
    message = None
    if status == "ambiguous":
        message = f"{len(rivals) + 1} places are named {query.strip()!r}; best guess shown"
    elif status == "fuzzy":
        message = (f"no exact match; closest name {best.matched_name!r} "
                   f"(similarity {best.similarity:.0f}/100)")
    return GeocodeResult(
        query=query, status=status, place=best.place, confidence=confidence,
        similarity=best.similarity if status == "fuzzy" else None,
        matched_name=best.matched_name,
        alternatives=tuple(c.place for c, _ in ranked[1:limit + 1]), message=message)


def geocode_names(gazetteer: Gazetteer, names: Iterable[str], **options) -> list[GeocodeResult]:
    """Return one GeocodeResult per name, in order (options as for geocode)."""
    return [geocode(gazetteer, name, **options) for name in names]


MAX_QUERY_CHARS = 200


def check_query(query: str) -> str | None:
    """Return why a query cannot be looked up, or None when it is fine."""
    if not query.strip():
        return "empty name"
    if len(query) > MAX_QUERY_CHARS:
        return f"name too long ({len(query)} characters; at most {MAX_QUERY_CHARS})"
    if any(ord(ch) < 32 and ch not in "\t" for ch in query) or "\x7f" in query:
        return "name contains control characters"
    if "\ufffd" in query:
        return "name is not valid text (undecodable bytes)"
    if not normalize_name(query):
        return "name has no letters or digits"
    return None


def qualified_candidates(gazetteer: Gazetteer, name: str, qualifier: str) -> list[Candidate]:
    """Return the candidates of `name` that lie in a state, province or country called
    `qualifier` ("Orange County" in "California")."""
    areas = [c.place for c in gazetteer.candidates(qualifier)
             if c.place.kind in ("country", "admin1")]
    return [c for c in gazetteer.candidates(name) if any(c.place.lies_in(a) for a in areas)]


def _filter(cands: list[Candidate], country: str | None, kind: str | None) -> list[Candidate]:
    if country:
        cands = [c for c in cands if (c.place.country_code or "").upper() == country.upper()]
    if kind:
        cands = [c for c in cands if c.place.kind == kind]
    return cands
