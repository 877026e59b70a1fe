"""How build problems reach a person: one log line each, and a failed build at the end.

MkDocs counts every WARNING/ERROR logged under the ``mkdocs`` logger, so ``--strict`` fails on
them. ``mkdocs build`` also fails without ``--strict`` when a source error was reported;
``mkdocs serve`` only logs, so the author keeps a running server while fixing the mistake.
In GitHub Actions every problem is also an annotation on the pull request's diff, and the
build's tallies become the job summary (``hooks/ghactions.py``).
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field

from hooks import ghactions
from hooks.errors import SourceError

log = logging.getLogger("mkdocs.hooks.control_loop")

_LOCATED = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+): (?P<message>.+)", re.S)


class BuildFailed(Exception):
    """Raised at the end of a non-serve build that reported source errors."""


@dataclass
class BuildReport:
    """Collects the source errors of one build (serve starts a new one per rebuild)."""

    command: str = "build"
    errors: list[SourceError] = field(default_factory=list)
    #: per page (display path): what each capability did, for the GitHub job summary
    tallies: dict[str, ghactions.PageTally] = field(default_factory=dict)
    _started: float = field(default_factory=time.monotonic)

    @property
    def serving(self) -> bool:
        return self.command == "serve"

    def start(self) -> None:
        self.errors.clear()
        self.tallies.clear()
        self._started = time.monotonic()

    def error(self, err: SourceError) -> None:
        if err in self.errors:
            return
        self.errors.append(err)
        log.error(str(err))
        ghactions.annotate(err)

    def warning(self, message: str) -> None:
        log.warning(message)
        located = _LOCATED.match(message)
        if located:
            err = SourceError(located["path"], int(located["line"]), located["message"])
            ghactions.annotate(err, "warning")
        else:
            ghactions.announce(message, "warning")

    def info(self, message: str) -> None:
        log.info(message)

    def tally(self, page: str, what: str, n: int = 1) -> None:
        """Count what a capability did for ``page`` (e.g. ``"blocks ran"``)."""
        self.tallies.setdefault(page, ghactions.PageTally()).add(what, n)

    def finish(self) -> None:
        """Write the job summary (GitHub Actions only); fail a build that reported errors."""
        if not self.serving:
            seconds = time.monotonic() - self._started
            ghactions.write_summary(ghactions.summary_markdown(self.tallies, self.errors, seconds))
        if self.errors and not self.serving:
            n = len(self.errors)
            raise BuildFailed(
                f"{n} source error{'s' if n != 1 else ''} (listed above); build failed"
            )
