"""Sweden's municipal and county boundaries (GeoJSON, WGS84) as SVG path data, drawn once at build.

The projection is Lambert azimuthal equal-area centred on Sweden (a sphere is plenty at this
simplification), so a choropleth shows each area at its true relative size. Coordinates are
rounded to 0.1 of a viewBox unit and repeated points dropped, which keeps the 290 municipalities at
about a hundred kilobytes of markup. No number of the budget is computed here.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["MapShape", "SwedenMap", "load_map"]

_LON0 = math.radians(16.5)
_LAT0 = math.radians(62.5)
WIDTH = 360.0


def _laea(lon: float, lat: float) -> tuple[float, float]:
    lam, phi = math.radians(lon), math.radians(lat)
    k = math.sqrt(
        2
        / (
            1
            + math.sin(_LAT0) * math.sin(phi)
            + math.cos(_LAT0) * math.cos(phi) * math.cos(lam - _LON0)
        )
    )
    x = k * math.cos(phi) * math.sin(lam - _LON0)
    y = k * (
        math.cos(_LAT0) * math.sin(phi) - math.sin(_LAT0) * math.cos(phi) * math.cos(lam - _LON0)
    )
    return x, y


@dataclass(frozen=True)
class MapShape:
    code: str
    d: str


@dataclass(frozen=True)
class SwedenMap:
    width: float
    height: float
    kommuner: tuple[MapShape, ...]
    lan: tuple[MapShape, ...]


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for poly in geometry["coordinates"] for ring in poly]
    return []


def _features(path: Path, code_of: Any) -> list[tuple[str, list[list[tuple[float, float]]]]]:
    data = json.loads(path.read_text("utf-8"))
    out = []
    for f in data["features"]:
        code = code_of(f["properties"])
        rings = [[_laea(lon, lat) for lon, lat, *_ in ring] for ring in _rings(f["geometry"])]
        out.append((code, rings))
    return out


def _path(rings: list[list[tuple[float, float]]], tx: Any) -> str:
    parts = []
    for ring in rings:
        pts: list[tuple[int, int]] = []
        for x, y in ring:
            p = tx(x, y)
            if not pts or p != pts[-1]:
                pts.append(p)
        if len(pts) < 3:
            continue
        cmds = [f"M{pts[0][0] / 10:g} {pts[0][1] / 10:g}"]
        for (x0, y0), (x1, y1) in itertools.pairwise(pts):
            cmds.append(f"l{(x1 - x0) / 10:g} {(y1 - y0) / 10:g}")
        parts.append("".join(cmds) + "z")
    return "".join(parts)


def load_map(geo_dir: Path) -> SwedenMap | None:
    """The map from ``okfse_swedish_municipalities.geojson`` and ``okfse_swedish_regions.geojson``
    in ``geo_dir``, or None when the files are not there."""
    mun_file = geo_dir / "okfse_swedish_municipalities.geojson"
    lan_file = geo_dir / "okfse_swedish_regions.geojson"
    if not mun_file.is_file():
        return None
    mun = _features(mun_file, lambda p: str(p["id"]).zfill(4))
    lan = _features(lan_file, lambda p: str(p["l_id"]).zfill(2)) if lan_file.is_file() else []
    xs = [x for _, rings in mun for ring in rings for x, _ in ring]
    ys = [y for _, rings in mun for ring in rings for _, y in ring]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    scale = WIDTH / (x1 - x0)
    height = (y1 - y0) * scale

    def tx(x: float, y: float) -> tuple[int, int]:
        return round((x - x0) * scale * 10), round((y1 - y) * scale * 10)

    return SwedenMap(
        width=WIDTH,
        height=round(height, 1),
        kommuner=tuple(MapShape(c, _path(r, tx)) for c, r in sorted(mun)),
        lan=tuple(MapShape(c, _path(r, tx)) for c, r in sorted(lan)),
    )
