"""Headings of the blog's generated views (category pages), kept out of the templates' logic.

Material titles a category page with the bare category name; a reader landing from a category
link should read what the page is: "All posts in category Kubernetes". The heading is passed to
the theme override (hooks/theme/blog.html) through page metadata, so the view's own title (used
in the "in Kubernetes" links of every excerpt) stays the plain name.
"""

from __future__ import annotations

import re

from mkdocs.structure.pages import Page

CATEGORY_PREFIX = "blog/category/"


def annotate_view(page: Page) -> None:
    if not page.file.src_uri.startswith(CATEGORY_PREFIX) or not page.title:
        return
    name = str(page.title)
    page.meta["view_heading"] = f"All posts in category {name}"
    page.meta["view_anchor"] = re.sub(r"[^a-z0-9]+", "-", f"all posts in category {name}".lower())
