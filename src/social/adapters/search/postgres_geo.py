"""Distance search in core PostgreSQL: a bounding box over the partial ``(latitude, longitude)``
index of public places, then the domain's exact haversine in SQL."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Double, Subquery, func, literal, or_, select

from social.adapters.postgres.search_tables import SearchPostDocumentRow
from social.domain.search.model import EARTH_RADIUS_M, GeoPoint, Visibility, check_radius_km

__all__ = ["near"]

_Row = SearchPostDocumentRow
_BOX_MARGIN_DEG = 1e-6
"""About 11 cm: rounding must never let the bounding box cut off what the exact filter keeps."""
_HALF = literal(0.5, Double)  # exact in binary: the same value as the domain's ``/ 2``


@dataclass(frozen=True, slots=True)
class _Box:
    """Latitude and longitude ranges holding every point of a spherical cap."""

    latitudes: tuple[float, float]
    longitudes: tuple[tuple[float, float], ...]


def _bounding_box(center: GeoPoint, radius_m: float) -> _Box:
    """A cap reaching a pole spans every longitude; one crossing the antimeridian splits in two.

    Otherwise its widest longitude offset is ``asin(sin δ / cos φ)`` (at the tangent points, not
    at the center's latitude), δ being the angular radius and φ the center's latitude.
    """
    delta = math.degrees(radius_m / EARTH_RADIUS_M) + _BOX_MARGIN_DEG
    south, north = center.latitude - delta, center.latitude + delta
    if south <= -90.0 or north >= 90.0:
        return _Box((max(south, -90.0), min(north, 90.0)), ((-180.0, 180.0),))
    ratio = math.sin(math.radians(delta)) / math.cos(math.radians(center.latitude))
    offset = math.degrees(math.asin(min(1.0, ratio))) + _BOX_MARGIN_DEG
    west, east = center.longitude - offset, center.longitude + offset
    if west < -180.0:
        return _Box((south, north), ((west + 360.0, 180.0), (-180.0, east)))
    if east > 180.0:
        return _Box((south, north), ((west, 180.0), (-180.0, east - 360.0)))
    return _Box((south, north), ((west, east),))


def near(center: GeoPoint, radius_km: float) -> Subquery:
    """Public located rows in the bounding box (the partial index on ``(latitude, longitude)``),
    each with its exact distance in metres; callers keep those within the radius."""
    check_radius_km(radius_km)
    box = _bounding_box(center, radius_km * 1000)
    public = literal(Visibility.PUBLIC.value, literal_execute=True)  # inline: matches the index
    return (
        select(_Row.id, _Row.created_at, _distance_m(center).label("distance"))
        .where(
            _Row.visibility == public,
            _Row.latitude.between(*box.latitudes),
            or_(*(_Row.longitude.between(west, east) for west, east in box.longitudes)),
        )
        .subquery("near")
    )


def _distance_m(center: GeoPoint) -> ColumnElement[float]:
    """The domain's haversine (``distance_m``) from ``center`` to the row, in SQL."""
    latitude = func.radians(_Row.latitude, type_=Double)
    half_dlat = func.radians(_Row.latitude - _param(center.latitude), type_=Double) * _HALF
    half_dlon = func.radians(_Row.longitude - _param(center.longitude), type_=Double) * _HALF
    h = _squared_sin(half_dlat) + _param(math.cos(math.radians(center.latitude))) * func.cos(
        latitude, type_=Double
    ) * _squared_sin(half_dlon)
    root = func.least(_param(1.0), func.sqrt(h, type_=Double), type_=Double)
    return _param(2 * EARTH_RADIUS_M) * func.asin(root, type_=Double)


def _squared_sin(angle: ColumnElement[float]) -> ColumnElement[float]:
    return func.power(func.sin(angle, type_=Double), _param(2.0), type_=Double)


def _param(value: float) -> ColumnElement[float]:
    return literal(value, Double)
