"""Helpers shared by the diagram tests: fixture paths, SVG parsing, running the CLI."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from lxml import etree

from hooks import PROJECT_ROOT
from hooks.cache import NO_CACHE_ENV

FIXTURES = Path(__file__).parent / "fixtures"
#: The fixture scripts that are diagrams (k8s, on-prem, cloud icons; clusters; edge labels).
DIAGRAMS = ("cloud_mix", "k8s_cluster", "onprem_stack", "uses_helper")
SVG = "{http://www.w3.org/2000/svg}"
PYTHON = str(PROJECT_ROOT / ".venv" / "bin" / "python")


def parse(svg: str) -> etree._Element:
    return etree.fromstring(svg.encode())


def titles(svg: str, cls: str) -> list[str]:
    """The <title> of every ``<g class=cls>`` in document order."""
    return [
        g.findtext(f"{SVG}title") or "" for g in parse(svg).iter(f"{SVG}g") if g.get("class") == cls
    ]


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != NO_CACHE_ENV}
    env.update(extra)
    return env


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path = PROJECT_ROOT):
    """``python -m hooks diagrams ARGS`` in a fresh process."""
    return subprocess.run(
        [PYTHON, "-m", "hooks", "diagrams", *args],
        cwd=cwd,
        env=env if env is not None else cli_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def write_script(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text(body, encoding="utf-8")
    return path


#: In the browser: for every shown diagram <img> under ``root`` (a selector), the smallest label's
#: rendered size in CSS px = smallest font-size in its SVG * shown width / viewBox width.
SMALLEST_TEXT_JS = """async (root) => {
  const out = [];
  for (const img of document.querySelectorAll(root)) {
    const box = img.getBoundingClientRect();
    const style = getComputedStyle(img);
    if (!box.width || style.display === "none") continue;
    const content = box.width - ["paddingLeft", "paddingRight", "borderLeftWidth",
      "borderRightWidth"].reduce((sum, side) => sum + parseFloat(style[side]), 0);
    const svg = new DOMParser().parseFromString(
      await (await fetch(img.currentSrc || img.src)).text(), "image/svg+xml");
    const width = parseFloat(svg.documentElement.getAttribute("viewBox").split(/[ ,]+/)[2]);
    const sizes = [...svg.querySelectorAll("text")]
      .map(t => parseFloat(t.getAttribute("font-size")));
    out.push({src: img.getAttribute("src"), shown: content,
              px: Math.min(...sizes) * content / width});
  }
  return out;
}"""
