"""The countries an article is about, from its dateline and the places and peoples it names.

News names where it is reporting from in a dateline ("MAIDUGURI, Nigeria —", "KABUL (AP) -"),
then names the country, its regions, towns and people ("Nigerian troops"). A place named in
passing abroad counts less than the dateline and the places named again and again. The incident
extractor places an event in a focus country when no finer place is given, and a resolver can
prefer candidates there.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# a dateline: a capitalised place (often in capitals) at the start of the text, then a dash,
# an agency in brackets or a comma and the country
DATELINE_RE = re.compile(
    r"\A\s*(?:[A-Z][A-Za-z.'’ -]{1,40},\s*)?(?:[A-Z][A-Za-z.'’ -]{1,40})\s*(?:\([^)\n]{1,30}\)\s*)?[—–-]{1,2}\s")
DATELINE_WEIGHT = 4.0
# what one mention says about the country it lies in, by the kind of place
# a county or district counts for its country as a town does
KIND_WEIGHT = {"country": 1.0, "admin1": 1.0, "region": 0.5, "admin2": 0.8, "city": 0.8}
DEMONYM_WEIGHT = 0.5
ASSOCIATIVE_FACTOR = 0.5  # "Yerevan-backed": the country acts, the story may be elsewhere
MIN_SHARE = 0.35  # a focus country holds at least this share of the evidence


@dataclass(frozen=True)
class Focus:
    """The countries an article is about (ISO codes, strongest first) and its strongest admin-1 place."""

    countries: tuple[str, ...] = ()
    weights: tuple[float, ...] = ()
    dateline: str | None = None  # the country code of the dateline, when there is one

    @property
    def country(self) -> str | None:
        """The main country, or None when the article is about none in particular."""
        return self.countries[0] if self.countries else None


def find_focus(text: str, mentions: list) -> Focus:
    """Return the focus countries of an article from its resolved mentions (demonyms included)."""
    evidence: Counter[str] = Counter()
    dateline_code = None
    head = DATELINE_RE.match(text)
    for m in mentions:
        code = m.place.country_code if m.place is not None else None
        if not code:
            continue
        if head and m.end <= head.end() and dateline_code is None:
            dateline_code = code
            evidence[code] += DATELINE_WEIGHT
            continue
        weight = DEMONYM_WEIGHT if m.kind == "demonym" else KIND_WEIGHT.get(m.kind, 0.0)
        if m.role != "literal":
            weight *= ASSOCIATIVE_FACTOR
        evidence[code] += weight
    total = sum(evidence.values())
    if not total:
        return Focus(dateline=dateline_code)
    ranked = [(code, w) for code, w in evidence.most_common() if w / total >= MIN_SHARE]
    return Focus(tuple(c for c, _ in ranked), tuple(round(w, 2) for _, w in ranked), dateline_code)
