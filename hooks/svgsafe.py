"""The allow-list every published SVG passes: diagrams and flame graphs, on render and cache read.

An SVG is a document that can run script: opened by its URL (every diagram is a link to its own
file, every flame graph a frame on the site's origin), a processing instruction
(``<?xml-stylesheet type="text/xsl"?>``), an animation (``<set attributeName="href"
to="javascript:...">``), an event attribute, a ``foreignObject`` or an external reference can do
what a ``<script>`` does. A deny-list of those misses the next trick, so this module names what
the site's own SVGs are made of (what Graphviz, ``hooks/diagramkit/svgpost.py`` and
``hooks/flame/draw.py`` emit) and refuses everything else:

* the document: UTF-8, an optional ``<?xml version="1.0" encoding="UTF-8"?>`` declaration, then
  one ``<svg>`` root; no DOCTYPE, entity, processing instruction or comment anywhere;
* elements: the SVG namespace only, the names in ``ELEMENTS`` (no ``script``, ``style``,
  ``foreignObject``, ``set``/``animate*``, ``iframe``...);
* attributes: the names in ``ATTRIBUTES`` (no namespace, or ``xlink:href``/``xlink:title``/
  ``xml:space``) plus ``data-*``; never an ``on*`` event attribute;
* references: ``href`` only on ``use``/``image``/``a``, and only to an id in the same document
  or (``image``) to ``data:image/png|jpeg|gif|webp;base64,...`` whose base64 decodes strictly
  and whose bytes start with that format's magic number (WebP: ``RIFF``, a size, ``WEBP``);
  ``url(...)`` in presentation attributes and ``style`` only as ``url(#id)``; no CSS escapes,
  ``@import`` or ``expression``;
* trusted blocks: a ``<script>`` or ``<style>`` element is allowed only when the caller names
  its exact text (the flame graph's ``flame.js`` and ``flame.css``, shipped by this repository
  and inserted by the host, never by sandboxed code), it has no attribute and no child element.

``check`` raises ``UnsafeSVG`` with the first reason; ``reason`` returns it or None. The check
does not rewrite: what is published is byte for byte what was checked.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: ``lxml.etree``, imported by the first full check (``_lxml``): a warm build, whose verdicts
#: are all remembered (``reason``), never imports lxml for this module.
etree: Any = None

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

#: Elements Graphviz, svgpost (icons, dark filter) and the flame drawing emit.
ELEMENTS = frozenset(
    {
        "svg",
        "g",
        "title",
        "desc",
        "defs",
        "symbol",
        "use",
        "image",
        "a",
        "path",
        "polygon",
        "polyline",
        "ellipse",
        "circle",
        "rect",
        "line",
        "text",
        "tspan",
        "linearGradient",
        "radialGradient",
        "stop",
        "filter",
        "feColorMatrix",
    }
)
#: Allowed only with a text the caller trusts (see ``Trusted``).
BLOCKS = frozenset({"script", "style"})

#: Attributes without a namespace (geometry, presentation, text, accessibility).
ATTRIBUTES = frozenset(
    {
        "id",
        "class",
        "version",
        "width",
        "height",
        "viewBox",
        "preserveAspectRatio",
        "transform",
        "x",
        "y",
        "dx",
        "dy",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "fx",
        "fy",
        "d",
        "points",
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-dasharray",
        "stroke-opacity",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "opacity",
        "visibility",
        "style",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "text-anchor",
        "text-decoration",
        "baseline-shift",
        "dominant-baseline",
        "offset",
        "stop-color",
        "stop-opacity",
        "gradientUnits",
        "gradientTransform",
        "filter",
        "color-interpolation-filters",
        "type",
        "values",
        "href",
        "target",
        "role",
        "tabindex",
        "aria-label",
        "aria-labelledby",
        "aria-hidden",
    }
)
_XLINK_ATTRIBUTES = frozenset({"href", "title"})
_XML_ATTRIBUTES = frozenset({"space"})
_DATA_ATTRIBUTE = re.compile(r"^data-[a-z][a-z0-9-]*$")

#: Elements whose ``href`` may point somewhere (always inside the document, or image data).
_LINKING = frozenset({"use", "image", "a"})
_LOCAL_REF = re.compile(r"^#[A-Za-z_][\w.:-]*$")
_DATA_URL = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,([A-Za-z0-9+/]*={0,2})$")
_MAGIC = {
    "png": re.compile(rb"\A\x89PNG\r\n\x1a\n"),
    "jpeg": re.compile(rb"\A\xff\xd8\xff"),
    "gif": re.compile(rb"\AGIF8[79]a"),
    "webp": re.compile(rb"\ARIFF....WEBP", re.DOTALL),  # the RIFF size, then the form type
}
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
#: CSS that can load or run something whatever the allow-list says.
_CSS_DANGER = re.compile(r"\\|@import|expression\s*\(|javascript:|<", re.IGNORECASE)
#: Presentation attributes where CSS ``url(...)`` is meaningful.
_URL_ATTRIBUTES = frozenset({"style", "fill", "stroke", "filter"})
#: The only documents prologue allowed before ``<svg``.
_PROLOGUES = ('<?xml version="1.0" encoding="UTF-8"?>\n', "")

#: Numbers only (feColorMatrix ``values``: an attribute animations would treat as a URL list).
_NUMBERS = re.compile(r"^[\s,0-9eE.+-]*$")


class UnsafeSVG(Exception):
    """The SVG is not made only of what the site's own SVGs are made of."""


@dataclass(frozen=True)
class Trusted:
    """Exact texts of the ``<script>``/``<style>`` blocks the host inserts (diagrams: none)."""

    scripts: frozenset[str] = frozenset()
    styles: frozenset[str] = frozenset()

    @classmethod
    def of(cls, scripts: Iterable[str] = (), styles: Iterable[str] = ()) -> Trusted:
        return cls(frozenset(scripts), frozenset(styles))


NOTHING = Trusted()


@functools.cache
def _lxml() -> Any:
    """lxml's parser (and ``etree`` set), made on the first full check."""
    global etree
    from lxml import etree as module

    etree = module
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
        remove_blank_text=False,
    )


def _check_prologue(svg: str) -> None:
    if svg.startswith("\ufeff"):
        raise UnsafeSVG("a byte-order mark before the document")
    for prologue in _PROLOGUES:
        if svg.startswith(prologue + "<svg"):
            return
    head = svg[:60].split("\n", 1)[0]
    raise UnsafeSVG(f"the document must start with <svg (or the UTF-8 XML declaration): {head!r}")


def _check_data_url(value: str) -> None:
    m = _DATA_URL.match(value)
    if m is None:
        raise UnsafeSVG(f"image data {value[:40]!r}... is not base64 PNG, JPEG, GIF or WebP")
    kind, payload = m.groups()
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise UnsafeSVG(f"image data of type image/{kind} is not valid base64") from None
    if not _MAGIC[kind].match(data):
        raise UnsafeSVG(f"image data declared image/{kind} does not hold a {kind.upper()} image")


def _check_css(value: str, where: str) -> None:
    if _CSS_DANGER.search(value):
        raise UnsafeSVG(f"{where}: {value[:60]!r} uses CSS escapes, @import or script")
    for m in _URL.finditer(value):
        if not _LOCAL_REF.match(m.group(2)):
            raise UnsafeSVG(f"{where}: url({m.group(2)[:60]!r}) is not a reference inside the SVG")
    if re.search(r"url\s*\(", value, re.IGNORECASE) and not _URL.search(value):
        raise UnsafeSVG(f"{where}: malformed url(...)")


def _attribute_name(name: str) -> str:
    """The attribute as written (``xlink:href``); raises for namespaces or names not allowed."""
    q = etree.QName(name)
    local = q.localname
    if q.namespace is None:
        if local in ATTRIBUTES or _DATA_ATTRIBUTE.match(local):
            return local
    elif q.namespace == XLINK_NS and local in _XLINK_ATTRIBUTES:
        return f"xlink:{local}"
    elif q.namespace == XML_NS and local in _XML_ATTRIBUTES:
        return f"xml:{local}"
    shown = f"{{{q.namespace}}}{local}" if q.namespace else local
    if local.lower().startswith("on"):
        raise UnsafeSVG(f"event attribute {shown!r} is not allowed")
    raise UnsafeSVG(f"attribute {shown!r} is not allowed")


def _check_element(el: etree._Element, ids: set[str], trusted: Trusted) -> None:
    q = etree.QName(el)
    tag = q.localname
    if q.namespace != SVG_NS:
        raise UnsafeSVG(f"element {el.tag!r} is not in the SVG namespace")
    if tag in BLOCKS:
        texts = trusted.scripts if tag == "script" else trusted.styles
        if el.attrib or len(el) or (el.text or "") not in texts:
            raise UnsafeSVG(f"<{tag}> is not allowed (only the host's own, unchanged)")
        return
    if tag not in ELEMENTS:
        raise UnsafeSVG(f"<{tag}> is not allowed")
    for name, value in el.attrib.items():
        shown = _attribute_name(name)
        where = f"<{tag} {shown}>"
        if shown in ("href", "xlink:href"):
            if tag not in _LINKING:
                raise UnsafeSVG(f"{where} is not allowed")
            if value.startswith("#"):
                if not _LOCAL_REF.match(value) or value[1:] not in ids:
                    raise UnsafeSVG(f"{where}: {value[:60]!r} names no element of the SVG")
            elif tag == "image" and value.startswith("data:"):
                _check_data_url(value)
            else:
                raise UnsafeSVG(f"{where}: reference {value[:60]!r} is not allowed")
        elif shown in _URL_ATTRIBUTES:
            _check_css(value, where)
        elif shown == "values" and not _NUMBERS.match(value):
            raise UnsafeSVG(f"{where}: {value[:60]!r} is not a list of numbers")
        elif shown == "target" and value not in ("_self", "_top", "_parent", "_blank"):
            raise UnsafeSVG(f"{where}: {value[:60]!r} is not allowed")


def check(svg: str, trusted: Trusted = NOTHING) -> None:
    """Raise ``UnsafeSVG`` unless ``svg`` is made only of allowed parts (see the module doc)."""
    if not isinstance(svg, str):
        raise UnsafeSVG("the SVG is not text")
    _check_prologue(svg)
    try:
        parser = _lxml()
        root = etree.fromstring(svg.encode("utf-8"), parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise UnsafeSVG(f"not well-formed XML ({exc})") from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise UnsafeSVG("a DOCTYPE is not allowed")
    if root.getprevious() is not None or root.getnext() is not None:
        raise UnsafeSVG("processing instructions and comments are not allowed")
    if root.tag != f"{{{SVG_NS}}}svg":
        raise UnsafeSVG("the document is not an SVG")
    ids = {v for v in root.xpath("//@id")}
    for el in root.iter():
        if isinstance(el, etree._ProcessingInstruction):
            raise UnsafeSVG("processing instructions are not allowed")
        if isinstance(el, etree._Entity):
            raise UnsafeSVG(f"the entity reference &{el.name}; is not allowed")
        if isinstance(el, etree._Comment):
            raise UnsafeSVG("comments are not allowed")
        _check_element(el, ids, trusted)


#: Where verdicts are remembered between builds, sealed with this machine's key
#: (``hooks/cache.py``): a forged "allowed" in ``.cache/`` never reads back.
VERDICTS = "svg-verdicts"
_ALLOWED = b"allowed"
_REFUSED = b"refused:"


@functools.cache
def _rules() -> bytes:
    """This module's own source: a verdict holds for the rules that reached it, no others."""
    with open(__file__, "rb") as source:
        return source.read()


def _verdict_key(svg: str, trusted: Trusted) -> str:
    from hooks.cache import digest

    blocks = [*sorted(trusted.scripts), "\0", *sorted(trusted.styles)]
    return digest("svgsafe-verdict-1", _rules(), svg, str(len(blocks)), *blocks)


@functools.lru_cache(maxsize=128)
def reason(svg: str, trusted: Trusted = NOTHING) -> str | None:
    """Why ``svg`` must not be published, or None when it may.

    Remembered per text, in the process and in a sealed cache namespace: the cache's validator
    and the code using an entry both ask about the same SVG, every build asks again about every
    cached diagram and flame graph, and the verdict depends on nothing but the text, ``trusted``
    and these rules. Only this host's own verdicts read back (``hooks.machinekey``).
    """
    from hooks.cache import Cache

    store = Cache(VERDICTS, sealed=True, max_bytes=4096)
    key = _verdict_key(svg, trusted) if isinstance(svg, str) else None
    remembered = store.get(key) if key else None
    if remembered == _ALLOWED:
        return None
    if remembered is not None and remembered.startswith(_REFUSED):
        return remembered[len(_REFUSED) :].decode("utf-8", "replace")
    try:
        check(svg, trusted)
        verdict = None
    except UnsafeSVG as exc:
        verdict = str(exc)
    if key:
        store.put(key, _ALLOWED if verdict is None else _REFUSED + verdict.encode()[:3000])
    return verdict
