"""Excerpts converted from the cut Markdown are the excerpts of the whole post (hooks/excerpts.py).

Material's blog plugin converts a post's whole Markdown and cuts the HTML at the separator; the
build now hands it only what the excerpt needs. These tests convert both ways with the site's
own Markdown extensions and compare what the plugin keeps: the HTML before the separator, and
whether anything follows it (the view's "Read more").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown import Markdown
from mkdocs.config import load_config

from hooks import PROJECT_ROOT
from hooks.excerpts import REST, cut_markdown, definitions
from hooks.pages import markdown_line_offset

SEPARATOR = "<!-- more -->"
POSTS = sorted((PROJECT_ROOT / "docs" / "blog" / "posts").glob("*.md"))


@pytest.fixture(scope="module")
def convert():
    config = load_config(str(PROJECT_ROOT / "mkdocs.yml"))

    def run(markdown: str) -> tuple[str, bool]:
        md = Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
        head, *more = md.convert(markdown).split(SEPARATOR, 1)
        return head, bool(more and more[0].strip())

    return run


def _body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return "\n".join(text.split("\n")[markdown_line_offset(text) :])


@pytest.mark.parametrize("post", POSTS, ids=lambda p: p.stem)
def test_every_post_has_the_same_excerpt_from_the_cut(convert, post: Path) -> None:
    whole = _body(post)
    cut = cut_markdown(whole, SEPARATOR)
    assert len(cut) < len(whole) / 4, "the cut should drop the body of the post"
    assert convert(cut) == convert(whole)


#: An excerpt leaning on everything a post may define below its separator.
LEANING = f"""\
Kubernetes[^why] runs a *[CRD]*-driven [control loop][loop] and a [second one][].

{SEPARATOR}

## The rest

```text
[loop]: https://fenced.example/not-a-definition
```

Body text with a [loop] link.

[loop]: https://example.org/loop "The loop"
[second one]:
    https://example.org/second

[^first]: Defined first, so it is footnote 1.
[^why]: Footnotes are numbered in the order they are defined.

    A second paragraph of the footnote.

*[CRD]: CustomResourceDefinition
"""


def test_references_footnotes_and_abbreviations_defined_below_still_resolve(convert) -> None:
    cut = cut_markdown(LEANING, SEPARATOR)
    head, more = convert(cut)
    assert (head, more) == convert(LEANING)
    assert 'href="https://example.org/loop"' in head and 'title="The loop"' in head
    assert 'href="https://example.org/second"' in head
    assert '<abbr title="CustomResourceDefinition">CRD</abbr>' in head
    assert ">2</a></sup>" in head  # numbered as in the whole post
    assert "fenced.example" not in cut  # a definition-like line in code defines nothing
    assert more


def test_a_post_without_more_keeps_no_read_more(convert) -> None:
    for markdown in ("Only an excerpt.\n", f"Only an excerpt.\n\n{SEPARATOR}\n", "No separator."):
        assert cut_markdown(markdown, SEPARATOR) == markdown
        assert convert(markdown)[1] is False


def test_the_rest_is_a_comment_and_the_definitions_follow_it() -> None:
    cut = cut_markdown(LEANING, SEPARATOR)
    head, _, tail = cut.partition(SEPARATOR)
    assert head == LEANING.partition(SEPARATOR)[0]
    assert tail.lstrip("\n").startswith(REST)
    assert "Body text" not in tail and "## The rest" not in tail
    assert definitions("No definitions here.\n\nNone.\n") == ""


def test_a_separator_shown_in_code_is_not_where_the_excerpt_ends(convert) -> None:
    """The plugin cuts at the first separator *comment*; one inside code is text."""
    shown = (
        "Mark the excerpt's end like this:\n\n```markdown\n{SEPARATOR}\n```\n\n"
        "Or inline: `{SEPARATOR}`.\n\n{SEPARATOR}\n\nThe rest.\n"
    ).replace("{SEPARATOR}", SEPARATOR)
    assert cut_markdown(shown, SEPARATOR) == shown  # converted whole, as the plugin does
    inline = f"Inline `{SEPARATOR}` first.\n\n{SEPARATOR}\n\nThe rest.\n"
    assert cut_markdown(inline, SEPARATOR) == inline
    head, more = convert(shown)
    assert "The rest." not in head and more  # the plugin ends the excerpt at the real one
