"""Under ``mkdocs serve``, a post with bad front matter is replaced by an error page at its URL.

Why: the author has the post open in a browser. Leaving the post out of the site turned that tab
into a bare 404 (a page without the live-reload script, so it stayed there after the fix), and
took the post's category page with it. Instead the post's file is swapped for a stand-in post
written from what the file name guarantees (date and slug, hence the same URL), the categories
that are allowed (or the one a typo was meant to be), and the error messages as the body. Saving
the fix rebuilds, and the live-reload script on the error page brings the real post back.
``mkdocs build`` never gets here: it fails as before.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from hooks.errors import SourceError
from hooks.frontmatter.schema import Rules

#: ``YYYY-MM-DD-slug.md``: what CONTRIBUTING asks of a post's file name.
_POST_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>[a-z0-9][a-z0-9-]*)\.md$")

_stand_ins: Path | None = None


def _stand_in_dir() -> Path:
    """One private folder per serving process for the stand-in posts (rewritten per rebuild)."""
    global _stand_ins
    if _stand_ins is None:
        _stand_ins = Path(tempfile.mkdtemp(prefix="control-loop-errors-"))
    return _stand_ins


def _front_matter(text: str) -> dict[str, Any]:
    """What can still be read of the broken front matter (nothing, if it does not parse)."""
    parts = text.split("---", 2)
    if not text.startswith("---") or len(parts) < 3:
        return {}
    try:
        data = yaml.safe_load(parts[1])
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _meant(values: Any, allowed: Iterable[str]) -> list[str]:
    """Allowed values kept; a near miss replaced by what it was meant to be; the rest dropped."""
    allowed = sorted(allowed)
    kept: list[str] = []
    for value in values if isinstance(values, list) else []:
        if not isinstance(value, str):
            continue
        if value in allowed:
            kept.append(value)
        else:
            kept += difflib.get_close_matches(value, allowed, n=1, cutoff=0.6)
    return list(dict.fromkeys(kept))


def _fence(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`{3,}", text)), default=2)
    return "`" * (longest + 1)


def stand_in_markdown(
    file_name: str, text: str, errors: Sequence[SourceError], rules: Rules
) -> str | None:
    """The stand-in post for ``file_name``, or None when its name gives no date and slug."""
    named = _POST_NAME.match(file_name)
    if named is None:
        return None
    old = _front_matter(text)
    meta = {
        "title": f"Front matter error in {file_name}",
        "description": "This post is not shown until its front matter is fixed.",
        "date": dt.date.fromisoformat(named["date"]),
        "slug": named["slug"],
        "authors": _meant(old.get("authors"), rules.authors),
        "categories": _meant(old.get("categories"), rules.categories),
        "search": {"exclude": True},
    }
    messages = "\n".join(str(e) for e in errors)
    fence = _fence(messages)
    n = len(errors)
    head = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True).rstrip("\n")
    return (
        f"---\n{head}\n---\n\n"
        f"# Front matter error in `{file_name}`\n\n"
        f"The build found {n} problem{'s' if n != 1 else ''} in this post's front matter. "
        "Fix the lines below and save: this page turns back into the post by itself.\n\n"
        f"{rules.excerpt_separator}\n\n"
        f"{fence}text\n{messages}\n{fence}\n"
    )


def substitute(
    file: File, text: str, errors: Sequence[SourceError], rules: Rules, config: MkDocsConfig
) -> File | None:
    """A ``File`` at the post's own ``src_uri`` whose source is the stand-in (None: no page)."""
    markdown = stand_in_markdown(Path(file.src_uri).name, text, errors, rules)
    if markdown is None:
        return None
    root = _stand_in_dir()
    target = root / file.src_uri
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(markdown, encoding="utf-8")
    return File(
        file.src_uri,
        src_dir=str(root),
        dest_dir=config.site_dir,
        use_directory_urls=config.use_directory_urls,
    )
