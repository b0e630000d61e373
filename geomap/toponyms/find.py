"""Finding place names in text: scan, keep the well-formed longest matches, filter, assign roles.

Choosing the place a name means is geomap.resolve's job.
"""

from __future__ import annotations

from geomap.toponyms.filters import (PERSON_REASONS, SURNAME_REASONS, next_word, previous_gap,
                                     reject_reason, well_formed)
from geomap.toponyms.index import DEMONYM, DOTTED_FORM, MAJOR, PLACE, TOP, NameIndex
from geomap.toponyms.mention import MAX_TEXT_CHARS, Mention, TextTooLarge
from geomap.toponyms.roles import roles_of
from geomap.toponyms.wordlists import LANGUAGE_NOUNS, LANGUAGE_VERBS, PLACE_HEADS
from geomap.toponyms.words import Hit, Words, keep_longest, scan_names

# Prepositions after which a name is a place even where the article also names a person so
# ("Steele said ... flew to Fargo" keeps Fargo): "in Fargo", "near Fargo".
_PLACE_PREPOSITIONS = frozenset("in at near from outside around across into via".split())
_POSSESSIVE_LENGTH = 2  # "'s", "’s"
# words that may follow a language but not a people's adjective ("teaches English in Riga",
# against "French troops")
_FUNCTION_WORDS = frozenset("and or but as to at with for on in from by is was than too well "
                            "fluently".split())


def find_toponyms(text: str, index: NameIndex) -> list[Mention]:
    """Return the place names and demonyms in `text`, unresolved (place None), in order."""
    if len(text) > MAX_TEXT_CHARS:
        raise TextTooLarge(f"text of {len(text):,} characters is larger than the "
                           f"{MAX_TEXT_CHARS:,} geomap processes at once; split it")
    words = Words(text, index.automaton)
    if not words.words:
        return []
    hits = [h for h in scan_names(words, index) if well_formed(words, h)]
    hits = keep_longest(hits)
    # words of names that are surely places (countries, capitals, demonyms...) or multiword
    place_words = {k for h in hits if h.bits & (MAJOR | DEMONYM) or h.j - h.i > 1
                   for k in range(h.i, h.j)}
    kept, people, full_names = [], set(), set()
    for h in hits:
        why = reject_reason(words, h, place_words)
        if why is None:
            kept.append(h)
        elif why in PERSON_REASONS:
            full_names.update(full_names_of(words, h))
            if why in SURNAME_REASONS:
                people.add(" ".join(words.keys[h.i:h.j]))
    # "Christopher Steele ... Steele's report": a surname stays a person's in the rest of the
    # article, but not where the text puts it as a place ("Wells Fargo ... in Fargo"); a given
    # name only within the same full name ("Donald Trump ... Donald trump"). Only a country or a
    # continent keeps its name whatever person shares it: a province or a city may be a
    # councillor's surname ("Tom Nelson ... Nelson said")
    if full_names:
        kept = [h for h in kept if h.bits & TOP or full_names.isdisjoint(full_names_of(words, h))
                and (" ".join(words.keys[h.i:h.j]) not in people or placed_by_preposition(words, h))]
    mentions = []
    # roles in one pass: a coordinated list is walked once, not once per place in it
    for h, role in zip(kept, roles_of(words, kept)):
        key = " ".join(words.keys[h.i:h.j])
        start, end = words.starts[h.i], words.ends[h.j - 1]
        last = words.words[h.j - 1]
        if text[end:end + 1] == "." and ("." in last or (h.bits & DOTTED_FORM and len(last) <= 4)):
            end += 1  # "U.S." and "Ky." keep their last dot
        stem = possessive_stem(words, h, index)
        if stem is not None:  # "Canada's" is Canada, not the Mexican town Cañadas
            h, key = stem
            end -= _POSSESSIVE_LENGTH
        if h.bits & DEMONYM and not (h.bits & PLACE and h.bits & MAJOR
                                     and (h.bits & TOP or named_as_place(words, h))):
            if not is_language(words, h):
                mentions.append(Mention(start, end, text[start:end], kind="demonym",
                                        role="associative", key=key))
            continue
        mentions.append(Mention(start, end, text[start:end], role=role, key=key))
    return mentions


def full_names_of(words: Words, h: Hit) -> list[tuple[str, ...]]:
    """Return the full names the match may be part of, as keys: with the next word as its
    given name ("first", "donald", "trump") and with the word before as its surname."""
    here = tuple(words.keys[h.i:h.j])
    names = []
    nxt = next_word(words, h.j)
    if nxt is not None:
        names.append(("first", *here, nxt))
    if h.i > 0 and previous_gap(words, h.i).strip(" ") == "":
        names.append(("last", words.keys[h.i - 1], *here))
    return names


def placed_by_preposition(words: Words, h: Hit) -> bool:
    """True when a locative preposition stands right before the name ("in Fargo")."""
    return h.i > 0 and words.keys[h.i - 1] in _PLACE_PREPOSITIONS and \
        previous_gap(words, h.i).strip() == "" and not words.capitalised(h.i - 1)


def possessive_stem(words: Words, h: Hit, index: NameIndex) -> tuple[Hit, str] | None:
    """Return the match without its possessive ("Canada's" -> Canada) when the tokenizer kept
    the "'s" as part of a name and the bare word is a name too; None otherwise."""
    if h.j - h.i != 1:
        return None
    word = words.words[h.i]
    if len(word) <= _POSSESSIVE_LENGTH + 1 or word[-2] not in "'’ʼ" or word[-1] not in "sS":
        return None
    stem = words.keys[h.i][:-1]  # the key folds the apostrophe away: "canadas"
    value = index.automaton.get(f" {stem} ", None)
    if value is None:
        return None
    return Hit(h.i, h.j, value & 0xFF), stem


def named_as_place(words: Words, h: Hit) -> bool:
    """True when a word that is both a people and a division is written as the division:
    "the Somali Region", "in Somali" (but "Somali refugees", "Somali army" are the people)."""
    nxt = next_word(words, h.j)
    return (nxt is not None and nxt in PLACE_HEADS and words.capitalised(h.j)) or \
        placed_by_preposition(words, h)


def is_language(words: Words, h: Hit) -> bool:
    """True when a demonym names a language: "speaks French", "in English,", "Arabic-language"."""
    nxt = next_word(words, h.j) or next_word(words, h.j, joined="-")
    if nxt in LANGUAGE_NOUNS:
        return True
    if h.i == 0 or words.keys[h.i - 1] not in LANGUAGE_VERBS or words.capitalised(h.i - 1):
        return False
    # after "speaks" or "in", a language ends the phrase; a people is followed by its noun
    # ("in French territory", "teaching English students")
    after = words.text[words.ends[h.j - 1]:words.ends[h.j - 1] + 2].lstrip(" ")
    return nxt is None or nxt in _FUNCTION_WORDS or after[:1] in ",.;:!?)\"”"
