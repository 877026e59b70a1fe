"""Hostile diagram scripts (issue 13): what the sandboxed renderer hands back is trusted in nothing.

Each script below runs its attack at exit (``atexit``), after the renderer wrote its honest
output, exactly as a pull request could. Checked from outside: the outcome the build reports,
what the cache holds afterwards, and what a warm build publishes.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from hooks.cache import Cache
from hooks.diagramkit import render
from hooks.diagramkit import sources as src
from hooks.errors import SourceError
from tests.diagramkit.helpers import write_script

HEAD = "from diagrams import Diagram\nfrom diagrams.k8s.compute import Pod\n\n"
DRAW = 'with Diagram("x"):\n    Pod("a")\n'


def _at_exit(code: str) -> str:
    """A valid diagram whose script rewrites the renderer's output once the renderer is done."""
    body = "".join(f"    {line}\n" for line in code.strip().splitlines())
    imports = "import atexit, json, os, pathlib\n\n"
    return f"{HEAD}{imports}def attack():\n{body}\natexit.register(attack)\n{DRAW}"


def _render_within(script: src.Script, seconds: float = 240) -> render.Outcome:
    """``render_one`` that must come back: a host blocked on a FIFO fails the test, not the run."""
    box: list[render.Outcome] = []
    worker = threading.Thread(target=lambda: box.append(render.render_one(script)[0]), daemon=True)
    worker.start()
    worker.join(seconds)
    assert box, "the host hung reading what the sandboxed renderer left behind"
    return box[0]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "diagrams_src"


def _script(folder: Path, name: str, body: str) -> src.Script:
    path = write_script(folder, name, body)
    return src.Script(name, path.resolve(), folder.resolve())


def _refused(outcome: render.Outcome, *needles: str) -> SourceError:
    assert isinstance(outcome, SourceError), "a hostile result must not be published"
    text = str(outcome)
    assert "diagrams_src/" in text and f".py:{outcome.line}: " in text, text
    assert "\n" not in text and "Traceback" not in text, text
    for needle in needles:
        assert needle in text, text
    return outcome


STYLESHEET = (
    '<?xml-stylesheet type="text/xsl" href="data:text/xml,x"?>'
    '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
)
SET_HREF = (
    '<svg xmlns="http://www.w3.org/2000/svg"><a><set attributeName="href" '
    'to="javascript:alert(1)"/><text>x</text></a></svg>'
)
ANIMATE = (
    '<svg xmlns="http://www.w3.org/2000/svg"><a><animate attributeName="href" '
    'values="javascript:alert(1)"/><text>x</text></a></svg>'
)


@pytest.mark.parametrize(
    ("svg", "reason"),
    [
        (STYLESHEET, "the document must start with <svg"),
        (SET_HREF, "<set> is not allowed"),
        (ANIMATE, "<animate> is not allowed"),
    ],
    ids=["xml-stylesheet", "set-href", "animate-values"],
)
def test_svg_rewritten_at_exit_is_refused(folder, svg, reason):
    code = f'pathlib.Path("light.svg").write_text({svg!r})'
    outcome = _render_within(_script(folder, "evil", _at_exit(code)))
    _refused(outcome, "diagrams_src/evil.py:1: the renderer's output is refused: light.svg", reason)


def test_fifo_instead_of_the_svg_ends_with_a_message(folder):
    code = 'os.unlink("dark.svg")\nos.mkfifo("dark.svg")'
    outcome = _render_within(_script(folder, "fifo", _at_exit(code)))
    _refused(outcome, "dark.svg is not a regular file")


def test_link_instead_of_the_result_is_not_followed(folder, tmp_path):
    secret = tmp_path / "secret.json"
    secret.write_text('{"ok": false, "line": 1, "message": "CANARY-SECRET", "hint": ""}')
    code = f'os.unlink("result.json")\nos.symlink({str(secret)!r}, "result.json")'
    outcome = _render_within(_script(folder, "link", _at_exit(code)))
    error = _refused(outcome, "result.json is a symbolic link")
    assert "CANARY" not in str(error)


def test_infinite_width_is_refused(folder):
    code = (
        'info = json.loads(pathlib.Path("result.json").read_text())\n'
        'info["width_pt"] = float("inf")\n'
        'pathlib.Path("result.json").write_text(json.dumps(info))'
    )
    outcome = _render_within(_script(folder, "wide", _at_exit(code)))
    _refused(outcome, "width_pt = inf is not between 0 and")


def test_poisoned_icon_list_is_refused_and_never_cached(folder, tmp_path):
    """``/dev/zero`` as an embedded icon: read on every warm build, it exhausted the memory."""
    code = (
        'info = json.loads(pathlib.Path("result.json").read_text())\n'
        'info["icons"] = {"/dev/zero": "0" * 64}\n'
        'pathlib.Path("result.json").write_text(json.dumps(info))'
    )
    script = _script(folder, "zero", _at_exit(code))
    _refused(_render_within(script), "icon '/dev/zero' is outside diagrams_src/")
    cache = Cache("diagrams", tmp_path / "cache")
    outcomes = render.render_all([script], cache=cache)
    assert isinstance(outcomes["zero"], SourceError)
    assert not [p for p in cache.dir.rglob("*") if p.is_file()], "nothing may be cached"


def test_icon_in_the_diagrams_folder_that_is_a_device_link_is_refused(folder):
    (folder / "icons").mkdir(parents=True)
    (folder / "icons" / "zero.png").symlink_to("/dev/zero")
    code = (
        'info = json.loads(pathlib.Path("result.json").read_text())\n'
        f'info["icons"] = {{{str(folder.resolve() / "icons" / "zero.png")!r}: "0" * 64}}\n'
        'pathlib.Path("result.json").write_text(json.dumps(info))'
    )
    _refused(_render_within(_script(folder, "zero2", _at_exit(code))), "outside diagrams_src/")


def test_forged_cache_entry_is_not_published(folder, tmp_path):
    """An entry in ``.cache/`` with a valid checksum is still checked like a fresh render."""
    script = _script(folder, "honest", HEAD + DRAW)
    cache = Cache("diagrams", tmp_path / "cache")
    first = render.render_all([script], cache=cache)["honest"]
    assert isinstance(first, render.Rendered)
    key = src.cache_key(script, src.toolchain())
    assert cache.get_json(key) is not None
    forged = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"/>\n'
    for bad in (
        {"light": forged},
        {"dark": STYLESHEET},
        {"width_pt": 1e309},
        {"height_pt": "12"},
        {"icons": {"/dev/zero": "0" * 64}},
    ):
        cache.put_json(key, {**cache.get_json(key), **bad} if cache.get_json(key) else bad)
        again = render.render_all([script], cache=cache)["honest"]
        assert isinstance(again, render.Rendered)
        assert again.cached is False, f"a forged entry was used: {bad}"
        assert (again.light, again.dark) == (first.light, first.dark)
        # the re-render replaced the forged entry: the next build is warm again
        assert render.render_all([script], cache=cache)["honest"].cached is True


def test_the_build_cache_drops_a_forged_entry_on_read(folder, tmp_path):
    """``Cache(validate_json=render.valid_entry)``, as the build has it: a forged entry never
    leaves it."""
    script = _script(folder, "honest", HEAD + DRAW)
    plain = Cache("diagrams", tmp_path / "cache")
    render.render_all([script], cache=plain)
    key = src.cache_key(script, src.toolchain())
    honest = plain.get_json(key)
    built = Cache("diagrams", tmp_path / "cache", validate_json=render.valid_entry)
    assert built.get_json(key) == honest
    plain.put_json(key, {**honest, "light": SET_HREF})
    assert built.get_json(key) is None
    assert not [p for p in built.dir.rglob("*") if p.is_file()], "the forged entry is deleted"


def test_helper_loaded_by_importlib_is_in_the_key(folder, tmp_path):
    """Stale output: ``importlib.import_module("_labels")`` is invisible to import parsing."""
    write_script(folder, "_labels", 'NAME = "first label"\n')
    body = (
        "import importlib\n" + HEAD + 'labels = importlib.import_module("_labels")\n'
        'with Diagram("x"):\n    Pod(labels.NAME)\n'
    )
    script = _script(folder, "dynamic", body)
    cache = Cache("diagrams", tmp_path / "cache")
    cold = render.render_all([script], cache=cache)["dynamic"]
    assert isinstance(cold, render.Rendered) and ">first label<" in cold.light
    write_script(folder, "_labels", 'NAME = "second label"\n')
    warm = render.render_all([script], cache=cache)["dynamic"]
    assert isinstance(warm, render.Rendered)
    assert warm.cached is False
    assert ">second label<" in warm.light and ">first label<" not in warm.light


def test_data_file_read_by_a_script_is_in_the_key(folder, tmp_path):
    (folder / "_data").mkdir(parents=True)
    (folder / "_data" / "name.txt").write_text("from a file")
    body = (
        "import pathlib\n" + HEAD + "name = (pathlib.Path(__file__).parent / "
        '"_data" / "name.txt").read_text()\nwith Diagram("x"):\n    Pod(name)\n'
    )
    script = _script(folder, "reads", body)
    cache = Cache("diagrams", tmp_path / "cache")
    render.render_all([script], cache=cache)
    (folder / "_data" / "name.txt").write_text("edited file")
    warm = render.render_all([script], cache=cache)["reads"]
    assert isinstance(warm, render.Rendered) and ">edited file<" in warm.light


ABOUT = """---
title: About
description: A page embedding a diagram whose script attacks the host.
---

# About

![A pod drawn by a hostile script](diagram:fifo "Hostile")
"""


@pytest.mark.slow
def test_serve_keeps_answering_a_hostile_diagram_then_shows_the_fixed_one(tmp_path: Path):
    from tests.diagramkit.conftest import make_project
    from tests.site.sitebuild import build_env, serving

    hostile = _at_exit('os.unlink("light.svg")\nos.mkfifo("light.svg")')
    project = make_project(tmp_path / "p", ABOUT, {"fifo": hostile})
    env = build_env(CONTROL_LOOP_CACHE_DIR=str(tmp_path / "cache"))
    with serving(project, tmp_path / "serve.log", env=env, livereload=True) as served:
        page = served.wait_for("/about/", "cl-diagram-error")
        box = BeautifulSoup(page, "html.parser").select_one(".cl-diagram-error code").get_text()
        assert (
            "diagrams_src/fifo.py:1: the renderer's output is refused: "
            "light.svg is not a regular file" in box
        ), box
        assert served.process.poll() is None, "the server must keep running"
        (project / "diagrams_src" / "fifo.py").write_text(HEAD + DRAW)
        page = served.wait_for("/about/", 'class="cl-diagram"')
        assert "cl-diagram-error" not in page
    log = (tmp_path / "serve.log").read_text()
    assert "Traceback" not in log
    assert "diagrams_src/fifo.py:1: the renderer's output is refused: light.svg" in log
