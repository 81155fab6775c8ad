"""scripts/release.py, the release workflow's steps, and the distributions it publishes."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
import tomli
import yaml

from scripts.release import ReleaseError, check_tag, image_reference, pin_image, release_notes
from tests.builders import REPO

SCRIPT = REPO / "scripts" / "release.py"
WORKFLOW = REPO / ".github" / "workflows" / "release.yml"
VERSION = tomli.loads((REPO / "pyproject.toml").read_text())["project"]["version"]

ACTION_YML = """\
name: x
description: y
runs:
  using: docker
  image: Dockerfile # built from this repository on main
"""

CHANGELOG = """\
# Changelog

## [Unreleased]

### Added
- Something new.

## [1.2.0] - 2026-12-01

### Fixed
- A bug.

## [1.1.0] - 2026-11-01

### Added
- The start.

## [1.0.0] - 2026-10-01

"""


def run_script(*args: str, root: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--root", str(root), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_tag_must_be_v_and_the_package_version() -> None:
    assert check_tag("v1.2.3", "1.2.3") == {"version": "1.2.3", "major": "1"}
    assert check_tag("v10.0.7", "10.0.7")["major"] == "10"
    with pytest.raises(
        ReleaseError, match=r"tag v1\.2\.4 does not match the package version 1\.2\.3"
    ):
        check_tag("v1.2.4", "1.2.3")
    with pytest.raises(ReleaseError, match="does not match"):
        check_tag("1.2.3", "1.2.3")


def test_a_pre_release_is_not_released_by_this_workflow() -> None:
    # Moving the major tag to a release candidate would ship it to every `@v1` user.
    with pytest.raises(ReleaseError, match="not a final release"):
        check_tag("v1.3.0rc1", "1.3.0rc1")


def test_release_notes_are_the_versions_section_only() -> None:
    assert release_notes(CHANGELOG, "1.2.0") == "### Fixed\n- A bug.\n"
    assert release_notes(CHANGELOG, "1.1.0") == "### Added\n- The start.\n"
    with pytest.raises(ReleaseError, match=r"no '## \[1\.2\] - YYYY-MM-DD' section"):
        release_notes(CHANGELOG, "1.2")
    with pytest.raises(ReleaseError, match="no"):
        release_notes(CHANGELOG, "1.x2.0")
    with pytest.raises(ReleaseError, match=r"section 1\.0\.0 is empty"):
        release_notes(CHANGELOG, "1.0.0")


def test_pinning_changes_the_image_line_and_nothing_else() -> None:
    reference = image_reference("ghcr.io/owner/trendgate", "1.2.3")
    assert reference == "docker://ghcr.io/owner/trendgate:1.2.3"
    pinned = pin_image(ACTION_YML, reference)
    assert pinned == ACTION_YML.replace(
        "  image: Dockerfile # built from this repository on main",
        "  image: docker://ghcr.io/owner/trendgate:1.2.3",
    )
    quoted = ACTION_YML.replace(
        "image: Dockerfile # built from this repository on main", "image: 'Dockerfile'"
    )
    assert pin_image(quoted, reference).endswith(
        "  image: docker://ghcr.io/owner/trendgate:1.2.3\n"
    )


@pytest.mark.parametrize(
    "action_yml",
    [
        ACTION_YML.replace("image: Dockerfile", "image: docker://ghcr.io/owner/trendgate:1.0.0"),
        ACTION_YML + "  # image: Dockerfile\n  image: Dockerfile\n",
        ACTION_YML.replace("image: Dockerfile", "image: Dockerfile.dev"),
    ],
)
def test_pinning_refuses_an_action_yml_without_exactly_one_dockerfile_line(action_yml: str) -> None:
    with pytest.raises(ReleaseError, match="'image: Dockerfile' lines, expected 1"):
        pin_image(action_yml, "docker://ghcr.io/o/t:1.0.0")


@pytest.mark.parametrize("image", ["ghcr.io/Owner/trendgate", "trendgate", "ghcr.io/o/t:1.0", ""])
def test_pinning_refuses_an_image_name_that_is_not_lower_case_without_tag(image: str) -> None:
    with pytest.raises(ReleaseError, match="not a lower-case image name"):
        image_reference(image, "1.0.0")


def test_the_release_commits_image_is_the_package_version(tmp_path: Path) -> None:
    (tmp_path / "action.yml").write_text(ACTION_YML)
    result = run_script("pin-image", "ghcr.io/pinchbench/trendgate", root=tmp_path)
    assert result.returncode == 0, result.stderr
    expected = f"docker://ghcr.io/pinchbench/trendgate:{VERSION}"
    assert result.stdout == expected + "\n"
    image_lines = re.findall(r"^\s+image:\s*(.*)$", (tmp_path / "action.yml").read_text(), re.M)
    assert image_lines == [expected]


@pytest.mark.tools
def test_the_released_action_yml_differs_only_in_its_image(tmp_path: Path) -> None:
    (tmp_path / "action.yml").write_text((REPO / "action.yml").read_text())
    result = run_script("pin-image", "ghcr.io/pinchbench/trendgate", root=tmp_path)
    assert result.returncode == 0, result.stderr
    main = yaml.safe_load((REPO / "action.yml").read_text())
    released = yaml.safe_load((tmp_path / "action.yml").read_text())
    assert released["runs"].pop("image") == f"docker://ghcr.io/pinchbench/trendgate:{VERSION}"
    assert main["runs"].pop("image") == "Dockerfile"
    assert released == main
    schema = subprocess.run(
        [
            str(Path(sys.executable).with_name("check-jsonschema")),
            "--builtin-schema",
            "vendor.github-actions",
            str(tmp_path / "action.yml"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr


def test_check_tag_writes_github_output_lines() -> None:
    result = run_script("check-tag", f"v{VERSION}")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"version={VERSION}\nmajor={VERSION.split('.')[0]}\n"


def test_a_failing_step_exits_2_with_one_line(tmp_path: Path) -> None:
    result = run_script("check-tag", "v0.0.0-wrong")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("release.py: error: tag v0.0.0-wrong does not match")
    missing = run_script("pin-image", "ghcr.io/o/t", root=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.startswith("release.py: error: [Errno 2] No such file or directory")


def test_notes_print_the_installed_versions_section(tmp_path: Path) -> None:
    changelog = CHANGELOG.replace("1.2.0", VERSION)
    (tmp_path / "CHANGELOG.md").write_text(changelog)
    result = run_script("notes", root=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "### Fixed\n- A bug.\n"


def test_the_changelog_keeps_a_changelog() -> None:
    text = (REPO / "CHANGELOG.md").read_text()
    assert text.startswith("# Changelog\n")
    headings = re.findall(r"^(##+) (.*)$", text, re.M)
    versions = [h for level, h in headings if level == "##"]
    assert versions[0] == "[Unreleased]"
    released = [re.fullmatch(r"\[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}", v) for v in versions[1:]]
    assert all(released), f"not '[X.Y.Z] - YYYY-MM-DD': {versions[1:]}"
    numbers = [tuple(int(n) for n in m[1].split(".")) for m in released if m]
    assert numbers == sorted(numbers, reverse=True), "newest release first"
    kinds = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
    assert {h for level, h in headings if level == "###"} <= kinds
    for m in released:
        assert m and release_notes(text, m[1])


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and wheel, built as the release workflow builds them."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    return out


@pytest.mark.release
def test_the_wheel_ships_the_typed_package_at_the_version(dists: Path) -> None:
    (wheel,) = dists.glob("*.whl")
    assert wheel.name == f"trendgate-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        metadata = zf.read(f"trendgate-{VERSION}.dist-info/METADATA").decode()
        entry_points = zf.read(f"trendgate-{VERSION}.dist-info/entry_points.txt").decode()
    assert {
        "trendgate/py.typed",
        "trendgate/app/proposal.py",
        "trendgate/judge/trend.py",
        "trendgate/__init__.py",
    } <= names
    assert not any(n.startswith(("tests/", "scripts/")) for n in names)
    assert f"\nVersion: {VERSION}\n" in metadata
    assert "trendgate = trendgate.app.cli:main" in entry_points


@pytest.mark.release
def test_the_sdist_builds_the_same_package(dists: Path) -> None:
    (sdist,) = dists.glob("*.tar.gz")
    assert sdist.name == f"trendgate-{VERSION}.tar.gz"
    with tarfile.open(sdist) as tf:
        names = set(tf.getnames())
    top = f"trendgate-{VERSION}"
    assert {f"{top}/pyproject.toml", f"{top}/README.md", f"{top}/src/trendgate/py.typed"} <= names


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def release_step(name: str) -> str:
    """The shell script of the release job's step called `name`, as the workflow runs it."""
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["release"]["steps"]
    (step,) = [s for s in steps if s.get("name") == name]
    script: str = step["run"]
    return script


@pytest.mark.release
def test_the_release_step_tags_a_commit_that_runs_the_versions_image(
    dists: Path, tmp_path: Path
) -> None:
    # A checkout of the tagged commit, as in the release job, with a remote to push the tags to.
    origin, work = tmp_path / "origin.git", tmp_path / "work"
    git(tmp_path, "init", "--quiet", "--bare", str(origin))
    git(tmp_path, "init", "--quiet", str(work))
    (work / "scripts").mkdir()
    (work / "scripts" / "release.py").write_text(SCRIPT.read_text())
    (work / "action.yml").write_text((REPO / "action.yml").read_text())
    git(work, "add", ".")
    git(work, "-c", "user.name=m", "-c", "user.email=m@example.org", "commit", "-qm", "main")
    tagged = git(work, "rev-parse", "HEAD")
    major = VERSION.split(".")[0]
    git(work, "tag", f"v{VERSION}")
    git(work, "tag", f"v{major}", tagged)  # the previous release's major tag, to be moved
    git(work, "remote", "add", "origin", str(origin))
    git(work, "push", "--quiet", "origin", "--tags")
    (work / "dist").mkdir()
    for dist in dists.iterdir():
        (work / "dist" / dist.name).write_bytes(dist.read_bytes())
    # The step installs the wheel: give it a Python of its own, not the one running the tests.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "GITHUB_REPOSITORY": "PinchBench/TrendGate",
        "VERSION": VERSION,
        "MAJOR": major,
    }
    script = release_step("Make the release commit, move the version and major tags to it")

    subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
    )

    released = git(origin, "rev-parse", f"v{VERSION}^{{commit}}")
    assert git(origin, "rev-parse", f"v{major}^{{commit}}") == released
    assert git(origin, "rev-parse", f"{released}^") == tagged
    assert git(origin, "diff", "--name-only", tagged, released) == "action.yml"
    action_yml = git(origin, "show", f"{released}:action.yml")
    assert re.findall(r"^\s+image:\s*(.*)$", action_yml, re.M) == [
        f"docker://ghcr.io/pinchbench/trendgate:{VERSION}"
    ]
    assert git(origin, "cat-file", "-t", f"v{VERSION}") == "tag"  # annotated


def test_without_the_package_installed_the_script_says_so() -> None:
    # -S: no site-packages, so no trendgate, as on a runner before the wheel is installed.
    result = subprocess.run(
        [sys.executable, "-S", str(SCRIPT), "check-tag", "v1.0.0"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert (
        result.stderr == "release.py: error: trendgate is not installed (pip install dist/*.whl)\n"
    )
