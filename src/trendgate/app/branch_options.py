"""The history branch's options (docs/nightly.md), declared as the rest of the Job's are: the Job
inherits them, so each is a row of the same options table."""

from __future__ import annotations

from dataclasses import dataclass

from trendgate.app.option import option_field


@dataclass(frozen=True)
class BranchOptions:
    """Where the history lives when it is kept on a git branch, and whether to push to it."""

    slim: bool = option_field(
        False,
        "bool",
        "file each run slim: the keys the gate reads, and its source (always on a history branch)",
        flag="--slim",
        input="slim",
        commands=("gate", "add"),
    )
    history_branch: str | None = option_field(
        None,
        "text",
        "keep the history on this git branch: fetch, file the runs (slim), judge, commit, push",
        flag="--history-branch",
        input="history-branch",
        commands=("gate", "add"),
    )
    remote: str = option_field(
        "origin",
        "text",
        "with a history branch: the clone's git remote, or a URL (default origin)",
        flag="--remote",
        input="remote",
        commands=("gate", "add"),
    )
    start_history: bool = option_field(
        False,
        "bool",
        "with a history branch: begin it when it does not exist (else that is exit 2)",
        flag="--start-history",
        input="start-history",
        in_config=False,
        commands=("gate", "add"),
    )
    history_push: str = option_field(
        "auto",
        "choice",
        "with a history branch: push the runs filed (true), never (false), or auto: under "
        "GitHub Actions only from a scheduled or manual run of the default branch",
        flag="--history-push",
        choices=("auto", "true", "false"),
        input="history-push",
        commands=("gate", "add"),
    )
    github_token: str | None = option_field(
        None,
        "text",
        "the token for the history branch, sent only to GitHub (default the job's token)",
        input="github-token",
        in_config=False,
    )
