"""The public Python API: its names, their documentation, and the inline types."""

from __future__ import annotations

import inspect
from pathlib import Path

import trendgate


def test_every_public_name_is_importable_and_documented() -> None:
    assert {"RunTrendAnalyzer", "RunPoint", "RunTrendReport", "analyze", "Settings"} <= set(
        trendgate.__all__
    )
    assert "__version__" in trendgate.__all__
    for name in trendgate.__all__:
        value = getattr(trendgate, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__doc__, f"trendgate.{name} has no docstring"


def test_the_package_declares_inline_types() -> None:
    assert (Path(trendgate.__file__).parent / "py.typed").is_file()
