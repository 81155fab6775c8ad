"""Per-model rules, aliases and accepted declines: plain data the grouping and judging apply."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from typing import Any

from trendgate.settings import Rule, Settings, positive_threshold
from trendgate.words import iso_utc

# The settings a `models:` entry may override, in the order reports list them.
OVERRIDABLE = ("window", "threshold", "min_runs", "stale_after")


@dataclass(frozen=True)
class ModelRule:
    """A `models:` entry: settings for every series whose name matches `pattern` (a glob)."""

    pattern: str
    window: int | None = None
    threshold: float | None = None
    min_runs: int | None = None
    stale_after: float | None = None
    ignore: bool | None = None
    origin: str = field(default="", compare=False)  # `file:line` of the entry, for messages

    def matches(self, model: str) -> bool:
        """True when the series name matches the pattern (case-sensitive, `*` `?` `[...]`)."""
        return fnmatchcase(model, self.pattern)

    def overrides(self) -> dict[str, Any]:
        """The settings this rule sets, by name."""
        values = {name: getattr(self, name) for name in OVERRIDABLE}
        return {name: value for name, value in values.items() if value is not None}


def after_covering(timestamp: float) -> str:
    """The `after` time of an `accept:` entry that sets aside the run at `timestamp`.

    Rounded up to the second, so the entry covers that run whatever its fraction.
    """
    return iso_utc(math.ceil(timestamp))


@dataclass(frozen=True)
class Accept:
    """An intended, reviewed decline: the series restarts after a run id or after a time."""

    model: str  # a series name or glob
    reason: str
    after_run: str | None = None
    after: float | None = None  # Unix seconds
    origin: str = ""  # `file:line` of the entry, for error messages

    def matches(self, model: str) -> bool:
        """True when the entry names this series (exactly or by glob)."""
        return fnmatchcase(model, self.model)


@dataclass(frozen=True)
class Rules:
    """Everything a config file says beyond the global settings, ready to apply."""

    models: tuple[ModelRule, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)  # result-file name -> series name
    accept: tuple[Accept, ...] = ()
    source: str | None = None  # the config file they came from
    alias_origins: Mapping[str, str] = field(default_factory=dict)  # alias -> `file:line`
    warnings: tuple[str, ...] = ()  # found while looking for the file (a misnamed one)

    def series_name(self, model: str) -> str:
        """The series a model name belongs to."""
        return self.aliases.get(model, model)

    def applied(self, model: str) -> tuple[ModelRule, ...]:
        """The `models:` entries that set something for a series, in file order."""
        return tuple(r for r in self.models if r.matches(model) and r.overrides())

    def ignored_by(self, model: str) -> str | None:
        """The pattern that ignores the series (the last matching rule to set `ignore` decides)."""
        ignoring = None
        for rule in self.models:
            if rule.ignore is not None and rule.matches(model):
                ignoring = rule.pattern if rule.ignore else None
        return ignoring

    def without(self, names: set[str]) -> Rules:
        """These rules with the named settings removed from every `models:` entry."""
        if not names:
            return self
        cleared: dict[str, Any] = {name: None for name in names}
        return replace(self, models=tuple(replace(r, **cleared) for r in self.models))

    def unmatched(
        self, series: Collection[str], models: Collection[str], where: str, judged_by: Rule
    ) -> list[str]:
        """Warnings for the rules that name nothing among these series and result-file names."""
        warnings = list(self.warnings)
        for rule in self.models:
            if not any(rule.matches(name) for name in series):
                warnings.append(
                    f"{rule.origin}: models: {rule.pattern!r} matches no model in {where}"
                )
            if rule.threshold is not None and (
                warning := positive_threshold(rule.threshold, judged_by)
            ):
                warnings.append(f"{rule.origin}: models: {rule.pattern!r}: {warning}")
        for alias, name in self.aliases.items():
            if alias not in models:
                at = self.alias_origins.get(alias, self.source)
                warnings.append(
                    f"{at}: aliases: {alias!r} (joined into {name!r}) has no runs in {where}; "
                    "check its spelling, or remove it"
                )
        for accept in self.accept:
            if not any(accept.matches(name) for name in series):
                warnings.append(
                    f"{accept.origin}: accept: {accept.model!r} matches no model in {where}"
                )
        return warnings


def settings_with(rules: Sequence[ModelRule], base: Settings) -> Settings:
    """The base settings with each rule's overrides applied in order, later ones winning."""
    values: dict[str, Any] = {}
    for rule in rules:
        values.update(rule.overrides())
    # replace() validates anew; most series have no rule, and 10,000 of them paid 0.4 s for it.
    return replace(base, **values) if values else base
