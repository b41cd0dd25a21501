"""The Global Carbon Project's national emissions workbook, downloaded (``data fetch``'s
``gcb-national``, see ``registry.REMOTES``): the newest release served, kept for the record."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import TYPE_CHECKING

from .download import FetchError, check_zip

if TYPE_CHECKING:
    from .fetch import FetchRun
    from .registry import Remote

__all__ = ["fetch_gcb"]


def fetch_gcb(run: FetchRun, remote: Remote) -> None:
    """Download the release of ``settings.gcb_year``, else of this year or the two before (the
    first one served); raise every year's error when none is."""
    this = _dt.date.today().year
    years = [run.settings.gcb_year] if run.settings.gcb_year else [this, this - 1, this - 2]
    errors: list[FetchError] = []
    for year in years:
        url = run.url(remote, year=str(year))
        try:
            _, tmp, sha, n = run.download(remote, url=url, verify=_verify_gcb)
        except FetchError as e:
            errors.append(e)
            continue
        rel = remote.raw.format(year=year)
        run.store(remote.id, tmp, rel, url=url, sha=sha, n=n)
        return
    # "<first>; <the rest>", each part localised with its own key
    joined = errors[-1]  # one error per year tried, and there is at least one year
    for part in reversed(errors[:-1]):
        joined = FetchError(key="fetch_errors", first=part, rest=joined)
    raise joined


def _verify_gcb(path: Path) -> None:
    from python_calamine import CalamineWorkbook

    check_zip(path, "gcb_excel")
    with CalamineWorkbook.from_path(str(path)) as wb:
        if "Territorial Emissions" not in wb.sheet_names:
            raise FetchError(
                key="gcb_no_sheet",
                sheets=", ".join(wb.sheet_names),
            )
        rows = wb.get_sheet_by_name("Territorial Emissions").to_python()
    if not any("Sweden" in r and "World" in r for r in rows[:40]):
        raise FetchError(
            key="gcb_no_header",
        )
