"""The file name of each model's page: readable, safe on every file system, never shared."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

PAGES = "m"  # the folder of the model pages, beside index.html
MAX_SLUG = 48
_NOT_SLUG = re.compile("[^a-z0-9]+")


def page_names(models: Iterable[str]) -> dict[str, str]:
    """Each model's page, as a path relative to the site's root (`m/<slug>-<hash>.html`).

    The slug keeps the name readable in a URL; lower-case ASCII letters and digits only, so
    no name can climb out of the folder, hit a reserved device name or differ only in case.
    The hash of the whole name tells apart the models a slug would merge
    (`a/b` and `a-b`, `GPT` and `gpt`); it grows in the unlikely case two still meet.
    """
    models = sorted(set(models))
    for length in range(10, 65, 6):
        names = {m: f"{PAGES}/{_slug(m)}-{_digest(m)[:length]}.html" for m in models}
        if len(set(names.values())) == len(names):
            return names
    raise AssertionError("two model names share a SHA-256 digest")  # not reachable in practice


def _slug(model: str) -> str:
    slug = _NOT_SLUG.sub("-", model.lower()).strip("-")[:MAX_SLUG].rstrip("-")
    return slug or "model"


def _digest(model: str) -> str:
    return hashlib.sha256(model.encode("utf-8", "surrogatepass")).hexdigest()
