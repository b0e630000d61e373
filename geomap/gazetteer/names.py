"""Normalising place names for lookup: case, accents and punctuation fold away.

"Gəncə", "Gence" and "GENCE" share the key "gence"; "Nagorno-Karabakh" and "Nagorno Karabakh"
share "nagorno karabakh"; "U.S." becomes "us".
"""

from __future__ import annotations

import re
import unicodedata

# Latin letters that Unicode does not decompose into a base letter and a mark.
_LETTER_FOLDS = str.maketrans({
    "ə": "e", "Ə": "e", "ǝ": "e", "ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o",
    "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ħ": "h", "Ħ": "h",
    "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ß": "ss", "ŋ": "ng",
})
# Marks that join the letters around them ("Ma'arat", "U.S.", "Xankəndi's" is not a name).
_JOINERS = re.compile(r"[.'’ʼʻ`´]")
_SEPARATORS = re.compile(r"[^0-9a-z]+")
_LATIN = re.compile(r"[A-Za-zÀ-ɏḀ-ỿ]")


def normalize_name(name: str) -> str:
    """Return the lookup key of a name: lower case ASCII words separated by single spaces."""
    text = unicodedata.normalize("NFKD", name.translate(_LETTER_FOLDS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _JOINERS.sub("", text)
    return _SEPARATORS.sub(" ", text).strip()


# The type words that second-level division names carry (US Census county-equivalent types;
# GeoNames ADM2 names): "Laurel County", "Avoyelles Parish", "Kasur District".
ADMIN2_TYPE_WORDS = ("city and borough", "census area", "county", "parish", "borough",
                     "municipality", "municipio", "district", "department", "province")


def base_key(name: str) -> str:
    """Return the lookup key of a division's name without its type word ("Laurel County" ->
    "laurel", "City of Baltimore" -> "baltimore"); other names keep their key."""
    key = normalize_name(name)
    if key.startswith("city of "):
        return key[len("city of "):]
    for word in ADMIN2_TYPE_WORDS:
        if key.endswith(" " + word):
            return key[:-len(word) - 1]
    return key


def has_latin_letters(name: str) -> bool:
    """Return True when a name can appear in Latin-script text."""
    return bool(_LATIN.search(name))
