"""``hooks/docstree.py`` on its own: which entries of docs/ are unsafe, and which stop serve."""

from __future__ import annotations

import os
from pathlib import Path

from hooks import docstree


def _tree(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    (docs / "blog").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n")
    (tmp_path / "outside.txt").write_text("secret")
    return docs


def test_links_inside_the_tree_are_fine_links_out_are_not(tmp_path: Path):
    docs = _tree(tmp_path)
    (docs / "same.md").symlink_to(docs / "index.md")
    (docs / "out.txt").symlink_to(tmp_path / "outside.txt")
    (docs / "dangling.txt").symlink_to(tmp_path / "nowhere")
    found = docstree.problems(docs, "docs/")
    assert sorted(Path(p.error.path).name for p in found) == ["dangling.txt", "out.txt"]
    assert all(p.error.hint == "commit the file itself" for p in found)
    assert not docstree.unsafe_walk(found)  # serve leaves them out and goes on


def test_directory_links_and_the_authors_file_stop_even_serve(tmp_path: Path):
    docs = _tree(tmp_path)
    (docs / "assets").symlink_to(tmp_path)
    assert docstree.unsafe_walk(docstree.problems(docs, "docs/"))
    (docs / "assets").unlink()
    (docs / "blog" / ".authors.yml").symlink_to(tmp_path / "outside.txt")
    assert docstree.unsafe_walk(docstree.problems(docs, "docs/"))


def test_fifos_are_named_without_being_opened(tmp_path: Path):
    docs = _tree(tmp_path)
    os.mkfifo(docs / "pipe.md")
    [problem] = docstree.problems(docs, "docs/")
    assert problem.error.message == (
        "a FIFO, not a regular file: the build reads only regular files"
    )
