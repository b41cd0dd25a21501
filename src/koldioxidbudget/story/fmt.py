"""Numbers and dates for readers, through Babel: ``1 234,5`` (U+00A0 groups, U+2212 minus) in
Swedish, ``1,234.5`` in English; ``28 november 2026`` / ``28 November 2026``."""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import math as _math

from babel.dates import format_date as _format_date
from babel.numbers import format_decimal as _format_decimal
from babel.numbers import format_scientific as _format_scientific

__all__ = ["date", "decimal_text", "number", "percent", "tonnes"]

#: from this magnitude on, numbers are written in scientific notation (``1,5×10^22``): no
#: carbon budget, population or year is that large, and Babel cannot write them with decimals
#: (its fixed-point rounding overflows the decimal context at about 10^22)
_SCIENTIFIC_FROM = 1e15

_LOCALES = {"sv": "sv_SE", "en": "en_GB"}


def _loc(lang: str) -> str:
    return _LOCALES.get(lang, "sv_SE")


def decimal_text(value: float | _decimal.Decimal, pattern: str, locale: str) -> str:
    """``value`` in Babel's ``pattern`` for ``locale``, for any value: never raises.

    Not-a-number is ``NaN``, infinities ``∞``/``-∞``, and magnitudes of 10^15 and more are
    written in scientific notation with up to four significant digits (sv: ``1×10^22``,
    en: ``1E22``), because no figure of ours is that large and Babel's fixed-point rounding
    fails on them (``decimal.InvalidOperation``)."""
    if isinstance(value, _decimal.Decimal):
        finite = value.is_finite()
        magnitude = abs(value) if finite else _decimal.Decimal(0)
    else:
        finite = _math.isfinite(value)
        magnitude = _decimal.Decimal(abs(value)) if finite else _decimal.Decimal(0)
    if not finite:
        return _format_decimal(value, locale=locale)
    if magnitude >= _decimal.Decimal(_SCIENTIFIC_FROM):
        return _format_scientific(value, format="0.###E0", locale=locale)
    with _decimal.localcontext() as ctx:
        ctx.prec = 60
        return _format_decimal(value, format=pattern, locale=locale)


def number(value: float, lang: str = "sv", *, decimals: int = 0) -> str:
    """``value`` with ``decimals`` fixed decimals and locale grouping (any float: see
    ``decimal_text`` for not-a-number, infinity and huge values)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    if _math.isfinite(value) and abs(value) < _SCIENTIFIC_FROM:
        value = round(value, decimals) + 0.0
    return decimal_text(value, pattern, _loc(lang)).replace("-", "\u2212")


def percent(fraction: float, lang: str = "sv", *, decimals: int = 1) -> str:
    """A fraction as a percentage: 0.357 → ``35,7 %`` (sv) / ``35.7%`` (en)."""
    n = number(fraction * 100, lang, decimals=decimals)
    return f"{n}\u00a0%" if lang == "sv" else f"{n}%"


def tonnes(value: float, lang: str = "sv") -> str:
    """Tonnes with sensible precision: kt below 1 Mt, Mt above (``1,23 Mt``, ``456 kt``, ``789 t``)."""
    a = abs(value)
    if a >= 1e6:
        return f"{number(value / 1e6, lang, decimals=2)}\u00a0Mt"
    if a >= 1e4:
        return f"{number(value / 1e3, lang, decimals=0)}\u00a0kt"
    return f"{number(value, lang, decimals=0)}\u00a0t"


def date(value: _dt.date, lang: str = "sv") -> str:
    """``28 november 2026`` (sv) / ``28 November 2026`` (en)."""
    return _format_date(value, format="d MMMM y", locale=_loc(lang))
