"""Finding tested blocks and checking their options: exact ``path:line`` messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooks.snippetkit.discover import parse_file, split_source
from hooks.snippetkit.parse import parse_page

F = "```"
P = "docs/blog/posts/p.md"

ERRORS = [
    (
        "unknown test value",
        f'intro\n\n{F}python test="rnu"\nx\n{F}\n',
        f'{P}:3: unknown test value "rnu" (use "run", "check" or "skip")',
    ),
    (
        "unknown option",
        f'{F}python test="run" sessoin="a"\nx\n{F}\n',
        f"{P}:1: unknown option `sessoin` (known: test, session, file, requires, timeout, reason, "
        "title, hl_lines, linenums)",
    ),
    (
        "skip without reason",
        f'{F}text test="skip"\nx\n{F}\n',
        f'{P}:1: test="skip" needs reason="..." saying why the block is not run',
    ),
    (
        "skip with blank reason",
        f'{F}text test="skip" reason=" "\nx\n{F}\n',
        f'{P}:1: test="skip" needs reason="..." saying why the block is not run',
    ),
    (
        "unterminated tested fence",
        f'text\n{F}console test="run"\n$ echo\n',
        f"{P}:2: unterminated code fence `{F}`; close the block with `{F}` on a line of its own",
    ),
    (
        "unterminated plain fence swallowing a tested one",
        f'{F}text\nplain\n\n{F}python test="run"\nx = 1\n',
        f"{P}:1: unterminated code fence `{F}`; close it with the same fence; it swallows the "
        "tested blocks below",
    ),
    (
        "our option without test",
        f'{F}python session="a"\nx\n{F}\n',
        f'{P}:1: option `session` without test="..."; add test="run", test="check" or test="skip"',
    ),
    (
        "bad timeout",
        f'{F}python test="run" timeout="soon"\nx\n{F}\n',
        f'{P}:1: timeout="soon" is not a positive number of seconds',
    ),
    (
        "zero timeout",
        f'{F}python test="run" timeout="0"\nx\n{F}\n',
        f'{P}:1: timeout="0" is not a positive number of seconds',
    ),
    (
        "file outside the session folder",
        f'{F}yaml test="check" file="../x.yaml"\na: 1\n{F}\n',
        f'{P}:1: file="../x.yaml" must be a relative path inside the session folder',
    ),
    (
        "absolute file",
        f'{F}yaml test="check" file="/etc/x"\na: 1\n{F}\n',
        f'{P}:1: file="/etc/x" must be a relative path inside the session folder',
    ),
    (
        "cannot run yaml",
        f'{F}yaml test="run"\na: 1\n{F}\n',
        f'{P}:1: cannot run `yaml` blocks (test="run" knows: bash, console, py, pycon, python, '
        'python3, sh, shell, shell-session); use test="check", or file="..." to write it',
    ),
    (
        "cannot check text",
        f'{F}text test="check"\na\n{F}\n',
        f'{P}:1: cannot check `text` blocks (test="check" knows: bash, console, dockerfile, '
        "go, python, sh, yaml)",
    ),
    (
        "no language",
        f'{F} test="run"\nx\n{F}\n',
        f"{P}:1: a tested block needs a language after the fence",
    ),
    (
        "brace form",
        f'{F} {{ .python test="run" }}\nx\n{F}\n',
        f'{P}:1: write the options as {F}lang test="run" ...{F}, not in braces',
    ),
    (
        "bad session name",
        f'{F}python test="run" session="a b"\nx\n{F}\n',
        f'{P}:1: session="a b" may only use letters, digits, ".", "_" and "-"',
    ),
    (
        "tested block in a block quote",
        f'> {F}python test="run"\n> x\n> {F}\n',
        f"{P}:1: a tested block cannot sit in a block quote; move it out of the quote, or drop "
        "test=",
    ),
    (
        "unreadable options",
        f'{F}python test="run" oops"\nx\n{F}\n',
        f'{P}:1: cannot read the options after `python`: `test="run" oops"`',
    ),
]


@pytest.mark.parametrize(
    ("markdown", "message"), [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS]
)
def test_option_errors(markdown: str, message: str) -> None:
    page = parse_page(markdown, P)
    assert [str(e) for e in page.errors] == [message]
    assert page.blocks == []


def test_error_lines_count_front_matter_and_blank_lines(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text(f'---\ntitle: T\n---\n\n\n# T\n\n{F}python test="nope"\nx\n{F}\n')
    (err,) = parse_file(post).errors
    assert err.line == 8  # the fence is on line 8 of the file on disk
    assert str(err).endswith(':8: unknown test value "nope" (use "run", "check" or "skip")')


def test_split_source_matches_mkdocs() -> None:
    from mkdocs.utils.meta import get_data

    source = "---\ntitle: T\n---\n\n\nBody\n```x\n```\n"
    offset, body = split_source(source)
    assert body == get_data(source)[0]
    assert offset == 5


KINDS = [
    ("python", "run", "python"),
    ("py", "run", "python"),
    ("pycon", "run", "pycon"),
    ("console", "run", "console"),
    ("bash", "run", "shell"),
    ("sh", "run", "shell"),
    ("yaml", "check", "check"),
    ("dockerfile", "check", "check"),
    ("text", "skip", "skip"),
]


@pytest.mark.parametrize(("lang", "test", "kind"), KINDS)
def test_kinds(lang: str, test: str, kind: str) -> None:
    extra = ' reason="r"' if test == "skip" else ""
    (block,) = parse_page(f'{F}{lang} test="{test}"{extra}\nx\n{F}\n', P).blocks
    assert (block.kind, block.test, block.lang) == (kind, test, lang)


def test_block_fields_sessions_and_order() -> None:
    md = (
        "Intro\n\n"
        f'{F}python test="run" session="s" timeout="60" title="a.py"\nx = 1\n{F}\n\n'
        f"{F}python\nnot tested\n{F}\n\n"
        f'~~~~console test="run" requires=\'docker kind\' file="run.sh"\n$ echo ~~~\n~~~~\n'
    )
    a, b = parse_page(md, P, line_offset=4).blocks
    assert (a.id, a.session, a.timeout, a.text) == (f"{P}:7", "s", 60.0, "x = 1\n")
    assert "title" not in a.options  # passes through to the renderer, not ours
    assert (b.id, b.session, b.requires, b.file) == (
        f"{P}:15",
        "default",
        ("docker", "kind"),
        "run.sh",
    )
    assert b.text == "$ echo ~~~\n" and b.timeout == 30.0


def test_nested_fences_and_indentation() -> None:
    md = (
        f'{F}{F[0]}markdown\n{F}python test="run"\nexample only\n{F}\n{F}{F[0]}\n\n'
        f'- item\n\n    {F}python test="run"\n    if True:\n        x = 1\n    {F}\n'
    )
    (block,) = parse_page(md, P).blocks
    assert block.line == 9
    assert block.text == "if True:\n    x = 1\n"
    assert block.indent == "    "


def test_plain_fences_are_ignored() -> None:
    page = parse_page(f'{F}python title="x"\nx\n{F}\n\n{F}\n{F}\n', P)
    assert page.blocks == [] and page.errors == []


def test_check_languages_are_the_validators() -> None:
    from hooks.snippetkit.parse import CHECK_LANGS
    from hooks.validators import SUPPORTED

    assert CHECK_LANGS == SUPPORTED
