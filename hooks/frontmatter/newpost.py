"""``python -m hooks new-post TITLE`` (``make new-post TITLE=...``): a valid post skeleton.

The skeleton passes front-matter validation as written, so an author starts from a green build
and only has to replace the placeholders.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import click

from hooks import PROJECT_ROOT
from hooks.frontmatter.schema import MAX_DESCRIPTION

POSTS_DIR = PROJECT_ROOT / "docs" / "blog" / "posts"


def slugify(title: str) -> str:
    """Lowercase ASCII words joined by '-' (at most eight words)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    return "-".join(words[:8])


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def skeleton(title: str, date: dt.date, slug: str, author: str = "controlloop") -> str:
    description = (
        f"TODO: one sentence (at most {MAX_DESCRIPTION} characters) on what {title} teaches."
    )
    description = description[:MAX_DESCRIPTION]
    return (
        "---\n"
        f"title: {_yaml_str(title)}\n"
        f"description: {_yaml_str(description)}\n"
        f"date: {date.isoformat()}\n"
        f"authors:\n  - {author}\n"
        "categories:\n  - Kubernetes\n"
        "tags:\n  - TODO\n"
        f"slug: {slug}\n"
        "---\n\n"
        f"# {title}\n\n"
        "TODO: the opening paragraph. It is the excerpt shown on the blog index and category\n"
        "pages, so say what the reader will understand by the end.\n\n"
        "<!-- more -->\n\n"
        "## TODO: first section\n\n"
        "## Further reading\n\n"
        "- TODO: primary sources (official docs, source files, issues, KEPs)\n"
    )


def create_post(
    title: str, *, today: dt.date | None = None, posts_dir: Path = POSTS_DIR, slug: str = ""
) -> Path:
    title = title.strip()
    if not title:
        raise click.UsageError('give a title: make new-post TITLE="My post title"')
    slug = slug or slugify(title)
    if not slug:
        raise click.UsageError("the title has no letters or digits to build a slug from")
    date = today or dt.date.today()
    path = posts_dir / f"{date.isoformat()}-{slug}.md"
    if path.exists():
        raise click.ClickException(f"{path.relative_to(posts_dir.parent.parent.parent)} exists")
    existing = {p.name.split("-", 3)[-1] for p in posts_dir.glob("*.md")}
    if f"{slug}.md" in existing:
        raise click.ClickException(f"slug '{slug}' is taken; pass --slug to choose another")
    path.write_text(skeleton(title, date, slug), encoding="utf-8")
    return path


@click.command("new-post")
@click.argument("title")
@click.option("--slug", default="", help="URL slug (default: derived from the title).")
@click.option(
    "--date",
    "date_",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Publication date (default: today).",
)
def new_post(title: str, slug: str, date_: dt.datetime | None) -> None:
    """Write docs/blog/posts/YYYY-MM-DD-slug.md with valid front matter."""
    path = create_post(title, today=date_.date() if date_ else None, slug=slug)
    click.echo(f"created {path.relative_to(PROJECT_ROOT).as_posix()}")
