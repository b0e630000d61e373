"""Choosing the place each mention means, from the name's candidates and the article's context.

A candidate's score is the gazetteer's prior (population, kind, capital; see
`geomap.gazetteer.rank_candidates`) plus what the article says: the countries and first-level
divisions it names (by name or demonym), and how close the candidate lies to the article's
other places.  One sense per article: every mention of a name resolves to the same place.
What the text says outright comes first: "Paris, Texas" and "LONDON, Ky." are the towns in that
state, "Washington state" is the state, "the town of Amber" a town.
"""

from __future__ import annotations

import math
import re
from collections import Counter, OrderedDict
from dataclasses import replace

from geomap.gazetteer import Candidate, Gazetteer, Place, rank_candidates, same_place
from geomap.geo import nearest_other_km
from geomap.toponyms import Mention, NameIndex, find_toponyms, name_index, with_place
from geomap.toponyms.wordlists import common_words, given_names

# Context weights, in the prior's log10 units (one unit = ten times the population).
COUNTRY_WEIGHT = 1.6  # the candidate lies in a country the article names
ADMIN1_WEIGHT = 1.2  # ... in a state or province the article names
DISTANCE_WEIGHT = 2.0  # at most this much for lying next to the article's other places
DISTANCE_SCALE_KM = 25.0
DISTANCE_HORIZON_KM = 2500.0
MAX_CANDIDATES = 25  # ranked by prior; the rest cannot win
MAX_BONUS = COUNTRY_WEIGHT + ADMIN1_WEIGHT + DISTANCE_WEIGHT
# Evidence a resolved mention lends to the others, by the kind of place it resolved to.
_EVIDENCE = {"country": 1.0, "admin1": 1.0, "region": 0.5, "admin2": 0.5, "city": 0.5,
             "continent": 0.0}
# the kinds of place that lie in a first-level division and near the article's other places
_LOCAL_KINDS = ("city", "admin2", "admin1")
# the kinds of place that can qualify a name written before them
_AREA_KINDS = ("continent", "country", "admin1", "region")
# "Paris, Texas", "Paris, Tenn.", "London (Ontario)": a name and where it lies
_QUALIFIER_GAP = re.compile(r"[ \t]*,[ \t]*|[ \t]*\([ \t]*")
# "Moonbi, Parkes, Berry and Tamworth": a list of places
_LIST_GAP = re.compile(r"[ \t]*(?:,|,? and|,? or)[ \t]+")
# A type word written after a name, or before it with "of", says which kind of place it is
# ("Washington state", "the town of Virden"; but "the Hunan city of Yueyang" is Hunan the
# province). "District" and "region" name divisions of every level, so they say nothing.
_KIND_OF_WORD = {"state": ("admin1",), "province": ("admin1",), "governorate": ("admin1",),
                 "oblast": ("admin1",), "prefecture": ("admin1",), "county": ("admin2",),
                 "parish": ("admin2",), "city": ("city",), "town": ("city",),
                 "village": ("city",)}
_TYPE_AFTER = re.compile(r"[ \t]+(\w+)(?![ \t]+of\b)")
_TYPE_BEFORE = re.compile(r"\b(\w+)[ \t]+of[ \t]+$")
# a name written as a place: "in Amhara", "the town of Amber", "the Amhara region"
_PLACED_BEFORE = re.compile(r"\b(?:in|at|near|from|across|into|outside|around|city of|town of|"
                            r"village of)[ \t]+(?:the[ \t]+)?$")
_PLACED_AFTER = re.compile(r"[ \t]+(?:region|state|province|zone|Region|State|Province|Zone)\b")
# A lone given name or common word ("Lucy", "Amber", "Liberal") is a town only where the text
# writes it as a place ("in Liberal"), lists it among places, names the town's state, or where
# the town is a city of this size.
_SMALL_TOWN = 100_000
_SHORT_NAME = 3  # letters: see resolve()
# divisions that drop out of the contest when ranked just below the town they are named after
_DIVISIONS = ("admin2",)
_DEMONYM_EVIDENCE = 0.5
_CACHE_SIZE = 20_000


class Resolver:
    """Resolves the mentions of one article after another against a gazetteer (with caches)."""

    def __init__(self, gazetteer: Gazetteer, index: NameIndex | None = None):
        self.gazetteer = gazetteer
        self.index = index or name_index(gazetteer)
        # key -> (every candidate ranked by prior, those that context can make win)
        self._candidates: OrderedDict[str, tuple[list, list]] = OrderedDict()
        self._countries: dict[str, Place | None] = {}
        # peoples, languages and faiths that are no state ("Arab", "Kurdish", "Roma"): a place
        # of that name ("Arab", Alabama) is meant only where the text writes it as a place
        self.peoples = frozenset(k for k, cc in gazetteer.demonyms().items() if not cc)

    def find_places(self, text: str, *, ner: bool = False) -> list[Mention]:
        """Return the resolved place mentions and demonyms of a text, in order.

        With `ner`, spaCy's named entities veto and add names (geomap.toponyms.ner; the extra 'ner').
        """
        if len(text) <= CHUNK_CHARS:
            return self.resolve(self._toponyms(text, ner), text)
        # a long text is read a chunk at a time, so memory stays bounded
        out = []
        for offset, chunk in _chunks(text, CHUNK_CHARS):
            out.extend(replace(m, start=m.start + offset, end=m.end + offset)
                       for m in self.resolve(self._toponyms(chunk, ner), chunk))
        return out

    def _toponyms(self, text: str, ner: bool) -> list[Mention]:
        mentions = find_toponyms(text, self.index)
        if not ner:
            return mentions
        from geomap.toponyms.ner import refine_mentions  # spaCy is loaded only in this mode

        return refine_mentions(text, mentions, self.index)

    def ranked(self, key: str) -> list[tuple[Candidate, float]]:
        """Return the candidates of a key that context can make win, with their prior scores,
        best first (cached)."""
        return self._cached(key)[1]

    def all_ranked(self, key: str) -> list[tuple[Candidate, float]]:
        """Return every candidate of a key with its prior score, best first (cached)."""
        return self._cached(key)[0]

    def _cached(self, key: str) -> tuple[list, list]:
        hit = self._candidates.get(key)
        if hit is not None:
            self._candidates.move_to_end(key)
            return hit
        cands = self.gazetteer.candidates_for_key(key)
        everyone = rank_candidates(cands, city_named=self.gazetteer.city_named(key, cands))
        ranked = []
        for c, s in everyone[:MAX_CANDIDATES]:
            # context adds at most MAX_BONUS: a candidate further behind than that cannot win;
            # nor can a division ranked just below the town it is named after, which the
            # article's context places where the town is ("Kasur" the district and the town)
            if s + MAX_BONUS < everyone[0][1]:
                break
            if c.place.kind in _DIVISIONS and any(
                    d.place.kind == "city" and same_place(c.place, d.place) for d, _ in ranked):
                continue
            ranked.append((c, s))
        self._candidates[key] = everyone, ranked
        if len(self._candidates) > _CACHE_SIZE:
            self._candidates.popitem(last=False)
        return everyone, ranked

    def country(self, code: str) -> Place | None:
        """Return the gazetteer's country entry for an ISO code (cached)."""
        if code not in self._countries:
            self._countries[code] = self.gazetteer.country(code)
        return self._countries[code]

    def resolve(self, mentions: list[Mention], text: str | None = None) -> list[Mention]:
        """Return the mentions with their places chosen; names with no candidate are dropped.

        With the `text` the mentions were found in, a name followed by its state or country
        ("Paris, Texas") or by a type word ("Washington state") is read as the text says.
        """
        demonyms = self.index.demonyms
        if text is not None and self.peoples:
            mentions = [m for i, m in enumerate(mentions)
                        if m.key not in self.peoples or m.kind == "demonym"
                        or _written_as_place(text, m, mentions[i + 1:i + 2], self.peoples)]
        keys = sorted({m.key for m in mentions if m.kind != "demonym"})
        ranked = {k: self.ranked(k) for k in keys}
        # a word of three letters or fewer is a place's name only if a place bears it as its
        # own ("Bam", "Van"), not as an alternate spelling ("Ben" for Bern, "Lim" for Lima)
        short = {m.key for m in mentions
                 if len(m.text) <= _SHORT_NAME and m.text.isalpha() and m.text.istitle()}
        ranked = {k: r for k, r in ranked.items()
                  if r and (k not in short or any(c.primary for c, _ in r))}
        allowed = self._read_in_place(mentions, text, ranked) if text is not None else {}
        listed = _listed(mentions, text) if text is not None else set()
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
            if _nameless_town(m, place) and id(m) not in allowed and id(m) not in listed \
                    and not evidence.supports(m.key, place) \
                    and not _written_as_place(text or "", m):
                continue  # "said Amber", "the Liberal platform": no village named so
            own = allowed.get(id(m))
            if own is not None and place.id not in own:
                # this use is qualified otherwise than the name's other uses ("Paris, France"):
                # the likeliest of the places it allows
                mine = [c.place for c, _ in self.all_ranked(m.key) if c.place.id in own]
                place, alternatives = mine[0], tuple(mine[1:6])
            if m.role == "associative" and place.feature_code == "PPLC" and place.country_code:
                # "Baku and Yerevan agreed": the capital stands for its country's government
                country = self.country(place.country_code)
                if country is not None:
                    alternatives = (place, *alternatives[:4])
                    place = country
            out.append(with_place(m, place, confidence=confidence, alternatives=alternatives))
        return out

    def _read_in_place(self, mentions: list[Mention], text: str,
                       ranked: dict[str, list[tuple[Candidate, float]]]) -> dict[int, set[int]]:
        """Narrow the candidates of names the text qualifies: "Paris, Texas" (a city in the
        state or country named right after it, which is then that state) and "Washington
        state" (the kind the type word names). Changes `ranked` for the whole article (one
        sense per article) and returns {id(mention): the place ids that use allows}."""
        names = [m for m in mentions if m.kind != "demonym" and m.key in ranked]
        per_key: dict[str, set[int]] = {}
        per_use: dict[int, set[int]] = {}

        def allow(m: Mention, ids: set[int]) -> None:
            per_key.setdefault(m.key, set()).update(ids)
            per_use[id(m)] = per_use.get(id(m), set()) | ids

        for a, b in zip(names, names[1:]):
            gap = text[a.end:b.start]
            if not _QUALIFIER_GAP.fullmatch(gap) or ranked[a.key][0][0].place.kind in _AREA_KINDS:
                continue  # "in Russia, U.S. officials said": a country is qualified by nothing
            areas = [c.place for c, _ in self.all_ranked(b.key) if c.place.kind in _AREA_KINDS]
            pairs = [(c.place.id, area.id) for c, _ in self.all_ranked(a.key) for area in areas
                     if c.place.lies_in(area)]
            if pairs:
                allow(a, {p for p, _ in pairs})
                allow(b, {q for _, q in pairs})
        for m in names:
            if id(m) in per_use:
                continue
            after = _TYPE_AFTER.match(text, m.end)
            before = _TYPE_BEFORE.search(text, max(0, m.start - 20), m.start) \
                if text.endswith(" of ", 0, m.start) else None
            word = (after.group(1) if after and after.group(1).islower() else
                    before.group(1).lower() if before else "")
            kinds = _KIND_OF_WORD.get(word)
            if kinds:
                ids = {c.place.id for c, _ in self.all_ranked(m.key) if c.place.kind in kinds}
                if ids:
                    allow(m, ids)
        for key, ids in per_key.items():
            ranked[key] = [cs for cs in self.all_ranked(key) if cs[0].place.id in ids]
        return per_use


def _nameless_town(m: Mention, place: Place) -> bool:
    """True when a small town is all a given name or a common word could mean ("Amber")."""
    return place.kind == "city" and (place.population or 0) < _SMALL_TOWN and (
        m.key in given_names() or m.key in common_words())


def _listed(mentions: list[Mention], text: str) -> set[int]:
    """Return id() of the mentions that stand in a list of places ("Moonbi, Parkes, Berry and
    Tamworth"): a name listed beside places is a place."""
    names = [m for m in mentions if m.kind != "demonym"]
    listed = set()
    for a, b in zip(names, names[1:]):
        if _LIST_GAP.fullmatch(text, a.end, b.start):
            listed.update((id(a), id(b)))
    return listed


def _written_as_place(text: str, m: Mention, after: list[Mention] = (),
                      peoples: frozenset[str] = frozenset()) -> bool:
    """True when the text writes a name as a place: "in Amhara", "the town of Amber", "Amhara
    region", or "Arab, Alabama" (`after`: the next mention, a place that qualifies it)."""
    if _PLACED_BEFORE.search(text, max(0, m.start - 20), m.start) or _PLACED_AFTER.match(text, m.end):
        return True
    return bool(after) and after[0].kind != "demonym" and after[0].key not in peoples \
        and _QUALIFIER_GAP.fullmatch(text, m.end, after[0].start) is not None


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
            if p.admin1_code and p.kind in _LOCAL_KINDS:
                self.admin1[p.admin1_code] += weight
            if p.kind in ("city", "admin2", "admin1", "region"):
                self.points.append((key, p.lat, p.lon))
            self.own[key] = (p.country_code, p.admin1_code, weight)
        self.top_admin1 = max(self.admin1.values(), default=1.0) or 1.0
        self._nearest = self._nearest_table(contested or {})

    def supports(self, key: str, place: Place) -> bool:
        """True when the article's other places lie in the place's state or province."""
        own_a1, own_w = self.own.get(key, (None, None, 0.0))[1:]
        n = self.admin1.get(place.admin1_code, 0.0) if place.admin1_code else 0.0
        return n - (own_w if own_a1 == place.admin1_code else 0.0) > 0

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
            if place.admin1_code and place.kind in _LOCAL_KINDS:
                n = self.admin1.get(place.admin1_code, 0.0)
                if own_a1 == place.admin1_code:
                    n -= own_w
                if n > 0:  # the state the article names most counts fully
                    score += ADMIN1_WEIGHT * min(1.0, n / self.top_admin1)
            scores.append(score)
        table = self._nearest.get(key)  # None when no other name has a point
        if table is not None:
            horizon = math.log10(1.0 + DISTANCE_HORIZON_KM / DISTANCE_SCALE_KM)
            for i, (place, km) in enumerate(zip(places, table)):
                if place.kind in _LOCAL_KINDS and km < DISTANCE_HORIZON_KM:
                    scores[i] += DISTANCE_WEIGHT * max(
                        0.0, 1.0 - math.log10(1.0 + km / DISTANCE_SCALE_KM) / horizon)
        return scores

    def _nearest_table(self, contested: dict[str, list]) -> dict[str, list[float]]:
        """Return {name: distance from each candidate to the nearest point of the other names},
        for all contested names at once; inf for candidates of kinds distance does not count
        for (see bonuses) and where no other name has a point."""
        if not self.points or not contested:
            return {}
        rows = [(key, c.place) for key, ranked in contested.items() for c, _ in ranked]
        local = [(key, place.lat, place.lon) for key, place in rows if place.kind in _LOCAL_KINDS]
        nearest = iter(nearest_other_km(local, self.points))
        table: dict[str, list[float]] = {}
        for key, place in rows:
            table.setdefault(key, []).append(
                next(nearest) if place.kind in _LOCAL_KINDS else math.inf)
        return table


_DEFAULT: list[Gazetteer] = []


def resolver_for(gazetteer: Gazetteer | None = None) -> Resolver:
    """Return the Resolver of a gazetteer handle, made once per handle (the default database,
    opened once per process, when None)."""
    if gazetteer is None:
        if not _DEFAULT:
            _DEFAULT.append(Gazetteer())
        gazetteer = _DEFAULT[0]
    resolver = gazetteer.derived.get("resolver")
    if resolver is None:
        resolver = gazetteer.derived["resolver"] = Resolver(gazetteer)
    return resolver


def resolve_mentions(mentions: list[Mention], gazetteer: Gazetteer | None = None) -> list[Mention]:
    """Return the mentions resolved against the gazetteer (unresolvable names dropped)."""
    return resolver_for(gazetteer).resolve(mentions)


def find_places(text: str, *, gazetteer: Gazetteer | None = None, ner: bool = False,
                ) -> list[Mention]:
    """Return the place mentions (and demonyms) in `text`, resolved, in order of offset.

    `ner=True` adds spaCy's opinion (the optional extra 'ner'; raises geomap.toponyms.ner.NerUnavailable
    without it).
    """
    return resolver_for(gazetteer).find_places(text, ner=ner)


def places_only(mentions: list[Mention]) -> list[Mention]:
    """Return the mentions that belong on a map: resolved places, demonyms left out."""
    return [m for m in mentions if m.kind != "demonym" and m.place is not None]


