"""Roles: whether a place is meant literally or stands for its government or people ("Yerevan-backed")."""

from __future__ import annotations

from bisect import bisect_left

from geomap.toponyms.filters import next_word
from geomap.toponyms.wordlists import (ACTOR_VERBS_BEFORE, METONYMY_SUFFIXES,
                                       PREPOSITIONS_BEFORE_ACTOR, STATE_VERBS, TO_VERBS,
                                       VERB_FILLERS)
from geomap.toponyms.words import Hit, Words

def roles_of(words: Words, places: list[Hit]) -> list[str]:
    """Return the role of each place (places in text order), in one pass over them.

    A place followed by a coordinated list of places takes the verb after the whole list
    ("France, Russia and the United States called on"); where each list ends is worked out once,
    from the last place back, so a long list costs no more than a short one per place.
    """
    at = {p.i: n for n, p in enumerate(places)}  # the place starting at a word
    ends = [p.j for p in places]  # where the coordinated list from each place ends
    for n in range(len(places) - 1, -1, -1):
        following = at.get(_coordinated_next(words, places[n].j))
        if following is not None and following > n:
            ends[n] = ends[following]
    return [_role(words, h, end) for h, end in zip(places, ends)]


def role_of(words: Words, h: Hit, places: list[Hit]) -> str:
    """Return 'associative' when the place stands for its government or people, else 'literal'.

    For one place (places in text order); roles_of gives every place's role with the lists
    worked out once.
    """
    j = h.j
    while (k := _coordinated_next(words, j)) >= 0:
        n = bisect_left(places, k, key=_first_word)  # no index built per call
        if n == len(places) or places[n].i != k:
            break
        j = places[n].j
    return _role(words, h, j)


def _first_word(hit: Hit) -> int:
    return hit.i


def _coordinated_next(words: Words, j: int) -> int:
    """The word where a place coordinated with the one ending at word j would start: after
    commas, "and", "the" ("Baku and the Yerevan"); -1 when nothing may follow there."""
    k = j
    while k < len(words.words) and words.keys[k] in ("and", "the") and \
            words.text[words.ends[k - 1]:words.starts[k]].strip(" ,") == "":
        k += 1
    if k < len(words.words) and words.text[words.ends[j - 1]:words.starts[k]].strip(" ,").lower() \
            in ("", "and", "the", "and the"):
        return k
    return -1


def _role(words: Words, h: Hit, j: int) -> str:
    """The role of place h whose coordinated list ends at word j."""
    after = words.text[words.ends[h.j - 1]:words.ends[h.j - 1] + 1]
    if after == "-" and next_word(words, h.j, joined="-") in METONYMY_SUFFIXES:
        return "associative"
    # "<place>, which supports", "<place> announced", "<place> to undertake"
    k = j
    gap = words.text[words.ends[j - 1]:words.starts[j]] if j < len(words.words) else ""
    if "\n" in gap or gap.strip(" ,") != "":
        return _role_before(words, h)
    steps = 0
    while k < len(words.words) and words.keys[k] in VERB_FILLERS and steps < 3:
        k += 1
        steps += 1
    if k < len(words.words):
        word = words.keys[k]
        passive = k + 1 < len(words.words) and words.keys[k + 1] == "by"
        if word in STATE_VERBS and words.words[k][0].islower() and not passive:
            return "associative"
        if word == "to" and k + 1 < len(words.words) and words.keys[k + 1] in TO_VERBS:
            return "associative"
    return _role_before(words, h)


def _role_before(words: Words, h: Hit) -> str:
    """'associative' for "supported by Yerevan", "Turkey, which supports Baku"."""
    if h.i >= 2 and words.keys[h.i - 1] in PREPOSITIONS_BEFORE_ACTOR and \
            words.keys[h.i - 2] in ACTOR_VERBS_BEFORE:
        return "associative"
    if h.i >= 1 and words.keys[h.i - 1] in ("supports", "backs", "between") and \
            words.words[h.i - 1][0].islower():
        if words.keys[h.i - 1] != "between":
            return "associative"
        before = words.keys[max(0, h.i - 3):h.i - 1]
        if any(w in ("relations", "talks", "tension", "tensions", "relation", "dispute",
                     "negotiations", "conflict") for w in before):
            return "associative"
    if h.i >= 3 and words.keys[h.i - 1] == "and" and words.keys[h.i - 2] and \
            words.keys[h.i - 3] == "between" and \
            any(w in ("relations", "talks", "tension", "tensions", "dispute", "negotiations")
                for w in words.keys[max(0, h.i - 5):h.i - 3]):
        return "associative"
    return "literal"
