"""Benchmark: what diagrams cost a build, and how well cold renders use the cores.

Prints, from one run (so machine noise hits both sides alike):
  * warm `mkdocs build` of this site (posts included) with diagrams vs the same site with the
    diagrams hook disabled (CONTROL_LOOP_DIAGRAMS=off), alternating runs, min and median
    (target: ratio <= 1.05);
  * cold render of 20 diagrams in parallel (one process per core) vs serially, no cache
    (target: ratio <= 0.65 on 2 cores);
  * per diagram: render time, light/dark SVG bytes raw and gzipped, distinct icons embedded;
  * how many cores were really free around the cold renders (the machine may be shared);
  * per post: first-load weight (HTML, same-origin CSS and JS, light-scheme images and the
    flame graphs a first visit fetches, gzipped: a lazy frame below the fold is not fetched;
    see ``first_load``) against a stock Material page with the same text, OK or OVER the target
    (<= 150 KB; ``tests/site/test_page_weight.py`` asserts it with the same ``first_load``).

Usage: python benchmarks/bench_diagrams.py [--rounds 5] [--cold-rounds 3] [--strict]
  --strict exits 1 when a target is missed (the default only reports).
"""

from __future__ import annotations

import argparse
import gzip
import multiprocessing
import os
import re
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
POST_TARGET_KB = 150.0
STOCK_MKDOCS_YML = """site_name: Stock Material
theme:
  name: material
  features: [navigation.instant]
markdown_extensions: [admonition, attr_list, md_in_html, tables, toc, pymdownx.superfences,
  pymdownx.highlight, pymdownx.details, pymdownx.tabbed]
"""
_ASSET = re.compile(
    r"<(?:link[^>]*rel=\"?stylesheet\"?[^>]*href|script[^>]*src|img[^>]*src|object[^>]*data"
    r"|(?P<frame>iframe)[^>]*src)=\"?(?P<url>[^\" >]+)[^>]*>"
)
_LAZY = re.compile(r"\sloading=\"?lazy\b")
_FENCE_OPTIONS = re.compile(r"^(\s*(?:```|~~~)+\s*[\w+-]*)[^\n]*$", re.M)
_EMBED = re.compile(r"^\s*!\[[^\n]*\]\((?:diagram|flame):[^\n]*$", re.M)


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def first_load(site: Path, page: Path) -> tuple[int, int, dict[str, int]]:
    """(raw, gzipped, gzipped by kind) bytes a first visit fetches for ``page``: the HTML, its
    same-origin stylesheets and scripts, the light-scheme images and flame graphs.

    What counts is what a browser fetches before the reader scrolls. Every stylesheet, script
    and light-scheme ``<img>`` counts, lazy or not (a diagram high on the page loads at once);
    an ``<object>``'s or eager ``<iframe>``'s document counts. An ``<iframe loading="lazy">``
    (a flame graph, ``hooks/flame/embed.py``) does not: the browser fetches it only as it nears
    the viewport. ``tests/flame/test_browser.py`` and ``tests/site/test_browser.py`` check in
    Chromium at 1366x900 that a fresh load really fetches no flame graph.
    """
    html = page.read_bytes()
    parts = {"html": gz(html), "css+js": 0, "images": 0}
    raw = len(html)
    seen: set[Path] = set()
    for asset in _ASSET.finditer(html.decode("utf-8")):
        if asset["frame"] and _LAZY.search(asset[0]):
            continue
        url = asset["url"]
        if url.startswith(("http:", "https:", "//", "data:")) or url.endswith("#only-dark"):
            continue
        path = (page.parent / url.split("#")[0].split("?")[0]).resolve()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        data = path.read_bytes()
        raw += len(data)
        kind = "css+js" if path.suffix in {".css", ".js"} else "images"
        parts[kind] += gz(data)
    return raw, sum(parts.values()), parts


def stock_page(work: Path, post: Path) -> tuple[int, int, dict[str, int]]:
    """The same post text built by stock Material (no hooks, no diagrams, no fence options)."""
    text = post.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
    text = _EMBED.sub("", _FENCE_OPTIONS.sub(r"\1", text))
    project = work / f"stock-{post.stem}"
    (project / "docs").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(STOCK_MKDOCS_YML, encoding="utf-8")
    (project / "docs" / "index.md").write_text(text, encoding="utf-8")
    subprocess.run(
        [str(MKDOCS), "build", "-q", "-d", str(project / "site")],
        cwd=project,
        capture_output=True,
        check=True,
    )
    site = project / "site"
    return first_load(site, site / "index.html")


def post_pages(site: Path) -> dict[str, Path | None]:
    """Each post's slug -> its built page in ``site`` (None when it was not built)."""
    pages: dict[str, Path | None] = {}
    for post in sorted((ROOT / "docs" / "blog" / "posts").glob("*.md")):
        slug = post.stem[11:]  # after the YYYY-MM-DD- date
        found = sorted((site / "blog").glob(f"*/*/*/{slug}/index.html"))
        pages[slug] = found[0] if found else None
    return pages


def post_weights(work: Path, site: Path) -> bool:
    """Print each post's first-load weight against stock Material; True when all meet the target."""
    print(
        f"{'post':34} {'HTML gz':>8} {'CSS+JS gz':>10} {'images gz':>10} {'total gz':>9}"
        f" {'stock gz':>9} {'ratio':>6} {'target':>12}"
    )
    ok = True
    posts = {p.stem[11:]: p for p in (ROOT / "docs" / "blog" / "posts").glob("*.md")}
    for slug, page in post_pages(site).items():
        if page is None:
            print(f"{slug:34} (not built)")
            ok = False
            continue
        _, total, parts = first_load(site, page)
        _, stock, _ = stock_page(work, posts[slug])
        met = total / 1024 <= POST_TARGET_KB
        ok &= met
        print(
            f"{slug:34} {parts['html'] / 1024:8.1f} {parts['css+js'] / 1024:10.1f}"
            f" {parts['images'] / 1024:10.1f} {total / 1024:9.1f} {stock / 1024:9.1f}"
            f" {total / stock:6.2f} {'OK' if met else 'OVER':>4} <= {POST_TARGET_KB:.0f}"
        )
    print(f"target: every post <= {POST_TARGET_KB:.0f} KB gzipped: {'met' if ok else 'MISSED'}")
    return ok


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
    build_seconds(project, work / "site-weights", env)  # with diagrams, for the page weights
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
        print(
            f"{'diagram':34} {'render s':>8} {'light KB':>9} {'gz KB':>6} {'dark KB':>8}"
            f" {'gz KB':>6} {'icons':>6}"
        )
        for name, o in sorted(outcomes.items()):
            light, dark = o.light.encode(), o.dark.encode()
            print(
                f"{name:34} {o.seconds:8.2f} {len(light) / 1024:9.1f} {gz(light) / 1024:6.1f}"
                f" {len(dark) / 1024:8.1f} {gz(dark) / 1024:6.1f} {o.light.count('<symbol '):6d}"
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
        print()
        print("== first load of each post (gzipped KB; light scheme; stock = same text, Material)")
        weights_ok = post_weights(work, work / "warm" / "site-weights")
    missed = cold_ratio > PARALLEL_TARGET or warm_min > WARM_TARGET or not weights_ok
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
