"""The report's one font family, Source Sans 3, as Adobe's static faces kept beside this module.

The five faces the report uses (``FONT_FILES``) are the TrueType files of Adobe's npm package
``source-sans`` 3.52.0 (SIL Open Font License 1.1, ``LICENSE.md``; see ``README.md``), unmodified,
shipped as package data. Typst (``font_paths``), the HTML report (``@font-face``), the site's
WOFF2 subsets and the profile check's character map read them where they are (``font_dir``,
``font_files``).

vl-convert gets copies with a second family name, ``MEASURE_FAMILY`` (a typographic-family name
record in British English, after an American one with ``FAMILY``): vl-convert 1.9 measures chart
text through an SVG ``font-family`` from which it drops the quotes, and ``Source Sans 3``
unquoted is no valid CSS (no word of an unquoted family name may begin with a digit), so it finds
no font and lays labels out with the widths of another. ``render.svg`` hands vl-convert the spec
with ``MEASURE_FAMILY`` and writes the family back into the SVG, quoted. Only the copies' ``name``
table differs from Adobe's files; ``measure_font_dir`` writes them on first use (well under a
second) into ``$KOLDIOXIDBUDGET_CACHE/fonts`` (else ``~/.cache/koldioxidbudget/fonts``), in a
folder named by a hash of the faces, renamed into place when complete. They are used for
measuring and drawing chart text only and are never shipped.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import shutil
import tempfile
from functools import cache
from pathlib import Path

from ..settings import cache_folder

__all__ = [
    "CSS_FAMILY",
    "FAMILY",
    "FONT_FILES",
    "MEASURE_FAMILY",
    "font_dir",
    "font_files",
    "measure_font_dir",
]

log = logging.getLogger(__name__)

#: The family name inside the fonts (Typst's ``font:``, ``@font-face``'s ``font-family``).
FAMILY = "Source Sans 3"
#: The family as a CSS value: quoted, since ``Source Sans 3`` unquoted is no valid CSS.
CSS_FAMILY = f'"{FAMILY}"'
#: The second family name of vl-convert's copies, one CSS word, for its text measurement.
MEASURE_FAMILY = "SourceSans3"

#: The faces the report uses: (file name, CSS weight, CSS style).
FONT_FILES: dict[str, tuple[str, int, str]] = {
    "regular": ("SourceSans3-Regular.ttf", 400, "normal"),
    "italic": ("SourceSans3-It.ttf", 400, "italic"),
    "semibold": ("SourceSans3-Semibold.ttf", 600, "normal"),
    "bold": ("SourceSans3-Bold.ttf", 700, "normal"),
    "bold-italic": ("SourceSans3-BoldIt.ttf", 700, "italic"),
}

#: bump when ``_with_measure_family`` makes other bytes from the same faces
_RECIPE = "1"
_WINDOWS, _UNICODE_BMP, _EN_US, _EN_GB = 3, 1, 0x0409, 0x0809
_TYPOGRAPHIC_FAMILY = 16


def font_dir() -> Path:
    """The folder of the faces (``FONT_FILES``), this package's own."""
    return Path(__file__).resolve().parent


@cache
def font_files() -> dict[str, Path]:
    """The report's faces as paths (see ``FONT_FILES``)."""
    d = font_dir()
    return {k: d / name for k, (name, _, _) in FONT_FILES.items()}


def _cache_root() -> Path:
    """``settings.cache_folder`` (the site's asset cache's too)."""
    return cache_folder()


def _key(files: dict[str, Path]) -> str:
    import fontTools

    h = hashlib.sha256(f"{_RECIPE} {fontTools.version}".encode())
    for key in sorted(files):
        h.update(files[key].read_bytes())
    return h.hexdigest()[:16]


def _with_measure_family(source: Path, target: Path) -> None:
    """``source`` with ``MEASURE_FAMILY`` as a second typographic family name, at ``target``
    (only the ``name`` table is rewritten; the other tables are copied as they are)."""
    from fontTools.ttLib import TTFont

    # Adobe's time stamp, not today's: the same faces give the same bytes
    font = TTFont(str(source), recalcTimestamp=False)
    try:
        name = font["name"]
        if name.getName(_TYPOGRAPHIC_FAMILY, _WINDOWS, _UNICODE_BMP, _EN_US) is None:
            name.setName(FAMILY, _TYPOGRAPHIC_FAMILY, _WINDOWS, _UNICODE_BMP, _EN_US)
        name.setName(MEASURE_FAMILY, _TYPOGRAPHIC_FAMILY, _WINDOWS, _UNICODE_BMP, _EN_GB)
        font.save(str(target))
    finally:
        font.close()


def _build(folder: Path) -> None:
    for path in font_files().values():
        _with_measure_family(path, folder / path.name)


def _complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name, _, _ in FONT_FILES.values())


@cache
def measure_font_dir() -> Path:
    """The folder of vl-convert's copies of the faces (see the module), made on first use."""
    folder = _cache_root() / "fonts" / f"source-sans-3.{_key(font_files())}"
    if _complete(folder):
        return folder
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{folder.name}-", dir=folder.parent))
        try:
            _build(tmp)
            try:
                tmp.rename(folder)
            except OSError:  # there already: another process's (complete) or a damaged one
                if not _complete(folder):
                    shutil.rmtree(folder, ignore_errors=True)
                    tmp.rename(folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return folder
    except OSError as e:
        log.warning("font cache %s not written (%s): copies made for this process", folder, e)
    private = Path(tempfile.mkdtemp(prefix="koldioxidbudget-fonts-"))
    atexit.register(shutil.rmtree, private, True)
    _build(private)
    return private
