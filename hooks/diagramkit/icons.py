"""Icon files -> what the SVG embeds: MIME type, a readable id, and whether it vanishes on slate.

Many ``diagrams`` icons are black line art (``onprem.client.User``, ``onprem.network.Internet``,
``generic.storage.Storage``) that disappears on Material's dark background. The dark variant
inverts exactly those (lightness flipped, hue kept), so the decision needs the icon's pixels: a
small PNG decoder (8-bit grey/RGB/RGBA, the format of nearly all ``diagrams`` icons) measures
which share of the visible pixels is dark. Other formats are left as they are.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

_PNG = b"\x89PNG\r\n\x1a\n"
_MIME = (
    (_PNG, "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
)
#: Luma (0..1) under which a pixel is lost on slate (background luma is about 0.13).
DARK_LUMA = 0.3
#: An icon is "dark" when at least this share of its visible pixels is dark.
DARK_SHARE = 0.6
_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # PNG colour type -> channels (8-bit only)


class UnsupportedImage(Exception):
    """Not an image format an SVG <image> can show."""


def mime(data: bytes, path: Path) -> str:
    for magic, kind in _MIME:
        if data.startswith(magic):
            return kind
    if path.suffix.lower() == ".svg" or b"<svg" in data[:1024]:
        return "image/svg+xml"
    raise UnsupportedImage(f"icon {path.name} is not a PNG, JPEG, GIF or SVG file")


def name(path: Path) -> str:
    """``.../resources/k8s/compute/pod.png`` -> ``k8s-compute-pod``; other icons by file stem."""
    parts = path.with_suffix("").parts
    if "resources" in parts:
        return "-".join(parts[len(parts) - parts[::-1].index("resources") :])
    return path.stem


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def pixels(data: bytes) -> tuple[int, list[bytearray]] | None:
    """(channels, unfiltered rows) of an 8-bit non-interlaced PNG; None for other layouts."""
    pos, ihdr, idat = len(_PNG), b"", []
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            ihdr = body
        elif kind == b"IDAT":
            idat.append(body)
    if len(ihdr) != 13:
        return None
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", ihdr)
    if depth != 8 or interlace or colour not in _CHANNELS:
        return None
    bpp = _CHANNELS[colour]
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for x in range(bpp, stride):
                line[x] = (line[x] + line[x - bpp]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev, strict=True))
        elif kind == 3:
            for x in range(stride):
                left = line[x - bpp] if x >= bpp else 0
                line[x] = (line[x] + ((left + prev[x]) >> 1)) & 0xFF
        elif kind == 4:
            for x in range(stride):
                left = line[x - bpp] if x >= bpp else 0
                corner = prev[x - bpp] if x >= bpp else 0
                line[x] = (line[x] + _paeth(left, prev[x], corner)) & 0xFF
        rows.append(line)
        prev = line
    return bpp, rows


def is_dark(data: bytes) -> bool:
    """True when most visible pixels of a PNG icon would be lost on a dark background."""
    if not data.startswith(_PNG):
        return False
    try:
        decoded = pixels(data)
    except (zlib.error, struct.error, IndexError, ValueError):
        return False
    if decoded is None:
        return False
    bpp, rows = decoded
    visible = dark = 0
    step = bpp * 2  # every second pixel is plenty for a share
    for line in rows[::2]:
        for x in range(0, len(line) - bpp + 1, step):
            if bpp >= 3:
                r, g, b = line[x], line[x + 1], line[x + 2]
                luma = 0.2126 * r + 0.7152 * g + 0.0722 * b
            else:
                luma = line[x]
            alpha = line[x + bpp - 1] if bpp in (2, 4) else 255
            if alpha >= 128:
                visible += 1
                dark += luma < DARK_LUMA * 255
    return visible > 0 and dark / visible >= DARK_SHARE
