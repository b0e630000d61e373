"""Start-up: the light commands load no numerical or drawing library (issue 13)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = {"numpy", "pandas", "geopandas", "matplotlib", "folium", "shapely", "dask"}


def imported_modules(*args: str) -> set[str]:
    """The top-level packages `python -X importtime ARGS` imports."""
    done = subprocess.run([sys.executable, "-X", "importtime", *args],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip().split(".")[0]
            for line in done.stderr.splitlines() if line.startswith("import time:")} - {"imported"}


@pytest.mark.parametrize("command", [["geocode", "Riga"], ["toponyms", "ARTICLE"]])
def test_light_commands_import_no_heavy_library(command, tiny_db, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Fighting broke out near Riga on Sunday, officials said.\n")
    args = [str(article) if a == "ARTICLE" else a for a in command]
    modules = imported_modules("-m", "geomap", *args, "--db", str(tiny_db))
    assert {"geomap", "click", "sqlite3"} <= modules  # the positive control: the list is read
    assert not modules & HEAVY, sorted(modules & HEAVY)


def test_the_reading_sees_a_heavy_library_that_is_imported():
    assert {"pandas", "numpy"} <= imported_modules("-c", "import pandas")
