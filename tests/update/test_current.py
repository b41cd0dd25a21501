"""The current edition: a release that fails a hard check does not become current, and a build
killed at any point (kill -9) leaves the previous edition current and nothing half-written
listed."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from koldioxidbudget.edition import (
    CURRENT_FILE,
    build_editions,
    current_editions,
    list_editions,
    resolve_edition,
)
from koldioxidbudget.edition_checks import read_report
from koldioxidbudget.errors import EditionError
from tests.conftest import run_cli

from .conftest import NEW_RELEASE, need_sources, source_folder
from .mirror import SMHI_RAW
from .xlsx import smhi_variant

LATER = "2025-04-18"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``editions``: the real 2024-04-18 CO2 edition, current; ``with-bad``: the same plus a
    later release that fails a hard check (its data end in 2020); ``good``: the source folder of
    a later release that passes (the same data, re-dated)."""
    tmp = tmp_path_factory.mktemp("current")
    raw = (need_sources() / SMHI_RAW).read_bytes()
    first = source_folder(tmp / "src-first", smhi={f"smhi_lansrapport_co2_{NEW_RELEASE}.xlsx": raw})
    later = smhi_variant(need_sources() / SMHI_RAW, release=LATER)
    good = source_folder(tmp / "src-good", smhi={f"smhi_lansrapport_co2_{LATER}.xlsx": later})
    bad_bytes = smhi_variant(need_sources() / SMHI_RAW, release=LATER, drop_years=[2021, 2022])
    bad = source_folder(tmp / "src-bad", smhi={f"smhi_lansrapport_co2_{LATER}.xlsx": bad_bytes})
    editions = tmp / "editions"
    build_editions(sources=first, into=editions)
    with_bad = tmp / "with-bad"
    shutil.copytree(editions, with_bad)
    build_editions(sources=bad, into=with_bad)
    return {"editions": editions, "with-bad": with_bad, "good": good}


@pytest.fixture
def editions(base: dict[str, Path], tmp_path: Path) -> Path:
    """A private copy of the editions folder (one current CO2 edition)."""
    d = tmp_path / "editions"
    shutil.copytree(base["editions"], d)
    return d


@pytest.fixture
def with_bad(base: dict[str, Path], tmp_path: Path) -> Path:
    """A private copy of the folder with a current edition and a later, failing one."""
    d = tmp_path / "with-bad"
    shutil.copytree(base["with-bad"], d)
    return d


def test_current_pointer_names_the_built_edition(editions: Path) -> None:
    (only,) = list_editions(editions)
    assert current_editions(editions) == {"CO2": only.id}
    assert resolve_edition(None, into=editions).id == only.id
    doc = json.loads((editions / CURRENT_FILE).read_text("utf-8"))
    assert doc["current"] == {"CO2": only.id}


def test_current_failing_release_is_listed_but_not_current(with_bad: Path) -> None:
    (good, bad) = list_editions(with_bad)
    assert bad.release == LATER
    report = read_report(bad.path)
    assert report is not None and not report.passed
    assert [f.check for f in report.of("hard")] == ["last-year-regressed"]
    assert resolve_edition(None, into=with_bad).id == good.id
    assert current_editions(with_bad) == {"CO2": good.id}
    # an explicit id still opens it, for inspection
    assert resolve_edition(bad.id, into=with_bad).id == bad.id
    env = dict(os.environ, KOLDIOXIDBUDGET_EDITIONS=str(with_bad))
    res = subprocess.run(
        [sys.executable, "-m", "koldioxidbudget.cli", "data", "check", bad.id],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert res.returncode == 1
    assert "klarar inte de hårda kontrollerna" in res.stdout
    assert "[HÅRD] Senaste dataår är 2020, äldre än förra utgåvans 2022." in res.stdout
    # without the pointer, the newest edition that passed is still chosen
    (with_bad / CURRENT_FILE).unlink()
    assert resolve_edition(None, into=with_bad).id == good.id


def test_current_no_passing_edition_is_an_error(with_bad: Path) -> None:
    (good, _bad) = list_editions(with_bad)
    shutil.rmtree(good.path)
    (with_bad / CURRENT_FILE).unlink()
    with pytest.raises(EditionError, match="No edition of CO2 passed the data checks"):
        resolve_edition(None, into=with_bad)


def _build_and_block(
    sources: Path, editions: Path, block: str, flag: Path
) -> subprocess.Popen[bytes]:
    """A build in a child process whose ``os.replace`` into a path named ``block`` (a prefix)
    stops (after touching ``flag``) so the test can kill it there."""
    code = textwrap.dedent(
        f"""
        import os, time
        from pathlib import Path
        real = os.replace
        def replace(src, dst, *a, **k):
            if Path(str(dst)).name.startswith({block!r}):
                Path({str(flag)!r}).write_text("blocked")
                time.sleep(120)
            return real(src, dst, *a, **k)
        os.replace = replace
        from koldioxidbudget.edition import build_editions
        build_editions(sources={str(sources)!r}, into={str(editions)!r})
        """
    )
    return subprocess.Popen([sys.executable, "-c", code])


def _kill_when(proc: subprocess.Popen[bytes], flag: Path, timeout: float = 90.0) -> None:
    t0 = time.monotonic()
    while not flag.exists():
        assert proc.poll() is None, "the build ended before reaching the point to kill it at"
        assert time.monotonic() - t0 < timeout
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


@pytest.mark.parametrize("where", ["edition", "pointer"])
def test_current_build_killed_leaves_previous_current(
    editions: Path, base: dict[str, Path], tmp_path: Path, where: str
) -> None:
    before = resolve_edition(None, into=editions).id
    listed = [e.id for e in list_editions(editions)]
    flag = tmp_path / "flag"
    block = f"co2-{LATER}" if where == "edition" else CURRENT_FILE
    proc = _build_and_block(base["good"], editions, block, flag)
    _kill_when(proc, flag)
    assert proc.returncode == -signal.SIGKILL
    assert resolve_edition(None, into=editions).id == before
    assert current_editions(editions) == {"CO2": before}
    if where == "edition":
        # the half-built edition is a hidden temporary directory, never listed
        assert [e.id for e in list_editions(editions)] == listed
        assert any(p.name.startswith(".tmp-") for p in editions.iterdir())
    else:
        # complete and renamed into place, but the pointer was never switched
        assert len(list_editions(editions)) == len(listed) + 1
    # building again completes the update: the new release becomes current, debris is gone
    built = build_editions(sources=base["good"], into=editions)
    assert resolve_edition(None, into=editions).id == built[0].id != before
    assert not [p for p in editions.iterdir() if p.name.startswith(".tmp-")]


def test_current_prefix_names_one_passing_edition_or_says_why(with_bad: Path) -> None:
    """A prefix picks an edition only when it fits exactly one, and never a failed one (that is
    opened only by its full id); an empty name is no name."""
    (good, bad) = list_editions(with_bad)
    assert resolve_edition(good.id[:8], into=with_bad).id == good.id  # 'co2-2024'
    with pytest.raises(EditionError, match="fits more than one edition") as many:
        resolve_edition("co2-20", into=with_bad)
    assert many.value.localized("sv").startswith("'co2-20' passar in på flera utgåvor (")
    assert good.id in str(many.value) and bad.id in str(many.value)
    with pytest.raises(EditionError, match="failed the hard data checks; to use it anyway"):
        resolve_edition(bad.id[:8], into=with_bad)  # 'co2-2025'
    assert resolve_edition(bad.id, into=with_bad).id == bad.id
    with pytest.raises(EditionError, match="No edition ''"):
        resolve_edition("", into=with_bad)


def _damage(folder: Path, name: str, manifest: str) -> Path:
    """A copy of the first edition in ``folder`` under ``name`` with ``manifest`` as its manifest."""
    (first, *_rest) = list_editions(folder)
    shutil.copytree(first.path, folder / name)
    (folder / name / "manifest.json").write_text(manifest, "utf-8")
    return folder / name


def test_current_damaged_edition_is_skipped_and_listed_as_damaged(with_bad: Path) -> None:
    """An empty manifest and one missing a key: the other editions still list, resolve and
    serve; ``data list`` marks current, failed and damaged, with whole ids when piped."""
    (good, bad) = list_editions(with_bad)
    _damage(with_bad, "co2-2023-empty", "")
    doc = json.loads((good.path / "manifest.json").read_text("utf-8"))
    del doc["release"]
    doc["id"] = "co2-2023-nokey"
    _damage(with_bad, "co2-2023-nokey", json.dumps(doc))
    assert [e.id for e in list_editions(with_bad)] == [good.id, bad.id]
    assert resolve_edition(None, into=with_bad).id == good.id
    res = run_cli("data", "list", editions=with_bad)
    assert res.returncode == 0, res.stderr
    rows = {line.split("│")[1].strip(): line for line in res.stdout.splitlines() if "│" in line}
    assert "aktuell" in rows[good.id]
    assert "klarar inte de hårda kontrollerna" in rows[bad.id]
    assert "skadad:" in rows["co2-2023-empty"]
    assert "skadad: missing release" in rows["co2-2023-nokey"]
    budget = run_cli("budget", "0380", "--format", "json", editions=with_bad)
    assert budget.returncode == 0, budget.stderr
    assert json.loads(budget.stdout)["edition"] == good.id
    assert "Traceback" not in budget.stderr


def test_current_damaged_edition_never_takes_the_server_down(with_bad: Path) -> None:
    from fastapi.testclient import TestClient

    from koldioxidbudget.web import Settings, create_app

    (good, _bad) = list_editions(with_bad)
    _damage(with_bad, "co2-2023-empty", "{}")
    app = create_app(Settings(editions=with_bad, warm=False))
    with TestClient(app, raise_server_exceptions=False) as c:
        health = c.get("/api/v1/health")
        assert health.status_code == 200 and good.id in health.text
        assert c.get("/api/v1/areas/0380/budget").json()["edition"] == good.id
        ambiguous = c.get("/api/v1/editions/co2-20")
        assert ambiguous.status_code == 404
        assert ambiguous.headers["content-type"].startswith("application/problem+json")
        for r in (health, ambiguous, c.get("/api/v1/editions")):
            assert str(with_bad) not in r.text


def test_current_two_builds_cannot_collide(editions: Path, base: dict[str, Path]) -> None:
    """While one build holds the editions folder, a second stops at once with a clear message
    (CLI: one line, no traceback) and writes nothing."""
    from koldioxidbudget.edition import BUILD_LOCK_FILE
    from koldioxidbudget.files import exclusive

    before = sorted(p.name for p in editions.iterdir())
    with exclusive(editions / BUILD_LOCK_FILE):
        with pytest.raises(EditionError, match="Another build is writing editions"):
            build_editions(sources=base["good"], into=editions)
        res = run_cli("data", "build", "--sources", str(base["good"]), editions=editions)
    assert res.returncode != 0
    assert res.stderr.strip().splitlines() == [
        f"koldioxidbudget: En annan byggkörning skriver redan utgåvor i {editions}; "
        "försök igen när den är klar."
    ]
    assert sorted(p.name for p in editions.iterdir()) == before
