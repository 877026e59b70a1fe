"""The site build: options never reach the page, badges do, failures fail ``--strict``.

Builds a small MkDocs project that loads the real ``hooks/site_hooks.py``, so what is proven
here is the wiring the site uses.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hooks import PROJECT_ROOT
from hooks.reporting import BuildReport
from hooks.snippetkit.build import SnippetBuild, add_badges, rewrite_markdown

F = "```"
MKDOCS = PROJECT_ROOT / ".venv" / "bin" / "mkdocs"

PAGE = f"""---
title: Demo
---

# Demo

{F}python test="run" session="s" title="demo & <co>.py" hl_lines="1"
answer = 42
{F}

{F}console test="run" session="sh"
$ echo "$((6 * 7))"
42
{F}

{F}yaml test="check"
apiVersion: v1
kind: ConfigMap
metadata:
  name: demo
data:
  key: value
{F}

{F}text test="skip" reason="needs a <real> cluster & time"
kubectl get pods
{F}

{F}console test="run" requires="no-such-tool-here"
$ no-such-tool-here
{F}

{F}python
plain = "not tested"
{F}
"""


def make_site(root: Path, page: str) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text(page, encoding="utf-8")
    (root / "docs" / "blog" / "posts").mkdir(parents=True)
    (root / "docs" / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(
        textwrap.dedent(f"""\
        site_name: Snippet test
        site_url: https://example.org/
        theme:
          name: material
        plugins:
          - blog
        hooks:
          - {PROJECT_ROOT / "hooks" / "site_hooks.py"}
        markdown_extensions:
          - attr_list
          - pymdownx.highlight:
              pygments_lang_class: true
          - pymdownx.superfences
        """)
    )
    return config


def build(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CONTROL_LOOP_DIAGRAMS="off", NO_MKDOCS_2_WARNING="1")
    env.pop("CI", None)  # these pages are not recorded (test_transcripts.py covers CI=true)
    return subprocess.run(
        [
            str(MKDOCS),
            "build",
            "--strict",
            "-f",
            str(root / "mkdocs.yml"),
            "-d",
            str(root / "site"),
            *extra,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=root,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    root = tmp_path_factory.mktemp("site")
    cache = root / "cache"
    os.environ["CONTROL_LOOP_CACHE_DIR"] = str(cache)
    try:
        make_site(root, PAGE)
        cold = build(root)
        assert cold.returncode == 0, cold.stderr
        warm = build(root)
        assert warm.returncode == 0, warm.stderr
    finally:
        del os.environ["CONTROL_LOOP_CACHE_DIR"]
    return root, cold.stderr, warm.stderr


@pytest.mark.slow
def test_badges_in_built_html(built: tuple[Path, str, str]) -> None:
    root, _, _ = built
    html = (root / "site" / "index.html").read_text()
    badges = re.findall(
        r'<a class="cl-badge cl-badge--(\w+)" href="([^"]*)"[^>]*>([^<]*)</a>', html
    )
    assert badges == [
        ("tested", "about/#tested-code", "tested at build"),
        ("tested", "about/#tested-code", "tested at build"),
        ("validated", "about/#tested-code", "validated"),
        ("skipped", "about/#tested-code", "skipped: needs a &lt;real&gt; cluster &amp; time"),
        # a block a missing tool stops is still checked (bash -n, shellcheck), never "skipped"
        ("validated", "about/#tested-code", "validated · needs no-such-tool-here"),
    ]
    # the badge sits inside the code block it describes, before the code
    assert re.search(
        r'<div class="language-python cl-snippet cl-tested highlight"[^>]*>'
        r'<a class="cl-badge cl-badge--tested" href="about/#tested-code" title="Runs at every '
        r"build in the sandbox: it passes when no exception escapes \(its asserts hold\)\.\"[^>]*>"
        r"tested at build</a>"
        r'<span class="filename">demo &amp; &lt;co&gt;.py</span>',
        html,
    )


@pytest.mark.slow
def test_options_never_reach_the_page(built: tuple[Path, str, str]) -> None:
    root, _, _ = built
    html = (root / "site" / "index.html").read_text()
    for leaked in ("test=", "session=", "requires=", "reason=", "timeout="):
        assert leaked not in html
    assert '<span class="hll">' in html  # hl_lines still reached the highlighter
    assert html.count('class="language-python') == 2  # the plain block is untouched


@pytest.mark.slow
def test_summary_line_and_warm_build_from_cache(built: tuple[Path, str, str]) -> None:
    _, cold, warm = built
    assert "snippets: 3 passed, 0 failed, 2 skipped (0 from cache)" in cold
    # the block a missing tool stops was validated instead: its check is cached too
    assert "snippets: 3 passed, 0 failed, 2 skipped (4 from cache)" in warm


@pytest.mark.slow
@pytest.mark.parametrize(
    ("block", "expected"),
    [
        (
            f'{F}console test="run"\n$ echo actual\nexpected\n{F}\n',
            ':3: console block (session "default") failed: `echo actual` printed different output',
        ),
        (
            f'{F}python test="run"\nraise RuntimeError("broken")\n{F}\n',
            ':3: python block (session "default") failed: an exception escaped',
        ),
        (
            f'{F}python test="maybe"\nx = 1\n{F}\n',
            ':3: unknown test value "maybe" (use "run", "check" or "skip")',
        ),
    ],
    ids=["console output", "python exception", "option error"],
)
def test_strict_build_fails_with_the_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: str, expected: str
) -> None:
    make_site(tmp_path, f"# Page\n\n{block}")
    proc = build(tmp_path)
    assert proc.returncode == 1
    # named relative to where mkdocs runs, as the contributor typed paths there
    assert f"ERROR   -  docs/index.md{expected}" in proc.stderr
    assert "snippets: 0 passed, 1 failed, 0 skipped (0 from cache)" in proc.stderr
    assert "1 source error (listed above); build failed" in proc.stdout


def test_serve_reports_but_keeps_serving(tmp_path: Path) -> None:
    page = tmp_path / "docs" / "index.md"
    page.parent.mkdir()
    page.write_text(f'{F}console test="run"\n$ echo actual\nexpected\n{F}\n')
    report = BuildReport(command="serve")
    snippets = SnippetBuild()
    try:
        snippets.start([(str(page), "index.md")], report)
        snippets.finish(report)
    finally:
        snippets.close()
    assert [e.line for e in report.errors] == [1]
    report.finish()  # does not raise under serve


REWRITES = [
    (
        "strips our options, keeps superfences'",
        f'{F}python test="run" session="a" title="x.py" linenums="1"\n',
        f'{F} {{ .python .cl-snippet .cl-tested data-cl-badge="tested at build" title="x.py" '
        f'linenums="1" }}\n',
    ),
    (
        "check",
        f'{F}yaml test="check" file="a.yaml"\n',
        f'{F} {{ .yaml .cl-snippet .cl-validated data-cl-badge="validated" }}\n',
    ),
    (
        "skip reason escaped",
        '~~~text test="skip" reason="it\'s <b> & co"\n',
        "~~~ { .text .cl-snippet .cl-skipped "
        'data-cl-badge="skipped: it&#x27;s &lt;b&gt; &amp; co" }\n',
    ),
    (
        "indented",
        f'    {F}bash test="run"\n',
        f'    {F} {{ .bash .cl-snippet .cl-tested data-cl-badge="tested at build" }}\n',
    ),
]


@pytest.mark.parametrize(
    ("fence", "rewritten"), [c[1:] for c in REWRITES], ids=[c[0] for c in REWRITES]
)
def test_fence_rewrite_is_one_line(fence: str, rewritten: str) -> None:
    from hooks.snippetkit.build import badge_text
    from hooks.snippetkit.parse import parse_page

    close = re.match(r"\s*(`{3,}|~{3,})", fence)
    assert close
    md = f"intro\n\n{fence}body\n{close.group(0)}\n\nafter\n"
    (block,) = parse_page(md, "p.md").blocks
    out = rewrite_markdown(md, {2: badge_text(block)})
    assert out.count("\n") == md.count("\n")
    assert out.splitlines(keepends=True)[2] == rewritten


def test_option_error_fences_are_still_stripped() -> None:
    md = f'{F}python test="wrong" session="x" title="t"\nx\n{F}\n'
    assert rewrite_markdown(md, {}).splitlines()[0] == f'{F} {{ .python title="t" }}'


def test_badges_only_on_marked_blocks() -> None:
    html = (
        '<div class="language-python highlight"><pre></pre></div>'
        '<div class="language-sh cl-snippet cl-tested highlight" data-cl-badge="tested at '
        'build"><pre></pre></div>'
    )
    out = add_badges(html)
    assert out.count("cl-badge ") == 1
    assert '<span class="cl-badge cl-badge--tested">tested at build</span><pre>' in out


def test_switch_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTROL_LOOP_SNIPPETS", "off")
    md = f'{F}python test="run"\nx\n{F}\n'
    assert SnippetBuild().page_markdown(md, None, "x.md") == md


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
