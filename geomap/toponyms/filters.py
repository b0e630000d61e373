"""Filters: why a match only looks like a place (lower case, a common word opening a sentence,
a person's name, a name inside an organisation or a treaty)."""

from __future__ import annotations

import re
from bisect import bisect_left

from geomap.calendar import CALENDAR_WORDS
from geomap.toponyms.index import CAPS_FORM, COMMON, DEMONYM, DOTTED_FORM, MAJOR, TOP
from geomap.toponyms.wordlists import (ARABIC_ARTICLES, BOILERPLATE, CONNECTORS,
                                       DIRECTION_WORDS, INSTITUTION_NAMES, LOCATIVES,
                                       NOT_SURNAMES, ORGANISATION_HEADS, ORGANISATION_LEADS,
                                       PERSON_TITLES, PLACE_HEADS, SENTENCE_OPENERS, SPEECH_VERBS,
                                       STREET_WORDS, common_words, given_names)
from geomap.toponyms.words import Hit, Words, is_lower, letter_count

def well_formed(words: Words, h: Hit) -> bool:
    """Whether the words are written the way a name is: capitalised, abbreviations as such."""
    if h.j - h.i > 1 and is_lower(words.words[h.j - 1]):
        return False  # "Gulf of mexico" is not written as a name (but "Côte d'Ivoire" is)
    first = words.words[h.i]
    if is_lower(first):
        # "al-Bab", "as-Sukhnah": the Arabic article joined by a hyphen
        return h.j - h.i > 1 and words.keys[h.i] in ARABIC_ARTICLES and words.capitalised(h.j - 1) \
            and words.text[words.ends[h.i]:words.ends[h.i] + 1] == "-"
    key = " ".join(words.keys[h.i:h.j])
    letters = letter_count(key)
    if h.j - h.i == 1 and words.all_caps(h.i):
        # "US", "NSW": only names the gazetteer itself writes in capitals; otherwise a word in
        # capitals is an acronym ("ALMA", "IRNA") or a shouted common word ("READ MORE"), but
        # for a dateline ("INNISFAIL -") or an emphasised major place in running text
        if h.bits & CAPS_FORM:
            return True
        if letters <= 3 or h.bits & DEMONYM or (h.bits & COMMON and not h.bits & TOP):
            return False
        return (words.sentence_start(h.i) or bool(h.bits & MAJOR)) \
            and line_is_caps(words, h.i) is False
    if h.j - h.i == 1 and letters == 3 and first[0].isupper() and first[1:].isalpha() \
            and first[1:].islower():
        # "Bam", "in Van": a short name written as a name, where it is no common word or
        # given name ("Law", "Ken") or the text puts it as a place
        return not (h.bits & COMMON or key in given_names()) or (
            h.i > 0 and words.keys[h.i - 1] in LOCATIVES and not words.capitalised(h.i - 1))
    if h.j - h.i == 1 and ("." in first or letters <= 3):
        # "U.S", "Ky.", "W.Va.": short names count only as the abbreviations the gazetteer has
        dotted = "." in first or words.text[words.ends[h.i]:words.ends[h.i] + 1] == "."
        return bool(h.bits & DOTTED_FORM) and dotted and letters >= 2
    return True


def line_is_caps(words: Words, i: int) -> bool:
    """True when more than 80 % of the letters on word i's line are capitals (a shouted line)."""
    if words.line_breaks is None:  # found once per text; each line judged once, when first asked
        words.line_breaks = [m.start() for m in _LINE_BREAK.finditer(words.text)]
    breaks, judged = words.line_breaks, words.caps_lines
    line = bisect_left(breaks, words.starts[i])  # the line's number: line breaks before the word
    caps = judged.get(line)
    if caps is None:
        start = breaks[line - 1] + 1 if line else 0
        end = breaks[line] if line < len(breaks) else len(words.text)
        letters = [ch for ch in words.text[start:end] if ch.isalpha()]
        caps = judged[line] = sum(ch.isupper() for ch in letters) > 0.8 * len(letters)
    return caps


_LINE_BREAK = re.compile("\n")


def is_name_word(words: Words, i: int, places: set[int]) -> bool:
    """True when word i is a capitalised word that is part of a personal or other proper name."""
    if i < 0 or i >= len(words.words):
        return False
    word = words.words[i]
    if not word[0].isupper() or words.all_caps(i):
        return False
    key = words.keys[i]
    if len(key) < 2 or key in _ARTICLES:
        return False  # "A Midland man"
    if key in given_names():
        return True  # "Nelson Mandela", though Nelson is a place too
    if i in places:
        return False
    if key in common_words() or key in DIRECTION_WORDS or key in SENTENCE_OPENERS:
        return False
    if key in CALENDAR_WORDS:
        return False
    return True


def after_middle_initial(words: Words, i: int, places: set[int]) -> bool:
    """True when word i follows a given name and a middle initial: "Harry S. Truman"."""
    if i < 2 or previous_gap(words, i) != ". " or previous_gap(words, i - 1) != " ":
        return False
    initial = words.words[i - 1]
    return len(initial) == 1 and initial.isupper() and words.keys[i - 2] in given_names() \
        and is_name_word(words, i - 2, places)


def next_word(words: Words, j: int, *, joined: str | None = None) -> str | None:
    """Return the folded word after word j-1 when only spaces (or `joined`) separate them."""
    if j >= len(words.words):
        return None
    gap = words.text[words.ends[j - 1]:words.starts[j]]
    if joined is None:
        ok = gap.strip(" ") == "" and "\n" not in gap
    else:
        ok = gap == joined
    return words.keys[j] if ok else None


def previous_gap(words: Words, i: int) -> str:
    return words.text[words.ends[i - 1]:words.starts[i]] if i > 0 else "\n"


def reject_reason(words: Words, h: Hit, places: set[int]) -> str | None:
    """Return why a well-formed match is not a place here, or None when it is one."""
    key = " ".join(words.keys[h.i:h.j])
    single = h.j - h.i == 1
    if single and (key in CALENDAR_WORDS or key in DIRECTION_WORDS):
        return "calendar or compass word"
    if single and (key in PERSON_TITLES or key in ORGANISATION_LEADS or key in STREET_WORDS):
        return "a title or an institution, not a place"
    first = words.keys[h.i]
    if key in INSTITUTION_NAMES or (first in _INSTITUTION_WORDS
                                    and inside_name(words, h, INSTITUTION_NAMES)):
        return "an institution's name"
    if key in BOILERPLATE or (first in _BOILERPLATE_WORDS and inside_name(words, h, BOILERPLATE)):
        return "page furniture ('Read More', 'Share')"
    starts_sentence = words.sentence_start(h.i)
    if single and h.bits & COMMON and not h.bits & DEMONYM:
        if starts_sentence and not h.bits & TOP and not qualified(words, h, places):
            return "common word opening a sentence"
        # "State Police", "Police Chief": a common word inside a run of capitalised words
        if not starts_sentence and (capital_neighbour(words, h.i - 1, places)
                                    or capital_neighbour(words, h.j, places)) \
                and not h.bits & TOP:
            return "common word inside a capitalised phrase"
        # "London Police", "Glasgow Police": a common word after a place name is its head noun
        if not h.bits & MAJOR and h.i - 1 in places and previous_gap(words, h.i) == " ":
            return "common word inside a capitalised phrase"
    prev_gap = previous_gap(words, h.i)
    if h.i > 0 and prev_gap.strip(" .") == "" and "\n" not in prev_gap:
        prev = words.keys[h.i - 1]
        if prev in PERSON_TITLES and words.capitalised(h.i - 1):
            return "a person's name after a title"
        if prev_gap.strip() in ("", "-") and is_name_word(words, h.i - 1, places) \
                and not h.bits & DEMONYM and not before_place_word(words, h.i - 1) \
                and (not h.bits & MAJOR or words.keys[h.i - 1] in given_names()):
            return "a surname after a given name"
    if single and not h.bits & (TOP | DEMONYM) and after_middle_initial(words, h.i, places):
        return "a surname after a given name"  # "Harry S. Truman", "Charles W. Murphy"
    if h.j - h.i == 2 and words.keys[h.i] in given_names() and not h.bits & MAJOR \
            and is_name_word(words, h.i + 1, set()) and words.keys[h.i + 1] not in common_words() \
            and words.keys[h.i + 1] not in NOT_SURNAMES:
        return "a given name before a surname"  # "Luis Gomes" (a Brazilian municipality)
    nxt = next_word(words, h.j)
    if nxt is not None and nxt in ORGANISATION_HEADS and not h.bits & DEMONYM:
        return "names an organisation or a treaty"
    nxt_joined = next_word(words, h.j, joined="-")
    if single and not h.bits & DEMONYM and (nxt is not None or nxt_joined is not None) \
            and is_name_word(words, h.j, places) and words.keys[h.j] not in PLACE_HEADS \
            and words.keys[h.j] not in given_names() \
            and (not h.bits & TOP or key in given_names()):
        return "part of a longer name"  # "Vladimir Poutin", "Jean-Yves", "Georgia Stevens"
    if single and nxt is not None and key in given_names() and not h.bits & (MAJOR | DEMONYM) \
            and words.capitalised(h.j) and not words.all_caps(h.j) and h.j not in places \
            and words.keys[h.j] not in NOT_SURNAMES:
        return "a given name before a surname"  # "Donald Trump", though "trump" is a word
    if inside_organisation(words, h):
        return "part of an organisation's name"
    if single and not h.bits & (MAJOR | DEMONYM) and nxt in SPEECH_VERBS and \
            not (h.i > 0 and words.keys[h.i - 1] in LOCATIVES):
        return "a person who speaks"  # but "a nurse in Austin told"
    after = words.text[words.ends[h.j - 1]:words.ends[h.j - 1] + 1]
    if after == "$" and words.all_caps(h.i):
        return "a currency ('US$')"
    return None


def _name_words(names: frozenset[str]) -> frozenset[str]:
    """Return the words of the multiword names in a list (a match must be one to lie inside)."""
    return frozenset(w for name in names if " " in name for w in name.split())


_INSTITUTION_WORDS = _name_words(INSTITUTION_NAMES)
_BOILERPLATE_WORDS = _name_words(BOILERPLATE)


def inside_name(words: Words, h: Hit, names: frozenset[str]) -> bool:
    """True when the match lies inside a listed multiword name ("Boko Haram", "Read More")."""
    for before in range(0, 3):
        for after in range(0, 3 - before):
            if before + after == 0 or h.i - before < 0 or h.j + after > len(words.words):
                continue
            i, j = h.i - before, h.j + after
            if " ".join(words.keys[i:j]) in names and all(
                    words.text[words.ends[k - 1]:words.starts[k]].strip(" -") == ""
                    for k in range(i + 1, j)):
                return True
    return False


def qualified(words: Words, h: Hit, places: set[int]) -> bool:
    """True when a state or country follows the name after a comma ("Buffalo, New York")."""
    return h.j in places and words.text[words.ends[h.j - 1]:words.starts[h.j]].strip() == ","


def before_place_word(words: Words, i: int) -> bool:
    """True when word i is a title-case place head-word before a name ("Lake", "Fort", "Mount")."""
    return words.keys[i] in ("lake", "mount", "fort", "port", "cape", "saint", "st", "san",
                             "santa", "sao", "los", "las", "el", "al")


def capital_neighbour(words: Words, k: int, places: set[int]) -> bool:
    if k < 0 or k >= len(words.words) or k in places:
        return False
    lo, hi = (k, k + 1) if k < len(words.words) else (k, k)
    gap = words.text[words.ends[k - 1]:words.starts[k]] if k > 0 else ""
    if k > 0 and ("\n" in gap or gap.strip(" ") not in ("", "-")):
        return False
    return words.capitalised(k) and not words.sentence_start(k) and hi > lo


def inside_organisation(words: Words, h: Hit) -> bool:
    """True for "Organization for Security and Cooperation in Europe (OSCE)" and the like."""
    after = words.text[words.ends[h.j - 1]:words.ends[h.j - 1] + 16]
    m = _ACRONYM.match(after)
    if not m:
        return False
    acronym = m.group(1)
    initials = [words.words[h.i][0].upper()]
    k = h.i - 1
    while k >= 0 and len(initials) < len(acronym) + 1:
        gap = words.text[words.ends[k]:words.starts[k + 1]]
        if "\n" in gap or gap.strip(" ") not in ("", "-"):
            break
        if words.capitalised(k):
            initials.append(words.words[k][0].upper())
        elif words.keys[k] not in CONNECTORS:
            break
        k -= 1
    # the bracketed acronym spells the capitalised words that end with the place
    return len(initials) >= len(acronym) and "".join(reversed(initials[:len(acronym)])) == acronym


_ACRONYM = re.compile(r"\s*\(([A-Z]{3,8})\)")
_ARTICLES = frozenset({"a", "an", "the"})


PERSON_REASONS = frozenset({"a person's name after a title", "a surname after a given name",
                             "a person who speaks", "part of a longer name",
                             "a given name before a surname"})
# the reasons that show a name is a person's surname, which the article will repeat alone
# ("Christopher Steele ... Steele said"); a given name or a word of a longer name may be a
# place elsewhere in the same article ("Georgia Stevens", "Fargo-Moorhead")
SURNAME_REASONS = frozenset({"a person's name after a title", "a surname after a given name",
                             "a person who speaks"})
