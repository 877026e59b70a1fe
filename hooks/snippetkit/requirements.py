"""``requires="..."``: is every tool a block names available to this run?

Tools are looked up on the PATH the sandbox gives snippets (the venv's ``bin`` first);
``network`` is a requirement too, met only when the run allows network access. ``docker`` needs
the tool and the run's explicit opt-in, ``CONTROL_LOOP_DOCKER=1`` (set by the e2e workflow
only): the Docker socket is root on the host for members of the docker group, so an ordinary
``make serve`` or ``make test`` never hands it to a pull request's code.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from hooks.snippetkit.model import Block

NETWORK = "network"
DOCKER = "docker"
#: Set to 1 to give sessions with requires="docker" the Docker socket (the e2e workflow).
DOCKER_ENV = "CONTROL_LOOP_DOCKER"


def docker_allowed() -> bool:
    """Whether this run opted in to handing the Docker socket to ``requires="docker"``."""
    return os.environ.get(DOCKER_ENV, "").strip() == "1"


def tool_available(tool: str) -> bool:
    """Whether ``tool`` is on the PATH the sandbox gives snippets (the venv's bin first)."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return shutil.which(tool, path=path) is not None


def missing_requirement(
    block: Block, network_allowed: bool, available: Callable[[str], bool] = tool_available
) -> str:
    """Why ``block`` cannot run here ('' when it can): the first missing requirement."""
    for tool in block.requires:
        if tool == NETWORK:
            if not network_allowed:
                return "requires network (this run does not allow it; pass --network)"
        elif not available(tool):
            return f"requires {tool} (not on PATH)"
        elif tool == DOCKER and not docker_allowed():
            return (
                f"requires docker (the Docker socket is given only when {DOCKER_ENV}=1; "
                "the e2e workflow sets it)"
            )
    return ""
