"""What a reader's browser receives: self-contained, deterministic, titled, light and dark SVGs."""

from __future__ import annotations

import base64
import re
import subprocess
from pathlib import Path

import pytest

from hooks import PROJECT_ROOT
from hooks.diagramkit import colors, render
from tests.diagramkit.helpers import (
    DIAGRAMS,
    FIXTURES,
    PYTHON,
    SVG,
    cli_env,
    parse,
    run_cli,
    titles,
    write_script,
)

XLINK = "{http://www.w3.org/1999/xlink}href"


def _variants(rendered: dict[str, render.Rendered]):
    for name, diagram in rendered.items():
        yield f"{name}-light", diagram.light
        yield f"{name}-dark", diagram.dark


def test_every_fixture_renders_both_variants(rendered):
    assert sorted(rendered) == sorted(DIAGRAMS)
    for _, svg in _variants(rendered):
        root = parse(svg)
        assert root.tag == f"{SVG}svg"
        assert root.get("viewBox")
        assert root.get("width", "").endswith("pt")


def test_no_reference_to_any_file(rendered):
    """Every href is an in-document reference or a data: URI; no path of this machine anywhere."""
    for name, svg in _variants(rendered):
        for el in parse(svg).iter():
            for attr in ("href", XLINK):
                value = el.get(attr)
                if value is not None:
                    assert value.startswith(("#", "data:")), (name, value)
        assert str(PROJECT_ROOT) not in svg, name
        assert "site-packages" not in svg and "/tmp/" not in svg, name
        assert "<!--" not in svg and "graphviz" not in svg.lower(), name
        assert not re.search(r"\b[0-9a-f]{32}\b", svg), f"{name}: uuid-like id left"


def test_each_distinct_icon_is_embedded_once(rendered):
    svg = rendered["k8s_cluster"].light
    root = parse(svg)
    symbols = root.findall(f"{SVG}defs/{SVG}symbol")
    uses = list(root.iter(f"{SVG}use"))
    # deploy, rs, pod, api, scheduler, etcd, svc; 8 nodes (two pods)
    assert len(symbols) == 7
    assert len(uses) == 8
    assert svg.count("data:image/png;base64,") == 7
    assert {u.get("href") for u in uses} == {"#" + s.get("id") for s in symbols}
    pod = [u for u in uses if u.get("href") == "#icon-k8s-compute-pod"]
    assert len(pod) == 2


def test_node_cluster_and_edge_titles_are_labels(rendered):
    svg = rendered["k8s_cluster"].light
    assert sorted(titles(svg, "node")) == sorted(
        [
            "kube-apiserver",
            "etcd",
            "kube-scheduler",
            "web",
            "web-7d9f",
            "web-7d9f-a",
            "web-7d9f-b",
            "web",
        ]
    )
    assert sorted(titles(svg, "cluster")) == ["control plane", "namespace web", "node worker-1"]
    assert "kube-apiserver → etcd" in titles(svg, "edge")
    assert "web → web-7d9f-a" in titles(svg, "edge")
    ids = [g.get("id") for g in parse(svg).iter(f"{SVG}g")]
    assert "node-kube-apiserver" in ids and "cluster-control-plane" in ids
    assert len(ids) == len(set(ids)), "ids must be unique"


def test_edge_labels_are_drawn(rendered):
    texts = [t.text for t in parse(rendered["k8s_cluster"].light).iter(f"{SVG}text")]
    for label in ("persist", "bind", "owns", "selects"):
        assert label in texts


def _geometry(svg: str) -> list[tuple[str, str]]:
    keep = ("d", "points", "x", "y", "width", "height", "transform", "href", "viewBox")
    return [
        (el.tag, el.get(attr) or "")
        for el in parse(svg).iter()
        if isinstance(el.tag, str)
        for attr in keep
        if el.get(attr) is not None
    ]


def _luma(color: str) -> float:
    rgb = colors.parse(color)
    assert rgb is not None, color
    r, g, b = rgb
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("name", DIAGRAMS)
def test_dark_variant_same_layout_light_ink(rendered, name):
    light, dark = rendered[name].light, rendered[name].dark
    assert _geometry(light) == _geometry(dark)
    assert light != dark
    for text in parse(dark).iter(f"{SVG}text"):
        assert _luma(text.get("fill", "#000")) > 0.6, text.text
    for text in parse(light).iter(f"{SVG}text"):
        assert _luma(text.get("fill", "#000")) < 0.4, text.text
    dark_clusters = [
        el.get("fill")
        for g in parse(dark).iter(f"{SVG}g")
        if g.get("class") == "cluster"
        for el in g
        if el.tag in (f"{SVG}path", f"{SVG}polygon")
    ]
    assert all(_luma(f) < 0.35 for f in dark_clusters)
    assert dark_clusters or name == "uses_helper"  # the one fixture without a cluster


@pytest.mark.parametrize("name", DIAGRAMS)
def test_transparent_background_and_tight_margin(rendered, name):
    for svg in (rendered[name].light, rendered[name].dark):
        root = parse(svg)
        graph = root.find(f"{SVG}g")
        first_shapes = [c for c in graph if c.tag == f"{SVG}polygon"]
        assert not first_shapes, "the page-filling background polygon must be gone"
        # stock diagrams pads 2 inches (144 pt) on every side; we keep a few points
        xs, ys = [], []
        for el in graph.iter(f"{SVG}path", f"{SVG}polygon"):
            pairs = re.findall(r"(-?[0-9.]+),(-?[0-9.]+)", el.get("d") or el.get("points"))
            xs += [float(x) for x, _ in pairs]
            ys += [float(y) for _, y in pairs]
        for use in graph.iter(f"{SVG}use"):
            xs += [float(use.get("x")), float(use.get("x")) + float(use.get("width"))]
            ys += [float(use.get("y")), float(use.get("y")) + float(use.get("height"))]
        for text in graph.iter(f"{SVG}text"):  # labels: their top edge
            ys.append(float(text.get("y")) - float(text.get("font-size")))
        tx, ty = re.search(r"translate\(([-0-9.]+) ([-0-9.]+)\)", graph.get("transform")).groups()
        vb_x, vb_y, vb_w, _ = (float(v) for v in root.get("viewBox").split())
        margins = [
            min(xs) + float(tx) - vb_x,
            min(ys) + float(ty) - vb_y,
            vb_x + vb_w - (max(xs) + float(tx)),
        ]
        assert all(m < 30 for m in margins), margins  # icon nodes keep ~18 pt above the icon


def test_black_icons_are_inverted_in_the_dark_variant_only(rendered):
    light, dark = rendered["onprem_stack"].light, rendered["onprem_stack"].dark
    assert "filter" not in light
    inverted = {
        s.get("id")
        for s in parse(dark).iter(f"{SVG}symbol")
        if s[0].get("filter") == "url(#invert-dark-icon)"
    }
    assert inverted == {"icon-onprem-client-user", "icon-onprem-network-internet"}


def test_determinism_two_fresh_processes(tmp_path):
    scripts = [str(FIXTURES / f"{n}.py") for n in DIAGRAMS]
    outputs = []
    for run in ("one", "two"):
        out = tmp_path / run
        env = cli_env(CONTROL_LOOP_NO_CACHE="1")
        result = run_cli("render", *scripts, "--out", str(out), env=env)
        assert result.returncode == 0, result.stderr
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert sorted(outputs[0]) == sorted(f"{n}-{v}.svg" for n in DIAGRAMS for v in ("light", "dark"))
    assert outputs[0] == outputs[1]


def test_size_is_raw_svg_plus_each_icon_once(tmp_path):
    """220 nodes, 3 icons: no more than Graphviz's own SVG plus the base64 of each icon once."""
    body = (
        "from diagrams import Cluster, Diagram\n"
        "from diagrams.k8s.compute import Deployment, Pod\n"
        "from diagrams.k8s.network import Service\n\n"
        'with Diagram("many"):\n'
        "    for c in range(10):\n"
        '        with Cluster(f"ns {c}"):\n'
        '            pods = [Pod(f"pod {c}-{i}") for i in range(20)]\n'
        '            Deployment(f"deploy {c}") >> pods\n'
        '            Service(f"svc {c}") >> pods\n'
    )
    src = tmp_path / "src"
    script = write_script(src, "many", body)
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.run(
        [PYTHON, "-m", "hooks.diagramkit.runner", str(script), str(out), "--sources", str(src)],
        env=cli_env(PYTHONPATH=str(PROJECT_ROOT)),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    raw = (out / "diagram.svg").read_bytes()
    hrefs = set(re.findall(rb'xlink:href="([^"]+)"', raw))
    assert len(hrefs) == 3
    icons_b64 = sum(len(base64.b64encode(Path(h.decode()).read_bytes())) for h in hrefs)
    light = (out / "light.svg").read_bytes()
    assert light.count(b"<use ") == 220
    assert len(light) <= len(raw) + icons_b64, (len(light), len(raw), icons_b64)
