"""Every benchmark still runs and prints its table (tiny sizes: no timing is asserted).

Benchmarks are run by hand (``make bench``), so without this a refactoring could break one and
nobody would know until the next performance question.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from hooks import PROJECT_ROOT
from tests.site.sitebuild import build_env

RUNS = {
    "site": (
        [
            "bench_site.py",
            *("--sizes", "3", "6", "--repeat", "1"),
            *("--whole-repeat", "1", "--whole-best-of", "1"),
        ],
        [
            "ours/stock",
            "growth 3->6:",
            "serve rebuild after one edit",
            "ours/plain",
            "our hooks alone",
            "hooks-only rounds:",
        ],
    ),
    "diagrams": (
        ["bench_diagrams.py", "--rounds", "1", "--cold-rounds", "1"],
        ["parallel / serial =", "with / off (median) =", "target: every post <= 150 KB"],
    ),
    "snippets": (
        [
            "bench_snippets.py",
            "--pages",
            "2",
            "--blocks",
            "2",
            "--session-blocks",
            "3",
            "--repeat",
            "1",
        ],
        ["whole session:", "the snippet pass alone on a warm build"],
    ),
    "sandbox": (["bench_sandbox.py", "--repeat", "1"], ["bash, 10 lines"]),
    "flame": (["bench_flame.py", "--repeat", "1"], ["SVG", "budget 1,000,000 bytes: ok"]),
    "validators": (
        ["bench_validators.py", "--repeat", "1"],
        ["median check time per manifest:", "first check (loads the Kubernetes"],
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_benchmark_runs_and_prints_its_table(name: str, tmp_path) -> None:
    argv, expected = RUNS[name]
    proc = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "benchmarks" / argv[0]), *argv[1:]],
        cwd=PROJECT_ROOT,
        env=build_env(TMPDIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    for text in expected:
        assert text in out, out[-4000:]
