"""A running server follows the current edition without a restart; ``data use`` rolls back."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from koldioxidbudget.cli import app as cli
from koldioxidbudget.edition import current_editions, pinned_editions, use_edition
from koldioxidbudget.errors import KoldioxidbudgetError
from koldioxidbudget.web import Settings, create_app
from tests.conftest import make_tables, write_tiny_edition

from .conftest import LEVELS

A = "co2-test-aaaaaaaa"
B = "co2-test-bbbbbbbb"


def _passing(root: Path, eid: str, factor: float = 1.0) -> None:
    levels = {k: [v * factor for v in vs] for k, vs in LEVELS.items()}
    write_tiny_edition(root, make_tables(levels=levels), edition_id=eid)  # no report: passed


def test_serve_follows_the_current_edition_without_restart(tmp_path: Path) -> None:
    root = tmp_path / "editions"
    _passing(root, A)
    use_edition(A, into=root)
    with TestClient(create_app(Settings(editions=root))) as client:
        h = client.get("/api/v1/health").json()
        assert h["edition"] == A and h["current"]["CO2"] == A and h["current_since"]
        first = client.get("/api/v1/areas/0101").json()
        _passing(root, B, factor=0.5)
        use_edition(B, into=root)
        h = client.get("/api/v1/health").json()
        assert h["edition"] == B
        eds = client.get("/api/v1/editions").json()
        assert eds["current"]["CO2"] == B
        assert [e["id"] for e in eds["editions"] if e["current"]] == [B]
        second = client.get("/api/v1/areas/0101").json()
        assert second != first
        assert B in str(second) and A not in str(second)
        # the old edition is still there for whoever names it
        assert client.get(f"/api/v1/editions/{A}").status_code == 200


def test_data_use_rolls_back_and_latest_follows_again(tmp_path: Path) -> None:
    root = tmp_path / "editions"
    _passing(root, A)
    _passing(root, B, factor=0.5)
    use_edition(None, into=root)
    assert current_editions(root)["CO2"] == B
    r = CliRunner().invoke(cli, ["data", "use", A, "--into", str(root)])
    assert r.exit_code == 0, r.output
    assert "co2-test-aaaaaaaa (låst" in r.output
    assert current_editions(root)["CO2"] == A and pinned_editions(root) == {"CO2": A}
    r = CliRunner().invoke(cli, ["data", "use", "--latest", "--into", str(root)])
    assert r.exit_code == 0, r.output
    assert current_editions(root)["CO2"] == B and pinned_editions(root) == {}


def test_data_use_refuses_a_failed_edition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "editions"
    _passing(root, A)
    monkeypatch.setattr("koldioxidbudget.edition_checks.passed", lambda path: False)
    with pytest.raises(KoldioxidbudgetError, match="failed the hard data checks"):
        use_edition(A, into=root)
