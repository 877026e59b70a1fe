"""The graphs on a built page, in Debian's Chromium: tooltip, zoom by click, tap and keyboard,
the page's search box, palette, the title and legend at phone width, and lazy loading (a graph
far below the fold is not fetched until the reader scrolls towards it).

The site is a trimmed copy of this one (no posts) plus one page embedding all three graphs, built
by the real `mkdocs build` with the real hooks, and served over HTTP on loopback. Desktop is
1366x900; the phone is 390x844 with touch (`has_touch`, `is_mobile`).
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Frame, Page, expect

from hooks.flame.count import read_cloc_csv
from hooks.flame.draw import MINWIDTH_BASIS, format_share
from hooks.flame.fold import Node, build_tree
from tests.browser import chromium, serious_violations
from tests.site.sitebuild import copy_project, run_build

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DATA = Path(__file__).resolve().parents[2] / "docs" / "assets" / "data"
PAGE = """# Flame graphs

![Flame graph of this repository](flame:self "This repository.")

![Flame graph of kind](flame:kind "kind at fed2688.")

![Flame graph of client-go](flame:client-go)
"""
#: A graph far below the fold (a long post's graph): its SVG must wait until a reader scrolls.
FAR_PAGE = (
    "# A long page\n\n"
    + "".join(f"Paragraph {n} of the text before the graph. " * 12 + "\n\n" for n in range(150))
    + '![Flame graph of kind](flame:kind "kind at fed2688.")\n'
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def flame_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = copy_project(tmp_path_factory.mktemp("flame-project"))
    (project / "docs" / "flame-demo.md").write_text(PAGE, encoding="utf-8")
    (project / "docs" / "flame-far.md").write_text(FAR_PAGE, encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    pages = "  - Flames: flame-demo.md\n  - Far: flame-far.md\n"
    config.write_text(
        text.replace("  - About: about.md\n", "  - About: about.md\n" + pages), encoding="utf-8"
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


DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
#: Reports every console error, uncaught exception and Content-Security-Policy violation.
WATCH = """
window.__flameProblems = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__flameProblems.push("CSP: " + e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


def open_page(browser: Browser, url: str, **options: object) -> tuple[Page, list[str]]:
    context = browser.new_context(**options)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.add_init_script(WATCH)
    page.goto(url)
    page.wait_for_load_state("load")
    return page, problems


def problems_seen(page: Page, problems: list[str]) -> list[str]:
    """Console errors, exceptions and CSP violations in the page and in every graph's document."""
    seen = list(problems)
    for frame in page.frames:
        seen += frame.evaluate("window.__flameProblems || []")
    return seen


@pytest.fixture(scope="module")
def page(browser: Browser, flame_site: str) -> Iterator[Page]:
    page, _ = open_page(browser, flame_site, **DESKTOP)
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def phone(browser: Browser, flame_site: str) -> Iterator[Page]:
    page, _ = open_page(browser, flame_site, **PHONE)
    yield page
    page.context.close()


def graph(page: Page, name: str) -> Frame:
    """The SVG document inside the page's <iframe>, once it has loaded and its script has run."""
    page.locator(
        f'iframe.flame-graph__svg[src$="assets/flame/{name}.svg"]'
    ).scroll_into_view_if_needed()
    for _ in range(100):  # a lazy frame starts loading once it nears the viewport
        frame = next((f for f in page.frames if f.url.endswith(f"/assets/flame/{name}.svg")), None)
        if frame is not None:
            break
        page.wait_for_timeout(100)
    assert frame is not None, f"the {name} graph never loaded"
    frame.wait_for_function("document.querySelector('#frames > svg[aria-label]') !== null")
    return frame


def frame_for(doc: Frame, path: str):
    return doc.locator(f'#frames > svg[aria-label^="{path}: "]')


def kind_tree() -> Node:
    return build_tree(read_cloc_csv(DATA / "kind-cloc-by-file.csv"), "kubernetes-sigs/kind")


def figure(page: Page, name: str):
    return page.locator(f'figure.flame-graph:has(iframe[src$="assets/flame/{name}.svg"])')


def test_page_embeds_all_three_graphs_as_lazy_frames(page: Page) -> None:
    frames = page.locator("figure.flame-graph > iframe.flame-graph__svg")
    assert frames.count() == 3
    assert [frames.nth(i).get_attribute("loading") for i in range(3)] == ["lazy"] * 3
    assert frames.first.get_attribute("title") == "Flame graph of this repository"
    assert page.locator("figure.flame-graph script").count() == 0
    assert page.locator("figure.flame-graph [onclick], figure.flame-graph [oninput]").count() == 0
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


def test_the_script_reads_back_every_frame_exactly(page: Page) -> None:
    """The SVG writes no offsets, sizes or depths (draw.py): the script's reading of them,
    around the undrawn narrow files of client-go, is the tree's."""
    tree = build_tree(read_cloc_csv(DATA / "client-go-cloc-by-file.csv"), "kubernetes/client-go")
    expected: dict[str, tuple[int, int, int]] = {}

    def walk(node: Node, prefix: str, start: int, depth: int) -> None:
        for child in node.sorted_children():
            path = prefix + child.name + ("" if child.is_file else "/")
            if child.lines >= tree.lines * 0.1 / MINWIDTH_BASIS:
                expected[path] = (start, child.lines, depth)
                walk(child, path, start, depth + 1)
            start += child.lines

    walk(tree, "", 0, 1)
    read = graph(page, "client-go").evaluate(
        "[...document.querySelectorAll('#frames > svg')].slice(1).map(e => "
        "[e.getAttribute('aria-label').split(': ')[0], e.__flame.o, e.__flame.n, e.__flame.d])"
    )
    assert len(read) == len(expected) > 1000
    assert {path: (o, n, d) for path, o, n, d in read} == expected


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
    reset = figure(page, "kind").get_by_role("button", name="Reset zoom")
    expect(reset).to_be_enabled()
    # labels are refitted to the new widths: the zoomed frame shows its full name
    assert frame_for(doc, "pkg/").locator("text").text_content() == "pkg"
    reset.click()
    assert visible_paths(doc) == before
    expect(reset).to_be_disabled()


def test_search_highlights_matches_and_reports_the_share(page: Page) -> None:
    doc = graph(page, "kind")
    search = figure(page, "kind").get_by_label("Search frames")
    search.fill("kubeadm")
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
    result = figure(page, "kind").locator(".flame-graph__matched")
    assert result.get_attribute("role") == "status"  # screen readers announce it
    assert result.text_content() == (
        f"Matched: {format_share(covered, tree.lines)} ({covered:,} lines, {len(matches)} frames)"
    )
    expect(result).to_be_visible()
    search.fill("")
    assert doc.locator("#frames > svg.match").count() == 0
    assert result.text_content() == ""
    # the other graphs on the page keep their own search
    assert graph(page, "self").locator("#frames > svg.match").count() == 0


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


def focused_path(doc: Frame) -> str:
    return doc.evaluate("(document.activeElement.getAttribute('aria-label') || '').split(': ')[0]")


def test_frames_are_reachable_and_zoomable_by_keyboard(page: Page) -> None:
    doc = graph(page, "kind")
    before = visible_paths(doc)
    search = figure(page, "kind").get_by_label("Search frames")
    search.focus()
    stop = doc.locator('#frames > svg[tabindex="0"]')  # the root, or the frame last used
    assert stop.count() == 1
    page.keyboard.press("Tab")  # "Reset zoom" is disabled: the next stop is the graph
    assert focused_path(doc) == stop.get_attribute("aria-label").split(": ")[0]
    page.keyboard.press("Home")
    assert focused_path(doc) == "kubernetes-sigs/kind"
    assert doc.locator("#tip").get_attribute("visibility") == "visible"  # focus shows details
    # visible focus: the focused frame's outline differs from an unfocused frame's
    stroke = "el => getComputedStyle(el.querySelector('rect')).strokeWidth"
    assert doc.locator("#frames > svg:focus").evaluate(stroke) == "4px"
    assert frame_for(doc, "pkg/").evaluate(stroke) == "1px"
    page.keyboard.press("ArrowUp")  # root at the bottom: up is its first child
    first = focused_path(doc)
    assert first != "kubernetes-sigs/kind" and first.count("/") == 1
    for _ in range(30):
        if focused_path(doc) == "pkg/":
            break
        page.keyboard.press("ArrowRight")
    assert focused_path(doc) == "pkg/"
    # one Tab stop per graph: the frame last focused, the others out of the Tab order
    assert doc.locator('#frames > svg[tabindex="0"]').count() == 1
    page.keyboard.press("Enter")
    after = visible_paths(doc)
    assert "site/" not in after and "pkg/cluster/" in after
    assert frame_for(doc, "pkg/").get_attribute("width") == "100%"
    expect(figure(page, "kind").get_by_role("button", name="Reset zoom")).to_be_enabled()
    page.keyboard.press("ArrowDown")
    assert focused_path(doc) == "kubernetes-sigs/kind"
    page.keyboard.press("Escape")
    assert visible_paths(doc) == before
    # Shift+Tab leaves the graph again (no trap): back to the page's controls
    page.keyboard.press("Shift+Tab")
    expect(search).to_be_focused()
    # the search box highlights from the keyboard too
    search.focus()
    page.keyboard.type("docker")
    assert doc.locator("#frames > svg.match").count() > 0
    search.fill("")


def test_phone_shows_title_legend_and_search_whole(phone: Page) -> None:
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    for name in ("self", "kind", "client-go"):
        graph(phone, name)  # its script has run: the controls are shown
        fig = figure(phone, name)
        parts = fig.locator(
            ".flame-graph__title, .flame-graph__search, .flame-graph__reset, "
            ".flame-graph__help, .flame-graph__legend li, iframe"
        )
        assert parts.count() >= 9
        for i in range(parts.count()):
            part = parts.nth(i)
            expect(part).to_be_visible()
            box = part.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (
                name,
                part.evaluate("e => e.outerHTML.slice(0, 80)"),
                box,
            )
            # nothing clipped inside its own box (a long title or language name wraps)
            assert part.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), name
    legend = figure(phone, "kind").locator(".flame-graph__legend li").all_inner_texts()
    assert legend[-2:] == ["Dockerfile", "other"] and len(legend) == 9
    title = figure(phone, "kind").locator(".flame-graph__title")
    assert title.inner_text() == "kubernetes-sigs/kind: 25,713 lines of code in 369 files"


def test_tap_zooms_and_shows_details_on_touch(phone: Page) -> None:
    doc = graph(phone, "kind")
    frame_for(doc, "pkg/").tap()
    after = visible_paths(doc)
    assert "site/" not in after and "pkg/cluster/" in after
    assert doc.locator("#tip").get_attribute("visibility") == "visible"
    assert doc.locator("#tip tspan").first.text_content() == "pkg/"
    figure(phone, "kind").get_by_role("button", name="Reset zoom").tap()
    assert "site/" in visible_paths(doc)
    search = figure(phone, "kind").get_by_label("Search frames")
    search.tap()
    phone.keyboard.type("kubeadm")
    assert doc.locator("#frames > svg.match").count() > 0


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_no_serious_accessibility_violations_or_console_errors(
    browser: Browser, flame_site: str, scheme: str, device: str
) -> None:
    options = {**(DESKTOP if device == "desktop" else PHONE), "color_scheme": scheme}
    page, problems = open_page(browser, flame_site, **options)
    for name in ("self", "kind", "client-go"):
        graph(page, name)
    expected = "slate" if scheme == "dark" else "default"
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", expected)
    violations = serious_violations(page)
    seen = problems_seen(page, problems)
    # the watch is live and the page has its policy: an inline script is refused and reported
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';"
        " document.body.append(s); }"
    )
    page.wait_for_function("window.__flameProblems.length > 0")
    assert page.evaluate("window.x") is None
    page.context.close()
    assert violations == []
    assert seen == []


def test_a_graph_below_the_fold_loads_only_when_the_reader_nears_it(
    browser: Browser, flame_site: str
) -> None:
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(flame_site.replace("/flame-demo/", "/flame-far/"), wait_until="load")
    page.wait_for_timeout(1_500)  # time for any eager fetch to start
    assert [u for u in fetched if u.endswith(".svg") and "/assets/flame/" in u] == []
    assert any(u.endswith("/assets/flame/figure.css") for u in fetched)  # the page is a graph's
    # scrolling towards it loads it, and it works: search from the page, zoom by click
    doc = graph(page, "kind")
    assert [u for u in fetched if u.endswith("/assets/flame/kind.svg")] != []
    figure(page, "kind").get_by_label("Search frames").fill("kubeadm")
    assert doc.locator("#frames > svg.match").count() > 0
    frame_for(doc, "pkg/").click()
    assert frame_for(doc, "pkg/").get_attribute("width") == "100%"
    context.close()
