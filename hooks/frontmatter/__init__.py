"""Post front matter: the schema every post follows and its validation at build time."""

from __future__ import annotations

from typing import Any


def check_posts(files: Any, config: Any, report: Any) -> None:
    """Placeholder until validation lands (see hooks/frontmatter/validate.py)."""
