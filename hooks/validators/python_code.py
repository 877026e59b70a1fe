"""``python`` blocks: the code must compile (syntax, indentation, misplaced ``return`` ...)."""

from __future__ import annotations

import warnings

from hooks.validators.base import Problem, ValidationContext, clamp_line

LANGUAGES = frozenset({"python"})


def check(text: str, context: ValidationContext, *, language: str = "python") -> list[Problem]:
    try:
        with warnings.catch_warnings():
            # an invalid escape sequence is a SyntaxWarning, not a reason to fail a post
            warnings.simplefilter("ignore")
            compile(text, "<block>", "exec", dont_inherit=True)
    except SyntaxError as exc:
        kind = type(exc).__name__
        line = clamp_line(exc.lineno or 1, text)
        return [Problem(line, f"{kind}: {exc.msg}")]
    except ValueError as exc:  # e.g. source code containing NUL bytes
        return [Problem(1, f"cannot compile: {exc}")]
    return []
