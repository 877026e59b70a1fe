"""How build problems reach a person: one log line each, and a failed build at the end.

MkDocs counts every WARNING/ERROR logged under the ``mkdocs`` logger, so ``--strict`` fails on
them. ``mkdocs build`` also fails without ``--strict`` when a source error was reported;
``mkdocs serve`` only logs, so the author keeps a running server while fixing the mistake.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from hooks.errors import SourceError

log = logging.getLogger("mkdocs.hooks.control_loop")


class BuildFailed(Exception):
    """Raised at the end of a non-serve build that reported source errors."""


@dataclass
class BuildReport:
    """Collects the source errors of one build (serve starts a new one per rebuild)."""

    command: str = "build"
    errors: list[SourceError] = field(default_factory=list)

    @property
    def serving(self) -> bool:
        return self.command == "serve"

    def start(self) -> None:
        self.errors.clear()

    def error(self, err: SourceError) -> None:
        if err in self.errors:
            return
        self.errors.append(err)
        log.error(str(err))

    def warning(self, message: str) -> None:
        log.warning(message)

    def info(self, message: str) -> None:
        log.info(message)

    def finish(self) -> None:
        """Fail a build (not a serve) that reported any source error."""
        if self.errors and not self.serving:
            n = len(self.errors)
            raise BuildFailed(
                f"{n} source error{'s' if n != 1 else ''} (listed above); build failed"
            )
