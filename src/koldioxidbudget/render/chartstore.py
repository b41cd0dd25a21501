"""Converted charts on disk, shared by every process of a server and kept across restarts.

A chart's SVG is a pure function of its Vega-Lite spec, the language, the figure id, the
vl-convert version and this package's SVG post-processing; the file name is a hash of all of
them, so a stale file is never used and nothing needs invalidating. Most of a report's charts
(history, sectors, per capita, trend, the global chart: 9 of 14) do not change with the
parameters, so once a renderer has converted them for an area (or filled the store for every
area in the background, ``prefill``), a report of that area with any parameters converts only
the rest. Files are written to a temporary name and renamed, so readers never see half a file.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from ..files import write_atomic
from ..settings import work_cache_folder

__all__ = ["STORE_VERSION", "ChartStore", "default_root"]

#: bump when ``svg.chart_svg``'s output changes for the same spec (fonts, id prefixing)
STORE_VERSION = "3"


@cache
def _converter_version() -> str:
    from importlib.metadata import version

    return version("vl-convert-python")


def default_root(editions: str | Path | None = None) -> Path:
    """Where converted charts are kept unless told otherwise: ``charts`` in
    ``settings.work_cache_folder`` (the server's default too, so a report on the command line
    reuses what a server has converted, and the other way round)."""
    return work_cache_folder(Path(editions) if editions else None) / "charts"


class ChartStore:
    """SVG files under ``root`` by content hash (``<root>/<2 hex>/<hash>.svg``)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, spec_json: str, lang: str, figure_id: str) -> Path:
        h = hashlib.blake2b(digest_size=20)
        for part in (STORE_VERSION, _converter_version(), lang, figure_id, spec_json):
            h.update(part.encode())
            h.update(b"\x00")
        name = h.hexdigest()
        return self.root / name[:2] / f"{name}.svg"

    def get(self, spec_json: str, lang: str, figure_id: str) -> str | None:
        try:
            return self._path(spec_json, lang, figure_id).read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, spec_json: str, lang: str, figure_id: str, svg: str) -> None:
        """Store ``svg`` (a store that cannot be written, e.g. a read-only disk, is skipped)."""
        write_atomic(self._path(spec_json, lang, figure_id), svg, best_effort=True)

    def count(self) -> int:
        """How many charts are stored."""
        try:
            return sum(1 for d in self.root.iterdir() if d.is_dir() for _ in d.glob("*.svg"))
        except OSError:
            return 0
