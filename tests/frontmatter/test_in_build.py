"""Front-matter errors as a contributor meets them: in `mkdocs build` and `mkdocs serve`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hooks.frontmatter import validate_post
from hooks.frontmatter.build import rules_from_config
from hooks.frontmatter.newpost import create_post
from tests.site.sitebuild import copy_project, run_build, serving

GOOD = """---
title: "Good post"
description: "Fine."
date: 2026-11-20
authors: [controlloop]
categories: [Kubernetes]
tags: [test]
slug: good-post
---

# Good post

The opening paragraph of a good post.

<!-- more -->

More.
"""
BAD = (
    GOOD.replace("date: 2026-11-20", "date: 2026-11-21")
    .replace("categories: [Kubernetes]", "categories: [Kubernetis]")
    .replace("slug: good-post", "slug: bad-post")
)


def _project(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "project")
    posts = project / "docs" / "blog" / "posts"
    (posts / "2026-11-20-good-post.md").write_text(GOOD)
    (posts / "2026-11-21-bad-post.md").write_text(BAD)
    return project


@pytest.mark.slow
@pytest.mark.parametrize("strict", [True, False], ids=["strict", "plain"])
def test_build_fails_with_path_line_message(tmp_path: Path, strict: bool) -> None:
    build = run_build(_project(tmp_path), tmp_path / "site", strict=strict)
    assert build.returncode != 0
    assert (
        "\nERROR   -  docs/blog/posts/2026-11-21-bad-post.md:6: unknown category 'Kubernetis'; "
        "did you mean 'Kubernetes'?" in build.log
    )
    assert "Traceback" not in build.log


@pytest.mark.slow
def test_serve_reports_the_error_and_keeps_serving(tmp_path: Path) -> None:
    with serving(_project(tmp_path), tmp_path / "serve.log") as served:
        body = served.wait_for("/blog/")
        assert "Good post" in body  # the rest of the site is served
        log = served.log.read_text()
        assert "2026-11-21-bad-post.md:6: unknown category 'Kubernetis'" in log


def test_new_post_skeleton_is_valid(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    from hooks import PROJECT_ROOT

    posts = tmp_path / "docs" / "blog" / "posts"
    posts.mkdir(parents=True)
    path = create_post(
        "Why the kubelet: evicts pods!", today=dt.date(2026, 11, 26), posts_dir=posts
    )
    assert path.name == "2026-11-26-why-the-kubelet-evicts-pods.md"
    rules = rules_from_config(load_config(str(PROJECT_ROOT / "mkdocs.yml")))
    errors, data = validate_post(
        f"docs/blog/posts/{path.name}", path.read_text(encoding="utf-8"), rules
    )
    assert errors == []
    assert data["title"] == "Why the kubelet: evicts pods!"
    assert data["slug"] == "why-the-kubelet-evicts-pods"


def test_new_post_refuses_a_taken_slug(tmp_path: Path) -> None:
    import click

    posts = tmp_path / "posts"
    posts.mkdir()
    create_post("Same title", today=dt.date(2026, 11, 1), posts_dir=posts)
    with pytest.raises(click.ClickException, match="slug 'same-title' is taken"):
        create_post("Same title", today=dt.date(2026, 11, 2), posts_dir=posts)


@pytest.mark.slow
@pytest.mark.browser
def test_serve_shows_the_error_at_the_posts_url_and_the_fix_brings_it_back(
    tmp_path: Path,
) -> None:
    from tests.browser import chromium

    project = _project(tmp_path)
    bad = project / "docs" / "blog" / "posts" / "2026-11-21-bad-post.md"
    with serving(project, tmp_path / "serve.log", livereload=True) as served:
        url = "/blog/2026/11/21/bad-post/"
        page_html = served.wait_for(url, "Front matter error")
        assert "unknown category &#39;Kubernetis&#39;" in page_html or (
            "unknown category 'Kubernetis'" in page_html
        )
        assert "livereload" in page_html  # the error page reloads itself after the fix
        # the category the typo meant keeps its page (index.md links it)
        assert "Front matter error" in served.wait_for("/blog/category/kubernetes/")
        log = served.log.read_text()
        assert "left out of the served site" not in log
        assert "'blog/category/kubernetes.md', but the target is not found" not in log
        with chromium() as browser:
            page = browser.new_page()
            page.goto(served.base_url + url)
            assert "docs/blog/posts/2026-11-21-bad-post.md:6: unknown category" in (
                page.inner_text("article")
            )
            bad.write_text(BAD.replace("categories: [Kubernetis]", "categories: [Kubernetes]"))
            # no page.reload(): the live-reload script on the error page does it
            page.wait_for_function(
                "document.querySelector('article h1')"
                " && document.querySelector('article h1').innerText.startsWith('Good post')",
                timeout=120_000,
            )
            assert "Front matter error" not in page.content()
