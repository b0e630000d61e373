"""Distance on the sphere (geomap/geo.py)."""

import math

import pytest

from geomap.geo import (haversine_km, nearest_other_by_matrix, nearest_other_by_rows,
                        nearest_other_km)

POINTS = [("baku", 40.4093, 49.8671), ("yerevan", 40.1811, 44.5136), ("riga", 56.946, 24.1059),
          ("ganja", 40.6828, 46.3606)]


def test_a_known_distance():
    # Baku to Yerevan: some 455 km on the sphere
    assert 450 < haversine_km(40.4093, 49.8671, 40.1811, 44.5136) < 460
    assert haversine_km(56.946, 24.1059, 56.946, 24.1059) == 0.0


def test_nearest_other_is_the_same_float_in_python_and_numpy():
    pytest.importorskip("numpy", reason="the matrix path of long articles uses numpy")
    rows = [(key, lat + k * 0.37, lon - k * 1.13) for k, (key, lat, lon) in enumerate(POINTS * 5)]
    rows.append(("nowhere", -33.87, 151.21))
    by_rows = nearest_other_by_rows(rows, POINTS)
    assert by_rows == nearest_other_by_matrix(rows, POINTS)
    # Baku's own point is no evidence for Baku: its nearest other point is Ganja, some 300 km
    assert 290 < by_rows[0] < 320
    assert by_rows[-1] == pytest.approx(min(haversine_km(-33.87, 151.21, lat, lon)
                                            for _, lat, lon in POINTS))


def test_nearest_other_without_another_key_is_infinite():
    assert nearest_other_km([("baku", 40.4, 49.9)], POINTS[:1]) == [math.inf]
    assert nearest_other_km([("baku", 40.4, 49.9)], POINTS[:2])[0] == pytest.approx(
        haversine_km(40.4, 49.9, 40.1811, 44.5136))
