"""pytest integration: one item per tested block named ``path:line``, grouped by session."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hooks import PROJECT_ROOT
from hooks.snippetkit import pytest_plugin
from hooks.snippetkit.cli import snippets
from hooks.snippetkit.discover import markdown_files, parse_file

pytest_plugins = ["pytester"]
F = "```"
CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  k: v\n"


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "docs"
    root.mkdir()
    monkeypatch.setattr(pytest_plugin, "DOCS", root)
    (root / "alpha-post.md").write_text(
        f'{F}python test="run" session="s"\nx = 1\n{F}\n\n'
        f'{F}python test="run" session="s"\nassert x == 2, "x is not 2"\n{F}\n\n'
        f'{F}text test="skip" reason="illustration only"\nfoo\n{F}\n'
    )
    (root / "beta-post.md").write_text(
        f'{F}console test="run"\n$ echo beta\nbeta\n{F}\n\n{F}python test="bogus"\nx\n{F}\n\n'
        f'{F}yaml test="check" session="k" file="cm.yaml"\n{CONFIGMAP}{F}\n\n'
        f'{F}console test="run" session="k"\n$ grep -c ConfigMap cm.yaml\n1\n{F}\n'
    )
    # the blocks that pass have current recordings (test_transcripts.py covers stale ones)
    CliRunner().invoke(snippets, ["--record", str(root)])
    return root


def test_items_outcomes_and_messages(pytester: pytest.Pytester, docs: Path) -> None:
    res = pytester.runpytest_inprocess("-p", "hooks.snippetkit.pytest_plugin", str(docs), "-rA")
    res.assert_outcomes(passed=4, failed=2, skipped=1)
    alpha = docs / "alpha-post.md"
    res.stdout.fnmatch_lines(
        [
            f'*{alpha}:5: python block (session "s") failed: an exception escaped*',
            "*AssertionError: x is not 2*",
            f'*{docs / "beta-post.md"}:6: unknown test value "bogus"*',
            "*SKIPPED*illustration only*",
        ]
    )


def test_k_selects_one_post(pytester: pytest.Pytester, docs: Path) -> None:
    res = pytester.runpytest_inprocess(
        "-p",
        "hooks.snippetkit.pytest_plugin",
        str(docs),
        "-k",
        "beta-post",
        "--collect-only",
        "-q",
    )
    names = [line for line in res.outlines if "::" in line]
    beta = docs / "beta-post.md"
    assert [n.split("::")[-1] for n in names] == [
        f"{beta}:6",
        f"{beta}:1",
        f"{beta}:10",
        f"{beta}:19",
    ]


def test_items_carry_their_session_as_xdist_group(pytester: pytest.Pytester, docs: Path) -> None:
    items, _ = pytester.inline_genitems("-p", "hooks.snippetkit.pytest_plugin", str(docs))
    groups = {
        item.name: item.get_closest_marker("xdist_group").kwargs["name"]  # type: ignore[union-attr]
        for item in items
        if isinstance(item, pytest_plugin.SnippetItem)
    }
    alpha = docs / "alpha-post.md"
    assert groups[f"{alpha}:1"] == groups[f"{alpha}:5"] == f"{alpha}#s"
    assert groups[f"{alpha}:9"] == f"{alpha}#default"


@pytest.mark.slow
def test_plain_pytest_collects_every_block_of_the_site() -> None:
    expected = {
        b.id for path in markdown_files([PROJECT_ROOT / "docs"]) for b in parse_file(path).blocks
    }
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-m",
            "snippet",
            "-p",
            "no:cacheprovider",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    collected = {
        m.group(1) for m in re.finditer(r"::(docs/\S+\.md:\d+)$", proc.stdout, re.MULTILINE)
    }
    assert collected == expected


def test_loadgroup_suffix_survives_pytest_9(pytester: pytest.Pytester, docs: Path) -> None:
    """xdist appends ``@group`` to ``item._nodeid``, which pytest 9 no longer reads."""
    items, _ = pytester.inline_genitems("-p", "hooks.snippetkit.pytest_plugin", str(docs))

    class Option:
        loadgroup = True

    class Config:
        option = Option()

    pytest_plugin.pytest_collection_modifyitems(Config(), items)  # type: ignore[arg-type]
    snippet_items = [i for i in items if isinstance(i, pytest_plugin.SnippetItem)]
    assert snippet_items
    for item in snippet_items:
        assert item.nodeid.endswith("@" + pytest_plugin.group_of(item.block))
