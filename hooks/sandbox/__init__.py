"""Run untrusted code (snippets, diagram scripts from a pull request) with the least it needs.

Why a package of its own: snippets and diagrams both execute code that arrives in a pull request,
and the protections must be the same everywhere and proven once (``tests/sandbox/``).

What a sandboxed process gets (with bubblewrap, Debian package ``bubblewrap``):

- deny by default: an empty root with only what tools need bound in read-only (``/usr``,
  ``/etc``, the ``/bin``/``/lib*`` links, fontconfig's cache, the checkout with its ``.git``,
  ``.cache`` and ``site`` replaced by empty folders, the venv's real Python installation, the
  ``PATH`` folders named ``bin``/``sbin``, and the caller's ``readable`` paths); ``$HOME``,
  ``/run`` (service sockets), ``/var/tmp``, ``/opt``, ``/srv`` and other repositories do not
  exist inside (see ``filesystem``);
- a writable ``workdir`` and a private, empty ``/tmp`` and ``/dev/shm``;
- no network at all: a fresh network namespace holding only its own loopback (``network=True``
  shares the host's network instead);
- a clean environment: ``PATH`` (the venv's ``bin`` first), ``HOME=workdir``, ``LANG=C.UTF-8``,
  ``TMPDIR=/tmp`` plus the caller's explicit ``env``;
- its own PID, IPC and UTS namespaces; when the sandbox ends, everything it started dies with it;
- resource limits (CPU seconds, address space, processes, file size, open files) applied inside;
- when the caller is root: an unprivileged uid of its own per working directory, because the
  kernel never enforces ``RLIMIT_NPROC`` for uid 0 (``workdir`` is handed to that uid first).

The caller gets a wall-clock timeout that kills the whole sandbox, and output capped per stream.
Without bubblewrap the same environment, limits, timeout and cap apply to a plain subprocess and
``sandbox_status()`` returns a one-line warning; under ``CI=true`` that is an error instead.

The rooms, each with one reason to change:

* ``model``        - ``SandboxRequest``, ``Limits``, ``Result``, ``SandboxUnavailableError``: the
  contract with callers (one request value travels through the rooms below);
* ``filesystem``   - the deny-by-default file-system view as bwrap mount arguments;
* ``command``      - the command line: clean environment, bwrap arguments, resource limits;
* ``identity``     - root's sandboxes: a uid per working directory, ``workdir`` handed over to it;
* ``process``      - starting one sandboxed process; ``SandboxedProcess`` waits for all of it;
* ``availability`` - whether bubblewrap works here (probed once) and the ``CI=true`` rule;
* ``supervise``    - a one-shot run's stdin, capped outputs and wall-clock timeout;
* ``api``          - ``run`` and ``popen``, the entry points.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hooks.sandbox.api import popen, run
    from hooks.sandbox.availability import _probe, ci_requires_sandbox, sandbox_status
    from hooks.sandbox.filesystem import (
        HIDDEN_PROJECT_DIRS,
        RUN_KEPT_WITH_NETWORK,
        SYSTEM_DIRS,
        VENV_BIN,
    )
    from hooks.sandbox.identity import SANDBOX_UID_BASE
    from hooks.sandbox.model import Limits, Result, SandboxRequest, SandboxUnavailableError
    from hooks.sandbox.process import SandboxedProcess

#: Where each public name lives. The rooms load on first use (PEP 562): a warm build asks only
#: ``filesystem`` which folders a sandbox sees (``hooks.machinekey``) and never starts one, so it
#: should not pay for importing the process, supervision and identity code.
_HOME = {
    "popen": "api",
    "run": "api",
    "_probe": "availability",  # tests reset its cache
    "ci_requires_sandbox": "availability",
    "sandbox_status": "availability",
    "HIDDEN_PROJECT_DIRS": "filesystem",
    "RUN_KEPT_WITH_NETWORK": "filesystem",
    "SYSTEM_DIRS": "filesystem",
    "VENV_BIN": "filesystem",
    "SANDBOX_UID_BASE": "identity",
    "Limits": "model",
    "Result": "model",
    "SandboxRequest": "model",
    "SandboxUnavailableError": "model",
    "SandboxedProcess": "process",
}

__all__ = [
    "HIDDEN_PROJECT_DIRS",
    "RUN_KEPT_WITH_NETWORK",
    "SANDBOX_UID_BASE",
    "SYSTEM_DIRS",
    "VENV_BIN",
    "Limits",
    "Result",
    "SandboxRequest",
    "SandboxUnavailableError",
    "SandboxedProcess",
    "_probe",
    "ci_requires_sandbox",
    "popen",
    "run",
    "sandbox_status",
]


def __getattr__(name: str) -> Any:
    room = _HOME.get(name)
    if room is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{room}"), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOME})
