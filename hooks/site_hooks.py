"""MkDocs events -> Control Loop library calls. Nothing else lives here.

Read it as a table of contents: each event names the capability it feeds. The libraries behind
these calls are importable and tested without MkDocs (see ``hooks/`` and ``tests/``).
"""

from __future__ import annotations

import sys
from pathlib import Path

# MkDocs loads this file by path with hooks/ first on sys.path; make the ``hooks`` package
# importable by its name (never import a sibling module bare: it could shadow a library).
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import Abort  # noqa: E402
from mkdocs.livereload import LiveReloadServer  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import Files  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

from hooks import blogviews, frontmatter, seo  # noqa: E402
from hooks.diagramkit import build as diagram_build  # noqa: E402
from hooks.reporting import BuildFailed, BuildReport  # noqa: E402

REPORT = BuildReport()


def on_startup(command: str, dirty: bool) -> None:
    REPORT.command = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    REPORT.start()
    return config


@event_priority(100)  # before Material's blog plugin reads the posts
def on_files(files: Files, config: MkDocsConfig) -> Files:
    # front matter: every post checked once per build
    try:
        files = frontmatter.check_posts(files, config, REPORT)
    except BuildFailed as exc:
        raise Abort(str(exc)) from None
    # diagrams: render diagrams_src/ (cached, sandboxed, parallel) into generated SVG files
    files = diagram_build.add_files(files, config, REPORT)
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    # blog views: category pages say "All posts in category <name>"
    blogviews.annotate_view(page)
    # diagrams: ![alt](diagram:name "caption") lines -> light/dark figure (or error placeholder)
    markdown = diagram_build.embed_page(markdown, page, files, REPORT)
    return markdown


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    # sharing: OpenGraph/Twitter meta tags from the page's own metadata
    return seo.add_meta_tags(output, page, config)


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: object) -> LiveReloadServer:
    # diagrams: editing diagrams_src/ rebuilds
    diagram_build.watch(server, config)
    return server


def on_post_build(config: MkDocsConfig) -> None:
    try:
        REPORT.finish()
    except BuildFailed as exc:
        raise Abort(str(exc)) from None
