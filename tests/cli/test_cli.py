"""The command line, run as a user runs it: exit codes, output, error messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from koldioxidbudget.edition import load_edition
from koldioxidbudget.method.budget import compute_budgets
from koldioxidbudget.service.inputs import parameters_from
from tests.conftest import run_cli, write_tiny_edition


def cli(*args: str, env_editions: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, editions=env_editions)


def test_cli_budget_json_contract_matches_engine(editions_root: Path) -> None:
    res = cli("budget", "uppsala", "--format", "json", env_editions=editions_root)
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert set(doc) >= {"edition", "parameters", "areas"}
    a = doc["areas"][0]
    for key in (
        "code",
        "name",
        "level",
        "budget_t",
        "budget_from",
        "remaining_t",
        "remaining_as_of",
        "e0_t",
        "e0_year",
        "e0_estimated",
        "rate",
        "rate_convention",
        "years_left",
        "exhaustion_year",
        "trend_exhaustion_date",
        "pathway",
    ):
        assert key in a
    assert a["code"] == "0380" and a["level"] == "kommun"
    run = compute_budgets(
        tables=load_edition(doc["edition"], into=editions_root), params=parameters_from()
    )
    r = run.area("0380")
    assert a["budget_t"] == pytest.approx(r.budget_t)
    assert a["rate"] == pytest.approx(r.rate)
    assert a["pathway"][0] == {"year": r.pathway[0][0], "t": pytest.approx(r.pathway[0][1])}
    assert doc["parameters"]["preset"] == "uppsala-2024-1.7"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("goteborg", "1480"),
        ("1480", "1480"),
        ("Uppsala kommun", "0380"),
        ("Stockholms län", "01"),
        ("Sverige", "00"),
        ("UPPSALA", "0380"),
        ("uppsala län", "03"),
        ("Malmo", "1280"),
        ("Region Gotland", "0980"),
    ],
)
def test_cli_area_lookup(editions_root: Path, query: str, code: str) -> None:
    res = cli("budget", query, "--format", "csv", env_editions=editions_root)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[1].split(",")[0] == code


def test_cli_area_typo_suggests(editions_root: Path) -> None:
    res = cli("budget", "Upsala", env_editions=editions_root)
    assert res.returncode == 2
    assert "Ingen kommun, inget län och inte 'Sverige' matchar 'Upsala'" in res.stderr
    assert "Menade du: Uppsala" in res.stderr
    assert "Traceback" not in res.stderr
    en = cli("budget", "Upsala", "--lang", "en", env_editions=editions_root)
    assert "No municipality, county or 'Sverige' matches 'Upsala'" in en.stderr
    assert "Did you mean: Uppsala" in en.stderr


def test_cli_budget_table_swedish_and_english(editions_root: Path) -> None:
    sv = cli("budget", "uppsala", env_editions=editions_root)
    assert sv.returncode == 0, sv.stderr
    assert "Koldioxidbudget från 1 januari 2024" in sv.stdout
    assert "uppsala-2024-1.7" in sv.stdout
    en = cli("budget", "uppsala", "--lang", "en", env_editions=editions_root)
    assert "Carbon budget from 1 January 2024" in en.stdout


def test_cli_set_overrides_and_reports_them(editions_root: Path) -> None:
    res = cli(
        "budget", "uppsala", "--set", "convention=B", "--format", "json", env_editions=editions_root
    )
    a = json.loads(res.stdout)["areas"][0]
    assert a["rate_convention"] == "B"
    bad = cli("budget", "uppsala", "--set", "convention=E", env_editions=editions_root)
    assert bad.returncode == 2
    assert "Värdet convention='E' är inte tillåtet. Giltiga värden: A, B, C, D" in bad.stderr
    bad = cli("budget", "uppsala", "--set", "conventon=B", env_editions=editions_root)
    assert bad.returncode == 2 and "Menade du 'convention'?" in bad.stderr
    bad = cli("budget", "uppsala", "--set", "conventon=B", "--lang=en", env_editions=editions_root)
    assert bad.returncode == 2 and "Did you mean 'convention'?" in bad.stderr
    bad = cli("budget", "uppsala", "--set", "convention", env_editions=editions_root)
    assert bad.returncode == 2 and "--set vill ha nyckel=värde" in bad.stderr


def test_cli_all_areas_csv(editions_root: Path) -> None:
    res = cli("budget", "--all", "--format", "csv", env_editions=editions_root)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.strip().splitlines()
    assert len(lines) == 1 + 290 + 21 + 1


def test_cli_refuses_co2e_edition(editions_root: Path) -> None:
    res = cli("budget", "uppsala", "--edition", "co2e-2026", env_editions=editions_root)
    assert res.returncode == 1
    assert "en koldioxidbudget gäller bara fossil koldioxid" in res.stderr  # Swedish by default
    res = cli(
        "budget", "uppsala", "--edition", "co2e-2026", "--lang", "en", env_editions=editions_root
    )
    assert "carbon budget is fossil CO2 only" in res.stderr


def test_cli_data_list_and_show(editions_root: Path) -> None:
    res = cli("data", "list", env_editions=editions_root)
    assert res.returncode == 0 and "co2-2024-04-18" in res.stdout and "co2e-2026" in res.stdout
    show = cli("data", "show", "co2-2024-04-18", env_editions=editions_root)
    m = json.loads(show.stdout)
    assert m["gas"] == "CO2" and m["last_data_year"] == 2022
    assert all(len(i["sha256"]) == 64 for i in m["inputs"])


def test_cli_no_edition_says_what_to_do(tmp_path: Path) -> None:
    res = cli("budget", "uppsala", env_editions=tmp_path / "empty")
    assert res.returncode == 1
    assert "koldioxidbudget data build" in res.stderr


def test_cli_tiny_edition_areas(tmp_path: Path) -> None:
    root = tmp_path / "e"
    write_tiny_edition(root)
    res = cli("areas", "--format", "json", env_editions=root)
    assert res.returncode == 0, res.stderr
    assert [a["code"] for a in json.loads(res.stdout)] == ["00", "01", "0101", "0102", "02", "0201"]


def test_cli_budget_json_kept_and_printed_again_without_pandas(
    editions_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    root = editions_root  # built by 'data build': its pointer names the current edition
    monkeypatch.setenv("KOLDIOXIDBUDGET_CACHE", str(tmp_path / "cache"))
    first = cli("budget", "uppsala", "--format", "json", env_editions=root)
    assert first.returncode == 0, first.stderr
    assert len(list((tmp_path / "cache" / "output").rglob("*.txt"))) == 1
    code = (
        "import sys; import koldioxidbudget.cli as c; "
        "sys.argv = ['koldioxidbudget', 'budget', 'uppsala', '--format', 'json']; c.main(); "
        "heavy = [m for m in ('pandas', 'numpy', 'fastapi', 'jinja2', 'vl_convert') "
        "if m in sys.modules]; print('heavy:', heavy, file=sys.stderr)"
    )
    env = dict(os.environ, KOLDIOXIDBUDGET_EDITIONS=str(root))
    again = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout
    assert "heavy: []" in again.stderr
    other = cli("budget", "uppsala", "--format", "json", "--set", "convention=B", env_editions=root)
    assert other.returncode == 0 and other.stdout != first.stdout
    assert json.loads(other.stdout)["parameters"]["convention"] == "B"
    assert len(list((tmp_path / "cache" / "output").rglob("*.txt"))) == 2
