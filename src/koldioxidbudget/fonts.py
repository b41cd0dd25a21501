"""The report's one font family, Source Sans 3, as the static faces every output uses.

The family comes from the ``fontpkg-source-sans-3`` package (SIL Open Font License 1.1), found
with ``fontpkg.path``. The package holds two variable fonts (upright and italic, weight axis
200–900, whose default instance is ExtraLight). Typst and browsers could use those as they are,
but vl-convert (resvg) draws and measures a variable font at its default instance only, so chart
labels would come out ExtraLight. The five faces the report uses are therefore instantiated with
fontTools (``varLib.instancer``: some seconds a face, about a minute in all, once per machine, by
one process while the others wait) and kept in ``$KOLDIOXIDBUDGET_CACHE/fonts`` (else
``~/.cache/koldioxidbudget/fonts``), in a folder named by a hash of the package's files and the
fontTools version. Typst (``font_paths``), vl-convert (``register_font_directory``), the HTML
report (``@font-face``) and the site's WOFF2 subsets all read these files; the profile check reads
the character map of the package's files.

Each face also carries the family under a second name, ``MEASURE_FAMILY`` (a typographic-family
name record in British English, after the American one that Typst reads): vl-convert 1.9
measures chart text through an SVG ``font-family`` from which it drops the quotes, and
``Source Sans 3`` unquoted is no valid CSS (no word of an unquoted family name may begin with a
digit), so it finds no font and lays labels out with the widths of another. ``render.svg`` hands
vl-convert the spec with ``MEASURE_FAMILY`` and writes the family back into the SVG, quoted.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import io
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path

__all__ = [
    "CSS_FAMILY",
    "FAMILY",
    "FONT_FILES",
    "MEASURE_FAMILY",
    "font_dir",
    "font_files",
    "variable_fonts",
]

log = logging.getLogger(__name__)

#: The family name inside the fonts (Typst's ``font:``, ``@font-face``'s ``font-family``).
FAMILY = "Source Sans 3"
#: The family as a CSS value: quoted, since ``Source Sans 3`` unquoted is no valid CSS.
CSS_FAMILY = f'"{FAMILY}"'
#: The second family name of the faces, one CSS word, for vl-convert's text measurement.
MEASURE_FAMILY = "SourceSans3"

#: The faces the report uses: (file name, CSS weight, CSS style).
FONT_FILES: dict[str, tuple[str, int, str]] = {
    "regular": ("SourceSans3-Regular.ttf", 400, "normal"),
    "italic": ("SourceSans3-Italic.ttf", 400, "italic"),
    "semibold": ("SourceSans3-Semibold.ttf", 600, "normal"),
    "bold": ("SourceSans3-Bold.ttf", 700, "normal"),
    "bold-italic": ("SourceSans3-BoldItalic.ttf", 700, "italic"),
}

#: bump when ``_instantiate`` makes other bytes from the same package files
_RECIPE = "1"
_WINDOWS, _UNICODE_BMP, _EN_US, _EN_GB = 3, 1, 0x0409, 0x0809
_TYPOGRAPHIC_FAMILY = 16
_LOCK = threading.Lock()


@cache
def variable_fonts() -> dict[str, Path]:
    """The package's variable fonts by CSS style (``normal``, ``italic``)."""
    import fontpkg

    return {style: Path(fontpkg.path(FAMILY, 400, style)) for style in ("normal", "italic")}


def _cache_root() -> Path:
    """``$KOLDIOXIDBUDGET_CACHE``, else ``$XDG_CACHE_HOME/koldioxidbudget`` (as the site's
    asset cache, ``web.assets.cache_dir``)."""
    env = os.environ.get("KOLDIOXIDBUDGET_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "koldioxidbudget"


def _key(sources: dict[str, Path]) -> str:
    import fontTools

    h = hashlib.sha256(f"{_RECIPE} {fontTools.version}".encode())
    for style in sorted(sources):
        h.update(sources[style].read_bytes())
    return h.hexdigest()[:16]


def _instantiate(source: Path, weight: int) -> bytes:
    """The static face of ``source`` at ``weight``, named as the family's static fonts are, with
    ``MEASURE_FAMILY`` as a second typographic family name."""
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    # the package's time stamp, not today's: the same files give the same bytes
    font = TTFont(str(source), recalcTimestamp=False)
    face = instancer.instantiateVariableFont(font, {"wght": weight}, updateFontNames=True)
    name = face["name"]
    if name.getName(_TYPOGRAPHIC_FAMILY, _WINDOWS, _UNICODE_BMP, _EN_US) is None:
        name.setName(FAMILY, _TYPOGRAPHIC_FAMILY, _WINDOWS, _UNICODE_BMP, _EN_US)
    name.setName(MEASURE_FAMILY, _TYPOGRAPHIC_FAMILY, _WINDOWS, _UNICODE_BMP, _EN_GB)
    buf = io.BytesIO()
    face.save(buf)
    return buf.getvalue()


def _build(folder: Path, sources: dict[str, Path]) -> None:
    folder.mkdir(parents=True)
    for file_name, weight, style in FONT_FILES.values():
        (folder / file_name).write_bytes(_instantiate(sources[style], weight))
    license_file = sources["normal"].parents[1] / "LICENSE"
    if license_file.is_file():
        shutil.copyfile(license_file, folder / "LICENSE")


def _complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name, _, _ in FONT_FILES.values())


@cache
def font_dir() -> Path:
    """The folder of the static faces (``FONT_FILES``), made on first use (see the module)."""
    sources = variable_fonts()
    folder = _cache_root() / "fonts" / f"source-sans-3.{_key(sources)}"
    with _LOCK:
        if _complete(folder):
            return folder
        try:
            with _exclusive(folder.parent / ".lock"):  # another process making them: wait
                if _complete(folder):
                    return folder
                log.info("making the faces of %s in %s (about a minute, once)", FAMILY, folder)
                tmp = folder.with_name(f".tmp-{folder.name}-{os.getpid()}")
                shutil.rmtree(tmp, ignore_errors=True)
                try:
                    _build(tmp, sources)
                    shutil.rmtree(folder, ignore_errors=True)  # an incomplete one
                    tmp.rename(folder)
                finally:
                    shutil.rmtree(tmp, ignore_errors=True)
                return folder
        except OSError as e:
            log.warning("font cache %s not written (%s): faces made for this process", folder, e)
        private = Path(tempfile.mkdtemp(prefix="koldioxidbudget-fonts-")) / "faces"
        atexit.register(shutil.rmtree, private.parent, True)
        _build(private, sources)
        return private


@contextlib.contextmanager
def _exclusive(lock_file: Path) -> Iterator[None]:
    """Hold ``lock_file`` exclusively, waiting for a process that holds it (``flock``)."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@cache
def font_files() -> dict[str, Path]:
    """The report's faces as paths (see ``FONT_FILES``)."""
    d = font_dir()
    return {k: d / name for k, (name, _, _) in FONT_FILES.items()}
