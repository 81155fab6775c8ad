"""One option of the gate: how every front end spells it, and how its text is read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from trendgate.errors import UsageError
from trendgate.settings import parse_float, parse_int

# How an option's value is written, which decides how each front end reads it.
Kind = Literal["int", "float", "bool", "choice", "path", "names", "text"]
Command = Literal["gate", "backtest", "add"]


@dataclass(frozen=True)
class Option:
    """One option of the gate, as every front end spells it."""

    name: str  # the Job field, and the config file's key
    kind: Kind
    help: str
    flag: str | None = None  # None: no command-line flag (the positional RESULTS_DIR)
    metavar: str | None = None
    choices: tuple[str, ...] = ()
    check: Callable[[Any], Any] | None = None  # validates a value from any front end
    input: str | None = None  # the Action input, or None where a workflow has no use for it
    input_help: str | None = None  # where the Action's wording must differ (workspace paths)
    inverted_input: bool = False  # the input means the opposite (fail-on-regression)
    commands: tuple[Command, ...] = ("gate", "backtest")  # the commands that take it
    report: str | None = None  # a report format's file option: the format's name
    in_config: bool = True  # a config file can set it, under the key `name`

    @property
    def input_description(self) -> str:
        """The Action input's description in action.yml."""
        return self.input_help or f"{self.help[0].upper()}{self.help[1:]}."

    def parse(self, text: str) -> Any:
        """The value of a flag or input given as text; UsageError when it is not valid."""
        label = self.flag.lstrip("-") if self.flag else self.name
        value: Any
        if self.kind == "int":
            value = parse_int(label, text)
        elif self.kind == "float":
            value = parse_float(label, text)
        elif self.kind == "choice":
            value = text.strip()
            if value not in self.choices:
                listed = ", ".join(self.choices)
                raise UsageError(f"{label} must be one of {listed} (got {text!r})")
        elif self.kind == "names":
            value = tuple(n.strip() for n in text.replace("\n", ",").split(",") if n.strip())
        else:
            value = text
        return self.check(value) if self.check else value


def option_field(default: Any, kind: Kind, help: str, **spec: Any) -> Any:
    """A Job field that is also a row of the options table."""
    return field(default=default, metadata={"option": (kind, help, spec)})
