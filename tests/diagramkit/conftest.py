"""Fixtures for diagram tests: a private cache, real scripts rendered once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hooks.cache import CACHE_DIR_ENV, NO_CACHE_ENV, Cache
from hooks.diagramkit import render
from hooks.diagramkit import sources as src
from tests.diagramkit.helpers import DIAGRAMS, FIXTURES


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the project's .cache from a test."""
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(NO_CACHE_ENV, raising=False)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, render.Rendered]:
    """The fixture diagrams, rendered once for the whole session (cold, in parallel)."""
    cache = Cache("diagrams", tmp_path_factory.mktemp("session-cache"))
    scripts = [s for s in src.discover(FIXTURES) if s.name in DIAGRAMS]
    outcomes = render.render_all(scripts, cache=cache)
    failed = {n: str(o) for n, o in outcomes.items() if not isinstance(o, render.Rendered)}
    assert not failed, failed
    return outcomes  # type: ignore[return-value]


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A writable ``diagrams_src`` holding copies of the fixture scripts and helpers."""
    folder = tmp_path / "diagrams_src"
    shutil.copytree(FIXTURES, folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


ABOUT = """---
title: About
description: A page embedding diagrams, for the diagram tests.
---

# About

Kubernetes objects, drawn from code:

![A Deployment owns a ReplicaSet and two pods](diagram:k8s_cluster "A Deployment rolls out")

Some text between the pictures.

![A reader reaches nginx over the internet; nginx asks redis, then postgres](diagram:onprem_stack)
"""


def make_project(dest: Path, about: str, scripts: dict[str, str]) -> Path:
    """A copy of the site (no posts) whose diagrams_src holds ``scripts`` (name -> source)."""
    from tests.site.sitebuild import copy_project

    project = copy_project(dest)
    (project / "diagrams_src").unlink()
    folder = project / "diagrams_src"
    folder.mkdir()
    for name, body in scripts.items():
        (folder / f"{name}.py").write_text(body, encoding="utf-8")
    (project / "docs" / "about.md").write_text(about, encoding="utf-8")
    # the real home page links category pages that exist only with posts
    (project / "docs" / "index.md").write_text("# Home\n\nDiagram tests.\n", encoding="utf-8")
    return project


def fixture_scripts(*names: str) -> dict[str, str]:
    return {n: (FIXTURES / f"{n}.py").read_text(encoding="utf-8") for n in names}


@pytest.fixture(scope="session")
def diagram_site(tmp_path_factory: pytest.TempPathFactory):
    """The site with two fixture diagrams embedded in about.md, built once (strict)."""
    from tests.site.sitebuild import build_env, run_build

    base = tmp_path_factory.mktemp("diagram-site")
    project = make_project(
        base / "project", ABOUT, fixture_scripts("k8s_cluster", "onprem_stack", "_labels")
    )
    env = build_env(CONTROL_LOOP_CACHE_DIR=str(base / "cache"))
    build = run_build(project, base / "site", env=env)
    assert build.returncode == 0, build.log
    return project, build, env
