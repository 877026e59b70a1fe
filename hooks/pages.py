"""Where a page's Markdown sits in its source file, so messages can name the real line.

MkDocs hands hooks ``page.markdown`` with the YAML front matter removed; every capability that
reports ``path:line`` adds the offset computed here. Transformations of ``page.markdown`` must
keep the number of lines unchanged so later steps still map lines correctly.
"""

from __future__ import annotations

import re
from pathlib import Path

# The same pattern MkDocs (mkdocs.utils.meta) uses to split YAML front matter off.
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)
_FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})")


def markdown_line_offset(source: str) -> int:
    """Number of source lines before the Markdown body (0 when there is no front matter).

    MkDocs (``mkdocs.utils.meta.get_data``) removes the front matter and then the blank lines
    right after it (``lstrip("\\n")``); both count.
    """
    m = _FRONT_MATTER.match(source)
    if not m:
        return 0
    rest = source[m.end() :]
    return m.group(0).count("\n") + (len(rest) - len(rest.lstrip("\n")))


def source_path(abs_src_path: str | None, src_uri: str) -> str:
    """The page's path relative to the project root (``docs/...``), for messages."""
    from hooks.errors import display_path

    return display_path(abs_src_path) if abs_src_path else f"docs/{src_uri}"


def read_offset(abs_src_path: str | None) -> int:
    if not abs_src_path:
        return 0
    return markdown_line_offset(Path(abs_src_path).read_text(encoding="utf-8-sig"))


def outside_fences(lines: list[str]) -> list[bool]:
    """For each line, whether it is Markdown text (not inside a fenced code block)."""
    result = []
    fence = ""
    for line in lines:
        m = _FENCE.match(line)
        if fence:
            result.append(False)
            closing = m is not None and m.group("fence")[0] == fence[0]
            if closing and len(m.group("fence")) >= len(fence) and not line.strip().strip(fence[0]):
                fence = ""
        elif m:
            fence = m.group("fence")
            result.append(False)
        else:
            result.append(True)
    return result
