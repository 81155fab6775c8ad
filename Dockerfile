# The GitHub Action's image. Tag-pinned (not digest) so the local test harness can stand in.
FROM python:3.12-slim AS build
COPY pyproject.toml README.md /src/
COPY src /src/src
# With its one dependency (PyYAML, for the config file), so the final stage needs no index.
RUN pip wheel --no-cache-dir --wheel-dir /wheels /src

FROM python:3.12-slim
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONSAFEPATH=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore
# git for the history branch (history-branch); see docs/nightly.md for what it costs.
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends git \
    && apt-get clean && rm -rf /var/lib/apt/lists/*
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index /wheels/*.whl && rm -rf /wheels
# No USER: GitHub runs Docker actions as root; the entrypoint returns file ownership itself.
ENTRYPOINT ["/usr/local/bin/trendgate-action"]
