"""Shared fixtures: a gazetteer of a few dozen rows, built by the same writer as the real one."""

from __future__ import annotations

from pathlib import Path

import pytest

from builders import TOPONYM_PLACES, build_tiny_gazetteer
from geomap.gazetteer import Gazetteer
from geomap.paths import default_db_path

@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory) -> Path:
    """Path of the tiny gazetteer database (built once per test session)."""
    return build_tiny_gazetteer(tmp_path_factory.mktemp("gaz") / "tiny.sqlite")


@pytest.fixture(scope="session")
def toponym_db(tmp_path_factory) -> Path:
    """Path of the tiny gazetteer with the toponym tests' extra rows."""
    return build_tiny_gazetteer(tmp_path_factory.mktemp("gaz") / "toponyms.sqlite", TOPONYM_PLACES)


# Gazetteer handles are read-only: one per session, so the name index each derives is built once.
@pytest.fixture(scope="session")
def toponym_gazetteer(toponym_db) -> Gazetteer:
    with Gazetteer(toponym_db) as gaz:
        yield gaz


@pytest.fixture(scope="session")
def tiny_gazetteer(tiny_db) -> Gazetteer:
    with Gazetteer(tiny_db) as gaz:
        yield gaz


@pytest.fixture(scope="session")
def real_db() -> Path:
    """Path of the full gazetteer built from the committed sources (the test command builds it)."""
    path = default_db_path()
    if not path.is_file():
        pytest.fail(f"no gazetteer at {path}: run `make gazetteer` (the README's test command does)")
    return path


@pytest.fixture(scope="session")
def gazetteer(real_db) -> Gazetteer:
    with Gazetteer(real_db) as gaz:
        yield gaz


# --- golden files (incidents) ------------------------------------------------------------------

def pytest_addoption(parser):
    parser.addoption("--regen-golden", action="store_true", default=False,
                     help="Rewrite the golden files of expected incidents from the current output "
                          "(review the diff like code).")


@pytest.fixture(scope="session")
def regen_golden(request) -> bool:
    """True when the run rewrites golden files instead of comparing with them."""
    return request.config.getoption("--regen-golden")
