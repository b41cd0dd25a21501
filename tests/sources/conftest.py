"""Fixtures of the source-reader tests: the real source folder (skipped when absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from koldioxidbudget.sources import read_areas

SOURCES = Path(os.environ.get("KOLDIOXIDBUDGET_SOURCES") or "/work/shared/data")


@pytest.fixture(scope="session")
def sources() -> Path:
    """The folder with the official source files (``$KOLDIOXIDBUDGET_SOURCES``)."""
    if not (SOURCES / "regions" / "municipalities.csv").is_file():
        pytest.skip(f"no official source files at {SOURCES} (set KOLDIOXIDBUDGET_SOURCES)")
    return SOURCES


@pytest.fixture(scope="session")
def areas(sources: Path) -> pd.DataFrame:
    """The real ``areas`` table."""
    return read_areas(
        sources / "regions" / "municipalities.csv", sources / "regions" / "counties.csv"
    )
