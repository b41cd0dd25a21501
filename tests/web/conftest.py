"""Fixtures for the API: a small edition on disk (emissions at a realistic scale, so budgets last
years, not millennia) and a client for an app built on it, all in-process (no network)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from koldioxidbudget.web import Settings, create_app
from tests.conftest import make_tables, write_tiny_edition

EDITION = "co2-test-00000000"

LEVELS = {
    "0101": [v * 1e5 for v in (100.0, 80.0, 78.0, 76.0, 74.0, 72.0, 70.0, 68.0, 66.0)],
    "0102": [v * 1e5 for v in (50.0, 40.0, 41.0, 40.0, 39.0, 40.0, 39.0, 38.0, 38.0)],
    "0201": [v * 1e5 for v in (200.0, 150.0, 145.0, 140.0, 135.0, 130.0, 125.0, 120.0, 115.0)],
}


@pytest.fixture(scope="session")
def web_editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("web-editions")
    write_tiny_edition(root, make_tables(levels=LEVELS), edition_id=EDITION)
    write_tiny_edition(
        root, make_tables(levels=LEVELS, gas="CO2e"), edition_id="co2e-test-00000000"
    )
    return root


@pytest.fixture(scope="session")
def client(web_editions: Path) -> Iterator[TestClient]:
    app = create_app(Settings(editions=web_editions))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def make_client(web_editions: Path) -> Iterator[object]:
    """Build a client for custom settings (closed at the end of the test)."""
    opened: list[TestClient] = []

    def make(**settings: object) -> TestClient:
        s = Settings(**{"editions": web_editions, **settings})  # type: ignore[arg-type]
        c = TestClient(create_app(s), raise_server_exceptions=False)
        c.__enter__()
        opened.append(c)
        return c

    yield make
    for c in opened:
        c.__exit__(None, None, None)


@pytest.fixture(scope="session")
def real_client(editions_root: Path) -> Iterator[TestClient]:
    """A client on the real editions (skipped without the official source files)."""
    with TestClient(
        create_app(Settings(editions=editions_root)), raise_server_exceptions=False
    ) as c:
        yield c
