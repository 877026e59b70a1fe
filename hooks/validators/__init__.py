"""Validation without execution for ``test="check"`` blocks, one small module per language.

``check_block(language, text, context)`` returns the block's problems (1-based lines within the
block). One ``ValidationContext`` per page carries what earlier blocks defined (CRDs), so pass
the same context to the page's blocks in page order.

- ``yaml``: Kubernetes objects against a pinned version's strict schema and the API server's
  own rules, kind ``Cluster`` configs against kind's schema, custom resources against an
  earlier CRD, configuration files recognised (``manifests.py``); outcomes that are not
  problems ("checked as YAML only") go to ``context.notes``;
- ``bash``/``sh``/``console``: ``bash -n`` then shellcheck (``shell.py``);
- ``python``: compiles (``python_code.py``);
- ``go``: parses as Go (``go_code.py``; the build has no Go toolchain);
- ``dockerfile``: parses, known instructions, starts with FROM/ARG (``dockerfile.py``).
"""

from __future__ import annotations

from types import ModuleType

from hooks.validators import dockerfile, go_code, manifests, python_code, shell
from hooks.validators.base import Problem, ValidationContext

__all__ = ["SUPPORTED", "Problem", "ValidationContext", "check_block"]

_MODULES: tuple[ModuleType, ...] = (manifests, shell, python_code, go_code, dockerfile)
_BY_LANGUAGE: dict[str, ModuleType] = {
    language: module for module in _MODULES for language in module.LANGUAGES
}
#: Fence languages ``test="check"`` accepts.
SUPPORTED: frozenset[str] = frozenset(_BY_LANGUAGE)


def check_block(language: str, text: str, context: ValidationContext) -> list[Problem]:
    """The problems of one block, sorted by line; empty when it is valid.

    Raises ``ValueError`` for a language without a validator (the caller reports it at the
    fence) and ``hooks.errors.ToolMissingError`` when shellcheck is not installed.
    """
    module = _BY_LANGUAGE.get(language.lower())
    if module is None:
        raise ValueError(
            f'no validator for language {language!r} (test="check" supports '
            f"{', '.join(sorted(SUPPORTED))})"
        )
    problems = module.check(text, context, language=language.lower())
    return sorted(problems)
