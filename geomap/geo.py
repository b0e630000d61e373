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
