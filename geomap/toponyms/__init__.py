"""Finding place names in text, the first stage after reading an article.

mention.py (the Mention type) | wordlists.py (each list cited) | index.py (the gazetteer's names
in an automaton) | words.py (tokenizer and scan) | filters.py (what only looks like a place) |
roles.py (literal or standing for a government) | find.py (the pipeline) | ner.py (optional spaCy).
"""

from geomap import lazy_exports

# public name -> the module that defines it, imported when the name is first used
_EXPORTS = {
    **dict.fromkeys(["find_toponyms"], "geomap.toponyms.find"),
    **dict.fromkeys(["NameIndex", "cache_path", "name_index"], "geomap.toponyms.index"),
    **dict.fromkeys(["ROLES", "Mention", "TextTooLarge", "with_place"], "geomap.toponyms.mention"),
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = ["ROLES", "Mention", "NameIndex", "TextTooLarge", "cache_path", "find_toponyms",
           "name_index", "with_place"]
