"""``data diff``: two real CO2 editions (a simulated previous SMHI release through 2021, with
Stockholm county revised and an older population, and the real 2024-04-18 release), every area's
change attributed, worded and tabled."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from koldioxidbudget.edition import load_edition, resolve_edition
from koldioxidbudget.method.attribution import CAUSES, QUANTITIES
from koldioxidbudget.method.budget import compute_budgets
from koldioxidbudget.service.inputs import parameters_from
from koldioxidbudget.story.changes import (
    AreaChange,
    Part,
    QuantityChange,
    changes,
    diff_editions,
    diff_report,
    explain_change,
    previous_edition,
    sentence,
    table_rows,
    year_ranges,
)
from tests.conftest import run_cli


def cli(*args: str, editions: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, editions=editions)


def test_diff_real_editions_every_area_adds_up_exactly(pair: tuple[Path, str, str]) -> None:
    root, old, new = pair
    p = dataclasses.replace(parameters_from(), as_of=2026)
    a = diff_editions(old, new, params=p, into=root)
    assert len(a.codes) == 312 and not a.only_old and not a.only_new
    for q in QUANTITIES:
        total = a.values[q][-1] - a.values[q][0]
        scale = np.maximum(1.0, np.abs(a.values[q]).max(axis=0))
        assert np.all(np.abs(a.parts(q).sum(axis=0) - total) <= 1e-9 * scale), q
    # the end states are the engine's results on each edition
    for eid, k in ((old, 0), (new, -1)):
        run = compute_budgets(tables=load_edition(eid, into=root), params=p)
        assert np.array_equal(a.values["budget_t"][k], run.budget_t)
        assert np.array_equal(a.values["remaining_t"][k], run.remaining_t)
    assert a.revised_years == tuple(range(2015, 2022))
    assert a.added_years == (2022,)
    assert a.changed_params == {"global-national": (), "parameters": ()}
    # Stockholm county was revised: its municipalities' revision parts are not zero
    i = a.index("0180")
    assert a.parts("remaining_t")[CAUSES.index("revision"), i] != 0
    # the same parameters on both sides: no parameter or global part
    assert np.all(a.parts("budget_t")[CAUSES.index("global-national")] == 0)
    assert np.all(a.parts("budget_t")[CAUSES.index("parameters")] == 0)


def test_diff_population_part_under_blend(pair: tuple[Path, str, str]) -> None:
    root, old, new = pair
    p = parameters_from(None, {"allocation": "blend", "as_of": "2026"})
    a = diff_editions(old, new, params=p, into=root)
    k = CAUSES.index("population")
    # Uppsala's older population was 10 % lower: with the population update its per-capita half grows
    assert a.parts("budget_t")[k, a.index("0380")] > 0
    assert a.parts("budget_t")[k, a.index("0180")] < 0


def test_diff_explain_change_is_the_library_entry(pair: tuple[Path, str, str]) -> None:
    root, old, new = pair
    p = dataclasses.replace(parameters_from(), as_of=2026)
    o, n = load_edition(old, into=root), load_edition(new, into=root)
    c = explain_change(o, n, p, "0380")
    assert isinstance(c, AreaChange) and c.name == "Uppsala"
    assert [x.cause for x in c.budget.parts] == list(CAUSES)
    assert sum(x.delta for x in c.budget.parts) == pytest.approx(c.budget.total, abs=1e-6)
    assert sum(x.points or 0 for x in c.budget.parts) == pytest.approx(c.budget.relative * 100)
    assert explain_change(o, n, p, "0380") == c  # cached attribution, same numbers
    sv, en = sentence(c, "sv"), sentence(c, "en")
    assert sv.startswith("Budgeten är ") and "det nya dataåret 2022" in sv
    assert en.startswith("The budget is ") and "the new data year 2022" in en


def test_diff_sentence_parts_add_up_to_the_headline(pair: tuple[Path, str, str]) -> None:
    root, old, new = pair
    a = diff_editions(old, new, params=parameters_from(None, {"as_of": "2026"}), into=root)
    checked = 0
    for c in changes(a):
        s = sentence(c, "sv")
        m = re.match(r"Budgeten är ([\d,]+)\xa0% (mindre|större)", s)
        if not m:
            assert "densamma" in s
            continue
        head = float(m.group(1).replace(",", "."))
        along = [
            float(x.replace(",", "."))
            for x in re.findall(r"([\d,]+) (?:procentenheter? )?(?:beror )?på", s.split("medan")[0])
        ]
        against = re.findall(r"medan ([\d,]+) procentenhet", s)
        total = sum(along) - sum(float(x.replace(",", ".")) for x in against)
        assert total == pytest.approx(head), s
        checked += 1
    assert checked > 250


def test_diff_sentence_wording() -> None:
    parts = (
        Part("revision", -8.0, -8.0),
        Part("new-years", -5.0, -5.0),
        Part("global-national", 0.0, 0.0),
        Part("population", 1.0, 1.0),
        Part("parameters", 0.0, 0.0),
    )
    q = QuantityChange("budget_t", 100.0, 88.0, parts)
    c = AreaChange(
        code="0380",
        name="Uppsala",
        level="kommun",
        old_edition="a",
        new_edition="b",
        budget=q,
        remaining=q,
        rate=QuantityChange(
            "rate", 0.108, 0.12, tuple(Part(p.cause, -p.delta / 1000, -p.delta / 10) for p in parts)
        ),
        budget_from=(2024, 2024),
        as_of=(2026, 2026),
        added_years=(2022,),
        dropped_years=(),
        revised_years=(2015, 2016, 2017, 2018, 2019, 2020, 2021),
        changed_params={"global-national": (), "parameters": ()},
        changed_tables=("emissions", "population"),
        merged={},
    )
    assert sentence(c, "sv") == (
        "Budgeten är 12\xa0% mindre än i förra utgåvan: 8 procentenheter beror på revideringar av "
        "redan publicerade år (2015–2021) och 5 på det nya dataåret 2022, medan 1 procentenhet åt "
        "andra hållet beror på ny befolkningsstatistik."
    )
    assert sentence(c, "en") == (
        "The budget is 12% smaller than in the previous edition: 8 percentage points are due to "
        "revisions of already published years (2015–2021) and 5 to the new data year 2022, while 1 "
        "percentage point in the other direction is due to new population figures."
    )
    assert sentence(c, "sv", "remaining").startswith(
        "Den återstående budgeten 1 januari 2026 är 12\xa0% mindre"
    )
    assert sentence(c, "en", "rate") == (
        "The required cut is 12.0% a year, 1.2 percentage points more than in the previous edition "
        "(10.8%): 0.8 percentage points are due to revisions of already published years "
        "(2015–2021) and 0.5 to the new data year 2022, while 0.1 percentage points in the other "
        "direction are due to new population figures."
    )
    assert year_ranges([1990, 2015, 2016, 2017, 2020]) == "1990, 2015–2017, 2020"


def test_diff_table_rows_have_every_cause(pair: tuple[Path, str, str]) -> None:
    root, old, new = pair
    a = diff_editions(old, new, params=parameters_from(None, {"as_of": "2026"}), into=root)
    rows = table_rows(changes(a, ["0380", "03", "00"]), "en")
    assert [r["code"] for r in rows] == ["0380", "03", "00"]
    for r in rows:
        for cause in CAUSES:
            assert f"budget_pp_{cause.replace('-', '_')}" in r
        assert r["sentence"].startswith("The budget")


def test_diff_previous_edition_and_keywords(pair: tuple[Path, str, str]) -> None:
    root, old, new = pair
    assert resolve_edition(None, into=root).id == new
    prev = previous_edition(None, into=root)
    assert prev is not None and prev.id == old
    a = diff_editions("previous", "current", params=parameters_from(), into=root)
    assert (a.old_edition, a.new_edition) == (old, new)


def test_cli_data_diff_formats(pair: tuple[Path, str, str]) -> None:
    root, old, new = pair
    res = cli("data", "diff", "previous", "current", "uppsala", "--format", "json", editions=root)
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["old"] == old and doc["new"] == new and doc["causes"] == list(CAUSES)
    (u,) = doc["areas"]
    assert u["code"] == "0380" and u["sentence"]["sv"].startswith("Budgeten är")
    assert sum(p["delta"] for p in u["budget"]["parts"]) == pytest.approx(u["budget"]["total"])
    doc = diff_report(old, new, areas=None, params=parameters_from(), into=root, lang="en")
    assert len(doc["rows"]) == len(doc["cells"]) == 312
    assert len(doc["header"]) == len(doc["cells"][0])
    res = cli(
        "data", "diff", old, new, "Uppsala", "Stockholms län", "--old-preset", "uppsala-2024-1.5",
        editions=root,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    text = " ".join(res.stdout.split())
    assert "Uppsala: Budgeten är" in text and "Stockholms län: Budgeten är" in text
    assert "en ny global eller nationell budget" in text
    res = cli("data", "diff", "nope", new, editions=root)
    assert res.returncode == 1 and "Det finns ingen utgåva 'nope'" in res.stderr
