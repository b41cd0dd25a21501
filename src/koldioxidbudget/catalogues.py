"""The text catalogues, read, and numbers that never fail to format: ``story/texts/<lang>/*.toml`` as flat ``<file>.<id>`` → text.

A foundation module (it imports nothing of the package), so that errors can be put into words
from the catalogues without the lower layers depending on ``story``. ``story.i18n`` is the
interface the outputs use.
"""

from __future__ import annotations

import decimal as _decimal
import math as _math
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["LANGUAGES", "SCIENTIFIC_FROM", "decimal_text", "messages"]

LANGUAGES = ("sv", "en")
_ROOT = Path(__file__).resolve().parent / "story" / "texts"


@cache
def messages(lang: str) -> dict[str, str]:
    """Every message of ``lang``, keys as ``<file>.<id>`` (e.g. ``cli.budget_t``); ``lang`` must
    be one of ``LANGUAGES`` (``ValueError`` otherwise)."""
    if lang not in LANGUAGES:
        raise ValueError(lang)
    out: dict[str, str] = {}
    for entry in sorted((_ROOT / lang).glob("*.toml")):
        data = tomllib.loads(entry.read_text("utf-8"))
        for k, v in _flatten(data):
            out[f"{entry.stem}.{k}"] = v
    return out


def _flatten(d: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            items.extend(_flatten(v, key + "."))
        else:
            items.append((key, str(v)))
    return items


#: from this magnitude on, numbers are written in scientific notation (``1,5×10^22``): no
#: carbon budget, population or year is that large, and Babel cannot write them with decimals
#: (its fixed-point rounding overflows the decimal context at about 10^22)
SCIENTIFIC_FROM = 1e15


def decimal_text(value: float | _decimal.Decimal, pattern: str, locale: str) -> str:
    """``value`` in Babel's ``pattern`` for ``locale``, for any value: never raises.

    Not-a-number is ``NaN``, infinities ``∞``/``-∞``, and magnitudes of 10^15 and more are
    written in scientific notation with up to four significant digits (sv: ``1×10^22``,
    en: ``1E22``), because no figure of ours is that large and Babel's fixed-point rounding
    fails on them (``decimal.InvalidOperation``)."""
    from babel.numbers import format_decimal, format_scientific

    if isinstance(value, _decimal.Decimal):
        finite = value.is_finite()
        magnitude = abs(value) if finite else _decimal.Decimal(0)
    else:
        finite = _math.isfinite(value)
        magnitude = _decimal.Decimal(abs(value)) if finite else _decimal.Decimal(0)
    if not finite:
        return format_decimal(value, locale=locale)
    if magnitude >= _decimal.Decimal(SCIENTIFIC_FROM):
        return format_scientific(value, format="0.###E0", locale=locale)
    with _decimal.localcontext() as ctx:
        ctx.prec = 60
        return format_decimal(value, format=pattern, locale=locale)
