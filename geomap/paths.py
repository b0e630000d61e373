"""Where geomap's files live: the project checkout, the gazetteer, the map assets, shared/.

Every other module asks here; none works out a path from its own location.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# files written for geomap and shipped with the package (word lists, the page's CSS and JS)
DATA_DIR = PACKAGE_DIR / "data"


def project_root() -> Path:
    """Return the checkout that holds the geomap package (gazetteer/, seeds/, output/ live there)."""
    return PACKAGE_DIR.parent


def gazetteer_dir() -> Path:
    """Return the folder of the committed gazetteer sources and the built database."""
    return project_root() / "gazetteer"


def default_db_path() -> Path:
    """Return the gazetteer database path: $GEOMAP_DB, else gazetteer/geomap.sqlite in the project."""
    env = os.environ.get("GEOMAP_DB")
    if env:
        return Path(env)
    return gazetteer_dir() / "geomap.sqlite"


def assets_dir() -> Path:
    """Return the node_modules folder the offline map's JS and CSS are read from ($GEOMAP_ASSETS)."""
    return Path(os.environ.get("GEOMAP_ASSETS") or project_root() / "node_modules")


def shared_dir() -> Path:
    """Return the shared/ folder of gold data and corpora: the sibling of the project root."""
    return project_root().parent / "shared"
