"""Benchmark: ``check_block`` on one manifest at a time, the way a page's blocks are checked.

Target (issue 22): median check time per manifest under 2 ms, once the schemas are loaded.
Prints, for each of the test suite's valid manifests (Pod, Deployment, StatefulSet, CRD-backed
custom resource, kind config, ...) and over --repeat interleaved rounds:
  * the median time of ``check_block`` (YAML parsed with line numbers, schema, API-server rules);
  * a baseline measured in the same rounds: loading the same text with libyaml's safe loader
    (the least any validator must do), and our time as a multiple of it;
  * the one-off cost of the first check (loading the 1.37 schemas), shown apart.

Not a timed test: it prints, it asserts nothing.
Usage: python benchmarks/bench_validators.py [--repeat 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hooks.validators import ValidationContext, check_block  # noqa: E402
from tests.validators import manifests  # noqa: E402

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    start = time.perf_counter()
    context = ValidationContext()
    check_block("yaml", manifests.CRD, context)
    check_block("yaml", manifests.POD, context)
    first = time.perf_counter() - start
    for text in manifests.VALID.values():  # every kind's schema compiled once
        check_block("yaml", text, context)

    ours: dict[str, list[float]] = {name: [] for name in manifests.VALID}
    base: dict[str, list[float]] = {name: [] for name in manifests.VALID}
    for _ in range(args.repeat):
        for name, text in manifests.VALID.items():
            t0 = time.perf_counter()
            yaml.load(text, Loader=LOADER)
            t1 = time.perf_counter()
            problems = check_block("yaml", text, context)
            t2 = time.perf_counter()
            assert problems == [], (name, problems)
            base[name].append(t1 - t0)
            ours[name].append(t2 - t1)

    print(f"check_block per manifest, median of {args.repeat} interleaved rounds")
    print(f"{'manifest':16} {'lines':>5} {'check ms':>9} {'libyaml ms':>13} {'ratio':>6}")
    medians = []
    for name, text in manifests.VALID.items():
        ours_ms = statistics.median(ours[name]) * 1000
        base_ms = statistics.median(base[name]) * 1000
        medians.append(ours_ms)
        lines = len(text.splitlines())
        print(f"{name:16} {lines:5} {ours_ms:9.2f} {base_ms:13.2f} {ours_ms / base_ms:6.1f}x")
    overall = statistics.median(medians)
    print(
        f"median check time per manifest: {overall:.2f} ms [target < 2 ms: "
        f"{'ok' if overall < 2 else 'MISSED'}]"
    )
    print(f"first check (loads the Kubernetes 1.37 schemas): {first * 1000:.0f} ms, once per build")


if __name__ == "__main__":
    main()
