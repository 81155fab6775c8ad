"""Start-up: `--version` and a run over an empty directory import only what they need."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

# What only some runs need: YAML for a config file, the analysis for anything but --version.
# Standard-library modules that the interpreter's own start-up may import differ by version
# (importlib.metadata pulls in json on 3.13 and threading on 3.10), so only trendgate's own
# choices are checked. The gate runs in one thread; only 600 files or more are parsed in two
# processes (read/halves.py), so a small run imports no pool and no pickle.
PARALLEL = {"multiprocessing", "concurrent.futures", "pickle"}
ANALYSIS = {
    "trendgate.judge.analysis",
    "trendgate.read.place",
    "trendgate.read.pinchbench",
    "trendgate.report.text",
}


# What only `add` or a run that writes a file needs (hashlib loads OpenSSL); checked against
# what the interpreter's own start-up imported, which may include them.
WRITING = {"hashlib", "tempfile", "uuid"}


def modules_at_startup() -> set[str]:
    """The modules a fresh interpreter has imported before running anything."""
    script = "import sys\nprint(sorted(sys.modules), file=sys.stderr)\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    return set(ast.literal_eval(done.stderr.strip().splitlines()[-1]))


def modules_after(*argv: str) -> set[str]:
    """The modules imported by one `trendgate ARGS` in a fresh interpreter."""
    script = (
        "import sys\n"
        "from trendgate.app.cli import main\n"
        "try:\n"
        f"    main({list(argv)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    return set(ast.literal_eval(done.stderr.strip().splitlines()[-1]))


def test_version_imports_neither_the_analysis_nor_the_parser() -> None:
    loaded = modules_after("--version")
    assert loaded.isdisjoint(ANALYSIS | PARALLEL | {"yaml"})
    assert "importlib.metadata" in loaded  # where the version comes from


def test_empty_directory_imports_neither_yaml_nor_the_version_lookup(tmp_path: Path) -> None:
    loaded = modules_after(str(tmp_path), "--allow-empty")
    assert "trendgate.judge.analysis" in loaded
    assert loaded.isdisjoint(PARALLEL | {"yaml", "importlib.metadata"})


def test_a_directory_of_files_is_read_without_a_pool(tmp_path: Path) -> None:
    for i in range(20):
        (tmp_path / f"{i}.json").write_text("{}")
    loaded = modules_after(str(tmp_path))
    assert "trendgate.read.load" in loaded
    assert loaded.isdisjoint(PARALLEL)
    assert (loaded - modules_at_startup()).isdisjoint(WRITING)
