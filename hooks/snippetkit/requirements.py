"""``requires="..."``: is every tool a block names available to this run?

Tools are looked up on the PATH the sandbox gives snippets (the venv's ``bin`` first);
``network`` is a requirement too, met only when the run allows network access.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from hooks.snippetkit.model import Block

NETWORK = "network"


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
    return ""
