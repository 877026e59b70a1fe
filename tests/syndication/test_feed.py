"""The RSS feed a reader's feed app receives: parsed back with feedparser, as such apps do."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import feedparser
import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel

from hooks.syndication import Channel, FeedEntry, rss_document
from hooks.syndication.build import FEED_PATH, FeedBuild, published_at

UTC = dt.UTC
CHANNEL = Channel(
    title="Control Loop",
    link="https://example.org/",
    description="How Kubernetes works inside.",
    self_url="https://example.org/feed_rss_created.xml",
)


def _entry(n: int, **kw: object) -> FeedEntry:
    fields: dict = dict(
        title=f"Post {n}",
        url=f"https://example.org/blog/post-{n}/",
        published=dt.datetime(2026, 1, n, 9, tzinfo=UTC),
        description=f"About post {n}.",
        categories=("Kubernetes", "kind"),
        authors=("Control Loop editors",),
    )
    fields.update(kw)
    return FeedEntry(**fields)  # type: ignore[arg-type]


def _parse(xml: bytes) -> feedparser.FeedParserDict:
    feed = feedparser.parse(xml)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_feed_lists_posts_newest_first_with_what_a_reader_sees() -> None:
    feed = _parse(rss_document(CHANNEL, [_entry(1), _entry(3), _entry(2)]))
    assert feed.version == "rss20"
    assert feed.feed.title == "Control Loop"
    assert feed.feed.link == "https://example.org/"
    assert [e.title for e in feed.entries] == ["Post 3", "Post 2", "Post 1"]
    first = feed.entries[0]
    assert first.link == "https://example.org/blog/post-3/"
    assert first.id == first.link  # the guid, a permalink
    assert first.summary == "About post 3."
    assert first.author == "Control Loop editors"
    assert [t.term for t in first.tags] == ["Kubernetes", "kind"]
    assert first.published_parsed[:5] == (2026, 1, 3, 9, 0)
    # the channel is as new as its newest post: no build timestamp
    assert feed.feed.published_parsed[:3] == (2026, 1, 3)


def test_feed_names_its_own_address_and_permalinks() -> None:
    xml = rss_document(CHANNEL, [_entry(1)]).decode()
    assert '<guid isPermaLink="true">https://example.org/blog/post-1/</guid>' in xml
    assert (
        '<atom:link href="https://example.org/feed_rss_created.xml" rel="self" '
        'type="application/rss+xml" />'
    ) in xml


def test_markup_in_titles_and_descriptions_is_text_not_html() -> None:
    entry = _entry(1, title="Pods & <Services>", description='Say "hi" <b>now</b> & then')
    feed = _parse(rss_document(CHANNEL, [entry]))
    assert feed.entries[0].title == "Pods & <Services>"
    assert "&lt;b&gt;" in rss_document(CHANNEL, [entry]).decode()


def test_same_posts_in_any_order_give_the_same_bytes() -> None:
    entries = [_entry(1), _entry(2), _entry(3, published=dt.datetime(2026, 1, 2, 9, tzinfo=UTC))]
    assert rss_document(CHANNEL, entries) == rss_document(CHANNEL, list(reversed(entries)))


def test_feed_without_posts_is_still_valid() -> None:
    feed = _parse(rss_document(CHANNEL, []))
    assert feed.entries == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-16", dt.datetime(2026, 11, 16, 9, tzinfo=UTC)),
        (dt.date(2026, 11, 16), dt.datetime(2026, 11, 16, 9, tzinfo=UTC)),
        ("2026-11-16 14:30:00", dt.datetime(2026, 11, 16, 14, 30, tzinfo=UTC)),
        (
            "2026-11-16T14:30:00+02:00",
            dt.datetime(2026, 11, 16, 12, 30, tzinfo=UTC),
        ),
    ],
)
def test_publication_moment_from_front_matter_date(value: object, expected: dt.datetime) -> None:
    assert published_at(value) == expected


def _files(posts: dict[str, tuple[str, InclusionLevel]]) -> SimpleNamespace:
    """The two things the feed reads of MkDocs' files: each post's URL and whether it is built."""
    table = {src: SimpleNamespace(url=url, inclusion=how) for src, (url, how) in posts.items()}
    return SimpleNamespace(get_file_from_path=table.get)


def _front_matter(title: str, date: str) -> dict:
    return {
        "title": title,
        "description": f"{title}.",
        "date": date,
        "authors": ["controlloop"],
        "categories": ["Kubernetes"],
        "tags": ["kind", "Kubernetes"],
    }


def test_build_feeds_published_posts_at_their_blog_urls_and_leaves_drafts_out(
    tmp_path: Path,
) -> None:
    (tmp_path / "docs").mkdir()
    config = MkDocsConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    config.load_dict(
        {
            "site_name": "Control Loop",
            "site_url": "https://example.org/sub/",
            "site_description": "How Kubernetes works inside.",
            "docs_dir": str(tmp_path / "docs"),
        }
    )
    errors, _ = config.validate()
    assert not errors
    config.plugins._current_plugin = None  # what MkDocs sets while an event runs
    feed = FeedBuild()
    feed.add_file(
        Files([]),
        config,
        {
            "blog/posts/2026-01-02-live.md": _front_matter("Live", "2026-01-02"),
            "blog/posts/2026-01-03-draft.md": _front_matter("Draft", "2026-01-03"),
        },
        {"controlloop": "Control Loop editors"},
    )
    files = _files(
        {
            "blog/posts/2026-01-02-live.md": ("blog/2026/01/02/live/", InclusionLevel.NOT_IN_NAV),
            "blog/posts/2026-01-03-draft.md": ("blog/2026/01/03/draft/", InclusionLevel.EXCLUDED),
        }
    )
    feed.write(files, config)  # type: ignore[arg-type]
    assert feed.file is not None
    parsed = _parse(feed.file.content_bytes)
    assert [e.link for e in parsed.entries] == ["https://example.org/sub/blog/2026/01/02/live/"]
    entry = parsed.entries[0]
    assert entry.author == "Control Loop editors"
    assert [t.term for t in entry.tags] == ["Kubernetes", "kind"]  # a tag equal to a category once
    assert parsed.feed.links[-1].href == f"https://example.org/sub/{FEED_PATH}"
