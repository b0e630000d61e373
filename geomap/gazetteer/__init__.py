"""The local gazetteer: places, their names and shapes in one SQLite file.

place.py (value types) <- ranking.py (priors, namesakes) <- store.py (SQL) <- geocode.py (answers);
build.py and geonames.py write databases; names.py folds names into lookup keys.
"""

from geomap import lazy_exports
# eager: imported lazily, the module geomap.gazetteer.geocode would shadow its function geocode
from geomap.gazetteer.geocode import GeocodeResult, geocode, geocode_names

# public name -> the module that defines it, imported when the name is first used
_EXPORTS = {
    **dict.fromkeys([
        "ATTRIBUTION", "BuildReport", "GazetteerWriter", "build_gazetteer", "is_stale",
    ], "geomap.gazetteer.build"),
    **dict.fromkeys(["ImportReport", "import_geonames"], "geomap.gazetteer.geonames"),
    **dict.fromkeys(["normalize_name"], "geomap.gazetteer.names"),
    **dict.fromkeys(["Candidate", "Place"], "geomap.gazetteer.place"),
    **dict.fromkeys(["importance", "rank_candidates", "same_place"], "geomap.gazetteer.ranking"),
    **dict.fromkeys(["Gazetteer", "GazetteerError", "GazetteerMissing"], "geomap.gazetteer.store"),
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "ATTRIBUTION", "BuildReport", "Candidate", "Gazetteer", "GazetteerError", "GazetteerMissing",
    "GazetteerWriter", "GeocodeResult", "ImportReport", "Place", "build_gazetteer", "geocode",
    "geocode_names", "import_geonames", "importance", "is_stale", "normalize_name",
    "rank_candidates", "same_place",
]
