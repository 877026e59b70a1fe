"""The SVG allow-list (``hooks/svgsafe.py``): what our SVGs are made of passes, nothing else."""

from __future__ import annotations

import base64

import pytest

from hooks import svgsafe

NS = 'xmlns="http://www.w3.org/2000/svg"'
XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"'
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 16).decode()
GIF = base64.b64encode(b"GIF89a" + b"\0" * 16).decode()
WEBP = base64.b64encode(b"RIFF\x1a\0\0\0WEBPVP8L" + b"\0" * 14).decode()
WAVE = base64.b64encode(b"RIFF\x1a\0\0\0WAVEfmt " + b"\0" * 14).decode()


def test_rendered_diagrams_pass(rendered):
    for outcome in rendered.values():
        assert svgsafe.reason(outcome.light) is None, outcome.name
        assert svgsafe.reason(outcome.dark) is None, outcome.name


@pytest.mark.parametrize(
    "svg",
    [
        f'<svg {NS}><defs><symbol id="i"><image href="data:image/png;base64,{PNG}"/></symbol>'
        '</defs><use href="#i" x="1" y="2"/></svg>',
        f'<?xml version="1.0" encoding="UTF-8"?>\n<svg {NS}><g class="node" id="n"><title>t</title>'
        '<text x="1" font-size="14">a &lt;b&gt;</text></g></svg>',
        f'<svg {NS}><defs><filter id="f"><feColorMatrix type="matrix" values="1 0 0 0 1"/>'
        '</filter></defs><image filter="url(#f)" href="data:image/gif;base64,' + GIF + '"/></svg>',
        f'<svg {NS}><linearGradient id="g">'
        '<stop offset="0" style="stop-color:#fff;stop-opacity:1"/>'
        '</linearGradient><polygon fill="url(\'#g\')" points="0,0 1,1"/></svg>',
        f'<svg {NS} {XLINK}><a xlink:title="tip"><text>x</text></a></svg>',
        f'<svg {NS}><defs><symbol id="i"><image href="data:image/webp;base64,{WEBP}"/></symbol>'
        '</defs><use href="#i"/></svg>',
    ],
    ids=["icon-symbol", "declaration-title", "dark-filter", "gradient", "tooltip", "webp-icon"],
)
def test_what_graphviz_and_svgpost_emit_passes(svg):
    assert svgsafe.reason(svg) is None


@pytest.mark.parametrize(
    ("svg", "reason"),
    [
        (
            '<?xml-stylesheet type="text/xsl" href="x.xsl"?>' + f"<svg {NS}/>",
            "the document must start with <svg",
        ),
        (f"<svg {NS}/><?xml-stylesheet href='x'?>", "processing instructions and comments"),
        (f"<svg {NS}><?php x?></svg>", "processing instructions are not allowed"),
        (f"<svg {NS}><!-- c --></svg>", "comments are not allowed"),
        (
            '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE svg [<!ENTITY x "y">]>'
            f"<svg {NS}>&x;</svg>",
            "the document must start with <svg",
        ),
        (
            '<?xml version="1.0" encoding="ISO-8859-1"?>\n' + f"<svg {NS}/>",
            "the document must start with <svg",
        ),
        ("\ufeff" + f"<svg {NS}/>", "byte-order mark"),
        (f"<svg {NS}>&unknown;</svg>", "not well-formed XML"),
        ("<svg/>", "the document is not an SVG"),
        ('<html xmlns="http://www.w3.org/1999/xhtml"/>', "the document must start with <svg"),
        (f"<svg {NS}><script>alert(1)</script></svg>", "<script> is not allowed"),
        (f"<svg {NS}><style>*{{}}</style></svg>", "<style> is not allowed"),
        (f"<svg {NS}><foreignObject/></svg>", "<foreignObject> is not allowed"),
        (f'<svg {NS}><set attributeName="href" to="javascript:x"/></svg>', "<set> is not"),
        (f'<svg {NS}><animate values="javascript:x"/></svg>', "<animate> is not allowed"),
        (f"<svg {NS}><animateTransform/></svg>", "<animateTransform> is not allowed"),
        (f"<svg {NS}><iframe/></svg>", "<iframe> is not allowed"),
        (
            f'<svg {NS}><h:script xmlns:h="http://www.w3.org/1999/xhtml">x</h:script></svg>',
            "is not in the SVG namespace",
        ),
        (f'<svg {NS} onload="x()"/>', "event attribute 'onload' is not allowed"),
        (f'<svg {NS}><rect onmouseover="x()"/></svg>', "event attribute 'onmouseover'"),
        (f'<svg {NS} xml:base="https://evil/"/>', "is not allowed"),
        (f'<svg {NS}><a href="javascript:alert(1)"><text>x</text></a></svg>', "reference"),
        (f'<svg {NS}><a href="https://example.org/"><text>x</text></a></svg>', "reference"),
        (f'<svg {NS} {XLINK}><use xlink:href="other.svg#x"/></svg>', "reference"),
        (f'<svg {NS}><use href="#missing"/></svg>', "names no element of the SVG"),
        (f'<svg {NS}><rect id="r" href="#r"/></svg>', "<rect href> is not allowed"),
        (f'<svg {NS}><image href="/work/icon.png"/></svg>', "reference '/work/icon.png'"),
        (f'<svg {NS}><image href="data:image/svg+xml;base64,{PNG}"/></svg>', "not base64 PNG"),
        (f'<svg {NS}><image href="data:image/png;base64,{GIF}"/></svg>', "does not hold a PNG"),
        (f'<svg {NS}><image href="data:image/png;base64,!!!!"/></svg>', "not base64 PNG"),
        # declared WebP: a PNG, another RIFF file (WAVE), or RIFF without the form type
        (f'<svg {NS}><image href="data:image/webp;base64,{PNG}"/></svg>', "not hold a WEBP"),
        (f'<svg {NS}><image href="data:image/webp;base64,{WAVE}"/></svg>', "not hold a WEBP"),
        (
            f'<svg {NS}><image href="data:image/webp;base64,'
            + base64.b64encode(b"RIFFWEBP").decode()
            + '"/></svg>',
            "not hold a WEBP",
        ),
        (f'<svg {NS}><image href="data:image/png;base64,{WEBP}"/></svg>', "does not hold a PNG"),
        (f'<svg {NS}><image href="data:image/avif;base64,{PNG}"/></svg>', "not base64 PNG"),
        (f'<svg {NS}><image href="data:image/png;base64,abc"/></svg>', "not valid base64"),
        (f'<svg {NS}><rect fill="url(https://evil/x)"/></svg>', "is not a reference inside"),
        (f'<svg {NS}><rect style="fill:url(//evil/x)"/></svg>', "is not a reference inside"),
        (f'<svg {NS}><rect style="fill:u\\72l(//evil)"/></svg>', "CSS escapes"),
        (f"<svg {NS}><rect style=\"@import 'x'\"/></svg>", "CSS escapes, @import"),
        (f'<svg {NS}><feColorMatrix values="javascript:x"/></svg>', "not a list of numbers"),
        (f'<svg {NS}><rect cursor="url(x)"/></svg>', "attribute 'cursor' is not allowed"),
    ],
)
def test_anything_else_is_refused(svg, reason):
    found = svgsafe.reason(svg)
    assert found is not None and reason in found, found


def test_trusted_blocks_must_match_exactly():
    trusted = svgsafe.Trusted.of(scripts=["\nok();\n"], styles=["\n.a{}\n"])
    good = (
        f"<svg {NS}><style><![CDATA[\n.a{{}}\n]]></style>"
        "<script><![CDATA[\nok();\n]]></script></svg>"
    )
    assert svgsafe.reason(good, trusted) is None
    for bad in (
        good.replace("ok();", "ok();evil();"),
        good.replace("<script>", '<script href="https://evil/x.js">'),
        good.replace(".a{}", ".a{background:url(//evil)}"),
    ):
        assert svgsafe.reason(bad, trusted) is not None, bad
