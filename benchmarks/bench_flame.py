"""Benchmark: fold and draw client-go's cloc table (2,377 files, 266,561 code lines).

Targets (issue 5): parse + fold + draw under 1 s, the SVG under 1 MB. Prints, from one run:
  * the median time of each step over --repeat runs, and their sum;
  * a baseline measured in the same run (reading the CSV with the csv module and summing the
    code column: the least any parser must do), and our total as a multiple of it;
  * the SVG and folded sizes, frames drawn and frames too narrow to draw;
  * the same for kind's table (369 files) and the Kubernetes staging tree's (8,645 files), to
    show how time grows with the table and that the largest SVG stays within the budget.

Not a timed test: it prints, it asserts nothing.
Usage: python benchmarks/bench_flame.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hooks.flame.count import parse_cloc_csv  # noqa: E402
from hooks.flame.draw import draw_svg  # noqa: E402
from hooks.flame.fold import build_tree, folded_text  # noqa: E402
from hooks.flame.sources import SVG_BUDGET_BYTES, heading  # noqa: E402

DATA = ROOT / "docs" / "assets" / "data"


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median wall time of ``fn`` over ``repeat`` runs, and its last result."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def baseline(text: str) -> int:
    rows = list(csv.reader(text.splitlines()[1:]))
    return sum(int(r[4]) for r in rows if r and r[0] != "SUM")


def bench(name: str, repeat: int) -> None:
    text = (DATA / f"{name}-cloc-by-file.csv").read_text(encoding="utf-8")
    t_base, base_total = timed(lambda: baseline(text), repeat)
    t_parse, records = timed(lambda: parse_cloc_csv(text), repeat)
    t_fold, tree = timed(lambda: build_tree(records, name), repeat)
    t_folded, folded = timed(lambda: folded_text(records), repeat)
    title = heading(name, len(records), tree.lines)
    t_draw, drawing = timed(lambda: draw_svg(tree, title=title), repeat)
    total = t_parse + t_fold + t_folded + t_draw
    svg_bytes = len(drawing.svg.encode())
    assert tree.lines == base_total, "root total differs from the plain sum of the code column"
    print(f"{name}: {len(records):,} files, {tree.lines:,} code lines (median of {repeat} runs)")
    print(f"  parse   {t_parse * 1000:8.1f} ms")
    print(f"  fold    {t_fold * 1000:8.1f} ms  (tree)  + {t_folded * 1000:.1f} ms (folded text)")
    print(f"  draw    {t_draw * 1000:8.1f} ms")
    print(
        f"  total   {total * 1000:8.1f} ms  = {total / t_base:.1f} x baseline "
        f"({t_base * 1000:.1f} ms: csv.reader + sum)  [target < 1000 ms: "
        f"{'ok' if total < 1.0 else 'MISSED'}]"
    )
    print(
        f"  SVG     {svg_bytes / 1024:8.1f} KiB ({svg_bytes:,} bytes) [budget "
        f"{SVG_BUDGET_BYTES:,} bytes: {'ok' if svg_bytes <= SVG_BUDGET_BYTES else 'MISSED'}]; "
        f"folded {len(folded) / 1024:.1f} KiB"
    )
    print(f"  frames  {drawing.frames:,} drawn, {drawing.hidden_frames:,} too narrow to draw")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    for name in ("client-go", "kind", "kubernetes-staging"):
        bench(name, args.repeat)


if __name__ == "__main__":
    main()
