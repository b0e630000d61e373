"""Distance on the sphere: the one definition of the Earth's radius and great-circle distance."""

from __future__ import annotations

import math

# mean Earth radius (IUGG), the value GeoNames-based tools and the shared scorer use
EARTH_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def haversine_matrix_km(rows: list[tuple[float, float]], cols: list[tuple[float, float]]):
    """Return the numpy matrix of great-circle distances (km) from each row point to each column point."""
    import numpy as np

    lat1 = np.radians([lat for lat, _ in rows])[:, None]
    lon1 = np.radians([lon for _, lon in rows])[:, None]
    lat2 = np.radians([lat for lat, _ in cols])[None, :]
    lon2 = np.radians([lon for _, lon in cols])[None, :]
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.minimum(1.0, a)))


# Above this many distances a table is one numpy matrix; below, numpy's set-up costs more than
# the arithmetic (most articles: a few names with a few candidates each).
MATRIX_CELLS = 4096


def nearest_other_km(rows: list[tuple[str, float, float]], points: list[tuple[str, float, float]],
                     ) -> list[float]:
    """Return, for each row (key, lat, lon), the distance (km) to the nearest point (key, lat,
    lon) of another key (inf when there is none): in pure Python for small tables, with numpy
    for large ones, the same floats either way."""
    if len(rows) * len(points) > MATRIX_CELLS:
        return nearest_other_by_matrix(rows, points)
    return nearest_other_by_rows(rows, points)


def nearest_other_by_rows(rows: list[tuple[str, float, float]],
                          points: list[tuple[str, float, float]]) -> list[float]:
    """nearest_other_km in pure Python: the same operations in the same order as
    haversine_matrix_km, so the same floats."""
    radians, sin, cos, asin, sqrt = math.radians, math.sin, math.cos, math.asin, math.sqrt
    # what is per point is computed once, not once per row; and per key, the points of the
    # other keys (a name is no evidence for itself)
    cols = [(key, radians(lat), radians(lon)) for key, lat, lon in points]
    cols = [(key, lat, lon, cos(lat)) for key, lat, lon in cols]
    others: dict[str, list[tuple[float, float, float]]] = {}
    nearest = []
    for key, row_lat, row_lon in rows:
        mine = others.get(key)
        if mine is None:
            mine = others[key] = [(lat, lon, c) for other, lat, lon, c in cols if other != key]
        lat1, lon1 = radians(row_lat), radians(row_lon)
        cos1 = cos(lat1)
        best = bound = math.inf
        for lat2, lon2, cos2 in mine:
            # the arc is at least the difference in latitude: a point further north or south
            # than the best so far cannot be nearer (the margin covers rounding)
            if EARTH_KM * abs(lat2 - lat1) > bound:
                continue
            # x * x, as numpy squares (Python's x ** 2 goes through pow(), sometimes an ulp off)
            dlat, dlon = sin((lat2 - lat1) / 2), sin((lon2 - lon1) / 2)
            a = dlat * dlat + cos1 * cos2 * (dlon * dlon)
            km = 2 * EARTH_KM * asin(sqrt(min(1.0, a)))
            if km < best:
                best, bound = km, km * (1 + 1e-9)
        nearest.append(best)
    return nearest


def nearest_other_by_matrix(rows: list[tuple[str, float, float]],
                            points: list[tuple[str, float, float]]) -> list[float]:
    """nearest_other_km as one numpy distance matrix (for long articles)."""
    import numpy as np

    codes = {key: i for i, key in enumerate(dict.fromkeys(k for k, _, _ in points))}
    point_code = np.array([codes[k] for k, _, _ in points])
    row_code = np.array([codes.get(key, -1) for key, _, _ in rows])
    km = haversine_matrix_km([(lat, lon) for _, lat, lon in rows], [(lat, lon) for _, lat, lon in points])
    km[row_code[:, None] == point_code[None, :]] = np.inf  # a key is no evidence for itself
    return km.min(axis=1).tolist()
