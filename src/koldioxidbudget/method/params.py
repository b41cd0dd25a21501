"""Parameters: one frozen, documented object, and the named presets.

Every number the engine produces carries the ``Parameters`` that made it. A preset is a
``Parameters`` value with a kebab-case id; ``--set key=value`` overrides single fields.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_type_hints

from ..errors import ParameterError

__all__ = [
    "DEFAULT_PRESET",
    "FIELD_DOCS",
    "PRESETS",
    "Facility",
    "LocalTarget",
    "Parameters",
    "preset",
]

Convention = Literal["A", "B", "C", "D"]
NationalMode = Literal["preset", "computed"]
Allocation = Literal["grandfathering", "per-capita", "blend", "contraction-convergence"]
InternationalTransport = Literal["overhead", "per-capita"]
Nowcast = Literal["ghg-ratio", "ols", "lad", "national-scaling"]
DeductionExcess = Literal["industri-only", "pro-rata"]
E0Basis = Literal["last-year", "trend-at-as-of"]
BaseYears = Literal["last-3", "last-1", "last-5", "trend-window", "custom"]


@dataclass(frozen=True)
class Facility:
    """A large point source kept out of its host municipality's inventory ("national facility")."""

    code: str
    name: str
    emissions_t: float


@dataclass(frozen=True)
class LocalTarget:
    """A municipality's own target: emissions ``reduction`` (0–1) below ``base_year`` by ``year``."""

    year: int
    reduction: float
    base_year: int = 1990


#: ``as_of`` of the presets as published; a scenario states its own (the service layer sets the
#: current year at the edge), so nothing in the method reads a clock
PRESET_AS_OF = 2024


@dataclass(frozen=True)
class Parameters:
    """Everything that decides a carbon budget. Frozen; change with ``dataclasses.replace``.

    Field documentation lives in ``FIELD_DOCS`` (the CLI, the API and the report read it).
    """

    preset: str = "uppsala-2024-1.7"
    # G: the global budget
    temperature_c: float = 1.7
    probability_pct: int = 50
    global_source: str = "AR6_WG1_SPM2"
    # N: Sweden's budget
    national_mode: NationalMode = "preset"
    national_budget_t: float = 285_113_000.0
    national_budget_from: int = 2024
    national_preset_temperature_c: float = 1.7
    national_preset_probability_pct: int = 50
    national_overhead_t: float = 54_797_000.0
    # the same release's published budget for a second cell: other cells lie on the straight
    # line through both points (national_other_t = 0: scaled by the ratio of global budgets)
    national_other_t: float = 80_000_000.0
    national_other_temperature_c: float = 1.5
    national_other_probability_pct: int = 50
    national_published_source: str = "AR6_WG1_SPM2"
    # N, computed chain (assumptions, documented in docs/method)
    luc_deduction_gt: float = 60.0
    cement_deduction_gt: float = 40.0
    developing_growth: float = 0.02
    developing_peak_year: int = 2025
    developing_decline: float = 0.055
    grandfathering_reference_years: tuple[int, int] = (2014, 2018)
    # L: the local share
    allocation: Allocation = "grandfathering"
    base_years: BaseYears = "last-3"
    base_years_custom: tuple[int, int] = (2020, 2022)
    blend_weight: float = 0.5
    convergence_year: int = 2040
    exclude_cement: bool = True
    cement_process_share: float = 0.63
    deduction_excess: DeductionExcess = "industri-only"
    exclude_sectors: tuple[str, ...] = ("utrikes-transporter",)
    national_facilities: tuple[Facility, ...] = ()
    international_transport: InternationalTransport = "overhead"
    # years after the last data year
    nowcast: Nowcast = "ghg-ratio"
    trend_from: int = 2015
    national_preliminary_t: tuple[tuple[int, float], ...] = ()
    # P: pathway
    e0_basis: E0Basis = "last-year"
    convention: Convention = "A"
    horizon_year: int = 2050
    residual_fraction: float = 0.0
    path_end_year: int = 2100
    as_of: int = PRESET_AS_OF
    # reference paths
    carbon_law_rate: float = 0.1172
    carbon_law_from: int = 2025
    local_targets: tuple[LocalTarget, ...] = ()
    infeasible_rate: float = 0.20
    max_delay_years: int = 10

    def __post_init__(self) -> None:
        _validate(self)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every field (tuples as lists, dataclasses as dicts)."""
        return dataclasses.asdict(self)

    def changed(self) -> dict[str, Any]:
        """The fields that differ from the preset this object names."""
        base = PRESETS.get(self.preset)
        if base is None:
            return self.to_dict()
        out = {}
        for f in dataclasses.fields(self):
            if f.name == "as_of":
                continue
            if getattr(self, f.name) != getattr(base, f.name):
                out[f.name] = getattr(self, f.name)
        return out


FIELD_DOCS: dict[str, str] = {
    "preset": "Named preset these parameters start from.",
    "temperature_c": "Warming limit of the global budget, °C above 1850–1900.",
    "probability_pct": "Likelihood (%) of staying below the warming limit.",
    "global_source": "Which published table of remaining global budgets (source_id).",
    "national_mode": "'preset': Sweden's published budget; 'computed': the full chain from the global budget.",
    "national_budget_t": "Sweden's published budget (t CO2) for the preset's temperature and probability.",
    "national_budget_from": "1 January of this year is when the national (and every local) budget starts.",
    "national_preset_temperature_c": "Temperature the published national budget is for.",
    "national_preset_probability_pct": "Probability the published national budget is for.",
    "national_overhead_t": "Part of Sweden's budget kept out of the local allocation (international transport), t CO2.",
    "national_other_t": "The same release's published budget for a second cell (t CO2); other cells lie on the straight line through both published points (0: scale by the ratio of global budgets).",
    "national_other_temperature_c": "Temperature of the second published national budget.",
    "national_other_probability_pct": "Probability of the second published national budget.",
    "national_published_source": "The table of global budgets the published national budgets were derived from (the line through them is drawn against it).",
    "luc_deduction_gt": "Computed chain: global land-use-change CO2 deducted over the horizon, Gt (assumption).",
    "cement_deduction_gt": "Computed chain: global cement process CO2 deducted over the horizon, Gt (assumption).",
    "developing_growth": "Computed chain: annual growth of developing-country CO2 until the peak year (assumption).",
    "developing_peak_year": "Computed chain: peak year of developing-country CO2 (Uppsala 'DD2': 2025).",
    "developing_decline": "Computed chain: annual decline of developing-country CO2 after the peak (assumption).",
    "grandfathering_reference_years": "Computed chain: years of Sweden's share of developed-country CO2 (first, last).",
    "allocation": "Local allocation rule: grandfathering, per-capita, blend or contraction-convergence.",
    "base_years": "Base years of grandfathering: last-3/last-1/last-5 data years, trend-window (trend_from → last), or custom.",
    "base_years_custom": "First and last base year when base_years = custom.",
    "blend_weight": "Blend: weight of grandfathering (the rest is per capita).",
    "convergence_year": "Contraction and convergence: year by which shares reach per capita.",
    "exclude_cement": "Deduct cement process CO2 (Slite, Skövde, Degerhamn) from the host municipality.",
    "cement_process_share": "Share of a cement plant's reported CO2 that is process (calcination) CO2 and deducted; the rest is kiln fuel and stays in the inventory (1 = the whole plant, as Klimatkollen).",
    "deduction_excess": "Where a deduction exceeds the host's Industri sector: 'industri-only' deducts at most the sector (warned); 'pro-rata' takes the excess from the other sectors (as Klimatkollen).",
    "exclude_sectors": "SMHI sectors left out of the local inventory.",
    "national_facilities": "Further point sources kept out of their host municipality (national facilities).",
    "international_transport": "International aviation and shipping: kept as a national overhead, or shared per capita.",
    "nowcast": "Years after the last data year: ghg-ratio (each sector carried forward with the newest greenhouse-gas release's change; later years with the national trend), OLS or LAD trend, or national-scaling with preliminary national figures.",
    "trend_from": "First year of the trend window (the window ends at the last data year).",
    "national_preliminary_t": "National preliminary totals (year, t) for national-scaling nowcasts.",
    "e0_basis": "Starting level E0: 'last-year' (emissions of the year before as_of, actual or nowcast) or 'trend-at-as-of' (the trend line's value in as_of, as Klimatkollen 2024).",
    "convention": "Rate convention: A (discrete, first year cut), B (continuous), C (discrete, first year at E0), D (finite horizon).",
    "horizon_year": "Convention D: the year by which the budget is used up; also the end of cumulative comparisons.",
    "residual_fraction": "Convention D: residual emissions kept each year, as a fraction of E0.",
    "path_end_year": "Last year listed in pathways.",
    "as_of": "The year taken as 'now': figures are computed as of 1 January of this year.",
    "carbon_law_rate": "Fixed-rate comparison path: annual cut (not the Carbon Law's ~6.7 %).",
    "carbon_law_from": "Fixed-rate comparison path: first year of the cut.",
    "local_targets": "The area's own adopted targets (year, reduction, base year).",
    "infeasible_rate": "Rates above this are flagged as beyond anything achieved so far.",
    "max_delay_years": "Cost of delay: the longest delay shown.",
}


@functools.lru_cache(maxsize=256)  # Parameters are frozen; errors are raised again, not cached
def preset(name: str, *, as_of: int) -> Parameters:
    """The preset called ``name`` (kebab id) as of the year ``as_of`` (a preset that reproduces
    published figures keeps its own). Unknown ids raise with the valid ones."""
    try:
        p = PRESETS[name]
    except KeyError:
        raise ParameterError(
            key="unknown_preset",
            value=name,
            valid=list(PRESETS),
        ) from None
    if name not in _PINNED_AS_OF:
        p = dataclasses.replace(p, as_of=as_of)
    return p


@functools.cache
def _allowed_values() -> dict[str, tuple[Any, ...]]:
    """For each Literal-typed field, its allowed values (read once from the type hints)."""
    out = {}
    for name, hint in get_type_hints(Parameters).items():
        if getattr(hint, "__origin__", None) is Literal:
            out[name] = get_args(hint)
    return out


def _validate(p: Parameters) -> None:
    for name, allowed in _allowed_values().items():
        value = getattr(p, name)
        if value not in allowed:
            raise ParameterError(
                key="not_allowed",
                name=name,
                value=str(value),
                valid=[str(a) for a in allowed],
            )
    _check_finite(p)
    years = (YEAR_MIN, YEAR_MAX)
    checks = [
        (p.temperature_c > 0, _positive("temperature_c")),
        (p.temperature_c <= MAX_TEMPERATURE_C, _between("temperature_c", 0, MAX_TEMPERATURE_C)),
        (0 < p.probability_pct < 100, _between("probability_pct", 0, 100)),
        (p.national_budget_t > 0, _positive("national_budget_t")),
        (
            p.national_budget_t <= MAX_NATIONAL_GT * 1e9,
            _tonnes("national_budget_t", MAX_NATIONAL_GT),
        ),
        (
            0 <= p.national_overhead_t < p.national_budget_t,
            _below("national_overhead_t", "national_budget_t"),
        ),
        (
            0 <= p.national_other_t <= MAX_NATIONAL_GT * 1e9,
            _tonnes("national_other_t", MAX_NATIONAL_GT),
        ),
        *(
            (0 < getattr(p, n) <= MAX_TEMPERATURE_C, _between(n, 0, MAX_TEMPERATURE_C))
            for n in ("national_preset_temperature_c", "national_other_temperature_c")
        ),
        *(
            (0 < getattr(p, n) < 100, _between(n, 0, 100))
            for n in ("national_preset_probability_pct", "national_other_probability_pct")
        ),
        *(
            (0 <= getattr(p, n) <= MAX_DEDUCTION_GT, _between(n, 0, MAX_DEDUCTION_GT))
            for n in ("luc_deduction_gt", "cement_deduction_gt")
        ),
        (-1 < p.developing_growth < 1, _between("developing_growth", -1, 1)),
        (0 <= p.developing_decline < 1, _below("developing_decline", 1)),
        (0 <= p.blend_weight <= 1, _between("blend_weight", 0, 1)),
        (0 <= p.cement_process_share <= 1, _between("cement_process_share", 0, 1)),
        (0 <= p.residual_fraction < 1, _below("residual_fraction", 1)),
        (0 < p.carbon_law_rate < 1, _between("carbon_law_rate", 0, 1)),
        (1990 <= p.as_of <= 2100, _year("as_of", 1990, 2100)),
        (1990 <= p.national_budget_from <= 2100, _year("national_budget_from", 1990, 2100)),
        *(
            (YEAR_MIN <= getattr(p, n) <= YEAR_MAX, _year(n, *years))
            for n in (
                "developing_peak_year",
                "convergence_year",
                "trend_from",
                "horizon_year",
                "path_end_year",
                "carbon_law_from",
            )
        ),
        *(
            (all(YEAR_MIN <= y <= YEAR_MAX for y in getattr(p, n)), _year(n, *years))
            for n in ("grandfathering_reference_years", "base_years_custom")
        ),
        (
            p.horizon_year > p.as_of,
            _why(
                key="must_be_after",
                name="horizon_year",
                other="as_of",
            ),
        ),
        (
            p.path_end_year >= p.horizon_year,
            _why(
                key="must_not_be_before",
                name="path_end_year",
                other="horizon_year",
            ),
        ),
        (
            p.base_years_custom[0] <= p.base_years_custom[1],
            _why(
                key="first_after_last",
                name="base_years_custom",
            ),
        ),
        (
            p.grandfathering_reference_years[0] <= p.grandfathering_reference_years[1],
            _why(
                key="first_after_last",
                name="grandfathering_reference_years",
            ),
        ),
        (0 <= p.max_delay_years <= 30, _between("max_delay_years", 0, 30)),
        (0 < p.infeasible_rate < 1, _between("infeasible_rate", 0, 1)),
        (
            all(0 <= f.emissions_t <= MAX_FACILITY_GT * 1e9 for f in p.national_facilities),
            _tonnes("national_facilities", MAX_FACILITY_GT),
        ),
        (
            all(0 <= t <= MAX_FACILITY_GT * 1e9 for _, t in p.national_preliminary_t),
            _tonnes("national_preliminary_t", MAX_FACILITY_GT),
        ),
        (
            all(YEAR_MIN <= y <= YEAR_MAX for y, _ in p.national_preliminary_t),
            _year("national_preliminary_t", *years),
        ),
        (
            all(
                YEAR_MIN <= t.year <= YEAR_MAX and YEAR_MIN <= t.base_year <= YEAR_MAX
                for t in p.local_targets
            ),
            _year("local_targets", *years),
        ),
    ]
    for ok, (key, slots) in checks:
        if not ok:
            raise ParameterError(key=key, **slots)
    for t in p.local_targets:
        if not (0 <= t.reduction <= 1):
            raise ParameterError(
                key="target_reduction_not_fraction",
                reduction=repr(t.reduction),
            )


#: Bounds no real parameter comes near; beyond them the arithmetic would lose its meaning
#: (a budget so large that a yearly cut rounds to 0, years that overflow a date).
MAX_TEMPERATURE_C = 10
#: tonnes: Sweden's budget (about 0.3 Gt today) and a second published cell, at most 100 Gt
MAX_NATIONAL_GT = 100
#: tonnes per year of one facility or of Sweden's preliminary total (Sweden: about 0.04 Gt)
MAX_FACILITY_GT = 10
#: Gt deducted from the global budget (the whole remaining budget is a few hundred Gt)
MAX_DEDUCTION_GT = 10_000
#: the same years the API accepts (web/query.py)
YEAR_MIN, YEAR_MAX = 1900, 2200


def _check_finite(p: Parameters) -> None:
    """Every number of ``p`` (in lists too) is finite: ``nan`` or ``inf`` would make every
    budget not-a-number (and the JSON invalid) without an error."""
    for name in _field_names(Parameters):
        value = getattr(p, name)
        if isinstance(value, float):  # most fields: checked without building lists
            if not math.isfinite(value):
                raise ParameterError(key="must_be_finite", name=name, value=repr(value))
            continue
        if not isinstance(value, tuple):
            continue
        for item in value:
            parts = (
                [getattr(item, g) for g in _field_names(type(item))]
                if dataclasses.is_dataclass(item) and not isinstance(item, type)
                else list(item)
                if isinstance(item, tuple)
                else [item]
            )
            for v in parts:
                if isinstance(v, float) and not math.isfinite(v):
                    raise ParameterError(key="must_be_finite", name=name, value=repr(v))


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _why(*, key: str, **slots: object) -> tuple[str, dict[str, object]]:
    """A failed check's reason: its catalogue key (``errors.<key>``) and slots."""
    return key, slots


_Why = tuple[str, dict[str, object]]


def _positive(name: str) -> _Why:
    return _why(key="must_be_positive", name=name)


def _between(name: str, low: int, high: int) -> _Why:
    return _why(
        key="must_be_between",
        name=name,
        low=low,
        high=high,
    )


def _below(name: str, limit: str | int) -> _Why:
    return _why(
        key="must_be_nonnegative_below",
        name=name,
        limit=limit,
    )


def _tonnes(name: str, limit_gt: int) -> _Why:
    return _why(
        key="tonnes_out_of_range",
        name=name,
        limit=limit_gt,
    )


def _year(name: str, low: int, high: int) -> _Why:
    return _why(
        key="year_out_of_range",
        name=name,
        low=low,
        high=high,
    )


_UPPSALA_OVERHEAD_SHARE = 54_797_000.0 / 285_113_000.0

PRESETS: dict[str, Parameters] = {}


def _register(p: Parameters) -> None:
    PRESETS[p.preset] = p


_register(Parameters())
_register(
    Parameters(
        preset="uppsala-2024-1.5",
        temperature_c=1.5,
        national_budget_t=80_000_000.0,
        national_preset_temperature_c=1.5,
        national_overhead_t=80_000_000.0 * _UPPSALA_OVERHEAD_SHARE,
        national_other_t=285_113_000.0,
        national_other_temperature_c=1.7,
    )
)
_register(
    Parameters(
        preset="uppsala-2022-1.7",
        national_budget_t=355_000_000.0,
        national_budget_from=2022,
        national_overhead_t=355_000_000.0 * _UPPSALA_OVERHEAD_SHARE,
        national_other_t=170_000_000.0,
    )
)
_register(
    Parameters(
        preset="uppsala-2022-1.5",
        temperature_c=1.5,
        national_budget_t=170_000_000.0,
        national_budget_from=2022,
        national_preset_temperature_c=1.5,
        national_overhead_t=170_000_000.0 * _UPPSALA_OVERHEAD_SHARE,
        national_other_t=355_000_000.0,
        national_other_temperature_c=1.7,
    )
)
_register(
    Parameters(
        preset="klimatkollen-2024",
        temperature_c=1.5,
        national_budget_t=80_000_000.0,
        national_budget_from=2024,
        national_preset_temperature_c=1.5,
        national_overhead_t=80_000_000.0 * 55.0 / 285.0,
        national_other_t=285_113_000.0,
        national_other_temperature_c=1.7,
        base_years="trend-window",
        exclude_cement=True,
        cement_process_share=1.0,
        deduction_excess="pro-rata",
        international_transport="overhead",
        nowcast="ols",
        e0_basis="trend-at-as-of",
        convention="B",
        as_of=2024,
    )
)

_register(
    Parameters(
        preset="klimatsekretariatet-2024",
        international_transport="per-capita",
    )
)

DEFAULT_PRESET = "uppsala-2024-1.7"
#: Presets whose ``as_of`` is pinned (published figures); the others take the scenario's year.
_PINNED_AS_OF = {"klimatkollen-2024"}
