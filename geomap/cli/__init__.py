"""The `geomap` command line: click commands only; each parses, calls one library function, and
prints or writes the result. common.py holds the group and what the commands share."""

from geomap.cli import gazetteer, geoparse, incidents, store  # noqa: F401  (registers the commands)
from geomap.cli.common import cli, main

__all__ = ["cli", "main"]
