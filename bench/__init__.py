"""Benchmarks, not tests: run each from the repository root as a module, `python -m bench.run`."""
