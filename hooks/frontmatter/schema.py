"""What a post's front matter may contain: the keys, their types and the site's vocabularies.

Plain data, no MkDocs: ``Rules`` is filled from mkdocs.yml and ``.authors.yml`` by the build
adapter and from arguments in tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Keys every post must set, in the order ``make new-post`` writes them.
REQUIRED_KEYS: tuple[str, ...] = (
    "title",
    "description",
    "date",
    "authors",
    "categories",
    "tags",
    "slug",
)
#: Keys a post may set (Material's post options and page options we use).
OPTIONAL_KEYS: frozenset[str] = frozenset(
    {"draft", "pin", "readtime", "links", "hide", "search", "comments", "updated"}
)
#: Post files are named ``YYYY-MM-DD-slug.md``.
POST_FILENAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_DESCRIPTION = 160
MAX_TITLE = 120


@dataclass(frozen=True)
class Rules:
    """The site-specific vocabularies a post is checked against."""

    authors: frozenset[str]
    categories: frozenset[str]
    excerpt_separator: str = "<!-- more -->"
    max_description: int = MAX_DESCRIPTION
    known_keys: frozenset[str] = field(
        default_factory=lambda: frozenset(REQUIRED_KEYS) | OPTIONAL_KEYS
    )
