"""diagrams_src/_style.py (the shared look for authors) renders and survives the dark variant."""

from __future__ import annotations

import shutil
from pathlib import Path

from hooks import PROJECT_ROOT
from hooks.diagramkit import colors, render
from hooks.diagramkit import sources as src
from tests.diagramkit.helpers import SVG, parse, write_script

SCRIPT = """
from _style import GRAPH, QUIET_CLUSTER, act, flow, optional, watch
from diagrams import Cluster, Diagram
from diagrams.k8s.compute import Deployment, Pod
from diagrams.k8s.controlplane import API

with Diagram("styled", graph_attr=GRAPH):
    api = API("api")
    with Cluster("ns", graph_attr=QUIET_CLUSTER):
        deploy = Deployment("web")
        pod = Pod("web-1")
    deploy >> watch() >> api
    deploy >> act("create") >> pod
    api >> flow("status") >> pod
    pod >> optional("retry") >> api
"""


def test_style_helper_renders_in_both_variants(tmp_path: Path):
    folder = tmp_path / "diagrams_src"
    folder.mkdir()
    shutil.copy(PROJECT_ROOT / "diagrams_src" / "_style.py", folder / "_style.py")
    script = write_script(folder, "styled", SCRIPT)
    assert src.helpers(script, folder) == [folder / "_style.py"]
    outcome, _ = render.render_one(src.Script("styled", script, folder))
    assert isinstance(outcome, render.Rendered), str(outcome)
    strokes = {
        el.get("stroke")
        for g in parse(outcome.light).iter(f"{SVG}g")
        if g.get("class") == "edge"
        for el in g.iter(f"{SVG}path")
    }
    assert {"#546e7a", "#b22222", "#3f6ad8", "#8a96a3"} <= strokes
    dark_strokes = {
        el.get("stroke")
        for g in parse(outcome.dark).iter(f"{SVG}g")
        if g.get("class") == "edge"
        for el in g.iter(f"{SVG}path")
    }
    for stroke in dark_strokes:
        r, g, b = colors.parse(stroke)
        assert 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45, stroke


LEGIBLE = """
from _style import cluster, diagram, flow, watch
from diagrams.k8s.compute import Deployment, Pod, ReplicaSet
from diagrams.k8s.controlplane import API

with diagram():
    api = API("kube-apiserver")
    with cluster("namespace web", quiet=True):
        deploy = Deployment("web")
        rs = ReplicaSet("web-7d4b9")
        pods = [Pod("web-1"), Pod("web-2"), Pod("web-3")]
    deploy >> watch() >> api
    deploy >> flow("owns") >> rs >> pods
"""


def test_style_layout_helpers_pass_the_legibility_check_without_a_title(tmp_path: Path):
    from hooks.diagramkit import verdicts

    folder = tmp_path / "diagrams_src"
    folder.mkdir()
    shutil.copy(PROJECT_ROOT / "diagrams_src" / "_style.py", folder / "_style.py")
    script = write_script(folder, "legible", LEGIBLE)
    outcome, _ = render.render_one(src.Script("legible", script, folder))
    assert isinstance(outcome, render.Rendered), str(outcome)
    result = verdicts.verdict(outcome)
    assert result.problems == [], result.problems
    assert result.smallest_px >= 12
    graph = parse(outcome.light).find(f"{SVG}g")
    texts = [t.text for t in graph.findall(f"{SVG}text")]  # a graph label would be here
    assert texts == []


SMALL_ICONS = """
from _style import decision, icon, record, step, store
from diagrams import Diagram
from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import API

with Diagram("", direction="TB", node_attr={"fontsize": "16"}):
    api = icon(API, "kube-apiserver\\n(registry) & co")
    pod = icon(Pod, "web-1")
    api >> pod >> step("reconcile") >> decision("diff?") >> record("ConfigMap") >> store("queue")
"""


def _render_small_icons(tmp_path: Path) -> render.Rendered:
    folder = tmp_path / "diagrams_src"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT_ROOT / "diagrams_src" / "_style.py", folder / "_style.py")
    script = write_script(folder, "small", SMALL_ICONS)
    outcome, _ = render.render_one(src.Script("small", script, folder))
    assert isinstance(outcome, render.Rendered), str(outcome)
    return outcome


def test_icon_nodes_are_small_titled_by_their_text_and_centred(tmp_path: Path):
    """``_style.icon``: a 32-unit icon, the label centred under it, the plain label as title and
    id (not the HTML-like table Graphviz was given); plain shapes embed nothing."""
    import base64
    import io
    import math

    from PIL import Image

    from hooks.diagramkit import legibility

    outcome = _render_small_icons(tmp_path)
    root = parse(outcome.light)
    nodes = {g.findtext(f"{SVG}title"): g for g in root.iter(f"{SVG}g") if g.get("class") == "node"}
    assert set(nodes) == {
        "kube-apiserver (registry) & co",
        "web-1",
        "reconcile",
        "diff?",
        "ConfigMap",
        "queue",
    }
    assert nodes["kube-apiserver (registry) & co"].get("id") == "node-kube-apiserver-registry-co"
    api = nodes["kube-apiserver (registry) & co"]
    use = api.find(f"{SVG}use")
    assert (use.get("width"), use.get("height")) == ("32", "32")
    centre = float(use.get("x")) + 16
    lines = api.findall(f"{SVG}text")
    assert [t.text for t in lines] == ["kube-apiserver", "(registry) & co"]
    assert all(t.get("text-anchor") == "middle" and float(t.get("x")) == centre for t in lines)
    assert all(float(t.get("y")) > float(use.get("y")) + 32 for t in lines)  # under the icon
    for plain in ("reconcile", "diff?", "ConfigMap", "queue"):
        assert nodes[plain].find(f"{SVG}use") is None
    # each icon resampled to twice the CSS px it is shown at in the post column
    box = [float(v) for v in root.get("viewBox").split()]
    scale = legibility.shown_scale(outcome.width_px, box[2])
    pixels = math.ceil(2 * 32 * scale)
    symbols = list(root.iter(f"{SVG}symbol"))
    assert len(symbols) == 2
    for symbol in symbols:
        kind, payload = symbol[0].get("href").removeprefix("data:").split(";base64,")
        image = Image.open(io.BytesIO(base64.b64decode(payload)))
        assert image.size == (pixels, pixels), (symbol.get("id"), image.size, scale)
        assert kind == {"WEBP": "image/webp", "PNG": "image/png"}[image.format]
    assert "data:image/webp;base64," in outcome.light  # the k8s icons are smaller as WebP


def test_small_icons_are_byte_identical_across_renders(tmp_path: Path):
    first = _render_small_icons(tmp_path / "one")
    second = _render_small_icons(tmp_path / "two")
    assert (first.light, first.dark) == (second.light, second.dark)
