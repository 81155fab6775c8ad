"""The release workflow's steps that need more than a shell line (.github/workflows/release.yml).

    python scripts/release.py check-tag v1.2.3      # GITHUB_OUTPUT lines: version=1.2.3, major=1
    python scripts/release.py notes                 # this version's section of CHANGELOG.md
    python scripts/release.py pin-image ghcr.io/owner/trendgate
                                                    # action.yml: image -> docker://...:1.2.3

The version is always the installed trendgate package's, which the workflow installs from
the wheel it is about to publish: the tag, the release notes and the image that the
released action.yml runs cannot name a different version than the package.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RELEASE_VERSION = re.compile(r"\d+\.\d+\.\d+")
IMAGE_NAME = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)+")
# main builds the image from the Dockerfile; the release commit replaces this one line.
DEVELOPMENT_IMAGE = re.compile(
    r"^(?P<indent>[ \t]+)image:[ \t]*(['\"]?)Dockerfile\2[ \t]*(?:#.*)?$", re.MULTILINE
)


class ReleaseError(Exception):
    """A release step that must not go ahead; the message says why."""


def package_version() -> str:
    """The version of the installed trendgate package."""
    return version("trendgate")


def check_tag(tag: str, package: str) -> dict[str, str]:
    """The version and major version a tag releases; it must be `v` + the package's version."""
    if not RELEASE_VERSION.fullmatch(package):
        raise ReleaseError(f"package version {package} is not a final release (X.Y.Z)")
    if tag != f"v{package}":
        raise ReleaseError(f"tag {tag} does not match the package version {package} (v{package})")
    return {"version": package, "major": package.split(".")[0]}


def release_notes(changelog: str, release: str) -> str:
    """The body of the `## [release] - YYYY-MM-DD` section of a Keep a Changelog file."""
    heading = re.compile(rf"^## \[{re.escape(release)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", re.MULTILINE)
    found = heading.search(changelog)
    if found is None:
        raise ReleaseError(f"CHANGELOG.md has no '## [{release}] - YYYY-MM-DD' section")
    following = re.compile(r"^## ", re.MULTILINE).search(changelog, found.end())
    body = changelog[found.end() : following.start() if following else None].strip()
    if not body:
        raise ReleaseError(f"CHANGELOG.md section {release} is empty")
    return body + "\n"


def image_reference(image: str, release: str) -> str:
    """The `runs.image` value of a released action.yml."""
    if not IMAGE_NAME.fullmatch(image):
        raise ReleaseError(f"not a lower-case image name such as ghcr.io/owner/trendgate: {image}")
    return f"docker://{image}:{release}"


def pin_image(action_yml: str, reference: str) -> str:
    """action.yml with its one `image: Dockerfile` line replaced by `image: <reference>`."""
    matches = DEVELOPMENT_IMAGE.findall(action_yml)
    if len(matches) != 1:
        raise ReleaseError(f"action.yml has {len(matches)} 'image: Dockerfile' lines, expected 1")
    return DEVELOPMENT_IMAGE.sub(lambda m: f"{m['indent']}image: {reference}", action_yml)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one release step; exit 2 with a one-line reason when it must not go ahead."""
    parser = argparse.ArgumentParser(prog="release.py", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository's top folder")
    steps = parser.add_subparsers(dest="step", required=True)
    steps.add_parser("check-tag", help="check a tag against the version").add_argument("tag")
    steps.add_parser("notes", help="print the version's CHANGELOG.md section")
    pin = steps.add_parser("pin-image", help="point action.yml at the version's image")
    pin.add_argument("image", help="registry and repository, e.g. ghcr.io/owner/trendgate")
    args = parser.parse_args(argv)
    try:
        release = package_version()
        if args.step == "check-tag":
            fields = check_tag(args.tag, release)
            print("\n".join(f"{key}={value}" for key, value in fields.items()))
        elif args.step == "notes":
            changelog = (args.root / "CHANGELOG.md").read_text(encoding="utf-8")
            sys.stdout.write(release_notes(changelog, release))
        else:
            action = args.root / "action.yml"
            reference = image_reference(args.image, release)
            action.write_text(
                pin_image(action.read_text(encoding="utf-8"), reference), encoding="utf-8"
            )
            print(reference)
    except PackageNotFoundError:
        print(
            "release.py: error: trendgate is not installed (pip install dist/*.whl)",
            file=sys.stderr,
        )
        return 2
    except (ReleaseError, OSError) as exc:
        print(f"release.py: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
