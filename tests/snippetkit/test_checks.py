"""``test="check"`` blocks go to hooks.validators in page order, one context per page, and
their problems are reported at the Markdown line."""

from __future__ import annotations

import pytest

from tests.snippetkit.conftest import RunPage

F = "```"
POD = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
    "    - name: web\n      image: nginx:1.27\n"
)
CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: integer}
"""
WIDGET = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: {size}\n"

KIND_OK = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n"
KIND_BAD = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: captain\n"

CASES = [
    ("valid pod", f'{F}yaml test="check"\n{POD}{F}\n', ["passed"], ""),
    ("unknown field", f'{F}yaml test="check"\n{POD}  bogus: 1\n{F}\n', ["failed"], "bogus"),
    (
        "wrong type",
        f'{F}yaml test="check"\n{POD.replace("nginx:1.27", "5")}{F}\n',
        ["failed"],
        "expected string",
    ),
    ("kind cluster config", f'{F}yaml test="check"\n{KIND_OK}{F}\n', ["passed"], ""),
    ("bad kind cluster config", f'{F}yaml test="check"\n{KIND_BAD}{F}\n', ["failed"], "captain"),
    ("python compiles", f'{F}python test="check"\ndef f():\n    return 1\n{F}\n', ["passed"], ""),
    ("python syntax error", f'{F}python test="check"\ndef f(:\n{F}\n', ["failed"], ""),
    (
        "bash syntax",
        f'{F}bash test="check"\nif true; then\n  echo "$HOME"\nfi\n{F}\n',
        ["passed"],
        "",
    ),
    (
        "custom resource after its CRD",
        f'{F}yaml test="check"\n{CRD}{F}\n\n{F}yaml test="check"\n{WIDGET.format(size=3)}{F}\n',
        ["passed", "passed"],
        "",
    ),
    (
        "custom resource violating its CRD",
        f'{F}yaml test="check"\n{CRD}{F}\n\n{F}yaml test="check"\n{WIDGET.format(size="big")}{F}\n',
        ["passed", "failed"],
        "",
    ),
]


@pytest.mark.parametrize(
    ("markdown", "statuses", "text"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_check_blocks(run_page: RunPage, markdown: str, statuses: list[str], text: str) -> None:
    run = run_page(markdown)
    assert run.statuses() == statuses
    if text:
        failure = next(o for o in run.outcomes() if o.failed)
        assert text in failure.message + failure.diff


def test_problem_lines_are_markdown_lines(run_page: RunPage) -> None:
    # the unknown field sits on line 3 + 9 = 12 of the page
    run = run_page(f'Intro\n\n{F}yaml test="check"\n{POD}  bogus: 1\n{F}\n')
    (outcome,) = run.outcomes()
    assert outcome.failed
    assert "line 12:" in outcome.message


def test_check_blocks_still_write_their_file(run_page: RunPage) -> None:
    run = run_page(
        f'{F}yaml test="check" file="pod.yaml" session="k"\n{POD}{F}\n\n'
        f'{F}console test="run" session="k"\n$ grep -c nginx pod.yaml\n1\n{F}\n'
    )
    assert run.statuses() == ["passed", "passed"]


def test_several_problems_are_all_listed(run_page: RunPage) -> None:
    bad = POD.replace("nginx:1.27", "5") + "      bogus: 1\n"
    (outcome,) = run_page(f'{F}yaml test="check"\n{bad}{F}\n').outcomes()
    assert outcome.message.startswith("yaml is not valid (2 problems, all listed below): line 9:")
    assert outcome.diff.splitlines() == [
        "line 9: Pod.spec.containers[0].image: expected string, got integer 5",
        'line 10: Pod.spec.containers[0]: unknown field "bogus"',
    ]
