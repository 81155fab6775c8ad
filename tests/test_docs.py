"""The README is a first page, and every relative link in it and in docs/ leads somewhere."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.command import in_a_subprocess

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_the_readme_is_a_first_page() -> None:
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 300


def anchors(page: Path) -> set[str]:
    """GitHub's anchors for a page's headings: lower case, punctuation dropped, spaces to -."""
    headings = re.findall(r"^#+ (.+)$", page.read_text(encoding="utf-8"), re.M)
    return {re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-") for h in headings}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_relative_links_resolve(page: Path) -> None:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.exists(), f"{page.name}: {target} does not exist"
        if anchor and linked.suffix == ".md":
            assert anchor in anchors(linked), f"{page.name}: no heading for #{anchor}"


def test_the_json_sample_has_the_real_report_s_keys() -> None:
    # A field added to the report must reach the sample too: its sections' keys are compared.
    page = (ROOT / "docs" / "reports.md").read_text(encoding="utf-8")
    block = re.search(r"```json\n(.*?)```", page, re.S)
    assert block
    sample = json.loads(block.group(1))
    real = json.loads(
        in_a_subprocess(
            ROOT / "examples" / "results", "--now", "2026-05-21T00:00:00Z", "--format", "json"
        ).stdout
    )
    assert list(sample) == list(real)
    assert list(sample["settings"]) == list(real["settings"])
    shown = sample["models"][0]
    model = next(m for m in real["models"] if m["model"] == shown["model"])
    assert list(shown) == list(model)
    assert shown["status"] == model["status"] == "regression"
    for key in ("tasks", "runs", "noise"):
        part = shown[key][0] if isinstance(shown[key], list) else shown[key]
        whole = model[key][0] if isinstance(model[key], list) else model[key]
        assert list(part) == list(whole)
