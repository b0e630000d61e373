"""Mention: a place name found in a text, and what it is taken to mean."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from geomap.gazetteer import Place

# Refuse texts larger than this rather than risk the memory bound (about 15 million words).
MAX_TEXT_CHARS = 100_000_000


ROLES = ("literal", "associative")


@dataclass(frozen=True)
class Mention:
    """A place name found in a text: where, what it is taken to mean, and how sure."""

    start: int
    end: int
    text: str
    kind: str = ""  # the place's kind (country, admin1, city...) or 'demonym'
    role: str = "literal"  # literal | associative (the place stands for its government)
    place: Place | None = None
    confidence: float = 0.0
    alternatives: tuple[Place, ...] = field(default_factory=tuple)
    key: str = ""  # the gazetteer lookup key of the name as written

    def as_dict(self) -> dict:
        """Return the record of `geomap toponyms --jsonl` for this mention."""
        p = self.place
        return {
            "start": self.start, "end": self.end, "text": self.text,
            "lat": p.lat if p else None, "lon": p.lon if p else None,
            "name": p.name if p else None, "kind": self.kind,
            "country_code": p.country_code if p else None,
            "geonames_id": p.geonames_id if p else None,
            "role": self.role, "confidence": round(self.confidence, 3),
        }


class TextTooLarge(ValueError):
    """The text exceeds what one call processes in bounded memory."""


def with_place(mention: Mention, place: Place | None, **changes) -> Mention:
    """Return the mention resolved to `place` (its kind follows the place unless a demonym)."""
    kind = mention.kind if mention.kind == "demonym" else (place.kind if place else "")
    if changes.keys() <= {"confidence", "alternatives"}:
        # what the resolver changes, built directly: dataclasses.replace costs several times more
        return Mention(start=mention.start, end=mention.end, text=mention.text, kind=kind,
                       role=mention.role, place=place,
                       confidence=changes.get("confidence", mention.confidence),
                       alternatives=changes.get("alternatives", mention.alternatives),
                       key=mention.key)
    return replace(mention, place=place, kind=kind, **changes)
