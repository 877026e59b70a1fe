"""Post front matter: the schema every post follows and its validation at build time."""

from __future__ import annotations

from hooks.frontmatter.build import CheckedPosts, check_posts
from hooks.frontmatter.schema import REQUIRED_KEYS, Rules
from hooks.frontmatter.validate import validate_post, validate_posts

__all__ = [
    "REQUIRED_KEYS",
    "CheckedPosts",
    "Rules",
    "check_posts",
    "validate_post",
    "validate_posts",
]
