"""The flame graphs pages may embed by name, and how each is counted, drawn and cached.

* ``self``: this repository's last commit, counted with cloc at build time. What is counted is
  the committed git tree (``git archive``), so the cache key is that tree's id: the count is
  redone exactly when a commit changes the files, never for uncommitted edits or build output.
  A warm build starts no process: HEAD's commit is read from ``.git`` files (``hooks.gitrefs``),
  the commit's tree id is cached (a commit's tree never changes), and so is cloc's version.
* ``kind``, ``client-go``, ``kubernetes-staging``: committed cloc tables in
  ``docs/assets/data/`` (provenance in ``docs/assets/data/PROVENANCE.txt``), so readers can
  download the very data the graph shows.

Every graph must fit ``SVG_BUDGET_BYTES``: the largest, the Kubernetes staging tree (8,645 files),
stays under it only because frames narrower than flamegraph.pl's ``--minwidth`` are not drawn.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from hooks import PROJECT_ROOT, svgsafe
from hooks.cache import Cache, digest
from hooks.flame import FlameError
from hooks.flame.count import check_row, cloc_version, git_tree_id
from hooks.flame.trusted import TRUSTED_BLOCKS
from hooks.gitrefs import head_commit

if TYPE_CHECKING:
    from hooks.flame.count import FileCount

# The folding and drawing code (``fold``, ``draw``) loads on a cache miss only: a warm build
# reads every picture from the cache and checks it against ``TRUSTED_BLOCKS``.

#: Committed cloc tables, served with the site (``assets/data/...``) for readers to download.
DATA_DIR = PROJECT_ROOT / "docs" / "assets" / "data"
#: Not counted in ``self``: the committed cloc tables are other projects' data, not our code.
SELF_SKIP = ("docs/assets/data",)
#: Folders never counted when ``self`` falls back to the working directory (no git).
WORKTREE_EXCLUDES = (".git", ".venv", ".cache", "site", "node_modules", "__pycache__")

_CODE_FILES = ("fold.py", "draw.py", "flame.js", "flame.css")

#: The most one flame graph's SVG may weigh: a reader loads it with the page.
SVG_BUDGET_BYTES = 1_000_000


@dataclass(frozen=True)
class Source:
    """A named flame graph: how its root frame is called and where its table comes from."""

    name: str
    root: str  # the root frame's name
    table: str | None  # docs-relative path of a committed cloc table; None = count this repo

    @property
    def table_path(self) -> Path | None:
        return PROJECT_ROOT / "docs" / self.table if self.table else None


SOURCES: dict[str, Source] = {
    "self": Source("self", "control-loop", None),
    "kind": Source("kind", "kubernetes-sigs/kind", "assets/data/kind-cloc-by-file.csv"),
    "client-go": Source(
        "client-go", "kubernetes/client-go", "assets/data/client-go-cloc-by-file.csv"
    ),
    "kubernetes-staging": Source(
        "kubernetes-staging",
        "kubernetes staging",
        "assets/data/kubernetes-staging-cloc-by-file.csv",
    ),
}


@dataclass(frozen=True)
class Rendered:
    """What a page embeds: the SVG, the folded stacks, the picture's height, and the title and
    legend the page draws around it (``Drawing.legend``)."""

    name: str
    svg: str
    folded: str
    height: int
    files: int
    lines: int
    title: str = ""
    legend: tuple[tuple[str, str], ...] = ()


def code_version() -> str:
    """A digest of the drawing code: changing it invalidates every cached picture."""
    here = Path(__file__).parent
    h = hashlib.sha256()
    for name in _CODE_FILES:
        h.update((here / name).read_bytes())
    return h.hexdigest()


def heading(root: str, files: int, lines: int, note: str = "") -> str:
    """The picture's title: what it shows and how big it is."""
    suffix = f" ({note})" if note else ""
    return f"{root}: {lines:,} lines of code in {files:,} files{suffix}"


def render_records(records: list[FileCount], *, root: str, note: str = "") -> Rendered:
    """Fold and draw ``records`` (no cache): the command line and the benchmark use this too."""
    from hooks.flame.draw import draw_svg
    from hooks.flame.fold import build_tree, folded_text

    tree = build_tree(records, root)
    files = sum(1 for r in records if r.code > 0)
    title = heading(root, files, tree.lines, note)
    drawing = draw_svg(tree, title=title)
    return Rendered(
        name=root,
        svg=drawing.svg,
        folded=folded_text(records),
        height=drawing.height,
        files=files,
        lines=tree.lines,
        title=title,
        legend=drawing.legend,
    )


def _records_to_json(records: list[FileCount]) -> list[list[object]]:
    return [[r.path, r.language, r.code] for r in records]


def _records_from_json(value: object) -> list[FileCount] | None:
    """Cached counts, held to the bounds a table row is held to (None: count again)."""
    from hooks.flame.count import FileCount

    if not isinstance(value, list):
        return None
    try:
        records = [FileCount(str(p), str(lang), int(code)) for p, lang, code in value]
        for r in records:
            check_row("cached count", r.path, r.language, r.code)
    except (TypeError, ValueError, FlameError):
        return None
    return records


def valid_entry(value: object) -> bool:
    """The flame namespace's cache validator (given the parsed entry): counts within bounds, a
    tree id, or a drawing whose SVG passes the allow-list with exactly our script and style
    (``Cache`` drops anything else)."""
    if isinstance(value, list):
        return _records_from_json(value) is not None
    if isinstance(value, str):  # a commit's tree id (``head_tree``): else git runs every build
        return _TREE_ID.match(value) is not None
    return _cached_drawing("entry", value) is not None


#: A cached drawing's fields (``Rendered`` less its name).
CACHED_FIELDS = ("svg", "folded", "height", "files", "lines", "title", "legend")


def _cached_drawing(name: str, value: object) -> Rendered | None:
    """A cached drawing, if it has exactly our fields and passes ``_publishable`` (else None)."""
    if not isinstance(value, dict) or set(value) != set(CACHED_FIELDS):
        return None
    legend = value["legend"]
    if not isinstance(legend, list) or not all(
        isinstance(e, list) and len(e) == 2 and all(isinstance(t, str) for t in e) for e in legend
    ):
        return None
    fields = {k: value[k] for k in CACHED_FIELDS if k != "legend"}
    drawing = Rendered(name=name, **fields, legend=tuple((c, t) for c, t in legend))
    return drawing if _publishable(drawing) is None else None


def flame_cache() -> Cache:
    """The build's flame cache (``.cache/flame/``), every entry checked on read."""
    return Cache("flame", validate_json=valid_entry)


_TREE_ID = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")


def head_tree(cache: Cache, repo: Path) -> str | None:
    """The tree id of ``repo``'s HEAD commit; git runs only for a commit not seen before."""
    commit = head_commit(repo)
    if commit is None:
        return git_tree_id(repo)
    key = digest("commit-tree", commit)
    cached = cache.get_json(key)
    if isinstance(cached, str) and _TREE_ID.match(cached):
        return cached
    tree = git_tree_id(repo, commit)
    if tree is not None:
        cache.put_json(key, tree)
    return tree


def self_count_key(cache: Cache, repo: Path = PROJECT_ROOT) -> str | None:
    """The key ``self``'s counts are cached by (HEAD's tree and cloc's version), found without
    reading them; None outside a git checkout, where the counts are never cached."""
    tree = head_tree(cache, repo)
    return None if tree is None else _self_key(tree)


def _self_key(tree: str) -> str:
    return digest("self-count", tree, cloc_version(), *SELF_SKIP)


def count_self(cache: Cache, repo: Path = PROJECT_ROOT) -> tuple[list[FileCount], str]:
    """This repository's counts and the key they were cached by (the git tree, cloc version)."""
    from hooks.flame.count import count_directory, count_git_tree

    tree = head_tree(cache, repo)
    if tree is None:
        # Not a git checkout (a release tarball): count the working directory, uncached.
        records = count_directory(repo, vcs="none", exclude_dirs=WORKTREE_EXCLUDES, origin=".")
        records = [r for r in records if not r.path.startswith(tuple(d + "/" for d in SELF_SKIP))]
        return records, digest("self-worktree", *(f"{r.path}\0{r.code}" for r in records))
    key = _self_key(tree)
    cached = _records_from_json(cache.get_json(key))
    if cached is not None:
        return cached, key
    records = count_git_tree(repo, tree, skip=SELF_SKIP)
    cache.put_json(key, _records_to_json(records))
    return records, key


def render_source(name: str, cache: Cache | None = None) -> Rendered:
    """Count (or read), fold and draw the named source, through the shared cache.

    The cache key is computed from the input's bytes (a table) or its git tree (``self``)
    before anything is parsed: a warm build reads the table's bytes and the cached picture,
    and parses nothing (the staging table alone is 8,645 rows).
    """
    source = SOURCES.get(name)
    if source is None:
        raise FlameError(f"unknown flame graph {name!r} (known: {', '.join(sorted(SOURCES))})")
    cache = cache or flame_cache()
    records: list[FileCount] | None = None
    if source.table_path is None:
        # the picture is cached under the counts' key: the counts are read only to redraw it
        # (outside a git checkout they are counted now, and nothing is cached)
        input_key = self_count_key(cache)
        if input_key is None:
            records, input_key = count_self(cache)
        note = "last commit"
    else:
        try:
            data = source.table_path.read_bytes()
        except OSError:
            raise FlameError(f"docs/{source.table}: the committed cloc table is missing") from None
        input_key = digest("table", data)
        note = ""
    key = digest("render", name, source.root, input_key, code_version())
    cached = cache.get_json(key)
    if cached is not None:
        hit = _cached_drawing(name, cached)
        if hit is not None:
            return hit  # anything else in .cache/ is redrawn and replaced
    if records is None:
        if source.table_path is None:
            records, _ = count_self(cache)
        else:
            from hooks.flame.count import parse_cloc_csv

            text = data.decode("utf-8-sig", errors="replace")
            records = parse_cloc_csv(text, origin=f"docs/{source.table}")
    rendered = replace(render_records(records, root=source.root, note=note), name=name)
    problem = _publishable(rendered)
    if problem is not None:
        raise FlameError(f"the drawn SVG is refused: {problem}")
    cache.put_json(key, {k: getattr(rendered, k) for k in CACHED_FIELDS})
    return rendered


def _publishable(rendered: Rendered) -> str | None:
    """Why a drawing (fresh or from the cache) must not be published, or None: the SVG passes
    the allow-list with exactly our script and style, the other fields have their types."""
    texts = (rendered.svg, rendered.folded, rendered.title)
    if not all(isinstance(t, str) for t in texts):
        return "the SVG, the folded stacks or the title is not text"
    numbers = (rendered.height, rendered.files, rendered.lines)
    if not all(type(n) is int and 0 <= n < 1 << 53 for n in numbers):
        return "height, files or lines is not a whole number in range"
    return svgsafe.reason(rendered.svg, TRUSTED_BLOCKS)
