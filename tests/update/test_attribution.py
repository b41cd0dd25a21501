"""Attribution of a change to its causes (method/attribution.py): the parts add up to the total,
each cause moves only when its input changes, and the end states are the engine's own results."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koldioxidbudget.method.attribution import CAUSES, QUANTITIES, attribute_change
from koldioxidbudget.method.budget import compute_budgets
from koldioxidbudget.service.inputs import parameters_from
from tests.conftest import make_tables

YEARS_OLD = (1990, 2015, 2016, 2017, 2018, 2019, 2020, 2021)
YEARS_NEW = (*YEARS_OLD, 2022)
LEVELS_NEW = {
    "0101": [100.0, 80.0, 78.0, 76.0, 74.0, 72.0, 70.0, 68.0, 66.0],
    "0102": [50.0, 40.0, 40.0, 40.0, 40.0, 40.0, 40.0, 40.0, 40.0],
    "0201": [200.0, 150.0, 145.0, 140.0, 135.0, 130.0, 125.0, 120.0, 115.0],
}


def params(**changes: object):  # type: ignore[no-untyped-def]
    return dataclasses.replace(parameters_from(), as_of=2026, **changes)


def old_levels(revise: float = 1.0) -> dict[str, list[float]]:
    """The first eight years of ``LEVELS_NEW``, 2015 on multiplied by ``revise``."""
    return {
        c: [v * (revise if y >= 2015 else 1.0) for y, v in zip(YEARS_OLD, vals, strict=False)]
        for c, vals in LEVELS_NEW.items()
    }


def assert_adds_up(a) -> None:  # type: ignore[no-untyped-def]
    for q in QUANTITIES:
        total = a.values[q][-1] - a.values[q][0]
        scale = np.maximum(1.0, np.abs(a.values[q]).max(axis=0))
        assert np.all(np.abs(a.parts(q).sum(axis=0) - total) <= 1e-9 * scale), q


def test_attribution_parts_add_up_and_end_states_are_the_engine() -> None:
    old = make_tables(years=YEARS_OLD, levels=old_levels(1.05))
    new = make_tables(
        years=YEARS_NEW, levels=LEVELS_NEW, population={"0101": 1200, "0102": 3000, "0201": 900}
    )
    p_old, p_new = params(), params(allocation="blend", convention="B", temperature_c=1.5)
    a = attribute_change(old=old, new=new, old_params=p_old, new_params=p_new)
    assert_adds_up(a)
    r0 = compute_budgets(tables=old, params=p_old)
    r5 = compute_budgets(tables=new, params=p_new)
    assert np.array_equal(a.values["budget_t"][0], r0.budget_t)
    assert np.array_equal(a.values["budget_t"][-1], r5.budget_t)
    assert np.array_equal(a.values["rate"][-1], r5.rate)
    assert a.revised_years == tuple(range(2015, 2022))
    assert a.added_years == (2022,) and a.dropped_years == ()
    assert a.changed_params == {
        "global-national": ("temperature_c",),
        "parameters": ("allocation", "convention"),
    }
    assert {"emissions", "population"} <= set(a.changed_tables)


def test_attribution_revision_only_moves_the_revision_part() -> None:
    old = make_tables(
        years=YEARS_NEW, levels={c: [v * 1.1 for v in vals] for c, vals in LEVELS_NEW.items()}
    )
    new = make_tables(years=YEARS_NEW, levels=LEVELS_NEW)
    a = attribute_change(old=old, new=new, old_params=params())
    parts = a.parts("remaining_t")
    assert np.abs(parts[0]).max() > 0
    assert np.all(parts[1:] == 0)
    assert a.added_years == ()


def test_attribution_new_year_only_moves_the_new_years_part() -> None:
    old = make_tables(years=YEARS_OLD, levels=old_levels())
    new = make_tables(years=YEARS_NEW, levels=LEVELS_NEW)
    a = attribute_change(old=old, new=new, old_params=params())
    parts = a.parts("budget_t")
    assert np.all(parts[CAUSES.index("revision")] == 0)
    assert np.abs(parts[CAUSES.index("new-years")]).max() > 0
    assert np.all(parts[2:] == 0)
    assert a.revised_years == ()


def test_attribution_population_moves_the_population_part_under_per_capita() -> None:
    old = make_tables(population={"0101": 1000, "0102": 2000, "0201": 1000})
    new = make_tables()
    a = attribute_change(old=old, new=new, old_params=params(allocation="per-capita"))
    parts = a.parts("budget_t")
    k = CAUSES.index("population")
    assert np.abs(parts[k]).max() > 0
    assert np.all(np.delete(parts, k, axis=0) == 0)
    assert_adds_up(a)


def test_attribution_parameter_sets_on_one_edition() -> None:
    t = make_tables()
    a = attribute_change(
        old=t, new=t, old_params=params(temperature_c=1.5), new_params=params(convention="B")
    )
    b = a.parts("budget_t")
    assert np.all(b[[0, 1, 3]] == 0)
    assert np.all(b[CAUSES.index("global-national")] > 0)  # 1.5 °C → 1.7 °C: a larger budget
    r = a.parts("rate")
    assert np.abs(r[CAUSES.index("parameters")]).max() > 0  # convention A → B
    assert_adds_up(a)


def test_attribution_unseparable_step_is_carried_by_the_next() -> None:
    # the old parameters' base years (2015–2016) do not exist in the new data: the intermediate
    # states cannot be computed, and the causes fall to "parameters" (recorded in merged)
    old = make_tables(years=YEARS_OLD, levels=old_levels())
    years = (1990, 2017, 2018, 2019, 2020, 2021, 2022)
    new = make_tables(years=years, levels={c: [v[0], *v[3:]] for c, v in LEVELS_NEW.items()})
    p_old = params(base_years="custom", base_years_custom=(2015, 2016))
    a = attribute_change(old=old, new=new, old_params=p_old, new_params=params())
    assert a.merged == {
        "new-years": "parameters",
        "global-national": "parameters",
        "population": "parameters",
    }
    assert a.dropped_years == (2015, 2016)
    assert_adds_up(a)


@settings(max_examples=12, deadline=None)
@given(
    revise=st.floats(0.5, 2.0),
    extra=st.floats(0.2, 3.0),
    pop=st.integers(100, 100_000),
    temperature=st.sampled_from([1.5, 1.7, 2.0]),
    rule=st.sampled_from(["grandfathering", "per-capita", "blend"]),
    convention=st.sampled_from(["A", "B", "C"]),
)
def test_attribution_adds_up_for_any_change(
    revise: float, extra: float, pop: int, temperature: float, rule: str, convention: str
) -> None:
    old = make_tables(years=YEARS_OLD, levels=old_levels(revise))
    levels = {c: [*v[:-1], v[-1] * extra] for c, v in LEVELS_NEW.items()}
    new = make_tables(
        years=YEARS_NEW, levels=levels, population={"0101": pop, "0102": 3000, "0201": 1000}
    )
    a = attribute_change(
        old=old,
        new=new,
        old_params=params(),
        new_params=params(temperature_c=temperature, allocation=rule, convention=convention),
    )
    assert_adds_up(a)
    # counties are their municipalities' sums in every state, so their parts are too
    i = {c: k for k, c in enumerate(a.codes)}
    for q in ("budget_t", "remaining_t"):
        parts = a.parts(q)
        assert parts[:, i["01"]] == pytest.approx(
            parts[:, i["0101"]] + parts[:, i["0102"]], abs=1e-6
        )
