"""Benchmark: this site's build vs a stock Material blog, with N synthetic posts.

Prints, from one run (so machine noise hits both sides alike):
  * full `mkdocs build` time of our configuration vs a stock Material blog configuration with the
    same posts, at 100 and 1,000 posts (target: ratio <= 1.10 at both sizes);
  * growth from 100 to 1,000 posts for each (target: ours no worse than stock's);
  * time for `mkdocs serve` to rebuild after one post is edited, ours vs stock.

Usage: python benchmarks/bench_site.py [--sizes 100 1000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).parent / "mkdocs"
CATEGORIES = ["Kubernetes", "Containers", "Networking", "Tooling"]
WORDS = [
    "controller",
    "reconcile",
    "informer",
    "watch",
    "cache",
    "kubelet",
    "pod",
    "node",
    "service",
    "endpoint",
]
WORDS += [
    "slice",
    "proxy",
    "label",
    "selector",
    "namespace",
    "container",
    "image",
    "layer",
    "registry",
    "digest",
]


def stock_config() -> dict:
    """Material's blog as its documentation sets it up, rendering the same Markdown.

    Same theme, blog plugin options and Markdown extensions as ours (the posts need them), and
    none of what this site adds: no hooks, no feeds, no lightbox, no tags, no template overrides.
    """
    ours = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_Loader)
    blog = next(p["blog"] for p in ours["plugins"] if isinstance(p, dict) and "blog" in p)
    return {
        "site_name": "Stock blog",
        "site_url": "https://example.org/",
        "theme": {"name": "material", "features": ours["theme"]["features"]},
        "nav": ours["nav"],
        "plugins": ["search", {"blog": blog}],
        "markdown_extensions": ours["markdown_extensions"],
    }


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml's !ENV and !!python tags as plain data (kept as written)."""


def _keep_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> object:
    if isinstance(node, yaml.ScalarNode):
        return _Tagged(node.tag, loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return _Tagged(node.tag, loader.construct_sequence(node, deep=True))
    return _Tagged(node.tag, loader.construct_mapping(node, deep=True))


class _Tagged:
    def __init__(self, tag: str, value: object) -> None:
        self.tag, self.value = tag, value


def _dump_tagged(dumper: yaml.SafeDumper, data: _Tagged) -> yaml.Node:
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Loader.add_multi_constructor("!", _keep_tag)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _keep_tag)
yaml.SafeDumper.add_representer(_Tagged, _dump_tagged)


def post_text(i: int) -> str:
    day = 1 + i % 28
    month = 1 + (i // 28) % 12
    year = 2020 + i // (28 * 12)
    words = [WORDS[(i * 7 + k) % len(WORDS)] for k in range(60)]
    para = " ".join(words).capitalize() + "."
    body = "\n\n".join(
        [f"## Section {s}\n\n{para} {para}\n\n- {words[s]}\n- {words[s + 1]}" for s in range(6)]
    )
    return (
        "---\n"
        f'title: "Synthetic post {i}"\n'
        f'description: "Synthetic post number {i} for the build benchmark."\n'
        f"date: {year}-{month:02d}-{day:02d}\n"
        "authors:\n  - controlloop\n"
        f"categories:\n  - {CATEGORIES[i % 4]}\n"
        f"tags:\n  - tag{i % 10}\n"
        f"slug: synthetic-post-{i}\n"
        "---\n\n"
        f"# Synthetic post {i}\n\n{para}\n\n<!-- more -->\n\n{body}\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n"
    )


def make_site(dest: Path, n: int, *, stock: bool) -> Path:
    dest.mkdir(parents=True)
    shutil.copytree(ROOT / "docs", dest / "docs", ignore=shutil.ignore_patterns("posts"))
    posts = dest / "docs" / "blog" / "posts"
    posts.mkdir()
    for i in range(n):
        text = post_text(i)
        date = re.search(r"^date: (\S+)$", text, re.M)[1]  # type: ignore[index]
        (posts / f"{date}-synthetic-post-{i}.md").write_text(text)
    if stock:
        (dest / "mkdocs.yml").write_text(yaml.safe_dump(stock_config(), sort_keys=False))
    else:
        shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
        for name in ("hooks", "diagrams_src"):
            (dest / name).symlink_to(ROOT / name)
    return dest


def env() -> dict[str, str]:
    e = dict(os.environ)
    e.update(NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1767225600")
    return e


def build_seconds(project: Path) -> float:
    out = project / "site"
    start = time.perf_counter()
    proc = subprocess.run(
        [str(MKDOCS), "build", "-q", "-d", str(out)],
        cwd=project,
        env=env(),
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build failed in {project}:\n{proc.stderr[-3000:]}")
    shutil.rmtree(out)
    return elapsed


def serve_rebuild_seconds(project: Path) -> float:
    """Start `mkdocs serve`, edit one post, return the rebuild time MkDocs reports."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log_path = project / "serve.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [str(MKDOCS), "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            env=env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    built = re.compile(r"Documentation built in ([0-9.]+) seconds")
    try:
        _wait_for(log_path, built, count=1)
        post = sorted((project / "docs" / "blog" / "posts").glob("*.md"))[0]
        post.write_text(post.read_text() + "\nOne more sentence, edited under serve.\n")
        times = _wait_for(log_path, built, count=2)
        return float(times[1])
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def _wait_for(path: Path, pattern: re.Pattern[str], *, count: int, limit: float = 600) -> list:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        found = pattern.findall(path.read_text())
        if len(found) >= count:
            return found
        time.sleep(0.2)
    raise SystemExit(f"timed out waiting for {pattern.pattern!r} in {path}:\n{path.read_text()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--repeat", type=int, default=3, help="builds per point (median)")
    args = parser.parse_args()
    results: dict[tuple[str, int], float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        for n in args.sizes:
            projects = {
                kind: make_site(Path(tmp) / f"{kind}-{n}", n, stock=kind == "stock")
                for kind in ("stock", "ours")
            }
            runs: dict[str, list[float]] = {"stock": [], "ours": []}
            for project in projects.values():
                build_seconds(project)  # warm-up: imports, caches, page cache
            for _ in range(args.repeat):  # interleaved, so load changes hit both sides
                for kind, project in projects.items():
                    runs[kind].append(build_seconds(project))
            for kind in projects:
                results[(kind, n)] = statistics.median(runs[kind])
        serve_n = min(args.sizes)
        serve = {
            kind: serve_rebuild_seconds(Path(tmp) / f"{kind}-{serve_n}")
            for kind in ("stock", "ours")
        }
    print(f"{'posts':>6} {'stock s':>9} {'ours s':>9} {'ours/stock':>11}  target <= 1.10")
    for n in args.sizes:
        s, o = results[("stock", n)], results[("ours", n)]
        print(f"{n:>6} {s:>9.2f} {o:>9.2f} {o / s:>11.3f}  {'ok' if o / s <= 1.10 else 'OVER'}")
    if len(args.sizes) >= 2:
        lo, hi = min(args.sizes), max(args.sizes)
        gs = results[("stock", hi)] / results[("stock", lo)]
        go = results[("ours", hi)] / results[("ours", lo)]
        verdict = "ok" if go <= gs else "WORSE"
        print(
            f"growth {lo}->{hi}: stock x{gs:.2f}, ours x{go:.2f} ({verdict}; target: ours <= stock)"
        )
    ratio = serve["ours"] / serve["stock"]
    print(
        f"serve rebuild after one edit ({serve_n} posts): stock {serve['stock']:.2f} s, "
        f"ours {serve['ours']:.2f} s, ours/stock {ratio:.3f}"
    )


if __name__ == "__main__":
    main()
