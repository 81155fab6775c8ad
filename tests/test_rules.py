"""Per-model rules: glob matching, the order rules apply in, what a flag removes."""

from __future__ import annotations

from trendgate.rules import ModelRule, Rules, settings_with
from trendgate.settings import Settings


def test_globs_match_case_sensitively_and_whole_names() -> None:
    rule = ModelRule("openrouter/qwen/*:free", ignore=True)
    assert rule.matches("openrouter/qwen/qwen3-coder:free")
    assert not rule.matches("openrouter/qwen/qwen3-coder")
    assert not rule.matches("OpenRouter/qwen/qwen3-coder:free")
    assert not rule.matches("x/openrouter/qwen/qwen3-coder:free")
    assert ModelRule("m-?", window=3).matches("m-1")
    assert ModelRule("m-[ab]", window=3).matches("m-b")
    assert not ModelRule("m-[ab]", window=3).matches("m-c")


def test_later_matching_rules_win_key_by_key() -> None:
    rules = Rules(
        models=(
            ModelRule("openrouter/*", threshold=-1.0, window=5),
            ModelRule("other/*", threshold=-9.0),
            ModelRule("openrouter/anthropic/*", threshold=-2.0),
        )
    )
    applied = rules.applied("openrouter/anthropic/claude")
    assert [r.pattern for r in applied] == ["openrouter/*", "openrouter/anthropic/*"]
    settings = settings_with(applied, Settings(window=10, threshold=-0.5, min_runs=3))
    assert settings == Settings(window=5, threshold=-2.0, min_runs=3)
    assert settings_with(rules.applied("openrouter/openai/gpt"), Settings()).threshold == -1.0
    assert rules.applied("unmatched") == ()


def test_ignore_is_decided_by_the_last_matching_rule_that_sets_it() -> None:
    rules = Rules(
        models=(
            ModelRule("openrouter/*", ignore=True),
            ModelRule("openrouter/keep/*", ignore=False),
            ModelRule("openrouter/keep/this", threshold=-1.0),
        )
    )
    assert rules.ignored_by("openrouter/x") == "openrouter/*"
    assert rules.ignored_by("openrouter/keep/this") is None
    assert rules.ignored_by("elsewhere") is None


def test_aliases_name_the_series() -> None:
    rules = Rules(aliases={"openrouter/anthropic/claude-opus-4.6": "anthropic/claude-opus-4.6"})
    assert rules.series_name("openrouter/anthropic/claude-opus-4.6") == "anthropic/claude-opus-4.6"
    assert rules.series_name("anthropic/claude-opus-4.6") == "anthropic/claude-opus-4.6"
    assert rules.series_name("other") == "other"


def test_without_drops_the_named_settings_and_rules_left_empty() -> None:
    rules = Rules(models=(ModelRule("a", threshold=-1.0, window=4), ModelRule("a", threshold=-2.0)))
    left = rules.without({"threshold"})
    assert left.models == (ModelRule("a", window=4), ModelRule("a"))
    assert [r.pattern for r in left.applied("a")] == ["a"]  # the empty one no longer applies
    assert rules.without(set()) is rules
