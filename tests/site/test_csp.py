"""The Content-Security-Policy (``hooks/csp.py``): the site's own scripts run, nothing else does.

Checked in Debian's Chromium: the real site raises no policy violation while a reader searches,
switches the palette, navigates instantly, zooms a diagram and uses a flame graph; a page whose
Markdown carries raw ``<script>``, ``onerror=`` and ``javascript:`` runs none of them.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page, expect

from hooks import csp
from tests.browser import chromium
from tests.site.conftest import html_pages
from tests.site.sitebuild import Build, build_env, copy_project, run_build

MATERIAL = Path(csp.__file__).resolve().parent.parent / "hooks" / "theme"

#: Records every violation in the page (and in pages navigated to), before any script runs.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", e =>
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline")));
"""


def _theme_dirs() -> list[str]:
    import material

    return [str(MATERIAL), str(Path(material.__file__).parent / "templates")]


def test_only_scripts_the_templates_write_are_hashed():
    patterns = csp.template_scripts(_theme_dirs())
    assert len(patterns) >= 4  # Material's scope, palette and two content scripts
    scope = (
        '__md_scope=new URL("../..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.'
        "charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t."
        'pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname'
        '+"."+e,JSON.stringify(_))}catch(e){}}'
    )
    page = f"<head><script>{scope}</script></head><body><script>alert(1)</script></body>"
    assert len(csp.allowed_hashes(page, patterns)) == 1
    for forged in (
        scope.replace('"../.."', '"x"+alert(1)+"'),
        scope.replace('"../.."', '"\\"+alert(1)//'),
        scope + ";alert(1)",
    ):
        assert csp.allowed_hashes(f"<script>{forged}</script>", patterns) == []


def test_every_page_of_the_site_carries_the_policy(built_site: Build):
    for path in [*html_pages(built_site.site), built_site.site / "404.html"]:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        metas = soup.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert len(metas) == 1, path
        policy = metas[0]["content"]
        assert (
            "script-src 'self' 'sha256-" in policy
            and "unsafe-inline" not in policy.split("style-src")[0]
        ), path
        assert "object-src 'none'" in policy, path  # no <object>, <embed> or plugin content
        head = soup.head.find_all(["meta", "script"])
        assert head.index(metas[0]) <= 1, "the policy precedes every script"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(color_scheme="light")
    context.add_init_script(LISTEN)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.mark.browser
def test_the_site_works_under_the_policy(page: Page, site_url: str):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(site_url, wait_until="load")
    # palette toggle: two states from the system's preference (light here): dark, then light
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    # search (the worker is a script of the site's own)
    query = page.locator("input.md-search__input")
    for _ in range(20):
        query.click()
        query.fill("")
        query.press_sequentially("DeltaFIFO")
        try:
            expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=1_000)
            break
        except AssertionError:
            continue
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    page.keyboard.press("Escape")
    # instant navigation to the flame post, then a flame graph's own script and a diagram's zoom
    page.goto(site_url + "blog/", wait_until="load")
    page.locator(".md-post__action a[href*='kubernetes-on-flame']").click()
    expect(page.locator("h1").first).to_contain_text("flame", ignore_case=True)
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    obj = page.locator("iframe.flame-graph__svg").first
    obj.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    frame = next(f for f in page.frames if f.url.endswith(".svg"))
    frame.wait_for_function("document.querySelector('#frames > svg[aria-label]') !== null")
    page.locator("figure.cl-diagram img[src$='#only-light']").first.click()
    expect(page.locator("dialog.cl-zoom[open] img.cl-zoom__img")).to_be_visible()
    assert page.evaluate("window.__violations") == []
    assert [e for e in errors if "Content Security Policy" in e] == []


HOSTILE = """# Raw HTML

<script>(window.__ran = window.__ran || []).push("script");</script>

<img src="missing.png" onerror="(window.__ran = window.__ran || []).push('onerror')" alt="x">

<a id="js" href="javascript:void (window.__ran = window.__ran || []).push('javascript-url')">a</a>
"""


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = tmp_path_factory.mktemp("csp")
    project = copy_project(base / "project")
    (project / "docs" / "index.md").write_text("# Home\n\nCSP tests.\n", encoding="utf-8")
    (project / "docs" / "raw.md").write_text(HOSTILE, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "  - About: about.md\n", "  - About: about.md\n  - Raw: raw.md\n"
        )
    )
    build = run_build(
        project, base / "site", strict=False, env=build_env(CONTROL_LOOP_CACHE_DIR=str(base / "c"))
    )
    assert build.returncode == 0, build.log
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(base / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/raw/"
    server.shutdown()


@pytest.mark.browser
@pytest.mark.slow
def test_raw_html_in_a_page_runs_nothing(page: Page, hostile_url: str):
    page.goto(hostile_url, wait_until="load")
    page.wait_for_timeout(300)
    page.locator("#js").click()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__ran === undefined"), page.evaluate("window.__ran")
    violations = page.evaluate("window.__violations")
    assert len([v for v in violations if v.startswith("script-src")]) >= 3, violations
    # the site's own scripts still run: the palette toggles
    # (two states from the system's preference: on a light system the first click is dark)
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")


def test_remembered_template_scripts_are_this_hosts_own(tmp_path, monkeypatch):
    """A warm build takes the templates' scripts from a sealed entry; one forged in
    ``.cache/`` (plain checksum, allowing ``alert(1)``) is dropped and the templates read."""
    import hashlib

    from hooks import machinekey
    from hooks.cache import _MAGIC, Cache

    monkeypatch.setenv(machinekey.KEY_FILE_ENV, str(tmp_path / "state" / "cache.key"))
    machinekey.machine_key.cache_clear()
    try:
        cache = Cache("csp", tmp_path / "cache", sealed=True)
        honest = csp.template_scripts(_theme_dirs(), cache)
        (entry,) = [p for p in cache.dir.rglob("*") if p.is_file()]
        assert [p.pattern for p in csp.template_scripts(_theme_dirs(), cache)] == [
            p.pattern for p in honest
        ]
        forged = b'["alert(1)"]'
        entry.write_bytes(_MAGIC + hashlib.sha256(forged).hexdigest().encode() + b"\n" + forged)
        again = csp.template_scripts(_theme_dirs(), cache)
        assert [p.pattern for p in again] == [p.pattern for p in honest]
        assert csp.allowed_hashes("<script>alert(1)</script>", again) == []
    finally:
        machinekey.machine_key.cache_clear()
