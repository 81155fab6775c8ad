"""Where a run came from, for the reports: its slim record's `source` (history/slim.py), and
the workflow run that produced it when the record names one on a GitHub server."""

from __future__ import annotations

import re

from trendgate.model import Run

# A host name alone after https:// (github.com, a GitHub Enterprise Server's): no user, port,
# path or query that could send a reader elsewhere.
_SERVER = re.compile(r"https://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+")
_REPOSITORY = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*/[A-Za-z0-9_-][A-Za-z0-9_.-]*")
_NUMBER = re.compile(r"[1-9][0-9]{0,19}")


def workflow_run_url(run: Run) -> str | None:
    """The address of the workflow run that made `run`, or None unless its source names an
    https server by its host name, an owner/name repository and a run id."""
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
    url = f"{server}/{repository}/actions/runs/{run_id}"
    if isinstance(attempt, str) and _NUMBER.fullmatch(attempt):
        url += f"/attempts/{attempt}"
    return url
