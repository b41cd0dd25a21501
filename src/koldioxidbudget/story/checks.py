"""The data checks' findings in words (``edition_checks.Finding`` → a sentence in ``lang``)."""

from __future__ import annotations

from typing import Any

from ..edition_checks import Finding, year_ranges
from ..schema import SECTOR_NAMES_SV
from . import fmt
from .i18n import t

__all__ = ["finding_text"]


def finding_text(finding: Finding, lang: str = "sv") -> str:
    """The message ``diff.check.<check>`` filled from the finding's values (tonnes in keys
    ``value``/``delta``/``old``/``new``, fractions in ``pct``, year lists as ranges)."""
    v: dict[str, Any] = {}
    for k, x in finding.values.items():
        if k in ("value", "delta", "old", "new") and isinstance(x, int | float):
            v[k] = f"{fmt.tonnes(float(x), lang)}"
        elif k in ("found", "low", "high") and isinstance(x, int | float):
            v[k] = fmt.number(float(x), lang, decimals=0 if abs(x) >= 100 or x == 0 else 2)
        elif k == "pct" and isinstance(x, int | float):
            v[k] = fmt.percent(float(x), lang, decimals=1)
        elif k in ("years", "expected") and isinstance(x, list):
            v[k] = year_ranges(x)
        elif k == "sector" and isinstance(x, str):
            v[k] = SECTOR_NAMES_SV.get(x, x)
        else:
            v[k] = x
    return t(f"diff.check.{finding.check}", lang, **v)
