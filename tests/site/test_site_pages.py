"""What a reader gets from the built site: posts, category pages, feed, sitemap, links."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup

from hooks import PROJECT_ROOT
from tests.site.conftest import html_pages
from tests.site.sitebuild import Build

POSTS_DIR = PROJECT_ROOT / "docs" / "blog" / "posts"


def _posts() -> list[dict]:
    posts = []
    for path in sorted(POSTS_DIR.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("---\n", 2)[1])
        date = meta["date"]
        meta["url"] = f"blog/{date:%Y/%m/%d}/{meta['slug']}/"
        meta["path"] = path
        posts.append(meta)
    return posts


POSTS = _posts()


def soup(site: Path, url: str) -> BeautifulSoup:
    doc = BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
    for permalink in doc.select("a.headerlink"):
        permalink.decompose()
    return doc


def test_the_four_posts_exist() -> None:
    slugs = {p["slug"] for p in POSTS}
    assert {
        "kind-local-images",
        "operator-pattern",
        "service-discovery",
        "kubernetes-on-flame",
    } <= slugs


@pytest.mark.parametrize("category", ["Kubernetes", "Containers", "Networking", "Tooling"])
def test_category_page_lists_every_post_with_excerpt_and_read_more(
    built_site: Build, category: str
) -> None:
    page = soup(built_site.site, f"blog/category/{category.lower()}")
    assert page.find("h1").get_text(strip=True) == f"All posts in category {category}"
    expected = sorted(
        (p for p in POSTS if category in p["categories"]), key=lambda p: p["date"], reverse=True
    )
    assert expected, f"no post in category {category}"
    articles = page.select("article.md-post--excerpt")
    titles = [a.find(["h1", "h2"]).get_text(strip=True) for a in articles]
    assert titles == [p["title"] for p in expected]  # every post, newest first
    for article, post in zip(articles, expected, strict=True):
        assert article.find("time")["datetime"].startswith(str(post["date"]))
        paragraphs = [p.get_text(" ", strip=True) for p in article.select(".md-post__content p")]
        assert any(len(p) > 80 for p in paragraphs), "excerpt paragraph missing"
        link = article.select_one(".md-post__action a")
        assert link is not None, f"no 'Read more' link for {post['slug']}"
        assert link.get_text(" ", strip=True) == "Read more"
        assert link["aria-label"] == f"Read more: {post['title']}"  # screen readers hear which
        assert link["href"].rstrip("/").endswith(post["slug"])


@pytest.mark.parametrize("post", POSTS, ids=lambda p: p["slug"])
def test_post_page_shows_title_date_readtime_author(built_site: Build, post: dict) -> None:
    page = soup(built_site.site, post["url"])
    assert page.find("h1").get_text(strip=True) == post["title"]
    sidebar = page.select_one(".md-post--sidebar, .md-sidebar--post") or page
    text = sidebar.get_text(" ", strip=True)
    assert post["date"].strftime("%B %-d, %Y") in text
    assert re.search(r"\d+ min read", text)
    assert "Control Loop editors" in text


@pytest.mark.parametrize("post", POSTS, ids=lambda p: p["slug"])
def test_post_has_sharing_meta_tags(built_site: Build, post: dict) -> None:
    page = soup(built_site.site, post["url"])

    def prop(name: str) -> str:
        tag = page.find("meta", attrs={"property": name}) or page.find("meta", attrs={"name": name})
        assert tag is not None, f"missing meta {name}"
        return tag["content"]

    canonical = page.find("link", rel="canonical")["href"]
    assert canonical.endswith(post["url"])
    assert prop("og:title") == post["title"]
    assert prop("og:description") == post["description"]
    assert prop("og:url") == canonical
    assert prop("og:type") == "article"
    assert prop("article:published_time") == post["date"].isoformat()
    assert prop("twitter:card") == "summary_large_image"
    assert prop("twitter:title") == post["title"]


def test_rss_feed_lists_every_post(built_site: Build) -> None:
    feed = feedparser.parse((built_site.site / "feed_rss_created.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title.startswith("Control Loop")
    links = {e.link for e in feed.entries}
    for post in POSTS:
        assert any(link.endswith(post["url"]) for link in links), post["slug"]
    by_title = {e.title: e for e in feed.entries}
    for post in POSTS:
        entry = by_title[post["title"]]
        published = dt.date(*entry.published_parsed[:3])
        assert published == post["date"]
        assert entry.summary == post["description"]
        assert {t.term for t in entry.tags} == {*post["categories"], *post["tags"]}


def test_every_page_points_feed_readers_to_the_feed(built_site: Build) -> None:
    feed = built_site.site / "feed_rss_created.xml"
    assert feed.is_file()
    for page in html_pages(built_site.site):
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        links = doc.select('head link[rel="alternate"][type="application/rss+xml"]')
        assert len(links) == 1, page
        assert (page.parent / links[0]["href"]).resolve() == feed.resolve(), page


def test_sitemap_lists_every_page(built_site: Build) -> None:
    sitemap = BeautifulSoup((built_site.site / "sitemap.xml").read_bytes(), "xml")
    locs = {urlsplit(loc.get_text(strip=True)).path for loc in sitemap.find_all("loc")}
    for page in html_pages(built_site.site):
        rel = page.relative_to(built_site.site).as_posix()
        url = "/" + rel.removesuffix("index.html")
        assert url in locs, f"{url} missing from sitemap.xml"


def _targets(site: Path) -> dict[str, set[str]]:
    """Every built file (site-relative) and, for HTML, the ids it defines."""
    targets: dict[str, set[str]] = {}
    for path in site.rglob("*"):
        if path.is_file():
            rel = path.relative_to(site).as_posix()
            ids: set[str] = set()
            if path.suffix == ".html":
                html = path.read_text(encoding="utf-8")
                ids = set(re.findall(r'\bid="([^"]+)"', html)) | set(
                    re.findall(r'\bname="([^"]+)"', html)
                )
            targets[rel] = ids
    return targets


def test_no_broken_internal_link_or_anchor(built_site: Build) -> None:
    site = built_site.site
    targets = _targets(site)
    broken: list[str] = []
    for page in html_pages(site):
        rel_page = page.relative_to(site)
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src")):
            for el in doc.find_all(tag):
                url = el.get(attr)
                if not url or url.startswith(("mailto:", "javascript:", "data:")):
                    continue
                parts = urlsplit(url)
                if parts.scheme or parts.netloc:
                    continue
                if parts.path.startswith("/"):
                    target = parts.path.lstrip("/")
                else:
                    base = rel_page.parent
                    target = (base / unquote(parts.path)).as_posix() if parts.path else ""
                    target = str(Path(target)) if target else rel_page.as_posix()
                    target = _normalise(target)
                if parts.path and (target == "." or target.endswith("/") or target not in targets):
                    target = (target.rstrip("/") + "/index.html").lstrip("./")
                if target not in targets:
                    broken.append(f"{rel_page}: {url}")
                    continue
                frag = unquote(parts.fragment)
                if frag and tag == "a" and target.endswith(".html") and frag not in targets[target]:
                    broken.append(f"{rel_page}: {url} (no anchor #{frag})")
    assert not broken, "\n".join(broken)


def _normalise(path: str) -> str:
    out: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if out:
                out.pop()
            continue
        out.append(part)
    return "/".join(out) or "."


def test_built_site_has_no_machine_paths(built_site: Build) -> None:
    leaks = [
        p.relative_to(built_site.site).as_posix()
        for p in built_site.site.rglob("*")
        if p.is_file() and str(PROJECT_ROOT).encode() in p.read_bytes()
    ]
    assert not leaks


def test_tags_page_lists_every_tag_with_its_posts(built_site: Build) -> None:
    page = soup(built_site.site, "tags")
    text = page.get_text(" ", strip=True)
    for post in POSTS:
        for tag in post["tags"]:
            assert tag in text, f"tag {tag} of {post['slug']} missing on the tags page"
    links = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in page.select("article a[href]")}
    assert {p["slug"] for p in POSTS} <= links


# --- the site as a reader uses it (issue 16) ---

NEWEST_FIRST = sorted(POSTS, key=lambda p: p["date"], reverse=True)


def test_home_page_lists_the_newest_posts_first_then_the_promise(built_site: Build) -> None:
    page = soup(built_site.site, "")
    excerpts = page.select("article.md-post--excerpt")
    assert len(excerpts) == min(5, len(POSTS))
    titles = [a.find("h2").get_text(" ", strip=True) for a in excerpts]
    assert titles == [p["title"] for p in NEWEST_FIRST[: len(excerpts)]]
    for article, post in zip(excerpts, NEWEST_FIRST, strict=False):
        assert (
            article.find("time").get_text(strip=True)
            == f"{post['date']:%B} {post['date'].day}, {post['date']:%Y}"
        )
        assert re.search(r"\b\d+ min read\b", article.get_text(" ", strip=True)), post["slug"]
        more = article.select_one(".md-post__action a")
        assert more.get_text(strip=True) == "Read more"
        assert more["href"] == post["url"]  # relative to the home page: the post's own URL
        assert article.select_one(".md-post__content p"), post["slug"]  # the excerpt itself
    # posts come before the site's promise
    html = str(page)
    assert html.index("md-post--excerpt") < html.index("Every diagram is code")


def test_every_post_links_to_the_older_and_newer_post(built_site: Build) -> None:
    by_date = sorted(POSTS, key=lambda p: p["date"])
    for i, post in enumerate(by_date):
        page = soup(built_site.site, post["url"])
        nav = page.select_one("nav.cl-post-nav")
        assert nav is not None, post["slug"]
        prev, nxt = nav.select_one("a[rel=prev]"), nav.select_one("a[rel=next]")
        base = built_site.site / post["url"]
        for link, neighbour in ((prev, i - 1), (nxt, i + 1)):
            if 0 <= neighbour < len(by_date):
                expected = by_date[neighbour]
                assert link is not None, (post["slug"], expected["slug"])
                target = (base / link["href"]).resolve()
                assert target == (built_site.site / expected["url"]).resolve()
                assert expected["title"] in link.get_text(" ", strip=True)
            else:
                assert link is None, post["slug"]


def test_tags_page_sorts_tags_case_insensitively(built_site: Build) -> None:
    page = soup(built_site.site, "tags")
    headings = [h.get_text(" ", strip=True) for h in page.select("article h2")]
    assert len(headings) >= 5
    assert headings == sorted(headings, key=str.casefold)
    if "client-go" in headings and "CRD" in headings:
        assert headings.index("client-go") < headings.index("CRD")


def test_header_links_to_the_repository(built_site: Build) -> None:
    page = soup(built_site.site, "")
    source = page.select_one("a.md-source")
    assert source is not None and source["href"] == "https://github.com/control-loop/control-loop"
    # no script fetches star counts from api.github.com (offline, and refused by the CSP)
    assert not page.select("[data-md-component=source]")


def test_footer_links_to_the_feed_with_an_icon(built_site: Build) -> None:
    for page in html_pages(built_site.site):
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        links = doc.select("footer .md-social a.md-social__link")
        feed = [a for a in links if a["href"].endswith("/feed_rss_created.xml")]
        assert len(feed) == 1, page
        assert feed[0]["href"].startswith(("http://", "https://")), page
        assert feed[0].find("svg") is not None and feed[0]["title"] == "RSS feed"


def _feed_items(built_site: Build) -> list:
    import xml.etree.ElementTree as ET

    root = ET.fromstring((built_site.site / "feed_rss_created.xml").read_bytes())
    return root.findall("./channel/item")


def test_feed_carries_each_post_in_full_with_absolute_links(built_site: Build) -> None:
    feed = feedparser.parse((built_site.site / "feed_rss_created.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    by_title = {e.title: e for e in feed.entries}
    for post in POSTS:
        entry = by_title[post["title"]]
        assert len(entry.content) == 1 and entry.content[0].type == "text/html"
        content = BeautifulSoup(entry.content[0].value, "html.parser")
        text = content.get_text(" ", strip=True)
        assert len(text.split()) > 1500, post["slug"]  # the whole post, not a teaser
        assert "Further reading" in text
        assert not content.find_all(["script", "style", "object", "iframe", "button", "input"])
        for el in content.find_all(True):
            assert not [a for a in el.attrs if a.startswith("on")], el.name
            for attr in ("href", "src"):
                if el.get(attr):
                    assert el[attr].startswith(("https://", "http://", "mailto:")), el[attr]
        # diagrams: one light SVG image each (no dark twin, no zoom link)
        images = [img["src"] for img in content.find_all("img")]
        assert images and all(s.endswith("-light.svg") for s in images), images
        assert len(images) == len(set(images))
        # tested-block badges are plain text
        assert re.search(r"\b(Tested at build|Validated|Skipped)\b", text), post["slug"]
        assert not content.select(".cl-badge")


def test_feed_follows_the_rss_rules(built_site: Build) -> None:
    import email.utils

    items = _feed_items(built_site)
    assert len(items) == len(POSTS)
    guids = [i.findtext("guid") for i in items]
    assert len(set(guids)) == len(guids)
    for item in items:
        for field in ("link", "guid"):
            value = item.findtext(field)
            assert urlsplit(value).scheme in ("http", "https") and urlsplit(value).netloc
        date = item.findtext("pubDate")
        parsed = email.utils.parsedate_to_datetime(date)
        assert email.utils.format_datetime(parsed) == date  # RFC 822 as written
    dates = [email.utils.parsedate_to_datetime(i.findtext("pubDate")) for i in items]
    assert dates == sorted(dates, reverse=True)


def test_every_post_has_a_preview_card_drawn_at_build(built_site: Build) -> None:
    from PIL import Image

    cards: set[bytes] = set()
    for post in POSTS:
        page = soup(built_site.site, post["url"])
        image = page.find("meta", property="og:image")["content"]
        assert image.startswith(("https://", "http://")) and image.endswith(".png"), image
        assert page.find("meta", property="og:image:alt")["content"] == post["title"]
        path = built_site.site / urlsplit(image).path.lstrip("/")
        with Image.open(path) as card:
            assert card.format == "PNG" and card.size == (1200, 630)
            assert len(card.getcolors(1 << 16) or []) > 2  # text was drawn, not a blank tile
        cards.add(path.read_bytes())
    assert len(cards) == len(POSTS)  # each post its own card
