"""Customer profiles: one TOML file per customer, validated at the edge (pydantic).

A profile personalises a report: cover image, logo or coat of arms, a foreword in Markdown with
its authors, the area's own targets, the edition whose pathway the budget was adopted with (for
the ledger) and a contact. Paths are relative to the profile file. Example::

    [customer]
    name = "Uppsala kommun"
    contact = { name = "Klimatstrateg", email = "klimat@example.se", phone = "018-00 00 00" }

    [cover]
    image = "omslag.jpg"          # JPEG or PNG, any size: fitted and compressed
    alt = "Vy över Fyrisån en vårdag"
    focus = [0.5, 0.3]            # the point to keep when cropped to 16:10 (x, y from top left)
    credit = "Foto: Namn Namnsson"
    logo = "vapen.png"
    logo_alt = "Uppsala kommuns vapen"

    [foreword]
    file = "forord.md"            # or text = "…" (Markdown)
    authors = ["Anna Andersson, klimatstrateg"]

    [targets]
    local = [ { year = 2030, reduction = 0.70, base_year = 1990 }, { year = 2045, reduction = 1.0 } ]

    [budget]
    adopted_edition = "co2-2024-04-18"

    [context]                     # the area's own circumstances, shown in the local part
    notes = "Uppsala växer med omkring 3 000 invånare per år."
    energy_company = "Vattenfall AB"
    energy_company_owner = "other"   # municipality | partly | other
    large_emitters = [ { name = "Uppsalaverket", sector = "el-och-fjarrvarme", tonnes = 150000, year = 2023, source = "Naturvårdsverket" } ]

Errors name the file, the key and the value, and say what to do (``ParameterError``).

A profile may come from a customer, so it is read as untrusted input: every file it names must
be a regular file inside the profile's own folder (no absolute path, no ``..``, no symbolic
link that leads out of it); sizes are checked before anything is read (the profile and the
foreword at most ``MAX_TEXT_BYTES``, an image at most ``MAX_IMAGE_BYTES`` and
``MAX_IMAGE_PIXELS`` pixels, its dimensions read from its header before it is decoded); text
is strict UTF-8, and every character must be one the report's font can show (no control
characters, no private-use or unassigned code points, nothing outside the font such as emoji,
CJK or Arabic script: the print PDF could not show it).
"""

from __future__ import annotations

import io
import os
import re
import stat
import tomllib
import unicodedata
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ParameterError
from .schema import SECTORS

__all__ = [
    "CustomerProfile",
    "LoadedImage",
    "LocalContext",
    "Profile",
    "fit_image",
    "load_profile",
]

#: The cover image is cropped to this aspect ratio and fitted within this size (px).
COVER_SIZE = (1600, 1000)
LOGO_MAX = (480, 480)
#: the largest image file a profile may name (bytes), checked before it is read
MAX_IMAGE_BYTES = 40 * 1024 * 1024
_MAX_IMAGE_BYTES = MAX_IMAGE_BYTES
#: the most pixels (width × height) an image may have, read from its header before decoding:
#: 64 Mpx is more than any camera's photo; a cover is fitted to 1600×1000 anyway
MAX_IMAGE_PIXELS = 64_000_000
#: the largest profile or foreword file (bytes), and the longest foreword text (characters):
#: a foreword is a page or two, 64 KB is about 10 000 words
MAX_TEXT_BYTES = 64 * 1024
#: the longest value of any other text key (a name, an alt text, a credit)
MAX_FIELD_CHARS = 1000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Contact(_Strict):
    name: str = ""
    email: str = ""
    phone: str = ""
    url: str = ""


class Customer(_Strict):
    name: str = Field(min_length=1)
    area: str | None = None
    contact: Contact = Contact()
    #: the area's page in the visualiser on the customer's site: the report's colophon links
    #: to it and prints it as a QR code
    visualiser: str = Field(default="", max_length=500)

    @field_validator("visualiser")
    @classmethod
    def _web_address(cls, v: str) -> str:
        if v and not re.fullmatch(r"https?://[^\s<>\"'`]+", v):
            raise ValueError("give the page's web address, starting with https://")
        return v


class CoverSection(_Strict):
    image: str | None = None
    alt: str | None = None
    #: the point of the image to keep when it is cropped to 16:10: (x, y) as fractions of its
    #: width and height from the top left; the centre by default
    focus: tuple[float, float] = (0.5, 0.5)

    @field_validator("focus")
    @classmethod
    def _within_image(cls, v: tuple[float, float]) -> tuple[float, float]:
        if not all(0.0 <= x <= 1.0 for x in v):
            raise ValueError("both numbers should be between 0 and 1 (0.5 is the middle)")
        return v

    credit: str = ""
    logo: str | None = None
    logo_alt: str | None = None


class Foreword(_Strict):
    text: str | None = None
    file: str | None = None
    authors: list[str] = []


class Target(_Strict):
    year: int = Field(ge=1990, le=2100)
    reduction: float = Field(ge=0.0, le=1.0)
    base_year: int = Field(default=1990, ge=1990, le=2100)


class Targets(_Strict):
    local: list[Target] = []

    @field_validator("local")
    @classmethod
    def _sorted_unique(cls, v: list[Target]) -> list[Target]:
        years = [t.year for t in v]
        if len(set(years)) != len(years):
            raise ValueError("two targets for the same year")
        return sorted(v, key=lambda t: t.year)


class BudgetSection(_Strict):
    adopted_edition: str | None = None


#: who owns the company that runs district heating: the municipality, partly, someone else
Owner = Literal["municipality", "partly", "other"]


class Emitter(_Strict):
    """A large source the customer names, with its emissions as the customer reports them."""

    name: str = Field(min_length=1)
    sector: str
    tonnes: float = Field(ge=0.0, le=1e9)
    year: int = Field(ge=1990, le=2100)
    source: str = ""

    @field_validator("sector")
    @classmethod
    def _known_sector(cls, v: str) -> str:
        if v not in SECTORS:
            raise ValueError(f"should be one of {', '.join(SECTORS)}")
        return v


class ContextSection(_Strict):
    notes: str = ""
    energy_company: str = ""
    energy_company_owner: Owner | None = None
    large_emitters: list[Emitter] = Field(default=[], max_length=20)


class CustomerProfile(_Strict):
    """The TOML file's schema."""

    customer: Customer
    cover: CoverSection = CoverSection()
    foreword: Foreword = Foreword()
    targets: Targets = Targets()
    budget: BudgetSection = BudgetSection()
    context: ContextSection = ContextSection()


@dataclass(frozen=True)
class LocalContext:
    """What the customer says about the area: a note, the district-heating company and who owns
    it, and large emitters (name, sector id, tonnes, year, source)."""

    notes: str
    energy_company: str
    energy_company_owner: str | None
    large_emitters: tuple[tuple[str, str, float, int, str], ...]


@dataclass(frozen=True)
class LoadedImage:
    """An image fitted and compressed for the report."""

    data: bytes
    mime: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class Profile:
    """A validated profile with its files read (images fitted, foreword text loaded)."""

    path: Path | None
    customer_name: str
    area: str | None
    contact: dict[str, str]
    cover: LoadedImage | None
    cover_credit: str
    logo: LoadedImage | None
    foreword_markdown: str | None
    foreword_authors: tuple[str, ...]
    visualiser_url: str
    local_targets: tuple[tuple[int, float, int], ...]
    adopted_edition: str | None
    context: LocalContext | None = None


def _error(path: Path, field: str, value: object, *, key: str, **slots: object) -> ParameterError:
    """The catalogue message ``key`` ("Profile <path>: <field> = <value>: …"), whose slots are
    ``path``, ``field``, ``value`` (as ``repr``) and ``slots``."""
    return ParameterError(
        key=key,
        path=str(path),
        field=field,
        value=repr(value),
        **slots,
    )


class _ImageError(ValueError):
    """``fit_image``'s ValueError, with the catalogue key of its message."""

    def __init__(self, *, key: str, **slots: object) -> None:
        super().__init__(key)
        self.key = key
        self.slots = slots


def load_profile(path: str | Path) -> Profile:
    """Read, validate and prepare the profile at ``path`` (images fitted, foreword read)."""
    p = Path(path)
    if not p.is_file():
        raise ParameterError(
            key="profile_not_found",
            path=str(p),
        )
    if p.stat().st_size > MAX_TEXT_BYTES:
        raise ParameterError(
            key="profile_too_large",
            path=str(p),
            limit=MAX_TEXT_BYTES // 1024,
        )
    try:
        raw = tomllib.loads(p.read_text("utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ParameterError(
            key="profile_not_toml",
            path=str(p),
            error=str(e),
        ) from None
    except UnicodeDecodeError:
        raise ParameterError(
            key="profile_not_utf8",
            path=str(p),
        ) from None
    try:
        model = CustomerProfile.model_validate(raw)
    except ValidationError as e:
        first = e.errors()[0]
        field = ".".join(str(x) for x in first["loc"]) or "(top level)"
        value = _lookup(raw, first["loc"])
        if first["type"] == "extra_forbidden":
            raise _error(
                p,
                field,
                value,
                key="profile_unknown_key",
            ) from None
        if first["type"] == "missing":
            raise ParameterError(
                key="profile_missing_key",
                path=str(p),
                field=field,
            ) from None
        # pydantic's own (English) explanation, e.g. "Input should be less than or equal to 1"
        raise _error(p, field, value, key="profile_invalid_value", detail=first["msg"]) from None
    _check_texts(p, model)
    cover = logo = None
    if model.cover.image:
        if not model.cover.alt:
            raise _error(
                p,
                "cover.alt",
                model.cover.alt,
                key="profile_cover_needs_alt",
            )
        f = _inside(p, "cover.image", model.cover.image, MAX_IMAGE_BYTES)
        cover = _read_image(
            p, "cover.image", f, model.cover.alt, "cover", model.cover.image, model.cover.focus
        )
    if model.cover.logo:
        alt = model.cover.logo_alt or model.customer.name
        f = _inside(p, "cover.logo", model.cover.logo, MAX_IMAGE_BYTES)
        logo = _read_image(p, "cover.logo", f, alt, "logo", model.cover.logo)
    foreword = model.foreword.text
    if model.foreword.file:
        f = _inside(p, "foreword.file", model.foreword.file, MAX_TEXT_BYTES)
        try:
            # utf-8-sig: a byte order mark some editors write at the start is not text
            foreword = f.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise _error(
                p,
                "foreword.file",
                model.foreword.file,
                key="profile_file_not_utf8",
                byte=e.start,
            ) from None
        _check_text(p, "foreword.file", model.foreword.file, foreword, multiline=True)
    if foreword is not None and not foreword.strip():
        raise _error(
            p,
            "foreword.text",
            foreword,
            key="profile_foreword_empty",
        )
    return Profile(
        path=p,
        customer_name=model.customer.name,
        area=model.customer.area,
        contact={k: v for k, v in model.customer.contact.model_dump().items() if v},
        cover=cover,
        cover_credit=model.cover.credit,
        logo=logo,
        foreword_markdown=foreword,
        foreword_authors=tuple(model.foreword.authors),
        visualiser_url=model.customer.visualiser,
        local_targets=tuple((t.year, t.reduction, t.base_year) for t in model.targets.local),
        adopted_edition=model.budget.adopted_edition,
        context=_context(model.context),
    )


def _context(ctx: ContextSection) -> LocalContext | None:
    """The profile's ``[context]``, or None when it says nothing."""
    if not (ctx.notes or ctx.energy_company or ctx.large_emitters):
        return None
    return LocalContext(
        notes=ctx.notes.strip(),
        energy_company=ctx.energy_company.strip(),
        energy_company_owner=ctx.energy_company_owner,
        large_emitters=tuple(
            (e.name, e.sector, e.tonnes, e.year, e.source) for e in ctx.large_emitters
        ),
    )


_OUTSIDE = (
    "the path leads out of the profile's folder; put the file beside the profile and give only "
    "its name (no '..', no absolute path, no symbolic link out of the folder)"
)


def _inside(profile: Path, field: str, name: str, limit: int) -> Path:
    """The regular file ``name`` names inside the profile's folder, at most ``limit`` bytes.

    Refused: an absolute path, a path with ``..``, a symbolic link (or a link among its folders)
    that leads out of the folder, anything that is not a regular file (a folder, a device, a
    pipe, ``/proc``), and a file larger than ``limit`` (checked before it is read)."""
    base = profile.parent.resolve()
    rel = Path(name)
    if not name.strip() or rel.is_absolute() or rel.drive or ".." in rel.parts:
        raise _error(
            profile,
            field,
            name,
            key="profile_path_outside",
        )
    target = (base / rel).resolve()
    if not target.is_relative_to(base):
        raise _error(
            profile,
            field,
            name,
            key="profile_path_outside",
        )
    try:
        st = target.stat()
    except OSError:
        raise _error(
            profile,
            field,
            name,
            key="profile_file_not_found",
            file=str(base / rel),
        ) from None
    if not stat.S_ISREG(st.st_mode):
        raise _error(
            profile,
            field,
            name,
            key="profile_not_a_file",
        )
    if st.st_size > limit:
        size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
        raise _error(
            profile,
            field,
            name,
            key="profile_file_too_large",
            size=size,
        )
    if not os.access(target, os.R_OK):
        raise _error(
            profile,
            field,
            name,
            key="profile_file_unreadable",
        )
    return target


def _check_texts(profile: Path, model: CustomerProfile) -> None:
    """Every text of the profile: not too long, and only characters the report can show."""

    def walk(prefix: str, value: object) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else str(k), v)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(f"{prefix}.{i}", v)
        elif isinstance(value, str):
            if prefix == "foreword.text":
                _check_text(profile, prefix, value[:80], value, multiline=True)
            elif prefix not in ("cover.image", "cover.logo", "foreword.file"):
                _check_text(profile, prefix, value[:80], value, multiline=False)

    walk("", model.model_dump())


def _check_text(profile: Path, field: str, shown: str, text: str, *, multiline: bool) -> None:
    limit = MAX_TEXT_BYTES if multiline else MAX_FIELD_CHARS
    if len(text) > limit:
        raise _error(
            profile,
            field,
            shown,
            key="profile_text_too_long",
            limit=limit,
        )
    for i, ch in enumerate(text):
        if ch in "\n\t\r" and multiline:
            continue
        if not _showable(ch):
            code = f"U+{ord(ch):04X}"
            raise _error(
                profile,
                field,
                shown,
                key="profile_character_unshowable",
                character=code,
                position=i + 1,
            )


def _showable(ch: str) -> bool:
    """A character the print report can show: a letter, digit, mark, punctuation, symbol or
    space of the report's font (Source Sans 3) that is no control or private-use code."""
    if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
        # a soft hyphen is a format character, but one the font has and Typst hyphenates at
        return ch == "\u00ad" and ord(ch) in _font_characters()
    return ord(ch) in _font_characters()


@cache
def _font_characters() -> frozenset[int]:
    """The code points every face of the report's font has (upright and italic: Adobe's faces of
    every weight share one character map)."""
    from fontTools.ttLib import TTFont

    from .fonts import font_files

    sets = []
    for path in (font_files()["regular"], font_files()["italic"]):
        font = TTFont(path, lazy=True)
        try:
            sets.append(set(font.getBestCmap()))
        finally:
            font.close()
    return frozenset(set.intersection(*sets))


def _lookup(raw: dict[str, Any], loc: tuple[Any, ...]) -> object:
    cur: Any = raw
    for k in loc:
        try:
            cur = cur[k]
        except (KeyError, IndexError, TypeError):
            return None
    return cur


def _read_image(
    profile: Path,
    field: str,
    path: Path,
    alt: str,
    kind: str,
    name: str,
    focus: tuple[float, float] = (0.5, 0.5),
) -> LoadedImage:
    """The image at ``path`` (already confined by ``_inside``), fitted for the report."""
    data = path.read_bytes()
    if len(data) > MAX_IMAGE_BYTES:
        raise _error(
            profile,
            field,
            name,
            key="profile_image_too_large",
        )
    try:
        return fit_image(data, alt=alt, kind=kind, focus=focus)
    except _ImageError as e:
        raise _error(profile, field, name, key=e.key, **e.slots) from None
    except ValueError as e:  # anything else Pillow refuses
        raise _error(profile, field, name, key="profile_invalid_value", detail=str(e)) from None


def _too_many_pixels(pixels: int) -> _ImageError:
    megapixels = -(-pixels // 1_000_000)
    limit = MAX_IMAGE_PIXELS // 1_000_000
    return _ImageError(
        key="profile_image_too_many_pixels",
        megapixels=megapixels,
        limit=limit,
    )


def fit_image(
    data: bytes, *, alt: str, kind: str = "cover", focus: tuple[float, float] = (0.5, 0.5)
) -> LoadedImage:
    """Fit a JPEG or PNG for the report: a cover is cropped to 16:10 around ``focus`` (x, y
    as fractions from the top left) and fitted within 1600×1000 px as a progressive JPEG; a logo keeps its shape and transparency, fitted within
    480×480 px as PNG. Raises ``ValueError`` for anything that is not a JPEG or PNG image."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow warns of a "decompression bomb" above ~89 Mpx and refuses above ~179 Mpx
            # (with the pixel count in its message); our own, lower limit is checked below,
            # from the header, before decoding
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im: Image.Image = Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "GIF", "WEBP"])
    except Image.DecompressionBombError as e:
        found = re.search(r"\((\d+) pixels\)", str(e))
        raise _too_many_pixels(int(found.group(1)) if found else 2**32) from None
    except (UnidentifiedImageError, OSError):
        raise _ImageError(
            key="profile_image_unreadable",
        ) from None
    fmt = getattr(im, "format", None)
    if fmt not in ("JPEG", "PNG"):
        raise _ImageError(key="profile_image_format", format=fmt)
    width, height = im.size
    if width * height > MAX_IMAGE_PIXELS:
        raise _too_many_pixels(width * height)
    try:
        im.load()
    except (OSError, ValueError, Image.DecompressionBombError):
        raise _ImageError(
            key="profile_image_unreadable",
        ) from None
    im = ImageOps.exif_transpose(im) or im
    out = io.BytesIO()
    if kind == "cover":
        im = ImageOps.fit(
            im.convert("RGB"), COVER_SIZE, method=Image.Resampling.LANCZOS, centering=focus
        )
        im.save(out, "JPEG", quality=80, optimize=True, progressive=True)
        mime = "image/jpeg"
    else:
        im = im.convert("RGBA")
        im.thumbnail(LOGO_MAX, Image.Resampling.LANCZOS)
        im.save(out, "PNG", optimize=True)
        mime = "image/png"
    return LoadedImage(out.getvalue(), mime, im.width, im.height, alt)
