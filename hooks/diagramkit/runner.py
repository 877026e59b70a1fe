"""Runs ONE diagram script in a fresh process: ``python -m hooks.diagramkit.runner SCRIPT OUT``.

The parent (``render.py``) starts this inside the sandbox with a temporary working directory.
Before executing the script with ``runpy`` it adjusts ``diagrams`` so that plain scripts need no
special code:

* ``Diagram`` always writes SVG into the working directory, never opens a viewer, and defaults to
  a tight margin (``pad`` 0.1 in instead of 2.0) and a transparent background;
* node ids are ``n1, n2, ...`` in creation order (stock ``diagrams`` uses random uuids), and every
  node's and cluster's label is recorded, so ``svgpost`` can title and name them;
* ``Custom`` icon paths are relative to the script's folder, not to the working directory;
* one ``Diagram`` per script.

It writes ``light.svg``, ``dark.svg`` and ``result.json`` into OUT. On failure ``result.json``
says where: the line of the *script* frame in the traceback (the author's code), plus a hint
naming the helper line when the exception was raised inside a ``diagrams_src`` helper.
"""

from __future__ import annotations

import argparse
import faulthandler
import html
import itertools
import json
import os
import re
import runpy
import sys
import traceback
from pathlib import Path
from typing import Any

#: Graphviz output written by the patched Diagram, relative to the working directory.
RAW_NAME = "diagram"


class ScriptProblem(Exception):
    """A rule of the renderer the script broke (not a Python error in the script)."""


class _Recorder:
    """State collected while the script runs."""

    def __init__(self, script: Path, icon_roots: list[Path]) -> None:
        self.script = script
        self.icon_roots = icon_roots
        self.nodes: dict[str, str] = {}
        self.clusters: dict[str, str] = {}
        self.diagrams: list[int] = []  # line of each Diagram(...) in the script
        self.title = ""
        self.rendered = False
        self.written: dict[str, str] = {}  # absolute icon path -> as the script wrote it

    def check_icon(self, image: str) -> None:
        """Refuse an icon Graphviz would silently drop or that lies outside the icon folders."""
        path = Path(image).resolve()
        given = self.written.get(image, image)
        if not any(path.is_relative_to(root) for root in self.icon_roots):
            raise ScriptProblem(
                f"icon {given!r} is outside the diagrams icon sets and diagrams_src/; "
                "copy it under diagrams_src/ and use Custom(label, 'icons/<file>')"
            )
        if not path.is_file():
            raise ScriptProblem(f"icon {given!r} does not exist")

    def script_line(self) -> int:
        """The line in the script currently executing (innermost frame of the script)."""
        frame = sys._getframe(1)
        while frame is not None:
            if Path(frame.f_code.co_filename) == self.script:
                return frame.f_lineno
            frame = frame.f_back
        return 1


def _patch(rec: _Recorder) -> None:
    from diagrams import Cluster, Diagram, Node
    from diagrams.custom import Custom

    Diagram._default_graph_attrs = {
        **Diagram._default_graph_attrs,
        "pad": "0.1",
        "bgcolor": "transparent",
    }
    diagram_init = Diagram.__init__

    def init_diagram(self: Any, *args: Any, **kwargs: Any) -> None:
        line = rec.script_line()
        if rec.diagrams:
            raise ScriptProblem(
                f"a second Diagram (the first is at line {rec.diagrams[0]}); "
                "one Diagram per script: move this one into its own diagrams_src/<name>.py"
            )
        rec.diagrams.append(line)
        diagram_init(self, *args, **kwargs)
        rec.title = self.name
        self.outformat = "svg"
        self.show = False
        self.filename = RAW_NAME
        self.dot.filename = RAW_NAME

    diagram_render = Diagram.render

    def render(self: Any) -> None:
        diagram_render(self)
        rec.rendered = True

    counter = itertools.count(1)
    node_init = Node.__init__

    def init_node(self: Any, *args: Any, **kwargs: Any) -> None:
        node_init(self, *args, **kwargs)
        label, sources = _html_label(self.label or "")
        rec.nodes[self._id] = label or type(self).__name__
        for image in [self._attrs.get("image"), *sources]:
            if image:
                rec.check_icon(image)

    cluster_init = Cluster.__init__

    def init_cluster(self: Any, *args: Any, **kwargs: Any) -> None:
        cluster_init(self, *args, **kwargs)
        rec.clusters[self.name] = self.label

    def custom_icon(self: Any) -> str:
        return _custom_icon_path(rec, str(self._icon))

    Diagram.__init__ = init_diagram  # type: ignore[method-assign]
    Diagram.render = render  # type: ignore[method-assign]
    Node.__init__ = init_node  # type: ignore[method-assign]
    Node._rand_id = staticmethod(lambda: f"n{next(counter)}")  # type: ignore[method-assign]
    Cluster.__init__ = init_cluster  # type: ignore[method-assign]
    Custom._load_icon = custom_icon  # type: ignore[method-assign]


_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_IMG_SRC = re.compile(r'<IMG\b[^>]*\bSRC="([^"]*)"', re.IGNORECASE)
_BR = re.compile(r"<BR\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def _html_label(label: str) -> tuple[str, list[str]]:
    """A Graphviz label as plain text, and the images an HTML-like label (``<<TABLE>...>``,
    as ``_style.icon`` writes) shows: the text is what titles and ids are made of, the images
    are checked like any icon."""
    if not (label.startswith("<") and label.endswith(">")):
        return label, []
    sources = [html.unescape(m) for m in _IMG_SRC.findall(label)]
    text = html.unescape(_TAG.sub("", _BR.sub("\n", label[1:-1])))
    return text.strip(), sources


def _custom_icon_path(rec: _Recorder, given: str) -> str:
    """A ``Custom`` icon as a file beside the script; URLs and SVG files refused at that line.

    Graphviz drops an SVG ``image`` silently, and a URL would need the network the sandbox
    does not have (``diagrams`` would also mangle it into a path).
    """
    if _URL.match(given):
        raise ScriptProblem(
            f"icon {given!r} is a URL: scripts run without network: put the icon under "
            "diagrams_src/ and reference it relatively, e.g. Custom(label, 'icons/<file>.png')"
        )
    icon = Path(given)
    path = str(icon if icon.is_absolute() else rec.script.parent / icon)
    rec.written[path] = given
    if icon.suffix.lower() == ".svg" or _starts_like_svg(Path(path)):
        raise ScriptProblem(
            f"icon {given!r} is an SVG file, which Graphviz cannot embed: convert it to PNG "
            "(e.g. rsvg-convert -w 256 icon.svg -o icon.png) and use the .png"
        )
    return path


def _starts_like_svg(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(512).lstrip()
    except OSError:
        return False  # reported as missing by check_icon
    return head.startswith((b"<svg", b"<?xml")) and b"<svg" in head


def _message(exc: BaseException) -> str:
    """One line saying what went wrong, without paths of this machine."""
    stderr = getattr(exc, "stderr", None)
    if type(exc).__name__ == "CalledProcessError" and stderr:
        text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else str(stderr)
        return "Graphviz failed: " + " ".join(text.split())
    if type(exc).__name__ == "ExecutableNotFound":
        return "Graphviz (dot) is not installed; install it: sudo apt-get install graphviz"
    if isinstance(exc, ScriptProblem):
        return str(exc)
    return traceback.format_exception_only(type(exc), exc)[-1].strip()


def _locate(exc: BaseException, script: Path, sources: Path) -> tuple[int, str]:
    """(line in the script, hint naming a deeper helper frame or '')."""
    frames = traceback.extract_tb(exc.__traceback__)
    line, hint = 0, ""
    for frame in frames:
        path = Path(frame.filename)
        if path == script:
            line = frame.lineno or 0
        elif path.is_relative_to(sources) and line:
            hint = f"raised in {sources.name}/{path.relative_to(sources).as_posix()}:{frame.lineno}"
    if isinstance(exc, SyntaxError) and exc.filename:
        path = Path(exc.filename)
        if path == script:
            return exc.lineno or 1, ""
        if path.is_relative_to(sources):
            hint = f"in {sources.name}/{path.relative_to(sources).as_posix()}:{exc.lineno}"
    return line or 1, hint


def run(script: Path, out: Path, sources: Path, timeout: float) -> int:
    """Execute ``script``; write the SVG pair or the error into ``out``. Returns the exit code."""
    import diagrams

    resources = Path(diagrams.__file__).resolve().parent.parent / "resources"
    rec = _Recorder(script, [resources, sources])
    result: dict[str, Any]
    faulthandler.dump_traceback_later(timeout, exit=True)
    os.chdir(out)  # the script's cwd: relative writes land in the temporary folder
    try:
        _patch(rec)
        sys.path.insert(0, str(script.parent))
        sys.argv = [str(script)]
        try:
            runpy.run_path(str(script), run_name="__main__")
        except SystemExit as exc:
            if exc.code not in (None, 0):
                raise
        if not rec.diagrams:
            raise ScriptProblem('the script drew no Diagram; use `with Diagram("..."):`')
        if not rec.rendered:
            raise ScriptProblem("the Diagram was never rendered; use it as `with Diagram(...):`")
    except BaseException as exc:  # every failure becomes a path:line message
        line, hint = _locate(exc, script, sources)
        result = {"ok": False, "line": line, "message": _message(exc), "hint": hint}
        (out / "result.json").write_text(json.dumps(result), encoding="utf-8")
        return 1
    finally:
        faulthandler.cancel_dump_traceback_later()

    from hooks.diagramkit import svgpost

    manifest = svgpost.Manifest(
        title=rec.title or script.stem, nodes=rec.nodes, clusters=rec.clusters
    )
    try:
        done = svgpost.process(
            (out / f"{RAW_NAME}.svg").read_bytes(), manifest, icon_roots=[resources, sources]
        )
    except svgpost.IconError as exc:
        result = {"ok": False, "line": rec.diagrams[0], "message": str(exc), "hint": ""}
        (out / "result.json").write_text(json.dumps(result), encoding="utf-8")
        return 1
    (out / "light.svg").write_text(done.light, encoding="utf-8")
    (out / "dark.svg").write_text(done.dark, encoding="utf-8")
    result = {
        "ok": True,
        "width_pt": done.width_pt,
        "height_pt": done.height_pt,
        "icons": done.icons,
    }
    (out / "result.json").write_text(json.dumps(result), encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hooks.diagramkit.runner")
    parser.add_argument("script", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--sources", type=Path, required=True)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args(argv)
    return run(args.script.resolve(), args.out.resolve(), args.sources.resolve(), args.timeout)


if __name__ == "__main__":
    sys.exit(main())
