"""`mkdocs serve` keeps serving a broken diagram as a placeholder and rebuilds on script edits."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.diagramkit.conftest import fixture_scripts, make_project
from tests.site.sitebuild import build_env, serving

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


def test_serve_shows_the_error_then_the_fixed_diagram(tmp_path: Path):
    scripts = fixture_scripts("_labels")
    scripts["draft"] = BROKEN
    project = make_project(tmp_path / "p", ABOUT, scripts)
    env = build_env(CONTROL_LOOP_CACHE_DIR=str(tmp_path / "cache"))
    with serving(project, tmp_path / "serve.log", env=env, livereload=True) as served:
        page = served.wait_for("/about/", "cl-diagram-error")
        box = BeautifulSoup(page, "html.parser").select_one(".cl-diagram-error")
        assert box.select_one(".admonition-title").get_text() == "Diagram draft is not shown"
        assert box.code.get_text().endswith(
            "diagrams_src/draft.py:5: NameError: name 'Pd' is not defined"
        )
        assert served.process.poll() is None, "the server must keep running"
        (project / "diagrams_src" / "draft.py").write_text(BROKEN.replace("Pd(", "Pod("))
        page = served.wait_for("/about/", 'class="cl-diagram"')
        assert "cl-diagram-error" not in page
        assert served.get("/assets/diagrams/draft-dark.svg").startswith("<svg ")
    output = (tmp_path / "serve.log").read_text()
    assert "draft.py:5: NameError: name 'Pd' is not defined" in output


def test_serve_shows_an_illegible_diagram_as_the_placeholder_then_the_redrawn_one(tmp_path: Path):
    from tests.diagramkit.helpers import FIXTURES

    cases = FIXTURES / "legibility"
    scripts = {"draft": (cases / "too_wide.py").read_text(encoding="utf-8")}
    project = make_project(tmp_path / "p", ABOUT, scripts)
    env = build_env(CONTROL_LOOP_CACHE_DIR=str(tmp_path / "cache"))
    with serving(project, tmp_path / "serve.log", env=env, livereload=True) as served:
        page = served.wait_for("/about/", "cl-diagram-error")
        box = BeautifulSoup(page, "html.parser").select_one(".cl-diagram-error")
        message = box.code.get_text()
        assert message.startswith("diagrams_src/draft.py:7: smallest text 'pod-0' renders at ")
        assert "(needs >= 12)" in message and "draw it at most" in message
        assert served.process.poll() is None, "the server must keep running"
        legible = (cases / "legible.py").read_text(encoding="utf-8")
        (project / "diagrams_src" / "draft.py").write_text(legible, encoding="utf-8")
        page = served.wait_for("/about/", 'class="cl-diagram"')
        assert "cl-diagram-error" not in page
    assert "draft.py:7: smallest text 'pod-0'" in (tmp_path / "serve.log").read_text()
