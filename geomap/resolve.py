"""Choosing the place each mention means, from the name's candidates and the article's context.

A candidate's score is the gazetteer's prior (population, kind, capital; see
`geomap.gazetteer.rank_candidates`) plus what the article says: the countries and first-level
divisions it names (by name or demonym), and how close the candidate lies to the article's
other places.  One sense per article: every mention of a name resolves to the same place.
"""

from __future__ import annotations

import math

import numpy as np
from collections import Counter, OrderedDict
from dataclasses import replace

from geomap.gazetteer.store import EARTH_KM
from geomap.gazetteer import Candidate, Gazetteer, Place, rank_candidates, same_place
from geomap.toponyms import Mention, NameIndex, find_toponyms, name_index, with_place

# Context weights, in the prior's log10 units (one unit = ten times the population).
COUNTRY_WEIGHT = 1.6  # the candidate lies in a country the article names
ADMIN1_WEIGHT = 1.2  # ... in a state or province the article names
DISTANCE_WEIGHT = 2.0  # at most this much for lying next to the article's other places
DISTANCE_SCALE_KM = 25.0
DISTANCE_HORIZON_KM = 2500.0
MAX_CANDIDATES = 25  # ranked by prior; the rest cannot win
MAX_BONUS = COUNTRY_WEIGHT + ADMIN1_WEIGHT + DISTANCE_WEIGHT
# Evidence a resolved mention lends to the others, by the kind of place it resolved to.
_EVIDENCE = {"country": 1.0, "admin1": 1.0, "region": 0.5, "city": 0.5, "continent": 0.0}
_DEMONYM_EVIDENCE = 0.5
_CACHE_SIZE = 20_000


class Resolver:
    """Resolves the mentions of one article after another against a gazetteer (with caches)."""

    def __init__(self, gazetteer: Gazetteer, index: NameIndex | None = None):
        self.gazetteer = gazetteer
        self.index = index or name_index(gazetteer)
        self._candidates: OrderedDict[str, list[tuple[Candidate, float]]] = OrderedDict()
        self._countries: dict[str, Place | None] = {}

    def find_places(self, text: str, *, ner: bool = False) -> list[Mention]:
        """Return the resolved place mentions and demonyms of a text, in order.

        With `ner`, spaCy's named entities veto and add names (geomap.ner; the extra 'ner').
        """
        if len(text) <= CHUNK_CHARS:
            return self.resolve(self._toponyms(text, ner))
        # a long text is read a chunk at a time, so memory stays bounded
        out = []
        for offset, chunk in _chunks(text, CHUNK_CHARS):
            out.extend(replace(m, start=m.start + offset, end=m.end + offset)
                       for m in self.resolve(self._toponyms(chunk, ner)))
        return out

    def _toponyms(self, text: str, ner: bool) -> list[Mention]:
        mentions = find_toponyms(text, self.index)
        if not ner:
            return mentions
        from geomap.ner import refine_mentions  # spaCy is loaded only in this mode

        return refine_mentions(text, mentions, self.index)

    def ranked(self, key: str) -> list[tuple[Candidate, float]]:
        """Return the candidates of a key with their prior scores, best first (cached)."""
        hit = self._candidates.get(key)
        if hit is not None:
            self._candidates.move_to_end(key)
            return hit
        ranked = rank_by_prior(self.gazetteer.candidates_for_key(key))[:MAX_CANDIDATES]
        # context adds at most MAX_BONUS: a candidate further behind than that cannot win
        ranked = [(c, s) for c, s in ranked if s + MAX_BONUS >= ranked[0][1]] if ranked else []
        self._candidates[key] = ranked
        if len(self._candidates) > _CACHE_SIZE:
            self._candidates.popitem(last=False)
        return ranked

    def country(self, code: str) -> Place | None:
        """Return the gazetteer's country entry for an ISO code (cached)."""
        if code not in self._countries:
            self._countries[code] = self.gazetteer.country(code)
        return self._countries[code]

    def resolve(self, mentions: list[Mention]) -> list[Mention]:
        """Return the mentions with their places chosen; names with no candidate are dropped."""
        demonyms = self.index.demonyms
        keys = sorted({m.key for m in mentions if m.kind != "demonym"})
        ranked = {k: self.ranked(k) for k in keys}
        ranked = {k: r for k, r in ranked.items() if r}
        counts = Counter(m.key for m in mentions if m.kind != "demonym")
        # the countries the article's demonyms name ("Azerbaijani forces")
        demonym_cc = Counter()
        for m in mentions:
            if m.kind == "demonym" and demonyms.get(m.key):
                demonym_cc[demonyms[m.key]] += _DEMONYM_EVIDENCE
        choice = {k: r[0] for k, r in ranked.items()}
        # only names with rival candidates need the context; the others have their place
        contested = {k: r for k, r in ranked.items() if len(r) > 1}
        evidence = _Evidence(choice, counts, demonym_cc, contested)
        for _ in range(2):
            picked = [cand for cand, _ in choice.values()]
            choice.update({k: max(_with_context(evidence, k, r), key=lambda cs: cs[1])
                           for k, r in contested.items()})
            # the evidence depends only on the chosen candidates (not their scores): when no
            # name changed its mind, the next round would rebuild the same evidence
            if any(c is not p for (c, _), p in zip(choice.values(), picked)):
                evidence = _Evidence(choice, counts, demonym_cc, contested)
        chosen = {k: _choose(evidence, k, r) for k, r in ranked.items()}
        out = []
        for m in mentions:
            if m.kind == "demonym":
                place = self.country(demonyms.get(m.key, "")) if demonyms.get(m.key) else None
                if place is not None:
                    out.append(with_place(m, place, confidence=0.9))
                continue
            if m.key not in chosen:
                continue
            place, confidence, alternatives = chosen[m.key]
            if m.role == "associative" and place.feature_code == "PPLC" and place.country_code:
                # "Baku and Yerevan agreed": the capital stands for its country's government
                country = self.country(place.country_code)
                if country is not None:
                    alternatives = (place, *alternatives[:4])
                    place = country
            out.append(with_place(m, place, confidence=confidence, alternatives=alternatives))
        return out


CHUNK_CHARS = 1_000_000


def _chunks(text: str, size: int):
    """Yield (offset, piece) of a text cut at paragraph or line ends (else spaces) near `size`."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = max(text.rfind("\n\n", start, end), text.rfind("\n", start + size // 2, end))
            if cut <= start:
                cut = text.rfind(" ", start + size // 2, end)
            end = cut + 1 if cut > start else end
        yield start, text[start:end]
        start = end


def rank_by_prior(cands: list[Candidate]) -> list[tuple[Candidate, float]]:
    """Return candidates with their prior scores (log10 units), best first."""
    return rank_candidates(cands)


def _choose(evidence: "_Evidence", key: str, ranked: list[tuple[Candidate, float]],
            ) -> tuple[Place, float, tuple[Place, ...]]:
    """Return a name's place in this article, the confidence, and the runners-up."""
    if len(ranked) == 1:
        return ranked[0][0].place, 1.0, ()
    scored = sorted(_with_context(evidence, key, ranked), key=lambda cs: (-cs[1], cs[0].place.id))
    best, best_score = scored[0]
    rivals = [10 ** (s - best_score) for c, s in scored[1:] if not same_place(best.place, c.place)]
    return best.place, 1.0 / (1.0 + sum(rivals)), tuple(c.place for c, _ in scored[1:6])


def _with_context(evidence: "_Evidence", key: str, ranked: list[tuple[Candidate, float]],
                  ) -> list[tuple[Candidate, float]]:
    """Return a name's candidates with the article's context added to their prior scores."""
    # within one article a name always has the same candidates, so the scores are kept for as
    # long as the evidence is (the rounds and the final choice often share it)
    scored = evidence.scored.get(key)
    if scored is None:
        extra = evidence.bonuses(key, [c.place for c, _ in ranked])
        scored = evidence.scored[key] = [(c, s + b) for (c, s), b in zip(ranked, extra)]
    return scored


class _Evidence:
    """What the article's other mentions say about where it is."""

    def __init__(self, choice: dict[str, tuple[Candidate, float]], counts: Counter,
                 demonym_cc: Counter, contested: dict[str, list] | None = None):
        self.countries: Counter = Counter(demonym_cc)
        self.admin1: Counter = Counter()
        self.points: list[tuple[str, float, float]] = []
        self._arrays = None
        self.scored: dict[str, list[tuple[Candidate, float]]] = {}  # see _with_context
        self.own: dict[str, tuple[str | None, str | None, float]] = {}
        for key, (cand, _score) in choice.items():
            p = cand.place
            weight = _EVIDENCE.get(p.kind, 0.0) * min(counts[key], 3)
            if p.country_code and weight:
                self.countries[p.country_code] += weight
            if p.admin1_code and p.kind in ("admin1", "city"):
                self.admin1[p.admin1_code] += weight
            if p.kind in ("city", "admin1", "region"):
                self.points.append((key, p.lat, p.lon))
            self.own[key] = (p.country_code, p.admin1_code, weight)
        self._nearest = self._nearest_table(contested or {})

    def bonuses(self, key: str, places: list[Place]) -> list[float]:
        """Return the context score of each of a contested name's candidates (in ranked order)."""
        own_cc, own_a1, own_w = self.own.get(key, (None, None, 0.0))
        scores = []
        for place in places:
            score = 0.0
            if place.country_code:
                n = self.countries.get(place.country_code, 0.0)
                if own_cc == place.country_code:
                    n -= own_w
                if n > 0:
                    score += COUNTRY_WEIGHT * min(1.0, math.log2(1.0 + n) / 2.0)
            if place.admin1_code and place.kind in ("city", "admin1"):
                n = self.admin1.get(place.admin1_code, 0.0)
                if own_a1 == place.admin1_code:
                    n -= own_w
                if n > 0:
                    score += ADMIN1_WEIGHT
            scores.append(score)
        table = self._nearest.get(key)  # None when no other name has a point
        if table is not None:
            horizon = math.log10(1.0 + DISTANCE_HORIZON_KM / DISTANCE_SCALE_KM)
            for i, (place, km) in enumerate(zip(places, table)):
                if place.kind in ("city", "admin1") and km < DISTANCE_HORIZON_KM:
                    scores[i] += DISTANCE_WEIGHT * max(
                        0.0, 1.0 - math.log10(1.0 + km / DISTANCE_SCALE_KM) / horizon)
        return scores

    def _nearest_table(self, contested: dict[str, list]) -> dict[str, list[float]]:
        """Return {name: distance from each candidate to the nearest point of the other names},
        for all contested names at once: one distance matrix per article, not one per name."""
        if not self.points or not contested:
            return {}
        codes = {key: i for i, key in enumerate(dict.fromkeys(k for k, _, _ in self.points))}
        point_code = np.array([codes[k] for k, _, _ in self.points])
        lat2 = np.radians([lat for _, lat, _ in self.points])[None, :]
        lon2 = np.radians([lon for _, _, lon in self.points])[None, :]
        rows = [(key, c.place) for key, ranked in contested.items() for c, _ in ranked]
        row_code = np.array([codes.get(key, -1) for key, _ in rows])
        lat1 = np.radians([p.lat for _, p in rows])[:, None]
        lon1 = np.radians([p.lon for _, p in rows])[:, None]
        a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
        km = 2 * EARTH_KM * np.arcsin(np.sqrt(np.minimum(1.0, a)))
        km[row_code[:, None] == point_code[None, :]] = np.inf  # a name is no evidence for itself
        nearest = km.min(axis=1).tolist()
        table: dict[str, list[float]] = {}
        for (key, _), d in zip(rows, nearest):
            table.setdefault(key, []).append(d)
        return table


_RESOLVERS: dict[int, Resolver] = {}
_DEFAULT: list[Gazetteer] = []


def resolver_for(gazetteer: Gazetteer | None = None) -> Resolver:
    """Return a cached Resolver for a gazetteer (the default database when None)."""
    if gazetteer is None:
        if not _DEFAULT:
            _DEFAULT.append(Gazetteer())
        gazetteer = _DEFAULT[0]
    resolver = _RESOLVERS.get(id(gazetteer))
    if resolver is None or resolver.gazetteer is not gazetteer:
        _RESOLVERS.clear()
        resolver = _RESOLVERS[id(gazetteer)] = Resolver(gazetteer)
    return resolver


def resolve_mentions(mentions: list[Mention], gazetteer: Gazetteer | None = None) -> list[Mention]:
    """Return the mentions resolved against the gazetteer (unresolvable names dropped)."""
    return resolver_for(gazetteer).resolve(mentions)


def find_places(text: str, *, gazetteer: Gazetteer | None = None, ner: bool = False,
                ) -> list[Mention]:
    """Return the place mentions (and demonyms) in `text`, resolved, in order of offset.

    `ner=True` adds spaCy's opinion (the optional extra 'ner'; raises geomap.ner.NerUnavailable
    without it).
    """
    return resolver_for(gazetteer).find_places(text, ner=ner)


def places_only(mentions: list[Mention]) -> list[Mention]:
    """Return the mentions that belong on a map: resolved places, demonyms left out."""
    return [m for m in mentions if m.kind != "demonym" and m.place is not None]


