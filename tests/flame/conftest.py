"""Flame-graph fixtures: cloc tables written the way different cloc versions print them."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooks.cache import Cache

#: A hand-made table (cloc 1.96 layout): largest file first, './' prefixes, a final SUM row.
#: Folded by hand: README.md 30 | pkg;cluster;config.go 588 | pkg;cluster;create.go 120 |
#: pkg;util.go 8 | site;a.yaml 74 -> total 820, which is also the SUM row's code column.
ROWS = [
    ("Go", "./pkg/cluster/config.go", 41, 85, 588),
    ("Go", "./pkg/cluster/create.go", 10, 5, 120),
    ("YAML", "./site/a.yaml", 0, 0, 74),
    ("Markdown", "./README.md", 3, 0, 30),
    ("Go", "./pkg/util.go", 1, 1, 8),
]
TOTAL = 820
FOLDED = (
    "README.md 30\n"
    "pkg;cluster;config.go 588\n"
    "pkg;cluster;create.go 120\n"
    "pkg;util.go 8\n"
    "site;a.yaml 74\n"
)


def cloc_table(
    *,
    delimiter: str = ",",
    version_field: str = '"github.com/AlDanial/cloc v 1.96"',
    blank_before_header: bool = False,
    sum_delimiter: str | None = None,
) -> str:
    """A table as some cloc version prints it (``sum_delimiter`` differs before cloc #597)."""
    d = delimiter
    header = d.join(["language", "filename", "blank", "comment", "code", version_field])
    lines = ([""] if blank_before_header else []) + [header]
    lines += [d.join(str(v) for v in row) for row in ROWS]
    s = sum_delimiter or delimiter
    lines.append(s.join(["SUM", "", "55", "91", str(TOTAL)]))
    return "\n".join(lines) + "\n"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cache:
    """The flame cache in a temporary folder (never the project's .cache/)."""
    monkeypatch.setenv("CONTROL_LOOP_CACHE_DIR", str(tmp_path / "cache"))
    return Cache("flame")


@pytest.fixture
def readable_tmp(tmp_path: Path) -> Path:
    """A folder the sandboxed cloc can read (it may run as another, unprivileged user)."""
    folder = tmp_path / "src"
    folder.mkdir()
    tmp_path.chmod(0o755)
    folder.chmod(0o755)
    return folder
