"""Trying regular expressions only where they can match: the literal texts their matches start with.

Python's re tries a case-insensitive alternation of words at every position of a text. Most
of the date and incident patterns start with a word from a list; one Aho-Corasick pass over the
lower-cased text finds where those words stand, and each pattern is then tried only there,
with the same result as a scan of the whole text (`finditer`, `search`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Iterator, Sequence

import ahocorasick

# the characters that re.IGNORECASE equates with an ASCII letter while str.lower() does not
# give that letter (checked over every code point: U+0130 also lower-cases to two characters)
_ASCII_FOLDS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def fold(text: str) -> str:
    """Return text in lower case, one character for one (offsets are kept), every character
    that re.IGNORECASE equates with an ASCII letter turned into that letter."""
    lowered = text.lower()
    # only "İ" lower-cases to two characters; "ı" and "ſ" stay as they are
    if len(lowered) != len(text) or "\u0131" in lowered or "\u017f" in lowered:
        return text.translate(_ASCII_FOLDS).lower()  # (translate is slow: only when needed)
    return lowered


def literal_prefixes(pattern: str) -> tuple[str, ...] | None:
    """Lower-case texts one of which every match of `pattern` starts with; None if unknown."""
    prefixes: list[str] = []
    for alternative in _split_top(pattern):
        found = _prefixes_of(alternative)
        if not found:
            return None
        prefixes.extend(found)
    return tuple(sorted(set(prefixes)))


def _split_top(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":  # a class: "(", ")" and "|" inside it are characters
            i = _class_end(pattern, i)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _class_end(pattern: str, i: int) -> int:
    """The index after the character class that opens at i."""
    i += 1
    if pattern[i:i + 1] == "^":
        i += 1
    if pattern[i:i + 1] == "]":
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


def _group_end(alternative: str) -> int:
    """The index of the parenthesis that closes the group opening alternative."""
    depth, i = 0, 0
    while i < len(alternative):
        ch = alternative[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _class_end(alternative, i)
            continue
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0:
            return i
        i += 1
    return len(alternative)


def _prefixes_of(alternative: str) -> list[str] | None:
    """Literal starts of one alternative (through a leading group), or None."""
    if alternative.startswith(r"\b"):  # a word boundary takes no characters
        alternative = alternative[2:]
    if alternative.startswith("("):
        if re.match(r"\(\?(?:[=!<]|P=|#|\()", alternative):
            return None  # a look-around, a back-reference, a comment or a conditional
        close = _group_end(alternative)
        opening = re.match(r"\(\?P<\w+>|\(\?[-a-zA-Z]*:|\(", alternative)[0]
        inner = literal_prefixes(alternative[len(opening):close])
        if inner is None:
            return None
        quantifier = alternative[close + 1:close + 2]
        if quantifier in ("?", "*"):  # the group may be absent: the rest can start the match
            rest = _prefixes_of(alternative[close + 2:].removeprefix("?").removeprefix("+"))
            return [*inner, *rest] if rest else None
        if quantifier == "{":
            return None
        return list(inner)
    literal = re.match(r"[A-Za-z0-9 '-]*", alternative)[0]
    rest = alternative[len(literal):]
    if rest[:1] in ("?", "*", "{"):
        literal = literal[:-1]  # the last character is optional
    elif (chars := re.match(r"\[([A-Za-z0-9 '-]{1,10})\](?![?*{])", rest)) and "-" not in chars[1][1:-1]:
        return [(literal + ch).lower() for ch in chars[1]]  # "h[157]n1": h1, h5, h7
    return [literal.lower()] if literal else None


class LiteralStarts:
    """Patterns, each with the literal texts its matches start with, in one automaton."""

    def __init__(self, patterns: Sequence[re.Pattern]):
        self.patterns = list(patterns)
        self.everywhere = []  # rows whose starts are unknown: tried at every position
        by_prefix: dict[str, tuple[list[int], list[int]]] = {}
        for row, pattern in enumerate(self.patterns):
            prefixes = literal_prefixes(pattern.pattern)
            if prefixes is None:
                self.everywhere.append(row)
                continue
            at_word = _starts_at_word(pattern.pattern)
            for prefix in prefixes:
                # after \b a match starting with a word character starts a word
                word_rows, other_rows = by_prefix.setdefault(prefix, ([], []))
                (word_rows if at_word and _is_word_char(prefix[0]) else other_rows).append(row)
        self._automaton = ahocorasick.Automaton()
        for prefix, (word_rows, other_rows) in by_prefix.items():
            self._automaton.add_word(prefix, (len(prefix), tuple(word_rows), tuple(other_rows)))
        self._automaton.make_automaton()

    def starts(self, text: str) -> dict[int, list[int] | None]:
        """Row -> the sorted positions where its pattern may match in text (None: anywhere);
        rows that cannot match are left out."""
        found: dict[int, list[int]] = {}
        for end, (length, word_rows, other_rows) in self._automaton.iter(fold(text)):
            start = end - length + 1
            if word_rows:
                before = text[start - 1] if start else " "
                if not (before.isalnum() or before == "_"):  # \b: the match starts a word
                    for row in word_rows:
                        found.setdefault(row, []).append(start)
            for row in other_rows:
                found.setdefault(row, []).append(start)
        for row, positions in found.items():
            if len(positions) > 1:  # a longer prefix that ends later may start earlier
                found[row] = sorted(set(positions))
        return {**found, **dict.fromkeys(self.everywhere)}


def _starts_at_word(pattern: str) -> bool:
    """True when every match of pattern starts at a \\b (each alternative starts with one,
    inside a group of flags around the whole pattern or not)."""
    flags = re.match(r"\(\?[-a-zA-Z]*:", pattern)
    if flags and _group_end(pattern) == len(pattern) - 1:
        return _starts_at_word(pattern[flags.end():-1])
    return all(alternative.startswith(r"\b") for alternative in _split_top(pattern))


def _is_word_char(ch: str) -> bool:
    """True for the characters re's \\w matches (\\b sits between one and another)."""
    return ch.isalnum() or ch == "_"


def matches_at(pattern: re.Pattern, text: str, positions: list[int] | None) -> Iterator[re.Match]:
    """pattern.finditer(text), for a pattern whose non-empty matches start only at positions
    (sorted; None: anywhere)."""
    if positions is None:
        yield from pattern.finditer(text)
        return
    end = 0
    for position in positions:
        if position < end:
            continue  # inside the match before: finditer goes on after it
        match = pattern.match(text, position)
        if match is not None:
            end = match.end()
            yield match


def search_at(pattern: re.Pattern, text: str, positions: Sequence[int] | None, pos: int = 0,
              endpos: int | None = None) -> re.Match | None:
    """pattern.search(text, pos, endpos), for a pattern whose matches start only at positions
    (sorted; None: anywhere)."""
    endpos = len(text) if endpos is None else endpos
    if positions is None:
        return pattern.search(text, pos, endpos)
    for position in positions[bisect_left(positions, pos):]:
        if position > endpos:
            break
        match = pattern.match(text, position, endpos)
        if match is not None:
            return match
    return None
