"""A post's full HTML as a feed reader gets it: absolute links, no scripts, no theme machinery.

Feed readers show ``content:encoded`` out of context: no stylesheet, no scripts, no base URL
they agree on. So the page's rendered content (MkDocs' ``page.content``, after every hook) is
reduced to plain, self-contained HTML:

* every ``href``/``src``/``data`` is absolute (lxml's ``make_links_absolute`` against the post's
  URL), and a ``javascript:`` link loses its ``href``;
* a diagram is its light SVG as one ``<img>`` (the dark twin and the zoom link go);
* a tested-block badge is a plain-text line ("Tested at build:") before its block;
* a flame graph's interactive frame (``<iframe>``) becomes a link to its SVG, named by the
  frame's title (the embed's alt text);
* code blocks are plain text (no highlighting spans or line anchors);
* scripts, styles, forms, buttons, permalink anchors, line-number anchors, event handlers and
  theme attributes (``class``, ``style``, ``data-*``) are removed.

Pure function of the HTML and the URL: the same post gives the same bytes.
"""

from __future__ import annotations

import lxml.html
from lxml import etree

#: Elements removed with everything inside them.
DROPPED = ("script", "style", "noscript", "template", "form", "button", "input", "textarea")
#: Attributes a feed reader has no use for (and some sanitize away noisily).
DROPPED_ATTRIBUTES = ("class", "style", "id", "name", "tabindex", "loading", "decoding")


def _drop(el: lxml.html.HtmlElement) -> None:
    """Remove ``el`` and its children, keeping the text that follows it."""
    el.drop_tree()


def _unwrap(el: lxml.html.HtmlElement) -> None:
    """Replace ``el`` by its children and text."""
    el.drop_tag()


def _classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").split())


def _plain_code(root: lxml.html.HtmlElement) -> None:
    """Code blocks as plain text: a feed reader has no Pygments stylesheet, and the token and
    line spans are most of a post's elements (flattening them first makes every later pass
    cheap)."""
    for code in root.xpath("//pre/code"):
        text = code.text_content()
        for child in list(code):
            code.remove(child)
        code.text = text
        pre = code.getparent()
        for sibling in list(pre):
            if sibling is not code:
                pre.remove(sibling)


def _diagrams(root: lxml.html.HtmlElement) -> None:
    for dark in root.xpath('//a[contains(concat(" ", @class, " "), " cl-diagram-dark ")]'):
        _drop(dark)
    for light in root.xpath('//a[contains(concat(" ", @class, " "), " cl-diagram-light ")]'):
        _unwrap(light)  # the zoom link: the image itself stays
    for img in root.iter("img"):
        src = img.get("src") or ""
        if src.endswith(("#only-light", "#only-dark")):
            img.set("src", src.rsplit("#", 1)[0])


def _badges(root: lxml.html.HtmlElement) -> None:
    # a <span>, or a link to the About page's explanation with the detail in its title
    for badge in root.xpath('//*[contains(concat(" ", @class, " "), " cl-badge ")]'):
        label = (badge.text_content() or "").strip()
        para = lxml.html.Element("p")
        para.text = f"{label[:1].upper()}{label[1:]}:" if label else ""
        para.tail = badge.tail
        badge.getparent().replace(badge, para)


def _flame_graphs(root: lxml.html.HtmlElement) -> None:
    for frame in list(root.iter("iframe")):
        src = frame.get("src")
        if not src:
            _drop(frame)
            continue
        link = lxml.html.Element("a", href=src)
        link.text = (frame.get("title") or "").strip() or "The flame graph"
        link.tail = frame.tail
        frame.getparent().replace(frame, link)


def _theme_leftovers(root: lxml.html.HtmlElement) -> None:
    for el in list(root.iter(*DROPPED)):
        _drop(el)
    for anchor in list(root.iter("a")):
        classes = _classes(anchor)
        href = anchor.get("href") or ""
        if "headerlink" in classes or (href.startswith("#__codelineno") and not anchor.text):
            _drop(anchor)
        elif href.strip().lower().startswith(("javascript:", "vbscript:", "data:")):
            del anchor.attrib["href"]
    for label in list(root.iter("label")):
        _unwrap(label)  # tab labels become text before their panel
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in list(el.attrib):
            if attr in DROPPED_ATTRIBUTES or attr.startswith(("on", "data-", "aria-")):
                del el.attrib[attr]


def feed_html(content: str, url: str) -> str:
    """``content`` (a page's rendered HTML) as standalone HTML for a feed item at ``url``."""
    if not content.strip():
        return ""
    root = lxml.html.fragment_fromstring(content, create_parent="div")
    for comment in root.xpath("//comment()"):
        comment.drop_tree()
    _plain_code(root)
    _diagrams(root)
    _badges(root)
    _flame_graphs(root)
    _theme_leftovers(root)
    root.make_links_absolute(url, resolve_base_href=False)
    # any srcset was made absolute by lxml too
    parts = [root.text or ""] + [
        lxml.html.tostring(child, encoding="unicode", method="html") for child in root
    ]
    return "".join(parts).strip()
