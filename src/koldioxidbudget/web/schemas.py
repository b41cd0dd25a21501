"""Pydantic models of the API's responses, for the OpenAPI description only.

Responses are serialised straight from the engine's results (``service.budget_document``, the
same contract as ``budget --format json``); these models describe that contract so clients and
schemathesis can check it. Numbers that are undefined (e.g. a ratio to an exhausted budget)
are ``null``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..method.budget import ResultWarning
from ..method.scenarios import PathId
from ..schema import Level

__all__ = [
    "AreaBudget",
    "AreaDetail",
    "AreaList",
    "AreaSummary",
    "BudgetDocument",
    "EditionList",
    "EditionSummary",
    "Licence",
    "ProblemDetails",
]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class InvalidParam(_Open):
    name: str = Field(description="The query or path parameter that is wrong.")
    reason: str = Field(description="Why it is wrong.")
    allowed: Any = Field(None, description="The values or syntax it accepts.")
    value: str | None = Field(None, description="The value given (cut to 100 characters).")


class Suggestion(BaseModel):
    code: str
    name: str
    href: str


class ProblemDetails(_Open):
    """RFC 9457 problem details."""

    type: str = Field(description="Link to the docs page section on this kind of problem.")
    title: str
    status: int
    detail: str = Field(description="What happened, why, and what to do.")
    instance: str = Field(description="The request path.")
    invalid_params: list[InvalidParam] | None = Field(None, alias="invalid-params")
    suggestions: list[Suggestion] | None = None
    incident: str | None = Field(None, description="Log id of an internal error.")


class Links(_Open):
    self: str
    budget: str | None = None
    report_pdf: str | None = None
    report_html: str | None = None


class AreaSummary(BaseModel):
    """An area with its key figures under the default parameters of a preset."""

    code: str
    name: str
    level: Level
    lan_code: str
    budget_t: float | None
    budget_from: int
    share: float | None
    remaining_t: float | None
    remaining_as_of: int
    e0_t: float | None
    e0_year: int
    e0_estimated: bool
    rate: float | None
    rate_convention: str
    years_left: float | None
    exhaustion_year: int | None
    trend_exhaustion_date: _dt.date | None
    one_in_n: int | None
    recent_change: float | None
    population: float | None
    budget_per_capita_t: float | None
    emissions_per_capita_t: float | None
    links: Links


class AreaList(BaseModel):
    edition: str
    method_version: str
    preset: str
    as_of: int
    areas: list[AreaSummary]


class AreaDetail(BaseModel):
    edition: str
    method_version: str
    preset: str
    as_of: int
    area: AreaSummary


class YearValue(BaseModel):
    year: int
    t: float | None


class HistoryPoint(YearValue):
    estimated: bool


class SectorFigure(BaseModel):
    sector: str
    share: float | None
    emissions_t: float | None
    year: int
    change_per_year: float | None
    budget_t: float | None
    years_of_budget_per_year: float | None


class DelayCase(BaseModel):
    delay_years: int
    start_year: int
    remaining_t: float | None
    rate: float | None
    extra_t: float | None
    near_zero_year: float | None
    exhausted: bool
    infeasible: bool


class TargetCheck(BaseModel):
    cumulative_t: float | None
    budget_t: float | None
    ratio: float | None
    within_budget: bool
    overshoot_t: float | None


class LedgerRow(BaseModel):
    year: int
    opening_t: float | None
    emitted_t: float | None
    estimated: bool
    closing_t: float | None
    planned_t: float | None
    variance_t: float | None
    cumulative_variance_t: float | None
    on_track: bool | None


class AreaBudget(BaseModel):
    """One area's full result (docs/api.md, the JSON contract)."""

    code: str
    name: str
    level: Level
    lan_code: str
    budget_t: float | None
    budget_from: int
    share: float | None
    remaining_t: float | None
    remaining_as_of: int
    remaining_estimated: bool = Field(
        description="Whether the emissions subtracted to reach remaining_t include estimated years."
    )
    estimated_years: list[int] = Field(
        description="Years whose emissions are estimated (after the last published statistics)."
    )
    members_available_t: float | None = Field(
        description="For a county or Sweden: the sum of its members' remaining budgets that are "
        "still positive (null for a municipality)."
    )
    members_overspent_t: float | None = Field(
        description="For a county or Sweden: how far its members that have spent their budgets "
        "are past them, in tonnes (null for a municipality)."
    )
    e0_t: float | None
    e0_year: int
    e0_estimated: bool
    rate: float | None
    rate_convention: str
    years_left: float | None
    exhaustion_year: int | None
    burn_share: float | None
    one_in_n: int | None
    recent_change: float | None
    trend_method: str
    trend_slope_t: float | None
    trend_intercept_t: float | None
    trend_exhaustion_date: _dt.date | None
    trend_zero_year: float | None
    near_zero_year: float | None
    linear_zero_year: float | None
    population: float | None
    population_year: int
    budget_per_capita_t: float | None
    emissions_per_capita_t: float | None
    per_capita_context: dict[str, dict[str, Any]] | None = Field(
        description="Per-capita figures of the area's county and of Sweden, for comparison."
    )
    exhausted: bool
    infeasible: bool
    last_data_year: int
    history: list[HistoryPoint]
    sectors: list[SectorFigure]
    pathway: list[YearValue]
    references: dict[PathId, list[YearValue]]
    cumulative_t: dict[PathId, float | None]
    cost_of_delay: list[DelayCase]
    target_check: TargetCheck | None
    ledger: list[LedgerRow]
    warnings: list[ResultWarning]


class National(BaseModel):
    mode: str
    budget_t: float | None
    budget_from: int
    overhead_t: float | None
    allocated_t: float | None
    global_budget_gt: float | None
    global_source: str


class Step(_Open):
    id: str


class BudgetDocument(BaseModel):
    """The JSON contract of ``koldioxidbudget budget --format json`` (docs/api.md)."""

    edition: str
    method_version: str
    parameters: dict[str, Any] = Field(description="Every Parameters field (docs/method.md).")
    national: National
    steps: list[Step]
    areas: list[AreaBudget]


class EditionSummary(_Open):
    id: str
    gas: str
    release: str
    publisher: str | None = None
    data_years: list[int]
    last_data_year: int
    method_version: str | None = None
    built_at: str
    links: dict[str, str]
    current: bool = Field(
        default=False, description="Whether this is the current edition of its gas."
    )


class EditionList(BaseModel):
    editions: list[EditionSummary]
    current: dict[str, str] = Field(
        default_factory=dict, description="The current edition per gas (what the server uses)."
    )
    current_since: str | None = Field(
        default=None, description="When the current editions last changed (ISO 8601, UTC)."
    )


class SourceNote(_Open):
    role: str
    path: str | None = None
    publisher: str | None = None
    licence: str
    licence_url: str | None = None
    attribution: str


class Licence(BaseModel):
    edition: str
    licence: str = Field(
        description="Licence of the derived data (the budgets) this server publishes."
    )
    note: str
    sources: list[SourceNote]
