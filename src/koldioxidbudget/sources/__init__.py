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
