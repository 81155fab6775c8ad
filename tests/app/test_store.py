"""app.store.pull: tonight's reading runs beside the fetch, and the pull's word comes first."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from trendgate.app import store
from trendgate.app.job import Job
from trendgate.errors import InputError
from trendgate.history import branch

JOB = Job().with_values({"history_branch": "trendgate-history", "results_dir": "history"})


def stub_pull(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, wait: threading.Event) -> list[str]:
    """branch.pull replaced by one that waits for `wait` and records what became of it."""
    seen: list[str] = []

    def pull(history: str, *args: Any, **kwargs: Any) -> branch.Pulled:
        # A pull that ran before `meanwhile` (not beside it) would wait here in vain.
        seen.append("waited" if wait.wait(timeout=30) else "timed out")
        git_dir = tmp_path / "git"
        git_dir.mkdir()
        return branch.Pulled(Path(history), "b", "origin", None, frozenset(), (), git_dir, "", {})

    monkeypatch.setattr(branch, "pull", pull)
    return seen


def test_meanwhile_runs_while_the_branch_is_pulled(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fetching = threading.Event()
    seen = stub_pull(monkeypatch, tmp_path, fetching)

    def meanwhile() -> str:
        fetching.set()
        return "read"

    pulled, got = store.pull(JOB, meanwhile)
    assert (seen, got) == (["waited"], "read")
    pulled.discard()


def test_the_pulls_error_comes_before_meanwhiles(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def pull(*args: Any, **kwargs: Any) -> branch.Pulled:
        raise InputError("the history branch b does not exist on origin")

    def meanwhile() -> None:
        raise InputError("SOURCE not found: tonight")

    monkeypatch.setattr(branch, "pull", pull)
    with pytest.raises(InputError, match=r"^the history branch b does not exist"):
        store.pull(JOB, meanwhile)


def test_a_failure_beside_the_pull_removes_the_pulls_repository(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ready = threading.Event()
    ready.set()
    stub_pull(monkeypatch, tmp_path, ready)

    def meanwhile() -> None:
        raise MemoryError

    with pytest.raises(MemoryError):
        store.pull(JOB, meanwhile)
    assert not (tmp_path / "git").exists()
