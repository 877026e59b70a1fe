"""`python -m hooks flame PATH --out OUT.svg [--folded OUT.folded]`: outputs and bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hooks import PROJECT_ROOT
from hooks.flame.cli import flame
from tests.flame.conftest import FOLDED, cloc_table


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(flame, list(args))
    return result.exit_code, result.output


def test_table_to_svg_and_folded(tmp_path: Path) -> None:
    table = tmp_path / "demo.csv"
    table.write_text(cloc_table(delimiter="\t", sum_delimiter="\t"), encoding="utf-8")
    code, output = run(
        str(table), "--out", str(tmp_path / "g.svg"), "--folded", str(tmp_path / "g.folded")
    )
    assert code == 0, output
    assert (tmp_path / "g.folded").read_text(encoding="utf-8") == FOLDED
    svg = (tmp_path / "g.svg").read_text(encoding="utf-8")
    assert "demo: 820 lines of code in 5 files" in svg
    assert "5 files, 820 lines of code" in output


def test_module_entry_point(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text(cloc_table(), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "hooks", "flame", str(table), "--out", str(tmp_path / "t.svg")],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "t.svg").read_text(encoding="utf-8").startswith("<?xml")


def test_not_a_cloc_table(tmp_path: Path) -> None:
    bad = tmp_path / "notes.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    code, output = run(str(bad), "--out", str(tmp_path / "x.svg"))
    assert code == 1
    assert output.strip().splitlines() == [
        f"Error: {bad}: not a cloc --by-file CSV table (no header line starting with "
        "'language,filename,blank,comment,code'); produce one with "
        "`cloc --by-file --csv --quiet --hide-rate DIR > table.csv`"
    ]
    assert not (tmp_path / "x.svg").exists()


def test_empty_directory(readable_tmp: Path, tmp_path: Path) -> None:
    code, output = run(str(readable_tmp), "--out", str(tmp_path / "x.svg"), "--vcs", "none")
    assert code == 1
    assert output.strip() == (
        f"Error: {readable_tmp}: the directory holds no files; there is nothing to count"
    )


def test_missing_path(tmp_path: Path) -> None:
    code, output = run(str(tmp_path / "nowhere"), "--out", str(tmp_path / "x.svg"))
    assert code == 1
    assert output.strip() == f"Error: {tmp_path / 'nowhere'}: no such file or directory"


def test_cloc_missing(readable_tmp: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (readable_tmp / "a.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    code, output = run(str(readable_tmp), "--out", str(tmp_path / "x.svg"))
    assert code == 1
    assert output.strip() == (
        "Error: cloc is not installed; install it with `sudo apt-get install cloc` "
        "(or run `make setup`)"
    )


def test_directory_options_rejected_for_a_table(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text(cloc_table(), encoding="utf-8")
    code, output = run(str(table), "--out", str(tmp_path / "x.svg"), "--exclude-dir", "vendor")
    assert code == 1
    assert "--exclude-dir and --vcs apply when counting a directory" in output


def test_folded_stacks_are_drawn_too(tmp_path: Path) -> None:
    first = tmp_path / "a.folded"
    table = tmp_path / "t.csv"
    table.write_text(cloc_table(), encoding="utf-8")
    assert run(str(table), "--out", str(tmp_path / "a.svg"), "--folded", str(first))[0] == 0
    # the folded file the site offers for download, drawn again: same stacks, same total
    code, output = run(
        str(first), "--out", str(tmp_path / "b.svg"), "--folded", str(tmp_path / "b.folded")
    )
    assert code == 0, output
    assert (tmp_path / "b.folded").read_text(encoding="utf-8") == FOLDED
    assert "5 files, 820 lines of code" in output
    assert "a: 820 lines of code in 5 files" in (tmp_path / "b.svg").read_text(encoding="utf-8")


def test_bad_folded_line_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "x.folded"
    bad.write_text("a;b.go 3\na;c.go three\n", encoding="utf-8")
    code, output = run(str(bad), "--out", str(tmp_path / "x.svg"))
    assert code == 1
    assert output.startswith(f"Error: {bad}:2: not a folded stack")
