"""The graphs on a built page, in Debian's Chromium: tooltip, click-to-zoom, search, palette.

The site is a trimmed copy of this one (no posts) plus one page embedding all three graphs, built
by the real `mkdocs build` with the real hooks, and served over HTTP on loopback.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page

from hooks.flame.count import read_cloc_csv
from hooks.flame.draw import MINWIDTH_BASIS, format_share
from hooks.flame.fold import Node, build_tree
from tests.browser import chromium
from tests.site.sitebuild import copy_project, run_build

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DATA = Path(__file__).resolve().parents[2] / "docs" / "assets" / "data"
PAGE = """# Flame graphs

![Flame graph of this repository](flame:self "This repository.")

![Flame graph of kind](flame:kind "kind at fed2688.")

![Flame graph of client-go](flame:client-go)
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def flame_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = copy_project(tmp_path_factory.mktemp("flame-project"))
    (project / "docs" / "flame-demo.md").write_text(PAGE, encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("  - About: about.md\n", "  - About: about.md\n  - Flames: flame-demo.md\n"),
        encoding="utf-8",
    )
    # not --strict: without posts, the home page's category links have no target (warnings)
    build = run_build(project, project / "site", strict=False)
    assert build.returncode == 0, build.log
    assert "flame" not in "\n".join(
        line for line in build.log.splitlines() if line.startswith(("WARNING", "ERROR"))
    ), build.log
    handler = functools.partial(_Quiet, directory=str(project / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/flame-demo/"
    server.shutdown()


@pytest.fixture(scope="module")
def page(flame_site: str) -> Iterator[Page]:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(flame_site)
        page.wait_for_load_state("load")
        yield page


def graph(page: Page, name: str) -> Frame:
    """The SVG document inside the page's <object>, once its script has run."""
    obj = page.locator(f'object.flame-graph__svg[data$="assets/flame/{name}.svg"]')
    obj.scroll_into_view_if_needed()
    frame = next(f for f in page.frames if f.url.endswith(f"/assets/flame/{name}.svg"))
    frame.wait_for_function("document.querySelector('#frames > svg[aria-label]') !== null")
    return frame


def frame_for(doc: Frame, path: str):
    return doc.locator(f'#frames > svg[aria-label^="{path}: "]')


def kind_tree() -> Node:
    return build_tree(read_cloc_csv(DATA / "kind-cloc-by-file.csv"), "kubernetes-sigs/kind")


def test_page_embeds_all_three_graphs_as_objects(page: Page) -> None:
    objects = page.locator("figure.flame-graph > object.flame-graph__svg")
    assert objects.count() == 3
    assert [objects.nth(i).get_attribute("type") for i in range(3)] == ["image/svg+xml"] * 3
    assert page.locator("figure.flame-graph script").count() == 0
    assert (
        page.locator("figure.flame-graph figcaption")
        .first.inner_text()
        .startswith("This repository.")
    )
    for name in ("self", "kind", "client-go"):
        doc = graph(page, name)
        assert doc.locator("#frames > svg").count() > 10


def test_hover_shows_path_lines_and_share(page: Page) -> None:
    doc = graph(page, "kind")
    pkg = kind_tree().children["pkg"]
    frame_for(doc, "pkg/").hover()
    tip = doc.locator("#tip")
    assert tip.get_attribute("visibility") == "visible"
    lines = doc.locator("#tip tspan").all_text_contents()
    assert lines == ["pkg/", f"{pkg.lines:,} lines, {format_share(pkg.lines, 25713)} of 25,713"]
    frame_for(doc, "pkg/cluster/internal/kubeadm/config.go").hover()
    assert doc.locator("#tip tspan").all_text_contents() == [
        "pkg/cluster/internal/kubeadm/config.go",
        "588 lines of Go, 2.29% of 25,713",
    ]
    page.mouse.move(5, 5)  # leave the picture
    assert tip.get_attribute("visibility") == "hidden"


def visible_paths(doc: Frame) -> set[str]:
    labels = doc.locator("#frames > svg:not(.hide)").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))"
    )
    return {label.split(": ")[0] for label in labels}


def test_click_zooms_into_a_directory_and_reset_restores(page: Page) -> None:
    doc = graph(page, "kind")
    before = visible_paths(doc)
    assert {"site/", "pkg/", "pkg/cluster/"} <= before
    tree = kind_tree()
    pkg, cluster = tree.children["pkg"], tree.children["pkg"].children["cluster"]
    frame_for(doc, "pkg/").click()
    after = visible_paths(doc)
    assert "site/" not in after and "pkg/cluster/" in after
    assert all(p == "kubernetes-sigs/kind" or p.startswith("pkg/") for p in after)
    assert frame_for(doc, "pkg/").get_attribute("width") == "100%"
    width = float(frame_for(doc, "pkg/cluster/").get_attribute("width").rstrip("%"))
    assert width == pytest.approx(100 * cluster.lines / pkg.lines, abs=1e-3)
    assert "off" not in doc.locator("#reset").get_attribute("class")
    # labels are refitted to the new widths: the zoomed frame shows its full name
    assert frame_for(doc, "pkg/").locator("text").text_content() == "pkg"
    doc.locator("#reset").click()
    assert visible_paths(doc) == before
    assert "off" in doc.locator("#reset").get_attribute("class")


def test_search_highlights_matches_and_reports_the_share(page: Page) -> None:
    doc = graph(page, "kind")
    page.once("dialog", lambda dialog: dialog.accept("kubeadm"))
    doc.locator("#search").click()
    matches = doc.locator("#frames > svg.match").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label').split(': ')[0])"
    )
    assert matches and all("kubeadm" in m.rstrip("/").split("/")[-1] for m in matches)
    assert "pkg/cluster/internal/kubeadm/" in matches
    # the matched share counts a match inside a match once
    tree = kind_tree()
    min_lines = tree.lines * 0.1 / MINWIDTH_BASIS
    covered = 0

    def walk(node: Node) -> None:
        nonlocal covered
        for child in node.children.values():
            if child.lines < min_lines:
                continue
            if "kubeadm" in child.name.lower():
                covered += child.lines
            else:
                walk(child)

    walk(tree)
    text = doc.locator("#matched").text_content()
    assert text == (
        f"Matched: {format_share(covered, tree.lines)} ({covered:,} lines, {len(matches)} frames)"
    )
    assert doc.locator("#search").text_content() == "Clear search"
    doc.locator("#search").click()
    assert doc.locator("#frames > svg.match").count() == 0
    assert doc.locator("#matched").text_content() == ""


def test_colours_follow_the_page_palette(page: Page) -> None:
    doc = graph(page, "kind")
    fill = "getComputedStyle(document.querySelector('rect.bg')).fill"
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'default')")
    doc.wait_for_function("document.documentElement.getAttribute('data-scheme') === 'light'")
    assert doc.evaluate(fill) == "rgb(255, 255, 255)"
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    doc.wait_for_function("document.documentElement.getAttribute('data-scheme') === 'dark'")
    assert re.fullmatch(r"rgb\((\d+), (\d+), (\d+)\)", doc.evaluate(fill))
    assert doc.evaluate(fill) != "rgb(255, 255, 255)"


def test_buttons_work_from_the_keyboard(page: Page) -> None:
    doc = graph(page, "kind")
    page.once("dialog", lambda dialog: dialog.accept("docker"))
    doc.locator("#search").focus()
    page.keyboard.press("Enter")
    assert doc.locator("#frames > svg.match").count() > 0
    assert doc.locator("#matched").text_content().startswith("Matched: ")
    page.keyboard.press("Escape")
    assert doc.locator("#frames > svg.match").count() == 0
