"""The incident store: every article ingested, one row per event, in a GeoPackage.

gpkg.py (the file: GeoPackage tables, columns from the Incident type, the format version) |
merge.py (when reports are one event; the event's fields, fatalities by ACLED's rule) |
database.py (IncidentStore: batches as transactions, slices) | ingest.py (the pipeline).

Why a GeoPackage: measured against a GeoParquet dataset in bench/bench_store.py (figures in
docs/notes/issue12.md). An event told by a later article changes a row already stored (its
sources, its fatality figure), which SQLite does in place within a transaction where a
GeoParquet dataset rewrites whole files; a week's slice is an indexed query; one file opens in
QGIS and in geopandas (`geopandas.read_file(path, layer="incidents")`).
"""

from geomap.store.database import IncidentStore, IngestReport, Slice, StoredEvent, content_hash
from geomap.store.gpkg import STORE_FORMAT, StoreError
from geomap.store.ingest import ingest
from geomap.store.merge import MERGE_KM, MERGE_RULE

__all__ = ["MERGE_KM", "MERGE_RULE", "STORE_FORMAT", "IncidentStore", "IngestReport", "Slice",
           "StoreError", "StoredEvent", "content_hash", "ingest"]
