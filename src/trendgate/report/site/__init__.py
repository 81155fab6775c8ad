"""The history site: a static, self-contained set of pages made from a history directory.

`build(history)` makes every page as text (index.html and one page per model under m/);
`publish(pages, to)` writes them as a new directory and renames it into place. The pages
depend on nothing but the history and the settings: the same history gives the same bytes.
"""

from __future__ import annotations

from trendgate.report.site.gather import History
from trendgate.report.site.model_page import model_page
from trendgate.report.site.names import page_names
from trendgate.report.site.overview import overview


def build(history: History) -> dict[str, str]:
    """Every page of the site by its path relative to the site's root."""
    names = page_names(m.model for m in history.models)
    config = history.analysis.rules.source
    pages = {"index.html": overview(history, names)}
    for model in history.models:
        pages[names[model.model]] = model_page(model, config)
    return pages
