"""Read `trendgate.yml`: the settings a flag can give, plus per-model rules, aliases and accepts.

Precedence is command line > config file > defaults. A flag wins over the file everywhere,
per-model values included, so `--threshold` on the command line means that threshold for all.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trendgate.errors import TrendgateError, UsageError
from trendgate.rules import OVERRIDABLE, Accept, ModelRule, Rules
from trendgate.settings import (
    DEFAULT_MIN_RUNS,
    DEFAULT_THRESHOLD,
    DEFAULT_WINDOW,
    X_AXES,
    Settings,
    check_confidence,
    check_min_runs,
    check_noise_runs,
    check_threshold,
    check_window,
)

if TYPE_CHECKING:
    import yaml

CONFIG_NAME = "trendgate.yml"  # read from the working directory when --config is not given
MAX_CONFIG_BYTES = 1024 * 1024
# What a config file can set that a flag can too, by the flag's argparse name.
OPTIONS = (
    "results_dir",
    "only_models",
    "window",
    "threshold",
    "min_runs",
    "confidence",
    "noise_runs",
    "segment",
    "x",
    "format",
    "json",
    "junit",
    "markdown",
    "no_fail",
    "allow_empty",
    "strict",
)


class ConfigError(UsageError):
    """A config file that cannot be used; the message starts with `file:line:`."""


@dataclass(frozen=True)
class Config:
    """A config file's content: flag-settable options (by flag name) and the rules."""

    path: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    rules: Rules = field(default_factory=Rules)

    def under(self, flags: Mapping[str, Any]) -> tuple[dict[str, Any], Rules]:
        """Options and rules once the command line's flags (None = not given) are laid over."""
        given = {name: value for name, value in flags.items() if value is not None}
        overridden = {name for name in OVERRIDABLE if name in given}
        return {**self.options, **given}, self.rules.without(overridden)


def settings_from(options: Mapping[str, Any]) -> Settings:
    """The global settings from layered options, with the defaults for what none of them set."""
    return Settings(
        options.get("window", DEFAULT_WINDOW),
        options.get("threshold", DEFAULT_THRESHOLD),
        options.get("min_runs", DEFAULT_MIN_RUNS),
        options.get("confidence"),
        options.get("segment", False),
        options.get("x", "run"),
        options.get("noise_runs"),
    )


def read_config(explicit: str | None, cwd: Path | None = None) -> Config:
    """The file named by --config, else `trendgate.yml` in the working directory, else none."""
    if explicit is not None:
        path = Path(explicit)
        if not path.exists():
            raise ConfigError(f"config file not found: {explicit}")
    else:
        path = (cwd or Path()) / CONFIG_NAME
        if not path.exists():
            return Config()
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: larger than {MAX_CONFIG_BYTES // 1024} KiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    return parse_config(text, str(path))


def parse_config(text: str, name: str) -> Config:
    """Parse config text; `name` is the file, used in messages and to resolve relative paths."""
    import yaml  # only a run with a config file needs PyYAML

    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text.count("\n", 0, exc.position) + 1
        raise ConfigError(
            f"{name}:{line}: not valid YAML (character #x{exc.character:04x}: {exc.reason})"
        ) from None
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = f"{name}:{mark.line + 1}" if mark else name
            problem = exc.problem or ""
            if exc.context and (not problem or problem.startswith("but ")):
                problem = f"{exc.context} {problem}".strip()  # "expected X but found Y"
            raise ConfigError(f"{where}: not valid YAML ({problem})") from None
        if root is None:
            return Config(path=name)
        return _Reader(name, loader).config(root)
    finally:
        loader.dispose()


class _Reader:
    """Turns the composed YAML node tree into a Config, with `file:line` on every error."""

    def __init__(self, name: str, loader: yaml.SafeLoader) -> None:
        self.name = name
        self.loader = loader
        self.base = Path(name).parent

    def setting_readers(self) -> dict[str, Callable[[yaml.Node], Any]]:
        """Readers for the settings both the top level and a `models:` entry can set."""
        return {
            "window": lambda n: self.checked(n, "window", self.whole, check_window),
            "threshold": lambda n: self.checked(n, "threshold", self.number, check_threshold),
            "min_runs": lambda n: self.checked(n, "min_runs", self.whole, check_min_runs),
        }

    def config(self, root: yaml.Node) -> Config:
        readers: dict[str, Callable[[yaml.Node], Any]] = {
            "results_dir": self.path,
            "only_models": self.model_names,
            **self.setting_readers(),
            "confidence": lambda n: self.checked(n, "confidence", self.number, check_confidence),
            "noise_runs": lambda n: self.checked(n, "noise_runs", self.whole, check_noise_runs),
            "segment": lambda n: self.scalar(n, "segment", bool),
            "x": lambda n: self.choice(n, "x", X_AXES),
            "format": lambda n: self.choice(n, "format", ("text", "json")),
            "json": self.path,
            "junit": self.path,
            "markdown": self.path,
            "no_fail": lambda n: self.scalar(n, "no_fail", bool),
            "allow_empty": lambda n: self.scalar(n, "allow_empty", bool),
            "strict": lambda n: self.scalar(n, "strict", bool),
            "models": self.models,
            "aliases": self.aliases,
            "accept": self.accepts,
        }
        values = {key: readers[key](value) for key, _, value in self.mapping(root, readers)}
        aliases: dict[str, str] = values.pop("aliases", {})
        models: tuple[tuple[ModelRule, yaml.Node], ...] = values.pop("models", ())
        accept: tuple[tuple[Accept, yaml.Node], ...] = values.pop("accept", ())
        self.check_not_aliased(aliases, [(r.pattern, n) for r, n in models])
        self.check_not_aliased(aliases, [(a.model, n) for a, n in accept])
        return Config(
            path=self.name,
            options=values,
            rules=Rules(
                models=tuple(r for r, _ in models),
                aliases=aliases,
                accept=tuple(a for a, _ in accept),
                source=self.name,
            ),
        )

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
        check: Callable[[Any], Any],
    ) -> Any:
        value = read(node, what)
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

    # -- rules

    def models(self, node: yaml.Node) -> tuple[tuple[ModelRule, yaml.Node], ...]:
        rules = []
        readers = self.setting_readers()
        readers["ignore"] = lambda n: self.scalar(n, "ignore", bool)
        for pattern, key_node, value in self.entries(node, "models"):
            fields: dict[str, Any] = {}
            for key, _, field_node in self.mapping(value, readers, f"models[{pattern!r}]"):
                fields[key] = readers[key](field_node)
            if not fields:
                raise self.error(value, f"models[{pattern!r}] sets nothing")
            rules.append((ModelRule(pattern, **fields), key_node))
        return tuple(rules)

    def aliases(self, node: yaml.Node) -> dict[str, str]:
        import yaml

        series_of: dict[str, str] = {}
        where: dict[str, yaml.Node] = {}
        for series, _, value in self.entries(node, "aliases"):
            if not isinstance(value, yaml.SequenceNode) or not value.value:
                raise self.error(value, f"aliases[{series!r}] must be a list of model names")
            for item in value.value:
                name = self.text(item, f"an alias of {series!r}")
                if name == series:
                    raise self.error(item, f"{name!r} is listed as an alias of itself")
                if name in series_of:
                    first = where[name].start_mark.line + 1
                    raise self.error(
                        item, f"{name!r} is already an alias of {series_of[name]!r} (line {first})"
                    )
                series_of[name] = series
                where[name] = item
        for name, series in series_of.items():
            if series in series_of:
                raise self.error(
                    where[name],
                    f"{series!r} is itself an alias of {series_of[series]!r}: "
                    f"list {name!r} under {series_of[series]!r}",
                )
        return series_of

    def accepts(self, node: yaml.Node) -> tuple[tuple[Accept, yaml.Node], ...]:
        import yaml

        if not isinstance(node, yaml.SequenceNode):
            raise self.error(node, "accept must be a list of entries")
        accepted = []
        known = ("model", "after_run", "after", "reason")
        for item in node.value:
            fields = {key: value for key, _, value in self.mapping(item, known, "an accept entry")}
            for required in ("model", "reason"):
                if required not in fields:
                    raise self.error(item, f"accept entry without {required!r}")
            if ("after_run" in fields) == ("after" in fields):
                raise self.error(item, "accept entry needs exactly one of 'after_run' or 'after'")
            run = fields.get("after_run")
            after = fields.get("after")
            entry = Accept(
                model=self.text(fields["model"], "model"),
                reason=self.text(fields["reason"], "reason"),
                after_run=None if run is None else self.run_id(run),
                after=None if after is None else self.time(after),
                origin=self.where(item),
            )
            accepted.append((entry, item))
        return tuple(accepted)

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

    def check_not_aliased(
        self, aliases: Mapping[str, str], names: list[tuple[str, yaml.Node]]
    ) -> None:
        """Rules name a series by its series name, never by a name merged into another."""
        for name, node in names:
            if name in aliases:
                raise self.error(
                    node, f"{name!r} is an alias of {aliases[name]!r}: name the series instead"
                )


class _Structure:
    """Stands for a mapping or list where a plain value was expected."""

    def __repr__(self) -> str:
        return "a list or mapping"


def _shown(value: Any) -> str:
    return repr(value) if not isinstance(value, (datetime, date)) else value.isoformat()
