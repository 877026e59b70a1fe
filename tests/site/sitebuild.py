"""Build the real site (or a trimmed copy of it) the way `make build` does, for tests."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
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


#: ``mkdocs`` under an audit hook that logs every process the build starts (``argv[1]``), one
#: ``event: args`` line each, and every module it imports, one ``import: name`` line each.
AUDITED_MKDOCS = """
import sys
log = open(sys.argv[1], "a", encoding="utf-8")
STARTS = {"subprocess.Popen", "os.posix_spawn", "os.exec", "os.fork", "os.forkpty", "os.system",
          "os.spawn", "pty.spawn"}
def audit(event, args):
    if event in STARTS:
        log.write(f"{event}: {str(args[:2])[:300]}\\n")
        log.flush()
    elif event == "import":
        log.write(f"import: {args[0]}\\n")
        log.flush()
sys.addaudithook(audit)
sys.argv = ["mkdocs", *sys.argv[2:]]
from mkdocs.__main__ import cli
cli()
"""


def run_build(
    project: Path,
    site: Path,
    *,
    strict: bool = True,
    env: dict[str, str] | None = None,
    process_log: Path | None = None,
) -> Build:
    """``mkdocs build`` of ``project`` into ``site``; with ``process_log``, every process the
    build starts (``subprocess``, ``fork``, ``exec``...) and every module it imports is written
    there, one line each (``AUDITED_MKDOCS``)."""
    cmd = [str(MKDOCS), "build", "-d", str(site)]
    if process_log is not None:
        process_log.touch()
        cmd = [sys.executable, "-c", AUDITED_MKDOCS, str(process_log), *cmd[1:]]
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


@dataclass(frozen=True)
class Served:
    """A running ``mkdocs serve``: fetch pages from it as a browser would."""

    base_url: str
    process: subprocess.Popen
    log: Path

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.base_url + path, timeout=10) as response:
            return response.read().decode("utf-8")

    def wait_for(self, path: str, needle: str = "", seconds: float = 180) -> str:
        """The page at ``path`` once it contains ``needle``; fails if the server stops."""
        deadline = time.monotonic() + seconds
        page = ""
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"mkdocs serve stopped:\n{self.log.read_text()}"
            try:
                page = self.get(path)
                if needle in page:
                    return page
            except OSError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"{needle!r} never appeared at {path}; last page:\n{page[-2000:]}")


@contextlib.contextmanager
def serving(
    project: Path, log: Path, *, env: dict[str, str] | None = None, livereload: bool = False
) -> Iterator[Served]:
    """``mkdocs serve`` of ``project`` on a free loopback port, its output in ``log``."""
    port = free_port()
    reload = "--livereload" if livereload else "--no-livereload"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(MKDOCS), "serve", reload, "-a", f"127.0.0.1:{port}"],
            cwd=project,
            env=env or build_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield Served(f"http://127.0.0.1:{port}", proc, log)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
