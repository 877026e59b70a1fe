"""Plain records shared by the snippet rooms: a block, a session of blocks, an outcome.

They carry data only, so the parser, the runners, the cache and the reporters can change
independently; each record is JSON-friendly where it crosses a process or cache boundary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

#: ``test="..."`` values.
TestMode = Literal["run", "check", "skip"]
#: Outcome statuses, in the words of the summary line.
Status = Literal["passed", "failed", "skipped"]

#: The session blocks belong to when they do not name one.
DEFAULT_SESSION = "default"


@dataclass(frozen=True)
class Block:
    """One fenced block carrying ``test="..."``.

    ``line`` is the 1-based line of the opening fence in the source file (front matter
    included), the line every message names. ``kind`` is the runner that handles it.
    """

    path: str
    line: int
    lang: str
    test: TestMode
    kind: str
    text: str
    options: Mapping[str, str] = field(default_factory=dict)
    session: str = DEFAULT_SESSION
    #: 0-based index of the fence line and of the closing fence within the scanned text.
    start: int = 0
    end: int = 0
    indent: str = ""

    @property
    def id(self) -> str:
        """``path:line``: the name of the block in reports, pytest and the cache."""
        return f"{self.path}:{self.line}"

    @property
    def timeout(self) -> float:
        return float(self.options.get("timeout", 30))

    @property
    def requires(self) -> tuple[str, ...]:
        return tuple(self.options.get("requires", "").split())

    @property
    def file(self) -> str | None:
        return self.options.get("file")

    @property
    def session_id(self) -> str:
        return f"{self.path}#{self.session}"


@dataclass(frozen=True)
class Session:
    """Blocks of one page sharing one ``session`` name, in page order."""

    path: str
    name: str
    blocks: tuple[Block, ...]

    @property
    def id(self) -> str:
        return f"{self.path}#{self.name}"


@dataclass(frozen=True)
class Outcome:
    """The verdict on one block, plus what a person needs to understand a failure.

    ``diff`` is a unified diff of expected vs actual output (console, pycon) or the last lines
    of a traceback; ``stderr`` is the tail of the error stream. ``new_text`` is the block body
    with its expected output replaced by the actual one (``--update``), when that differs.
    """

    block_id: str
    status: Status
    message: str = ""
    diff: str = ""
    stderr: str = ""
    reason: str = ""
    from_cache: bool = False
    #: the tail of what the block printed (python, bash/sh), when that helps to read a failure
    output: str = ""
    new_text: str | None = None
    #: the block ran out of time: its session's state is unknown, the rest is not run
    timed_out: bool = False
    #: what a passing block printed, normalized (``transcripts.Step``s): ``--record`` keeps it
    steps: tuple[Any, ...] | None = None
    #: a block this run could not execute (a missing ``requires=`` tool) whose commands and
    #: manifests were validated instead
    validated: bool = False

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def to_json(self) -> dict[str, object]:
        return {
            "block_id": self.block_id,
            "status": self.status,
            "message": self.message,
            "reason": self.reason,
        }
