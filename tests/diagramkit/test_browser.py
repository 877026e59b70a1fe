"""In Chromium, through <img>: the palette's variant shows, its icons paint, zoom shows one variant.

The negative control is the SVG as Graphviz wrote it (icons referenced by file path): the same
pixel check finds nothing under its icons, which is why the SVG must embed them.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree
from playwright.sync_api import Browser, Page, expect

from hooks import PROJECT_ROOT
from hooks.diagramkit import legibility
from tests.browser import chromium
from tests.diagramkit.helpers import FIXTURES, PYTHON, SMALLEST_TEXT_JS, SVG, cli_env

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SCHEMES = {"light": "default", "dark": "slate"}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(diagram_site) -> Iterator[tuple[str, Path]]:
    _, build, _ = diagram_site
    handler = functools.partial(_Quiet, directory=str(build.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", build.site
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


def _icon_boxes(svg: bytes, tag: str) -> list[tuple[float, float, float, float]]:
    """Icon rectangles as fractions of the picture (x0, y0, x1, y1), from the SVG's geometry."""
    root = etree.fromstring(svg)
    vb_x, vb_y, vb_w, vb_h = (float(v) for v in root.get("viewBox").split())
    graph = root.find(f"{SVG}g")
    tx, ty = (
        float(v)
        for v in re.search(r"translate\(([-\d.]+) ([-\d.]+)\)", graph.get("transform")).groups()
    )
    boxes = []
    for el in graph.iter(f"{SVG}{tag}"):
        x = float(el.get("x")) + tx - vb_x
        y = float(el.get("y")) + ty - vb_y
        w, h = float(el.get("width").rstrip("px")), float(el.get("height").rstrip("px"))
        # the middle of the icon box: where every icon has ink
        boxes.append(
            ((x + 0.3 * w) / vb_w, (y + 0.3 * h) / vb_h, (x + 0.6 * w) / vb_w, (y + 0.6 * h) / vb_h)
        )
    assert boxes
    return boxes


def _painted_share(png: bytes, box: tuple[float, float, float, float]) -> float:
    """Share of the pixels in ``box`` that differ clearly from the box's most common colour."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    x0, y0, x1, y1 = (
        int(box[0] * width),
        int(box[1] * height),
        int(box[2] * width),
        int(box[3] * height),
    )
    raw = image.tobytes()
    colours = [
        tuple(raw[(y * width + x) * 3 : (y * width + x) * 3 + 3])
        for y in range(y0, y1)
        for x in range(x0, x1)
    ]
    common = max(set(colours), key=colours.count)
    differing = sum(
        1 for c in colours if sum(abs(a - b) for a, b in zip(c, common, strict=True)) > 60
    )
    return differing / len(colours)


def _open(browser: Browser, url: str, scheme: str) -> Page:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(
        f"document.body.getAttribute('data-md-color-scheme') === '{SCHEMES[scheme]}'"
    )
    return page


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", ["k8s_cluster", "onprem_stack"])
def test_icons_paint_in_the_palette_variant(browser, served, scheme, name):
    url, site = served
    page = _open(browser, url + "about/", scheme)
    figure = page.locator(f'figure[data-diagram="{name}"]')
    shown = figure.locator(f'img[src$="#only-{scheme}"]')
    hidden = figure.locator(f'img[src$="#only-{"dark" if scheme == "light" else "light"}"]')
    shown.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=shown.element_handle()
    )
    assert shown.is_visible() and not hidden.is_visible()
    svg = (site / "assets" / "diagrams" / f"{name}-{scheme}.svg").read_bytes()
    png = shown.screenshot()
    shares = [_painted_share(png, box) for box in _icon_boxes(svg, "use")]
    assert min(shares) > 0.1, shares
    page.context.close()


def test_negative_control_graphviz_svg_paints_no_icon(browser, served, tmp_path):
    """The unprocessed SVG references icons by path: through <img> they stay blank."""
    url, site = served
    out = tmp_path / "raw"
    out.mkdir()
    proc = subprocess.run(
        [
            PYTHON,
            "-m",
            "hooks.diagramkit.runner",
            str(FIXTURES / "k8s_cluster.py"),
            str(out),
            "--sources",
            str(FIXTURES),
        ],
        env=cli_env(PYTHONPATH=str(PROJECT_ROOT)),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    shutil.copy(out / "diagram.svg", site / "raw-graphviz.svg")
    (site / "raw-graphviz.html").write_text(
        '<!doctype html><body style="margin:0;background:#fff"><img src="raw-graphviz.svg"></body>'
    )
    page = browser.new_page()
    page.goto(url + "raw-graphviz.html")
    img = page.locator("img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    png = img.screenshot()
    shares = [
        _painted_share(png, box) for box in _icon_boxes((out / "diagram.svg").read_bytes(), "image")
    ]
    assert max(shares) < 0.01, shares
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_zoom_shows_only_the_palette_variant(browser, served, scheme):
    url, _ = served
    page = _open(browser, url + "about/", scheme)
    page.locator(f'figure[data-diagram="k8s_cluster"] img[src$="#only-{scheme}"]').click()
    zoomed = page.locator("dialog.cl-zoom[open] img.cl-zoom__img")
    zoomed.wait_for(state="visible")
    assert zoomed.get_attribute("src").endswith(f"k8s_cluster-{scheme}.svg#only-{scheme}")
    background = page.locator("dialog.cl-zoom").evaluate("d => getComputedStyle(d).backgroundColor")
    assert background == ("rgb(255, 255, 255)" if scheme == "light" else "rgb(30, 33, 41)")
    page.keyboard.press("Escape")
    expect(page.locator("dialog.cl-zoom")).not_to_have_attribute("open", "")
    page.context.close()


def test_the_checked_column_width_is_the_real_one(browser, served):
    """legibility.COLUMN_PX is the post column at 1366x900: a theme change must fail here."""
    url, _ = served
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(url + "about/")
    width = page.evaluate(
        "() => { const c = document.querySelector('article.md-content__inner');"
        " const s = getComputedStyle(c);"
        " return c.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); }"
    )
    assert width == pytest.approx(legibility.COLUMN_PX, abs=1)
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_smallest_text_is_at_least_12_css_px_on_desktop(browser, served, scheme):
    url, _ = served
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(url + "about/")
    # the layout width is set by the <img> width attribute and CSS: no need to wait for loading
    shown = page.evaluate(SMALLEST_TEXT_JS, "figure.cl-diagram img")
    assert len(shown) == 2 and all(f"#only-{scheme}" in s["src"] for s in shown)
    assert min(s["px"] for s in shown) >= legibility.MIN_PX, shown
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_phone_the_opened_figure_is_legible_and_pans(browser, served, scheme):
    url, _ = served
    context = browser.new_context(
        color_scheme=scheme,
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.goto(url + "about/")
    figure = page.locator(f'figure[data-diagram="onprem_stack"] img[src$="#only-{scheme}"]')
    inline = page.evaluate(SMALLEST_TEXT_JS, 'figure[data-diagram="onprem_stack"] img')
    assert inline[0]["px"] < legibility.MIN_PX  # squeezed into the phone's column
    figure.tap()
    zoomed = page.locator("dialog.cl-zoom[open] img.cl-zoom__img")
    zoomed.wait_for(state="visible")
    opened = page.evaluate(SMALLEST_TEXT_JS, "dialog.cl-zoom[open] img.cl-zoom__img")
    assert opened[0]["px"] >= legibility.MIN_PX, opened
    assert f"#only-{scheme}" in opened[0]["src"]
    scroller = page.locator(".cl-zoom__scroll")
    overflow = scroller.evaluate(
        "e => [e.scrollWidth, e.clientWidth, getComputedStyle(e).overflowX]"
    )
    assert overflow[0] > overflow[1] and overflow[2] == "auto"  # wider than the screen: pans
    scroller.evaluate("e => e.scrollBy(200, 0)")
    assert scroller.evaluate("e => e.scrollLeft") > 0
    viewport = page.evaluate("document.querySelector('meta[name=viewport]').content")
    assert "user-scalable=no" not in viewport and "maximum-scale=1" not in viewport  # pinch-zoom
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_webp_icons_paint_through_img(browser, tmp_path, scheme):
    """``_style.icon`` icons are embedded as lossless WebP: Chromium paints them under <img>
    (an SVG shown as an image decodes its data: URLs itself; nothing is fetched)."""
    from tests.diagramkit.test_style import _render_small_icons

    outcome = _render_small_icons(tmp_path)
    svg = outcome.light if scheme == "light" else outcome.dark
    assert "data:image/webp;base64," in svg
    (tmp_path / "small.svg").write_text(svg, encoding="utf-8")
    background = "#fff" if scheme == "light" else "#1e2129"
    (tmp_path / "page.html").write_text(
        f'<body style="margin:0;background:{background}">'
        f'<img id="d" src="small.svg" width="{outcome.width_px}"></body>',
        encoding="utf-8",
    )
    page = browser.new_page()
    page.goto((tmp_path / "page.html").as_uri())
    image = page.locator("#d")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    shares = [_painted_share(image.screenshot(), box) for box in _icon_boxes(svg.encode(), "use")]
    assert len(shares) == 2 and min(shares) > 0.1, shares
    page.close()
