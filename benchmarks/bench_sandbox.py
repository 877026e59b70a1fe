"""Benchmark: what the sandbox and the validators cost per call.

Prints, from one run (medians over --repeat calls, each against a baseline measured in the same
run, and the ratio):
  * the deny-by-default view (an empty root, only what tools need bound) against the view it
    replaced (``/`` bound read-only minus a list of hidden folders, kept below as
    ``legacy_view``), interleaved call by call, for ``true``, ``bash -c :`` and a fresh
    interpreter: the price of binding less must stay within 10%;
  * ``true`` through ``sandbox.run`` vs a plain ``subprocess.run`` (the fixed cost of bwrap,
    prlimit and, under root, setpriv);
  * a sandboxed ``bash -c :`` and a sandboxed ``python -c pass`` vs the same without the sandbox
    (what one shell block and one fresh interpreter cost);
  * a round trip to a live sandboxed worker (``popen``), the reason sessions keep one;
  * ``check_block`` for a Deployment (first call: loading the schemas; then warm), a CRD plus a
    custom resource, a 10-line bash script (bash -n + shellcheck), a Python and a Dockerfile
    block.

Not a timed test: it prints, it asserts nothing.
Usage: python benchmarks/bench_sandbox.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hooks import PROJECT_ROOT, sandbox  # noqa: E402
from hooks.sandbox import command, filesystem  # noqa: E402
from hooks.validators import ValidationContext, check_block  # noqa: E402

PYTHON = str(sandbox.VENV_BIN / "python") if (sandbox.VENV_BIN / "python").exists() else "python3"

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: "nginx:1.27", ports: [{containerPort: 80}]}
"""
CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec: {size: 3}
"""
BASH = "\n".join(
    [
        "set -euo pipefail",
        'name="${1:-world}"',
        'for i in 1 2 3; do echo "hello $name $i"; done',
        'if [ -n "$name" ]; then',
        '  printf "%s\\n" "$name"',
        "fi",
        "files=(a b c)",
        'echo "${#files[@]}"',
        "x=$((1 + 2))",
        'echo "$x"',
    ]
)

PY = "\n".join(f"def f{i}(x):\n    return x * {i}" for i in range(5))


def legacy_view(workdir: Path, readable: Sequence[Path], *, network: bool = False) -> list[str]:
    """The sandbox's file-system view before issue 13, as bwrap arguments (the baseline).

    ``/`` read-only; ``/tmp``, ``/run``, ``$HOME`` (and, under root, closed folders on the way
    to a needed path) behind empty tmpfs; the checkout, the Python prefix and ``PATH`` entries
    under them bound back; ``.git`` and ``.cache`` hidden; ``workdir`` writable.
    """
    argv = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    argv += ["--perms", "1777", "--tmpfs", "/dev/shm"]
    needed = [PROJECT_ROOT, *filesystem._python_prefixes()]
    needed += [Path(e) for e in os.environ.get("PATH", "").split(os.pathsep) if e[:1] == "/"]
    needed = [p for p in needed if filesystem._is_dir(p)]
    home = Path.home().resolve()
    masks = [home] if home != Path("/") and home.is_dir() else []
    if os.geteuid() == 0:
        for path in [*needed, *readable, workdir]:
            for parent in reversed(path.parents):
                with contextlib.suppress(OSError):
                    if parent != Path("/") and not parent.stat().st_mode & 0o001:
                        masks.append(parent)
                        break
    private = [Path("/tmp"), Path("/run")]
    masks = [
        m
        for m in filesystem._minimal(masks)
        if not any(filesystem._is_under(m, p) for p in private)
    ]
    hidden = private + masks
    rebinds = filesystem._minimal(
        [p for p in needed if any(filesystem._is_under(p, h) and p != h for h in hidden)]
    )
    tmpfs: list[Path] = []
    made: set[Path] = set()

    def parents(path: Path) -> None:
        for parent in reversed(path.parents):
            inside = any(parent != t and filesystem._is_under(parent, t) for t in tmpfs)
            if inside and parent not in made:
                argv.extend(["--perms", "0755", "--dir", str(parent)])
                made.add(parent)

    for mask in hidden:
        parents(mask)
        argv.extend(["--perms", "1777" if mask == Path("/tmp") else "0755", "--tmpfs", str(mask)])
        tmpfs.append(mask)
    for path in [*sorted(rebinds, key=lambda p: len(p.parts))]:
        parents(path)
        argv.extend(["--ro-bind", str(path), str(path)])
    for name in (".cache", ".git"):
        if (PROJECT_ROOT / name).is_dir():
            parents(PROJECT_ROOT / name)
            argv.extend(["--perms", "0755", "--tmpfs", str(PROJECT_ROOT / name)])
            tmpfs.append(PROJECT_ROOT / name)
    for path in readable:
        if os.path.exists(path):
            parents(Path(path))
            argv.extend(["--ro-bind", str(path), str(path)])
    parents(workdir)
    argv.extend(["--bind", str(workdir), str(workdir)])
    return argv


@contextlib.contextmanager
def viewing(view: Callable[..., list[str]]):
    """Build sandboxes with ``view`` as their mount arguments for the duration."""
    saved = command.mount_args
    command.mount_args = view
    try:
        yield
    finally:
        command.mount_args = saved


def interleaved(
    new: Callable[[], object], old: Callable[[], object], repeat: int
) -> tuple[float, float]:
    """Medians of ``new`` (the current view) and ``old`` (``legacy_view``), run alternately."""
    times: dict[str, list[float]] = {"new": [], "old": []}
    for i in range(repeat):
        for name in ("new", "old") if i % 2 == 0 else ("old", "new"):
            with viewing(legacy_view) if name == "old" else contextlib.nullcontext():
                start = time.perf_counter()
                (new if name == "new" else old)()
                times[name].append(time.perf_counter() - start)
    return statistics.median(times["new"]), statistics.median(times["old"])


def median(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def row(label: str, ours: float, base: float | None = None) -> None:
    text = f"  {label:<48} {ours * 1000:8.2f} ms"
    if base is not None:
        text += f"   baseline {base * 1000:7.2f} ms   ratio {ours / base:6.2f}x"
    print(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    repeat = parser.parse_args().repeat

    start = time.perf_counter()
    status = sandbox.sandbox_status()
    probe = time.perf_counter() - start
    print(
        f"sandbox: {status or 'bubblewrap works'} (probe {probe * 1000:.1f} ms, once per process)"
    )

    with tempfile.TemporaryDirectory(prefix="bench-sandbox-") as tmp:
        workdir = Path(tmp)

        def plain(argv: list[str]) -> Callable[[], object]:
            return lambda: subprocess.run(argv, cwd=workdir, capture_output=True, check=False)

        def boxed(argv: list[str]) -> Callable[[], object]:
            return lambda: sandbox.run(argv, workdir=workdir)

        print(f"deny-by-default view vs the view it replaced, interleaved, median of {repeat * 2}:")
        worst = 0.0
        for label, argv in [
            ("true", ["true"]),
            ("bash -c :", ["bash", "-c", ":"]),
            ("python -c pass (a fresh interpreter)", [PYTHON, "-c", "pass"]),
            ("dot -Tsvg (Graphviz, fonts)", ["sh", "-c", DOT]),
        ]:
            new, old = interleaved(boxed(argv), boxed(argv), repeat * 2)
            worst = max(worst, new / old)
            row(f"sandbox.run {label}", new, old)
        verdict = "within" if worst <= 1.10 else "OVER"
        print(f"  worst ratio {worst:.3f} ({verdict} the 10% budget)")

        print(f"per call, median of {repeat}:")
        for label, argv in [
            ("true", ["true"]),
            ("bash -c :", ["bash", "-c", ":"]),
            ("python -c pass (a fresh interpreter)", [PYTHON, "-c", "pass"]),
        ]:
            row(f"sandbox.run {label}", median(boxed(argv), repeat), median(plain(argv), repeat))

        worker = sandbox.popen([PYTHON, "-u", "-c", _ECHO], workdir=workdir)
        try:
            assert worker.stdin is not None and worker.stdout is not None

            def round_trip() -> None:
                worker.stdin.write("ping\n")
                worker.stdin.flush()
                worker.stdout.readline()

            round_trip()
            row("popen worker round trip", median(round_trip, repeat * 10))
        finally:
            worker.kill()
            worker.wait()

        from hooks.snippetkit.context import PythonWorker

        session = PythonWorker(workdir, lifetime=600, network=False)
        try:
            req = {"op": "exec", "code": "x = 1", "filename": "bench.md"}
            session.request(req, timeout=30)
            row(
                "snippet PythonWorker.request (deadline, cap)",
                median(lambda: session.request(req, timeout=30), repeat * 10),
            )
        finally:
            session.close()

    print("check_block:")
    start = time.perf_counter()
    check_block("yaml", DEPLOYMENT, ValidationContext())
    row("yaml Deployment, first call (loads schemas)", time.perf_counter() - start)
    row(
        "yaml Deployment, warm",
        median(lambda: check_block("yaml", DEPLOYMENT, ValidationContext()), repeat),
    )
    row(
        "yaml CRD + custom resource",
        median(lambda: check_block("yaml", CRD, ValidationContext()), repeat),
    )
    row(
        "bash, 10 lines (bash -n + shellcheck)",
        median(lambda: check_block("bash", BASH, ValidationContext()), repeat),
    )
    row("python, 10 lines", median(lambda: check_block("python", PY, ValidationContext()), repeat))
    row(
        "dockerfile",
        median(
            lambda: check_block("dockerfile", "FROM alpine\nRUN echo hi\n", ValidationContext()),
            repeat,
        ),
    )


_ECHO = "import sys\nfor line in sys.stdin:\n    sys.stdout.write(line)\n"
DOT = "echo 'digraph { a -> b }' | dot -Tsvg > /dev/null"

if __name__ == "__main__":
    main()
