"""Run the `trendgate` command for a test: main(argv) in this process, or a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest

from trendgate.app.cli import main


@dataclass(frozen=True)
class Ran:
    """What one run of the command gave: its exit code and everything it printed."""

    returncode: int
    stdout: str
    stderr: str


class Command(Protocol):
    """`trendgate ARGS...`, run in `cwd` with the runner's variables removed and `env` added."""

    def __call__(
        self, *args: str | Path, cwd: Path | None = None, env: Mapping[str, str] | None = None
    ) -> Ran: ...


def outside_github(extra: Mapping[str, str] | None) -> dict[str, str]:
    """This environment without the runner's variables, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
    return env | dict(extra or {})


def in_a_subprocess(
    *args: str | Path, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> Ran:
    """`python -m trendgate ARGS...`, as a user's shell runs it."""
    proc = subprocess.run(
        [sys.executable, "-m", "trendgate", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=outside_github(env),
        timeout=60,
    )
    return Ran(proc.returncode, proc.stdout, proc.stderr)


def in_this_process(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Command:
    """main(argv) with the output captured, the environment and working directory restored."""

    def in_process(
        *args: str | Path, cwd: Path | None = None, env: Mapping[str, str] | None = None
    ) -> Ran:
        with monkeypatch.context() as patch:
            for name in set(os.environ) - set(outside_github(env)):
                patch.delenv(name)
            for name, value in (env or {}).items():
                patch.setenv(name, value)
            if cwd is not None:
                patch.chdir(cwd)
            capsys.readouterr()
            try:
                code = main([str(arg) for arg in args])
            except SystemExit as exc:  # argparse's help, version and usage errors
                assert isinstance(exc.code, int)
                code = exc.code
            out, err = capsys.readouterr()
        return Ran(code, out, err)

    return in_process
