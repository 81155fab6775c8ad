"""Read `trendgate.yml`: the settings a flag can give, plus per-model rules, aliases and accepts.

Precedence is command line > config file > defaults. A flag wins over the file everywhere,
per-model values included, so `--threshold` on the command line means that threshold for all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trendgate.app.job import OPTIONS_BY_NAME, OPTIONS
from trendgate.app.option import Option
from trendgate.app.yaml_nodes import ConfigError, NodeReader
from trendgate.rules import OVERRIDABLE, Accept, ModelRule, Rules

if TYPE_CHECKING:
    import yaml

CONFIG_NAME = "trendgate.yml"  # read from the working directory when --config is not given
MISNAMED = "trendgate.yaml"  # the other spelling, which is not read
MAX_CONFIG_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Config:
    """A config file's content: flag-settable options (by flag name) and the rules."""

    path: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    rules: Rules = field(default_factory=Rules)
    origins: Mapping[str, str] = field(default_factory=dict)  # option name -> `file:line`


def read_config(explicit: str | None, cwd: Path | None = None) -> Config:
    """The file named by --config, else `trendgate.yml` in the working directory, else none."""
    if explicit is not None:
        path = Path(explicit)
        if not path.exists():
            raise ConfigError(f"config file not found: {explicit}")
    else:
        path = (cwd or Path()) / CONFIG_NAME
        if not path.exists():
            if (path.parent / MISNAMED).exists():
                return Config(rules=Rules(warnings=(_misnamed(path.parent / MISNAMED),)))
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


def _misnamed(path: Path) -> str:
    return f"{path} is not read: trendgate reads {CONFIG_NAME}; rename it, or pass --config {path}"


class _Reader(NodeReader):
    """Turns the composed YAML node tree into a Config, with `file:line` on every error."""

    def option_reader(self, option: Option) -> Callable[[yaml.Node], Any]:
        """The reader of an option's value, by the kind of value it takes."""
        name = option.name
        if option.kind == "int":
            return lambda n: self.checked(n, name, self.whole, option.check)
        if option.kind == "float":
            return lambda n: self.checked(n, name, self.number, option.check)
        if option.kind == "bool":
            return lambda n: self.scalar(n, name, bool)
        if option.kind == "choice":
            return lambda n: self.choice(n, name, option.choices)
        if option.kind == "names":
            return self.model_names
        if option.kind == "text":
            return lambda n: self.checked(n, name, self.text, option.check)
        return self.path

    def setting_readers(self) -> dict[str, Callable[[yaml.Node], Any]]:
        """Readers for the settings both the top level and a `models:` entry can set."""
        return {name: self.option_reader(OPTIONS_BY_NAME[name]) for name in OVERRIDABLE}

    def config(self, root: yaml.Node) -> Config:
        readers: dict[str, Callable[[yaml.Node], Any]] = {
            option.name: self.option_reader(option) for option in OPTIONS if option.in_config
        }
        readers |= {
            "models": self.models,
            "aliases": self.aliases,
            "accept": self.accepts,
        }
        entries = self.mapping(root, readers)
        values = {key: readers[key](value) for key, _, value in entries}
        origins = {key: self.where(key_node) for key, key_node, _ in entries}
        aliases, alias_origins = values.pop("aliases", ({}, {}))
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
                alias_origins=alias_origins,
            ),
            origins=origins,
        )

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
            rules.append((ModelRule(pattern, **fields, origin=self.where(key_node)), key_node))
        return tuple(rules)

    def aliases(self, node: yaml.Node) -> tuple[dict[str, str], dict[str, str]]:
        """Each alias's series, and where each alias is listed."""
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
        return series_of, {name: self.where(node) for name, node in where.items()}

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

    def check_not_aliased(
        self, aliases: Mapping[str, str], names: list[tuple[str, yaml.Node]]
    ) -> None:
        """Rules name a series by its series name, never by a name merged into another."""
        for name, node in names:
            if name in aliases:
                raise self.error(
                    node, f"{name!r} is an alias of {aliases[name]!r}: name the series instead"
                )
