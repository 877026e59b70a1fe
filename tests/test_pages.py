"""Line offsets between a page's source file and the ``page.markdown`` MkDocs hands to hooks."""

from __future__ import annotations

import pytest
from mkdocs.utils.meta import get_data

from hooks.pages import markdown_line_offset

CASES = {
    "no front matter": "# Title\n\ntext\n",
    "front matter": "---\ntitle: x\n---\n# Title\n",
    "blank lines after front matter": "---\ntitle: x\n---\n\n\n# Title\ntext\n",
    "dots closing": "---\ntitle: x\n...\n\n# Title\n",
}


@pytest.mark.parametrize("source", CASES.values(), ids=CASES)
def test_offset_matches_what_mkdocs_strips(source: str) -> None:
    body, _ = get_data(source)
    offset = markdown_line_offset(source)
    assert source.splitlines()[offset:] == body.splitlines()
