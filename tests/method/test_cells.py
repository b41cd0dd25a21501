"""Every temperature/probability cell gives one answer for Sweden, whichever preset it is reached
from, and every published pair is reproduced (METHOD.md N; docs/method.md)."""

from __future__ import annotations

import dataclasses

import pytest

from koldioxidbudget.method.global_budget import global_cells
from koldioxidbudget.method.national import national_budget
from koldioxidbudget.method.params import PRESETS
from koldioxidbudget.schema import Tables

#: the published national budgets (Uppsala University / Klimatsekretariatet briefing notes)
PUBLISHED = {
    ("uppsala-2024", 1.7, 50): 285_113_000.0,
    ("uppsala-2024", 1.5, 50): 80_000_000.0,
    ("uppsala-2022", 1.7, 50): 355_000_000.0,
    ("uppsala-2022", 1.5, 50): 170_000_000.0,
}
FAMILIES = {
    "uppsala-2024": ("uppsala-2024-1.7", "uppsala-2024-1.5", "klimatsekretariatet-2024"),
    "uppsala-2022": ("uppsala-2022-1.7", "uppsala-2022-1.5"),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_cell_same_from_every_preset_of_a_release(real: Tables, family: str) -> None:
    for source, temp, prob in global_cells(real):
        budgets = []
        for name in FAMILIES[family]:
            p = dataclasses.replace(
                PRESETS[name], global_source=source, temperature_c=temp, probability_pct=prob
            )
            budgets.append(national_budget(tables=real, params=p).budget_t)
        assert budgets == pytest.approx([budgets[0]] * len(budgets), rel=1e-12), (
            source,
            temp,
            prob,
        )
        published = PUBLISHED.get((family, temp, prob))
        if published is not None and source == "AR6_WG1_SPM2":
            assert budgets[0] == pytest.approx(published, rel=1e-12)


def test_klimatkollen_cells_on_the_same_line(real: Tables) -> None:
    for temp in (1.5, 1.7, 2.0):
        a = dataclasses.replace(PRESETS["klimatkollen-2024"], temperature_c=temp)
        b = dataclasses.replace(PRESETS["uppsala-2024-1.7"], temperature_c=temp)
        assert national_budget(tables=real, params=a).budget_t == pytest.approx(
            national_budget(tables=real, params=b).budget_t
        )


def test_cells_beyond_the_published_points_are_flagged(real: Tables) -> None:
    base = PRESETS["uppsala-2024-1.7"]
    inside = national_budget(tables=real, params=dataclasses.replace(base, probability_pct=67))
    beyond = national_budget(tables=real, params=dataclasses.replace(base, temperature_c=2.0))
    assert inside.derived_from_preset and not inside.extrapolated
    assert beyond.derived_from_preset and beyond.extrapolated
