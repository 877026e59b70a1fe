"""The legibility check: fixtures that pass and fail, as the author reads the verdict.

Real scripts are rendered through the sandboxed renderer; the geometry rules are also checked on
small hand-written SVGs where Graphviz would not produce the fault on purpose (overlaps).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hooks.diagramkit import colors, legibility, render, verdicts
from hooks.diagramkit import sources as src
from tests.diagramkit.conftest import make_project
from tests.diagramkit.helpers import FIXTURES, run_cli

CASES = FIXTURES / "legibility"


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, render.Outcome]:
    from hooks.cache import Cache

    cache = Cache("diagrams", tmp_path_factory.mktemp("legibility-cache"))
    return render.render_all(src.discover(CASES), cache=cache)


def _errors(outcomes, name: str) -> list[str]:
    rendered = outcomes[name]
    assert isinstance(rendered, render.Rendered), str(rendered)
    result = verdicts.verdict(rendered)
    return [str(e) for e in verdicts.errors(CASES / f"{name}.py", result)]


def test_legible_diagram_passes(outcomes):
    assert _errors(outcomes, "legible") == []
    result = verdicts.verdict(outcomes["legible"])
    assert result.smallest_px >= legibility.MIN_PX


def test_too_wide_names_the_script_line_the_label_and_the_width_to_aim_for(outcomes):
    errors = _errors(outcomes, "too_wide")
    assert len(errors) == 1, errors
    message = errors[0]
    assert message.startswith(
        "tests/diagramkit/fixtures/legibility/too_wide.py:7: smallest text 'pod-0' renders at "
    )
    assert "CSS px in the 688 px post column (needs >= 12)" in message
    assert "draw it at most 745 units wide" in message  # 13 pt node labels * 688 / 12
    px = float(message.split("renders at ")[1].split(" CSS px")[0])
    assert px < 12


def test_pale_text_fails_contrast_in_the_light_variant(outcomes):
    errors = _errors(outcomes, "low_contrast")
    assert len(errors) == 1, errors
    assert errors[0].startswith("tests/diagramkit/fixtures/legibility/low_contrast.py:7: ")
    assert "text 'barely visible' has contrast 2.3:1 on #ffffff in the light variant" in errors[0]


def _svg(*texts: tuple[float, float, str], fill: str = "", shape: str = "") -> str:
    body = "".join(
        f'<text text-anchor="middle" x="{x}" y="{y}" font-size="14" {fill}>{t}</text>'
        for x, y, t in texts
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="400pt" height="200pt" '
        'viewBox="0 0 400 200"><g class="graph" transform="translate(0 200)">'
        f'{shape}<g class="node" id="a">{body}</g></g></svg>\n'
    )


def _two_groups(a: tuple[float, float], b: tuple[float, float]) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="400pt" height="200pt" '
        'viewBox="0 0 400 200"><g class="graph">'
        f'<g class="cluster" id="c"><text x="{a[0]}" y="{a[1]}" font-size="14">cluster title</text>'
        f'</g><g class="edge" id="e"><text x="{b[0]}" y="{b[1]}" font-size="14">edge label</text>'
        "</g></g></svg>\n"
    )


def test_labels_of_two_elements_that_overlap_are_reported():
    svg = _two_groups((100, 50), (130, 55))
    dark = svg.replace('font-size="14"', 'font-size="14" fill="white"')
    result = legibility.check(svg, dark, 533)
    assert [p.message for p in result.problems] == [
        "labels 'cluster title' and 'edge label' overlap"
    ]


def test_labels_apart_and_the_lines_of_one_label_do_not_count():
    apart = _two_groups((10, 50), (200, 150))
    dark = apart.replace('font-size="14"', 'font-size="14" fill="white"')
    assert legibility.check(apart, dark, 533).problems == []
    lines = _svg((100, 50, "first line"), (100, 65, "second line"))
    dark = lines.replace("<text ", '<text fill="white" ')
    assert legibility.check(lines, dark, 533).problems == []


def test_text_is_measured_against_the_fill_it_sits_on():
    box = '<polygon fill="#1565c0" points="0,0 400,0 400,200 0,200"/>'
    shape = f'<g class="node" id="box">{box}</g>'
    white_on_blue = _svg((200, 100, "label"), fill='fill="white"', shape=shape)
    assert legibility.check(white_on_blue, white_on_blue, 533).problems == []
    black_on_blue = _svg((200, 100, "label"), shape=shape)
    found = legibility.check(black_on_blue, black_on_blue, 533).problems
    assert {p.rule for p in found} == {"contrast"}
    assert "on #1565c0 in the light variant" in found[0].message


def test_size_uses_the_width_the_picture_is_shown_at():
    svg = _svg((200, 100, "label"))  # 14 pt text, 400 units wide
    # shown at its own 533 px (narrower than the column): 14 * 533 / 400 = 18.7 px
    assert legibility.check(svg, svg.replace("<text ", '<text fill="white" '), 533).smallest_px == (
        pytest.approx(18.7, abs=0.05)
    )
    # the same picture squeezed to 300 px: 10.5 px, too small
    squeezed = legibility.check(svg, svg, 533, column_px=300)
    assert squeezed.smallest_px == pytest.approx(10.5, abs=0.05)
    assert "size" in {p.rule for p in squeezed.problems}
    assert squeezed.legible_width == 344  # 400 * 12 / 14, rounded up, + 1 px


CLUSTER_FILLS = ["#e5f5fd", "#ebf3e7", "#ece8f6", "#fdf7e3", "#f4f6f8", "white", "#c5ccd3"]
INKS = ["royalblue", "seagreen", "firebrick", "darkorange", "#2d3436", "#546e7a", "#3f6ad8"]


@pytest.mark.parametrize("fill", CLUSTER_FILLS)
@pytest.mark.parametrize("ink", INKS)
def test_dark_variant_text_reaches_aa_on_every_re_inked_fill(ink, fill):
    text, under = colors.parse(colors.ink(ink)), colors.parse(colors.paper(fill))
    assert legibility.contrast(text, under) >= legibility.MIN_CONTRAST
    assert legibility.contrast(text, legibility.PAGE["dark"]) >= legibility.MIN_CONTRAST


def test_royal_blue_on_a_light_blue_cluster_was_the_reported_case():
    assert colors.ink("royalblue") != "#5377e4"
    assert legibility.contrast(colors.parse("#5377e4"), colors.parse("#203b49")) < 3  # the bug


def test_check_command_lists_every_diagram_and_fails_on_an_illegible_one(tmp_path):
    given = [f"tests/diagramkit/fixtures/legibility/{n}.py" for n in ("legible", "too_wide")]
    proc = run_cli("check", *given)  # paths shown as the author typed them
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("tests/diagramkit/fixtures/legibility/legible.py: smallest text ")
    assert lines[0].endswith("; ok")
    assert lines[1].endswith("; 1 problem(s)")
    assert "too_wide.py:7: smallest text 'pod-0' renders at" in proc.stderr


def test_render_still_writes_an_illegible_picture_but_exits_1(tmp_path):
    proc = run_cli("render", str(CASES / "too_wide.py"), "--out", str(tmp_path))
    assert proc.returncode == 1
    assert (tmp_path / "too_wide-light.svg").is_file()
    assert "too_wide.py:7: smallest text 'pod-0'" in proc.stderr


@pytest.mark.slow
def test_strict_build_fails_on_an_illegible_diagram(tmp_path: Path):
    from tests.site.sitebuild import build_env, run_build

    about = (
        "---\ntitle: About\ndescription: A page with a diagram too wide to read.\n---\n\n"
        "# About\n\n![Nine pods in a row](diagram:too_wide)\n"
    )
    scripts = {"too_wide": (CASES / "too_wide.py").read_text(encoding="utf-8")}
    project = make_project(tmp_path / "p", about, scripts)
    env = build_env(CONTROL_LOOP_CACHE_DIR=str(tmp_path / "cache"))
    build = run_build(project, tmp_path / "site", env=env)
    assert build.returncode != 0
    assert "diagrams_src/too_wide.py:7: smallest text 'pod-0' renders at" in build.log
    assert "draw it at most" in build.log
