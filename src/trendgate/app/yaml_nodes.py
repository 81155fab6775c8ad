"""Read values out of a composed YAML node tree, with `file:line` on every error."""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Collection
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trendgate.errors import TrendgateError, UsageError

if TYPE_CHECKING:  # PyYAML is imported only when a config file is read
    import yaml


class ConfigError(UsageError):
    """A config file that cannot be used; the message starts with `file:line:`."""


class NodeReader:
    """Typed values from the nodes of one YAML file, each error naming the file and line."""

    def __init__(self, name: str, loader: yaml.SafeLoader) -> None:
        self.name = name
        self.loader = loader
        self.base = Path(name).parent

    # -- structure

    def where(self, node: yaml.Node) -> str:
        return f"{self.name}:{node.start_mark.line + 1}"

    def error(self, node: yaml.Node, message: str) -> ConfigError:
        return ConfigError(f"{self.where(node)}: {message}")

    def mapping(
        self, node: yaml.Node, known: Collection[str], what: str = "the config"
    ) -> list[tuple[str, yaml.Node, yaml.Node]]:
        """The (key, key node, value node) entries of a mapping with only `known` keys."""
        entries = self.entries(node, what)
        for key, key_node, _ in entries:
            if key not in known:
                hint = difflib.get_close_matches(key, list(known), n=1)
                suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
                raise self.error(key_node, f"unknown key {key!r}{suggestion}")
        return entries

    def entries(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
        """The (key, key node, value node) entries of a mapping with string keys, no repeats."""
        import yaml

        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, f"{what} must be a mapping of keys to values")
        seen: dict[str, yaml.Node] = {}
        entries = []
        for key_node, value in node.value:
            key = self.construct(key_node)
            if not isinstance(key, str):
                raise self.error(key_node, f"keys of {what} must be strings (got {key!r})")
            if key in seen:
                first = seen[key].start_mark.line + 1
                raise self.error(key_node, f"duplicate key {key!r} (first on line {first})")
            seen[key] = key_node
            entries.append((key, key_node, value))
        return entries

    def construct(self, node: yaml.Node) -> Any:
        """A scalar's value as yaml.safe_load would give it."""
        import yaml

        if not isinstance(node, yaml.ScalarNode):
            return _Structure()
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.MarkedYAMLError as exc:  # a tag safe_load refuses, such as !!python/name
            raise self.error(node, f"not valid YAML ({exc.problem})") from None

    # -- values

    def scalar(self, node: yaml.Node, what: str, kind: type[bool] | type[str]) -> Any:
        value = self.construct(node)
        if isinstance(value, kind):
            return value
        expected = "true or false" if kind is bool else "a string"
        raise self.error(node, f"{what} must be {expected} (got {_shown(value)})")

    def whole(self, node: yaml.Node, what: str) -> int:
        value = self.construct(node)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise self.error(node, f"{what} must be a whole number (got {_shown(value)})")

    def number(self, node: yaml.Node, what: str) -> float:
        value = self.construct(node)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if not math.isfinite(value):
                raise self.error(node, f"{what} must be a finite number (got {value})")
            return float(value)
        raise self.error(node, f"{what} must be a number (got {_shown(value)})")

    def checked(
        self,
        node: yaml.Node,
        what: str,
        read: Callable[[yaml.Node, str], Any],
        check: Callable[[Any], Any] | None,
    ) -> Any:
        value = read(node, what)
        if check is None:
            return value
        try:
            return check(value)
        except TrendgateError as exc:
            raise self.error(node, str(exc)) from None

    def text(self, node: yaml.Node, what: str) -> str:
        value = self.scalar(node, what, str)
        if not value.strip():
            raise self.error(node, f"{what} must not be empty")
        return str(value)

    def path(self, node: yaml.Node) -> str:
        """A path, relative to the config file's directory."""
        return str(self.base / self.text(node, "a path"))

    def model_names(self, node: yaml.Node) -> tuple[str, ...]:
        """A non-empty list of model names (what repeated --model flags give)."""
        import yaml

        if not isinstance(node, yaml.SequenceNode) or not node.value:
            raise self.error(node, "only_models must be a list of model names")
        return tuple(self.text(item, "a model name") for item in node.value)

    def choice(self, node: yaml.Node, what: str, choices: tuple[str, ...]) -> str:
        value = self.text(node, what)
        if value not in choices:
            listed = " or ".join(repr(c) for c in choices)
            raise self.error(node, f"{what} must be {listed} (got {value!r})")
        return value

    def run_id(self, node: yaml.Node) -> str:
        value = self.construct(node)
        if not isinstance(value, str):
            raw = node.value if isinstance(node.value, str) else "..."
            raise self.error(node, f'after_run must be a string: quote it ("{raw}")')
        return value

    def time(self, node: yaml.Node) -> float:
        value = self.construct(node)
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                raise self.error(node, f"after must be an ISO 8601 time (got {value!r})") from None
        if not isinstance(value, datetime):
            kind = "a date without a time" if isinstance(value, date) else _shown(value)
            raise self.error(node, f"after must be a time such as 2026-05-01T00:00:00Z ({kind})")
        if value.tzinfo is None:
            raise self.error(node, "after needs a time zone, e.g. 2026-05-01T00:00:00Z")
        return value.timestamp()


class _Structure:
    """Stands for a mapping or list where a plain value was expected."""

    def __repr__(self) -> str:
        return "a list or mapping"


def _shown(value: Any) -> str:
    return repr(value) if not isinstance(value, (datetime, date)) else value.isoformat()
