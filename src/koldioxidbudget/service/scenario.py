"""The Scenario: edition + parameters + customer profile + previous edition, assembled once.

Every output (the CLI, the API, the report, the site) asks for its scenario here, from typed
inputs (a :class:`ScenarioSpec`: ``Parameters``, never strings), and reads the same results from
it: the headline run, every temperature × probability cell (``method/cells.py``), the 1,5 °C
variant, the previous edition's run and what changed since it. Each result is computed the first
time it is asked for and kept with the scenario, so a number is computed once per scenario and
every output shows that one.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from dataclasses import dataclass, field
from typing import Any

from ..edition import EditionInfo, load_edition, previous_edition, resolve_edition
from ..errors import KoldioxidbudgetError
from ..method.budget import BudgetRun, compute_budgets
from ..method.cells import VARIANT_CELL, cell_id, compute_cells
from ..method.params import LocalTarget, Parameters
from ..schema import Tables
from .inputs import named

__all__ = ["SCENARIO_CACHE_SIZE", "Scenario", "ScenarioSpec", "assemble", "scenario"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScenarioSpec:
    """What decides a scenario, hashable and picklable (a worker process assembles its own)."""

    params: Parameters = field(default_factory=named)
    edition: str | None = None
    profile: str | None = None
    editions_dir: str | None = None


@dataclass(frozen=True, eq=False)
class Scenario:
    """One scenario and, computed on first use, everything an output reads from it."""

    tables: Tables
    params: Parameters
    edition: EditionInfo | None = None
    profile: Any = None  # profile.Profile
    previous: EditionInfo | None = None
    adoption: Tables | None = None
    editions_dir: str | None = None

    @functools.cached_property
    def run(self) -> BudgetRun:
        """Every area's budget under the scenario's parameters (the headline)."""
        return compute_budgets(
            tables=self.tables, params=self.params, adoption_tables=self.adoption
        )

    @functools.cached_property
    def cells(self) -> dict[str, BudgetRun]:
        """Every temperature × probability cell of the global-budget source, the headline's own
        cell first (it is :attr:`run`)."""
        return compute_cells(self.tables, self.params, own=self.run)

    @property
    def own_cell(self) -> str:
        return cell_id(self.params.temperature_c, self.params.probability_pct)

    @property
    def variant(self) -> BudgetRun | None:
        """The 1,5 °C / 50 % cell, shown beside a headline computed for another cell."""
        if self.own_cell == VARIANT_CELL:
            return None
        return self.cells.get(VARIANT_CELL)

    @functools.cached_property
    def previous_tables(self) -> Tables | None:
        if self.previous is None:
            return None
        return load_edition(self.previous.id, gas=None, into=self.editions_dir)

    @functools.cached_property
    def previous_run(self) -> BudgetRun | None:
        """The previous edition under the same parameters (None when there is none, or when the
        current method cannot read it)."""
        if self.previous_tables is None:
            return None
        try:
            return compute_budgets(tables=self.previous_tables, params=self.params)
        except KoldioxidbudgetError as e:
            log.warning("previous edition %s skipped: %s", self.previous_tables.edition_id, e)
            return None

    @functools.cached_property
    def changes(self) -> dict[str, Any]:
        """Per area code, what changed since the previous edition and why (``diff.AreaChange``)."""
        if self.previous_tables is None:
            return {}
        from .changes import explain_all

        return {c.code: c for c in explain_all(self.previous_tables, self.tables, self.params)}


def assemble(
    params: Parameters | None = None,
    *,
    edition: str | None = None,
    profile: Any = None,
    editions_dir: str | None = None,
    tables: Tables | None = None,
    previous: bool | str = True,
) -> Scenario:
    """The scenario for ``params`` (default: the default preset) on ``edition`` (default: the
    current CO2 edition), with the customer's ``profile`` (a ``profile.Profile``) applied: its
    local targets join the parameters and its adopted edition becomes the ledger's reference.

    ``tables`` skips loading (tests and callers that hold an edition already); the previous
    edition is then unknown. ``previous``: True compares with the edition before
    (``edition.previous_edition``, the one definition), an edition id with that edition (an
    update compares with the edition its site showed), False with none.
    """
    p = params or named()
    info = None
    prev = None
    if tables is None:
        info = resolve_edition(edition, into=editions_dir)
        tables = load_edition(info.id, into=editions_dir, subsectors=True)
        if isinstance(previous, str):
            prev = resolve_edition(previous, gas=None, into=editions_dir)
        elif previous:
            prev = previous_edition(info.id, into=editions_dir)
    adoption = None
    if profile is not None:
        if profile.local_targets:
            targets = tuple(LocalTarget(y, r, b) for y, r, b in profile.local_targets)
            p = dataclasses.replace(p, local_targets=targets)
        if profile.adopted_edition:
            adoption = load_edition(profile.adopted_edition, into=editions_dir)
    return Scenario(
        tables=tables,
        params=p,
        edition=info,
        profile=profile,
        previous=prev,
        adoption=adoption,
        editions_dir=editions_dir,
    )


#: how many scenarios a process keeps (a server asked for many parameter sets stays bounded)
SCENARIO_CACHE_SIZE = 16


@functools.lru_cache(maxsize=SCENARIO_CACHE_SIZE)
def scenario(spec: ScenarioSpec) -> Scenario:
    """The scenario ``spec`` describes, assembled once per process and kept while it is among
    the ``SCENARIO_CACHE_SIZE`` most recently used."""
    from ..profile import load_profile

    prof = load_profile(spec.profile) if spec.profile else None
    return assemble(spec.params, edition=spec.edition, profile=prof, editions_dir=spec.editions_dir)
