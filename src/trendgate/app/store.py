"""The history branch around one job: pulled before `add`, pushed after the verdict.

The git work is history/branch.py's; this module decides when to push (the runner's event and
the `history-push` option) and what the reports say about the branch. It is imported only by a
job that names a history branch, so a plain gate never loads git's machinery or tempfile.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from trendgate.app.job import Job
from trendgate.errors import TrendgateError
from trendgate.history import branch
from trendgate.model import Analysis, Note
from trendgate.words import count, utc

T = TypeVar("T")


@dataclass(frozen=True)
class Store:
    """A job's history branch, pulled into its results directory and not yet pushed."""

    job: Job
    pulled: branch.Pulled

    def finish(self, analysis: Analysis | None = None) -> tuple[tuple[Note, ...], str | None]:
        """Push what `add` filed, when allowed; the notes that say what happened to the
        branch, and the error of a push that failed. The temporary repository goes either way."""
        pulled = self.pulled
        where = pulled.label
        said = []
        if pulled.started:
            said.append(Note(where, "history started on this night: the branch did not exist"))
        if analysis is not None and analysis.unjudged:
            u = analysis.unjudged
            said.append(
                Note(
                    where,
                    f"a young history of {count(analysis.files_read, 'run', 'runs')}: no model "
                    f"has min_runs runs yet (the most is {u.runs} of {u.min_runs}, {u.model}), "
                    "so nothing is judged and the gate passes",
                )
            )
        failed = None
        allowed, why = may_push(self.job.history_push, os.environ)
        try:
            filed = branch.unpushed(pulled)
            if not allowed:
                said.append(Note(where, f"not pushed: {why}"))
            elif filed:
                pushed = branch.push(pulled, filed, utc(time.time(), "%Y-%m-%d"))
                runs = count(len(filed), "run", "runs")
                said.append(Note(where, f"pushed {runs} as {pushed.commit}"))
        except TrendgateError as exc:
            failed = str(exc)
        finally:
            self.discard()
        return tuple(said), failed

    @property
    def created(self) -> tuple[Path, ...]:
        """What the pull wrote into the workspace: directories made, then files."""
        return self.pulled.created

    def discard(self) -> None:
        """Remove the temporary repository without pushing."""
        branch.close(self.pulled)


def pull(job: Job, meanwhile: Callable[[], T]) -> tuple[Store, T]:
    """Fetch the job's history branch into its results directory, and what `meanwhile`
    returns: it runs in a thread while git works, so it must write nothing. The pull's error
    comes first, as if `meanwhile` ran after it."""
    assert job.history_branch
    with ThreadPoolExecutor(max_workers=1) as pool:
        doing = pool.submit(meanwhile)
        pulled = branch.pull(
            job.results_dir,
            job.history_branch,
            job.remote,
            start=job.start_history,
            token=job.github_token,
        )
    try:
        return Store(job, pulled), doing.result()
    except BaseException:
        branch.close(pulled)
        raise


def may_push(setting: str, env: Mapping[str, str]) -> tuple[bool, str | None]:
    """Whether to push, and when not, why (for the reports).

    Under GitHub Actions, `auto` pushes only from a scheduled run, which GitHub runs on the
    default branch, or a manual run of the default branch: a pull request's, a fork's or
    another branch's run reads and judges the history without writing it.
    """
    if setting == "false":
        return False, "history-push is false: the runs filed are not pushed"
    if setting == "true" or env.get("GITHUB_ACTIONS") != "true":
        return True, None
    event = env.get("GITHUB_EVENT_NAME", "")
    if event == "schedule":
        return True, None
    if event == "workflow_dispatch" and env.get("GITHUB_REF") == _default_ref(env):
        return True, None
    where = env.get("GITHUB_REF_NAME") or env.get("GITHUB_REF") or "?"
    return False, (
        f"a {event or 'non-scheduled'} run on {where}: the history is read and judged, not "
        "written (only a scheduled run or a manual run of the default branch pushes)"
    )


def _default_ref(env: Mapping[str, str]) -> str | None:
    try:
        with open(env.get("GITHUB_EVENT_PATH", ""), encoding="utf-8") as handle:
            default = json.load(handle)["repository"]["default_branch"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return f"refs/heads/{default}" if isinstance(default, str) else None
