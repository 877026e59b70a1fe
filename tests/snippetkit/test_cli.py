"""``python -m hooks snippets``: reports, the summary line, exit codes, ``--update`` round trips."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hooks import PROJECT_ROOT
from hooks.snippetkit.cli import snippets

F = "```"


def cli(*args: str) -> Result:
    return CliRunner().invoke(snippets, list(args), catch_exceptions=False)


def write(tmp_path: Path, text: str, name: str = "page.md") -> Path:
    page = tmp_path / name
    page.write_text(text, encoding="utf-8")
    return page


def test_passing_page_exits_0_with_summary(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        f'{F}console test="run"\n$ echo hi\nhi\n{F}\n\n{F}text test="skip" reason="r"\nx\n{F}\n',
    )
    res = cli(str(page))
    assert res.exit_code == 0
    assert res.output.splitlines()[-1] == "snippets: 1 passed, 0 failed, 1 skipped (0 from cache)"
    again = cli(str(page))
    assert again.output.splitlines()[-1] == (
        "snippets: 1 passed, 0 failed, 1 skipped (1 from cache)"
    )
    forced = cli("--no-cache", "-j", "1", str(page))
    assert forced.output.splitlines()[-1].endswith("(0 from cache)")


def test_failure_report_names_path_line_kind_session_diff(tmp_path: Path) -> None:
    page = write(
        tmp_path, f'# T\n\n{F}console test="run" session="demo"\n$ echo actual\nexpected\n{F}\n'
    )
    res = cli(str(page))
    assert res.exit_code == 1
    lines = res.output.splitlines()
    assert lines[0] == (
        f'{page}:3: console block (session "demo") failed: `echo actual` printed different '
        f"output; if the new output is right, run: python -m hooks snippets --update {page}"
    )
    assert "    -expected" in lines and "    +actual" in lines
    assert lines[-1] == "snippets: 0 passed, 1 failed, 0 skipped (0 from cache)"


def test_python_failure_shows_exception_and_stderr(tmp_path: Path) -> None:
    code = 'import sys\nprint("progress")\nprint("diagnostic", file=sys.stderr)\n{}["k"]'
    page = write(tmp_path, f'{F}python test="run"\n{code}\n{F}\n')
    res = cli(str(page))
    assert res.exit_code == 1
    assert f'{page}:1: python block (session "default") failed: an exception escaped' in res.output
    assert "    KeyError: 'k'" in res.output
    assert "    output (last lines):\n      progress\n" in res.output
    assert "    stderr (last lines):\n      diagnostic" in res.output


def test_option_error_fails_the_run(tmp_path: Path) -> None:
    page = write(tmp_path, f'{F}python test="maybe"\nx\n{F}\n')
    res = cli(str(page))
    assert res.exit_code == 1
    assert res.output.splitlines() == [
        f'{page}:1: unknown test value "maybe" (use "run", "check" or "skip")',
        "snippets: 0 passed, 1 failed, 0 skipped (0 from cache)",
    ]


def test_folders_are_searched(tmp_path: Path) -> None:
    write(tmp_path, f'{F}python test="run"\npass\n{F}\n', "a.md")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", f'{F}python test="run"\npass\n{F}\n', "b.md")
    res = cli(str(tmp_path))
    assert res.output.splitlines()[-1].startswith("snippets: 2 passed")


UPDATE_BEFORE = f"""---
title: T
---

Keep this paragraph.

{F}console test="run" session="u"
$ echo one; echo two
one
old
$ echo 'id-42'
id-[0-9]+ (re)
$ sh -c 'echo bye; exit 3'
{F}

  {F}pycon test="run"
  >>> 6 * 7
  41
  >>> "same"
  'same'
  {F}

{F}python test="run"
x = 1
{F}
"""
UPDATE_AFTER = f"""---
title: T
---

Keep this paragraph.

{F}console test="run" session="u"
$ echo one; echo two
one
two
$ echo 'id-42'
id-[0-9]+ (re)
$ sh -c 'echo bye; exit 3'
bye
[3]
{F}

  {F}pycon test="run"
  >>> 6 * 7
  42
  >>> "same"
  'same'
  {F}

{F}python test="run"
x = 1
{F}
"""


def test_update_round_trip(tmp_path: Path) -> None:
    page = write(tmp_path, UPDATE_BEFORE)
    res = cli("--update", str(page))
    assert f"updated {page}:7" in res.output and f"updated {page}:16" in res.output
    assert res.exit_code == 0
    assert page.read_text() == UPDATE_AFTER
    second = cli(str(page))
    assert second.exit_code == 0
    assert second.output.splitlines()[-1].startswith("snippets: 3 passed, 0 failed")
    # a second --update changes nothing
    cli("--update", str(page))
    assert page.read_text() == UPDATE_AFTER


def test_update_leaves_other_failures_alone(tmp_path: Path) -> None:
    text = f'{F}python test="run"\nraise ValueError\n{F}\n'
    page = write(tmp_path, text)
    res = cli("--update", str(page))
    assert res.exit_code == 1
    assert page.read_text() == text


@pytest.mark.parametrize("args", [["--help"], []])
def test_python_dash_m_hooks_snippets(args: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "hooks", "snippets", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if args:
        assert proc.returncode == 0 and "--update" in proc.stdout and "--no-cache" in proc.stdout
    else:
        assert proc.returncode == 2 and "Missing argument 'PATHS...'" in proc.stderr
