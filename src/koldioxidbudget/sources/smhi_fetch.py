"""SMHI's Länsrapport export, downloaded (``data fetch``'s ``smhi-co2`` and ``smhi-ghg``, see
``registry.REMOTES``): a complete xlsx whose table has SMHI's "Huvudsektor" header and the gas
asked for, stored under the release date read from the file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .download import FetchError, check_zip
from .smhi import peek_smhi_excel

if TYPE_CHECKING:
    from .fetch import FetchRun
    from .registry import Remote

__all__ = ["fetch_smhi"]


def fetch_smhi(run: FetchRun, remote: Remote) -> None:
    """Download the export of ``remote``'s gas and store it as the release it holds."""
    url = run.url(remote)
    (_gas, release), tmp, sha, n = run.download(
        remote, url=url, verify=_verify_smhi(remote.vars["gas"])
    )
    rel = remote.raw.format(**remote.vars, release=release)
    run.store(remote.id, tmp, rel, url=url, sha=sha, n=n)


def _verify_smhi(gas: str) -> Callable[[Path], tuple[str, str]]:
    def verify(path: Path) -> tuple[str, str]:
        check_zip(path, "smhi_excel")
        got, release = peek_smhi_excel(path)
        if got != gas:
            raise FetchError(
                key="smhi_served_other_gas",
                got=got,
                gas=gas,
            )
        return got, release

    return verify
