"""Site-level fixtures: the real site is built once per test session and shared by workers."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock

from hooks import PROJECT_ROOT
from tests.site.sitebuild import Build, run_build


def run_temp_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory shared by all xdist workers of this run (and only this run)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """`mkdocs build --strict` of this repository, once for all xdist workers."""
    shared = run_temp_dir(tmp_path_factory)
    site = shared / "control-loop-site"
    with FileLock(str(shared / "control-loop-site.lock")):
        marker = shared / "control-loop-site.log"
        if not marker.exists():
            build = run_build(PROJECT_ROOT, site)
            marker.write_text(f"{build.returncode}\n{build.log}", encoding="utf-8")
        code, _, log = marker.read_text(encoding="utf-8").partition("\n")
    build = Build(int(code), log, site)
    assert build.returncode == 0, f"mkdocs build --strict failed:\n{build.log}"
    return build


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Build) -> Iterator[str]:
    """The built site served over HTTP on loopback (what a reader's browser gets)."""
    handler = functools.partial(_QuietHandler, directory=str(built_site.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")
