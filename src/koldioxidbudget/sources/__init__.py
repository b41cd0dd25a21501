"""One reader per publisher format; each validates what it reads.

Every reader returns tables with exactly the columns of ``schema.COLUMNS`` (codes as text, years
as integers, units in the column names) and raises :class:`~koldioxidbudget.errors.SourceError`
naming the file, sheet, row, column and value of anything it cannot accept.

=================================  ==============================================================
reader                             publisher and format
=================================  ==============================================================
:func:`read_areas`                 SCB municipality and county codes (``regions/*.csv``)
:func:`read_population`            SCB population on 31 December (``population/*.csv``)
:func:`read_smhi_excel`            SMHI Nationella emissionsdatabasen, raw "Länsrapport" xlsx
:func:`read_smhi_co2_csv`          the same, tidy wide CO2 CSV (2024-04-18)
:func:`read_smhi_ghg_csvs`         the same, long CO2e CSVs per level (2026)
:func:`read_smhi_ghg_all_levels_csv`  the same, long CO2e CSV of every level (2025) + subsectors
:func:`read_global_budgets`        IPCC AR6 / IGCC remaining carbon budgets
:func:`read_global_emissions`      Global Carbon Project via Our World in Data
:func:`read_blocs`                 Global Carbon Project 2019 national file (country groups)
:func:`read_facilities`            Naturvårdsverket cement plants' reported CO2
:func:`read_international_transport`  Sweden's international aviation and shipping CO2
=================================  ==============================================================
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import gcp, ipcc, naturvardsverket, scb, smhi
    from .gcp import read_blocs, read_global_emissions
    from .ipcc import read_global_budgets
    from .naturvardsverket import read_facilities, read_international_transport
    from .scb import read_areas, read_population
    from .smhi import (
        SmhiRelease,
        peek_smhi_excel,
        read_smhi_co2_csv,
        read_smhi_excel,
        read_smhi_ghg_all_levels_csv,
        read_smhi_ghg_csvs,
        require_gas,
    )

#: public name → the module defining it; imported on first use, so that importing
#: ``sources.registry`` (what a build reads, what a fetch writes) loads no pandas
_LAZY: dict[str, str] = {
    "read_blocs": "gcp",
    "read_global_emissions": "gcp",
    "read_global_budgets": "ipcc",
    "read_facilities": "naturvardsverket",
    "read_international_transport": "naturvardsverket",
    "read_areas": "scb",
    "read_population": "scb",
    "SmhiRelease": "smhi",
    "peek_smhi_excel": "smhi",
    "read_smhi_co2_csv": "smhi",
    "read_smhi_excel": "smhi",
    "read_smhi_ghg_all_levels_csv": "smhi",
    "read_smhi_ghg_csvs": "smhi",
    "require_gas": "smhi",
}
_MODULES = frozenset({"gcp", "ipcc", "naturvardsverket", "scb", "smhi"})


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _LAZY:
        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "SmhiRelease",
    "gcp",
    "ipcc",
    "naturvardsverket",
    "peek_smhi_excel",
    "read_areas",
    "read_blocs",
    "read_facilities",
    "read_global_budgets",
    "read_global_emissions",
    "read_international_transport",
    "read_population",
    "read_smhi_co2_csv",
    "read_smhi_excel",
    "read_smhi_ghg_all_levels_csv",
    "read_smhi_ghg_csvs",
    "require_gas",
    "scb",
    "smhi",
]
