"""The gazetteer's value types: a Place, and a Candidate (a place a name may mean)."""

from __future__ import annotations

from dataclasses import dataclass

# the kinds of place the gazetteer holds, largest first: admin1 and admin2 are GeoNames' first-
# and second-level administrative divisions (feature codes ADM1, ADM2: states and provinces;
# counties, districts, departments)
KINDS = ("continent", "country", "admin1", "region", "admin2", "city", "feature")
# a place's fields in output order (JSON records, geocode results)
PLACE_FIELDS = ("name", "kind", "country_code", "country", "admin1", "lat", "lon", "population",
                "geonames_id", "feature_code", "source")


@dataclass(frozen=True)
class Place:
    """One gazetteer entry."""

    id: int
    name: str
    kind: str
    lat: float
    lon: float
    country_code: str | None = None
    admin1: str | None = None
    feature_code: str | None = None
    population: int | None = None
    geonames_id: int | None = None
    source: str = ""
    admin1_code: str | None = None
    country: str | None = None

    def fields(self) -> dict:
        """Return the place's fields as plain JSON-ready values."""
        return {name: getattr(self, name) for name in PLACE_FIELDS}

    def lies_in(self, area: "Place") -> bool:
        """True when this place lies in `area`, a country or a first-level division (by its codes,
        or by the admin-1 name the build located it in)."""
        if area.id == self.id or not self.country_code or self.country_code != area.country_code:
            return False
        if area.kind == "country":
            return self.kind != "country"
        if area.kind == "admin1" and self.kind not in ("country", "admin1"):
            return (bool(area.admin1_code) and self.admin1_code == area.admin1_code) or \
                (bool(area.admin1) and self.admin1 == area.admin1)
        # a region of one country ("London, England"): no finer test without its outline
        return area.kind == "region" and self.kind in ("admin1", "admin2", "city")

    def label(self) -> str:
        """Return 'Name, Admin1, Country' for display."""
        parts = [self.name]
        if self.admin1 and self.admin1 != self.name:
            parts.append(self.admin1)
        if self.country and self.country != self.name:
            parts.append(self.country)
        return ", ".join(parts)


@dataclass(frozen=True)
class Candidate:
    """A place that a name may mean, with the evidence for it."""

    place: Place
    matched_name: str
    primary: bool
    similarity: float = 100.0  # rapidfuzz score of the name; 100 for an exact key
