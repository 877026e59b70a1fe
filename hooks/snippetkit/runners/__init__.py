"""One runner per kind of tested block; ``RUNNERS[block.kind]`` decides pass or fail.

Runners share ``base.Runner`` and never know about caching, reporting or MkDocs.
"""

from __future__ import annotations

from hooks.snippetkit.runners.base import Runner
from hooks.snippetkit.runners.console import ConsoleRunner
from hooks.snippetkit.runners.pycon import PyconRunner
from hooks.snippetkit.runners.python import PythonRunner
from hooks.snippetkit.runners.shell import ShellRunner
from hooks.snippetkit.runners.skip import FileRunner, SkipRunner

RUNNERS: dict[str, Runner] = {
    "python": PythonRunner(),
    "pycon": PyconRunner(),
    "console": ConsoleRunner(),
    "shell": ShellRunner(),
    "skip": SkipRunner(),
    "file": FileRunner(),
}

__all__ = ["RUNNERS", "Runner"]
