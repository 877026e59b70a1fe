"""A broken script is reported as ``SRC.py:LINE: message``, by the build and by the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hooks import PROJECT_ROOT
from hooks.diagramkit import render
from hooks.diagramkit import sources as src
from hooks.errors import SourceError, ToolMissingError
from tests.diagramkit.helpers import FIXTURES, PYTHON, cli_env, run_cli, write_script

HEAD = "from diagrams import Diagram\nfrom diagrams.k8s.compute import Pod\n\n"


def _render(folder: Path, name: str, body: str, **kwargs) -> render.Outcome:
    path = write_script(folder, name, body)
    outcome, _ = render.render_one(src.Script(name, path, folder), **kwargs)
    return outcome


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "diagrams_src"


def test_exception_names_the_script_line(folder):
    body = HEAD + 'with Diagram("x"):\n    Pod("a")\n    Pod("b").missing()\n'
    err = _render(folder, "boom", body)
    assert isinstance(err, SourceError)
    assert (err.line, err.message) == (6, "AttributeError: 'Pod' object has no attribute 'missing'")
    assert str(err).endswith("diagrams_src/boom.py:6: " + err.message)


def test_exception_in_a_helper_points_at_the_call_and_names_the_helper(folder):
    write_script(folder, "_shapes", "def bad():\n    return {}['nope']\n")
    body = HEAD + "from _shapes import bad\n\n" + 'with Diagram("x"):\n    bad()\n'
    err = _render(folder, "calls_helper", body)
    assert isinstance(err, SourceError)
    assert err.line == 7
    assert err.message == "KeyError: 'nope'"
    assert err.hint == "raised in diagrams_src/_shapes.py:2"


def test_syntax_error_line(folder):
    err = _render(folder, "syntax", HEAD + 'with Diagram("x")\n    Pod("a")\n')
    assert isinstance(err, SourceError)
    assert err.line == 4
    assert err.message.startswith("SyntaxError: expected ':'")


def test_no_diagram(folder):
    err = _render(folder, "empty", "X = 1\n")
    assert isinstance(err, SourceError)
    assert (err.line, err.message) == (
        1,
        'the script drew no Diagram; use `with Diagram("..."):`',
    )


def test_second_diagram_is_refused_at_its_line(folder):
    body = HEAD + 'with Diagram("a"):\n    Pod("a")\n\nwith Diagram("b"):\n    Pod("b")\n'
    err = _render(folder, "two", body)
    assert isinstance(err, SourceError)
    assert err.line == 7
    assert err.message.startswith(
        "a second Diagram (the first is at line 4); one Diagram per script"
    )


CUSTOM = "from diagrams import Diagram\nfrom diagrams.custom import Custom\n\n"


def test_icon_outside_the_icon_sets_is_refused(folder, tmp_path):
    outside = tmp_path / "outside.png"
    shutil.copy(src.icon_library() / "k8s" / "compute" / "pod.png", outside)
    body = CUSTOM + f'with Diagram("x"):\n    Custom("ok", "{outside}")\n'
    err = _render(folder, "leak", body)
    assert isinstance(err, SourceError)
    assert err.line == 5
    assert err.message == (
        f"icon {str(outside)!r} is outside the diagrams icon sets and diagrams_src/; "
        "copy it under diagrams_src/ and use Custom(label, 'icons/<file>')"
    )


def test_missing_icon_is_an_error_not_a_blank_node(folder):
    body = CUSTOM + 'with Diagram("x"):\n    Custom("typo", "icons/nope.png")\n'
    err = _render(folder, "typo", body)
    assert isinstance(err, SourceError)
    assert (err.line, err.message) == (5, "icon 'icons/nope.png' does not exist")  # as written


def test_url_icon_is_refused_at_its_line_with_the_fix(folder):
    body = CUSTOM + 'with Diagram("x"):\n    Custom("logo", "https://example.org/logo.png")\n'
    err = _render(folder, "url", body)
    assert isinstance(err, SourceError)
    assert err.line == 5
    assert err.message.startswith(
        "icon 'https://example.org/logo.png' is a URL: scripts run without network: "
        "put the icon under diagrams_src/ and reference it relatively"
    )


@pytest.mark.parametrize("file", ["icons/logo.svg", "icons/disguised.png"])
def test_svg_icon_is_refused_at_the_custom_line(folder, file):
    (folder / "icons").mkdir(parents=True)
    svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>'
    (folder / file).write_text(svg, encoding="utf-8")
    body = CUSTOM + f'with Diagram("x"):\n    Custom("logo", "{file}")\n'
    err = _render(folder, "svgicon", body)
    assert isinstance(err, SourceError)
    assert err.line == 5
    assert err.message.startswith(f"icon {file!r} is an SVG file, which Graphviz cannot embed")
    assert "convert it to PNG" in err.message


def test_cli_output_honours_the_umask(folder, tmp_path):
    import os
    import subprocess

    script = write_script(folder, "ok", HEAD + 'with Diagram("x"):\n    Pod("a")\n')
    out = tmp_path / "out"
    proc = subprocess.run(
        [
            "sh",
            "-c",
            f'umask 022 && exec "$0" -m hooks diagrams render "{script}" --out "{out}"',
            PYTHON,
        ],
        cwd=PROJECT_ROOT,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert {oct(os.stat(p).st_mode & 0o777) for p in out.iterdir()} == {"0o644"}


def test_timeout_names_the_line_that_was_running(folder):
    body = HEAD + 'with Diagram("x"):\n    Pod("a")\n    while True:\n        pass\n'
    err = _render(folder, "spin", body, timeout=2)
    assert isinstance(err, SourceError)
    assert err.line in (6, 7)
    assert err.message == "the script did not finish within 2 s (timeout)"


def test_the_script_never_writes_outside_its_temporary_folder(folder, tmp_path):
    body = HEAD + 'open("written.txt", "w").write("x")\nwith Diagram("x"):\n    Pod("a")\n'
    outcome = _render(folder, "writes", body)
    assert isinstance(outcome, render.Rendered)
    assert not (folder / "written.txt").exists()
    assert not (Path.cwd() / "written.txt").exists()


def test_cli_exit_code_and_message_lines(folder, tmp_path):
    bad = write_script(folder, "bad", HEAD + 'with Diagram("x"):\n    Pod("a")\n    1 / 0\n')
    good = FIXTURES / "uses_helper.py"
    shutil.copy(FIXTURES / "_labels.py", folder / "_labels.py")
    out = tmp_path / "out"
    result = run_cli("render", str(bad), str(good), "--out", str(out))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{bad}:6: ZeroDivisionError: division by zero"]
    assert sorted(p.name for p in out.iterdir()) == [
        "uses_helper-dark.svg",
        "uses_helper-light.svg",
    ]


def test_cli_paths_are_shown_as_given(folder):
    write_script(folder, "bad", HEAD + "raise RuntimeError('no cluster today')\n")
    env = cli_env(PYTHONPATH=str(PROJECT_ROOT))
    result = run_cli("render", "bad.py", "--out", "out", cwd=folder, env=env)
    assert result.returncode == 1
    assert result.stderr == "bad.py:4: RuntimeError: no cluster today\n"


def test_cli_missing_script(tmp_path):
    result = run_cli("render", str(tmp_path / "nope.py"), "--out", str(tmp_path / "o"))
    assert result.returncode == 1
    assert result.stderr == f"{tmp_path / 'nope.py'}:1: no such diagram script\n"


def test_graphviz_missing_is_one_message_with_the_install_command(tmp_path):
    empty_path = tmp_path / "bin"
    empty_path.mkdir()
    result = run_cli(
        "render",
        str(FIXTURES / "k8s_cluster.py"),
        str(FIXTURES / "cloud_mix.py"),
        "--out",
        str(tmp_path / "o"),
        env=cli_env(PATH=str(empty_path)),
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"error: {src.GRAPHVIZ_INSTALL}"]
    assert "sudo apt-get install graphviz" in result.stderr
    assert "Traceback" not in result.stderr
    assert PYTHON  # the interpreter is started by absolute path, PATH only hides dot


def test_graphviz_missing_in_the_build_is_reported_once(sources, monkeypatch):
    from hooks.diagramkit import build
    from hooks.reporting import BuildReport

    def no_dot() -> str:
        raise ToolMissingError(src.GRAPHVIZ_INSTALL)

    monkeypatch.setattr(src, "find_dot", no_dot)
    report = BuildReport()

    class Config:
        config_file_path = str(sources.parent / "mkdocs.yml")

    from mkdocs.structure.files import Files

    build.add_files(Files([]), Config(), report)
    assert len(report.errors) == 1
    assert report.errors[0].message == src.GRAPHVIZ_INSTALL
    assert report.errors[0].path.endswith("diagrams_src/cloud_mix.py")


def test_output_on_stderr_is_not_mistaken_for_a_failure(folder):
    body = HEAD + 'import sys\nprint("Timeout (0:00:01)!", file=sys.stderr)\n'
    body += 'with Diagram("x"):\n    Pod("a")\n'
    assert isinstance(_render(folder, "noisy", body), render.Rendered)


def test_svg_tampered_by_the_script_is_refused(folder):
    """The script shares its sandboxed process with the renderer: the parent checks the SVG."""
    body = HEAD + (
        "import atexit, pathlib\n\n"
        "def swap():\n"
        '    pathlib.Path("light.svg").write_text(\n'
        "        '<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>'\n"
        "    )\n\n"
        "atexit.register(swap)\n"
        'with Diagram("x"):\n    Pod("a")\n'
    )
    err = _render(folder, "evil", body)
    assert isinstance(err, SourceError)
    assert err.message == (
        "the renderer's output is refused: light.svg: "
        "<script> is not allowed (only the host's own, unchanged)"
    )
