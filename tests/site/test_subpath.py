"""The site hosted under a sub-path (GitHub project Pages: ``https://host/sub/``).

Built with ``SITE_URL=http://127.0.0.1:PORT/sub/`` and served with the site under ``/sub/``,
every ``href``, ``src``, ``data`` and ``srcset`` of every page must resolve inside ``/sub/``
and be served there. A path that climbs above ``/sub/`` is broken even though a browser at a
domain root would clamp it (``../../../../../../../assets/avatar.svg`` used to be requested
from every post).
"""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from hooks import PROJECT_ROOT
from tests.site.conftest import html_pages
from tests.site.sitebuild import build_env, free_port, run_build

ATTRIBUTES = ("href", "src", "data", "srcset", "poster")


@dataclass(frozen=True)
class SubpathSite:
    site: Path  # the built site (served as /sub/)
    base_url: str  # http://127.0.0.1:PORT/sub/


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SubpathSite]:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}/sub/"
    root = tmp_path_factory.mktemp("subpath")
    site = root / "sub"
    build = run_build(PROJECT_ROOT, site, env=build_env(SITE_URL=base_url))
    assert build.returncode == 0, build.log
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SubpathSite(site, base_url)
    server.shutdown()


def references(html: str) -> Iterator[str]:
    """Every URL a page makes the browser request or follow."""
    doc = BeautifulSoup(html, "html.parser")
    for el in doc.find_all(True):
        for attr in ATTRIBUTES:
            value = el.get(attr)
            if not value:
                continue
            if attr == "srcset":
                yield from (part.split()[0] for part in value.split(",") if part.strip())
            else:
                yield value
        if el.name == "meta" and el.get("property") in ("og:url", "og:image"):
            yield el.get("content", "")


def page_url(site: SubpathSite, page: Path) -> str:
    rel = page.relative_to(site.site).as_posix()
    return site.base_url + rel.removesuffix("index.html")


def test_every_reference_of_every_page_resolves_inside_the_sub_path(
    subpath_site: SubpathSite,
) -> None:
    base = urlsplit(subpath_site.base_url)
    broken: list[str] = []
    checked: dict[str, int] = {}
    for page in html_pages(subpath_site.site):
        here = page_url(subpath_site, page)
        for ref in references(page.read_text(encoding="utf-8")):
            if ref.startswith(("mailto:", "data:", "#")):
                continue
            target = urlsplit(urljoin(here, ref))
            if target.netloc and target.netloc != base.netloc:
                continue  # another site (sources, GitHub)
            if target.scheme not in ("http", "https"):
                broken.append(f"{here}: {ref} (scheme {target.scheme!r})")
                continue
            if _climbs_above(urlsplit(here).path, ref, base.path):
                broken.append(f"{here}: {ref} (climbs above {base.path})")
                continue
            url = f"{target.scheme}://{target.netloc}{target.path}"
            if url not in checked:
                checked[url] = _status(url)
            if checked[url] != 200:
                broken.append(f"{here}: {ref} -> HTTP {checked[url]}")
    assert len(checked) > 50  # the check saw the site's pages and assets
    assert broken == [], "\n".join(broken)


def test_feed_and_sitemap_point_inside_the_sub_path(subpath_site: SubpathSite) -> None:
    for name in ("feed_rss_created.xml", "sitemap.xml"):
        doc = BeautifulSoup((subpath_site.site / name).read_bytes(), "xml")
        urls = [el.get_text(strip=True) for el in doc.find_all(["link", "guid", "loc"])]
        urls += [el["href"] for el in doc.find_all("link") if el.get("href")]
        urls = [u for u in urls if u]
        assert urls, name
        for url in urls:
            assert url.startswith(subpath_site.base_url), (name, url)


def _climbs_above(page_path: str, ref: str, root: str) -> bool:
    """Walk ``ref`` from ``page_path`` segment by segment, never clamping ``..``: True if the
    walk ever leaves ``root`` or ends outside it."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or parts.path.startswith("/"):
        stack: list[str] = []
        segments = parts.path.split("/")[1:]
    else:
        stack = page_path.split("/")[1:-1]  # the page's directory
        segments = parts.path.split("/")
    top = [s for s in root.split("/") if s]
    for segment in segments:
        if segment == "..":
            if len(stack) <= len(top):
                return True
            stack.pop()
        elif segment not in ("", "."):
            stack.append(segment)
    return stack[: len(top)] != top


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@pytest.mark.parametrize(
    ("page", "ref", "climbs"),
    [
        ("/sub/blog/2026/10/05/post/", "../../../../../assets/avatar.svg", False),
        ("/sub/blog/2026/10/05/post/", "../../../../../../../assets/avatar.svg", True),
        ("/sub/", "assets/x.css", False),
        ("/sub/", "../assets/x.css", True),
        ("/sub/tags/", "/assets/x.css", True),
        ("/sub/tags/", "http://127.0.0.1/sub/feed.xml", False),
        ("/sub/tags/", "http://127.0.0.1/feed.xml", True),
    ],
)
def test_climbing_is_detected_without_clamping(page: str, ref: str, climbs: bool) -> None:
    assert _climbs_above(page, ref, "/sub/") is climbs


@pytest.mark.browser
def test_every_page_loads_under_the_sub_path_without_a_failed_request(
    subpath_site: SubpathSite,
) -> None:
    """Chromium opens every page under /sub/: no request fails, none answers 4xx/5xx, none
    leaves /sub/ on this host."""
    from tests.browser import chromium

    root = urlsplit(subpath_site.base_url)
    problems: list[str] = []
    with chromium() as browser:
        context = browser.new_context(color_scheme="light")
        page = context.new_page()
        # a request cut short by the next navigation (the favicon) is aborted, not broken;
        # a missing file still shows as its 404 response
        page.on(
            "requestfailed",
            lambda r: (
                None
                if r.failure == "net::ERR_ABORTED"
                else problems.append(f"failed ({r.failure}): {r.url}")
            ),
        )
        page.on(
            "response",
            lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
        )

        def outside(url: str) -> bool:
            parts = urlsplit(url)
            return parts.netloc == root.netloc and not parts.path.startswith(root.path)

        page.on(
            "request",
            lambda r: problems.append(f"outside /sub/: {r.url}") if outside(r.url) else None,
        )
        pages = html_pages(subpath_site.site)
        for built in pages:
            page.goto(page_url(subpath_site, built), wait_until="load")
        context.close()
    assert len(pages) > 10
    assert problems == []
