"""Which diagram scripts exist, what each one depends on, and the cache key that follows.

A diagram is ``diagrams_src/<name>.py``; files starting with ``_`` are helpers shared between
scripts (``_style.py``), never diagrams. The key of a rendered diagram covers everything that can
change its pixels: the script, every file in ``diagrams_src/`` it could import or read besides
the other diagrams' scripts (``shared_files``: ``_style.py``, a helper loaded with
``importlib.import_module("_labels")``, a data file), the ``diagrams`` and Graphviz versions, and
the renderer itself (a version constant plus the source of the modules that run in the
subprocess). Reading the ``import`` statements (``helpers``) misses dynamic imports and reads, so
the key does not rely on it: editing any helper re-renders every diagram (they all import
``_style.py`` anyway).
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.metadata
import importlib.util
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from hooks.cache import digest
from hooks.errors import ToolMissingError, display_path

#: Bump when the output changes in a way the hashed renderer sources below do not capture.
RENDERER_VERSION = "diagramkit-1"
#: Modules whose code shapes the SVG (they run inside the render subprocess).
_RENDERER_MODULES = ("runner.py", "svgpost.py", "colors.py", "icons.py", "legibility.py")
GRAPHVIZ_INSTALL = (
    "Graphviz (`dot`) is not installed; install it with: sudo apt-get install graphviz "
    "(or `make setup`, which installs the build's system packages)"
)


@dataclass(frozen=True)
class Script:
    """One diagram script: ``name`` is what ``![alt](diagram:name)`` refers to."""

    name: str
    path: Path  # absolute
    sources: Path  # the folder its helpers live in (diagrams_src/)

    @property
    def display(self) -> str:
        """The path as contributors know it (``diagrams_src/x.py``)."""
        return display_path(self.path)


def discover(sources: Path) -> list[Script]:
    """Every diagram in ``sources``, sorted by name (helpers starting with ``_`` excluded)."""
    if not sources.is_dir():
        return []
    top = sources.resolve()
    return [
        Script(p.stem, p.resolve(), top)
        for p in sorted(sources.glob("*.py"))
        if not p.name.startswith("_") and _regular_inside(p, top)
    ]


def _regular_inside(path: Path, top: Path) -> bool:
    """A regular file inside ``top`` (a FIFO or a link out is reported by ``hooks.docstree``
    and never read)."""
    try:
        real = path.resolve(strict=True)
        return stat.S_ISREG(real.stat().st_mode) and real.is_relative_to(top)
    except (OSError, RuntimeError):
        return False


def _imported_names(tree: ast.AST) -> set[str]:
    """Module names an AST imports, as candidates for helpers (``_style``, ``diagrams_src._x``)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _helper_file(name: str, sources: Path) -> Path | None:
    parts = name.split(".")
    if parts[0] == sources.name:  # ``from diagrams_src._style import X``
        parts = parts[1:]
    if len(parts) != 1:
        return None
    candidate = sources / f"{parts[0]}.py"
    return candidate if candidate.is_file() else None


@functools.lru_cache(maxsize=256)
def _imports_of(path: Path, mtime_ns: int, size: int) -> frozenset[str]:
    """Module names one file imports; parsed once per version of the file (a shared helper
    such as ``_style.py`` is imported by every script)."""
    try:
        return frozenset(_imported_names(ast.parse(path.read_bytes(), filename=str(path))))
    except (SyntaxError, ValueError, OSError):
        return frozenset()  # the render reports it with its line


def helpers(script: Path, sources: Path) -> list[Path]:
    """The ``sources`` modules ``script`` imports, directly or through other helpers, sorted."""
    found: set[Path] = set()
    todo = [script]
    while todo:
        current = todo.pop()
        try:
            stat = current.stat()
        except OSError:
            continue  # the render reports it
        for name in _imports_of(current, stat.st_mtime_ns, stat.st_size):
            helper = _helper_file(name, sources)
            if helper is not None and helper != script and helper not in found:
                found.add(helper)
                todo.append(helper)
    return sorted(found)


def find_dot() -> str:
    """The ``dot`` executable, or ToolMissingError carrying the install command."""
    dot = shutil.which("dot")
    if dot is None:
        raise ToolMissingError(GRAPHVIZ_INSTALL)
    return dot


@functools.lru_cache(maxsize=4)
def _toolchain(dot: str) -> str:
    # cached by dot's path, size and mtime: a warm build starts no process to ask
    from hooks.toolversion import tool_version

    graphviz = tool_version(dot, ("-V",), timeout=30)
    if graphviz == "unknown":
        raise ToolMissingError(f"`{dot} -V` failed; {GRAPHVIZ_INSTALL}")
    from hooks.diagramkit import icons

    here = Path(__file__).parent
    renderer = hashlib.sha256()
    for module in _RENDERER_MODULES:
        renderer.update((here / module).read_bytes())
    return "\n".join(
        [
            RENDERER_VERSION,
            renderer.hexdigest(),
            "diagrams " + importlib.metadata.version("diagrams"),
            icons.toolchain(),
            graphviz,
        ]
    )


def toolchain() -> str:
    """Versions of everything besides the script that shapes the output (``dot -V`` is asked
    once per Graphviz install, not per build: ``hooks.toolversion``)."""
    return _toolchain(find_dot())


def shared_files(sources: Path) -> list[Path]:
    """Every file in ``sources`` a script can import or read, except the diagrams' scripts.

    That is everything but top-level ``<name>.py`` diagrams and ``__pycache__``, sorted; links
    and other non-regular files are skipped (the docs-tree check refuses them).
    """
    found = []
    for path in sorted(sources.rglob("*")):
        rel = path.relative_to(sources)
        if "__pycache__" in rel.parts or not path.is_file() or path.is_symlink():
            continue
        if len(rel.parts) == 1 and path.suffix == ".py" and not path.name.startswith("_"):
            continue  # another diagram: importing it would draw a second Diagram
        found.append(path)
    return found


def shared_digest(sources: Path) -> str:
    """One digest of ``shared_files`` (names and contents): part of every diagram's key."""
    parts: list[bytes | str] = []
    for path in shared_files(sources):
        parts += [path.relative_to(sources).as_posix(), path.read_bytes()]
    return digest(*parts)


def cache_key(script: Script, tools: str, shared: str | None = None) -> str:
    """The key of ``script``'s rendering; ``shared`` is ``shared_digest(script.sources)``
    (computed here when not given; ``render_all`` computes it once per build)."""
    if shared is None:
        shared = shared_digest(script.sources)
    return digest(tools, shared, script.path.read_bytes())


def icon_library() -> Path:
    """Folder of the icons shipped with ``diagrams`` (covered by its version in the key)."""
    spec = importlib.util.find_spec("diagrams")
    assert spec is not None and spec.origin is not None, "the diagrams package is not installed"
    return Path(spec.origin).resolve().parent.parent / "resources"
