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

from typing import TYPE_CHECKING  # noqa: E402

from jinja2 import Environment  # noqa: E402
from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import Abort  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import Files  # noqa: E402
from mkdocs.structure.nav import Navigation  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

from hooks import (  # noqa: E402
    blogviews,
    csp,
    docstree,
    excerpts,
    frontmatter,
    homepage,
    pagemeta,
    postnav,
    seo,
)
from hooks.diagramkit import build as diagram_build  # noqa: E402
from hooks.errors import ToolMissingError  # noqa: E402
from hooks.flame.embed import FlamePages  # noqa: E402
from hooks.previewcards import PreviewCards  # noqa: E402
from hooks.reporting import BuildFailed, BuildReport  # noqa: E402
from hooks.snippetkit.build import SnippetBuild  # noqa: E402
from hooks.syndication.build import FeedBuild  # noqa: E402

if TYPE_CHECKING:  # only `mkdocs serve` needs the livereload module
    from mkdocs.livereload import LiveReloadServer

REPORT = BuildReport()
SNIPPETS = SnippetBuild()
FLAME = FlamePages(REPORT)
FEED = FeedBuild()
CARDS = PreviewCards()
POLICY = csp.SitePolicy()
RELATED = postnav.RelatedPosts()


def on_startup(command: str, dirty: bool) -> None:
    REPORT.command = command


@event_priority(100)  # before MkDocs walks docs/ and the blog plugin reads .authors.yml
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    REPORT.start()
    # docs tree: links out of docs/ or diagrams_src/, FIFOs and devices are path errors
    try:
        docstree.check_trees(config, diagram_build.sources_dir(config), REPORT)
    except BuildFailed as exc:
        raise Abort(str(exc)) from None
    # content security policy: the inline scripts the theme's templates write, found once
    POLICY.start(config.theme.dirs, serving=REPORT.serving)
    # feed: a link to it, with its icon, in every page's footer
    FEED.add_footer_link(config)
    # posts: related posts by shared tags, the posts indexed once per build
    RELATED.start()
    return config


@event_priority(100)  # before Material's blog plugin reads the posts
def on_files(files: Files, config: MkDocsConfig) -> Files:
    # docs tree: nothing reached through a link out of docs/, nothing but regular files
    files = docstree.drop_unsafe(files, config.docs_dir)
    # front matter: every post checked once per build
    try:
        posts = frontmatter.check_posts(files, config, REPORT)
    except BuildFailed as exc:
        raise Abort(str(exc)) from None
    # feed: the checked posts' front matter, and the feed file's place in the site
    files = FEED.add_file(files, config, posts.front_matter, posts.author_names)
    # link previews: a card (PNG) per post from its title and description, cached
    try:
        files = CARDS.add_files(files, config, posts.front_matter)
    except ToolMissingError as exc:  # no DejaVu fonts: one line naming the package
        raise Abort(str(exc)) from None
    # diagrams: render diagrams_src/ (cached, sandboxed, parallel) into generated SVG files
    files = diagram_build.add_files(files, config, REPORT)
    # tested snippets: parse every page, start running all sessions in the background
    SNIPPETS.start(((f.abs_src_path, f.src_uri) for f in files.documentation_pages()), REPORT)
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    # front matter: posts' titles, descriptions, tags and authors shown as text, never as HTML
    pagemeta.escape_posts(files, config)
    return nav


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    # front matter: the page's title, description and tags shown as text, never as HTML
    pagemeta.escape_page(page)
    # blog views: category pages say "All posts in category <name>"
    blogviews.annotate_view(page)
    # diagrams: ![alt](diagram:name "caption") lines -> light/dark figure (or error placeholder)
    markdown = diagram_build.embed_page(markdown, page, files, REPORT)
    # tested snippets: strip our fence options in place, mark tested blocks for the badge
    markdown = SNIPPETS.page_markdown(
        markdown, page.file.abs_src_path, page.file.src_uri, page.file.abs_dest_path
    )
    # flame graphs: ![Alt](flame:NAME "caption") lines become interactive SVG graphs
    markdown = FLAME.page_markdown(markdown, page, config, files)
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    # tested snippets: a visible badge on every tested, validated or skipped block
    html = SNIPPETS.page_content(html, page.url)
    return html


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    # feed: every published post at the URL the blog plugin gave it
    FEED.write(files, config)
    # blog views: each post's excerpt converted from its own Markdown, not the whole post's
    excerpts.cut_posts(config)
    return env


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    # home page: the newest posts' excerpts, as the blog index renders them
    context = homepage.add_posts(context, page, config)
    # posts: related posts by shared tags (older/newer links come from the blog plugin)
    return RELATED.add_related(context, page, config)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    # sharing: OpenGraph/Twitter meta tags from the page's own metadata (with its preview
    # card), and the feed's link
    output = seo.add_meta_tags(
        output, page, config, FEED.link_tag(page), image=CARDS.image_url(page, config)
    )
    # content security policy: only the site's own scripts and the theme's inline ones run
    return POLICY.apply(output)


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    # content security policy: the theme's own pages (404.html) too
    return POLICY.apply(output) if template_name.endswith(".html") else output


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: object) -> LiveReloadServer:
    # diagrams: editing diagrams_src/ rebuilds
    diagram_build.watch(server, config)
    return server


def on_post_build(config: MkDocsConfig) -> None:
    # tested snippets: wait for the runs, report failures at path:line, log the summary line
    SNIPPETS.finish(REPORT)
    try:
        REPORT.finish()
    except BuildFailed as exc:
        raise Abort(str(exc)) from None
