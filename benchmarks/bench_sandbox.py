"""Benchmark: what the sandbox and the validators cost per call.

Prints, from one run (medians over --repeat calls, each against a baseline measured in the same
run, and the ratio):
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
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hooks import sandbox  # noqa: E402
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
        text += f"   baseline {base * 1000:7.2f} ms   ratio {ours / base:5.1f}x"
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

if __name__ == "__main__":
    main()
