"""Nothing outside docs/ reaches the site (issue 13): no includes, no links out, no FIFOs.

Attacks as a pull request commits them, checked from outside: the build's messages, the files
of the built ``site/``, and a second clean build once the attack is removed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.site.sitebuild import Build, build_env, copy_project, run_build, serving

pytestmark = pytest.mark.slow

CANARY = "canary-3f6c1d0e-secret"


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One diagram cache for the module: the first build renders, the others are warm."""
    return tmp_path_factory.mktemp("docs-tree-cache")


def _project(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "project")
    (project / "docs" / "index.md").write_text("# Home\n\nDocs tree tests.\n", encoding="utf-8")
    return project


def _build(project: Path, cache: Path, **env: str) -> Build:
    environment = build_env(CONTROL_LOOP_CACHE_DIR=str(cache), CANARY_SECRET=CANARY, **env)
    return run_build(project, project.parent / "site", env=environment)


def _published(site: Path) -> list[Path]:
    """Every file of the built site holding the canary (read without following anything)."""
    hits = []
    for path in site.rglob("*"):
        if path.is_file() and not path.is_symlink() and CANARY.encode() in path.read_bytes():
            hits.append(path)
    return hits


def _one_error(build: Build, expected: str) -> None:
    assert build.returncode != 0, build.log
    errors = [line for line in build.log.splitlines() if line.startswith("ERROR")]
    assert len([e for e in errors if expected in e]) == 1, build.log
    assert "Traceback" not in build.log, build.log


def test_snippet_include_of_git_config_is_not_published(tmp_path: Path, cache: Path):
    project = _project(tmp_path)
    (project / ".git").mkdir()
    (project / ".git" / "config").write_text(f"[core]\n\tsecret = {CANARY}\n")
    home = '# Home\n\nDocs tree tests.\n\n--8<-- ".git/config"\n'
    (project / "docs" / "index.md").write_text(home, encoding="utf-8")
    build = _build(project, cache)
    assert build.returncode == 0, build.log
    assert _published(build.site) == []
    page = (build.site / "index.html").read_text()
    assert "--8&lt;--" in page or "--8<--" in page  # shown as written, never included


def test_link_to_the_environment_is_a_path_error_and_never_copied(tmp_path: Path, cache: Path):
    project = _project(tmp_path)
    link = project / "docs" / "assets" / "build-env.txt"
    link.symlink_to("/proc/self/environ")
    build = _build(project, cache)
    _one_error(
        build,
        "docs/assets/build-env.txt:1: a link pointing outside docs/ (links out of it are never "
        "followed); commit the file itself",
    )
    assert not (build.site / "assets" / "build-env.txt").exists()
    assert _published(build.site) == []
    link.unlink()  # the attack removed: a clean build passes and publishes nothing of it
    again = _build(project, cache)
    assert again.returncode == 0, again.log
    assert _published(again.site) == []


def test_link_to_a_directory_outside_stops_the_build_before_the_walk(tmp_path: Path, cache: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(CANARY)
    project = _project(tmp_path)
    (project / "docs" / "assets" / "leak").symlink_to(outside)
    build = _build(project, cache)
    _one_error(build, "docs/assets/leak:1: a link to a directory")
    assert _published(build.site) == []


@pytest.mark.parametrize("where", ["docs/assets/pipe.txt", "diagrams_src/pipe.py"])
def test_fifo_is_a_path_error_not_a_hang(tmp_path: Path, cache: Path, where: str):
    project = _project(tmp_path)
    if where.startswith("diagrams_src/"):  # a private copy: never touch the real diagrams_src
        real = (project / "diagrams_src").resolve()
        (project / "diagrams_src").unlink()
        shutil.copytree(real, project / "diagrams_src")
    os.mkfifo(project / where)
    build = _build(project, cache)
    _one_error(build, f"{where}:1: a FIFO, not a regular file")


def test_serve_keeps_answering_and_never_serves_the_link(tmp_path: Path, cache: Path):
    project = _project(tmp_path)
    (project / "docs" / "assets" / "build-env.txt").symlink_to("/proc/self/environ")
    env = build_env(CONTROL_LOOP_CACHE_DIR=str(cache), CANARY_SECRET=CANARY)
    with serving(project, tmp_path / "serve.log", env=env) as served:
        page = served.wait_for("/", "Docs tree tests.")
        assert CANARY not in page
        try:
            leaked = served.get("/assets/build-env.txt")
        except OSError:  # 404
            leaked = ""
        assert CANARY not in leaked
        assert served.process.poll() is None
    log = (tmp_path / "serve.log").read_text()
    assert "docs/assets/build-env.txt:1: a link pointing outside docs/" in log
