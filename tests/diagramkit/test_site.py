"""Diagrams in a real `mkdocs build --strict`: generated files, figures, warm builds, failures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.diagramkit.conftest import fixture_scripts, make_project
from tests.site.sitebuild import build_env, run_build

pytestmark = pytest.mark.slow


def _about(site: Path) -> BeautifulSoup:
    return BeautifulSoup((site / "about" / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_figures_reference_generated_svgs(diagram_site):
    _, build, _ = diagram_site
    figures = _about(build.site).select("figure.cl-diagram")
    assert [f["data-diagram"] for f in figures] == ["k8s_cluster", "onprem_stack"]
    for fig in figures:
        name = fig["data-diagram"]
        links = fig.find_all("a", recursive=False)
        assert [a["class"] for a in links] == [
            ["cl-zoom-link", "cl-diagram-light"],
            ["cl-zoom-link", "cl-diagram-dark"],
        ]
        for a, scheme in zip(links, ("light", "dark"), strict=True):
            img = a.find("img")
            assert img["src"] == f"../assets/diagrams/{name}-{scheme}.svg#only-{scheme}"
            assert img["alt"].startswith("A ")
            svg = build.site / "about" / img["src"].split("#")[0]
            assert svg.resolve().is_file()
            assert svg.read_text().startswith("<svg ")
            assert a.find("a") is None and a.parent.name == "figure"  # linked once
    assert figures[0].figcaption.get_text() == "A Deployment rolls out"
    assert figures[1].figcaption is None


def test_nothing_is_written_into_docs(diagram_site):
    project, _, _ = diagram_site
    docs = project / "docs"
    generated = [p for p in docs.rglob("*") if p.name.endswith(("-light.svg", "-dark.svg"))]
    assert generated == []
    assert not (docs / "assets" / "diagrams").exists()
    assert sorted(p.name for p in (project / "diagrams_src").iterdir()) == [
        "_labels.py",
        "k8s_cluster.py",
        "onprem_stack.py",
    ]


def test_warm_build_renders_nothing(diagram_site, tmp_path):
    project, build, env = diagram_site
    cache = Path(env["CONTROL_LOOP_CACHE_DIR"]) / "diagrams"

    def stamp() -> dict[Path, tuple[int, int]]:
        return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cache.rglob("*") if p.is_file()}

    before = stamp()
    assert len(before) == 2
    again = run_build(project, tmp_path / "site", env=env)
    assert again.returncode == 0, again.log
    assert stamp() == before  # no entry rewritten: nothing was rendered
    for svg in (build.site / "assets" / "diagrams").iterdir():
        assert (
            tmp_path / "site" / "assets" / "diagrams" / svg.name
        ).read_bytes() == svg.read_bytes()


BROKEN_ABOUT = """---
title: About
description: A page with every diagram mistake.
---

# About

![](diagram:k8s_cluster)

![An unknown picture](diagram:k8s_clustr)

![A failing script](diagram:bad)

Inline ![is wrong](diagram:k8s_cluster) here.
"""


def test_strict_build_fails_with_path_and_line(tmp_path):
    scripts = fixture_scripts("k8s_cluster")
    scripts["bad"] = (
        "from diagrams import Diagram\nfrom diagrams.k8s.compute import Pod\n\n"
        'with Diagram("bad"):\n    Pod("a") >> Pod(b)\n'
    )
    project = make_project(tmp_path / "p", BROKEN_ABOUT, scripts)
    build = run_build(
        project, tmp_path / "site", env=build_env(CONTROL_LOOP_CACHE_DIR=str(tmp_path / "c"))
    )
    assert build.returncode != 0
    errors = [line for line in build.log.splitlines() if line.startswith("ERROR")]
    messages = [re.sub(r"^ERROR\s+-\s+\S*?(?=(diagrams_src|docs)/)", "", e) for e in errors]
    assert "diagrams_src/bad.py:5: NameError: name 'b' is not defined" in messages
    assert (
        "docs/about.md:8: diagram 'k8s_cluster' has no alt text; "
        "describe what it shows: ![What the picture shows](diagram:k8s_cluster)"
    ) in messages
    assert (
        "docs/about.md:10: unknown diagram 'k8s_clustr': no diagrams_src/k8s_clustr.py; "
        "did you mean 'k8s_cluster'?"
    ) in messages
    assert any(
        m.startswith("docs/about.md:14: a diagram embed must stand on a line") for m in messages
    )
    assert "source errors (listed above); build failed" in build.log
    assert "Traceback" not in build.log


POST = """---
title: "A diagram first"
description: "A post whose excerpt starts with a diagram, shown on the blog's index pages."
date: 2026-01-05
authors:
  - controlloop
categories:
  - Kubernetes
tags:
  - diagrams
slug: diagram-first
---

# A diagram first

![A Deployment owns a ReplicaSet and two pods](diagram:k8s_cluster "Rolled out")

The excerpt ends here.

<!-- more -->

The rest of the post.
"""


def test_diagram_in_an_excerpt_resolves_on_index_pages(tmp_path):
    """The blog shows excerpts on index, archive and category pages at other depths."""
    project = make_project(tmp_path / "p", ABOUT_PLAIN, fixture_scripts("k8s_cluster"))
    (project / "docs" / "blog" / "posts" / "2026-01-05-diagram-first.md").write_text(POST)
    env = build_env(CONTROL_LOOP_CACHE_DIR=str(tmp_path / "c"))
    build = run_build(project, tmp_path / "site", env=env)
    assert build.returncode == 0, build.log
    pages = [
        build.site / "blog" / "2026" / "01" / "05" / "diagram-first" / "index.html",
        build.site / "blog" / "index.html",
        build.site / "blog" / "category" / "kubernetes" / "index.html",
        build.site / "blog" / "archive" / "2026" / "index.html",
    ]
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        imgs = soup.select("figure.cl-diagram img")
        assert len(imgs) == 2, page
        for img in imgs:
            target = (page.parent / img["src"].split("#")[0]).resolve()
            assert target.is_file(), (page, img["src"])


ABOUT_PLAIN = "# About\n\nNo pictures here.\n"
