"""Benchmark: what tested snippets cost the build, measured against baselines in the same run.

Targets (issue 4):
  * a warm build of a site with N tested blocks within 1.05x of the same site built with the
    snippet hook disabled (``CONTROL_LOOP_SNIPPETS=off``, fences without our options);
  * a session of 50 trivial Python blocks in under 0.5 s of overhead (one long-lived worker per
    session, instead of a new sandboxed interpreter per block).

Prints the medians and the ratios; asserts nothing (not a timed test).
Usage: python benchmarks/bench_snippets.py [--pages 40] [--blocks 10] [--repeat 7]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hooks import sandbox  # noqa: E402
from hooks.snippetkit.engine import Engine, RunOptions  # noqa: E402
from hooks.snippetkit.parse import parse_page  # noqa: E402

MKDOCS = ROOT / ".venv" / "bin" / "mkdocs"
F = "```"
_OPTIONS = re.compile(r'^(`{3,}\w+) test="[^"]*"(?: \w+="[^"]*")*$', re.MULTILINE)


def page(i: int, blocks: int) -> str:
    """A page with ``blocks`` tested blocks: Python and console sessions and a checked YAML."""
    parts = [f"# Page {i}\n\nSome prose before the code.\n"]
    for j in range(blocks):
        if j % 3 == 0:
            parts.append(f'{F}python test="run" session="py"\nvalue_{j} = {i} * {j}\n{F}\n')
        elif j % 3 == 1:
            parts.append(f'{F}console test="run" session="sh"\n$ echo {i}-{j}\n{i}-{j}\n{F}\n')
        else:
            parts.append(
                f'{F}yaml test="check"\napiVersion: v1\nkind: ConfigMap\nmetadata:\n'
                f"  name: cm-{i}-{j}\ndata:\n  k: v\n{F}\n"
            )
    return "\n".join(parts)


def make_site(root: Path, pages: int, blocks: int, *, plain: bool) -> None:
    docs = root / "docs"
    (docs / "blog" / "posts").mkdir(parents=True)
    (docs / "blog" / "index.md").write_text("# Blog\n")
    (docs / "index.md").write_text("# Home\n")
    for i in range(pages):
        text = page(i, blocks)
        if plain:
            text = _OPTIONS.sub(lambda m: m.group(1), text)
        (docs / f"page-{i:03d}.md").write_text(text)
    (root / "mkdocs.yml").write_text(
        textwrap.dedent(f"""\
        site_name: Snippet benchmark
        site_url: https://example.org/
        theme:
          name: material
        plugins:
          - blog
        hooks:
          - {ROOT / "hooks" / "site_hooks.py"}
        markdown_extensions:
          - attr_list
          - pymdownx.highlight:
              pygments_lang_class: true
          - pymdownx.superfences
        """)
    )


#: CPU seconds (user + system) of the last ``build``: on a shared machine wall time mostly
#: measures the neighbours, CPU time what the build itself did.
LAST_CPU = [0.0]


def build(root: Path, env: dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [str(MKDOCS), "build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")],
        env=env,
        capture_output=True,
        text=True,
        cwd=root,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU[0] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        sys.exit(f"build failed in {root}:\n{proc.stderr[-3000:]}")
    return elapsed


def bench_warm_build(pages: int, blocks: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-snippets-") as tmp:
        tested, plain = Path(tmp) / "tested", Path(tmp) / "plain"
        make_site(tested, pages, blocks, plain=False)
        make_site(plain, pages, blocks, plain=True)
        base_env = dict(
            os.environ,
            CONTROL_LOOP_CACHE_DIR=str(Path(tmp) / "cache"),
            CONTROL_LOOP_DIAGRAMS="off",
            NO_MKDOCS_2_WARNING="1",
        )
        # recorded transcripts, as every post has: a warm build reads and checks the stores
        subprocess.run(
            [sys.executable, "-m", "hooks", "snippets", "--record", "docs"],
            cwd=tested,
            env=dict(base_env, PYTHONPATH=str(ROOT)),
            check=True,
            capture_output=True,
        )
        on = dict(base_env)
        off = dict(base_env, CONTROL_LOOP_SNIPPETS="off")
        cold = build(tested, on)
        build(plain, off)  # warm the OS file cache for both sites alike
        warm_times, off_times, warm_cpu, off_cpu = [], [], [], []
        for _ in range(repeat):  # interleaved, so machine load affects both alike
            warm_times.append(build(tested, on))
            warm_cpu.append(LAST_CPU[0])
            off_times.append(build(plain, off))
            off_cpu.append(LAST_CPU[0])
        n = pages * blocks
        print(f"site: {pages} pages, {n} tested blocks; {repeat} builds each, interleaved")
        print(f"  cold build, snippets on (runs everything): {cold:7.2f} s")
        for name, pick in (("fastest", min), ("median", statistics.median)):
            warm, base = pick(warm_times), pick(off_times)
            print(
                f"  {name}: warm build (all cached) {warm:.2f} s, hook off {base:.2f} s "
                f"-> {warm / base:.3f}x (target <= 1.05x)"
            )
        warm, base = statistics.median(warm_cpu), statistics.median(off_cpu)
        print(
            f"  median CPU time: warm build {warm:.2f} s, hook off {base:.2f} s "
            f"-> {warm / base:.3f}x (target <= 1.05x)"
        )
        cost = min(snippet_pass(tested, Path(tmp) / "cache") for _ in range(repeat))
        base = min(off_times)
        print(
            f"  the snippet pass alone on a warm build (in-process, fastest of {repeat}): "
            f"{cost * 1000:.1f} ms = {cost / base:.1%} of the hook-off build"
        )


def snippet_pass(root: Path, cache: Path) -> float:
    """Wall time of the snippet pass alone (parse, keys, cache look-ups, rewrite, badges)."""
    from hooks.reporting import BuildReport
    from hooks.snippetkit.build import SnippetBuild

    os.environ["CONTROL_LOOP_CACHE_DIR"] = str(cache)
    pages = sorted((root / "docs").glob("*.md"))
    # from the site's folder, as `mkdocs build` runs: blocks are named (and cached) by the path
    # relative to it
    with contextlib.chdir(root):
        start = time.perf_counter()
        snippets, report = SnippetBuild(), BuildReport()
        snippets.start([(str(p), p.name) for p in pages], report)
        for p in pages:
            md = snippets.page_markdown(p.read_text(), str(p), p.name)
            snippets.page_content(md)
        result = snippets.finish(report)
        elapsed = time.perf_counter() - start
        snippets.close()
    assert result is not None and result.from_cache == result.count("passed")
    return elapsed


def bench_session(blocks: int, repeat: int) -> None:
    md = "\n".join(f'{F}python test="run" session="s"\nx{i} = {i}\n{F}\n' for i in range(blocks))
    one = f'{F}python test="run" session="s"\nx = 0\n{F}\n'

    def run(text: str) -> float:
        parsed = parse_page(text, "bench.md")
        engine = Engine(RunOptions(use_cache=False, jobs=1))
        start = time.perf_counter()
        result = engine.run(parsed.blocks)
        elapsed = time.perf_counter() - start
        engine.close()
        assert result.count("passed") == len(parsed.blocks), result.outcomes
        return elapsed

    with tempfile.TemporaryDirectory(prefix="bench-session-") as tmp:
        os.environ["CONTROL_LOOP_CACHE_DIR"] = tmp
        many = min(run(md) for _ in range(repeat))
        single = min(run(one) for _ in range(repeat))
        work = Path(tmp) / "w"
        work.mkdir()
        fresh = min(
            sandbox.run([sys.executable, "-c", "pass"], workdir=work).duration
            for _ in range(repeat)
        )
    per_block = (many - single) / (blocks - 1)
    print(f"python session of {blocks} trivial blocks (one sandboxed worker), fastest of {repeat}:")
    print(f"  whole session: {many:.3f} s (target < 0.5 s)")
    print(f"  one-block session (worker start-up): {single:.3f} s")
    print(f"  each further block: {per_block * 1000:.2f} ms")
    print(
        f"  a new sandboxed interpreter: {fresh * 1000:.1f} ms -> "
        f"{blocks} interpreters would cost {fresh * blocks:.2f} s "
        f"({fresh * blocks / many:.1f}x the session)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--blocks", type=int, default=10, help="tested blocks per page")
    parser.add_argument("--session-blocks", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    status = sandbox.sandbox_status()
    print(f"sandbox: {status or 'bubblewrap'}")
    bench_session(args.session_blocks, args.repeat)
    bench_warm_build(args.pages, args.blocks, args.repeat)


if __name__ == "__main__":
    main()
