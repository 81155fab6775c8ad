"""Where a run came from, for the reports: its slim record's `source` (history/slim.py), and
the workflow run that produced it when the record names one on a GitHub server."""

from __future__ import annotations

import re
from dataclasses import dataclass

from trendgate.model import Run

# A host name alone after https:// (github.com, a GitHub Enterprise Server's): no user, port,
# path or query that could send a reader elsewhere.
_SERVER = re.compile(r"https://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+")
_REPOSITORY = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*/[A-Za-z0-9_-][A-Za-z0-9_.-]*")
_NUMBER = re.compile(r"[1-9][0-9]{0,19}")


@dataclass(frozen=True)
class WorkflowRun:
    """A GitHub Actions run named by a slim record's `source`, every part of it checked."""

    server: str  # https://host
    repository: str  # owner/name
    run_id: str
    attempt: str | None

    @property
    def runs(self) -> str:
        """The repository's workflow runs: the run's page is this followed by its id."""
        return f"{self.server}/{self.repository}/actions/runs/"

    @property
    def url(self) -> str:
        """The address of this run, of its attempt when the record names one."""
        page = self.runs + self.run_id
        return f"{page}/attempts/{self.attempt}" if self.attempt else page


def workflow_run(run: Run) -> WorkflowRun | None:
    """The workflow run that made `run`, or None unless its source names an https server by
    its host name, an owner/name repository and a run id (an attempt is kept if numeric)."""
    source = dict(run.source)
    server, repository = source.get("server_url"), source.get("repository")
    run_id, attempt = source.get("workflow_run_id"), source.get("workflow_run_attempt")
    if not (
        isinstance(server, str)
        and _SERVER.fullmatch(server)
        and isinstance(repository, str)
        and _REPOSITORY.fullmatch(repository)
        and isinstance(run_id, str)
        and _NUMBER.fullmatch(run_id)
    ):
        return None
    numbered = attempt if isinstance(attempt, str) and _NUMBER.fullmatch(attempt) else None
    return WorkflowRun(server, repository, run_id, numbered)
