"""Articles in and incidents out a piece at a time, so memory stays flat however large the input.

reading.py (inputs cut into partitions a worker reads by itself; articles one at a time) |
writing.py (incident files written a batch at a time; partitioned GeoParquet folders).
"""

from geomap import lazy_exports

# public name -> the module that defines it, imported when the name is first used
_EXPORTS = {
    **dict.fromkeys([
        "Partition", "iter_articles", "plan_partitions", "read_partition",
    ], "geomap.stream.reading"),
    **dict.fromkeys(["ParquetFolder", "TextStream"], "geomap.stream.writing"),
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = ["ParquetFolder", "Partition", "TextStream", "iter_articles", "plan_partitions",
           "read_partition"]
