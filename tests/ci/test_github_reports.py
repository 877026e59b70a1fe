"""GitHub-native reports: annotations on the pull request's diff and a job summary.

A contributor reads the pull request, so with ``GITHUB_ACTIONS=true`` each ``path:line``
problem must also be a workflow command GitHub can place on the diff, and the build's tallies
a Markdown job summary. Checked on the real build's standard output, as the runner reads it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import markdown
import pytest

from hooks import ghactions
from hooks.errors import SourceError
from tests.site.sitebuild import MKDOCS, build_env, copy_project

FRONT = """---
title: "{title}"
description: "Fine."
date: 2026-11-20
authors: [controlloop]
categories: [{category}]
tags: [test]
slug: {slug}
---

# {title}

The opening paragraph.

<!-- more -->

"""


def _post(project: Path, slug: str, body: str, category: str = "Kubernetes") -> Path:
    path = project / "docs" / "blog" / "posts" / f"2026-11-20-{slug}.md"
    path.write_text(FRONT.format(title=slug, slug=slug, category=category) + body)
    return path


def _build_in_actions(project: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, Path]:
    summary = tmp_path / "summary.md"
    env = build_env(GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary))
    env["CONTROL_LOOP_CACHE_DIR"] = str(tmp_path / "cache")
    proc = subprocess.run(
        [str(MKDOCS), "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return proc, summary


def test_annotation_escapes_what_github_would_misread() -> None:
    err = SourceError("docs/a,b:c.md", 7, "first line, with: colon\nsecond 100%", "fix it")
    line = ghactions.annotation(err)
    assert line.startswith(
        "::error file=docs/a%2Cb%3Ac.md,line=7,title=first line%2C with%3A colon"
    )
    assert line.endswith("::first line, with: colon%0Asecond 100%25; fix it")
    assert "\n" not in line


def test_annotation_without_a_line_has_no_line_property() -> None:
    assert ghactions.annotation(SourceError("docs", 0, "x"), "warning") == (
        "::warning file=docs,title=x::x"
    )


def test_nothing_is_printed_outside_github_actions(monkeypatch, capsys) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    ghactions.annotate(SourceError("docs/x.md", 3, "bad"))
    ghactions.announce("tool missing")
    assert capsys.readouterr().out == ""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    ghactions.annotate(SourceError("docs/x.md", 3, "bad"))
    assert capsys.readouterr().out == "::error file=docs/x.md,line=3,title=bad::bad\n"


def test_summary_renders_as_a_markdown_table() -> None:
    tally = ghactions.PageTally()
    tally.add("blocks ran", 3)
    tally.add("diagrams cached", 2)
    errors = [SourceError("docs/p.md", 9, "python block failed\n    - 1\n    + 2")]
    text = ghactions.summary_markdown({"docs/p.md": tally}, errors, 1.25)
    html = markdown.markdown(text, extensions=["tables", "fenced_code"])
    assert "<h2>Site build failed in 1.2 s</h2>" in html or "in 1.3 s" in html
    assert "blocks ran</th>" in html and "<td><code>docs/p.md</code></td>" in html
    assert ">3</td>" in html
    assert "<code>docs/p.md:9: python block failed</code>" in html
    assert '<pre><code class="language-text">    - 1\n    + 2\n</code></pre>' in html


@pytest.mark.slow
def test_bad_front_matter_is_an_annotation_at_its_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    _post(project, "bad-category", "Text.\n", category="Netwroking")
    proc, summary = _build_in_actions(project, tmp_path)
    assert proc.returncode != 0
    assert (
        "::error file=docs/blog/posts/2026-11-20-bad-category.md,line=6,"
        "title=unknown category 'Netwroking'" in proc.stdout
    )
    assert "- `docs/blog/posts/2026-11-20-bad-category.md:6: unknown category" in (
        summary.read_text()
    )


@pytest.mark.slow
def test_failing_snippet_and_broken_diagram_are_annotations_and_summary(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    body = (
        "![A picture](diagram:no_such_diagram)\n\n"
        '```python test="run"\nassert 1 + 1 == 3, "arithmetic"\n```\n'
    )
    _post(project, "broken", body)
    proc, summary = _build_in_actions(project, tmp_path)
    assert proc.returncode != 0
    post = "docs/blog/posts/2026-11-20-broken.md"
    annotations = [line for line in proc.stdout.splitlines() if line.startswith("::error ")]
    assert any(line.startswith(f"::error file={post},line=17,") for line in annotations), (
        proc.stdout
    )
    snippet = [line for line in annotations if f"file={post},line=19," in line]
    assert snippet and "AssertionError: arithmetic" in snippet[0]
    text = summary.read_text()
    assert text.startswith("## Site build failed in ")
    assert f"- `{post}:19: python block" in text
    html = markdown.markdown(text, extensions=["tables", "fenced_code"])
    assert "<table>" in html and f"<td><code>{post}</code></td>" in html


def test_snippets_command_annotates_a_failing_block(tmp_path: Path) -> None:
    """The e2e job runs ``python -m hooks snippets``: its failures are annotations too."""
    import sys

    post = tmp_path / "p.md"
    post.write_text('# T\n\n```python test="run"\nassert 1 + 1 == 3, "arithmetic"\n```\n')
    env = build_env(GITHUB_ACTIONS="true", CONTROL_LOOP_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.run(
        [sys.executable, "-m", "hooks", "snippets", str(post)],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 1
    line = next(x for x in proc.stdout.splitlines() if x.startswith("::error "))
    assert ",line=3,title=python block" in line and "AssertionError: arithmetic" in line
