"""geomap: offline incident mapper."""

__version__ = "0.1.0"
