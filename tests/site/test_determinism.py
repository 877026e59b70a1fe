"""Same sources and toolchain -> byte-identical site."""

from __future__ import annotations

import filecmp
from dataclasses import dataclass
from pathlib import Path

import pytest
from mkdocs.config import load_config

from hooks import PROJECT_ROOT, machinekey
from tests.site.sitebuild import Build, run_build


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def second_build(built_site: Build, tmp_path_factory: pytest.TempPathFactory) -> SecondBuild:
    """The site built again, warm (the first build filled the cache), under an audit hook."""
    tmp = tmp_path_factory.mktemp("second-build")
    log = tmp / "processes.log"
    again = run_build(PROJECT_ROOT, tmp / "site", process_log=log)
    assert again.returncode == 0, again.log
    lines = log.read_text(encoding="utf-8").splitlines()
    imports = [line.removeprefix("import: ") for line in lines if line.startswith("import: ")]
    started = [line for line in lines if not line.startswith("import: ")]
    return SecondBuild(again, started, imports)


@dataclass(frozen=True)
class SecondBuild:
    build: Build
    processes: list[str]  # what the build started, as its audit hook saw it
    imports: list[str]  # every module it imported


#: Code only a cache miss needs: drawing, counting and rendering, starting a sandbox, parsing
#: SVG or XML, drawing preview cards. A warm build that imports one of them paid for it and
#: (nearly always) redid work the cache held: a validator that drops good entries, say.
COLD_MODULES = (
    "hooks.flame.draw",
    "hooks.flame.fold",
    "hooks.sandbox.api",
    "hooks.sandbox.process",
    "hooks.sandbox.supervise",
    "hooks.diagramkit.runner",
    "hooks.diagramkit.svgpost",
    "hooks.diagramkit.legibility",
    "hooks.frontmatter.errorpage",
)
COLD_PACKAGES = ("lxml", "PIL")


@pytest.mark.slow
def test_a_warm_build_starts_no_process(second_build: SecondBuild) -> None:
    """Issue 17: tool versions, HEAD and every result come from the cache, not from a tool."""
    assert second_build.processes == [], "\n".join(second_build.processes)


@pytest.mark.slow
def test_a_warm_build_loads_no_code_for_a_cache_miss(second_build: SecondBuild) -> None:
    """Issue 17: the whole-site warm build's cost over plain Material was mostly imports."""
    assert "hooks.flame.sources" in second_build.imports  # the log does see our modules
    imports = second_build.imports
    packages = COLD_PACKAGES
    if machinekey.machine_key() is None:  # nothing can be sealed: every SVG is checked in full
        packages = tuple(p for p in packages if p != "lxml")
    cold = [m for m in imports if m in COLD_MODULES or m.split(".")[0] in packages]
    assert cold == [], cold


@pytest.mark.slow
def test_second_build_is_byte_identical(built_site: Build, second_build: SecondBuild) -> None:
    again = second_build.build
    first, second = _files(built_site.site), _files(again.site)
    assert first == second
    differing = [
        rel
        for rel in sorted(first)
        if not filecmp.cmp(built_site.site / rel, again.site / rel, shallow=False)
    ]
    assert not differing, f"files differ between two builds: {differing[:10]}"


def test_site_url_is_overridable_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_URL", "https://preview.example.org/pr-7/")
    config = load_config(str(PROJECT_ROOT / "mkdocs.yml"))
    assert config.site_url == "https://preview.example.org/pr-7/"
