"""Every official source file, declared once: what ``data build`` reads and ``data fetch`` writes.

Two tuples drive everything that names a source file:

* :data:`SOURCES`: one :class:`Source` per reader call of a build: the files it reads (relative
  to the source folder, with the ``role`` and ``publisher`` the edition's manifest records), the
  reader, the edition table it fills (or, for an emissions release, the gas and release), and the
  remotes of ``data fetch`` that write those files.
* :data:`REMOTES`: one :class:`Remote` per download of ``data fetch``: the publisher's base URL
  (a setting, :data:`BASES`), the request, where the answer lands, and the function that fetches
  it.

``edition`` finds a build's inputs and manifest publishers here, ``sources.fetch`` its remotes,
the files it seeds (:func:`build_inputs`) and its base URLs, and ``docs/data-format.md`` holds
:func:`reference` (a test keeps it current; ``python -m koldioxidbudget.sources.registry
--write docs/data-format.md`` rewrites it).

Readers and fetchers are named by module and function (:class:`Ref`) and imported when first
called, so importing this module loads neither pandas nor httpx: ``koldioxidbudget budget``
starts as fast as before.
"""

from __future__ import annotations

import importlib
import posixpath
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..schema import GAS_CO2, GAS_CO2E

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BASES",
    "EMISSIONS_DIR",
    "REMOTES",
    "SOURCES",
    "Ref",
    "Remote",
    "Source",
    "SourceFile",
    "build_inputs",
    "input_file",
    "reference",
    "release_sources",
    "remote",
    "remote_ids",
    "table_sources",
]


@dataclass(frozen=True)
class Ref:
    """A function of a module of ``sources``, named (``Ref("smhi", "read_smhi_excel")``) and
    imported when first called."""

    module: str
    name: str

    def resolve(self) -> Callable[..., Any]:
        fn: Callable[..., Any] = getattr(
            importlib.import_module(f"{__package__}.{self.module}"), self.name
        )
        return fn

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.module}.{self.name}"


@dataclass(frozen=True)
class SourceFile:
    """One file a :class:`Source` reads."""

    #: what the file is to the edition's manifest (``inputs[].role``); an emissions release's
    #: files are all ``emissions``
    role: str
    #: relative to the source folder, ``/``-separated; a glob pattern when the source has a ``peek``
    path: str
    #: the manifest's ``inputs[].publisher``; None: the source's
    publisher: str | None = None
    #: passed to the reader as this keyword argument (None when the file is absent and
    #: ``optional``); None: positionally, in the order of ``Source.files``
    keyword: str | None = None
    #: the source is read without it
    optional: bool = False


@dataclass(frozen=True)
class Source:
    """One reader call of ``data build`` and the files it reads."""

    #: kebab-case id
    id: str
    #: who publishes it (the manifest's ``publisher`` unless a file names its own)
    publisher: str
    files: tuple[SourceFile, ...]
    #: called as ``reader(*files, [areas=...], [release=...], [<keyword>=file])``
    reader: Ref
    #: the edition table it fills; None for an emissions release (``emissions``, ``subsectors``)
    table: str | None = None
    #: the reader takes the ``areas`` table (``areas=``)
    areas: bool = False
    #: a build without its files writes the table empty
    optional: bool = False
    #: an emissions release: its gas and release; None when read from the file (``peek``)
    gas: str | None = None
    release: str | None = None
    #: a release found by pattern: ``peek(path) -> (gas, release)`` of each file that matches
    peek: Ref | None = None
    #: the reader takes ``release=`` (the release label it tags rows with)
    pass_release: bool = False
    #: the remotes of ``data fetch`` that write its files (none: copied by hand or ``--seed-from``)
    remotes: tuple[str, ...] = ()

    def publisher_of(self, f: SourceFile) -> str:
        return f.publisher or self.publisher

    def read(self, paths: Sequence[Path | None], *, areas: pd.DataFrame | None = None) -> Any:
        """Call the reader with ``paths`` (one per file of ``files``, None for an absent optional
        file), ``areas`` when it takes them, and the release when it takes one."""
        args: list[Path | None] = []
        kwargs: dict[str, Any] = {}
        for f, p in zip(self.files, paths, strict=True):
            if f.keyword:
                kwargs[f.keyword] = p
            else:
                args.append(p)
        if self.areas:
            kwargs["areas"] = areas
        if self.pass_release:
            kwargs["release"] = self.release
        return self.reader(*args, **kwargs)


@dataclass(frozen=True)
class Remote:
    """One download of ``data fetch``."""

    #: kebab-case id (``--only``)
    id: str
    #: key of :data:`BASES` (and of ``FetchSettings.bases``)
    base: str
    method: str
    #: the request path on the base URL; ``{…}`` are filled from ``params`` (and ``{year}``)
    path: str
    #: where the answer lands, relative to the source folder (``{release}``, ``{year}``: read
    #: from the answer or tried)
    raw: str
    #: ``fetch(run, remote)``: download, verify and store (``sources.fetch.FetchRun``)
    fetch: Ref
    params: tuple[tuple[str, str], ...] = ()
    #: one line for the documentation
    about: str = ""

    @property
    def vars(self) -> dict[str, str]:
        return dict(self.params)

    @property
    def raw_dir(self) -> str:
        return posixpath.dirname(self.raw)


#: The publishers' real base URLs (``FetchSettings.bases`` defaults to these).
BASES: dict[str, str] = {
    "smhi": "https://nationellaemissionsdatabasen.smhi.se",
    "scb": "https://api.scb.se",
    "gcb": "https://globalcarbonbudgetdata.org",
}

#: The folder the emissions releases are looked for in.
EMISSIONS_DIR = "emissions"

_PXWEB_TABLE = "/OV0104/v1/doris/sv/ssd/START/BE/BE0101/BE0101A/BefolkningNy"
_SMHI = "SMHI Nationella emissionsdatabasen"
_SMHI_TIDY = f"{EMISSIONS_DIR}/smhi_rus"


def _smhi_remote(remote_id: str, sub: str, gas: str, about: str) -> Remote:
    """SMHI's Länsrapport workbook of ``sub`` (``CO2`` or ``GGT``), stored under its release."""
    return Remote(
        remote_id,
        base="smhi",
        method="GET",
        path="/api/getexcelfile/?county=0&municipality=0&sub={sub}",
        raw=f"{_SMHI_TIDY}/raw/smhi_lansrapport_{{name}}_{{release}}.xlsx",
        fetch=Ref("smhi_fetch", "fetch_smhi"),
        params=(("sub", sub), ("name", sub.lower()), ("gas", gas)),
        about=about,
    )


#: Every remote of ``data fetch``, in the order fetched (``scb-population`` asks for the
#: municipalities ``scb-regions`` found).
REMOTES: tuple[Remote, ...] = (
    _smhi_remote(
        "smhi-co2",
        "CO2",
        GAS_CO2,
        "SMHI's Länsrapport of fossil CO2 (the release date read from the file)",
    ),
    _smhi_remote("smhi-ghg", "GGT", GAS_CO2E, "the same for all greenhouse gases (CO2e)"),
    Remote(
        "scb-regions",
        base="scb",
        method="GET",
        path=_PXWEB_TABLE,
        raw="regions/raw/scb_pxweb_befolkningny_metadata.json",
        fetch=Ref("scb_fetch", "fetch_regions"),
        about="SCB PxWeb API v1, the table's metadata: every region code and name",
    ),
    Remote(
        "scb-population",
        base="scb",
        method="POST",
        path=_PXWEB_TABLE,
        raw="population/raw/scb_pxweb_befolkningny.json",
        fetch=Ref("scb_fetch", "fetch_population"),
        params=(("content", "BE0101N1"),),
        about="SCB PxWeb API v1, population 31 December (BE0101N1), every municipality and year",
    ),
    Remote(
        "gcb-national",
        base="gcb",
        method="GET",
        path="/downloads/latest-data/National_Fossil_Carbon_Emissions_{year}v1.0.xlsx",
        raw="global/raw/National_Fossil_Carbon_Emissions_{year}v1.0.xlsx",
        fetch=Ref("gcp_fetch", "fetch_gcb"),
        about="Global Carbon Project's national emissions (this year's release, else the two "
        "before); kept for the record, the build reads the tidy GCB 2019 file",
    ),
)

#: Every source of ``data build``: the tables every edition reads (in the order read; the
#: manifest lists their files in this order), then the emissions releases (a file found by
#: pattern wins over a later source of the same gas and release: the raw Excel over a tidy CSV).
SOURCES: tuple[Source, ...] = (
    Source(
        "areas",
        publisher="SCB (Län och kommuner 2023)",
        files=(
            SourceFile("municipalities", "regions/municipalities.csv"),
            SourceFile("counties", "regions/counties.csv"),
        ),
        reader=Ref("scb", "read_areas"),
        table="areas",
        remotes=("scb-regions",),
    ),
    Source(
        "population",
        publisher="SCB (Folkmängd 31 december)",
        files=(
            SourceFile(
                "population_municipality", "population/population_municipality_1950-2025.csv"
            ),
            SourceFile(
                "population_county",
                "population/population_county_national_1950-2025.csv",
                publisher="SCB (Folkmängd 31 december, sums)",
            ),
        ),
        reader=Ref("scb", "read_population"),
        table="population",
        areas=True,
        remotes=("scb-population",),
    ),
    Source(
        "global-budgets",
        publisher="IPCC AR6 WG1 / Indicators of Global Climate Change",
        files=(SourceFile("global_budgets", "carbon_budgets/remaining_carbon_budgets_global.csv"),),
        reader=Ref("ipcc", "read_global_budgets"),
        table="global_budgets",
    ),
    Source(
        "global-emissions",
        publisher="Global Carbon Project (GCB 2024) via Our World in Data",
        files=(
            SourceFile("global_emissions", "global/owid_gcb2024_co2_sweden_world_1990-2023.csv"),
        ),
        reader=Ref("gcp", "read_global_emissions"),
        table="global_emissions",
    ),
    Source(
        "blocs",
        publisher="Global Carbon Project (GCB 2019)",
        files=(SourceFile("blocs", "global/gcb2019_fossil_co2_sweden_annexB_world_1959-2018.csv"),),
        reader=Ref("gcp", "read_blocs"),
        table="blocs",
    ),
    Source(
        "facilities",
        publisher="Naturvårdsverket (Utsläpp i siffror)",
        files=(SourceFile("cement", "facilities/cement_process_co2.csv"),),
        reader=Ref("naturvardsverket", "read_facilities"),
        table="facilities",
        areas=True,
    ),
    Source(
        "international-transport",
        publisher="Naturvårdsverket / SCB (international bunkers, memo items)",
        files=(
            SourceFile(
                "international_transport", "emissions/national/international_transport_co2.csv"
            ),
        ),
        reader=Ref("naturvardsverket", "read_international_transport"),
        table="international_transport",
        optional=True,
    ),
    Source(
        "smhi-lansrapport",
        publisher=f"{_SMHI} (Länsrapport)",
        files=(SourceFile("emissions", f"{EMISSIONS_DIR}/**/smhi_lansrapport_*.xlsx"),),
        reader=Ref("smhi", "read_smhi_excel"),
        areas=True,
        peek=Ref("smhi", "peek_smhi_excel"),
        remotes=("smhi-co2", "smhi-ghg"),
    ),
    Source(
        "smhi-co2-csv",
        publisher=f"{_SMHI} (tidy CSV)",
        files=(
            SourceFile(
                "emissions", f"{_SMHI_TIDY}/co2_by_sector_subsector_all_levels_vintage2024.csv"
            ),
        ),
        reader=Ref("smhi", "read_smhi_co2_csv"),
        areas=True,
        gas=GAS_CO2,
        release="2024-04-18",
    ),
    Source(
        "smhi-ghg-csvs",
        publisher=f"{_SMHI} via Klimatbyran",
        files=tuple(
            SourceFile("emissions", f"{_SMHI_TIDY}/ghg_by_sector_{level}.csv")
            for level in ("municipality", "county", "national")
        ),
        reader=Ref("smhi", "read_smhi_ghg_csvs"),
        areas=True,
        gas=GAS_CO2E,
        release="2026",
        pass_release=True,
    ),
    Source(
        "smhi-ghg-csv",
        publisher=f"{_SMHI} via Klimatbyran",
        files=(
            SourceFile("emissions", f"{_SMHI_TIDY}/ghg_by_sector_all_levels_vintage2025.csv"),
            SourceFile(
                "emissions",
                f"{_SMHI_TIDY}/ghg_by_subsector_county_national_vintage2025.csv",
                keyword="subsector_csv",
                optional=True,
            ),
        ),
        reader=Ref("smhi", "read_smhi_ghg_all_levels_csv"),
        areas=True,
        gas=GAS_CO2E,
        release="2025",
        pass_release=True,
    ),
)


def table_sources() -> tuple[Source, ...]:
    """The sources every edition reads, one per table, in the order read (``areas`` first:
    the others check their codes against it)."""
    return tuple(s for s in SOURCES if s.table is not None)


def release_sources() -> tuple[Source, ...]:
    """The emissions releases' sources, the one that wins a tie first."""
    return tuple(s for s in SOURCES if s.table is None)


def input_file(role: str) -> str:
    """The path (relative to the source folder) of the build input with manifest role ``role``."""
    for s in table_sources():
        for f in s.files:
            if f.role == role:
                return f.path
    raise KeyError(role)


def build_inputs() -> tuple[str, ...]:
    """The files ``data build`` cannot do without besides the emissions (relative paths)."""
    return tuple(f.path for s in table_sources() if not s.optional for f in s.files)


def remote_ids() -> tuple[str, ...]:
    return tuple(r.id for r in REMOTES)


def remote(remote_id: str) -> Remote:
    """The remote ``remote_id`` (``KeyError`` when none has it)."""
    for r in REMOTES:
        if r.id == remote_id:
            return r
    raise KeyError(remote_id)


# ---------------------------------------------------------------------------------------------
# the documentation's tables

BEGIN = "<!-- registry:begin (generated from sources/registry.py) -->"
END = "<!-- registry:end -->"


def _rows() -> Iterator[str]:
    yield "| file (in the source folder) | manifest role | publisher | read by | gives | written by |"
    yield "|---|---|---|---|---|---|"
    for s in SOURCES:
        if s.table:
            gives = f"table `{s.table}`"
        elif s.peek:
            gives = f"one release per file (gas and release from the file, `{s.peek}`)"
        else:
            gives = f"release {s.gas} {s.release}"
        by = ", ".join(f"`{r}`" for r in s.remotes) or "—"
        for f in s.files:
            path = f"`{f.path}`" + (" (optional)" if f.optional or s.optional else "")
            yield f"| {path} | `{f.role}` | {s.publisher_of(f)} | `{s.reader}` | {gives} | {by} |"
    yield ""
    yield "| remote | request | lands in | converted to | what |"
    yield "|---|---|---|---|---|"
    for r in REMOTES:
        path = r.path.format_map(_Keep(r.vars))
        raw = r.raw.format_map(_Keep(r.vars))
        derived = [f.path for s in table_sources() if r.id in s.remotes for f in s.files]
        to = ", ".join(f"`{p}`" for p in derived) or "—"
        yield (f"| `{r.id}` | {r.method} `{BASES[r.base]}{path}` | `{raw}` | {to} | {r.about} |")


class _Keep(dict[str, str]):
    """``str.format_map`` leaving ``{name}`` of a missing key as it is."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def reference() -> str:
    """The source-file tables of ``docs/data-format.md``, markers included."""
    return "\n".join([BEGIN, *_rows(), END])


def _write(doc: Path) -> None:
    text = doc.read_text("utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{doc} has no {BEGIN} … {END} markers to write between")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    doc.write_text(head + reference() + tail, "utf-8")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--write"]:
        _write(Path(sys.argv[2]))
    else:
        sys.stdout.write(reference() + "\n")
