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

Errors name the file, the key and the value, and say what to do (``ParameterError``).
"""

from __future__ import annotations

import io
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ParameterError

__all__ = ["CustomerProfile", "LoadedImage", "Profile", "fit_image", "load_profile"]

#: The cover image is cropped to this aspect ratio and fitted within this size (px).
COVER_SIZE = (1600, 1000)
LOGO_MAX = (480, 480)
_MAX_IMAGE_BYTES = 40 * 1024 * 1024


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


class CoverSection(_Strict):
    image: str | None = None
    alt: str | None = None
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


class CustomerProfile(_Strict):
    """The TOML file's schema."""

    customer: Customer
    cover: CoverSection = CoverSection()
    foreword: Foreword = Foreword()
    targets: Targets = Targets()
    budget: BudgetSection = BudgetSection()


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
    local_targets: tuple[tuple[int, float, int], ...]
    adopted_edition: str | None


def _error(
    path: Path, field: str, value: object, what: str, *, key: str, **slots: object
) -> ParameterError:
    """``Profile <path>: <field> = <value>: <what>``; ``key`` names the catalogue message, whose
    slots are ``path``, ``field``, ``value`` (as ``repr``) and ``slots``."""
    return ParameterError(
        f"Profile {path}: {field} = {value!r}: {what}",
        key=key,
        path=str(path),
        field=field,
        value=repr(value),
        **slots,
    )


class _ImageError(ValueError):
    """``fit_image``'s ValueError, with the catalogue key of its message."""

    def __init__(self, message: str, *, key: str, **slots: object) -> None:
        super().__init__(message)
        self.key = key
        self.slots = slots


def load_profile(path: str | Path) -> Profile:
    """Read, validate and prepare the profile at ``path`` (images fitted, foreword read)."""
    p = Path(path)
    if not p.is_file():
        raise ParameterError(
            f"Profile {p}: no such file. Give the path of a TOML profile (see docs/report.md).",
            key="profile_not_found",
            path=str(p),
        )
    try:
        raw = tomllib.loads(p.read_text("utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ParameterError(
            f"Profile {p}: not valid TOML ({e}). Check quotes and brackets near that line.",
            key="profile_not_toml",
            path=str(p),
            error=str(e),
        ) from None
    except UnicodeDecodeError:
        raise ParameterError(
            f"Profile {p}: not UTF-8 text. Save the file as UTF-8.",
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
                "unknown key; valid keys are listed in docs/report.md (check the spelling)",
                key="profile_unknown_key",
            ) from None
        if first["type"] == "missing":
            raise _error(
                p, field, value, "required key is missing; add it", key="profile_missing_key"
            ) from None
        # pydantic's own (English) explanation, e.g. "Input should be less than or equal to 1"
        raise _error(
            p, field, value, first["msg"], key="profile_invalid_value", detail=first["msg"]
        ) from None
    base = p.parent
    cover = logo = None
    if model.cover.image:
        if not model.cover.alt:
            raise _error(
                p,
                "cover.alt",
                model.cover.alt,
                "a cover image needs a text alternative; describe the picture in one sentence",
                key="profile_cover_needs_alt",
            )
        cover = _read_image(p, "cover.image", base / model.cover.image, model.cover.alt, "cover")
    if model.cover.logo:
        alt = model.cover.logo_alt or model.customer.name
        logo = _read_image(p, "cover.logo", base / model.cover.logo, alt, "logo")
    foreword = model.foreword.text
    if model.foreword.file:
        f = base / model.foreword.file
        if not f.is_file():
            raise _error(
                p,
                "foreword.file",
                model.foreword.file,
                f"file not found at {f}; fix the path",
                key="profile_file_not_found",
                file=str(f),
            )
        foreword = f.read_text("utf-8")
    if foreword is not None and not foreword.strip():
        raise _error(
            p,
            "foreword.text",
            foreword,
            "the foreword is empty; write it or remove it",
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
        local_targets=tuple((t.year, t.reduction, t.base_year) for t in model.targets.local),
        adopted_edition=model.budget.adopted_edition,
    )


def _lookup(raw: dict[str, Any], loc: tuple[Any, ...]) -> object:
    cur: Any = raw
    for k in loc:
        try:
            cur = cur[k]
        except (KeyError, IndexError, TypeError):
            return None
    return cur


def _read_image(profile: Path, field: str, path: Path, alt: str, kind: str) -> LoadedImage:
    if not path.is_file():
        raise _error(
            profile,
            field,
            str(path.name),
            f"file not found at {path}; fix the path",
            key="profile_file_not_found",
            file=str(path),
        )
    data = path.read_bytes()
    if len(data) > _MAX_IMAGE_BYTES:
        raise _error(
            profile,
            field,
            path.name,
            "larger than 40 MB; export a smaller image",
            key="profile_image_too_large",
        )
    try:
        return fit_image(data, alt=alt, kind=kind)
    except _ImageError as e:
        raise _error(profile, field, path.name, str(e), key=e.key, **e.slots) from None
    except ValueError as e:  # anything else Pillow refuses
        raise _error(
            profile, field, path.name, str(e), key="profile_invalid_value", detail=str(e)
        ) from None


def fit_image(data: bytes, *, alt: str, kind: str = "cover") -> LoadedImage:
    """Fit a JPEG or PNG for the report: a cover is cropped to 16:10 and fitted within
    1600×1000 px as a progressive JPEG; a logo keeps its shape and transparency, fitted within
    480×480 px as PNG. Raises ``ValueError`` for anything that is not a JPEG or PNG image."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        im: Image.Image = Image.open(io.BytesIO(data))
        im.load()
    except (UnidentifiedImageError, OSError):
        raise _ImageError(
            "not a readable JPEG or PNG image; export it as JPEG or PNG",
            key="profile_image_unreadable",
        ) from None
    fmt = getattr(im, "format", None)
    if fmt not in ("JPEG", "PNG"):
        raise _ImageError(
            f"a {fmt} image; export it as JPEG or PNG", key="profile_image_format", format=fmt
        )
    im = ImageOps.exif_transpose(im) or im
    out = io.BytesIO()
    if kind == "cover":
        im = ImageOps.fit(im.convert("RGB"), COVER_SIZE, method=Image.Resampling.LANCZOS)
        im.save(out, "JPEG", quality=80, optimize=True, progressive=True)
        mime = "image/jpeg"
    else:
        im = im.convert("RGBA")
        im.thumbnail(LOGO_MAX, Image.Resampling.LANCZOS)
        im.save(out, "PNG", optimize=True)
        mime = "image/png"
    return LoadedImage(out.getvalue(), mime, im.width, im.height, alt)
