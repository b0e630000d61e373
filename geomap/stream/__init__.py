"""Articles in and incidents out a piece at a time, so memory stays flat however large the input.

reading.py (inputs cut into partitions a worker reads by itself; articles one at a time) |
writing.py (incident files written a batch at a time; partitioned GeoParquet folders).
"""

from geomap.stream.reading import Partition, iter_articles, plan_partitions, read_partition
from geomap.stream.writing import ParquetFolder, TextStream

__all__ = ["ParquetFolder", "Partition", "TextStream", "iter_articles", "plan_partitions",
           "read_partition"]
