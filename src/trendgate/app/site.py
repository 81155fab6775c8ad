"""The history site as a job: `trendgate site HISTORY --to DIR`, or the gate's `--site DIR`."""

from __future__ import annotations

from pathlib import Path

from trendgate.app.gate import decide_exit
from trendgate.app.job import Job
from trendgate.errors import EXIT_ERROR, EXIT_OK, TrendgateError
from trendgate.report.site import build
from trendgate.report.site.gather import History, gather
from trendgate.report.site.publish import publish
from trendgate.report.write import check_outside
from trendgate.rules import Rules
from trendgate.words import count


def replayed(job: Job, rules: Rules) -> History:
    """The history the site shows, read as the job's options and config say."""
    assert job.site is not None
    check_outside(Path(job.site) / "index.html", Path(job.results_dir))
    return gather(Path(job.results_dir), job.settings, models=job.only_models, rules=rules)


def put_in_place(history: History, to: Path) -> list[Path]:
    """Build every page and put the site at `to` (the paths written); TrendgateError when it
    cannot be written."""
    try:
        return publish(build(history), to)
    except OSError as exc:
        raise TrendgateError(f"cannot write the site to {to}: {exc.strerror or exc}") from None


def site_job(job: Job, rules: Rules) -> tuple[int, str, str | None, list[Path]]:
    """The `site` command: its exit code, what it prints, the error behind exit code 2, and
    the paths it wrote.

    Exit 0 whatever the verdicts; 2 on bad input, as the gate (nothing readable, a skipped
    file with --strict), and then no site is written.
    """
    history = replayed(job, rules)
    decision = decide_exit(
        history.analysis,
        fail_on_regression=False,
        allow_empty=job.allow_empty,
        allow_unjudged=True,
        strict=job.strict,
    )
    if decision.code == EXIT_ERROR:
        return EXIT_ERROR, "", decision.reason, []
    assert job.site is not None
    written = put_in_place(history, Path(job.site))
    models = count(len(history.models), "model")
    return EXIT_OK, f"trendgate: wrote the history site of {models} to {job.site}\n", None, written
