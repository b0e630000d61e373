"""The local gazetteer: places, their names and shapes in one SQLite file.

place.py (value types) <- ranking.py (priors, namesakes) <- store.py (SQL) <- geocode.py (answers);
build.py and geonames.py write databases; names.py folds names into lookup keys.
"""

from geomap.gazetteer.build import (ATTRIBUTION, BuildReport, GazetteerWriter, build_gazetteer,
                                    is_stale)
from geomap.gazetteer.geocode import GeocodeResult, geocode, geocode_names
from geomap.gazetteer.geonames import ImportReport, import_geonames
from geomap.gazetteer.names import normalize_name
from geomap.gazetteer.place import Candidate, Place
from geomap.gazetteer.ranking import importance, rank_candidates, same_place
from geomap.gazetteer.store import Gazetteer, GazetteerError, GazetteerMissing

__all__ = [
    "ATTRIBUTION", "BuildReport", "Candidate", "Gazetteer", "GazetteerError", "GazetteerMissing",
    "GazetteerWriter", "GeocodeResult", "ImportReport", "Place", "build_gazetteer", "geocode",
    "geocode_names", "import_geonames", "importance", "is_stale", "normalize_name",
    "rank_candidates", "same_place",
]
