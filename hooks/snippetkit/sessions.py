"""Run one session: its blocks in page order, sharing one folder, one shell, one interpreter.

Blocks of a page with the same ``session=`` (or none: the page's default session) run here one
after another. ``file=`` writes the block's text into the session folder before the block
runs; ``requires=`` skips the block and the rest of its session when a tool is missing; a block
that times out ends the session (its state is unknown; a Python interpreter is gone), and later
blocks are skipped with that reason. ``test="check"`` blocks only write their ``file=`` here:
validation is per page (see ``runners/check.py``), because a custom resource is checked against
a CRD earlier on the page.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from hooks.snippetkit.model import Block, Outcome, Session
from hooks.snippetkit.requirements import (
    DOCKER,
    NETWORK,
    docker_allowed,
    missing_requirement,
    tool_available,
)


def group_sessions(blocks: Iterable[Block]) -> list[Session]:
    """Blocks grouped by (page, session name), each group in page order."""
    groups: dict[tuple[str, str], list[Block]] = {}
    for b in blocks:
        groups.setdefault((b.path, b.session), []).append(b)
    return [Session(p, n, tuple(bs)) for (p, n), bs in groups.items()]


def runnable_prefix(
    session: Session, network_allowed: bool, available: Callable[[str], bool] = tool_available
) -> tuple[int, str]:
    """How many blocks can run before a missing requirement, and that requirement."""
    for i, b in enumerate(session.blocks):
        if b.kind == "skip":
            continue
        why = missing_requirement(b, network_allowed, available)
        if why:
            return i, why
    return len(session.blocks), ""


def docker_socket() -> Path | None:
    """The Docker engine's socket, for sessions that declare ``requires="docker"``.

    The sandbox shows no ``/run`` (service sockets) to any block: talking to Docker is root on
    the host for members of the docker group, so only blocks that say they need it, in a run
    that opted in (``CONTROL_LOOP_DOCKER=1``: the e2e workflow), get the socket.
    """
    if not docker_allowed():
        return None
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    if not host.startswith("unix://"):
        return None
    path = Path(host.removeprefix("unix://"))
    return path.resolve() if path.exists() else None


def run_session(
    session: Session,
    workdir: Path,
    *,
    network_allowed: bool = False,
    available: Callable[[str], bool] = tool_available,
) -> dict[str, Outcome]:
    """Outcomes of the session's blocks (check blocks excluded), keyed by block id."""
    # the runners load when a session really runs: a warm build finds everything cached
    from hooks.snippetkit.context import SessionContext, UnsafeFileWrite, WorkerDied
    from hooks.snippetkit.runners import RUNNERS
    from hooks.snippetkit.runners.base import failed

    n, why = runnable_prefix(session, network_allowed, available)
    wants_network = network_allowed and any(NETWORK in b.requires for b in session.blocks[:n])
    wants_docker = any(DOCKER in b.requires for b in session.blocks[:n])
    socket = docker_socket() if wants_docker else None
    lifetime = sum(b.timeout for b in session.blocks) + 30
    ctx = SessionContext(
        workdir=workdir,
        network=wants_network,
        lifetime=lifetime,
        # bound where it really is (/var/run is a link to /run the sandbox does not have)
        readable=(socket,) if socket else (),
        env={"DOCKER_HOST": f"unix://{socket}"} if socket else {},
    )
    outcomes: dict[str, Outcome] = {}
    ended = ""
    try:
        for i, block in enumerate(session.blocks):
            if block.kind == "skip":
                outcomes[block.id] = RUNNERS["skip"].run(block, ctx)
                continue
            if i >= n or ended:
                if block.kind != "check":
                    outcomes[block.id] = Outcome(block.id, "skipped", reason=ended or why)
                continue
            try:
                if block.file:
                    ctx.write_file(block.file, block.text)
            except UnsafeFileWrite as exc:
                # the session folder holds something planted: nothing after it can be trusted
                outcomes[block.id] = failed(block, str(exc))
                ended = f"not run: {block.id} ended the session ({exc})"
                continue
            if block.kind == "check":
                continue
            try:
                outcome = RUNNERS[block.kind].run(block, ctx)
            except WorkerDied as exc:
                outcome = failed(block, str(exc), timed_out=True)
            outcomes[block.id] = outcome
            if outcome.timed_out:
                ended = f"not run: {block.id} ended the session ({outcome.message})"
    finally:
        ctx.close()
    return outcomes
