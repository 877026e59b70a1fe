"""Benchmark: what diagrams cost a build, and how well cold renders use the cores.

Prints, from one run (so machine noise hits both sides alike):
  * warm `mkdocs build` of this site (posts included) with diagrams vs the same site with the
    diagrams hook disabled (CONTROL_LOOP_DIAGRAMS=off), alternating runs, min and median
    (target: ratio <= 1.05);
  * cold render of 20 diagrams in parallel (one process per core) vs serially, no cache
    (target: ratio <= 0.65 on 2 cores);
  * per diagram: render time, light/dark SVG size, distinct icons embedded;
  * how many cores were really free around the cold renders (the machine may be shared).

Usage: python benchmarks/bench_diagrams.py [--rounds 5] [--cold-rounds 3] [--strict]
  --strict exits 1 when a target is missed (the default only reports).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hooks.cache import Cache  # noqa: E402
from hooks.diagramkit import render  # noqa: E402
from hooks.diagramkit import sources as src  # noqa: E402

MKDOCS = Path(sys.executable).parent / "mkdocs"
FIXTURES = ROOT / "tests" / "diagramkit" / "fixtures"
COLD_COUNT = 20
WARM_TARGET = 1.05
PARALLEL_TARGET = 0.65


def copy_site(dest: Path) -> Path:
    """The site as it is (posts included), hooks and diagrams_src linked, private output."""
    dest.mkdir(parents=True)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", dest / "docs")
    for name in ("hooks", "diagrams_src"):
        (dest / name).symlink_to(ROOT / name)
    return dest


def build_seconds(project: Path, site: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        [str(MKDOCS), "build", "-d", str(site)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0 and "Traceback" in proc.stderr:
        raise SystemExit(f"mkdocs build crashed:\n{proc.stderr[-3000:]}")
    return elapsed


def warm_builds(work: Path, rounds: int) -> tuple[dict[str, list[float]], int]:
    """Alternating warm builds with and without diagrams; seconds per variant."""
    project = copy_site(work / "project")
    env = {k: v for k, v in os.environ.items() if k != "CONTROL_LOOP_NO_CACHE"}
    env.update(
        CONTROL_LOOP_CACHE_DIR=str(work / "cache"),
        NO_MKDOCS_2_WARNING="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    variants = {"with diagrams": env, "diagrams off": {**env, "CONTROL_LOOP_DIAGRAMS": "off"}}
    # warm-up: fills every cache (diagrams, snippets, flame graphs) once
    for variant_env in variants.values():
        build_seconds(project, work / "site-warmup", variant_env)
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, variant_env in variants.items():
            times[name].append(build_seconds(project, work / "site", variant_env))
    return times, len(src.discover(project / "diagrams_src"))


def cold_scripts(folder: Path) -> list[src.Script]:
    """20 distinct scripts: the site's diagrams, the test fixtures, then marked copies."""
    folder.mkdir(parents=True)
    for helper in [*(ROOT / "diagrams_src").glob("_*.py"), *FIXTURES.glob("_*.py")]:
        shutil.copy2(helper, folder / helper.name)
    originals = sorted((ROOT / "diagrams_src").glob("[!_]*.py"))
    originals += sorted(FIXTURES.glob("[!_]*.py"))
    for n in range(COLD_COUNT):
        script = originals[n % len(originals)]
        body = script.read_text(encoding="utf-8")
        name = script.stem
        if n >= len(originals):
            name = f"{script.stem}_copy{n // len(originals)}"
            body += f"\n# copy {n}: a distinct script, so a distinct cache key\n"
        (folder / f"{name}.py").write_text(body, encoding="utf-8")
    return src.discover(folder)


def cold_render(scripts: list[src.Script], jobs: int, cache_dir: Path):
    cache = Cache("diagrams", cache_dir, enabled=False)
    start = time.perf_counter()
    outcomes = render.render_all(scripts, cache=cache, jobs=jobs)
    elapsed = time.perf_counter() - start
    failed = [str(o) for o in outcomes.values() if not isinstance(o, render.Rendered)]
    if failed:
        raise SystemExit("cold render failed:\n" + "\n".join(failed))
    return elapsed, outcomes


def _spin(seconds: float) -> int:
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        n += 1
    return n


def free_cores(cores: int) -> float:
    """How many cores this run really gets: busy loops in ``cores`` processes vs in one.

    The machine is shared; a parallel/serial ratio means little without it (2.0 = two idle
    cores, 1.0 = everything but one core is taken by others).
    """
    with multiprocessing.Pool(cores) as pool:
        one = pool.apply(_spin, (1.0,))
        many = sum(pool.map(_spin, [1.0] * cores))
    return many / one


def _verdict(value: float, target: float) -> str:
    met = "target met" if value <= target else "TARGET MISSED"
    return f"{value:.3f} (target <= {target:.2f}: {met})"


def _runs(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="alternating build pairs")
    parser.add_argument(
        "--cold-rounds", type=int, default=3, help="alternating serial/parallel cold renders"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    cores = render.default_jobs()
    with tempfile.TemporaryDirectory(prefix="bench-diagrams-") as tmp:
        work = Path(tmp)
        print(f"== cold render: {COLD_COUNT} diagrams, {cores} cores, cache disabled")
        print(f"cores actually free for this run: {free_cores(cores):.2f} of {cores}")
        scripts = cold_scripts(work / "diagrams_src")
        serial: list[float] = []
        parallel: list[float] = []
        outcomes: dict = {}
        for _ in range(args.cold_rounds):  # alternate, keep the best of each: less noise
            seconds, outcomes = cold_render(scripts, 1, work / "c")
            serial.append(seconds)
            parallel.append(cold_render(scripts, cores, work / "c")[0])
        print(f"serial   {min(serial):7.2f} s   (runs: {_runs(serial)})")
        print(f"parallel {min(parallel):7.2f} s   (runs: {_runs(parallel)})")
        cold_ratio = min(parallel) / min(serial)
        print(f"parallel / serial = {_verdict(cold_ratio, PARALLEL_TARGET)}")
        print(f"cores actually free after the renders: {free_cores(cores):.2f} of {cores}")
        print()
        print(f"{'diagram':34} {'render s':>8} {'light KB':>9} {'dark KB':>8} {'icons':>6}")
        for name, o in sorted(outcomes.items()):
            print(
                f"{name:34} {o.seconds:8.2f} {len(o.light) / 1024:9.1f} "
                f"{len(o.dark) / 1024:8.1f} {o.light.count('<symbol '):6d}"
            )
        seconds = [o.seconds for o in outcomes.values()]
        sizes = [len(o.light) / 1024 for o in outcomes.values()]
        print(
            f"per diagram (serial run): median {statistics.median(seconds):.2f} s, "
            f"max {max(seconds):.2f} s; light SVG median {statistics.median(sizes):.1f} KB, "
            f"max {max(sizes):.1f} KB"
        )
        print()
        print(f"== warm build of this site, {args.rounds} alternating rounds")
        times, diagrams = warm_builds(work / "warm", args.rounds)
        for name, values in times.items():
            print(
                f"{name:14} min {min(values):6.2f} s  median {statistics.median(values):6.2f} s"
                f"  (runs: {_runs(values)})"
            )
        with_, off = times["with diagrams"], times["diagrams off"]
        warm_min = min(with_) / min(off)
        warm_median = statistics.median(with_) / statistics.median(off)
        print(f"{diagrams} diagrams; with / off (min)    = {_verdict(warm_min, WARM_TARGET)}")
        print(f"{diagrams} diagrams; with / off (median) = {_verdict(warm_median, WARM_TARGET)}")
    missed = cold_ratio > PARALLEL_TARGET or warm_min > WARM_TARGET
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
