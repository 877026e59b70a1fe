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
