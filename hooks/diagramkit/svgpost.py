"""Graphviz SVG -> a web-ready pair of SVGs (light and dark) from the same layout.

What ``diagrams`` + Graphviz write is wrong for a website in four ways, fixed here:

* icons are ``<image xlink:href="/abs/path/in/site-packages/icon.png">``: broken on the web, and
  a browser never loads external files from an SVG shown through ``<img>``. Each distinct icon is
  embedded ONCE as a base64 ``<symbol>`` in ``<defs>`` and every node draws it with ``<use>``
  (embedding per node made a 220-node diagram 4.35 MB instead of 200 KB), resampled to twice
  the CSS px it is shown at in the post column (``icons.for_web``);
* ids and ``<title>`` carry the node names (random uuids in stock ``diagrams``) and comments carry
  the Graphviz version: titles become the node's label, ids are derived from labels, comments go;
* an icon node drawn as an HTML-like table (``diagrams_src/_style.py``, ``icon()``) has its
  lines left-aligned by Graphviz's font metrics: they are centred under the icon;
* only dark ink on light clusters: the dark variant re-inks text, lines and fills (``colors``)
  and inverts black line-art icons (``icons.is_dark``), from the very same layout.

The parent never trusts this output: it runs in the sandbox next to the diagram script, so
``render.py`` holds what comes back to ``hooks/svgsafe.py``'s allow-list, on render and on every
cache read.

Pure functions of their input (no clock, no randomness), so the output is byte-for-byte stable.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from hooks.diagramkit import PX_PER_PT, colors, icons, legibility

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_XLINK_HREF = f"{{{XLINK_NS}}}href"


def _q(tag: str) -> str:
    return f"{{{SVG_NS}}}{tag}"


class IconError(Exception):
    """An icon the diagram references cannot be embedded (missing, or outside allowed folders)."""


@dataclass(frozen=True)
class Manifest:
    """What the renderer learnt while running the script, to name things in the SVG."""

    title: str
    nodes: dict[str, str] = field(default_factory=dict)  # graphviz node name -> label
    clusters: dict[str, str] = field(default_factory=dict)  # "cluster_x" -> label


@dataclass(frozen=True)
class Processed:
    light: str
    dark: str
    width_pt: float
    height_pt: float
    #: icon files embedded (absolute path -> sha256), to notice an edited custom icon
    icons: dict[str, str]


def slug(text: str) -> str:
    """Lower-case ASCII words joined by '-' (``"API server\\n(kube)"`` -> ``api-server-kube``)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _Ids:
    """Unique, readable ids: the first ``node-pod`` stays, the next is ``node-pod-2``."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def make(self, prefix: str, text: str, fallback: str) -> str:
        base = f"{prefix}-{slug(text) or fallback}"
        n = self.seen.get(base, 0) + 1
        self.seen[base] = n
        return base if n == 1 else f"{base}-{n}"


def _one_line(label: str) -> str:
    return " ".join(label.split())


def _retitle(root: etree._Element, manifest: Manifest, ids: _Ids) -> None:
    """Titles become labels; group ids derive from labels (never from uuids or counters)."""
    for g in root.iter(_q("g")):
        cls = g.get("class", "")
        title = g.find(_q("title"))
        raw = title.text or "" if title is not None else ""
        if cls == "graph":
            if title is not None:
                title.text = manifest.title
            continue
        if cls == "node":
            label = _one_line(manifest.nodes.get(raw, raw))
            g.set("id", ids.make("node", label, "n"))
        elif cls == "cluster":
            label = _one_line(manifest.clusters.get(raw, raw.removeprefix("cluster_")))
            g.set("id", ids.make("cluster", label, "c"))
        elif cls == "edge":
            ends = [p.split(":")[0] for p in re.split(r"->|--", raw, maxsplit=1)]
            names = [_one_line(manifest.nodes.get(e, e)) for e in ends]
            label = " → ".join(names)
            g.set("id", ids.make("edge", "-to-".join(slug(n) for n in names), "e"))
        else:
            continue
        if title is not None:
            title.text = label


def _centre_icon_labels(root: etree._Element) -> None:
    """The text of an icon node drawn as a table (``_style.icon``) centred under its icon.

    Graphviz writes HTML-like labels as left-aligned lines placed with its own font metrics;
    the browser's sans-serif is wider, so the lines would lean right of the icon. Centred on the
    icon's axis, they stay centred whatever the font.
    """
    for g in root.iter(_q("g")):
        if g.get("class") != "node":
            continue
        images, texts = g.findall(_q("image")), g.findall(_q("text"))
        if len(images) != 1 or not texts or any(t.get("text-anchor") != "start" for t in texts):
            continue
        image = images[0]
        centre = float(image.get("x", "0")) + _size_pt(image.get("width")) / 2
        for text in texts:
            text.set("text-anchor", "middle")
            text.set("x", f"{centre:g}")


def _drop_background(root: etree._Element) -> None:
    """Remove the page-filling background polygon: the page's own colour shows through."""
    graph = root.find(_q("g"))
    if graph is None:
        return
    for child in graph:
        if child.tag == _q("polygon"):
            if (child.get("fill") or "").lower() in {"white", "#ffffff", "transparent", "none"}:
                graph.remove(child)
            return
        if child.tag == _q("g"):
            return


@dataclass
class _Embedded:
    files: dict[str, str] = field(default_factory=dict)  # absolute path -> sha256
    dark_symbols: list[etree._Element] = field(default_factory=list)  # invert in dark variant


def _embed_icons(
    root: etree._Element, load: Callable[[str], tuple[Path, bytes]], ids: _Ids
) -> _Embedded:
    """Every distinct icon once in <defs> as a <symbol>, every node's <image> -> <use>."""
    defs = etree.Element(_q("defs"))
    symbols: dict[tuple[str, str], str] = {}  # (sha256, preserveAspectRatio) -> symbol id
    out = _Embedded()
    drawn = _drawn_sizes(root)
    scale = _shown_scale(root)
    for image in list(root.iter(_q("image"))):
        href = image.get(_XLINK_HREF) or image.get("href") or ""
        if href.startswith(("data:", "#")):
            continue
        path, data = load(href)
        sha = hashlib.sha256(data).hexdigest()
        out.files[str(path)] = sha
        par = image.get("preserveAspectRatio", "xMidYMid meet")
        key = (sha, par)
        if key not in symbols:
            try:
                icons.mime(data, path)  # refuses what no <image> can show, by its source
            except icons.UnsupportedImage as exc:
                raise IconError(str(exc)) from None
            width, height = drawn[href]
            web = icons.for_web(data, width * scale, height * scale)
            symbols[key] = ids.make("icon", icons.name(path), "i")
            symbol = etree.SubElement(defs, _q("symbol"), id=symbols[key])
            # no viewBox: the <use> box is the viewport, the image fills it like Graphviz placed it
            etree.SubElement(
                symbol,
                _q("image"),
                width="100%",
                height="100%",
                preserveAspectRatio=par,
                href=f"data:{icons.mime(web, path)};base64,{_base64(web)}",
            )
            if icons.is_dark(data):
                out.dark_symbols.append(symbol)
        use = etree.Element(_q("use"), href="#" + symbols[key])
        for attr in ("x", "y", "width", "height"):
            if image.get(attr) is not None:
                use.set(attr, image.get(attr, "").removesuffix("px"))
        use.tail = image.tail
        parent = image.getparent()
        assert parent is not None
        parent.replace(image, use)
    if len(defs):
        root.insert(0, defs)
    return out


def _base64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _shown_scale(root: etree._Element) -> float:
    """CSS px per SVG unit where the post shows the picture: its ``<img>`` is ``width`` pt
    (``PX_PER_PT`` px each) wide, at most the column (``legibility.shown_scale``)."""
    box = [float(v) for v in (root.get("viewBox") or "").replace(",", " ").split()]
    width_px = _size_pt(root.get("width")) * PX_PER_PT
    if len(box) != 4 or box[2] <= 0 or width_px <= 0:
        return 1.0
    return legibility.shown_scale(width_px, box[2])


def _drawn_sizes(root: etree._Element) -> dict[str, tuple[float, float]]:
    """The largest box each icon file is drawn in (href -> width, height in SVG units)."""
    sizes: dict[str, tuple[float, float]] = {}
    for image in root.iter(_q("image")):
        href = image.get(_XLINK_HREF) or image.get("href") or ""
        w, h = (_size_pt(image.get(attr)) for attr in ("width", "height"))
        old = sizes.get(href, (0.0, 0.0))
        sizes[href] = (max(old[0], w), max(old[1], h))
    return sizes


#: invert(1) then hue-rotate(180deg): light and dark swap, hues stay (black line art -> white).
_INVERT_MATRIX = "0.574 -1.43 -0.144 0 1 -0.426 -0.43 -0.144 0 1 -0.426 -1.43 0.856 0 1 0 0 0 1 0"
_INVERT_ID = "invert-dark-icon"


def _invert_dark_icons(root: etree._Element, symbols: list[etree._Element]) -> None:
    """Dark-variant only: flip the lightness of icons that would vanish on slate."""
    if not symbols:
        return
    defs = root.find(_q("defs"))
    assert defs is not None
    flt = etree.SubElement(
        defs, _q("filter"), id=_INVERT_ID, **{"color-interpolation-filters": "sRGB"}
    )
    etree.SubElement(flt, _q("feColorMatrix"), type="matrix", values=_INVERT_MATRIX)
    for symbol in symbols:
        for image in symbol:
            image.set("filter", f"url(#{_INVERT_ID})")


def _darken(root: etree._Element) -> None:
    """Re-ink in place: text, strokes and arrowheads light; fills dim."""
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in (_q("symbol"), _q("image")):
            continue
        stroke = el.get("stroke")
        fill = el.get("fill")
        if fill is not None:
            if el.tag == _q("text") or (stroke and fill.lower() == stroke.lower()):
                el.set("fill", colors.ink(fill))
            else:
                el.set("fill", colors.paper(fill))
        if stroke is not None:
            el.set("stroke", colors.ink(stroke))
        style = el.get("style")
        if style and "stop-color" in style:
            recolour = lambda m: "stop-color:" + colors.paper(m[1])  # noqa: E731
            el.set("style", re.sub(r"stop-color:\s*([^;]+)", recolour, style))


_NUMBER = r"(-?[0-9.]+)"
#: Average advance of a Sans-Serif glyph in em (generous: a cut label is worse than a margin).
_GLYPH_EM = 0.6
_MARGIN_PT = 4.0


def _fit_text(root: etree._Element) -> None:
    """Grow the viewBox over labels wider than their node.

    Graphviz sizes the picture from node boxes; a label wider than its fixed-size icon node
    spills over the edge, and with the tight margin it would be cut. Text extents are estimated
    from the font size (SVG has no metrics without a renderer).
    """
    box = [float(v) for v in (root.get("viewBox") or "").replace(",", " ").split()]
    graph = root.find(_q("g"))
    if len(box) != 4 or graph is None:
        return
    transform = graph.get("transform", "")
    scale = re.search(rf"scale\({_NUMBER}(?:[ ,]+{_NUMBER})?\)", transform)
    shift = re.search(rf"translate\({_NUMBER}[ ,]+{_NUMBER}\)", transform)
    sx = float(scale.group(1)) if scale else 1.0
    sy = float(scale.group(2) or sx) if scale else 1.0
    tx, ty = (float(shift.group(1)), float(shift.group(2))) if shift else (0.0, 0.0)
    x0, y0, x1, y1 = box[0], box[1], box[0] + box[2], box[1] + box[3]
    for text in graph.iter(_q("text")):
        size = float(text.get("font-size", "14"))
        width = len(text.text or "") * size * _GLYPH_EM
        x, y = float(text.get("x", "0")), float(text.get("y", "0"))
        anchor = text.get("text-anchor", "start")
        left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
        x0 = min(x0, sx * (left + tx) - _MARGIN_PT)
        x1 = max(x1, sx * (left + width + tx) + _MARGIN_PT)
        y0 = min(y0, sy * (y - size + ty) - _MARGIN_PT)
        y1 = max(y1, sy * (y + size * 0.3 + ty) + _MARGIN_PT)
    if (x0, y0, x1, y1) == (box[0], box[1], box[0] + box[2], box[1] + box[3]):
        return
    width_pt, height_pt = _size_pt(root.get("width")), _size_pt(root.get("height"))
    kx = width_pt / box[2] if box[2] else 1.0
    ky = height_pt / box[3] if box[3] else 1.0
    root.set("viewBox", f"{x0:.2f} {y0:.2f} {x1 - x0:.2f} {y1 - y0:.2f}")
    root.set("width", f"{round((x1 - x0) * kx)}pt")
    root.set("height", f"{round((y1 - y0) * ky)}pt")


def _size_pt(value: str | None) -> float:
    m = re.match(r"\s*([0-9.]+)", value or "")
    return float(m.group(1)) if m else 0.0


def _serialize(root: etree._Element) -> str:
    return etree.tostring(root, encoding="unicode") + "\n"


def process(
    raw_svg: bytes,
    manifest: Manifest,
    *,
    icon_roots: Iterable[Path],
) -> Processed:
    """Turn Graphviz output into the light and dark SVGs (same layout, different ink)."""
    roots = [Path(r).resolve() for r in icon_roots]

    def load(href: str) -> tuple[Path, bytes]:
        path = Path(href.removeprefix("file://")).resolve()
        if not any(path.is_relative_to(r) for r in roots):
            raise IconError(
                f"icon {href!r} is outside the diagrams icon sets and diagrams_src/; "
                "copy it under diagrams_src/ and use Custom(label, 'icons/<file>')"
            )
        try:
            return path, path.read_bytes()
        except OSError as exc:
            raise IconError(f"icon {href!r} cannot be read: {exc.strerror}") from None

    parser = etree.XMLParser(
        remove_comments=True,
        remove_pis=True,
        resolve_entities=False,
        no_network=True,
        huge_tree=True,
    )
    root = etree.fromstring(raw_svg, parser)
    ids = _Ids()
    _drop_background(root)
    _retitle(root, manifest, ids)
    _centre_icon_labels(root)
    _fit_text(root)  # before the icons: the final width sets the scale they are shown at
    embedded = _embed_icons(root, load, ids)
    for el in root.iter():
        if isinstance(el.tag, str) and _XLINK_HREF in el.attrib:  # e.g. node URL= links
            el.set("href", el.attrib.pop(_XLINK_HREF))
    etree.cleanup_namespaces(root)
    light = _serialize(root)
    _darken(root)
    _invert_dark_icons(root, embedded.dark_symbols)
    dark = _serialize(root)
    return Processed(
        light=light,
        dark=dark,
        width_pt=_size_pt(root.get("width")),
        height_pt=_size_pt(root.get("height")),
        icons=embedded.files,
    )
