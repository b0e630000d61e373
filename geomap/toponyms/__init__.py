"""Finding place names in text, the first stage after reading an article.

mention.py (the Mention type) | wordlists.py (each list cited) | index.py (the gazetteer's names
in an automaton) | words.py (tokenizer and scan) | filters.py (what only looks like a place) |
roles.py (literal or standing for a government) | find.py (the pipeline) | ner.py (optional spaCy).
"""

from geomap.toponyms.find import find_toponyms
from geomap.toponyms.index import NameIndex, cache_path, name_index
from geomap.toponyms.mention import ROLES, Mention, TextTooLarge, with_place

__all__ = ["ROLES", "Mention", "NameIndex", "TextTooLarge", "cache_path", "find_toponyms",
           "name_index", "with_place"]
