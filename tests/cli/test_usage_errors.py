"""Usage errors of the command line: one line in the user's language, exit 2, never a traceback
(run in process through ``cli.main``, as the installed typer parses them)."""

from __future__ import annotations

import random
import sys
from enum import Enum
from pathlib import Path

import pytest
from typer.main import get_command

from koldioxidbudget import cli


@pytest.fixture(autouse=True)
def _nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every folder a command could write to is empty and temporary, and nothing downloads: a
    usage error must stop the command before it runs, and a test must not touch real data."""
    for var in ("SOURCES", "EDITIONS", "SITE"):
        monkeypatch.setenv(f"KOLDIOXIDBUDGET_{var}", str(tmp_path / var.lower()))
    monkeypatch.chdir(tmp_path)

    def no_download(*args: object, **kwargs: object) -> None:
        raise AssertionError("a usage error reached the download")

    monkeypatch.setattr("koldioxidbudget.sources.fetch.fetch_sources", no_download)


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[object, str, str]:
    """``koldioxidbudget *args`` in process: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["koldioxidbudget", *args])
    monkeypatch.delenv("KOLDIOXIDBUDGET_LANG", raising=False)
    code: object = 0
    try:
        cli.main()
    except SystemExit as e:
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


CASES = [
    (
        ("areas", "--format", "bogus"),
        "koldioxidbudget: Värdet 'bogus' är inte tillåtet för --format. Giltiga värden: table, json, csv.",
    ),
    (
        ("areas", "--format", "jsn", "--lang", "en"),
        "koldioxidbudget: The value 'jsn' is not allowed for --format. Did you mean 'json'? "
        "Valid values: table, json, csv.",
    ),
    (
        ("areas", "--lang", "de"),
        "koldioxidbudget: Värdet 'de' är inte tillåtet för --lang. Menade du 'en'? "
        "Giltiga värden: sv, en.",
    ),
    (
        ("areas", "--level", "foo"),
        "koldioxidbudget: Värdet 'foo' är inte tillåtet för --level. "
        "Giltiga värden: kommun, lan, riket.",
    ),
    (
        ("report", "uppsala", "--workers", "abc"),
        "koldioxidbudget: --workers ska vara ett heltal, men är 'abc'.",
    ),
    (
        ("report", "uppsala", "--workers", "0", "--lang", "en"),
        "koldioxidbudget: --workers must be at least 1, not 0.",
    ),
    (("serve", "--port", "abc"), "koldioxidbudget: --port ska vara ett heltal, men är 'abc'."),
    (("serve", "--port", "74277"), "koldioxidbudget: --port får vara högst 65535, men är 74277."),
    (
        ("serve", "--report-processes", "99"),
        "koldioxidbudget: --report-processes får vara högst 16, men är 99.",
    ),
    (
        ("areas", "--formt", "json"),
        "koldioxidbudget: Alternativet --formt finns inte för 'koldioxidbudget areas'. "
        "Menade du '--format'? Se 'koldioxidbudget areas --help'.",
    ),
    (
        ("bogus",),
        "koldioxidbudget: Kommandot 'bogus' finns inte. Se 'koldioxidbudget --help'.",
    ),
    (
        ("data", "shw", "--lang", "en"),
        "koldioxidbudget: No command 'shw'. Did you mean 'show'? See 'koldioxidbudget data --help'.",
    ),
    (
        ("data", "show"),
        "koldioxidbudget: Argumentet EDITION saknas. Se 'koldioxidbudget data show --help'.",
    ),
    (
        ("budget", "uppsala", "--set"),
        "koldioxidbudget: Alternativet --set behöver ett värde. Se 'koldioxidbudget budget --help'.",
    ),
    (
        ("data", "fetch", "--timeout", "nan"),
        "koldioxidbudget: --timeout ska vara ett tal, men är 'nan'.",
    ),
    (
        ("data", "fetch", "--gcb-year", "99999999999999999999", "--lang", "en"),
        "koldioxidbudget: --gcb-year must be at most 2100, not 99999999999999999999.",
    ),
]


@pytest.mark.parametrize(("args", "line"), CASES, ids=[" ".join(a) for a, _ in CASES])
def test_usage_error_is_one_line_and_exit_2(
    args: tuple[str, ...],
    line: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(monkeypatch, capsys, *args)
    assert code == 2, (code, err)
    assert err == line + "\n"
    assert out == ""


def test_usage_error_language_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["koldioxidbudget", "areas", "--bogus"])
    monkeypatch.setenv("KOLDIOXIDBUDGET_LANG", "en")
    with pytest.raises(SystemExit) as e:
        cli.main()
    assert e.value.code == 2
    assert capsys.readouterr().err.startswith("koldioxidbudget: No option --bogus for")


def test_version(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    code, out, err = run(monkeypatch, capsys, "--version")
    assert code == 0 and err == ""
    assert out == f"koldioxidbudget {version('koldioxidbudget')}\n"


def _commands() -> list[tuple[list[str], object]]:
    """Every leaf command of the CLI with its words (``["data", "show"]``)."""
    out: list[tuple[list[str], object]] = []

    def walk(words: list[str], cmd: object) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk([*words, name], sub)
        else:
            out.append((words, cmd))

    walk([], get_command(cli.app))
    return out


_GARBAGE = ["abc", "-1", "1e400", "nan", "", "99999999999999999999", "--", "\x1b[31m", "ö" * 300]


def test_fuzz_every_option_of_every_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each option of each command, given garbage (or nothing, or misspelled), is refused in
    one line with exit 2: never a traceback, never a run with nonsense. Options whose value is
    free text (a path, an id) are left out: any text is a valid value for them."""
    rng = random.Random(15)
    tried = 0
    for words, cmd in _commands():
        for param in getattr(cmd, "params", []):
            opts = [o for o in getattr(param, "opts", []) if o.startswith("--")]
            if not opts or getattr(param, "is_flag", False):
                continue
            annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
            typed = isinstance(annotation, type) and (
                issubclass(annotation, Enum) or annotation in (int, float)
            )
            attempts = [[*words, opts[0]], [*words, opts[0] + "x", "1"]]  # no value; misspelled
            if typed:
                values = [v for v in rng.sample(_GARBAGE, 4) if v not in ("--",)]
                attempts += [[*words, opts[0], v] for v in values if not _valid(annotation, v)]
            for args in attempts:
                code, _out, err = run(monkeypatch, capsys, *args)
                tried += 1
                assert code == 2, (args, code, err)
                assert "Traceback" not in err and err.count("\n") == 1, (args, err)
                assert err.startswith("koldioxidbudget: "), (args, err)
    assert tried > 60


def _valid(annotation: type, value: str) -> bool:
    try:
        if issubclass(annotation, Enum):
            return value in {m.value for m in annotation}
        annotation(value)
    except (ValueError, OverflowError):
        return False
    return annotation is not float or value not in ("nan",)


@pytest.mark.parametrize("out", ["/dev/null/x", "{file}"])
def test_report_out_that_cannot_be_written_is_one_line(
    editions_root: Path, tmp_path: Path, out: str
) -> None:
    """``--out`` under a file, or an existing file: one line naming it, exit 1, no traceback."""
    import os
    import subprocess

    existing = tmp_path / "fil"
    existing.write_text("x", "utf-8")
    target = out.format(file=existing)
    res = subprocess.run(
        [
            *(sys.executable, "-m", "koldioxidbudget.cli", "report", "0380"),
            *("--out", target, "--format", "html", "--lang", "en"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "KOLDIOXIDBUDGET_EDITIONS": str(editions_root)},
    )
    assert res.returncode == 1, res.stderr
    assert res.stderr.startswith(f"koldioxidbudget: Cannot use the file or folder {target}: ")
    assert res.stderr.count("\n") == 1 and "Traceback" not in res.stderr
