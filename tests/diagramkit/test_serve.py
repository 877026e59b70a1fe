"""`mkdocs serve` keeps serving a broken diagram as a placeholder and rebuilds on script edits."""

from __future__ import annotations

import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.diagramkit.conftest import fixture_scripts, make_project
from tests.site.sitebuild import MKDOCS, build_env, free_port

pytestmark = pytest.mark.slow

ABOUT = """---
title: About
description: A page with a diagram that is being edited.
---

# About

![A pod the author is still drawing](diagram:draft "Work in progress")
"""
BROKEN = (
    "from diagrams import Diagram\nfrom diagrams.k8s.compute import Pod\n\n"
    'with Diagram("draft"):\n    Pod("a") >> Pd("b")\n'
)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def _wait_for(url: str, needle: str, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    page = ""
    while time.monotonic() < deadline:
        try:
            page = _get(url)
            if needle in page:
                return page
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{needle!r} never appeared at {url}; last page:\n{page[-2000:]}")


def test_serve_shows_the_error_then_the_fixed_diagram(tmp_path: Path):
    scripts = fixture_scripts("_labels")
    scripts["draft"] = BROKEN
    project = make_project(tmp_path / "p", ABOUT, scripts)
    port = free_port()
    env = build_env(CONTROL_LOOP_CACHE_DIR=str(tmp_path / "cache"))
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [str(MKDOCS), "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/about/"
    try:
        page = _wait_for(url, "cl-diagram-error")
        box = BeautifulSoup(page, "html.parser").select_one(".cl-diagram-error")
        assert box.select_one(".admonition-title").get_text() == "Diagram draft is not shown"
        assert box.code.get_text().endswith(
            "diagrams_src/draft.py:5: NameError: name 'Pd' is not defined"
        )
        assert server.poll() is None, "the server must keep running"
        (project / "diagrams_src" / "draft.py").write_text(BROKEN.replace("Pd(", "Pod("))
        page = _wait_for(url, 'class="cl-diagram"')
        assert "cl-diagram-error" not in page
        assert _get(f"http://127.0.0.1:{port}/assets/diagrams/draft-dark.svg").startswith("<svg ")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert "draft.py:5: NameError: name 'Pd' is not defined" in output
