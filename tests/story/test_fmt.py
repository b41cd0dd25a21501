"""Numbers as readers see them: ``fmt.number`` writes exactly what Babel's ``format_decimal``
writes for the value rounded to its decimals (it only writes it faster)."""

from __future__ import annotations

import random

import pytest
from babel.numbers import format_decimal

from koldioxidbudget.story import fmt

LOCALES = {"sv": "sv_SE", "en": "en_GB"}
EDGES = [0.0, -0.0, 0.05, -0.05, 0.5, 1.5, 2.5, -2.5, 0.045, 1.005, 2.675, 999.5, 999.95]
EDGES += [1234.5, -1234.5, 123456789.125, 1e12 - 0.5, 9034751159155.8, 1e14 + 0.25, -3e14]


def _babel(value: float, lang: str, decimals: int) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    text = format_decimal(round(value, decimals) + 0.0, pattern, locale=LOCALES[lang])
    return text.replace("-", "\u2212")


def _values() -> list[float]:
    rng = random.Random(12)
    out = list(EDGES)
    for _ in range(4000):
        v = rng.choice((1, -1)) * 10 ** rng.uniform(-4, 14.9)
        out.append(round(v, rng.randint(0, 4)) if rng.random() < 0.3 else v)
    return out


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_number_is_babels_text(lang: str) -> None:
    differ = [
        (v, d, fmt.number(v, lang, decimals=d), _babel(v, lang, d))
        for v in _values()
        for d in (0, 1, 2, 3)
        if fmt.number(v, lang, decimals=d) != _babel(v, lang, d)
    ]
    assert differ == []


def test_number_reads_as_the_locale_writes() -> None:
    assert fmt.number(1234.5, "sv", decimals=1) == "1\u00a0234,5"
    assert fmt.number(-1234.5, "en", decimals=1) == "\u22121,234.5"
    assert fmt.number(-0.04, "sv", decimals=1) == "0,0"  # no "−0,0"
    assert fmt.number(float("nan"), "sv") == fmt.decimal_text(float("nan"), "#,##0", "sv_SE")
