"""What every post must have (the editorial contract in CONTRIBUTING.md), checked per post."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from hooks import PROJECT_ROOT

POSTS = sorted((PROJECT_ROOT / "docs" / "blog" / "posts").glob("*.md"))
FENCE = re.compile(
    r"^(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S
)
WORD = re.compile(r"[A-Za-z0-9][\w'’.-]*")


def _body(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---\n", 2)[2]


def _fences(path: Path) -> list[str]:
    return [m["info"] for m in FENCE.finditer(_body(path))]


def _prose_words(path: Path) -> int:
    text = FENCE.sub("", _body(path))
    text = re.sub(r"^!\[.*$", "", text, flags=re.M)  # diagram and flame-graph embeds
    text = text.split("## Further reading")[0]
    return len(WORD.findall(text))


@pytest.mark.parametrize("path", POSTS, ids=lambda p: p.stem)
def test_length_of_prose(path: Path) -> None:
    assert 1800 <= _prose_words(path) <= 4500


@pytest.mark.parametrize("path", POSTS, ids=lambda p: p.stem)
def test_every_code_block_is_tested_or_says_why_not(path: Path) -> None:
    untested = [info for info in _fences(path) if 'test="' not in info]
    assert untested == []
    skips = [info for info in _fences(path) if 'test="skip"' in info]
    assert all('reason="' in info for info in skips)


@pytest.mark.parametrize("path", POSTS, ids=lambda p: p.stem)
def test_at_least_four_blocks_run_in_every_build(path: Path) -> None:
    local = [
        info
        for info in _fences(path)
        if re.search(r'test="(run|check)"', info) and "requires=" not in info
    ]
    assert len(local) >= 4


@pytest.mark.parametrize("path", POSTS, ids=lambda p: p.stem)
def test_at_least_two_diagrams_with_alt_text_and_caption(path: Path) -> None:
    embeds = re.findall(r'^!\[([^\]]*)\]\(diagram:[\w-]+ "([^"]+)"\)\s*$', _body(path), re.M)
    assert len(embeds) >= 2
    assert all(alt.strip() and caption.strip() for alt, caption in embeds)


@pytest.mark.parametrize("path", POSTS, ids=lambda p: p.stem)
def test_further_reading_lists_five_primary_sources(path: Path) -> None:
    body = _body(path)
    assert "## Further reading" in body
    section = body.split("## Further reading", 1)[1]
    links = re.findall(r"^\s*[-*] .*?\]\((https?://[^)]+)\)", section, re.M)
    assert len(links) >= 5


def test_posts_pass_codespell() -> None:
    codespell = Path(sys.executable).parent / "codespell"
    proc = subprocess.run(
        [str(codespell), *map(str, POSTS)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout
