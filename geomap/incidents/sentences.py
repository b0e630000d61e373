"""Splitting an article into sentences that keep their character offsets.

A sentence ends at sentence punctuation followed by a space and a capital, a digit or an
opening quote; at a blank line; and at the end of a headline-like line (short, no final
punctuation, the next line starting with a capital) or a bulleted line. Abbreviations and
initials do not end sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations that end with a full stop inside a sentence (titles, ranks, months, Latin).
ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gen lt col maj capt sgt cpl pte adm cmdr gov sen rep pres st jr sr rev
no nos vs etc e.g i.e cf al approx dept est fig inc ltd co corp
jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u a.m p.m
""".split())
HEADLINE_MAX_WORDS = 12
BULLET_RE = re.compile(r"\s*(?:[•·▪◦‣*\-–—]|\d{1,2}[.)])\s+")
# sentence punctuation, closing quotes or brackets, then space and the start of a sentence
# matched from the first mark of a run only, without backtracking: a run of 100,000 dots is
# tried once, not once per dot
# (the mark first, the look back after it: re skips to the marks with a quick scan)
BOUNDARY_RE = re.compile(r"[.!?…](?<![.!?…][.!?…])[.!?…]*+[\"'”’»)\]]*+"
                         r"(?=\s++[\"'“‘«(\[]?[A-Z0-9À-ÖØ-Þ])")
LINE_RE = re.compile(r"[^\n]*\n?")
BLANK_RE = re.compile(r"\n[^\S\n]*\n")
TERMINAL = ".!?…:;\"'”’»)"


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article: its text and where it sits in the article's text."""

    start: int
    end: int
    text: str
    paragraph: int
    headline: bool = False  # a line without final punctuation (a title or a crosshead)


def split_sentences(text: str) -> list[Sentence]:
    """Return the sentences of text, in order, with offsets into text."""
    sentences: list[Sentence] = []
    for number, (start, end) in enumerate(_paragraphs(text)):
        for line_start, line_end in _line_groups(text, start, end):
            sentences.extend(_split_run(text, line_start, line_end, number))
    return sentences


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each block of text between blank lines."""
    spans, start = [], 0
    for blank in BLANK_RE.finditer(text):
        spans.append((start, blank.start()))
        start = blank.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _line_groups(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Runs of lines in a paragraph that belong together (a hard-wrapped sentence stays whole)."""
    lines = [(m.start(), m.end()) for m in LINE_RE.finditer(text, start, end) if m.end() > m.start()]
    groups: list[tuple[int, int]] = []
    for i, (line_start, line_end) in enumerate(lines):
        if groups and not _breaks_after(text, lines[i - 1], (line_start, line_end)):
            groups[-1] = (groups[-1][0], line_end)
        else:
            groups.append((line_start, line_end))
    return groups


def _breaks_after(text: str, previous: tuple[int, int], current: tuple[int, int]) -> bool:
    """True when a single line break between two lines ends a sentence."""
    before = text[previous[0]:previous[1]].strip()
    after = text[current[0]:current[1]].strip()
    if not before or not after:
        return True
    if BULLET_RE.match(text, current[0]) or BULLET_RE.match(text, previous[0]):
        return True
    if before[-1] in TERMINAL:
        return True
    return len(before.split()) <= HEADLINE_MAX_WORDS and after[0].isupper()


def _split_run(text: str, start: int, end: int, paragraph: int) -> list[Sentence]:
    """Split a run of text at sentence boundaries that are not abbreviations."""
    pieces, piece_start = [], start
    for match in BOUNDARY_RE.finditer(text, start, end):
        if _is_abbreviation(text, piece_start, match.start(), match.group()):
            continue
        pieces.append((piece_start, match.end()))
        piece_start = match.end()
    pieces.append((piece_start, end))
    sentences = []
    for s, e in pieces:
        raw = text[s:e]
        s += len(raw) - len(raw.lstrip())
        e -= len(raw) - len(raw.rstrip())
        if e <= s:
            continue
        body = text[s:e]
        headline = body[-1] not in TERMINAL and bool(BULLET_RE.match(body)
                                                      or len(body.split()) <= HEADLINE_MAX_WORDS)
        sentences.append(Sentence(s, e, body, paragraph, headline))
    return sentences


def _is_abbreviation(text: str, start: int, dot: int, punctuation: str) -> bool:
    """True when the full stop at `dot` closes an abbreviation or an initial."""
    if not punctuation.startswith("."):
        return False
    # the word before the dot, read backwards from it (not the whole run since `start`: a run
    # of "Mr. Mr. Mr. ..." would be re-read at every dot); letters, digits, "_" and dots, as
    # [\w.]+ reads them, ending at the dot or at a line break just before it
    end = dot - 1 if dot > start and text[dot - 1] == "\n" else dot
    first = end
    while first > start and (text[first - 1] == "." or text[first - 1] == "_"
                             or text[first - 1].isalnum()):
        first -= 1
    if first == end:
        return False
    word = text[first:end]
    if word.lower() in ABBREVIATIONS:
        return True
    # a single capital letter is an initial ("J. Smith"); "U.S." style dotted capitals too
    return bool(re.fullmatch(r"[A-Z]|(?:[A-Z]\.)+[A-Z]", word))
