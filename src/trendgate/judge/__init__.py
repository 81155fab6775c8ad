"""Judging: group the placed runs into one series per model, take each series' window, fit and
test its trend (the statistics live here, apart from any I/O), and replay the verdicts over the
history. `analysis.analyze` runs read -> place -> group -> window -> judge in one call.

It may import the base, `read` and `history`, never `report` or `app`.
"""
