"""The local gazetteer: places, their names and shapes in one SQLite file."""

from geomap.gazetteer.build import (ATTRIBUTION, BuildReport, GazetteerWriter, build_gazetteer,
                                    is_stale, sources_dir)
from geomap.gazetteer.geonames import ImportReport, import_geonames
from geomap.gazetteer.names import normalize_name
from geomap.gazetteer.store import (Candidate, Gazetteer, GazetteerError, GazetteerMissing,
                                    GeocodeResult, Place, default_db_path, haversine_km,
                                    importance, rank_candidates, same_place)

__all__ = [
    "ATTRIBUTION", "BuildReport", "Candidate", "Gazetteer", "GazetteerError", "GazetteerMissing",
    "GazetteerWriter", "GeocodeResult", "ImportReport", "Place", "build_gazetteer",
    "default_db_path", "haversine_km", "import_geonames", "importance", "is_stale",
    "normalize_name", "rank_candidates", "same_place", "sources_dir",
]
