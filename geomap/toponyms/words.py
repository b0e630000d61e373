"""The tokenizer: a text's words with their folded keys and offsets, and the automaton scan over them.

The text is cut into words; each word is folded like a gazetteer key ("Gəncə" -> "gence",
"U.S." -> "us") and the keys are joined with single spaces, so one automaton over
" key " patterns finds every whole-word name in one pass.
"""

from __future__ import annotations

import operator
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import accumulate, compress, repeat
from typing import NamedTuple

from geomap.gazetteer import normalize_name
from geomap.toponyms.index import LENGTH_SHIFT, NameIndex
from geomap.toponyms.wordlists import NAME_PARTICLES

# A word: letters and digits, with dots and apostrophes inside it ("U.S", "d'Ivoire").
_WORD = re.compile(r"[^\W_][\w\u0300-\u036f]*(?:[.'’ʼ][^\W_][\w\u0300-\u036f]*)*")


_WORD_SPLIT = re.compile(f"({_WORD.pattern})")


_POSSESSIVE = ("'s", "’s", "ʼs", "'S", "’S")


_POSSESSIVE_MARK = re.compile("|".join(_POSSESSIVE))


# Characters skipped when looking for the start of a sentence.
_QUOTES = " \t\"'“”‘’«»([{*"


_SENTENCE_ENDS = ".!?:;\n•·|–—-"


_HEAD_FOLDS: dict[str, str] = {}


# word as written -> (lookup key, what the scanner sees and a space): words repeat, folding them
# does not
_PARTS: dict[str, tuple[str, str]] = {}


def fold_word(word: str) -> str:
    key = _HEAD_FOLDS.get(word)
    if key is None:
        key = normalize_name(word)
        if len(_HEAD_FOLDS) > 200_000:
            _HEAD_FOLDS.clear()
        _HEAD_FOLDS[word] = key
    return key


def word_parts(word: str) -> tuple[str, str]:
    """Return (lookup key, what the scanner sees and a space) of a word, cached in _PARTS."""
    known = _PARTS.get(word)
    if known is None:
        key = fold_word(word)
        # a lower-case word cannot match (but for particles inside names): "turkey"; the
        # scanner sees a mark that no name holds, one character (a shorter text to scan)
        known = (key, key + " " if not is_lower(word) or key in NAME_PARTICLES else "~ ")
        if len(_PARTS) > 200_000:
            _PARTS.clear()
        _PARTS[word] = known
    return known


_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)


def is_lower(word: str) -> bool:
    """True for a word written in lower case ("d'Ivoire" and "al-" prefixes aside)."""
    if not word[0].islower():
        return False
    if "'" not in word and "’" not in word:
        return True  # the common case, decided without the loop below
    for mark in "'’":
        head, sep, rest = word.partition(mark)
        if sep and len(head) <= 2 and rest[:1].isupper():
            return False
    return True


def name_goes_on(automaton, key: str, text: str, end: int) -> bool:
    """True when a possessive-looking word begins a longer name ("People's Republic of ...")."""
    m = _WORD.match(text, end + 1) if text[end:end + 1] == " " else None
    return m is not None and m.group()[0].isupper() and automaton.match(f" {key} ")


class Words:
    """The words of a text with their folded keys and offsets."""

    __slots__ = ("text", "starts", "ends", "words", "keys", "norm_starts", "norm", "line_breaks",
                 "caps_lines")

    def __init__(self, text: str, automaton=None):
        self.text = text
        # filled by filters.line_is_caps, for this text only: the line breaks, {line: shouted}
        self.line_breaks: list[int] | None = None
        self.caps_lines: dict[int, bool] = {}
        # Each step maps a C function over all the words rather than running Python code per
        # word; what remains is mostly the regex and the dictionary lookups themselves. One
        # split gives the gaps and the words in turn (no match object per word): gap, word,
        # gap, ..., gap; the running sum of their lengths is where each word starts and ends.
        pieces = _WORD_SPLIT.split(text)
        words = pieces[1::2]
        edges = list(accumulate(map(len, pieces)))
        starts, ends = edges[0:-1:2], edges[1::2]
        # possessives are found in the text (one search), then matched to their words
        marks = [m.end() for m in _POSSESSIVE_MARK.finditer(text)]
        for i in [i for i, end in zip(map(bisect_left, repeat(ends), marks), marks)
                  if i < len(ends) and ends[i] == end and words[i].endswith(_POSSESSIVE)]:
            word = words[i]
            if len(word) > 2 and not (
                    automaton is not None and name_goes_on(automaton, fold_word(word), text, ends[i])):
                words[i] = word[:-2]  # "Canada's" but "People's Republic of China"
                ends[i] -= 2
        parts = list(map(_PARTS.get, words))
        if None in parts:  # words not seen before
            for i in compress(range(len(words)), map(operator.is_, parts, repeat(None))):
                parts[i] = word_parts(words[i])
        keys = list(map(_FIRST, parts))
        if "" in keys:  # a word that folds to nothing (another script) is no word here
            kept = list(map(bool, keys))
            words, starts, ends, parts, keys = (list(compress(seq, kept))
                                                for seq in (words, starts, ends, parts, keys))
        spaced = list(map(_SECOND, parts))  # what the scanner sees of each word, and a space
        self.starts, self.ends, self.words, self.keys = starts, ends, words, keys
        # word k starts after the leading space and the k words before it with their spaces
        self.norm_starts = list(accumulate(map(len, spaced), initial=1))
        self.norm_starts.pop()
        self.norm = " " + "".join(spaced)

    def word_span(self, norm_start: int, norm_end: int) -> tuple[int, int] | None:
        """Return the word range [i, j) of a match in the folded text, or None if misaligned."""
        i = bisect_left(self.norm_starts, norm_start)
        if i >= len(self.norm_starts) or self.norm_starts[i] != norm_start:
            return None
        j = bisect_right(self.norm_starts, norm_end) - 1
        if j < i or self.norm_starts[j] + len(self.keys[j]) != norm_end:
            return None
        return i, j + 1

    def sentence_start(self, i: int) -> bool:
        """True when word i opens a sentence, a line, a heading or a quotation."""
        k = self.starts[i] - 1
        text = self.text
        while k >= 0 and text[k] in _QUOTES:
            k -= 1
        return k < 0 or text[k] in _SENTENCE_ENDS

    def capitalised(self, i: int) -> bool:
        return not is_lower(self.words[i])

    def all_caps(self, i: int) -> bool:
        return is_all_caps(self.words[i])


# Per-word and per-key facts, cached: the same words come back in every article.
@lru_cache(maxsize=65_536)
def is_all_caps(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


@lru_cache(maxsize=65_536)
def letter_count(key: str) -> int:
    return sum(ch.isalpha() for ch in key)


class Hit(NamedTuple):
    i: int  # first word
    j: int  # one past the last word
    bits: int


def scan_names(words: Words, index: NameIndex) -> list[Hit]:
    """Return the matches of the index's names that begin and end on word boundaries."""
    hits = []
    starts, keys, written = words.norm_starts, words.keys, words.words
    count = len(starts)
    for end, value in index.automaton.iter(words.norm):
        # the name's key lies between the pattern's spaces: [start, end) of the folded text
        start = end - (value >> LENGTH_SHIFT) + 2
        i = bisect_left(starts, start)
        if i == count or starts[i] != start:
            continue
        if start + len(keys[i]) == end:  # one word, the common case
            if written[i][0].islower() and is_lower(written[i]):
                continue  # "of", "in": a lower-case particle alone, which well_formed refuses
            hits.append(_new_hit(Hit, (i, i + 1, value & 0xFF)))
            continue
        j = bisect_right(starts, end) - 1
        if j < i or starts[j] + len(keys[j]) != end:
            continue
        hits.append(_new_hit(Hit, (i, j + 1, value & 0xFF)))
    return hits


# a Hit made without the Python-level __new__ of NamedTuple (thousands per text)
_new_hit = tuple.__new__


def keep_longest(hits: list[Hit]) -> list[Hit]:
    """Keep the longest of overlapping matches ("Nagorno-Karabakh" over "Karabakh")."""
    kept: list[Hit] = []
    group: list[Hit] = []  # matches that overlap one another, in a chain
    reach = -1  # one past the last word of the group
    for h in sorted(hits, key=_FIRST):
        if h.i >= reach and group:
            _keep_longest_of(group, kept)
            group = []
        group.append(h)
        reach = max(reach, h.j) if len(group) > 1 else h.j
    if group:
        _keep_longest_of(group, kept)
    return sorted(kept, key=_FIRST)


def _keep_longest_of(group: list[Hit], kept: list[Hit]) -> None:
    """Add to `kept` the longest of a chain of overlapping matches, then the longest of what
    does not overlap those, and so on (only matches that overlap compete: a match alone, as
    most are, is kept as it is)."""
    if len(group) == 1:
        kept.append(group[0])
        return
    taken: set[int] = set()
    for h in sorted(group, key=lambda h: (-(h.j - h.i), h.i)):
        if any(k in taken for k in range(h.i, h.j)):
            continue
        taken.update(range(h.i, h.j))
        kept.append(h)
