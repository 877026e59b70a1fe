"""Warm builds render nothing; an edited script or helper re-renders only what depends on it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hooks import cache as cache_module
from hooks.cache import Cache
from hooks.diagramkit import render
from hooks.diagramkit import sources as src


def _scripts(folder: Path, *names: str) -> list[src.Script]:
    return [s for s in src.discover(folder) if s.name in names]


def _no_render(*args, **kwargs):
    raise AssertionError("a warm build must not render")


def _entries(cache: Cache) -> list[Path]:
    return sorted(p for p in cache.dir.rglob("*") if p.is_file())


def test_helpers_are_found_through_imports(sources):
    assert src.helpers(sources / "uses_helper.py", sources) == [sources / "_labels.py"]
    assert src.helpers(sources / "k8s_cluster.py", sources) == []
    # helpers of helpers, and the ``from diagrams_src import _x`` spelling
    (sources / "_labels.py").write_text("from _colours import RED\nWATCH = 'watch'\n")
    (sources / "_colours.py").write_text("RED = 'firebrick'\n")
    (sources / "other.py").write_text("from diagrams_src import _colours\n")
    assert src.helpers(sources / "uses_helper.py", sources) == [
        sources / "_colours.py",
        sources / "_labels.py",
    ]
    assert src.helpers(sources / "other.py", sources) == [sources / "_colours.py"]


def test_helpers_are_not_diagrams(sources):
    names = [s.name for s in src.discover(sources)]
    assert "_labels" not in names
    assert names == sorted(names)


def test_warm_render_hits_the_cache(sources, tmp_path, monkeypatch):
    cache = Cache("diagrams", tmp_path / "c")
    scripts = _scripts(sources, "k8s_cluster", "uses_helper")
    cold = render.render_all(scripts, cache=cache)
    assert [o.cached for o in cold.values()] == [False, False]
    monkeypatch.setattr(render, "render_one", _no_render)
    warm = render.render_all(scripts, cache=cache)
    assert [o.cached for o in warm.values()] == [True, True]
    assert {n: (o.light, o.dark) for n, o in warm.items()} == {
        n: (o.light, o.dark) for n, o in cold.items()
    }


def test_helper_edit_re_renders_every_diagram(sources, tmp_path):
    """The key covers every helper, not just the parsed imports (a dynamic import is missed)."""
    cache = Cache("diagrams", tmp_path / "c")
    scripts = _scripts(sources, "k8s_cluster", "uses_helper")
    render.render_all(scripts, cache=cache)
    (sources / "_labels.py").write_text('WATCH = "list and watch"\n')
    again = render.render_all(scripts, cache=cache)
    assert again["k8s_cluster"].cached is False
    assert again["uses_helper"].cached is False
    assert ">list and watch<" in again["uses_helper"].light


def test_script_edit_re_renders_that_script_only(sources, tmp_path):
    cache = Cache("diagrams", tmp_path / "c")
    scripts = _scripts(sources, "k8s_cluster", "cloud_mix")
    render.render_all(scripts, cache=cache)
    path = sources / "cloud_mix.py"
    path.write_text(path.read_text().replace('"nightly dump"', '"hourly dump"'))
    again = render.render_all(scripts, cache=cache)
    assert again["k8s_cluster"].cached is True
    assert again["cloud_mix"].cached is False
    assert ">hourly dump<" in again["cloud_mix"].light


def test_toolchain_is_part_of_the_key(sources, monkeypatch):
    script = _scripts(sources, "k8s_cluster")[0]
    tools = src.toolchain()
    assert "diagrams " in tools and "graphviz version" in tools
    assert src.cache_key(script, tools) != src.cache_key(script, tools + "\nnewer dot")


def test_corrupt_entry_is_detected_and_re_rendered(sources, tmp_path):
    cache = Cache("diagrams", tmp_path / "c")
    scripts = _scripts(sources, "uses_helper")
    first = render.render_all(scripts, cache=cache)["uses_helper"]
    (entry,) = _entries(cache)
    data = bytearray(entry.read_bytes())
    data[-40] ^= 0xFF  # a flipped byte inside the payload
    entry.write_bytes(bytes(data))
    again = render.render_all(scripts, cache=cache)["uses_helper"]
    assert again.cached is False
    assert again.light == first.light
    assert render.render_all(scripts, cache=cache)["uses_helper"].cached is True


def test_truncated_entry_is_re_rendered(sources, tmp_path):
    cache = Cache("diagrams", tmp_path / "c")
    scripts = _scripts(sources, "uses_helper")
    render.render_all(scripts, cache=cache)
    (entry,) = _entries(cache)
    entry.write_bytes(entry.read_bytes()[:100])  # what a non-atomic write could leave
    assert render.render_all(scripts, cache=cache)["uses_helper"].cached is False


def test_write_killed_before_rename_leaves_no_entry(sources, tmp_path, monkeypatch):
    """A build killed mid-write: no entry, no half file; the next build renders again."""
    cache = Cache("diagrams", tmp_path / "c")
    scripts = _scripts(sources, "uses_helper")
    real_replace = os.replace

    def killed(*args, **kwargs):  # os.replace(src, dst, *, src_dir_fd, dst_dir_fd)
        raise OSError("killed before rename")

    monkeypatch.setattr(cache_module.os, "replace", killed)
    outcome = render.render_all(scripts, cache=cache)["uses_helper"]
    assert isinstance(outcome, render.Rendered)  # the build itself still has its SVGs
    assert _entries(cache) == []
    monkeypatch.setattr(cache_module.os, "replace", real_replace)
    assert render.render_all(scripts, cache=cache)["uses_helper"].cached is False
    assert render.render_all(scripts, cache=cache)["uses_helper"].cached is True


def test_edited_custom_icon_re_renders(sources, tmp_path):
    from hooks.diagramkit import icons

    icon_lib = src.icon_library()
    png = icon_lib / "k8s" / "compute" / "pod.png"
    (sources / "icons").mkdir()
    (sources / "icons" / "mine.png").write_bytes(png.read_bytes())
    (sources / "custom.py").write_text(
        "from diagrams import Diagram\nfrom diagrams.custom import Custom\n\n"
        'with Diagram("custom"):\n    Custom("mine", "icons/mine.png")\n'
    )
    cache = Cache("diagrams", tmp_path / "c")
    scripts = _scripts(sources, "custom")
    first = render.render_all(scripts, cache=cache)["custom"]
    assert isinstance(first, render.Rendered), first
    assert 'id="icon-mine"' in first.light
    other = icon_lib / "k8s" / "compute" / "deploy.png"
    (sources / "icons" / "mine.png").write_bytes(other.read_bytes())
    again = render.render_all(scripts, cache=cache)["custom"]
    assert again.cached is False and again.light != first.light
    assert icons.mime(other.read_bytes(), other) == "image/png"


@pytest.mark.parametrize("jobs", [1, 2])
def test_parallel_and_serial_give_the_same_bytes(sources, tmp_path, jobs, rendered):
    cache = Cache("diagrams", tmp_path / "c", enabled=False)
    scripts = _scripts(sources, "k8s_cluster", "onprem_stack", "cloud_mix")
    out = render.render_all(scripts, cache=cache, jobs=jobs)
    for name, outcome in out.items():
        assert outcome.light == rendered[name].light
        assert outcome.dark == rendered[name].dark
