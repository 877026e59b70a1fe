"""``go`` check blocks: parsed with Go's grammar, problems at the line where it gave up."""

from __future__ import annotations

import pytest

from hooks.validators import SUPPORTED, ValidationContext, check_block

VALID = """package controllers

import (
\tctrl "sigs.k8s.io/controller-runtime"
)

func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
\tvar site v1.StaticSite
\tif err := r.Get(ctx, req.NamespacedName, &site); err != nil {
\t\treturn ctrl.Result{}, client.IgnoreNotFound(err)
\t}
\treturn ctrl.Result{}, nil
}
"""


def test_go_is_a_check_language() -> None:
    assert "go" in SUPPORTED


def test_valid_go_passes() -> None:
    assert check_block("go", VALID, ValidationContext()) == []


@pytest.mark.parametrize(
    ("broken", "line", "words"),
    [
        (VALID.replace("\t}\n\treturn", "\treturn", 1), 12, "missing '}'"),
        (VALID.replace("&site); err", "&site) err"), 9, "syntax error"),
        (VALID.replace("(ctrl.Result, error)", "(ctrl.Result, error"), 7, "syntax error"),
    ],
    ids=["unbalanced-brace", "missing-semicolon-in-if", "unclosed-results"],
)
def test_syntax_errors_are_problems_at_their_line(broken: str, line: int, words: str) -> None:
    problems = check_block("go", broken, ValidationContext())
    assert problems, broken
    assert problems[0].line == line
    assert words in problems[0].message
