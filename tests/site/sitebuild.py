"""Build the real site (or a trimmed copy of it) the way `make build` does, for tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from hooks import PROJECT_ROOT

MKDOCS = Path(sys.executable).parent / "mkdocs"
EPOCH = "1767225600"


@dataclass(frozen=True)
class Build:
    returncode: int
    log: str
    site: Path


def build_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=EPOCH, PYTHONDONTWRITEBYTECODE="1")
    env.update(extra)
    return env


def run_build(
    project: Path, site: Path, *, strict: bool = True, env: dict[str, str] | None = None
) -> Build:
    cmd = [str(MKDOCS), "build", "-d", str(site)]
    if strict:
        cmd.append("--strict")
    proc = subprocess.run(
        cmd,
        cwd=project,
        env=env or build_env(),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return Build(proc.returncode, proc.stdout + proc.stderr, site)


def copy_project(dest: Path, *, keep_posts: bool = False) -> Path:
    """A buildable copy of the site: mkdocs.yml, docs/ (posts optional), links to hooks/ etc."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(PROJECT_ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    ignore = None if keep_posts else shutil.ignore_patterns("posts")
    shutil.copytree(PROJECT_ROOT / "docs", dest / "docs", ignore=ignore)
    (dest / "docs" / "blog" / "posts").mkdir(exist_ok=True)
    for name in ("hooks", "diagrams_src"):
        (dest / name).symlink_to(PROJECT_ROOT / name)
    return dest


def free_port() -> int:
    """A loopback port nothing listens on right now (for `mkdocs serve` in tests)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
