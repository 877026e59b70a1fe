"""Colours for the dark variant: the same picture, re-inked for Material's slate scheme.

Graphviz writes colours as ``#rrggbb`` or as SVG colour names. The dark variant keeps each
colour's hue and moves its lightness: "ink" (text, strokes, arrowheads) becomes light enough to
read on slate (``hsl(225deg 15% 14%)``), "paper" (cluster and node fills) becomes a dim tint that
still tells nested clusters apart. Colours already on the right side are left alone, so an author's
white label on a dark node stays white.

The two bounds are WCAG relative luminances chosen together: paper is at most ``PAPER_MAX_Y``
and ink at least ``INK_MIN_Y``, so any re-inked text on any re-inked fill (or on slate) has a
contrast of at least (0.365 + 0.05) / (0.037 + 0.05) = 4.8:1, over WCAG AA's 4.5:1 (the build
checks it too: ``legibility.py``). A lightness rule alone let royal blue become ``#5377e4``
on ``#203b49`` (2.9:1).
"""

from __future__ import annotations

import colorsys
import re

# The SVG/CSS colour keywords (Graphviz emits these by name in SVG output).
_NAMED_TABLE = (
    "aliceblue:f0f8ff antiquewhite:faebd7 aqua:00ffff aquamarine:7fffd4 azure:f0ffff "
    "beige:f5f5dc bisque:ffe4c4 black:000000 blanchedalmond:ffebcd blue:0000ff "
    "blueviolet:8a2be2 brown:a52a2a burlywood:deb887 cadetblue:5f9ea0 chartreuse:7fff00 "
    "chocolate:d2691e coral:ff7f50 cornflowerblue:6495ed cornsilk:fff8dc crimson:dc143c "
    "cyan:00ffff darkblue:00008b darkcyan:008b8b darkgoldenrod:b8860b darkgray:a9a9a9 "
    "darkgreen:006400 darkgrey:a9a9a9 darkkhaki:bdb76b darkmagenta:8b008b "
    "darkolivegreen:556b2f darkorange:ff8c00 darkorchid:9932cc darkred:8b0000 "
    "darksalmon:e9967a darkseagreen:8fbc8f darkslateblue:483d8b darkslategray:2f4f4f "
    "darkslategrey:2f4f4f darkturquoise:00ced1 darkviolet:9400d3 deeppink:ff1493 "
    "deepskyblue:00bfff dimgray:696969 dimgrey:696969 dodgerblue:1e90ff firebrick:b22222 "
    "floralwhite:fffaf0 forestgreen:228b22 fuchsia:ff00ff gainsboro:dcdcdc "
    "ghostwhite:f8f8ff gold:ffd700 goldenrod:daa520 gray:808080 grey:808080 green:008000 "
    "greenyellow:adff2f honeydew:f0fff0 hotpink:ff69b4 indianred:cd5c5c indigo:4b0082 "
    "ivory:fffff0 khaki:f0e68c lavender:e6e6fa lavenderblush:fff0f5 lawngreen:7cfc00 "
    "lemonchiffon:fffacd lightblue:add8e6 lightcoral:f08080 lightcyan:e0ffff "
    "lightgoldenrodyellow:fafad2 lightgray:d3d3d3 lightgreen:90ee90 lightgrey:d3d3d3 "
    "lightpink:ffb6c1 lightsalmon:ffa07a lightseagreen:20b2aa lightskyblue:87cefa "
    "lightslategray:778899 lightslategrey:778899 lightsteelblue:b0c4de lightyellow:ffffe0 "
    "lime:00ff00 limegreen:32cd32 linen:faf0e6 magenta:ff00ff maroon:800000 "
    "mediumaquamarine:66cdaa mediumblue:0000cd mediumorchid:ba55d3 mediumpurple:9370db "
    "mediumseagreen:3cb371 mediumslateblue:7b68ee mediumspringgreen:00fa9a "
    "mediumturquoise:48d1cc mediumvioletred:c71585 midnightblue:191970 mintcream:f5fffa "
    "mistyrose:ffe4e1 moccasin:ffe4b5 navajowhite:ffdead navy:000080 oldlace:fdf5e6 "
    "olive:808000 olivedrab:6b8e23 orange:ffa500 orangered:ff4500 orchid:da70d6 "
    "palegoldenrod:eee8aa palegreen:98fb98 paleturquoise:afeeee palevioletred:db7093 "
    "papayawhip:ffefd5 peachpuff:ffdab9 peru:cd853f pink:ffc0cb plum:dda0dd "
    "powderblue:b0e0e6 purple:800080 red:ff0000 rosybrown:bc8f8f royalblue:4169e1 "
    "saddlebrown:8b4513 salmon:fa8072 sandybrown:f4a460 seagreen:2e8b57 seashell:fff5ee "
    "sienna:a0522d silver:c0c0c0 skyblue:87ceeb slateblue:6a5acd slategray:708090 "
    "slategrey:708090 snow:fffafa springgreen:00ff7f steelblue:4682b4 tan:d2b48c "
    "teal:008080 thistle:d8bfd8 tomato:ff6347 turquoise:40e0d0 violet:ee82ee wheat:f5deb3 "
    "white:ffffff whitesmoke:f5f5f5 yellow:ffff00 yellowgreen:9acd32"
)
_NAMED = dict(pair.split(":") for pair in _NAMED_TABLE.split())
_HEX = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
#: Values that are not a colour to re-ink.
_KEEP = {"none", "transparent", "currentcolor", "inherit", ""}

#: Relative luminance bounds (WCAG): ink at least, paper at most (see the module docstring).
INK_MIN_Y = 0.36
PAPER_MAX_Y = 0.04


def parse(value: str) -> tuple[float, float, float] | None:
    """``#rgb``, ``#rrggbb`` or a colour name -> RGB in 0..1; None for anything else."""
    v = value.strip().lower()
    if v in _NAMED:
        v = "#" + _NAMED[v]
    m = _HEX.fullmatch(v)
    if not m:
        return None
    digits = m.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    r, g, b = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def to_hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2 relative luminance (0 = black, 1 = white)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _lightness_for(h: float, s: float, start: float, ok: object, upwards: bool) -> float:
    """The lightness nearest ``start`` (moving up or down) whose colour satisfies ``ok``."""
    lo, hi = (start, 1.0) if upwards else (0.0, start)
    for _ in range(30):  # bisection: 1e-9 of lightness, deterministic
        mid = (lo + hi) / 2
        if ok(luminance(colorsys.hls_to_rgb(h, mid, s))):  # type: ignore[operator]
            hi, lo = (mid, lo) if upwards else (hi, mid)
        else:
            lo, hi = (mid, hi) if upwards else (lo, mid)
    return hi if upwards else lo


def _remap(value: str, role: str) -> str:
    if value.strip().lower() in _KEEP or value.startswith("url("):
        return value
    rgb = parse(value)
    if rgb is None:
        return value
    h, lightness, s = colorsys.rgb_to_hls(*rgb)
    if role == "ink":
        if luminance(rgb) >= INK_MIN_Y:
            return to_hex(rgb)
        lightness = 0.35 + (1.0 - lightness) * 0.6  # dark ink -> light ink, order reversed
        if luminance(colorsys.hls_to_rgb(h, lightness, s)) < INK_MIN_Y:
            lightness = _lightness_for(h, s, lightness, lambda y: y >= INK_MIN_Y + 0.005, True)
    else:
        if luminance(rgb) <= PAPER_MAX_Y:
            return to_hex(rgb)
        lightness = 0.19 + (1.0 - lightness) * 0.3  # light paper -> dim paper, order reversed
        s *= 0.45
        if luminance(colorsys.hls_to_rgb(h, lightness, s)) > PAPER_MAX_Y:
            lightness = _lightness_for(h, s, lightness, lambda y: y <= PAPER_MAX_Y - 0.003, False)
    return to_hex(colorsys.hls_to_rgb(h, lightness, s))


def ink(value: str) -> str:
    """A text/line colour made legible on a dark background."""
    return _remap(value, "ink")


def paper(value: str) -> str:
    """A fill colour made dark enough for light text on top of it."""
    return _remap(value, "paper")
