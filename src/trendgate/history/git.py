"""git for the branch store: an environment that keeps the caller's repository and the token
out of sight, one call of git, and its complaint in one line.

A token is handed to git in the environment (GIT_CONFIG_*), as an HTTP header for the
workflow's server alone, so it never reaches a URL, a log or a config file.
"""

from __future__ import annotations

import base64
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

from trendgate.errors import InputError, UsageError

AUTHOR = ("trendgate", "trendgate@users.noreply.github.com")


def git_env(env: Mapping[str, str], token: str | None) -> dict[str, str]:
    """The environment for git: no prompt, no repository of the caller's, the token as a header.

    `safe.directory` lets a container's root read a workspace the runner's user owns; it is
    read only from the command line's configuration, which GIT_CONFIG_* is.
    """
    out = {k: v for k, v in env.items() if not k.startswith(("GIT_DIR", "GIT_WORK_TREE"))}
    out.pop("GIT_INDEX_FILE", None)
    out |= {"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_ASKPASS": "true"}
    for key, value in zip(("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL"), AUTHOR, strict=True):
        out.setdefault(key, value)
        out.setdefault(key.replace("AUTHOR", "COMMITTER"), value)
    pairs = [("safe.directory", "*")]
    if token:
        server = env.get("GITHUB_SERVER_URL") or "https://github.com"
        basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
        key = f"http.{server.rstrip('/')}/.extraheader"
        # The empty value first drops a header actions/checkout may have left in the clone.
        pairs += [(key, ""), (key, f"AUTHORIZATION: basic {basic}")]
    count = int(out.get("GIT_CONFIG_COUNT", "0") or "0")
    for index, (key, value) in enumerate(pairs, start=count):
        out[f"GIT_CONFIG_KEY_{index}"] = key
        out[f"GIT_CONFIG_VALUE_{index}"] = value
    out["GIT_CONFIG_COUNT"] = str(count + len(pairs))
    return out


def run_git(
    env: Mapping[str, str], *args: str, git_dir: Path | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    where = ["--git-dir", str(git_dir)] if git_dir else []
    try:
        return subprocess.run(
            ["git", *where, *args], input=stdin, capture_output=True, env=dict(env), check=False
        )
    except FileNotFoundError:
        raise InputError("the history branch needs git, which is not installed") from None


def open_git(
    env: Mapping[str, str], *args: str, git_dir: Path, stdin: BinaryIO
) -> subprocess.Popen[bytes]:
    """git started with its output to be read as it comes (run_git's errors)."""
    try:
        return subprocess.Popen(
            ["git", "--git-dir", str(git_dir), *args],
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=dict(env),
        )
    except FileNotFoundError:
        raise InputError("the history branch needs git, which is not installed") from None


def said(proc: subprocess.CompletedProcess[bytes]) -> str:
    """git's last line of complaint, for a one-line error (never holds the token: git
    prints URLs, and the token is never in one)."""
    lines = [line for line in proc.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1].strip() if lines else f"git exited {proc.returncode}"


def check_branch_name(branch: str, env: Mapping[str, str]) -> None:
    """UsageError for a name git would not take as a branch."""
    if branch.startswith("-") or run_git(env, "check-ref-format", "--branch", branch).returncode:
        raise UsageError(f"history-branch: {branch!r} is not a valid git branch name")


def remote_url(remote: str, env: Mapping[str, str]) -> str:
    """The URL of `remote` in the clone here, or `remote` itself when it is a URL or a path."""
    proc = run_git(env, "remote", "get-url", remote)
    if proc.returncode == 0:
        return proc.stdout.decode().strip()
    if "://" in remote or remote.startswith(("/", "./", "../")) or ":" in remote:
        return remote
    raise InputError(
        f"the history branch needs a git remote: no remote named {remote!r} here "
        f"({said(proc)}); run inside a clone, or give --remote a URL"
    )
