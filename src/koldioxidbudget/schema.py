"""Column names, units, ids and the in-memory form of an edition's tables, defined once.

Every table is a pandas DataFrame with exactly the columns listed here, in this order. Codes are
strings ("0114", "01", "00"), years are integers, units are in the column names. See
``docs/data-format.md`` for the full specification; ``edition.validate_tables`` enforces it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported when a table is made, not when this module is
    import pandas as pd

__all__ = [
    "COLUMNS",
    "GAS_CO2",
    "GAS_CO2E",
    "LEVELS",
    "NATIONAL_CODE",
    "SECTORS",
    "SECTOR_NAMES_SV",
    "Level",
    "Tables",
]

#: Code of Sweden as a whole (the national level).
NATIONAL_CODE = "00"


class Level(StrEnum):
    """An area's level (the ``level`` column of the areas table): equal to its string."""

    KOMMUN = "kommun"  #: a municipality
    LAN = "lan"  #: a county (län)
    RIKET = "riket"  #: Sweden as a whole


LEVELS: tuple[Level, ...] = tuple(Level)

GAS_CO2 = "CO2"
GAS_CO2E = "CO2e"

#: SMHI main sectors ("huvudsektorer") as kebab ids, in SMHI's order of presentation.
SECTORS: tuple[str, ...] = (
    "transporter",
    "industri",
    "el-och-fjarrvarme",
    "egen-uppvarmning",
    "arbetsmaskiner",
    "jordbruk",
    "avfall",
    "produktanvandning",
    "utrikes-transporter",
)

#: SMHI's own sector names (as in the exports; the typo "uppärmning" is normalised by the reader).
SECTOR_NAMES_SV: dict[str, str] = {
    "transporter": "Transporter",
    "industri": "Industri (energi + processer)",
    "el-och-fjarrvarme": "El och fjärrvärme",
    "egen-uppvarmning": "Egen uppvärmning av bostäder och lokaler",
    "arbetsmaskiner": "Arbetsmaskiner",
    "jordbruk": "Jordbruk",
    "avfall": "Avfall (inkl.avlopp)",
    "produktanvandning": "Produktanvändning (inkl. lösningsmedel)",
    "utrikes-transporter": "Utrikes transporter",
}

#: Table name -> ordered column names. Units are part of the names.
COLUMNS: dict[str, tuple[str, ...]] = {
    # one row per area; lan_code is the county of a kommun, the county itself for a lan, "00" for riket
    "areas": ("code", "name", "level", "lan_code", "official_name"),
    # SMHI main-sector emissions as published, every level (kommun, lan, riket), t/yr
    "emissions": ("code", "year", "sector", "emissions_t"),
    # SMHI subsectors as published (names as SMHI writes them), every level where published, t/yr
    "subsectors": ("code", "year", "sector", "subsector", "emissions_t"),
    # population on 31 December, every level
    "population": ("code", "year", "population"),
    # remaining global CO2 budgets as published, Gt CO2 from 1 January of budget_from
    "global_budgets": (
        "source_id",
        "budget_from",
        "temperature_c",
        "probability_pct",
        "budget_gt",
        "verification",
    ),
    # global and Swedish CO2 (Global Carbon Budget), Mt CO2/yr
    "global_emissions": ("year", "world_fossil_mt", "world_luc_mt", "sweden_fossil_mt"),
    # territorial fossil CO2 of country groups (GCB 2019: Sweden, KP Annex B, Non KP Annex B, Bunkers, World)
    "blocs": ("year", "entity", "emissions_mt"),
    # point sources that a method may exclude (cement plants' reported CO2), t/yr
    "facilities": ("code", "facility", "kind", "year", "emissions_t"),
    # SMHI greenhouse-gas releases newer than the edition's CO2 release, municipal main sectors
    # (t CO2e/yr), one set of rows per release: the nowcast carries CO2 forward with their changes
    "ghg_sectors": ("release", "code", "year", "sector", "emissions_t"),
    # Sweden's international aviation and shipping CO2 (bunkers, the inventory's memo items), t/yr
    "international_transport": ("year", "aviation_t", "shipping_t"),
}


def _empty(name: str) -> pd.DataFrame:
    """A table ``name`` with its columns and no rows."""
    import pandas as pd

    return pd.DataFrame(columns=list(COLUMNS[name]))


@dataclass(frozen=True, eq=False)
class Tables:
    """An edition's tables in memory, as the method reads them (no I/O happens through this).

    Compared and hashed by identity (``eq=False``), so results can be memoised per loaded edition.
    """

    edition_id: str
    gas: str
    release: str
    areas: pd.DataFrame
    emissions: pd.DataFrame
    population: pd.DataFrame
    global_budgets: pd.DataFrame
    global_emissions: pd.DataFrame
    blocs: pd.DataFrame
    facilities: pd.DataFrame
    subsectors: pd.DataFrame = field(default_factory=lambda: _empty("subsectors"))
    ghg_sectors: pd.DataFrame = field(default_factory=lambda: _empty("ghg_sectors"))
    international_transport: pd.DataFrame = field(
        default_factory=lambda: _empty("international_transport")
    )

    @property
    def data_years(self) -> list[int]:
        """The years SMHI published emissions for in this edition, ascending."""
        return sorted(int(y) for y in self.emissions["year"].unique())

    @property
    def last_data_year(self) -> int:
        return self.data_years[-1]
