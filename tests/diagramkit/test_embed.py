"""The Markdown embed form -> one line of HTML, or a reported error and a visible placeholder."""

from __future__ import annotations

import markdown
from bs4 import BeautifulSoup

from hooks.diagramkit.embed import Figure, transform
from hooks.errors import SourceError

FIG = Figure("../assets/diagrams/x-light.svg", "../assets/diagrams/x-dark.svg", 640, 480, 900)
FAILED = SourceError("diagrams_src/broken.py", 7, "NameError: name 'Pd' is not defined")


def _run(markdown: str, offset: int = 3):
    errors: list[SourceError] = []
    known = {"x": FIG, "broken": FAILED}
    out = transform(
        markdown,
        page="docs/blog/posts/p.md",
        offset=offset,
        lookup=known.get,
        known=known,
        report=errors.append,
    )
    return out, errors


def _html(markdown_text: str) -> BeautifulSoup:
    """What the site's Markdown (attr_list + md_in_html, both in mkdocs.yml) makes of it."""
    md = markdown.Markdown(extensions=["attr_list", "md_in_html"])
    return BeautifulSoup(md.convert(markdown_text), "html.parser")


def test_embed_becomes_a_figure_with_both_variants_on_one_line():
    md = 'Intro.\n\n![Pods behind a Service](diagram:x "How traffic flows")\n\nMore.'
    out, errors = _run(md)
    assert errors == []
    lines = out.split("\n")
    assert len(lines) == len(md.split("\n"))
    assert lines[:2] == ["Intro.", ""] and lines[3:] == ["", "More."]
    assert lines[2].startswith('<figure class="cl-diagram" data-diagram="x" markdown="span">')
    page = _html(out)
    assert [p.get_text() for p in page.find_all("p")] == ["Intro.", "More."]
    fig = page.figure
    assert fig["class"] == ["cl-diagram"] and fig["data-diagram"] == "x"
    light, dark = fig.find_all("a")
    assert light["href"] == "../assets/diagrams/x-light.svg#only-light"
    assert dark["href"] == "../assets/diagrams/x-dark.svg#only-dark"
    for link, scheme in ((light, "light"), (dark, "dark")):
        assert link["class"] == ["cl-zoom-link", f"cl-diagram-{scheme}"]  # zoom: this variant
        assert link["data-legible-width"] == "900"
        img = link.img
        assert img["src"] == link["href"]
        assert img["alt"] == "Pods behind a Service"
        assert (img["width"], img["height"]) == ("640", "480")
    assert fig.figcaption.get_text() == "How traffic flows"


def test_caption_is_optional_and_text_is_escaped():
    out, errors = _run('![A <b>bold</b> "claim" [sic] \\o/](diagram:x)')
    assert errors == []
    fig = _html(out).figure
    assert fig.figcaption is None
    assert [img["alt"] for img in fig.find_all("img")] == ['A <b>bold</b> "claim" [sic] \\o/'] * 2
    out, _ = _run("![Alt](diagram:x \"A <i>caption</i> with `code` & 'quotes'\")")
    fig = _html(out).figure
    assert fig.figcaption.get_text() == "A <i>caption</i> with code & 'quotes'"
    assert fig.figcaption.code.get_text() == "code"


def test_indentation_is_kept_for_lists_and_admonitions():
    out, _ = _run('!!! note\n    ![Alt](diagram:x "c")')
    assert out.split("\n")[1].startswith('    <figure class="cl-diagram"')


def test_missing_alt_text_is_reported_at_the_source_line():
    out, errors = _run("# Title\n\n![](diagram:x)\n", offset=5)
    assert [str(e) for e in errors] == [
        "docs/blog/posts/p.md:8: diagram 'x' has no alt text; "
        "describe what it shows: ![What the picture shows](diagram:x)"
    ]
    assert 'class="admonition failure cl-diagram-error"' in out.split("\n")[2]
    assert "has no alt text" in out


def test_unknown_diagram_suggests_a_close_name():
    out, errors = _run("![Alt](diagram:y)\n![Alt](diagram:brokn)", offset=0)
    assert [str(e) for e in errors] == [
        "docs/blog/posts/p.md:1: unknown diagram 'y': no diagrams_src/y.py; "
        "add diagrams_src/y.py (see CONTRIBUTING.md, section Diagrams)",
        "docs/blog/posts/p.md:2: unknown diagram 'brokn': no diagrams_src/brokn.py; "
        "did you mean 'broken'?",
    ]
    assert out.count("cl-diagram-error") == 2


def test_failed_script_shows_its_error_and_is_not_reported_twice():
    out, errors = _run("![Alt](diagram:broken)")
    assert errors == []  # reported once, where the script was rendered
    assert "diagrams_src/broken.py:7: NameError: name &#x27;Pd&#x27; is not defined" in out
    assert "cl-diagram-error" in out


def test_fenced_code_and_code_spans_are_left_alone():
    md = (
        "Write `![Alt](diagram:name)` on its own line:\n\n"
        "```markdown\n![Alt](diagram:nope)\n```\n\n"
        "~~~~\n```\n![](diagram:nope)\n~~~~\n"
    )
    out, errors = _run(md)
    assert errors == []
    assert out == md


def test_embed_inside_a_sentence_is_an_error():
    _, errors = _run("See ![Alt](diagram:x) here.", offset=0)
    assert [str(e) for e in errors] == [
        "docs/blog/posts/p.md:1: a diagram embed must stand on a line of its own; "
        'write ![Alt text](diagram:name "Caption") alone on its line'
    ]
