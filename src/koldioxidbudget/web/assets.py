"""The site's static assets: the Vega bundle, the font, the stylesheet and the ES modules, each
written once with a content hash in its name (``vega.3f2a91c0.js``) so browsers may cache them
for ever.

- **Vega**: ``vl_convert.javascript_bundle()`` (vega-embed with Vega and Vega-Lite, no network);
  pages call ``vegaEmbed`` with ``ast: true`` so expressions run in Vega's interpreter and no
  ``eval`` is needed under a strict Content-Security-Policy.
- **Font**: the report's family (Source Sans 3: Adobe's static faces that ``koldioxidbudget.fonts``
  ships), subset to Latin and the symbols the site prints, without hinting, and converted to WOFF2
  with fontTools when it is installed; otherwise the TTF files as they are; none found: system
  fonts.
- **Modules**: ``static/js/*.js``; imports between them are rewritten to the hashed names. For
  the offline export :func:`inline_modules` joins them into one classic script.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..settings import cache_folder

__all__ = ["AssetSet", "FontFile", "find_fonts", "inline_modules", "module_order", "write_assets"]

log = logging.getLogger(__name__)

#: What the pages print beyond ASCII: Swedish letters, Latin-1, typographic punctuation, units.
_FONT_TEXT = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "".join(chr(c) for c in range(0xA0, 0x100))
    + "–—‘’“”…−₂°€•→←↑↓×·‰\u2009\u202f≈≤≥"
)
FONT_FAMILY = "Source Sans 3"
#: the faces the site uses, as keys of ``koldioxidbudget.fonts.FONT_FILES``
_FACES = ("regular", "semibold", "italic")

_IMPORT = re.compile(r"""(from\s+|import\s+)(["'])\./([A-Za-z0-9_-]+)\.js\2""")


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def cache_dir() -> Path:
    """Where built assets are kept between runs (``settings.cache_folder``)."""
    return cache_folder()


def _cache_path(name: str, key: str) -> Path:
    return cache_dir() / f"{name}.{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def _cached(name: str, key: str, make: Callable[[], bytes]) -> bytes:
    """``make()``, kept on disk under ``name`` and a hash of ``key`` (what decides its bytes):
    the Vega bundle and the font subsets take seconds to make and change only with a package
    version. A cache that cannot be read or written is skipped."""
    path = _cache_path(name, key)
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = make()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as e:
        log.info("asset cache %s not written: %s", path, e)
    return data


@functools.cache
def vega_bundle() -> str:
    """vega-embed, Vega and Vega-Lite as one classic script (``window.vegaEmbed``)."""
    import vl_convert

    def make() -> bytes:
        return str(vl_convert.javascript_bundle()).encode("utf-8")

    return _cached("vega-bundle", _vega_key(), make).decode("utf-8")


def _vega_key() -> str:
    import vl_convert

    return f"vl-convert {getattr(vl_convert, '__version__', '?')} {vl_convert.__file__}"


def prefetch() -> Callable[[], None]:
    """Start making what ``write_assets`` would otherwise make one after the other on a
    machine's first build (the Vega bundle, about 2,5 s, and the font subsets, about 2,8 s),
    each in a forked process of its own, so that they are made while the caller prepares the
    pages; call the returned function to wait for them. Each writes the disk cache that
    ``write_assets`` then reads; what is kept already starts nothing."""
    import multiprocessing

    jobs: list[Callable[[], object]] = []
    if not _cache_path("vega-bundle", _vega_key()).is_file():
        jobs.append(vega_bundle)
    if _missing_font_subsets():
        jobs.append(find_fonts)
    if not jobs:
        return lambda: None
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=job, daemon=True) for job in jobs]
    for proc in procs:
        proc.start()

    def wait() -> None:
        for proc in procs:
            proc.join()

    return wait


@dataclass(frozen=True)
class FontFile:
    weight: int
    style: str
    data: bytes
    format: str  # "woff2" or "truetype"


@functools.cache
def find_fonts() -> tuple[FontFile, ...]:
    """The site's font faces, subset to WOFF2 when fontTools and brotli are installed."""
    from .. import fonts

    try:
        files = fonts.font_files()
    except (ImportError, LookupError, OSError) as e:  # no font files
        log.warning("no %s files (%s): the site uses system fonts", FONT_FAMILY, e)
        return ()
    out = []
    for key in _FACES:
        _, weight, style = fonts.FONT_FILES[key]
        f = files[key]
        if not f.is_file():
            continue
        out.append(_subset(f, weight, style))
    return tuple(out)


def _subset(path: Path, weight: int, style: str) -> FontFile:
    key = _font_key(path)
    if key is None:  # no fontTools or brotli
        return FontFile(weight, style, path.read_bytes(), "truetype")

    def make() -> bytes:
        return _subset_bytes(path)

    return FontFile(weight, style, _cached("font", key, make), "woff2")


def _font_key(path: Path) -> str | None:
    """What decides the subset of the face in ``path`` (None: it cannot be made)."""
    try:
        import brotli  # noqa: F401
        import fontTools
    except ImportError:
        return None
    return f"{fontTools.version} {_hash(path.read_bytes())} unhinted dated {_FONT_TEXT}"


def _missing_font_subsets() -> bool:
    """Whether a face's subset is to be made (it can be, and is not kept on disk)."""
    from .. import fonts

    try:
        files = fonts.font_files()
    except (ImportError, LookupError, OSError):
        return False
    keys = [_font_key(files[face]) for face in _FACES if files[face].is_file()]
    return any(k is not None and not _cache_path("font", k).is_file() for k in keys)


def _subset_bytes(path: Path) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    opts = subset.Options()
    opts.flavor = "woff2"
    opts.layout_features = ["kern", "liga", "tnum", "lnum"]
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    # without Adobe's TrueType hinting, which is a third of a subset's bytes
    opts.hinting = False
    # the face's own date, not the time of making: a subset is the same wherever it is made
    font = TTFont(str(path), recalcTimestamp=False)
    sub = subset.Subsetter(opts)
    sub.populate(text=_FONT_TEXT)
    sub.subset(font)
    font.flavor = "woff2"
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def font_face_css(urls: list[str], fonts: tuple[FontFile, ...]) -> str:
    """``@font-face`` rules for ``fonts`` at ``urls`` (file names or data: URLs)."""
    rules = []
    for url, f in zip(urls, fonts, strict=True):
        rules.append(
            f'@font-face{{font-family:"{FONT_FAMILY}";src:url("{url}") format("{f.format}");'
            f"font-weight:{f.weight};font-style:{f.style};font-display:swap}}"
        )
    return "\n".join(rules)


def static_text(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text("utf-8")


def module_names() -> list[str]:
    root = resources.files(__package__).joinpath("static", "js")
    return sorted(e.name for e in root.iterdir() if e.name.endswith(".js"))


def _imports_of(source: str) -> list[str]:
    return [m.group(3) + ".js" for m in _IMPORT.finditer(source)]


def module_order(entry: str) -> list[str]:
    """``entry`` and the modules it imports, dependencies first."""
    seen: list[str] = []

    def visit(name: str) -> None:
        if name in seen:
            return
        for dep in _imports_of(static_text(f"js/{name}")):
            visit(dep)
        seen.append(name)

    visit(entry)
    return seen


_EXPORT_KW = re.compile(r"^export\s+(?=(async\s+)?function|const|let|class)", re.MULTILINE)
_IMPORT_LINE = re.compile(r"^import\s+[^;]*;\s*$", re.MULTILINE)


def inline_modules(entry: str) -> str:
    """``entry`` and its imports as one classic script: import lines dropped, ``export``
    keywords removed, wrapped in a function scope (the modules share no top-level names)."""
    parts = []
    for name in module_order(entry):
        src = static_text(f"js/{name}")
        src = _IMPORT_LINE.sub("", src)
        src = _EXPORT_KW.sub("", src)
        parts.append(f"// ---- {name}\n{src}")
    return '(function () {\n"use strict";\n' + "\n".join(parts) + "\n})();\n"


@dataclass
class AssetSet:
    """Relative URLs (from the site root) of the written assets."""

    vega: str = ""
    css: str = ""
    fonts: list[str] = field(default_factory=list)
    modules: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)

    def module(self, name: str) -> str:
        return self.modules[name]


def _write(out: Path, rel: str, data: bytes) -> str:
    path = out / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return rel


def hashed(stem: str, ext: str, data: bytes) -> str:
    return f"assets/{stem}.{_hash(data)}.{ext}"


def write_assets(out: Path) -> AssetSet:
    """Write the bundle, fonts, stylesheet and modules under ``out/assets``."""
    a = AssetSet()
    bundle = vega_bundle().encode("utf-8")
    a.vega = _write(out, hashed("vega", "js", bundle), bundle)
    fonts = find_fonts()
    for f in fonts:
        ext = "woff2" if f.format == "woff2" else "ttf"
        a.fonts.append(_write(out, hashed(f"font-{f.weight}-{f.style}", ext, f.data), f.data))
    css = (
        font_face_css([u.removeprefix("assets/") for u in a.fonts], fonts)
        + "\n"
        + static_text("site.css")
    ).encode("utf-8")
    a.css = _write(out, hashed("site", "css", css), css)
    # modules: hash leaves first so importers can name their dependencies' hashed files
    done: dict[str, str] = {}

    def emit(name: str) -> str:
        if name in done:
            return done[name]
        src = static_text(f"js/{name}")
        for dep in _imports_of(src):
            emit(dep)

        def repl(m: re.Match[str]) -> str:
            dep = m.group(3) + ".js"
            return f"{m.group(1)}{m.group(2)}./{Path(done[dep]).name}{m.group(2)}"

        src = _IMPORT.sub(repl, src)
        data = src.encode("utf-8")
        rel = _write(out, hashed(f"js/{name[:-3]}", "js", data), data)
        done[name] = rel
        return rel

    for name in module_names():
        emit(name)
    a.modules = done
    # the host-side resize script keeps a stable name: embed snippets on other sites point at it
    a.files["embed"] = "assets/embed.js"
    embed = out / "assets" / "embed.js"
    text = static_text("embed.js")
    if not embed.is_file() or embed.read_text("utf-8") != text:
        tmp = embed.with_name(f".embed.js.{os.getpid()}.tmp")
        tmp.write_text(text, "utf-8")
        tmp.replace(embed)
    return a
