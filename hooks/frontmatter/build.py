"""MkDocs glue for front-matter validation: collect posts, read the site's rules, report.

Runs in ``on_files`` ahead of Material's blog plugin, whose own failure on a bad post names no
line. Under ``mkdocs build`` bad posts fail the build after every problem is listed; under
``mkdocs serve`` each is replaced by an error page at its own URL (``errorpage.py``), so the
server keeps serving and the author sees the problem where they are looking.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from hooks.errors import SourceError, display_path
from hooks.frontmatter.schema import Rules
from hooks.frontmatter.validate import check_sources
from hooks.reporting import BuildReport


def _blog_config(config: MkDocsConfig) -> Any:
    plugin = config.plugins.get("material/blog")
    if plugin is None:
        raise RuntimeError("Material's blog plugin is not enabled in mkdocs.yml")
    return plugin.config


def authors_from_config(config: MkDocsConfig) -> dict[str, Any]:
    """The blog's ``.authors.yml`` entries by author id (empty when there is no such file)."""
    blog = _blog_config(config)
    authors_file = Path(config.docs_dir) / blog.authors_file.format(blog=blog.blog_dir)
    if not authors_file.exists():
        return {}
    data = yaml.safe_load(authors_file.read_text(encoding="utf-8")) or {}
    return data.get("authors") or {}


def rules_from_config(config: MkDocsConfig, authors: dict[str, Any] | None = None) -> Rules:
    blog = _blog_config(config)
    return Rules(
        authors=frozenset(authors_from_config(config) if authors is None else authors),
        categories=frozenset(blog.categories_allowed or ()),
        excerpt_separator=blog.post_excerpt_separator,
    )


@dataclass(frozen=True)
class CheckedPosts:
    """What later steps (the feed) reuse from the check, so nothing is read twice."""

    front_matter: dict[str, dict[str, Any]]  # src_uri -> front matter, valid posts only
    author_names: dict[str, str]  # author id -> display name


def post_dir(config: MkDocsConfig) -> str:
    blog = _blog_config(config)
    return blog.post_dir.format(blog=blog.blog_dir).strip("/") + "/"


def _serve_error_page(
    files: Files, file: File, errors: list[SourceError], rules: Rules, config: MkDocsConfig
) -> None:
    """Swap a bad post for its error page at the same URL (or drop it, if its name has none)."""
    from hooks.frontmatter import errorpage  # only `mkdocs serve` with a broken post needs it

    files.remove(file)
    text = Path(file.abs_src_path).read_text(encoding="utf-8-sig", errors="replace")
    stand_in = errorpage.substitute(file, text, errors, rules, config)
    if stand_in is not None:
        files.append(stand_in)


def check_posts(files: Files, config: MkDocsConfig, report: BuildReport) -> CheckedPosts:
    """Validate every post; report each problem; drop bad posts under serve, fail a build."""
    authors = authors_from_config(config)
    prefix = post_dir(config)
    posts = [f for f in files.documentation_pages() if f.src_uri.startswith(prefix)]
    sources = {display_path(f.abs_src_path): f for f in posts if f.abs_src_path}
    errors, front_matter = check_sources(
        (
            (path, Path(f.abs_src_path).read_text(encoding="utf-8-sig"))
            for path, f in sources.items()
        ),
        rules_from_config(config, authors),
    )
    for error in errors:
        report.error(error)
    bad = {e.path for e in errors}
    if errors:
        if not report.serving:
            report.finish()
        rules = rules_from_config(config, authors)
        for path in sorted(bad):
            path_errors = [e for e in errors if e.path == path]
            _serve_error_page(files, sources[path], path_errors, rules, config)
            report.info(f"{path}: served as an error page until its front matter is fixed")
    return CheckedPosts(
        front_matter={
            f.src_uri: front_matter[path] for path, f in sources.items() if path not in bad
        },
        author_names={
            str(key): str((value or {}).get("name") or key) for key, value in authors.items()
        },
    )
